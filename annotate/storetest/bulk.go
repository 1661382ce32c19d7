package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func testAnnotationImportAndEachDocument(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	existing := AddDoc(t, s, "old", "ستيف ويتكوف في واشنطن")

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
		if err := ai.AddLabel("BRAND"); err != nil && newDocs > 0 {
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
	err := s.EachDocument(ctx, []string{"model"}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
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

func testEachDocumentPages(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	im := newImporter(t, s)
	for i := range 1300 {
		if _, _, err := im.Add(annotate.NewDocument("d", string(rune(0x600+i%200))+string(rune('a'+i%26))+string(rune(0x4e00+i)), nil)); err != nil {
			t.Fatal(err)
		}
	}
	im.Close()
	n, last := 0, int64(0)
	err := s.EachDocument(ctx, nil, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
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

func mustLabels(t *testing.T, s annotate.Store) annotate.LabelSet {
	l, err := s.Labels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func testMerge(t *testing.T, open Opener) {
	ctx := context.Background()
	const shared, onlyA = "ستيف ويتكوف في واشنطن", "ترامب في ألاسكا"
	a := project(t, open, "a", func(s annotate.Store, doc func(string) int64) {
		d1, d2 := doc(shared), doc(onlyA)
		s.AddSpan(ctx, annotate.Span{DocID: d1, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
		s.SetStatus(ctx, d1, "amina", annotate.Done)
		s.AddLabel(ctx, annotate.Label{Name: "ORG", Hotkey: "4"})
		s.AddSpan(ctx, annotate.Span{DocID: d2, Layer: "amina", Start: 9, End: 15, Label: "ORG"})
		s.SetFlag(ctx, d2, "amina", true)
		s.AddComment(ctx, annotate.Comment{DocID: d2, Layer: "amina", Text: "ORG?"})
	})
	b := project(t, open, "b", func(s annotate.Store, doc func(string) int64) {
		d1 := doc(shared)
		s.AddSpan(ctx, annotate.Span{DocID: d1, Layer: "bilal", Start: 15, End: 21, Label: "PLACE"})
		s.SetStatus(ctx, d1, "bilal", annotate.Done)
	})
	review := project(t, open, "review", func(s annotate.Store, doc func(string) int64) { doc(shared) })

	sum, err := annotate.Merge(ctx, review, a, "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 1 || !reflect.DeepEqual(sum.Layers, []string{"amina"}) || sum.Spans != 2 || sum.Comments != 1 || !reflect.DeepEqual(sum.Labels, []string{"ORG"}) {
		t.Errorf("merge a: %+v", sum)
	}
	if _, err := annotate.Merge(ctx, review, b, "b", nil); err != nil {
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
	before, _ := annotate.LayerDigest(ctx, review, "amina")
	sum, err = annotate.Merge(ctx, review, a, "a", nil)
	if err != nil || len(sum.Layers) != 0 || sum.Spans != 0 || !reflect.DeepEqual(sum.Unchanged, []string{"amina"}) {
		t.Errorf("second merge: %+v %v", sum, err)
	}
	if after, _ := annotate.LayerDigest(ctx, review, "amina"); after != before {
		t.Error("second merge changed the layer")
	}

	// amina worked on: the same name with other content is refused, whole.
	d1, _ := a.DocumentByHash(ctx, annotate.Hash(shared))
	a.AddSpan(ctx, annotate.Span{DocID: d1.ID, Layer: "amina", Start: 15, End: 21, Label: "PLACE"})
	a.AddSpan(ctx, annotate.Span{DocID: d1.ID, Layer: "karim", Start: 15, End: 21, Label: "PLACE"})
	_, err = annotate.Merge(ctx, review, a, "a", nil)
	var conflict *annotate.MergeConflictError
	if !errors.As(err, &conflict) || !reflect.DeepEqual(conflict.Layers, []string{"amina"}) {
		t.Fatalf("conflict: %v", err)
	}
	if got := layerSummary(t, review, "karim"); got != nil {
		t.Errorf("a refused merge wrote karim: %q", got)
	}
	// --as brings it in under another name.
	sum, err = annotate.Merge(ctx, review, a, "a", map[string]string{"amina": "amina-2"})
	if err != nil || !reflect.DeepEqual(sum.Layers, []string{"amina-2", "karim"}) {
		t.Fatalf("merge with rename: %+v %v", sum, err)
	}
	if got := layerSummary(t, review, "amina"); !reflect.DeepEqual(got, want) {
		t.Errorf("amina overwritten: %q", got)
	}
	if _, err := annotate.Merge(ctx, review, a, "a", map[string]string{"nobody": "x"}); err == nil {
		t.Error("renaming a missing layer accepted")
	}
	if _, err := annotate.Merge(ctx, review, a, "a", map[string]string{"amina": annotate.Gold}); err == nil {
		t.Error("an annotator layer renamed to gold")
	}
}

// testEachDocumentMatchesReads: what EachDocument gives for a document is
// what the one-document reads give (spans in order with their ids and
// origins, every status, flag, comments, meta), with and without the
// text, with a label renamed in the meantime under its new name; fn's
// error stops it and comes back, and so does a cancelled context.
func testEachDocumentMatchesReads(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	im := newImporter(t, s)
	var ids []int64
	for i := range 700 { // more than a page
		d := annotate.NewDocument(fmt.Sprint("d", i), fmt.Sprintf("ستيف ويتكوف في واشنطن %d مرة", i), json.RawMessage(`{"n":`+fmt.Sprint(i)+`}`))
		id, _, err := im.Add(d)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	for k, id := range ids {
		if k%3 == 0 {
			continue
		}
		// Added out of order, so that reading in id order is not enough.
		for _, sp := range []annotate.Span{{Start: 15, End: 21, Label: "PLACE"}, {Start: 0, End: 11, Label: "PERSON"}, {Start: 0, End: 4, Label: "PERSON", Origin: annotate.Propagated}} {
			sp.DocID, sp.Layer = id, "amina"
			if k%2 == 0 && sp.Start == 0 && sp.End == 4 {
				continue
			}
			if _, err := s.AddSpan(ctx, sp); err != nil && !errors.Is(err, annotate.ErrOverlap) {
				t.Fatal(err)
			}
		}
		if k%5 == 0 {
			s.SetStatus(ctx, id, "amina", annotate.Statuses[k/5%len(annotate.Statuses)])
			s.SetFlag(ctx, id, "bilal", true)
			s.AddComment(ctx, annotate.Comment{DocID: id, Layer: "bilal", Text: "؟"})
		}
	}
	if err := s.RenameLabel(ctx, "PLACE", "GPE"); err != nil {
		t.Fatal(err)
	}
	for _, read := range []annotate.Reading{annotate.ReadText, annotate.ReadSpans, annotate.ReadKeys, annotate.ReadKeys | annotate.ReadText} {
		eachDocumentMatchesReads(t, s, read, len(ids))
	}

	stop := errors.New("enough")
	n := 0
	err := s.EachDocument(ctx, nil, annotate.ReadSpans, func(*annotate.AnnotatedDoc) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("stopped after %d with %v, want 3 and %v", n, err, stop)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = s.EachDocument(cctx, nil, annotate.ReadSpans, func(*annotate.AnnotatedDoc) error {
		if n++; n == 1 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= len(ids) {
		t.Errorf("cancelled: %d documents, err %v", n, err)
	}
}

// eachDocumentMatchesReads checks that EachDocument, reading read, gives
// for each of the count documents of s what the one-document reads give.
func eachDocumentMatchesReads(t *testing.T, s annotate.Store, read annotate.Reading, count int) {
	ctx := context.Background()
	n := 0
	withText := read&annotate.ReadText != 0
	err := s.EachDocument(ctx, nil, read, func(d *annotate.AnnotatedDoc) error {
		doc, err := s.Document(ctx, d.ID)
		if err != nil {
			return err
		}
		if !withText {
			doc.Text = ""
		}
		if d.ID != doc.ID || d.Name != doc.Name || d.Text != doc.Text || d.SHA256 != doc.SHA256 || d.Length != doc.Length || string(d.Meta) != string(doc.Meta) {
			t.Errorf("reading %b, document %d: %+v, want %+v", read, d.ID, d.Document, doc)
		}
		comments, err := s.Comments(ctx, d.ID)
		if err != nil {
			return err
		}
		for _, layer := range []string{"amina", "bilal"} {
			got := d.Layer(layer)
			spans, err := s.Spans(ctx, d.ID, layer)
			if err != nil {
				return err
			}
			st, flagged, err := s.Status(ctx, d.ID, layer)
			if err != nil {
				return err
			}
			measuring := read&annotate.ReadKeys != 0
			if measuring {
				// A measure's reading: the status and the keys alone.
				flagged = false
				if got.Comments != nil || !got.Updated.IsZero() {
					t.Errorf("reading %b, document %d, %s: comments %v and time %v, want neither", read, d.ID, layer, got.Comments, got.Updated)
				}
				var want []annotate.SpanKey
				for _, sp := range spans {
					want = append(want, sp.Key())
				}
				if got.Spans != nil || !sameKeys(got.Keys, want) {
					t.Errorf("document %d, %s: keys %+v and spans %+v, want keys %+v", d.ID, layer, got.Keys, got.Spans, want)
				}
			} else {
				if _, set := d.Layers[layer]; set && st != annotate.Todo && got.Updated.IsZero() {
					t.Errorf("reading %b, document %d, %s: status %s set at no time", read, d.ID, layer, got.Status)
				}
				if len(got.Spans) != len(spans) || (len(spans) > 0 && !reflect.DeepEqual(got.Spans, spans)) || got.Keys != nil {
					t.Errorf("document %d, %s: spans %+v, want %+v", d.ID, layer, got.Spans, spans)
				}
			}
			for _, sp := range got.Spans {
				if sp.Label == "PLACE" {
					t.Errorf("document %d: a span still labelled PLACE after the rename", d.ID)
				}
			}
			if got.Status != st || got.Flagged != flagged {
				t.Errorf("document %d, %s: %s flagged %v, want %s flagged %v", d.ID, layer, got.Status, got.Flagged, st, flagged)
			}
			var want []string
			for _, c := range comments {
				if c.Layer == layer && !measuring {
					want = append(want, c.Text)
				}
			}
			var have []string
			for _, c := range got.Comments {
				have = append(have, c.Text)
				if c.DocID != d.ID || c.Layer != layer {
					t.Errorf("document %d, %s: a comment of document %d, %s", d.ID, layer, c.DocID, c.Layer)
				}
			}
			if !reflect.DeepEqual(have, want) {
				t.Errorf("document %d, %s: comments %q, want %q", d.ID, layer, have, want)
			}
		}
		n++
		return nil
	})
	if err != nil || n != count {
		t.Fatalf("reading %b: %d documents, err %v", read, n, err)
	}
}

// sameKeys reports whether got holds want's keys in text order (start,
// then end; keys of one range in any order).
func sameKeys(got, want []annotate.SpanKey) bool {
	if len(got) != len(want) {
		return false
	}
	for i := 1; i < len(got); i++ {
		if a, b := got[i-1], got[i]; a.Start > b.Start || a.Start == b.Start && a.End > b.End {
			return false
		}
	}
	return slices.Equal(slices.SortedFunc(slices.Values(got), annotate.CompareKeys), slices.SortedFunc(slices.Values(want), annotate.CompareKeys))
}
