package app

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
)

// TestJobHoldsTheKeyboardAway: while a job's progress shows, nothing has
// the keyboard (the search box's blinking cursor drew the whole window
// again under the dialog, all through a long job); after, what had it has
// it again.
func TestJobHoldsTheKeyboardAway(t *testing.T) {
	ws, _ := newSample(t)
	c := ws.Window.Canvas()
	c.Focus(ws.docs.search)
	end := blockingJob(t, ws)
	// Under the dialog, what has the keyboard: the canvas tells once the
	// dialog is off it (the dialog has a focus of its own).
	c.Overlays().Remove(c.Overlays().Top())
	if f := c.Focused(); f != nil {
		t.Errorf("during the job, %T has the keyboard", f)
	}
	end()
	ws.jobs.Wait()
	if f := c.Focused(); f != ws.docs.search {
		t.Errorf("after the job, %T has the keyboard, want the search box", f)
	}
}

// blockingJob starts a job that runs until the returned function is
// called, or the test ends.
func blockingJob(t *testing.T, ws *Workspace) (end func()) {
	release := make(chan struct{})
	ws.startJob("a job", readsProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		<-release
		fyne.Do(p.d.Hide)
	})
	end = sync.OnceFunc(func() { close(release) })
	t.Cleanup(end)
	return end
}

// TestJobsHaveTheRoom: every job reads the corpus with a job's room for
// the collector (an export here), and the session's settings are back
// after it. Under the session's limit alone, below what a million
// documents keep alive, an export of a million-document project took
// three times as long.
func TestJobsHaveTheRoom(t *testing.T) {
	ws, _ := newSample(t)
	if _, err := ws.Store.AddSpan(context.Background(), annotate.Span{DocID: ws.doc.ID, Layer: "amira", Start: 0, End: 3, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	watch := watchCorpus(t, ws)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	ws.runExport(export.Options{Format: "jsonl", Output: out, Layer: "all", IncludeUnfinished: true})
	ws.jobs.Wait()
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("the export wrote nothing: %v", err)
	}
	watch.hadTheJobsRoom(t, "the export")
}
