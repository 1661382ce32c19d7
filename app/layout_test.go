package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// span is the horizontal extent of o inside its row.
type span struct{ x0, x1 float32 }

func extent(o fyne.CanvasObject) span {
	return span{o.Position().X, o.Position().X + o.Size().Width}
}

// absolute is the horizontal extent of o in its window.
func absolute(o fyne.CanvasObject) span {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return span{p.X, p.X + o.Size().Width}
}

// apart reports whether a and b share no pixel, with at least gap between.
func apart(a, b span, gap float32) bool {
	return a.x1+gap <= b.x0 || b.x1+gap <= a.x0
}

// laidOut makes row i of list as the window draws it, width wide.
func laidOut(l *widget.List, i int, width float32) fyne.CanvasObject {
	o := l.CreateItem()
	l.UpdateItem(i, o)
	o.Resize(fyne.NewSize(width, o.MinSize().Height))
	return o
}

// Nothing is drawn over anything at the sizes the window allows, from
// its minimum up, in both languages: the window fits its minimum size;
// in the document list a name gives way to its counts, in the span list
// a text to its label, with a gap; the status bar's message wraps rather
// than runs under the annotator's name; the empty project's hint is whole.
func TestNothingDrawnOver(t *testing.T) {
	defer useLanguage("en")
	for _, lang := range []string{"en", "ar"} {
		for _, size := range []fyne.Size{{Width: 971, Height: 466}, {Width: 1100, Height: 700}, {Width: 1280, Height: 800}} {
			t.Run(fmt.Sprintf("%s %v", lang, size), func(t *testing.T) {
				t.Setenv("XDG_DATA_HOME", t.TempDir())
				a := test.NewTempApp(t)
				a.Preferences().SetString(prefAnnotator, "amira")
				a.Preferences().SetString(prefLanguage, lang)
				ws := openWS(t, a, "")
				withoutLearning(t, ws)
				id := addDocument(t, ws, "JA-technology-15-20161201716 with a long name",
					"Abdel Fattah al-Sisi met the envoy Steve Witkoff in Cairo on 5 December, and so on at length.")
				ws.docs.reset()
				ws.openDocument(id)
				s, e := find(t, ws, "Abdel Fattah al-Sisi", 0)
				selectText(ws, s, e)
				test.Type(ws.ui.view, "1")
				if min := ws.Window.Content().MinSize(); min.Width > 971 || min.Height > 466 {
					t.Errorf("the window needs %v, more than its minimum 971×466", min)
				}
				ws.Window.Resize(size)
				listW := ws.docs.list.Size().Width
				for i := range ws.docs.length() {
					r := laidOut(ws.docs.list, i, listW).(*docRow)
					if !apart(extent(r.name), extent(r.box.Objects[2]), 0) {
						t.Errorf("document row %d: the name %v is drawn over its counts %v", i, extent(r.name), extent(r.box.Objects[2]))
					}
				}
				r := laidOut(ws.ui.spanList, 0, ws.ui.spanList.Size().Width).(*spanListRow)
				if r.text.Text != "Abdel Fattah al-Sisi" || r.label.Text != "PERSON" {
					t.Fatalf("span row %q %q", r.text.Text, r.label.Text)
				}
				if !apart(extent(r.text), extent(r.box.Objects[2]), theme.Padding()) {
					t.Errorf("the span's text %v runs into its label %v", extent(r.text), extent(r.box.Objects[2]))
				}
				ws.say("Every stretch is settled: gold is marked done (Ctrl+Enter opens the next document), and this sentence is long enough to need two lines at this width of the window")
				ws.Window.Content().Refresh()
				m := ws.ui.message
				if m.Size().Height < m.MinSize().Height || !apart(absolute(m), absolute(ws.ui.who), 0) {
					t.Errorf("the status message %v (%v high of %v) runs into %v", absolute(m), m.Size().Height, m.MinSize().Height, absolute(ws.ui.who))
				}
			})
		}
	}
}

// An empty project says, whole, over the article, how to bring articles
// in.
func TestEmptyProjectHint(t *testing.T) {
	ws, _ := newSample(t)
	ws.openProject(t.TempDir()+"/empty.qalam", project.Create)
	ws.Window.Resize(fyne.NewSize(971, 466))
	ws.Window.Content().Refresh() // the driver lays out again once a wrapped text's height changed
	if !ws.guide.noDocument.Visible() {
		t.Fatal("no hint in an empty project")
	}
	hint := ws.guide.noDocument.Objects[1].(*fyne.Container).Objects[0].(*widgets.BidiLabel)
	if hint.Size().Height < hint.MinSize().Height || hint.Size().Width < 200 {
		t.Errorf("the hint is %v, needs %v", hint.Size(), hint.MinSize())
	}
}
