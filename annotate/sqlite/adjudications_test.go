package sqlite

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestSettle(t *testing.T) {
	ctx := context.Background()
	const text = "ستيف ويتكوف في واشنطن"
	person := annotate.Span{Start: 0, End: 11, Label: "PERSON"}
	first := annotate.Span{Start: 0, End: 4, Label: "PERSON"}
	place := annotate.Span{Start: 15, End: 21, Label: "PLACE"}
	for _, c := range []struct {
		name      string
		gold      []annotate.Span // before
		decisions []Decision
		finish    bool
		want      []string // gold afterwards, as layerSummary writes it
		settled   []Stretch
		err       error
	}{
		{
			name:      "accept one side",
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف"},
			settled:   []Stretch{{0, 11}},
		},
		{
			name:      "spans of another layer are copied",
			gold:      []annotate.Span{place},
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{{ID: 1, Start: 0, End: 11, Label: "PERSON", Layer: "amina"}}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []Stretch{{0, 11}},
		},
		{
			name:      "replace what gold had there, keep the rest",
			gold:      []annotate.Span{first, place},
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []Stretch{{0, 11}},
		},
		{
			name:      "accept the side that marked nothing",
			gold:      []annotate.Span{first, place},
			decisions: []Decision{{Start: 15, End: 21}},
			want:      []string{text + "/in_progress", "PERSON:ستيف"},
			settled:   []Stretch{{15, 21}},
		},
		{
			name:      "several stretches at once, and done",
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}, {Start: 15, End: 21, Spans: []annotate.Span{place}}},
			finish:    true,
			want:      []string{text + "/done", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []Stretch{{0, 11}, {15, 21}},
		},
		{
			name:      "a span beyond its stretch widens it",
			decisions: []Decision{{Start: 0, End: 4, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف"},
			settled:   []Stretch{{0, 11}},
		},
		{
			name:      "union with a duplicate",
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{person, first, person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف", "PERSON:ستيف ويتكوف"},
			settled:   []Stretch{{0, 11}},
		},
		{
			name:      "an unknown label changes nothing",
			gold:      []annotate.Span{first},
			decisions: []Decision{{Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "ORG"}}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف"},
			err:       annotate.ErrUnknownLabel,
		},
		{
			name:      "a stretch outside the text changes nothing",
			decisions: []Decision{{Start: 15, End: 99}},
			err:       annotate.ErrSpanRange,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := openTemp(t)
			doc := addDoc(t, s, "d", text)
			for _, sp := range c.gold {
				sp.DocID, sp.Layer = doc, annotate.Gold
				if _, err := s.AddSpan(ctx, sp); err != nil {
					t.Fatal(err)
				}
			}
			err := s.Settle(ctx, doc, c.decisions, c.finish)
			if !errors.Is(err, c.err) {
				t.Fatalf("Settle: %v, want %v", err, c.err)
			}
			if got := layerSummary(t, s, annotate.Gold); !reflect.DeepEqual(got, c.want) {
				t.Errorf("gold %q, want %q", got, c.want)
			}
			got, err := s.Settled(ctx, doc)
			if err != nil || !reflect.DeepEqual(got, c.settled) {
				t.Errorf("settled %v (%v), want %v", got, err, c.settled)
			}
		})
	}
}

// TestSettleUndo checks that a decision, its spans, its status and its
// stretch go and come back together with Undo and Redo.
func TestSettleUndo(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	const text = "ستيف ويتكوف في واشنطن"
	doc := addDoc(t, s, "d", text)
	other := addDoc(t, s, "e", "ترامب في ألاسكا")
	if err := s.Settle(ctx, doc, []Decision{{Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}}}, false); err != nil {
		t.Fatal(err)
	}
	ids := func() []int64 {
		sp, _ := s.Spans(ctx, doc, annotate.Gold)
		var out []int64
		for _, x := range sp {
			out = append(out, x.ID)
		}
		return out
	}
	before := ids()
	// Settling the same stretch the same way again keeps the span (and
	// its id), and is its own edit.
	if err := s.Settle(ctx, doc, []Decision{{Start: 15, End: 21}, {Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}}}, true); err != nil {
		t.Fatal(err)
	}
	if got := ids(); !reflect.DeepEqual(got, before) {
		t.Errorf("span ids %v after settling again, want %v", got, before)
	}
	if err := s.Settle(ctx, other, []Decision{{Start: 0, End: 5, Spans: []annotate.Span{{Start: 0, End: 5, Label: "PERSON"}}}}, false); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllSettled(ctx)
	if want := map[int64][]Stretch{doc: {{0, 11}, {15, 21}}, other: {{0, 5}}}; err != nil || !reflect.DeepEqual(all, want) {
		t.Errorf("all settled %v (%v), want %v", all, err, want)
	}

	steps := []struct {
		do      func() error
		status  annotate.Status
		settled []Stretch
	}{
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []Stretch{{0, 11}}},
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.Todo, nil},
		{func() error { _, err := s.Redo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []Stretch{{0, 11}}},
		{func() error { _, err := s.Redo(ctx, annotate.Gold, doc); return err }, annotate.Done, []Stretch{{0, 11}, {15, 21}}},
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []Stretch{{0, 11}}},
		// A new edit drops the undone one from the redo list, and its
		// stretches with it.
		{func() error { return s.SetFlag(ctx, doc, annotate.Gold, true) }, annotate.InProgress, []Stretch{{0, 11}}},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		status, _, _ := s.Status(ctx, doc, annotate.Gold)
		got, _ := s.Settled(ctx, doc)
		if status != st.status || !reflect.DeepEqual(got, st.settled) {
			t.Errorf("step %d: gold %s, settled %v; want %s, %v", i, status, got, st.status, st.settled)
		}
	}
	var rows int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM adjudications`).Scan(&rows); err != nil || rows != 2 {
		t.Errorf("%d adjudication rows (%v), want 2: the dropped edit's should be gone", rows, err)
	}
	if _, err := s.Redo(ctx, annotate.Gold, doc); !errors.Is(err, annotate.ErrNothingToRedo) {
		t.Errorf("redo after a new edit: %v", err)
	}
}
