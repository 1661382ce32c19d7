package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
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

// waitFor waits until cond holds, and fails the test when it does not
// within 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// heldCheck is a project whose soundness check was left for later; each
// check runs until the test hands it its outcome, or its context ends.
type heldCheck struct {
	annotate.Store
	began   chan context.Context // each check's context, as it begins
	outcome chan error
	ended   chan struct{} // closed as the test ends: no check waits on
}

// holdCheck makes ws's project one whose check is held.
func holdCheck(t *testing.T, ws *Workspace) *heldCheck {
	s := &heldCheck{Store: ws.Store, began: make(chan context.Context, 4), outcome: make(chan error), ended: make(chan struct{})}
	t.Cleanup(func() { close(s.ended) })
	ws.Store = s
	return s
}

func (s *heldCheck) Checked() bool { return false }

func (s *heldCheck) Check(ctx context.Context) error {
	s.began <- ctx
	select {
	case err := <-s.outcome:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-s.ended:
		return context.Canceled
	}
}

// begun returns the context of the check that begins next.
func (s *heldCheck) begun(t *testing.T) context.Context {
	t.Helper()
	select {
	case ctx := <-s.began:
		return ctx
	case <-time.After(10 * time.Second):
		t.Fatal("the check did not begin")
		return nil
	}
}

// TestCheckWaitsForTheFirstFrame: the check of a large project file
// begins once the window's first frame is drawn (Fyne runs OnStarted
// then), and edits wait for it from the start.
func TestCheckWaitsForTheFirstFrame(t *testing.T) {
	wait := firstFrameWait
	firstFrameWait = time.Minute
	t.Cleanup(func() { firstFrameWait = wait })
	ws, a := newSample(t)
	ws.drawn = firstFrame(a)
	s := holdCheck(t, ws)
	ws.checkProject()
	select {
	case <-s.began:
		t.Fatal("the check began before the window's first frame was drawn")
	case <-time.After(50 * time.Millisecond):
	}
	if ws.check == nil {
		t.Error("edits do not wait for the check")
	}
	a.Lifecycle().(interface{ OnStarted() func() }).OnStarted()() // as Fyne once it drew the frame
	s.begun(t)
	s.outcome <- nil
	ws.jobs.Wait()
	if ws.check != nil {
		t.Error("edits still wait for the check, which found the project sound")
	}
}

// TestCheckGivesWayToAJob: the check of a large project file, which
// reads it whole in the background as it opens, is cut short when a job
// that reads starts (the user waits for the job, and the check would take
// its processor), runs again once the job is over, and edits wait for it
// meanwhile.
func TestCheckGivesWayToAJob(t *testing.T) {
	ws, _ := newSample(t)
	s := holdCheck(t, ws)
	ws.checkProject()
	first := s.begun(t)
	end := blockingJob(t, ws)
	select {
	case <-first.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the check went on while a job ran")
	}
	ws.way.waitingFor(t, 1, "the check")
	if len(s.began) > 0 {
		t.Fatal("the check ran again while the job ran")
	}
	if ws.check == nil {
		t.Error("edits do not wait for the check meanwhile")
	}
	end()
	s.begun(t)
	s.outcome <- nil
	ws.jobs.Wait()
	if ws.check != nil {
		t.Error("edits still wait for the check, which found the project sound")
	}
}

// TestWritingJobWaitsForTheCheck: a job that writes to the project,
// started while its file is being checked, waits for the check and does
// not cut it short; it runs once the file is found sound, and not at all
// when the check finds damage (which the check then says) or when the
// job is cancelled meanwhile.
func TestWritingJobWaitsForTheCheck(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome error
		cancel  bool
		runs    bool
	}{
		{"sound", nil, false, true},
		{"damaged", fmt.Errorf("%w: page 7 is never used", annotate.ErrDamaged), false, false},
		{"cancelled", nil, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws, _ := newSample(t)
			s := holdCheck(t, ws)
			ws.checkProject()
			c := ws.check
			check := s.begun(t)
			ran := make(chan annotate.Store, 1)
			ws.startJob("a write", writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
				if !p.bar.Visible() {
					t.Error("the job runs without its bar")
				}
				ran <- store
				fyne.Do(p.d.Hide)
			})
			waitFor(t, "the job to wait for the check", func() bool { return c.waiting.Load() == 1 })
			if !overlayHas(ws, "Checking the project file before writing to it") {
				t.Error("the job's dialog does not say what it waits for")
			}
			p := c.jobs[0]
			if p.bar.Visible() {
				t.Error("the job's dialog shows a bar for a check of unknown length")
			}
			if check.Err() != nil {
				t.Fatal("the job cut the check short")
			}
			if tc.cancel {
				tapButton(t, ws, "Cancel")
			}
			s.outcome <- tc.outcome
			ws.jobs.Wait()
			select {
			case <-ran:
				if !tc.runs {
					t.Error("the job ran")
				}
			default:
				if tc.runs {
					t.Error("the job did not run after the check")
				}
			}
			if overlayHas(ws, "Checking the project file") {
				t.Error("the job's dialog still shows")
			}
			if tc.outcome != nil && !overlayHas(ws, "page 7 is never used") {
				for _, o := range ws.Window.Canvas().Overlays().List() {
					t.Logf("overlay %T %q", o, labelTexts(o))
				}
				t.Errorf("the damage is not told")
			}
			if got := ws.ui.message.Text; tc.cancel != strings.Contains(got, "Stopped before anything was written") {
				t.Errorf("status bar: %q", got)
			}
		})
	}
}

// TestReadingJobDoesNotWaitForTheCheck: an export, which only reads,
// runs while the file is being checked (and the check gives way to it).
func TestReadingJobDoesNotWaitForTheCheck(t *testing.T) {
	ws, _ := newSample(t)
	s := holdCheck(t, ws)
	ws.checkProject()
	s.begun(t)
	ran := make(chan struct{})
	ws.startJob("a read", readsProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		close(ran)
		fyne.Do(p.d.Hide)
	})
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("a job that reads waited for the check")
	}
	s.begun(t) // again, after the job
	s.outcome <- nil
	ws.jobs.Wait()
}

// TestAnotherProjectDuringTheCheck: a project opened while the one before
// it was being checked takes edits at once when it needs no check of its
// own, and still does once the old check ends.
func TestAnotherProjectDuringTheCheck(t *testing.T) {
	ws, _ := newSample(t)
	s := holdCheck(t, ws)
	ws.checkProject()
	s.begun(t)
	if !ws.openProject(filepath.Join(t.TempDir(), "other"+project.Ext), project.Create) {
		t.Fatal("the other project did not open")
	}
	if ws.check != nil {
		t.Error("edits of the other project wait for the check of the one before")
	}
	s.outcome <- nil
	ws.jobs.Wait()
	if ws.check != nil {
		t.Error("edits of the other project wait, after the check of the one before")
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
