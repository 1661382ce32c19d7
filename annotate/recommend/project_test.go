package recommend_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/memstore"
	"github.com/qalam-annotate/qalam/annotate/recommend"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// open lists the open suggestions of layer as "LABEL:text".
func open(t *testing.T, s annotate.Store, doc int64, layer string) []string {
	t.Helper()
	ctx := context.Background()
	d, err := s.Document(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := s.Suggestions(ctx, doc, layer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sp := range sg {
		out = append(out, sp.Label+":"+string([]rune(d.Text)[sp.Start:sp.End]))
	}
	return out
}

// TestLearnProposeStore follows an annotator: what they labelled in one
// document is proposed in the next, a rejection is kept and counts, and
// their suggestions are nobody else's.
func TestLearnProposeStore(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	first := storetest.AddDoc(t, s, "d", "قال دونالد ترامب إن موسكو ستستضيف القمة")
	second := storetest.AddDoc(t, s, "d", "وصل ترامب إلى موسكو، ثم قال ترامب إن بموسكو ثلوجاً")
	labels, _ := s.Labels(ctx)
	// ترامب labelled alone in a gold document, دونالد ترامب by amina.
	if _, err := s.AddSpans(ctx, first, "amina", "label", []annotate.Span{{Start: 4, End: 16, Label: "PERSON"}, {Start: 20, End: 25, Label: "PLACE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpans(ctx, first, annotate.Gold, "label", []annotate.Span{{Start: 11, End: 16, Label: "PERSON"}}); err != nil {
		t.Fatal(err)
	}
	m, err := recommend.Learn(ctx, s, "amina")
	if err != nil {
		t.Fatal(err)
	}
	if m.Names() != 3 {
		t.Errorf("names learned: %d", m.Names())
	}
	doc, _ := s.Document(ctx, second)
	props := m.Propose(doc.Text, nil, labels)
	if added, removed, err := recommend.Store(ctx, s, second, "amina", props); err != nil || added != 4 || removed != 0 {
		t.Fatalf("store: %d %d %v", added, removed, err)
	}
	want := []string{"PERSON:ترامب", "PLACE:موسكو", "PERSON:ترامب", "PLACE:موسكو"}
	if got := open(t, s, second, "amina"); !reflect.DeepEqual(got, want) {
		t.Errorf("amina's suggestions %q, want %q", got, want)
	}
	if got := open(t, s, second, "bilal"); got != nil {
		t.Errorf("bilal sees amina's: %q", got)
	}
	// Storing the same again changes nothing.
	if added, removed, err := recommend.Store(ctx, s, second, "amina", props); err != nil || added+removed != 0 {
		t.Errorf("store again: %d %d %v", added, removed, err)
	}
	// amina rejects the last موسكو and accepts the first ترامب; the model
	// learns from that and proposes again.
	sg, _ := s.Suggestions(ctx, second, "amina")
	if err := s.RejectSuggestions(ctx, second, "amina", sg[3].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptSuggestions(ctx, second, "amina", "", sg[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(ctx, s, "amina", second); err != nil {
		t.Fatal(err)
	}
	spans, _ := s.Spans(ctx, second, "amina")
	props = m.Propose(doc.Text, spans, labels)
	if added, removed, err := recommend.Store(ctx, s, second, "amina", props); err != nil || added+removed != 0 {
		t.Errorf("store after accepting and rejecting: %d %d %v", added, removed, err)
	}
	if got := open(t, s, second, "amina"); !reflect.DeepEqual(got, []string{"PLACE:موسكو", "PERSON:ترامب"}) {
		t.Errorf("after accepting one and rejecting one: %q", got)
	}
	// One more rejection of موسكو as PLACE outweighs amina's one label.
	if err := s.RejectSuggestions(ctx, second, "amina", sg[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(ctx, s, "amina", second); err != nil {
		t.Fatal(err)
	}
	props = m.Propose(doc.Text, spans, labels)
	if added, removed, err := recommend.Store(ctx, s, second, "amina", props); err != nil || added != 0 || removed != 0 {
		t.Errorf("store after the second rejection: %d %d %v", added, removed, err)
	}
	if got := open(t, s, second, "amina"); !reflect.DeepEqual(got, []string{"PERSON:ترامب"}) {
		t.Errorf("موسكو rejected twice, labelled once: %q", got)
	}
	rejected, _ := s.RejectedSuggestions(ctx, 0, "amina")
	if len(rejected) != 2 {
		t.Errorf("the rejections stay: %+v", rejected)
	}
	// A model learned afresh agrees.
	m2, err := recommend.Learn(ctx, s, "amina")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m2.Propose(doc.Text, spans, labels), m.Propose(doc.Text, spans, labels); !reflect.DeepEqual(got, want) {
		t.Errorf("learned afresh %v, refreshed %v", got, want)
	}
	// Nothing proposed: the open ones go, the rejected stay.
	if _, removed, err := recommend.Store(ctx, s, second, "amina", nil); err != nil || removed != 1 {
		t.Errorf("store nothing: removed %d %v", removed, err)
	}
	if rejected, _ := s.RejectedSuggestions(ctx, 0, "amina"); len(rejected) != 2 {
		t.Errorf("rejections after storing nothing: %+v", rejected)
	}
	if _, _, err := recommend.Store(ctx, s, second, annotate.Gold, props); err == nil {
		t.Error("proposed to gold")
	}
}

func TestSwitches(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	for _, c := range []struct {
		project, own bool
		layer        string
		want         bool
	}{
		{true, true, "amina", true},
		{false, true, "amina", false},
		{true, false, "amina", false},
		{true, true, annotate.Gold, false},
		{true, true, annotate.OwnSuggestions("amina"), false},
	} {
		if err := recommend.Switch(ctx, s, "", c.project); err != nil {
			t.Fatal(err)
		}
		if err := recommend.Switch(ctx, s, c.layer, c.own); err != nil {
			t.Fatal(err)
		}
		if on, err := recommend.On(ctx, s, c.layer); on != c.want || err != nil {
			t.Errorf("project %v, %s %v: on %v %v", c.project, c.layer, c.own, on, err)
		}
	}
	if on, _ := recommend.On(ctx, s, "bilal"); !on {
		t.Error("one annotator's switch turned another off")
	}
}

func TestUsage(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	a := storetest.AddDoc(t, s, "d", "زار ترامب موسكو")
	b := storetest.AddDoc(t, s, "d", "عاد ترامب من موسكو")
	for _, doc := range []int64{a, b} {
		d, _ := s.Document(ctx, doc)
		occ := annotate.FindOccurrences(d.Text, "موسكو")[0]
		if _, _, err := recommend.Store(ctx, s, doc, "amina", []recommend.Proposal{{Start: occ.Start, End: occ.End, Label: "PLACE"}}); err != nil {
			t.Fatal(err)
		}
	}
	sg, _ := s.Suggestions(ctx, a, "amina")
	if _, err := s.AcceptSuggestions(ctx, a, "amina", "", sg[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: a, Layer: "amina", Start: 4, End: 9, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: b, Layer: "bilal", Start: 4, End: 9, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if err := recommend.Switch(ctx, s, "bilal", false); err != nil {
		t.Fatal(err)
	}
	got, err := recommend.Usage(ctx, s, []string{"amina", "bilal"})
	want := []recommend.Use{{Layer: "amina", On: true, Spans: 2, Accepted: 1, Documents: 1}, {Layer: "bilal", Spans: 1}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("usage %+v %v, want %+v", got, err, want)
	}
}

func TestQueue(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	var ids []int64
	for _, text := range []string{"أ ب", "ت ث", "ج ح", "خ د"} {
		ids = append(ids, storetest.AddDoc(t, s, "d", text))
	}
	if err := s.SetStatus(ctx, ids[1], "amina", annotate.Done); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ids[2], "amina", annotate.Skipped); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ids[3], "amina", annotate.InProgress); err != nil {
		t.Fatal(err)
	}
	if got, err := recommend.Queue(ctx, s, "amina"); err != nil || !reflect.DeepEqual(got, []int64{ids[0], ids[3]}) {
		t.Errorf("amina's queue %v %v", got, err)
	}
	if got, _ := recommend.Queue(ctx, s, "bilal"); len(got) != 4 {
		t.Errorf("bilal's queue %v", got)
	}
	if _, err := s.Assign(ctx, []string{"amina", "bilal"}, 0, 1); err != nil {
		t.Fatal(err)
	}
	got, _ := recommend.Queue(ctx, s, "bilal")
	if len(got) == 0 || len(got) == 4 {
		t.Errorf("bilal's assigned queue %v", got)
	}
}

// TestStoreNothing: storing no proposals where there are none makes no
// edit, and no suggestion layer.
func TestStoreNothing(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	doc := storetest.AddDoc(t, s, "d", "لا أسماء هنا")
	if added, removed, err := recommend.Store(ctx, s, doc, "rev", nil); added+removed != 0 || err != nil {
		t.Fatalf("%d %d %v", added, removed, err)
	}
	layers, _ := s.Layers(ctx)
	if len(layers) != 0 {
		t.Errorf("layers %v", layers)
	}
	if _, err := s.Undo(ctx, annotate.OwnSuggestions("rev"), doc); err != annotate.ErrNothingToUndo {
		t.Errorf("an edit was logged: %v", err)
	}
}

// countingReader counts the documents read whole (their texts can be a
// hundred megabytes each).
type countingReader struct {
	annotate.DocumentReader
	reads int
}

func (c *countingReader) Document(ctx context.Context, id int64) (annotate.Document, error) {
	c.reads++
	return c.DocumentReader.Document(ctx, id)
}

// TestRefreshReadsTextOnlyWhenNeeded: refreshing what a document teaches
// reads its text only when it has spans to learn from, and never when the
// caller gives the document it holds.
func TestRefreshReadsTextOnlyWhenNeeded(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	bare := storetest.AddDoc(t, s, "bare", "قال دونالد ترامب إن موسكو ستستضيف القمة")
	marked := storetest.AddDoc(t, s, "marked", "وصل ترامب إلى موسكو")
	if _, err := s.AddSpans(ctx, marked, "amina", "label", []annotate.Span{{Start: 4, End: 9, Label: "PERSON"}}); err != nil {
		t.Fatal(err)
	}
	r := &countingReader{DocumentReader: s}
	m := recommend.NewModel()
	if err := m.Refresh(ctx, r, "amina", bare); err != nil || r.reads != 0 || m.Names() != 0 {
		t.Fatalf("a document without spans: %d reads, %d names, %v", r.reads, m.Names(), err)
	}
	doc, err := s.Document(ctx, marked)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.RefreshDocument(ctx, r, "amina", doc); err != nil || r.reads != 0 || m.Names() != 1 {
		t.Fatalf("a document given: %d reads, %d names, %v", r.reads, m.Names(), err)
	}
	m = recommend.NewModel()
	if err := m.Refresh(ctx, r, "amina", marked); err != nil || r.reads != 1 || m.Names() != 1 {
		t.Fatalf("a document with spans: %d reads, %d names, %v", r.reads, m.Names(), err)
	}
}
