package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/internal/buildinfo"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// labelTexts is every label's text inside o, joined by newlines.
func labelTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widgets.BidiLabel:
			b.WriteString(x.Text + "\n")
		case *widget.Card:
			b.WriteString(x.Title + "\n" + x.Subtitle + "\n")
		}
	})
	return b.String()
}

// unisolated is s without the isolating marks around quoted names.
func unisolated(s string) string {
	return strings.NewReplacer("\u2068", "", "\u2069", "").Replace(s)
}

// command runs the menu command named name.
func command(t *testing.T, ws *Workspace, menu, name string) {
	t.Helper()
	for _, b := range ws.bindings() {
		if b.menu == menu && b.name == name && b.action != nil {
			b.action()
			return
		}
	}
	t.Fatalf("no command %s → %s", menu, name)
}

// A new user: the guide and the question of who is annotating. Browsing
// without a name closes the question for good; dismissing the guide too,
// until Help → Show the guide.
func TestFirstStart(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	ws := openWS(t, a, "")
	if !ws.guideShown() {
		t.Fatal("the first start shows no guide")
	}
	guide := labelTexts(ws.guide.layer)
	for _, want := range []string{"Select a name", "Press its label's key", "PERSON", "PLACE", "EVENT", "Ctrl+Enter", "F1 lists every shortcut", "Help › Show the guide"} {
		if !strings.Contains(guide, want) {
			t.Errorf("the guide does not say %q:\n%s", want, guide)
		}
	}
	if !overlayHas(ws, "Marking needs a name") {
		t.Fatal("the first start does not say that marking needs a name")
	}
	tapButton(t, ws, "Browse without editing")
	if ws.dialogOpen() {
		t.Fatal("Browse without editing did not close the dialog, or opened another")
	}
	if ws.layer != "" || !strings.Contains(ws.ui.message.Text, "Browsing without editing") {
		t.Errorf("layer %q, status %q", ws.layer, ws.ui.message.Text)
	}
	if ws.ui.who.Text != "Browsing: no layer edited" {
		t.Errorf("status bar: %q", ws.ui.who.Text)
	}
	// Browsing: the article reads, keys do not mark; asking again is
	// what a label key does.
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	if len(ws.spans) != 0 || !overlayHas(ws, "Your name names your layer") {
		t.Errorf("a label key without a name: %d spans, no question", len(ws.spans))
	}
	if overlayHas(ws, "Marking needs a name") {
		t.Error("the question asked later offers browsing again")
	}
	tapButton(t, ws, "Cancel")

	// The guide's keys work while it is shown.
	if !ws.guideShown() {
		t.Fatal("the guide went with the dialog")
	}
	tapButtonIn(t, ws.guide.layer, "Got it")
	if ws.guideShown() || !a.Preferences().Bool(prefGuideDismissed) {
		t.Error("Got it did not dismiss the guide for good")
	}
	if ws.Window.Canvas().Focused() != ws.ui.view {
		t.Error("after the guide, the keyboard is not on the article")
	}
	ws.Window.Close()

	// Next start, still without a name: the question, not the guide.
	ws = openWS(t, a, "")
	if ws.guideShown() {
		t.Error("the dismissed guide came back")
	}
	if !overlayHas(ws, "Marking needs a name") {
		t.Error("no name, and no question")
	}
	tapButton(t, ws, "Browse without editing")
	command(t, ws, "Help", "Show the guide")
	if !ws.guideShown() {
		t.Error("Help → Show the guide does not show it")
	}
}

// Someone who already has a name sees neither the guide nor the question.
func TestNoGuideForAKnownAnnotator(t *testing.T) {
	ws, _ := newSample(t)
	if ws.guideShown() || ws.dialogOpen() {
		t.Errorf("guide %v, dialog %v", ws.guideShown(), ws.dialogOpen())
	}
}

// An empty project: the annotator in the status bar, the document
// buttons, back and forward included, disabled.
func TestEmptyProjectBar(t *testing.T) {
	ws, a := newSample(t)
	u := ws.ui
	if u.prevButton.Disabled() || u.nextButton.Disabled() {
		t.Error("back and forward are disabled on the sample")
	}
	ws.Window.Close()
	ws = openWS(t, a, filepath.Join(t.TempDir(), "empty.qalam"))
	if ws.doc.ID != 0 {
		t.Fatalf("document %d in a new project", ws.doc.ID)
	}
	u = ws.ui
	if unisolated(u.who.Text) != "Annotator: amira" {
		t.Errorf("status bar: %q", u.who.Text)
	}
	for name, b := range map[string]*widget.Button{"back": u.prevButton, "forward": u.nextButton, "done": u.doneButton, "skip": u.skipButton} {
		if !b.Disabled() {
			t.Errorf("%s is enabled with no document", name)
		}
	}
}

func TestAbout(t *testing.T) {
	ws, a := newSample(t)
	old := buildinfo.Version
	buildinfo.Version = "0.1.0+62.g3350744"
	t.Cleanup(func() { buildinfo.Version = old })
	command(t, ws, "Help", "About Qalam")
	top := ws.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no About dialog")
	}
	dir, _ := project.DataDir()
	about := labelTexts(top)
	for _, want := range []string{
		"Version 0.1.0+62.g3350744", "Go go", "Licence", qalamLicence(),
		"Amiri", "SIL Open Font License 1.1", "ANT corpus", "Apache License 2.0", "Reuters",
		dir, filepath.Join(a.Storage().RootURI().Path(), "preferences.json"),
	} {
		if !strings.Contains(about, want) {
			t.Errorf("About does not say %q:\n%s", want, about)
		}
	}
	tapNth(t, ws, "Licence…", 0)
	if !strings.Contains(labelTexts(ws.Window.Canvas().Overlays().Top()), "SIL OPEN FONT LICENSE Version 1.1") {
		t.Error("the font licence button does not show the OFL")
	}
	ws.closeDialog()
	tapNth(t, ws, "Licence…", 1)
	if !strings.Contains(labelTexts(ws.Window.Canvas().Overlays().Top()), "Apache License") {
		t.Error("the ANT licence button does not show the Apache License")
	}
	ws.closeDialog()
	ws.closeDialog()
	if ws.dialogOpen() {
		t.Error("Escape twice leaves a dialog open")
	}
}

// tapNth taps the n-th button whose text is text in the top dialog.
func tapNth(t *testing.T, ws *Workspace, text string, n int) {
	t.Helper()
	var bs []*widget.Button
	walk(ws.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Text == text {
			bs = append(bs, x)
		}
	})
	if len(bs) <= n {
		t.Fatalf("%d buttons %q in the dialog, want %d", len(bs), text, n+1)
	}
	test.Tap(bs[n])
}
