package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func testSettle(t *testing.T, open Opener) {
	ctx := context.Background()
	const text = "ستيف ويتكوف في واشنطن"
	person := annotate.Span{Start: 0, End: 11, Label: "PERSON"}
	first := annotate.Span{Start: 0, End: 4, Label: "PERSON"}
	place := annotate.Span{Start: 15, End: 21, Label: "PLACE"}
	for _, c := range []struct {
		name      string
		gold      []annotate.Span // before
		decisions []annotate.Decision
		finish    bool
		want      []string // gold afterwards, as layerSummary writes it
		settled   []annotate.Stretch
		err       error
	}{
		{
			name:      "accept one side",
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}},
		},
		{
			name:      "spans of another layer are copied",
			gold:      []annotate.Span{place},
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{{ID: 1, Start: 0, End: 11, Label: "PERSON", Layer: "amina"}}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}},
		},
		{
			name:      "replace what gold had there, keep the rest",
			gold:      []annotate.Span{first, place},
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}},
		},
		{
			name:      "accept the side that marked nothing",
			gold:      []annotate.Span{first, place},
			decisions: []annotate.Decision{{Start: 15, End: 21}},
			want:      []string{text + "/in_progress", "PERSON:ستيف"},
			settled:   []annotate.Stretch{{Start: 15, End: 21}},
		},
		{
			name:      "several stretches at once, and done",
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{person}}, {Start: 15, End: 21, Spans: []annotate.Span{place}}},
			finish:    true,
			want:      []string{text + "/done", "PERSON:ستيف ويتكوف", "PLACE:واشنطن"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}, {Start: 15, End: 21}},
		},
		{
			name:      "a span beyond its stretch widens it",
			decisions: []annotate.Decision{{Start: 0, End: 4, Spans: []annotate.Span{person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف ويتكوف"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}},
		},
		{
			name:      "union with a duplicate",
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{person, first, person}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف", "PERSON:ستيف ويتكوف"},
			settled:   []annotate.Stretch{{Start: 0, End: 11}},
		},
		{
			name:      "an unknown label changes nothing",
			gold:      []annotate.Span{first},
			decisions: []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "ORG"}}}},
			want:      []string{text + "/in_progress", "PERSON:ستيف"},
			err:       annotate.ErrUnknownLabel,
		},
		{
			name:      "a stretch outside the text changes nothing",
			decisions: []annotate.Decision{{Start: 15, End: 99}},
			err:       annotate.ErrSpanRange,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := open(c.name)
			doc := AddDoc(t, s, "d", text)
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
func testSettleUndo(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	const text = "ستيف ويتكوف في واشنطن"
	doc := AddDoc(t, s, "d", text)
	other := AddDoc(t, s, "e", "ترامب في ألاسكا")
	if err := s.Settle(ctx, doc, []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}}}, false); err != nil {
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
	if err := s.Settle(ctx, doc, []annotate.Decision{{Start: 15, End: 21}, {Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}}}, true); err != nil {
		t.Fatal(err)
	}
	if got := ids(); !reflect.DeepEqual(got, before) {
		t.Errorf("span ids %v after settling again, want %v", got, before)
	}
	if err := s.Settle(ctx, other, []annotate.Decision{{Start: 0, End: 5, Spans: []annotate.Span{{Start: 0, End: 5, Label: "PERSON"}}}}, false); err != nil {
		t.Fatal(err)
	}
	all, err := s.AllSettled(ctx)
	if want := map[int64][]annotate.Stretch{doc: {{Start: 0, End: 11}, {Start: 15, End: 21}}, other: {{Start: 0, End: 5}}}; err != nil || !reflect.DeepEqual(all, want) {
		t.Errorf("all settled %v (%v), want %v", all, err, want)
	}

	steps := []struct {
		do      func() error
		status  annotate.Status
		settled []annotate.Stretch
	}{
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []annotate.Stretch{{Start: 0, End: 11}}},
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.Todo, nil},
		{func() error { _, err := s.Redo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []annotate.Stretch{{Start: 0, End: 11}}},
		{func() error { _, err := s.Redo(ctx, annotate.Gold, doc); return err }, annotate.Done, []annotate.Stretch{{Start: 0, End: 11}, {Start: 15, End: 21}}},
		{func() error { _, err := s.Undo(ctx, annotate.Gold, doc); return err }, annotate.InProgress, []annotate.Stretch{{Start: 0, End: 11}}},
		// A new edit drops the undone one from the redo list, and its
		// stretches with it.
		{func() error { return s.SetFlag(ctx, doc, annotate.Gold, true) }, annotate.InProgress, []annotate.Stretch{{Start: 0, End: 11}}},
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
	if _, err := s.Redo(ctx, annotate.Gold, doc); !errors.Is(err, annotate.ErrNothingToRedo) {
		t.Errorf("redo after a new edit: %v", err)
	}
}

func testAssign(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open("p")
	im := newImporter(t, s)
	for i := range 100 {
		im.Add(annotate.NewDocument(fmt.Sprint(i), fmt.Sprint("نص ", i), nil))
	}
	im.Close()
	team := []string{"amina", "bilal", "karim"}
	queue := func(layer string) []int64 {
		list, err := listDocs(ctx, s, annotate.DocQuery{Layer: layer, Queue: true})
		if err != nil {
			t.Fatal(err)
		}
		return docIDs(list)
	}
	if n := len(queue("amina")); n != 100 {
		t.Fatalf("before assigning, the queue has %d documents, want all 100", n)
	}
	sum, err := s.Assign(ctx, team, 0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	// 20 shared, 80 dealt to three: 27, 27, 26.
	if sum.Shared != 20 || sum.Per["amina"] != 47 || sum.Per["bilal"] != 47 || sum.Per["karim"] != 46 {
		t.Errorf("summary %+v", sum)
	}
	got := map[string][]int64{}
	count := map[int64]int{}
	for _, a := range team {
		got[a] = queue(a)
		for _, id := range got[a] {
			count[id]++
		}
		if len(got[a]) != sum.Per[a] {
			t.Errorf("%s's queue has %d, summary says %d", a, len(got[a]), sum.Per[a])
		}
	}
	all, once := 0, 0
	for _, c := range count {
		switch c {
		case 3:
			all++
		case 1:
			once++
		default:
			t.Errorf("a document given to %d annotators", c)
		}
	}
	if all != 20 || once != 80 {
		t.Errorf("%d documents for all, %d for one", all, once)
	}
	if ok, _ := s.Assigned(ctx, "amina"); !ok {
		t.Error("amina has no assignment")
	}
	if n := len(queue("dalia")); n != 100 {
		t.Errorf("an unassigned annotator sees %d documents", n)
	}
	// Same seed, same assignment; another seed, another.
	s.Assign(ctx, team, 0.2, 7)
	if !reflect.DeepEqual(queue("amina"), got["amina"]) {
		t.Error("the same seed gave another assignment")
	}
	s.Assign(ctx, team, 0.2, 8)
	if reflect.DeepEqual(queue("amina"), got["amina"]) {
		t.Error("another seed gave the same assignment")
	}
	for _, bad := range [][]string{nil, {"amina", "amina"}, {"gold"}} {
		if _, err := s.Assign(ctx, bad, 0.2, 1); err == nil {
			t.Errorf("assign %q accepted", bad)
		}
	}
	if _, err := s.Assign(ctx, team, 1.5, 1); err == nil {
		t.Error("overlap 1.5 accepted")
	}
}
