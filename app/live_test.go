//go:build cgo

package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// mainQueue runs what live.go hands to Fyne's goroutine on the test's
// goroutine instead, when the test pumps it: no window state is touched
// from two goroutines.
func mainQueue(t *testing.T) chan func() {
	t.Helper()
	q := make(chan func(), 1024)
	was := onMain
	onMain = func(f func()) { q <- f }
	t.Cleanup(func() { onMain = was })
	return q
}

// pump runs what was queued until cond holds, for at most limit, and
// returns how long it took.
func pump(t *testing.T, q chan func(), limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := time.After(limit)
	for !cond() {
		select {
		case f := <-q:
			f()
		case <-deadline:
			t.Fatalf("%s: not within %v", what, limit)
		}
	}
	return time.Since(start)
}

// teamProject makes a team project of three articles with the members
// given (annotators, or reviewers when their name starts with "salma"),
// and returns the administrator's URL and each member's.
func teamProject(t *testing.T, c *pgtest.Cluster, members ...string) (admin string, urls map[string]string) {
	t.Helper()
	ctx := context.Background()
	if c != nil {
		admin = c.NewProject(t)
	} else {
		admin = pgtest.NewProject(t)
	}
	s := pgtest.Open(t, admin)
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"قال ستيف ويتكوف في واشنطن إن المحادثات مستمرة.", "عاد الوفد من تونس.", "زار ترامب ألاسكا."} {
		if _, _, err := im.Add(annotate.NewDocument("خبر", text, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	urls = map[string]string{}
	db := pgtest.Database(t, admin)
	for _, m := range members {
		role := pgtest.Role(t, m)
		kind := postgres.Annotator
		if strings.HasPrefix(m, "salma") {
			kind = postgres.Reviewer
		}
		if _, err := postgres.AddMember(ctx, admin, role, kind, false); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pgtest.Exec(t, admin, "DROP OWNED BY "+role, "DROP ROLE IF EXISTS "+role) })
		urls[m] = pgtest.WithDatabase(t, admin, db, role)
	}
	return admin, urls
}

func openTeamWS(t *testing.T, a fyne.App, u string) *Workspace {
	t.Helper()
	ws, err := Open(a, stores.Open, u)
	if err != nil {
		t.Fatal(err)
	}
	ws.Window.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		ws.jobs.Wait()
		if !ws.closed.Load() {
			ws.Window.Close()
		}
	})
	return ws
}

func labelWith(t *testing.T, ws *Workspace, sub, key string) {
	t.Helper()
	s, e := find(t, ws, sub, 0)
	ws.ui.view.SetSelection(s, e)
	ws.selectionChanged(s, e) // as a selection by hand tells the window
	test.Type(ws.ui.view, key)
}

// TestLiveTwoWindows opens one annotator's team project in two windows and
// another member's work beside it: each window shows, within a second,
// what the other committed (spans, undo, statuses in the list and its
// progress, labels), and the reviewer's dashboard says its figures are
// out of date.
func TestLiveTwoWindows(t *testing.T) {
	q := mainQueue(t)
	ctx := context.Background()
	admin, urls := teamProject(t, nil, "amina", "karim", "salma")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	w1, w2 := openTeamWS(t, a, urls["amina"]), openTeamWS(t, a, urls["amina"])
	if w1.layer != w2.layer || !strings.HasPrefix(w1.layer, "amina_") {
		t.Fatalf("annotating as %q and %q, want amina's login", w1.layer, w2.layer)
	}
	if w1.doc.ID != w2.doc.ID || w1.doc.ID == 0 {
		t.Fatalf("the windows show documents %d and %d", w1.doc.ID, w2.doc.ID)
	}
	if strings.Contains(a.Preferences().String(prefProject), "password") {
		t.Errorf("preferences keep %q", a.Preferences().String(prefProject))
	}

	labelWith(t, w1, "ستيف ويتكوف", "1")
	if len(w1.spans) != 1 {
		t.Fatalf("window 1 shows %d spans after labelling", len(w1.spans))
	}
	d := pump(t, q, time.Second, "window 2 shows the span", func() bool { return len(w2.spans) == 1 })
	t.Logf("a span reached the other window in %v", d.Round(time.Millisecond))

	// Undo in the other window undoes the same layer's edit.
	shortcut(w2, &fyne.ShortcutUndo{})
	if len(w2.spans) != 0 {
		t.Fatalf("window 2 shows %d spans after undo", len(w2.spans))
	}
	pump(t, q, time.Second, "window 1 shows the undo", func() bool { return len(w1.spans) == 0 })
	shortcut(w1, ctrlShiftZ)
	pump(t, q, time.Second, "window 2 shows the redo", func() bool { return len(w2.spans) == 1 })

	// Done in one window: the other's list and progress follow.
	doc := w1.doc.ID
	w1.doneAndNext()
	pump(t, q, time.Second, "window 2's list shows the document done", func() bool {
		row, ok := w2.docs.pager.row(0)
		return ok && row.ID == doc && row.Status == annotate.Done && w2.docs.progress.Value == 1
	})
	if w2.status != annotate.Done {
		t.Errorf("window 2 shows the document %s, want done", w2.status)
	}

	// karim's work is his: it changes nothing amina sees.
	ks := pgtest.Open(t, urls["karim"])
	karim, _ := ks.Me(ctx)
	if _, err := ks.AddSpan(ctx, annotate.Span{DocID: doc, Layer: karim.Name, Start: 4, End: 15, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	if err := ks.SetStatus(ctx, doc, karim.Name, annotate.Done); err != nil {
		t.Fatal(err)
	}

	// The administrator adds a label: every window's label bar shows it.
	as := pgtest.Open(t, admin)
	if err := as.AddLabel(ctx, annotate.Label{Name: "ORG", Hotkey: "4"}); err != nil {
		t.Fatal(err)
	}
	for i, w := range []*Workspace{w1, w2} {
		d := pump(t, q, time.Second, "the label bar shows ORG", func() bool {
			_, ok := w.labels.Find("ORG")
			return ok && len(w.ui.labelBar.Objects) == 4
		})
		t.Logf("window %d: the new label in %v", i+1, d.Round(time.Millisecond))
	}
	if len(w2.spans) != 1 || w2.doc.ID != doc {
		t.Errorf("window 2 shows %d spans on document %d, want amina's 1 on %d", len(w2.spans), w2.doc.ID, doc)
	}

	// The reviewer's dashboard: karim's next edit makes it stale.
	w3 := openTeamWS(t, a, urls["salma"])
	pump(t, q, time.Second, "nothing", func() bool { return true })
	w3.showAgreement()
	w3.jobs.Wait()
	dash := w3.review.dash
	if dash == nil || dash.recompute.Text != "Recompute" {
		t.Fatalf("dashboard %+v", dash)
	}
	if _, err := ks.Undo(ctx, karim.Name, doc); err != nil {
		t.Fatal(err)
	}
	pump(t, q, time.Second, "the dashboard says Recompute", func() bool { return strings.Contains(dash.recompute.Text, "changed") })
	dash.compute()
	w3.jobs.Wait()
	if dash.recompute.Text != "Recompute" {
		t.Errorf("after recomputing: %q", dash.recompute.Text)
	}
}

// TestServerGoesAway stops the server during a session and starts it
// again: the window says it is offline, keeps the document read-only,
// shows no edit as saved, and goes on once the server is back with
// nothing lost.
func TestServerGoesAway(t *testing.T) {
	q := mainQueue(t)
	c := pgtest.NewCluster(t)
	_, urls := teamProject(t, c, "amina")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	ws := openTeamWS(t, a, urls["amina"])
	labelWith(t, ws, "ستيف ويتكوف", "1")
	if len(ws.spans) != 1 {
		t.Fatalf("%d spans", len(ws.spans))
	}
	pump(t, q, time.Second, "the span's own echo", func() bool { return len(q) == 0 })

	c.Stop()
	// An edit tried before the window knows finds the server gone: it is
	// not shown as saved.
	labelWith(t, ws, "واشنطن", "2")
	if len(ws.spans) != 1 || !strings.Contains(ws.ui.message.Text, "Not saved") && !strings.Contains(ws.ui.message.Text, "Offline") {
		t.Errorf("an edit while the server is down: %d spans shown, message %q", len(ws.spans), ws.ui.message.Text)
	}
	pump(t, q, 10*time.Second, "the window says it is offline", ws.offline)
	if !strings.Contains(ws.ui.who.Text, "offline, reconnecting") || !ws.ui.doneButton.Disabled() || !strings.HasSuffix(ws.Window.Title(), "offline, reconnecting…") {
		t.Errorf("offline: status %q, title %q, done button disabled %v", ws.ui.who.Text, ws.Window.Title(), ws.ui.doneButton.Disabled())
	}
	labelWith(t, ws, "واشنطن", "2")
	if len(ws.spans) != 1 || !strings.Contains(ws.ui.message.Text, "Offline") {
		t.Errorf("an edit while offline: %d spans shown, message %q", len(ws.spans), ws.ui.message.Text)
	}
	if ws.doc.Text == "" || ws.ui.view.Text() == "" {
		t.Error("the document left the screen")
	}

	c.Start()
	d := pump(t, q, 15*time.Second, "the window is back online", func() bool { return !ws.offline() })
	t.Logf("back online %v after the server started", d.Round(time.Millisecond))
	if !strings.Contains(ws.ui.message.Text, "Back online") || ws.ui.doneButton.Disabled() || strings.Contains(ws.Window.Title(), "offline") {
		t.Errorf("online: message %q, title %q, done button disabled %v", ws.ui.message.Text, ws.Window.Title(), ws.ui.doneButton.Disabled())
	}
	labelWith(t, ws, "واشنطن", "2")
	if len(ws.spans) != 2 {
		t.Fatalf("after coming back: %d spans shown, want 2; message %q", len(ws.spans), ws.ui.message.Text)
	}
	spans, err := ws.Store.Spans(context.Background(), ws.doc.ID, ws.layer)
	if err != nil || len(spans) != 2 {
		t.Errorf("the server holds %v %v, want the span from before and the one after", spans, err)
	}
}
