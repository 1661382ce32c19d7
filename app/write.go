package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/qalam-annotate/qalam/annotate"
)

// Every edit goes through write: the store commits it, then the window
// shows it (then). An edit that meets a busy project (another program
// writing to it, or a long import in this one) does not freeze the
// window: after a moment it waits in the background, in order with the
// edits made after it, and the window shows each once it is committed.
// An edit is never dropped: closing the window waits for the edits still
// waiting, and one that cannot be saved after writeTimeout says so.

const (
	// busyWait is how long the window waits for an edit before the edit
	// goes on waiting in the background.
	busyWait = 300 * time.Millisecond
	// writeTimeout is how long an edit keeps trying a busy project.
	writeTimeout = 2 * time.Minute
)

// pendingWrite is an edit waiting for a busy project.
type pendingWrite struct {
	what     string
	do       func(context.Context) error
	then     func()
	fail     func(error)
	inFlight chan error // the first try, still running
}

// write runs do (which must touch only the store and the values it was
// given, never the window) and then then, on the UI goroutine; an error
// is explained in the status bar or a dialog.
func (ws *Workspace) write(what string, do func(context.Context) error, then func()) {
	ws.writeOr(ws.explain, what, do, then)
}

// writeOr is write with fail to explain an error (the adjudication
// window has a status bar of its own).
func (ws *Workspace) writeOr(fail func(error), what string, do func(context.Context) error, then func()) {
	w := &pendingWrite{what: what, do: do, then: then, fail: fail}
	ws.pendingMu.Lock()
	waiting := len(ws.pending) > 0
	if waiting {
		ws.pending = append(ws.pending, w)
	}
	ws.pendingMu.Unlock()
	if waiting {
		ws.sayPending()
		return
	}
	done := make(chan error, 1)
	go func() { done <- do(context.WithoutCancel(ws.ctx)) }()
	select {
	case err := <-done:
		if !isBusy(err) {
			ws.finishWrite(w, err)
			return
		}
	case <-time.After(busyWait):
		w.inFlight = done
	}
	ws.pendingMu.Lock()
	ws.pending = append(ws.pending, w)
	ws.pendingMu.Unlock()
	ws.sayPending()
	ws.jobs.Add(1)
	go ws.drainWrites()
}

// isBusy reports whether an edit failed only because another writer held
// the project: it can be tried again.
func isBusy(err error) bool { return errors.Is(err, annotate.ErrBusy) }

// finishWrite shows what a committed edit changed, or why it failed.
func (ws *Workspace) finishWrite(w *pendingWrite, err error) {
	if err != nil {
		w.fail(err)
		return
	}
	if w.then != nil {
		w.then()
	}
}

// sayPending tells what is waiting.
func (ws *Workspace) sayPending() {
	ws.pendingMu.Lock()
	n := len(ws.pending)
	var first string
	if n > 0 {
		first = ws.pending[0].what
	}
	ws.pendingMu.Unlock()
	if n == 0 {
		return
	}
	msg := lang.L("Saving {{.What}}… the project is busy: another program is writing to it", M{"What": first})
	if n > 1 {
		msg = lang.N("Saving {{.Count}} edits… the project is busy: another program is writing to it", n, M{"Count": n})
	}
	ws.say(msg)
}

// drainWrites commits the waiting edits in order, each as soon as the
// project lets it, and shows each on the UI goroutine. It never waits for
// the UI goroutine, which may be waiting for it (closing the window).
func (ws *Workspace) drainWrites() {
	defer ws.jobs.Done()
	for {
		ws.pendingMu.Lock()
		var w *pendingWrite
		if len(ws.pending) > 0 {
			w = ws.pending[0]
		}
		ws.pendingMu.Unlock()
		if w == nil {
			return
		}
		var err error
		if w.inFlight != nil {
			err = <-w.inFlight
		} else {
			err = w.do(context.WithoutCancel(ws.ctx))
		}
		for deadline := time.Now().Add(writeTimeout); isBusy(err) && time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			err = w.do(context.WithoutCancel(ws.ctx))
		}
		if isBusy(err) {
			err = fmt.Errorf("%s: %w (%v)", lang.L("{{.What}} was not saved", M{"What": w.what}), err, writeTimeout)
		}
		ws.pendingMu.Lock()
		ws.pending = ws.pending[1:]
		ws.pendingMu.Unlock()
		fyne.Do(func() {
			if ws.closed.Load() {
				return
			}
			ws.finishWrite(w, err)
			ws.sayPending()
		})
	}
}
