package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// suggest stores spans in a suggestion layer on a document.
func suggest(t *testing.T, s annotate.Store, doc int64, layer string, spans ...annotate.Span) {
	t.Helper()
	ai, err := s.NewAnnotationImporter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ai.Add(doc, layer, spans, ""); err != nil {
		t.Fatal(err)
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
}

// openStarts lists the starts of the suggestions open for layer.
func openStarts(t *testing.T, s annotate.Store, doc int64, layer string) []int {
	t.Helper()
	sg, err := s.Suggestions(context.Background(), doc, layer)
	if err != nil {
		t.Fatal(err)
	}
	var starts []int
	for _, sp := range sg {
		starts = append(starts, sp.Start)
	}
	return starts
}

func testSuggestions(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "a", "زار الرئيس تونس أمس مع الوزير.")
	suggest(t, s, doc, annotate.Suggestion,
		annotate.Span{Start: 11, End: 15, Label: "PLACE"}, annotate.Span{Start: 4, End: 10, Label: "PERSON"}, annotate.Span{Start: 23, End: 29, Label: "PERSON"})
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{4, 11, 23}) {
		t.Fatalf("open suggestions %v", got)
	}
	sg, _ := s.Suggestions(ctx, doc, "ann")
	if sg[0].Layer != annotate.Suggestion {
		t.Errorf("a suggestion's layer is %q", sg[0].Layer)
	}
	added, err := s.AcceptSuggestions(ctx, doc, "ann", "", sg[1].ID)
	if err != nil || len(added) != 1 || added[0].Origin != annotate.Suggested || added[0].Label != "PLACE" {
		t.Fatalf("accept: %v %v", added, err)
	}
	if err := s.RejectSuggestions(ctx, doc, "ann", sg[2].ID); err != nil {
		t.Fatal(err)
	}
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{4}) {
		t.Errorf("after accepting 11 and rejecting 23: %v", got)
	}
	if got := openStarts(t, s, doc, "other"); !reflect.DeepEqual(got, []int{4, 11, 23}) {
		t.Errorf("another annotator sees %v", got)
	}
	rej, err := s.RejectedSuggestions(ctx, doc, "ann")
	if err != nil || len(rej) != 1 || rej[0].ID != sg[2].ID || rej[0].Label != "PERSON" || rej[0].DocID != doc || rej[0].Layer != annotate.Suggestion {
		t.Errorf("rejected: %+v %v", rej, err)
	}
	// Undo takes the rejection back, then the accept.
	for _, want := range [][]int{{4, 23}, {4, 11, 23}} {
		if _, err := s.Undo(ctx, "ann", doc); err != nil {
			t.Fatal(err)
		}
		if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, want) {
			t.Errorf("after undo: %v, want %v", got, want)
		}
	}
	// Accept with another label; accept all.
	if added, err := s.AcceptSuggestions(ctx, doc, "ann", "EVENT", sg[0].ID, sg[1].ID); err != nil || len(added) != 2 || added[0].Label != "EVENT" {
		t.Errorf("accept all as EVENT: %v %v", added, err)
	}
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{4, 11, 23}) {
		t.Errorf("relabelled accepts leave the suggestions open: %v", got)
	}
	if err := s.RejectSuggestions(ctx, doc, "ann", 999); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("reject a missing suggestion: %v", err)
	}
	if _, err := s.AcceptSuggestions(ctx, doc, "ann", "", 999); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("accept a missing suggestion: %v", err)
	}
}

// testRejectUndo: rejecting and restoring are edits of the annotator's
// layer, undone and redone like any other, after a restart too.
func testRejectUndo(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "a", "زار الرئيس تونس أمس مع الوزير.")
	other := AddDoc(t, s, "b", "وصل الوزير إلى تونس.")
	suggest(t, s, doc, annotate.Suggestion, annotate.Span{Start: 4, End: 10, Label: "PERSON"}, annotate.Span{Start: 11, End: 15, Label: "PLACE"})
	suggest(t, s, other, annotate.Suggestion, annotate.Span{Start: 15, End: 19, Label: "PLACE"})
	sg, _ := s.Suggestions(ctx, doc, "ann")
	sgOther, _ := s.Suggestions(ctx, other, "ann")
	if err := s.RejectSuggestions(ctx, doc, "ann", sg[0].ID, sg[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RejectSuggestions(ctx, other, "ann", sgOther[0].ID); err != nil {
		t.Fatal(err)
	}
	// Rejecting again changes nothing and logs nothing.
	if err := s.RejectSuggestions(ctx, doc, "ann", sg[0].ID); err != nil {
		t.Fatal(err)
	}
	all, err := s.RejectedSuggestions(ctx, 0, "ann")
	if err != nil || len(all) != 3 || all[0].DocID != doc || all[2].DocID != other {
		t.Fatalf("rejected in the project: %+v %v", all, err)
	}
	s.Close()
	s = open("p")
	ed, err := s.Undo(ctx, "ann", doc)
	if err != nil || ed.Kind != "reject suggestions" {
		t.Fatalf("undo after a restart: %+v %v", ed, err)
	}
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{4, 11}) {
		t.Errorf("after undoing the rejection: %v", got)
	}
	if _, err := s.Redo(ctx, "ann", doc); err != nil {
		t.Fatal(err)
	}
	if got := openStarts(t, s, doc, "ann"); got != nil {
		t.Errorf("after redoing it: %v", got)
	}
	// Restoring is an edit too.
	n, err := s.RestoreSuggestions(ctx, doc, "ann", sg[1].ID)
	if err != nil || n != 1 {
		t.Fatalf("restore one: %d %v", n, err)
	}
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{11}) {
		t.Errorf("after restoring one: %v", got)
	}
	if n, err := s.RestoreSuggestions(ctx, doc, "ann"); err != nil || n != 1 {
		t.Errorf("restore the rest: %d %v", n, err)
	}
	if _, err := s.Undo(ctx, "ann", doc); err != nil {
		t.Fatal(err)
	}
	if got := openStarts(t, s, doc, "ann"); !reflect.DeepEqual(got, []int{11}) {
		t.Errorf("after undoing the second restore: %v", got)
	}
	if got := openStarts(t, s, other, "ann"); got != nil {
		t.Errorf("the other document's rejection stays: %v", got)
	}
	// A rejection whose suggestion is gone is not brought back by undo.
	if _, err := s.Undo(ctx, "ann", doc); err != nil { // the first restore: rejected again
		t.Fatal(err)
	}
	if err := s.Edit(ctx, annotate.Suggestion, doc, "drop", func(e annotate.LayerEdit) error { return e.Delete(sg[1].ID) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, "ann", doc); err != nil { // the rejection itself
		t.Fatal(err)
	}
	if _, err := s.Redo(ctx, "ann", doc); err != nil {
		t.Fatalf("redo a rejection whose suggestion is gone: %v", err)
	}
	rej, _ := s.RejectedSuggestions(ctx, doc, "ann")
	if len(rej) != 1 || rej[0].ID != sg[0].ID {
		t.Errorf("rejected after the suggestion went: %+v", rej)
	}
}

// testOwnSuggestions: an annotator's own suggestion layer is shown to
// them and to nobody else.
func testOwnSuggestions(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	doc := AddDoc(t, s, "a", "زار الرئيس تونس أمس مع الوزير.")
	own := annotate.OwnSuggestions("amina")
	if annotate.KindOf(own) != annotate.SuggestionLayer {
		t.Fatalf("kind of %s: %s", own, annotate.KindOf(own))
	}
	suggest(t, s, doc, annotate.Suggestion, annotate.Span{Start: 4, End: 10, Label: "PERSON"})
	suggest(t, s, doc, own, annotate.Span{Start: 11, End: 15, Label: "PLACE"}, annotate.Span{Start: 4, End: 10, Label: "PERSON"})
	sg, err := s.Suggestions(ctx, doc, "amina")
	if err != nil || len(sg) != 3 || sg[0].Start != 4 || sg[2].Layer != own {
		t.Fatalf("amina's suggestions: %+v %v", sg, err)
	}
	if got := openStarts(t, s, doc, "bilal"); !reflect.DeepEqual(got, []int{4}) {
		t.Errorf("bilal sees %v", got)
	}
	if err := s.RejectSuggestions(ctx, doc, "bilal", sg[2].ID); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("bilal rejects amina's own suggestion: %v", err)
	}
	if err := s.RejectSuggestions(ctx, doc, "amina", sg[2].ID); err != nil {
		t.Fatal(err)
	}
	if got := openStarts(t, s, doc, "amina"); !reflect.DeepEqual(got, []int{4, 4}) {
		t.Errorf("after rejecting her own: %v", got)
	}
	// The same range and label from two suggestion layers: accepting both
	// makes one span.
	sg, _ = s.Suggestions(ctx, doc, "amina")
	if added, err := s.AcceptSuggestions(ctx, doc, "amina", "", sg[0].ID, sg[1].ID); err != nil || len(added) != 1 {
		t.Errorf("accept twins: %v %v", added, err)
	}
	if got := openStarts(t, s, doc, "amina"); got != nil {
		t.Errorf("after accepting the twins: %v", got)
	}
	layers, err := s.Layers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		if l.Name == own && l.Kind != annotate.SuggestionLayer {
			t.Errorf("layer %s listed as %s", l.Name, l.Kind)
		}
	}
}

func testSettings(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	if v, err := s.Setting(ctx, "suggest.learn"); v != "" || err != nil {
		t.Fatalf("unset setting: %q %v", v, err)
	}
	if err := s.SetSetting(ctx, "suggest.learn", "off"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "allow_overlap", "no"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AllowOverlap(ctx); !ok || err != nil {
		t.Errorf("a domain setting changed the store's own: %v %v", ok, err)
	}
	s.Close()
	s = open("p")
	if v, _ := s.Setting(ctx, "suggest.learn"); v != "off" {
		t.Errorf("after reopening: %q", v)
	}
	if err := s.SetSetting(ctx, "suggest.learn", ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Setting(ctx, "suggest.learn"); v != "" {
		t.Errorf("after removing: %q", v)
	}
}
