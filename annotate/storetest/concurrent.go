package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// testConcurrentEdits edits one document at once from two stores opened
// on one project (two windows of one annotator, and another annotator
// beside them): no edit is lost, the same span twice is stored once, and
// undo walks every edit back, per layer.
func testConcurrentEdits(t *testing.T, open Opener) {
	ctx := context.Background()
	a := open("p")
	doc := AddDoc(t, a, "d", "ستيف ويتكوف في واشنطن يوم الجمعة مع الرئيس الأمريكي دونالد ترامب")
	b := open("p")
	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, 4*each+2)
	for w, s := range []annotate.Store{a, b, a, b} {
		layer := "amina" // two windows of one annotator...
		if w == 3 {
			layer = "karim" // ... and another annotator
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				start := w*each + i
				if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: layer, Start: start, End: start + 1, Label: "PERSON"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	// The same span from both windows at once: stored once.
	same := make(chan error, 2)
	for _, s := range []annotate.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 5, Label: "EVENT"})
			same <- err
		}()
	}
	wg.Wait()
	close(errs)
	close(same)
	for err := range errs {
		t.Error(err)
	}
	var ok, refused int
	for err := range same {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, annotate.ErrOverlap):
			refused++
		default:
			t.Error(err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Errorf("the same span from two windows: %d stored, %d refused; want 1 and 1", ok, refused)
	}
	count := func(s annotate.Store, layer string) int {
		t.Helper()
		sp, err := s.Spans(ctx, doc, layer)
		if err != nil {
			t.Fatal(err)
		}
		return len(sp)
	}
	if n := count(a, "amina"); n != 3*each+1 {
		t.Errorf("amina has %d spans, want %d", n, 3*each+1)
	}
	if n := count(b, "karim"); n != each {
		t.Errorf("karim has %d spans, want %d", n, each)
	}
	// Undo from either window walks amina's edits back, all of them.
	for i := range 3*each + 1 {
		s := []annotate.Store{a, b}[i%2]
		if _, err := s.Undo(ctx, "amina", doc); err != nil {
			t.Fatalf("undo %d: %v", i, err)
		}
	}
	if _, err := a.Undo(ctx, "amina", doc); !errors.Is(err, annotate.ErrNothingToUndo) {
		t.Errorf("undo past amina's edits: %v", err)
	}
	if n := count(b, "amina"); n != 0 {
		t.Errorf("amina has %d spans after undoing everything", n)
	}
	if n := count(a, "karim"); n != each {
		t.Errorf("karim has %d spans after amina's undos, want %d", n, each)
	}
}
