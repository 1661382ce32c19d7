package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// changes collects what a watcher is told.
type changes struct {
	mu  sync.Mutex
	got []annotate.Change
	at  []time.Time
}

func watch(t *testing.T, s annotate.Watcher) *changes {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c := &changes{}
	err := s.Watch(ctx, func(ch annotate.Change) {
		c.mu.Lock()
		c.got = append(c.got, ch)
		c.at = append(c.at, time.Now())
		c.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wait waits up to limit for a change like want (DocID and Layer
// compared when set) and returns how long it took to come.
func (c *changes) wait(t *testing.T, want annotate.Change, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for i, ch := range c.got {
			if ch.Kind == want.Kind && (want.DocID == 0 || ch.DocID == want.DocID) && (want.Layer == "" || ch.Layer == want.Layer) && !c.at[i].Before(since) {
				c.mu.Unlock()
				return c.at[i].Sub(since)
			}
		}
		c.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Fatalf("no %+v within %v; got %+v", want, limit, c.got)
	return 0
}

// TestWatch checks that what one member commits reaches another's open
// project within a second.
func TestWatch(t *testing.T) {
	ctx := context.Background()
	u := pgtest.NewProject(t)
	a, b := pgtest.Open(t, u), pgtest.Open(t, u)
	doc := storetest.AddDoc(t, a, "d", "ستيف ويتكوف في واشنطن")
	seen := watch(t, a)

	for _, step := range []struct {
		name string
		do   func() error
		want annotate.Change
	}{
		{"span", func() error {
			_, err := b.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "karim", Start: 0, End: 4, Label: "PERSON"})
			return err
		}, annotate.Change{Kind: annotate.ChangedSpans, Layer: "karim", DocID: doc}},
		{"done", func() error { return b.SetStatus(ctx, doc, "karim", annotate.Done) }, annotate.Change{Kind: annotate.ChangedStatus, Layer: "karim", DocID: doc}},
		{"undo", func() error { _, err := b.Undo(ctx, "karim", doc); return err }, annotate.Change{Kind: annotate.ChangedSettled, Layer: "karim", DocID: doc}},
		{"label", func() error { return b.AddLabel(ctx, annotate.Label{Name: "ORG"}) }, annotate.Change{Kind: annotate.ChangedLabels}},
		{"overlap", func() error { return b.SetAllowOverlap(ctx, false) }, annotate.Change{Kind: annotate.ChangedSettings}},
		{"adjudicate", func() error {
			return b.Settle(ctx, doc, []annotate.Decision{{Start: 0, End: 11, Spans: []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}}}, true)
		}, annotate.Change{Kind: annotate.ChangedStatus, Layer: annotate.Gold, DocID: doc}},
		{"assign", func() error { _, err := b.Assign(ctx, []string{"karim"}, 0, 1); return err }, annotate.Change{Kind: annotate.ChangedAssignments}},
		{"import", func() error { storetest.AddDoc(t, b, "d", "نص آخر"); return nil }, annotate.Change{Kind: annotate.ChangedDocuments}},
	} {
		start := time.Now()
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		d := seen.wait(t, step.want, start, time.Second)
		t.Logf("%s: told after %v", step.name, d.Round(time.Microsecond))
	}
}

// TestServerRestart stops the server under an open project and starts it
// again: the watcher says offline, edits fail with ErrOffline meanwhile,
// and once it is back online the edits go on and nothing committed was
// lost.
func TestServerRestart(t *testing.T) {
	ctx := context.Background()
	c := pgtest.NewCluster(t)
	u := c.NewProject(t)
	s := pgtest.Open(t, u)
	doc := storetest.AddDoc(t, s, "d", "ستيف ويتكوف في واشنطن")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 4, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	seen := watch(t, s)
	start := time.Now()
	c.Stop()
	seen.wait(t, annotate.Change{Kind: annotate.Offline}, start, 10*time.Second)
	_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 21, Label: "PLACE"})
	if !errors.Is(err, annotate.ErrOffline) {
		t.Errorf("edit while the server is down: %v, want ErrOffline", err)
	}
	start = time.Now()
	c.Start()
	seen.wait(t, annotate.Change{Kind: annotate.Online}, start, 10*time.Second)
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 21, Label: "PLACE"}); err != nil {
		t.Fatalf("edit once back: %v", err)
	}
	spans, err := s.Spans(ctx, doc, "amina")
	if err != nil || len(spans) != 2 {
		t.Errorf("after the restart: %v %v, want the span from before and the one after", spans, err)
	}
	if _, err := s.Undo(ctx, "amina", doc); err != nil {
		t.Errorf("undo after the restart: %v", err)
	}
	if _, err := s.Undo(ctx, "amina", doc); err != nil {
		t.Errorf("undo of the edit from before the restart: %v", err)
	}
}
