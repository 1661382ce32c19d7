package app

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// waitingFor waits until n pieces of work wait for g's jobs to end, and
// fails the test when they do not within 10 s.
func (g *giveWay) waitingFor(t *testing.T, n int, what string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		w := g.waiting
		g.mu.Unlock()
		if w == n {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("%s: %d waiting for the job to end, want %d", what, w, n)
		}
	}
}

// TestGiveWayWaitsForJobs: wait returns at once while no job runs, waits
// while one does (or two overlapping), and returns its context's error
// when that ends first.
func TestGiveWayWaitsForJobs(t *testing.T) {
	var g giveWay
	ctx := context.Background()
	if err := g.wait(ctx); err != nil {
		t.Fatal(err)
	}
	first, second := g.job(), g.job()
	back := make(chan error, 1)
	go func() { back <- g.wait(ctx) }()
	g.waitingFor(t, 1, "two jobs running")
	first()
	first() // done twice counts once
	select {
	case err := <-back:
		t.Fatalf("wait returned (%v) while a job ran", err)
	case <-time.After(20 * time.Millisecond):
	}
	second()
	if err := <-back; err != nil {
		t.Fatal(err)
	}
	g.waitingFor(t, 0, "no job running")

	done := g.job()
	defer done()
	cctx, cancel := context.WithCancel(ctx)
	go func() { back <- g.wait(cctx) }()
	g.waitingFor(t, 1, "a job running")
	cancel()
	if err := <-back; !errors.Is(err, context.Canceled) {
		t.Errorf("wait with its context cancelled: %v, want context.Canceled", err)
	}
}

// TestGiveWayRunsAgain: work that cannot pause is cut short when a job
// starts, and runs again from the start once the job is over; it ends
// with run's own context, and work that fails of itself is not run again.
func TestGiveWayRunsAgain(t *testing.T) {
	var g giveWay
	calls := make(chan context.Context)
	ctx, cancel := context.WithCancel(context.Background())
	back := make(chan error, 1)
	go func() {
		back <- g.run(ctx, func(ctx context.Context) error {
			calls <- ctx
			<-ctx.Done()
			return ctx.Err()
		})
	}()
	first := <-calls
	done := g.job()
	select {
	case <-first.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the work was not cut short when a job started")
	}
	g.waitingFor(t, 1, "the work cut short")
	done()
	second := <-calls
	if err := second.Err(); err != nil {
		t.Fatalf("the work ran again cut short: %v", err)
	}
	cancel()
	if err := <-back; !errors.Is(err, context.Canceled) {
		t.Errorf("run, its context cancelled: %v, want context.Canceled", err)
	}
	bad := errors.New("damaged")
	n := 0
	if err := g.run(context.Background(), func(context.Context) error { n++; return bad }); err != bad || n != 1 {
		t.Errorf("work that failed: %v after %d runs, want it after one", err, n)
	}
}

// checkedLater is a project whose soundness check was left for later;
// the check takes until its context ends the first time it runs, and
// finds the project sound after.
type checkedLater struct {
	annotate.Store
	calls chan context.Context // each check's context, as it begins
	n     atomic.Int32
	ended chan struct{} // closed as the test ends: no check waits on
}

func (s *checkedLater) Checked() bool { return false }

func (s *checkedLater) Check(ctx context.Context) error {
	s.calls <- ctx
	if s.n.Add(1) > 1 {
		return nil
	}
	select {
	case <-ctx.Done():
	case <-s.ended:
	}
	return ctx.Err()
}

// TestCheckGivesWayToAJob: the check of a large project file, which
// reads it whole in the background as it opens, is cut short when a job
// starts (the user waits for the job, and the check would take its
// processor), runs again once the job is over, and edits wait for it
// meanwhile.
func TestCheckGivesWayToAJob(t *testing.T) {
	ws, _ := newSample(t)
	s := &checkedLater{Store: ws.Store, calls: make(chan context.Context, 2), ended: make(chan struct{})}
	t.Cleanup(func() { close(s.ended) })
	ws.Store = s
	ws.checkProject()
	var first context.Context
	select {
	case first = <-s.calls:
	case <-time.After(10 * time.Second):
		t.Fatal("the check did not begin")
	}
	end := blockingJob(t, ws)
	select {
	case <-first.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the check went on while a job ran")
	}
	ws.way.waitingFor(t, 1, "the check")
	if len(s.calls) > 0 {
		t.Fatal("the check ran again while the job ran")
	}
	if !ws.checking {
		t.Error("edits do not wait for the check meanwhile")
	}
	end()
	ws.jobs.Wait()
	if len(s.calls) != 1 {
		t.Fatal("the check did not run again after the job")
	}
	if ws.checking {
		t.Error("edits still wait for the check, which found the project sound")
	}
}

// TestLearningGivesWayToAJob: learning from the project, which reads it
// whole in the background as it opens, waits while a job runs, and
// learns once it is over.
func TestLearningGivesWayToAJob(t *testing.T) {
	ws, _ := newSample(t)
	start, end := find(t, ws, "ترامب", 0)
	if _, err := ws.Store.AddSpan(context.Background(), annotate.Span{DocID: ws.doc.ID, Layer: ws.layer, Start: start, End: end, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	mode, delay := learnMode, learnDelay
	learnMode, learnDelay = inBackground, 0
	t.Cleanup(func() { learnMode, learnDelay = mode, delay })
	endJob := blockingJob(t, ws)
	ws.startLearning()
	ws.way.waitingFor(t, 1, "learning")
	l := ws.learn
	l.mu.Lock()
	learned := l.model != nil
	l.mu.Unlock()
	if learned {
		t.Fatal("learning ended while a job ran")
	}
	endJob()
	ws.jobs.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.model == nil || l.model.Names() != 1 {
		t.Error("the name was not learned after the job")
	}
}
