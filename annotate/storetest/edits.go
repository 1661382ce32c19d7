package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func testImporterSkipsDuplicates(t *testing.T, open Opener) {
	s := open("p")
	ImporterSkipsDuplicates(t, s, newImporter(t, s))
}

// ImporterSkipsDuplicates adds five documents of three texts with im, an
// importer of s's, which must store each text once. A store's own tests
// run it on an importer set up their way (small transactions, so that a
// duplicate meets its text in one committed before).
func ImporterSkipsDuplicates(t *testing.T, s annotate.DocumentReader, im annotate.DocumentImporter) {
	t.Helper()
	ctx := context.Background()
	texts := []string{"أ", "ب", "أ", "ج", "ب"}
	var added int
	for i, txt := range texts {
		_, ok, err := im.Add(annotate.NewDocument(string(rune('a'+i)), txt, nil))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			added++
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	if added != 3 {
		t.Errorf("added %d, want 3", added)
	}
	n, _ := s.CountDocuments(ctx)
	if n != 3 {
		t.Errorf("%d documents stored, want 3", n)
	}
	d, err := s.DocumentByHash(ctx, annotate.Hash("ج"))
	if err != nil || d.Text != "ج" || d.Name != "d" || d.Length != 1 {
		t.Errorf("by hash: %+v %v", d, err)
	}
	if n, err := s.TextSize(ctx, d.ID); n != len("ج") || err != nil {
		t.Errorf("the size of %q: %d bytes, %v", d.Text, n, err)
	}
	if _, err := s.TextSize(ctx, d.ID+100); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("the size of a document not there: %v", err)
	}
}

// testTextHead reads the start of texts of one to four bytes a code
// point, short and long (a store may read long ones otherwise), cut
// anywhere from nothing to past the end.
func testTextHead(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	mixed := "«🙂» قال Steve ويتكوف، في 2025: 漢字 ok\n"
	texts := []string{"ج", "🙂𝐀", mixed, strings.Repeat(mixed, (5<<20)/len(mixed))}
	for i, text := range texts {
		id := AddDoc(t, s, fmt.Sprintf("d%d", i), text)
		runes := []rune(text)
		for _, n := range []int{0, 1, 2, 3, 17, 18, 19, len(runes) / 2, len(runes) - 1, len(runes), len(runes) + 5} {
			head, err := s.TextHead(ctx, id, n)
			if want := string(runes[:min(n, len(runes))]); head != want || err != nil {
				t.Errorf("the first %d code points of text %d (%d bytes): %d bytes, %v; want %d bytes",
					n, i, len(text), len(head), err, len(want))
			}
		}
	}
	if _, err := s.TextHead(ctx, 1<<40, 10); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("the start of a document not there: %v", err)
	}
}

func testEditsUndoRedo(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	text := "قال ستيف ويتكوف في واشنطن"
	doc := AddDoc(t, s, "d", text)
	const me = "amina"

	spans := func(st annotate.Store) []string {
		t.Helper()
		sp, err := st.Spans(ctx, doc, me)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range sp {
			out = append(out, x.Label+":"+string([]rune(text)[x.Start:x.End]))
		}
		return out
	}
	status := func(st annotate.Store) annotate.Status {
		t.Helper()
		v, _, err := st.Status(ctx, doc, me)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	if status(s) != annotate.Todo {
		t.Fatalf("new document status %s", status(s))
	}
	p, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: me, Start: 4, End: 15, Label: "PERSON"})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Origin != annotate.Manual {
		t.Errorf("added span %+v", p)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: me, Start: 19, End: 25, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	if got := spans(s); !reflect.DeepEqual(got, []string{"PERSON:ستيف ويتكوف", "PLACE:واشنطن"}) {
		t.Fatalf("spans %q", got)
	}
	if status(s) != annotate.InProgress {
		t.Errorf("status after a span: %s, want in_progress", status(s))
	}
	if err := s.RelabelSpan(ctx, doc, me, p.ID, "EVENT"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, doc, me, annotate.Done); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		undo   bool
		kind   string
		spans  []string
		status annotate.Status
	}{
		{true, "set status", []string{"EVENT:ستيف ويتكوف", "PLACE:واشنطن"}, annotate.InProgress},
		{true, "relabel span", []string{"PERSON:ستيف ويتكوف", "PLACE:واشنطن"}, annotate.InProgress},
		{true, "add span", []string{"PERSON:ستيف ويتكوف"}, annotate.InProgress},
		{true, "add span", nil, annotate.Todo},
		{false, "add span", []string{"PERSON:ستيف ويتكوف"}, annotate.InProgress},
		{false, "add span", []string{"PERSON:ستيف ويتكوف", "PLACE:واشنطن"}, annotate.InProgress},
	}
	for i, st := range steps {
		// Every other step reopens the project: undo works across restarts.
		if i%2 == 1 {
			s.Close()
			s = open("p")
		}
		var ed annotate.Edit
		if st.undo {
			ed, err = s.Undo(ctx, me, doc)
		} else {
			ed, err = s.Redo(ctx, me, doc)
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if ed.Kind != st.kind {
			t.Errorf("step %d: %s, want %s", i, ed.Kind, st.kind)
		}
		if got := spans(s); !reflect.DeepEqual(got, st.spans) {
			t.Errorf("step %d: spans %q, want %q", i, got, st.spans)
		}
		if got := status(s); got != st.status {
			t.Errorf("step %d: status %s, want %s", i, got, st.status)
		}
	}
	defer s.Close()

	// A new edit clears what could be redone.
	sp, _ := s.Spans(ctx, doc, me)
	if err := s.DeleteSpans(ctx, doc, me, sp[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redo(ctx, me, doc); !errors.Is(err, annotate.ErrNothingToRedo) {
		t.Errorf("redo after a new edit: %v", err)
	}
	if _, err := s.Undo(ctx, me, doc); err != nil {
		t.Fatal(err)
	}
	if got := spans(s); !reflect.DeepEqual(got, []string{"PERSON:ستيف ويتكوف", "PLACE:واشنطن"}) {
		t.Errorf("undo delete: %q", got)
	}
	// Undo is per layer: another annotator has nothing to undo here.
	if _, err := s.Undo(ctx, "bilal", doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("other layer's undo: %v", err)
	}
	for range 10 {
		s.Undo(ctx, me, doc)
	}
	if _, err := s.Undo(ctx, me, doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("undo past the start: %v", err)
	}
}

func testSpanValidation(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "d", "😂 Allen Edmonds")
	const me = "amina"
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: me, Start: 2, End: 7, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		span annotate.Span
		want error
	}{
		{"past the end", annotate.Span{DocID: doc, Layer: me, Start: 8, End: 16, Label: "PERSON"}, annotate.ErrSpanRange},
		{"empty", annotate.Span{DocID: doc, Layer: me, Start: 3, End: 3, Label: "PERSON"}, annotate.ErrSpanRange},
		{"unknown label", annotate.Span{DocID: doc, Layer: me, Start: 8, End: 15, Label: "BRAND"}, annotate.ErrUnknownLabel},
		{"duplicate", annotate.Span{DocID: doc, Layer: me, Start: 2, End: 7, Label: "PERSON"}, annotate.ErrOverlap},
		{"no such document", annotate.Span{DocID: doc + 1, Layer: me, Start: 0, End: 1, Label: "PERSON"}, annotate.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.AddSpan(ctx, tt.span); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
	// Overlap is allowed by default and refused once the project says so.
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: me, Start: 2, End: 15, Label: "EVENT"}); err != nil {
		t.Errorf("overlap refused by default: %v", err)
	}
	if err := s.SetAllowOverlap(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: me, Start: 6, End: 10, Label: "PLACE"}); !errors.Is(err, annotate.ErrOverlap) {
		t.Errorf("overlap with the setting off: %v", err)
	}
	// A batch is all or nothing.
	_, err := s.AddSpans(ctx, doc, me, "accept all", []annotate.Span{{Start: 0, End: 1, Label: "EVENT"}, {Start: 0, End: 99, Label: "EVENT"}})
	if !errors.Is(err, annotate.ErrSpanRange) {
		t.Errorf("batch err %v", err)
	}
	sp, _ := s.Spans(ctx, doc, me)
	if len(sp) != 2 {
		t.Errorf("%d spans after a refused batch, want 2", len(sp))
	}
}

func testStatusAndFlag(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	a := AddDoc(t, s, "a", "نص أول")
	b := AddDoc(t, s, "b", "نص ثان")
	AddDoc(t, s, "c", "نص ثالث")
	if err := s.SetStatus(ctx, a, "amina", annotate.Done); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, b, "amina", annotate.Skipped); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFlag(ctx, b, "amina", true); err != nil {
		t.Fatal(err)
	}
	counts, err := s.CountStatus(ctx, "amina")
	if err != nil {
		t.Fatal(err)
	}
	want := map[annotate.Status]int{annotate.Todo: 1, annotate.Done: 1, annotate.Skipped: 1}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	if c, _ := s.CountStatus(ctx, "nobody"); c[annotate.Todo] != 3 {
		t.Errorf("unknown layer counts %v", c)
	}
	list, err := listDocs(ctx, s, annotate.DocQuery{Layer: "amina", Status: annotate.Todo})
	if err != nil || len(list) != 1 || list[0].Name != "c" {
		t.Errorf("todo list %+v %v", list, err)
	}
	list, _ = listDocs(ctx, s, annotate.DocQuery{Layer: "amina"})
	if len(list) != 3 || !list[1].Flagged || list[1].Status != annotate.Skipped {
		t.Errorf("list %+v", list)
	}
	list, _ = listDocs(ctx, s, annotate.DocQuery{Layer: "amina", Offset: 1, Limit: 1})
	if len(list) != 1 || list[0].Name != "b" {
		t.Errorf("page %+v", list)
	}
	if err := s.SetStatus(ctx, a+99, "amina", annotate.Done); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("status of a missing document: %v", err)
	}
}

func testLabels(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "d", "ستيف ويتكوف")
	if err := s.AddLabel(ctx, annotate.Label{Name: "ORG", Hotkey: "4"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddLabel(ctx, annotate.Label{Name: "DATE", Hotkey: "4"}); err == nil {
		t.Error("a second label on hotkey 4 was accepted")
	}
	if err := s.AddLabel(ctx, annotate.Label{Name: "ORG"}); err == nil {
		t.Error("a duplicate label was accepted")
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 4, Label: "ORG"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameLabel(ctx, "ORG", "ORGANISATION"); err != nil {
		t.Fatal(err)
	}
	sp, _ := s.Spans(ctx, doc, "amina")
	if sp[0].Label != "ORGANISATION" {
		t.Errorf("span label after rename: %s", sp[0].Label)
	}
	err := s.DeleteLabel(ctx, "ORGANISATION", "")
	if !errors.Is(err, annotate.ErrLabelInUse) || !strings.Contains(err.Error(), "label ORGANISATION is used by 1 spans") {
		t.Errorf("delete in use: %v", err)
	}
	if err := s.DeleteLabel(ctx, "ORGANISATION", "PERSON"); err != nil {
		t.Fatal(err)
	}
	sp, _ = s.Spans(ctx, doc, "amina")
	if sp[0].Label != "PERSON" {
		t.Errorf("span label after delete with relabel: %s", sp[0].Label)
	}
	labels, _ := s.Labels(ctx)
	if len(labels) != 3 {
		t.Errorf("labels %v", labels)
	}
	if n, _ := s.LabelUsage(ctx, "PERSON"); n != 1 {
		t.Errorf("usage %d", n)
	}
}

func testStatsAndComments(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "d", "ستيف ويتكوف في واشنطن")
	s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
	s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 21, Label: "PLACE"})
	s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "bilal", Start: 0, End: 11, Label: "PERSON"})
	s.SetStatus(ctx, doc, "bilal", annotate.Done)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents != 1 || st.Labels["PERSON"] != 2 || st.Labels["EVENT"] != 0 ||
		st.Layers["amina"].Spans != 2 || st.Layers["bilal"].Status[annotate.Done] != 1 ||
		st.Layers["amina"].Status[annotate.InProgress] != 1 {
		t.Errorf("stats %+v amina=%+v bilal=%+v", st, st.Layers["amina"], st.Layers["bilal"])
	}
	if _, err := s.AddComment(ctx, annotate.Comment{DocID: doc, Layer: "amina", Text: "هل هذا اسم؟"}); err != nil {
		t.Fatal(err)
	}
	cs, err := s.Comments(ctx, doc)
	if err != nil || len(cs) != 1 || cs[0].Layer != "amina" || cs[0].Created.IsZero() {
		t.Errorf("comments %+v %v", cs, err)
	}
}

// testUndoAfterIDReuse: a span deleted in one document, then a span added
// in another, then undo in the first: the span comes back, under its id,
// and the other document's span is untouched (ids are never given twice).
func testUndoAfterIDReuse(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	a := AddDoc(t, s, "a", "ستيف ويتكوف في واشنطن")
	b := AddDoc(t, s, "b", "ترامب في ألاسكا")
	sp, err := s.AddSpan(ctx, annotate.Span{DocID: a, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSpans(ctx, a, "amina", sp.ID); err != nil {
		t.Fatal(err)
	}
	other, err := s.AddSpan(ctx, annotate.Span{DocID: b, Layer: "amina", Start: 0, End: 5, Label: "PERSON"})
	if err != nil {
		t.Fatal(err)
	}
	if other.ID == sp.ID {
		t.Errorf("the id of a deleted span (%d) was given again", sp.ID)
	}
	for i := range 2 {
		if _, err := s.Undo(ctx, "amina", a); err != nil {
			t.Fatalf("undo %d in the first document: %v", i, err)
		}
		if _, err := s.Redo(ctx, "amina", a); err != nil {
			t.Fatalf("redo %d: %v", i, err)
		}
		if _, err := s.Undo(ctx, "amina", a); err != nil {
			t.Fatalf("undo %d again: %v", i, err)
		}
		got, _ := s.Spans(ctx, a, "amina")
		if len(got) != 1 || got[0].ID != sp.ID {
			t.Errorf("after undoing the delete: %+v, want span %d back", got, sp.ID)
		}
		if _, err := s.Redo(ctx, "amina", a); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = open("p")
	}
	if got, _ := s.Spans(ctx, b, "amina"); len(got) != 1 || got[0].ID != other.ID {
		t.Errorf("the other document's spans: %+v", got)
	}
}

// testImportEndsUndo: annotations imported into a layer's document end
// what could be undone there, so that undo never takes back the import's
// status (or spans) without saying so.
func testImportEndsUndo(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "a", "ستيف ويتكوف في واشنطن")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 4, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ai.Add(doc, "amina", []annotate.Span{{Start: 15, End: 21, Label: "PLACE"}}, annotate.Done); err != nil {
		t.Fatal(err)
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "amina", doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("undo after an import: %v, want nothing to undo", err)
	}
	if st, _, _ := s.Status(ctx, doc, "amina"); st != annotate.Done {
		t.Errorf("status %s after undo, want the imported done", st)
	}
	if got, _ := s.Spans(ctx, doc, "amina"); len(got) != 2 {
		t.Errorf("spans %+v, want both", got)
	}
}
