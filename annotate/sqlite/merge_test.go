package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func project(t *testing.T, name string, work func(s *Store, doc func(text string) int64)) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), name+Ext))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	work(s, func(text string) int64 {
		ai, _ := s.NewAnnotationImporter(context.Background())
		d, _, err := ai.Document(annotate.NewDocument("n", text, nil))
		if err != nil {
			t.Fatal(err)
		}
		ai.Close()
		return d.ID
	})
	return s
}

func layerSummary(t *testing.T, s *Store, layer string) []string {
	t.Helper()
	var out []string
	err := s.EachDocument(context.Background(), []string{layer}, true, func(d *annotate.AnnotatedDoc) error {
		ld, ok := d.Layers[layer]
		if !ok {
			return nil
		}
		out = append(out, d.Text+"/"+string(ld.Status))
		for _, sp := range ld.Spans {
			out = append(out, sp.Label+":"+string([]rune(d.Text)[sp.Start:sp.End]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMerge(t *testing.T) {
	ctx := context.Background()
	const shared, onlyA = "ستيف ويتكوف في واشنطن", "ترامب في ألاسكا"
	a := project(t, "a", func(s *Store, doc func(string) int64) {
		d1, d2 := doc(shared), doc(onlyA)
		s.AddSpan(ctx, annotate.Span{DocID: d1, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
		s.SetStatus(ctx, d1, "amina", annotate.Done)
		s.AddLabel(ctx, annotate.Label{Name: "ORG", Hotkey: "4"})
		s.AddSpan(ctx, annotate.Span{DocID: d2, Layer: "amina", Start: 9, End: 15, Label: "ORG"})
		s.SetFlag(ctx, d2, "amina", true)
		s.AddComment(ctx, annotate.Comment{DocID: d2, Layer: "amina", Text: "ORG?"})
	})
	b := project(t, "b", func(s *Store, doc func(string) int64) {
		d1 := doc(shared)
		s.AddSpan(ctx, annotate.Span{DocID: d1, Layer: "bilal", Start: 15, End: 21, Label: "PLACE"})
		s.SetStatus(ctx, d1, "bilal", annotate.Done)
	})
	review := project(t, "review", func(s *Store, doc func(string) int64) { doc(shared) })

	sum, err := review.Merge(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 1 || !reflect.DeepEqual(sum.Layers, []string{"amina"}) || sum.Spans != 2 || sum.Comments != 1 || !reflect.DeepEqual(sum.Labels, []string{"ORG"}) {
		t.Errorf("merge a: %+v", sum)
	}
	if _, err := review.Merge(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{shared + "/done", "PERSON:ستيف ويتكوف", onlyA + "/in_progress", "ORG:ألاسكا"}
	if got := layerSummary(t, review, "amina"); !reflect.DeepEqual(got, want) {
		t.Errorf("amina after merge %q, want %q", got, want)
	}
	if got := layerSummary(t, review, "bilal"); !reflect.DeepEqual(got, []string{shared + "/done", "PLACE:واشنطن"}) {
		t.Errorf("bilal after merge %q", got)
	}
	docB, _ := review.DocumentByHash(ctx, annotate.Hash(onlyA))
	if _, flagged, _ := review.Status(ctx, docB.ID, "amina"); !flagged {
		t.Error("flag lost")
	}
	if cs, _ := review.Comments(ctx, docB.ID); len(cs) != 1 || cs[0].Text != "ORG?" {
		t.Errorf("comments %+v", cs)
	}

	// Merging again changes nothing.
	before, _ := layerDigest(ctx, review.db, "amina")
	sum, err = review.Merge(ctx, a, nil)
	if err != nil || len(sum.Layers) != 0 || sum.Spans != 0 || !reflect.DeepEqual(sum.Unchanged, []string{"amina"}) {
		t.Errorf("second merge: %+v %v", sum, err)
	}
	if after, _ := layerDigest(ctx, review.db, "amina"); after != before {
		t.Error("second merge changed the layer")
	}

	// amina worked on: the same name with other content is refused, whole.
	d1, _ := a.DocumentByHash(ctx, annotate.Hash(shared))
	a.AddSpan(ctx, annotate.Span{DocID: d1.ID, Layer: "amina", Start: 15, End: 21, Label: "PLACE"})
	a.AddSpan(ctx, annotate.Span{DocID: d1.ID, Layer: "karim", Start: 15, End: 21, Label: "PLACE"})
	_, err = review.Merge(ctx, a, nil)
	var conflict *MergeConflictError
	if !errors.As(err, &conflict) || !reflect.DeepEqual(conflict.Layers, []string{"amina"}) {
		t.Fatalf("conflict: %v", err)
	}
	if got := layerSummary(t, review, "karim"); got != nil {
		t.Errorf("a refused merge wrote karim: %q", got)
	}
	// --as brings it in under another name.
	sum, err = review.Merge(ctx, a, map[string]string{"amina": "amina-2"})
	if err != nil || !reflect.DeepEqual(sum.Layers, []string{"amina-2", "karim"}) {
		t.Fatalf("merge with rename: %+v %v", sum, err)
	}
	if got := layerSummary(t, review, "amina"); !reflect.DeepEqual(got, want) {
		t.Errorf("amina overwritten: %q", got)
	}
	if _, err := review.Merge(ctx, a, map[string]string{"nobody": "x"}); err == nil {
		t.Error("renaming a missing layer accepted")
	}
	if _, err := review.Merge(ctx, a, map[string]string{"amina": annotate.Gold}); err == nil {
		t.Error("an annotator layer renamed to gold")
	}
}
