package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
)

// radio is the radio group of the top dialog.
func radio(ws *Workspace) *widget.RadioGroup {
	var r *widget.RadioGroup
	walk(ws.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.RadioGroup); ok {
			r = x
		}
	})
	return r
}

// A project of several annotators opened without --annotator asks who is
// working, offering its annotators and the reviewer; the reviewer edits
// gold, and the title says so. Named on the command line, no one is
// asked.
func TestWhoIsWorking(t *testing.T) {
	path := buildProject(t, t.TempDir(), "review", nil)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "badr") // remembered from another project
	ws := openWS(t, a, path)
	if !overlayHas(ws, "Choose your layer") {
		t.Fatal("a project of several annotators opened without asking who is working")
	}
	r := radio(ws)
	if r == nil || strings.Join(r.Options, ",") != "amira,badr,karim,Reviewer: edit gold, the adjudicated layer" || r.Selected != "badr" {
		t.Fatalf("the choices are %v (chosen %q)", r.Options, r.Selected)
	}
	if !strings.HasSuffix(ws.Window.Title(), "— Qalam (badr)") {
		t.Errorf("while asking, the title is %q", ws.Window.Title())
	}
	r.SetSelected(r.Options[3])
	tapButton(t, ws, "OK")
	if ws.layer != annotate.Gold || ws.dialogOpen() {
		t.Fatalf("the reviewer edits %q (dialog open %v)", ws.layer, ws.dialogOpen())
	}
	if got := ws.Window.Title(); got != "review — Qalam (gold, reviewing)" {
		t.Errorf("title %q", got)
	}
	if a.Preferences().String(prefAnnotator) != "badr" {
		t.Errorf("choosing the reviewer changed the annotator remembered to %q", a.Preferences().String(prefAnnotator))
	}
	// The reviewer's edits go to gold.
	ws.openDocument(docID(t, ws, "alaska"))
	s, e := find(t, ws, "ألاسكا", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "2")
	if gold := goldOf(t, ws, ws.doc.ID, ws.doc.Text); len(gold) != 1 || gold[0] != (mark{"ألاسكا", "PLACE"}) {
		t.Errorf("gold holds %v", gold)
	}
	ws.Window.Close()

	// A new name typed instead.
	ws = openWS(t, a, path)
	entry := topEntry(t, ws, anyEntry)
	test.Type(entry, "lina")
	if radio(ws).Selected != "" {
		t.Error("typing a name leaves a layer chosen")
	}
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if ws.layer != "lina" || ws.Window.Title() != "review — Qalam (lina)" {
		t.Errorf("layer %q, title %q", ws.layer, ws.Window.Title())
	}
	ws.Window.Close()

	// Named on the command line: no question.
	ws = openWSAs(t, a, path, "karim")
	if ws.dialogOpen() || ws.layer != "karim" || ws.Window.Title() != "review — Qalam (karim)" {
		t.Errorf("with --annotator: dialog %v, layer %q, title %q", ws.dialogOpen(), ws.layer, ws.Window.Title())
	}
}

// A document opened while the list is filtered by a search shows the
// hits as marks (the proclitic form بمصر for مصر), selects the first,
// and Ctrl+G and Ctrl+Shift+G step through them, going round.
func TestSearchHits(t *testing.T) {
	ws, _ := newSample(t)
	withoutLearning(t, ws)
	text := "زار الوفد مصر ثم عاد بمصر إلى القاهرة، ومصر تنتظر."
	id := addDocument(t, ws, "egypt", text)
	ws.docs.search.SetText("مصر")
	ws.docs.setSearch("مصر")
	ws.openDocument(id)
	hits := func() []string {
		var out []string
		for _, m := range ws.ui.view.Spans() {
			if m.ID < 0 {
				out = append(out, ws.spanText(annotate.Span{Start: m.Start, End: m.End}))
			}
		}
		return out
	}
	if got := strings.Join(hits(), ","); got != "مصر,بمصر,ومصر" {
		t.Fatalf("hits marked %q", got)
	}
	sel := func() string { s, e := ws.ui.view.Selection(); return ws.spanText(annotate.Span{Start: s, End: e}) }
	if sel() != "مصر" || !strings.Contains(unisolated(ws.ui.message.Text), "Hit 1 of 3 of مصر") {
		t.Errorf("selected %q, status %q", sel(), ws.ui.message.Text)
	}
	next := key(fyne.KeyG, ctrl)
	prev := key(fyne.KeyG, ctrl|fyne.KeyModifierShift)
	for _, step := range []struct {
		s    fyne.Shortcut
		want string
	}{{next, "بمصر"}, {next, "ومصر"}, {next, "مصر"}, {prev, "ومصر"}, {prev, "بمصر"}} {
		shortcut(ws, step.s)
		if sel() != step.want {
			t.Fatalf("after a step: %q selected, want %q", sel(), step.want)
		}
	}
	// A label's key labels the hit selected; the hit stays marked.
	test.Type(ws.ui.view, "2")
	if len(ws.spans) != 1 || ws.spanText(ws.spans[0]) != "بمصر" || len(hits()) != 3 {
		t.Errorf("spans %v, hits %v", ws.spans, hits())
	}
	// Without a search, no hit.
	ws.docs.search.SetText("")
	ws.docs.setSearch("")
	if len(hits()) != 0 {
		t.Errorf("hits left after clearing the search: %v", hits())
	}
}
