package recommend

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

var labels = annotate.DefaultLabels()

// named is a span over the first occurrence of name in text.
func named(t *testing.T, text, name, label string) annotate.Span {
	t.Helper()
	i := strings.Index(text, name)
	if i < 0 {
		t.Fatalf("%q is not in %q", name, text)
	}
	start := annotate.RuneLen(text[:i])
	return annotate.Span{Start: start, End: start + annotate.RuneLen(name), Label: label}
}

// proposed writes proposals as "LABEL:text" (with "/ALT" and "+proclitic").
func proposed(text string, ps []Proposal) []string {
	r := []rune(text)
	var out []string
	for _, p := range ps {
		s := p.Label + ":" + string(r[p.Start:p.End])
		if p.Alternative != "" {
			s += "/" + p.Alternative
		}
		if p.Proclitic != "" {
			s += "+" + p.Proclitic
		}
		out = append(out, s)
	}
	return out
}

// teach learns one document whose own spans label the given names.
func teach(t *testing.T, m *Model, doc int64, text string, own map[string]string, gold map[string]string, rejected map[string]string) {
	t.Helper()
	var o, g, r []annotate.Span
	for n, l := range own {
		o = append(o, named(t, text, n, l))
	}
	for n, l := range gold {
		g = append(g, named(t, text, n, l))
	}
	for n, l := range rejected {
		r = append(r, named(t, text, n, l))
	}
	m.SetDocument(doc, text, o, g, r)
}

func TestPropose(t *testing.T) {
	const learnedText = "قال الرئيس دونالد ترامب في مصر إن موسكو والاتحاد الأوروبي وأحمد و"
	for _, c := range []struct {
		name  string
		own   map[string]string
		gold  map[string]string
		text  string
		spans func(text string) []annotate.Span
		want  []string
	}{
		{
			name: "proclitics left out of the span",
			own:  map[string]string{"مصر": "PLACE"},
			text: "زار مصر ثم عاد إلى ومصر وبمصر ولمصري",
			want: []string{"PLACE:مصر", "PLACE:مصر+و", "PLACE:مصر+وب"},
		},
		{
			name: "the longest name first, no overlap",
			own:  map[string]string{"دونالد ترامب": "PERSON", "ترامب": "PERSON", "الاتحاد الأوروبي": "PLACE"},
			text: "التقى دونالد ترامب بممثلي الاتحاد الأوروبي ثم غادر ترامب.",
			want: []string{"PERSON:دونالد ترامب", "PLACE:الاتحاد الأوروبي", "PERSON:ترامب"},
		},
		{
			name: "folded as search folds: hamza, harakat",
			own:  map[string]string{"أحمد": "PERSON"},
			text: "قال احمد وأَحْمَد",
			want: []string{"PERSON:احمد", "PERSON:أَحْمَد+و"},
		},
		{
			name: "never across the annotator's spans",
			own:  map[string]string{"دونالد ترامب": "PERSON", "موسكو": "PLACE"},
			text: "دونالد ترامب في موسكو",
			spans: func(text string) []annotate.Span {
				return []annotate.Span{{Start: 7, End: 12, Label: "PERSON"}}
			},
			want: []string{"PLACE:موسكو"},
		},
		{
			name: "gold teaches too",
			gold: map[string]string{"موسكو": "PLACE"},
			text: "من موسكو",
			want: []string{"PLACE:موسكو"},
		},
		{
			name: "one letter is not a name",
			own:  map[string]string{"و": "PERSON"},
			text: "و و و",
			want: nil,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := NewModel()
			teach(t, m, 1, learnedText, c.own, c.gold, nil)
			var spans []annotate.Span
			if c.spans != nil {
				spans = c.spans(c.text)
			}
			got := proposed(c.text, m.Propose(c.text, spans, labels))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("proposed %q, want %q", got, c.want)
			}
		})
	}
}

// TestLabelChoice: the label used most, the runner-up as alternative,
// and never a label the annotator rejected more often than they used it.
func TestLabelChoice(t *testing.T) {
	text := "تونس"
	m := NewModel()
	doc := int64(1)
	add := func(label string, n int, kind string) {
		for range n {
			sp := []annotate.Span{{Start: 0, End: 4, Label: label}}
			switch kind {
			case "own":
				m.SetDocument(doc, text, sp, nil, nil)
			case "gold":
				m.SetDocument(doc, text, nil, sp, nil)
			case "rejected":
				m.SetDocument(doc, text, nil, nil, sp)
			}
			doc++
		}
	}
	propose := func() []string { return proposed(text, m.Propose(text, nil, labels)) }
	add("PLACE", 3, "own")
	add("PERSON", 1, "gold")
	if got := propose(); !reflect.DeepEqual(got, []string{"PLACE:تونس/PERSON"}) {
		t.Errorf("most used with its alternative: %q", got)
	}
	add("PLACE", 3, "rejected")
	if got := propose(); !reflect.DeepEqual(got, []string{"PLACE:تونس/PERSON"}) {
		t.Errorf("rejected as often as accepted: still proposed: %q", got)
	}
	add("PLACE", 1, "rejected")
	if got := propose(); !reflect.DeepEqual(got, []string{"PERSON:تونس"}) {
		t.Errorf("rejected more often than accepted as PLACE: %q", got)
	}
	add("PERSON", 1, "rejected")
	if got := propose(); got != nil {
		t.Errorf("rejected under every label: %q", got)
	}
	if got := proposed(text, m.Propose(text, nil, annotate.LabelSet{{Name: "ORG"}})); got != nil {
		t.Errorf("labels the project lacks: %q", got)
	}
}

// TestSetDocumentReplaces: learning a document again replaces what it
// taught, so undoing a span forgets the name.
func TestSetDocumentReplaces(t *testing.T) {
	text := "زار بوتين موسكو"
	m := NewModel()
	teach(t, m, 7, text, map[string]string{"بوتين": "PERSON", "موسكو": "PLACE"}, nil, nil)
	teach(t, m, 8, text, map[string]string{"موسكو": "PLACE"}, nil, nil)
	if m.Names() != 2 {
		t.Fatalf("names %d", m.Names())
	}
	m.SetDocument(7, text, nil, nil, nil)
	if got := proposed(text, m.Propose(text, nil, labels)); !reflect.DeepEqual(got, []string{"PLACE:موسكو"}) {
		t.Errorf("after forgetting document 7: %q", got)
	}
	if m.Names() != 1 {
		t.Errorf("names %d", m.Names())
	}
	m.SetDocument(8, text, nil, nil, nil)
	if m.Names() != 0 || m.Propose(text, nil, labels) != nil {
		t.Errorf("an empty model proposes")
	}
}

func TestSpansOutsideTheText(t *testing.T) {
	m := NewModel()
	m.SetDocument(1, "نص", []annotate.Span{{Start: 1, End: 9, Label: "PERSON"}, {Start: -1, End: 1, Label: "PERSON"}}, nil, nil)
	if m.Names() != 0 {
		t.Errorf("learned from spans outside the text")
	}
	// A span that ends where the text ends is inside it.
	m.SetDocument(2, "قال ترامب", []annotate.Span{{Start: 4, End: 9, Label: "PERSON"}, {Start: 4, End: 10, Label: "PLACE"}}, nil, nil)
	if m.Names() != 1 {
		t.Errorf("%d names learned from a span at the text's end and one past it, want 1", m.Names())
	}
	if p := m.Propose("عاد ترامب", nil, annotate.DefaultLabels()); len(p) != 1 || p[0].Start != 4 || p[0].End != 9 || p[0].Label != "PERSON" {
		t.Errorf("proposed %+v, want ترامب [4,9) PERSON", p)
	}
}

func ExampleModel_Propose() {
	m := NewModel()
	learned := "قال ترامب في واشنطن"
	m.SetDocument(1, learned, []annotate.Span{{Start: 4, End: 9, Label: "PERSON"}, {Start: 13, End: 19, Label: "PLACE"}}, nil, nil)
	text := "عاد ترامب إلى واشنطن وبواشنطن"
	for _, p := range m.Propose(text, nil, annotate.DefaultLabels()) {
		fmt.Println(p.Start, p.End, p.Label, string([]rune(text)[p.Start:p.End]), "proclitic:"+p.Proclitic)
	}
	// Output:
	// 4 9 PERSON ترامب proclitic:
	// 14 20 PLACE واشنطن proclitic:
	// 23 29 PLACE واشنطن proclitic:وب
}

// TestTwinRejections: one place rejected in two suggestion layers is one
// rejection.
func TestTwinRejections(t *testing.T) {
	text := "زار ترامب"
	m := NewModel()
	sp := annotate.Span{Start: 4, End: 9, Label: "PERSON"}
	m.SetDocument(1, text, []annotate.Span{sp}, nil, nil)
	m.SetDocument(2, text, nil, nil, []annotate.Span{sp, sp})
	if got := proposed(text, m.Propose(text, nil, labels)); !reflect.DeepEqual(got, []string{"PERSON:ترامب"}) {
		t.Errorf("proposed %q: twin rejections counted twice", got)
	}
}

// TestModelMemoryPerDocument: what the model keeps of each document it
// learned, to take it back after an edit, stays small: a project of a
// million documents keeps hundreds of thousands of them (the app at a
// million documents held 20 MB of it). Here 100,000 documents, each with
// the same three names, two labelled and one rejected.
func TestModelMemoryPerDocument(t *testing.T) {
	text := "زار بوتين موسكو ثم لندن"
	own := []annotate.Span{named(t, text, "بوتين", "PERSON"), named(t, text, "موسكو", "PLACE")}
	rejected := []annotate.Span{named(t, text, "لندن", "PLACE")}
	const docs = 100_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := NewModel()
	for id := range int64(docs) {
		m.SetDocument(id+1, text, own, nil, rejected)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perDoc := float64(after.HeapAlloc-before.HeapAlloc) / docs
	t.Logf("%.0f bytes a document", perDoc)
	if perDoc > 100 {
		t.Errorf("the model keeps %.0f bytes for each document it learned, want at most 100", perDoc)
	}
	if m.Names() != 2 {
		t.Errorf("names %d, want 2", m.Names())
	}
	runtime.KeepAlive(m)
}
