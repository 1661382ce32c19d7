package sqlite

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestAnnotationImportAndEachDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	existing := addDoc(t, s, "old", "ستيف ويتكوف في واشنطن")

	imp := func() (newDocs, newSpans int) {
		t.Helper()
		ai, err := s.NewAnnotationImporter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		d, added, err := ai.Document(annotate.NewDocument("x", "ستيف ويتكوف في واشنطن", nil))
		if err != nil || d.ID != existing {
			t.Fatalf("matched %+v %v", d, err)
		}
		if added {
			newDocs++
		}
		n, err := ai.Add(d.ID, "model", []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}, {Start: 15, End: 21, Label: "PLACE"}}, annotate.Done)
		if err != nil {
			t.Fatal(err)
		}
		newSpans += n
		d2, added, err := ai.Document(annotate.NewDocument("new", "Allen Edmonds", nil))
		if err != nil {
			t.Fatal(err)
		}
		if added {
			newDocs++
		}
		n, err = ai.Add(d2.ID, annotate.Suggestion, []annotate.Span{{Start: 0, End: 13, Label: "PERSON", Origin: annotate.Suggested}}, "")
		if err != nil {
			t.Fatal(err)
		}
		newSpans += n
		if err := ai.AddLabel("BRAND"); err != nil && !isUniqueViolation(err) && newDocs > 0 {
			t.Fatal(err)
		}
		if _, err := ai.Add(d2.ID, "model", []annotate.Span{{Start: 0, End: 5, Label: "NOPE"}}, ""); !errors.Is(err, annotate.ErrUnknownLabel) {
			t.Errorf("unknown label: %v", err)
		}
		if err := ai.Close(); err != nil {
			t.Fatal(err)
		}
		return newDocs, newSpans
	}
	if d, sp := imp(); d != 1 || sp != 3 {
		t.Errorf("first import: %d docs, %d spans", d, sp)
	}
	if d, sp := imp(); d != 0 || sp != 0 {
		t.Errorf("second import added %d docs, %d spans", d, sp)
	}
	if _, ok := mustLabels(t, s).Find("BRAND"); !ok {
		t.Error("label added during import is missing")
	}
	if st, _, _ := s.Status(ctx, existing, "model"); st != annotate.Done {
		t.Errorf("status %s", st)
	}

	var got []string
	err := s.EachDocument(ctx, []string{"model"}, true, func(d *annotate.AnnotatedDoc) error {
		got = append(got, d.Name+"/"+string(d.Layer("model").Status))
		for _, sp := range d.Layer("model").Spans {
			got = append(got, sp.Label+":"+string([]rune(d.Text)[sp.Start:sp.End]))
		}
		if _, ok := d.Layers[annotate.Suggestion]; ok {
			t.Error("a layer not asked for was read")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"old/done", "PERSON:ستيف ويتكوف", "PLACE:واشنطن", "new/todo"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EachDocument %q, want %q", got, want)
	}
}

func TestEachDocumentPages(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	im := s.NewImporter(ctx)
	for i := range 1300 {
		if _, _, err := im.Add(annotate.NewDocument("d", string(rune(0x600+i%200))+string(rune('a'+i%26))+string(rune(0x4e00+i)), nil)); err != nil {
			t.Fatal(err)
		}
	}
	im.Close()
	n, last := 0, int64(0)
	err := s.EachDocument(ctx, nil, false, func(d *annotate.AnnotatedDoc) error {
		if d.ID <= last || d.Text != "" {
			t.Fatalf("doc %d after %d, text %q", d.ID, last, d.Text)
		}
		last = d.ID
		n++
		return nil
	})
	if err != nil || n != 1300 {
		t.Errorf("%d documents, err %v", n, err)
	}
}

func mustLabels(t *testing.T, s *Store) annotate.LabelSet {
	l, err := s.Labels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l
}
