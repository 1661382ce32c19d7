package app

import (
	"context"
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
