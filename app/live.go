package app

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
)

// A team project (a store that is an annotate.Watcher) changes while it is
// open: others finish documents, add labels, adjudicate; the same
// annotator may have it open in a second window. The window follows: the
// document shown, the document list (statuses, counts, the queue), the
// label bar and the agreement dashboard's Recompute button show what was
// committed, within a second.
//
// Its server can also go away. The window then says it is offline and
// reconnecting, keeps the document on screen but read-only (no edit is
// tried, so none is shown as saved that the server did not commit), and
// reads everything again once the server is back: an edit whose commit
// was under way when the connection dropped shows only if it was
// committed.

// settle is how long the window waits for more changes before it shows
// them: a merge or an edit of many spans comes as a burst.
const settle = 60 * time.Millisecond

// onMain runs f on Fyne's goroutine (tests queue it instead, to run it on
// theirs).
var onMain = fyne.Do

// live follows one open team project.
type live struct {
	ws     *Workspace
	store  annotate.Store
	cancel context.CancelFunc
	onMain func(func()) // onMain, as it was when the window joined

	mu      sync.Mutex
	queue   []annotate.Change
	probing bool

	// offline is read and written on Fyne's goroutine only.
	offline bool
}

// joinTeam follows s when it is a team project: the annotator is the
// login (annotate.Team), and changes and the connection are watched. It
// stops following the project shown before.
func (ws *Workspace) joinTeam(s annotate.Store) error {
	if ws.live != nil {
		ws.live.cancel()
		ws.live = nil
	}
	ws.member = nil
	if t, ok := s.(annotate.Team); ok {
		me, err := t.Me(ws.ctx)
		if err != nil {
			return err
		}
		ws.member = &me
		ws.layer = me.Name
	}
	w, ok := s.(annotate.Watcher)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithCancel(ws.ctx)
	l := &live{ws: ws, store: s, cancel: cancel, onMain: onMain}
	if err := w.Watch(ctx, l.told); err != nil {
		cancel()
		return err
	}
	ws.live = l
	return nil
}

// told receives a change from the watcher's goroutine and has the window
// show a burst of them at once.
func (l *live) told(ch annotate.Change) {
	l.mu.Lock()
	l.queue = append(l.queue, ch)
	first := len(l.queue) == 1
	l.mu.Unlock()
	if first {
		time.AfterFunc(settle, func() { l.onMain(l.apply) })
	}
}

// apply shows what changed; it runs on Fyne's goroutine.
func (l *live) apply() {
	l.mu.Lock()
	q := l.queue
	l.queue = nil
	l.mu.Unlock()
	ws := l.ws
	if ws.closed.Load() || ws.live != l {
		return
	}
	var doc, list, labels, stale, back bool
	for _, ch := range q {
		switch ch.Kind {
		case annotate.Offline:
			l.goOffline()
		case annotate.Online:
			back = true
		case annotate.ChangedLabels, annotate.ChangedSettings:
			labels = true
		case annotate.ChangedSpans, annotate.ChangedStatus, annotate.ChangedSettled, annotate.ChangedComments:
			mine := ch.Layer == ws.layer || ch.Layer == ""
			if (ch.DocID == ws.doc.ID || ch.DocID == 0) && (mine || ch.Layer == annotate.Suggestion) {
				doc = true
			}
			list = list || mine
			stale = true
		case annotate.ChangedDocuments, annotate.ChangedAssignments, annotate.ChangedLayers:
			list, stale = true, true
		}
	}
	if back {
		l.comeBack()
		return
	}
	if l.offline {
		return
	}
	switch {
	case labels:
		ws.labelsChanged() // reloads the document too
	case doc:
		ws.reload()
	}
	if list || labels {
		ws.docs.refresh()
	}
	if stale && ws.review != nil && ws.review.dash != nil {
		ws.review.dash.markStale()
	}
}

// goOffline makes the window read-only until the server is back.
func (l *live) goOffline() {
	if l.offline {
		return
	}
	l.offline = true
	l.ws.refreshDocBar()
	l.ws.say(lang.L("Offline: the team server cannot be reached; reconnecting… The document is read-only until then."))
	l.probe()
}

// probe checks, every second until it answers, whether the server is
// back (the watcher says so too, but an edit can find the server gone
// before the watcher does).
func (l *live) probe() {
	l.mu.Lock()
	if l.probing {
		l.mu.Unlock()
		return
	}
	l.probing = true
	l.mu.Unlock()
	ctx := l.ws.ctx
	go func() {
		defer func() {
			l.mu.Lock()
			l.probing = false
			l.mu.Unlock()
		}()
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			try, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := l.store.CountDocuments(try)
			cancel()
			if err == nil {
				l.told(annotate.Change{Kind: annotate.Online})
				return
			}
		}
	}()
}

// comeBack reads everything shown again once the server is back.
func (l *live) comeBack() {
	ws := l.ws
	was := l.offline
	l.offline = false
	ws.Window.SetTitle(windowTitle(ws.Store.Location(), ws.layer, ws.readOnly()))
	ws.labelsChanged()
	ws.docs.refresh()
	if ws.review != nil && ws.review.dash != nil {
		ws.review.dash.markStale()
	}
	if was {
		ws.say(lang.L("Back online: the document shows what the server holds; you can edit again."))
	}
}

// offline reports whether the window is waiting for its server.
func (ws *Workspace) offline() bool {
	return ws.live != nil && ws.live.offline
}

// lostConnection handles an error of a team project whose server could
// not be reached (an edit that failed among them: whether it was
// committed is known once the server is back) and reports whether it
// did.
func (ws *Workspace) lostConnection(err error) bool {
	if !errors.Is(err, annotate.ErrOffline) || ws.live == nil {
		return false
	}
	ws.live.goOffline()
	ws.say(lang.L("Not saved: the team server cannot be reached; reconnecting… The document is read-only until then."))
	return true
}

// readOnlyNow says why the document cannot be edited, when it cannot.
func (ws *Workspace) readOnlyNow() bool {
	if ws.offline() {
		ws.say(lang.L("Offline: reconnecting to the team server… Nothing can be saved until it is back."))
		return true
	}
	return false
}

// showConnection shows, in the document bar and the status bar, that the
// window is offline: the buttons that edit are disabled.
func (ws *Workspace) showConnection() {
	if !ws.offline() {
		return
	}
	u := ws.ui
	for _, b := range []*widget.Button{u.doneButton, u.skipButton, u.flagButton, u.commentBtn} {
		b.Disable()
	}
	u.who.SetText(u.who.Text + " · " + lang.L("offline, reconnecting…"))
	ws.Window.SetTitle(windowTitle(ws.Store.Location(), ws.layer, ws.readOnly()) + " — " + lang.L("offline, reconnecting…"))
	relayout(ws.Window)
}

// relayout lays a window out again after a label or a button grew.
func relayout(w fyne.Window) {
	if c := w.Content(); c != nil {
		c.Refresh()
	}
}

// fixedAnnotator refuses to change the annotator of a team project: the
// server knows them by their login.
func (ws *Workspace) fixedAnnotator() bool {
	if ws.member == nil {
		return false
	}
	ws.say(lang.L("On a team project you annotate as your login, {{.Name}}: open the project as another user to annotate as them", M{"Name": quote(ws.member.Name)}))
	return true
}

// refresh reads the document list's count and rows again, keeping the
// filter and the document shown selected.
func (dl *docList) refresh() {
	p, err := newPager(dl.ws.Store, dl.query)
	if err != nil {
		fyne.LogError("document list", err)
		return
	}
	dl.pager = p
	dl.list.Refresh()
	if id := dl.ws.doc.ID; id != 0 {
		if i := p.index(id); i >= 0 {
			dl.syncing = true
			dl.list.Select(i)
			dl.syncing = false
		}
	}
	dl.updateProgress()
}

// markStale says, on the Recompute button, that the figures no longer
// show the project as it is.
func (d *dashboard) markStale() {
	if d.recompute == nil || d.recompute.Importance == widget.HighImportance {
		return
	}
	d.recompute.SetText(lang.L("Recompute: the work changed"))
	d.recompute.Importance = widget.HighImportance
	relayout(d.win)
}

// fresh says the figures are up to date.
func (d *dashboard) fresh() {
	if d.recompute == nil {
		return
	}
	if d.recompute.Importance == widget.MediumImportance {
		return
	}
	d.recompute.SetText(lang.L("Recompute"))
	d.recompute.Importance = widget.MediumImportance
	relayout(d.win)
}

// isTeamLocation reports whether a project location is a server's URL,
// not a file.
func isTeamLocation(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// rememberedLocation is how preferences keep a project's location: a
// file's absolute path, or a team project's URL as the store gives it
// (without its password).
func rememberedLocation(location string) string {
	if isTeamLocation(location) {
		return location
	}
	abs, err := filepath.Abs(location)
	if err != nil {
		return location
	}
	return abs
}
