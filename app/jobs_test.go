package app

import (
	"context"
	"runtime/debug"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/qalam-annotate/qalam/annotate"
)

// TestJobHoldsTheKeyboardAway: while a job's progress shows, nothing has
// the keyboard (the search box's blinking cursor drew the whole window
// again under the dialog, all through a long job); after, what had it has
// it again.
func TestJobHoldsTheKeyboardAway(t *testing.T) {
	ws, _ := newSample(t)
	c := ws.Window.Canvas()
	c.Focus(ws.docs.search)
	release := make(chan struct{})
	ws.startJob("a job", func(ctx context.Context, store annotate.Store, p *progressDialog) {
		<-release
		fyne.Do(func() { p.d.Hide() })
	})
	// Under the dialog, what has the keyboard: the canvas tells once the
	// dialog is off it (the dialog has a focus of its own).
	c.Overlays().Remove(c.Overlays().Top())
	if f := c.Focused(); f != nil {
		t.Errorf("during the job, %T has the keyboard", f)
	}
	close(release)
	ws.jobs.Wait()
	if f := c.Focused(); f != ws.docs.search {
		t.Errorf("after the job, %T has the keyboard, want the search box", f)
	}
}

// TestRoomForCollector: while the index is built, the heap may grow by a
// quarter over what is live, up to indexMemoryLimit; after, the session's
// settings are back. A limit that high already is left alone.
func TestRoomForCollector(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(48 << 20))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	settings := func() (limit int64, percent int) {
		percent = debug.SetGCPercent(100)
		debug.SetGCPercent(percent)
		return debug.SetMemoryLimit(-1), percent
	}
	restore := roomForCollector()
	if l, p := settings(); l != indexMemoryLimit || p != 25 {
		t.Errorf("while indexing: limit %d, GOGC %d; want %d, 25", l, p, indexMemoryLimit)
	}
	restore()
	if l, p := settings(); l != 48<<20 || p != 100 {
		t.Errorf("after: limit %d, GOGC %d; want %d, 100", l, p, 48<<20)
	}
	debug.SetMemoryLimit(1 << 30)
	restore = roomForCollector()
	if l, p := settings(); l != 1<<30 || p != 100 {
		t.Errorf("with a limit of 1 GB: limit %d, GOGC %d; want unchanged", l, p)
	}
	restore()
}
