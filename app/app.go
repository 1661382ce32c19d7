// Package app is Qalam's window: projects, the document list, the article
// view, the label bar and the span list, the menus, shortcuts and dialogs.
// It takes the fyne.App from cmd/qalam, so that only cmd imports Fyne's
// OpenGL driver and this package's tests run without a display.
//
// Every edit goes to the store first, in its own transaction, and the
// window shows it only once the store has committed it: what is on screen
// is on disk. Store calls that follow a key press are synchronous (they
// take milliseconds); long work (imports, building the search index,
// searching the corpus) runs on its own goroutine and touches widgets only
// through fyne.Do.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/project"
)

// Preference keys.
const (
	prefAnnotator = "annotator"
	prefTheme     = "theme"   // system, light or dark
	prefProject   = "project" // the project open last
	prefRecent    = "recent"  // projects, newest first
	prefLastDoc   = "doc:"    // + project path: the document open last
	maxRecent     = 8
)

// Workspace is one open project in a window, seen by one annotator.
type Workspace struct {
	App    fyne.App
	Window fyne.Window
	Store  *sqlite.Store

	ctx    context.Context // cancelled when the window closes: background work stops
	stop   context.CancelFunc
	layer  string // the annotator: their layer is the only one edited
	labels annotate.LabelSet
	// allowOverlap mirrors the project setting, for the menu.
	allowOverlap bool

	doc      annotate.Document // the document shown; ID 0 for none
	status   annotate.Status
	flagged  bool
	spans    []annotate.Span // the annotator's spans on doc, in text order
	suggests []annotate.Span // open suggestions on doc
	selected int64           // the span outlined (the annotator's or a suggestion), 0 for none
	offer    *offer          // the last "label all occurrences" offer

	ui     *ui
	docs   *docList
	review *reviewer // the agreement and adjudication windows, nil when none

	// jobs counts background goroutines (imports, indexing, corpus
	// searches), so that tests and Quit can wait for them.
	jobs       sync.WaitGroup
	closed     bool
	askingName bool
	dialogs    []dialog.Dialog // shown by showDialog, newest last
}

// Open opens the project at path in a new window: when path is empty, the
// project open last, or the default sample project. On first run it asks
// the annotator's name.
func Open(a fyne.App, path string) (*Workspace, error) {
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ws := &Workspace{App: a}
	ws.ctx, ws.stop = context.WithCancel(context.Background())
	ws.applyTheme(a.Preferences().StringWithFallback(prefTheme, "system"))
	if path == "" {
		path = ws.lastProject()
	}
	s, err := project.Open(ws.ctx, path)
	if err != nil {
		ws.stop()
		return nil, err
	}
	ws.layer = a.Preferences().String(prefAnnotator)
	ws.Window = a.NewWindow("Qalam")
	ws.build()
	if err := ws.setStore(s); err != nil {
		s.Close()
		ws.stop()
		return nil, err
	}
	ws.Window.Resize(fyne.NewSize(1280, 800))
	ws.Window.SetOnClosed(ws.closeStore)
	if ws.layer == "" {
		ws.askAnnotator(true)
	}
	return ws, nil
}

// lastProject is the project open last, when it still exists.
func (ws *Workspace) lastProject() string {
	p := ws.App.Preferences().String(prefProject)
	if p == "" {
		return ""
	}
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func windowTitle(path, layer string) string {
	t := strings.TrimSuffix(filepath.Base(path), sqlite.Ext) + " — Qalam"
	if layer != "" {
		t += " (" + layer + ")"
	}
	return t
}

// setStore shows project s, closing the one shown before.
func (ws *Workspace) setStore(s *sqlite.Store) error {
	old := ws.Store
	ws.closeReview()
	ws.Store = s
	ws.doc, ws.spans, ws.suggests, ws.selected, ws.offer = annotate.Document{}, nil, nil, 0, nil
	if err := ws.loadProjectSettings(); err != nil {
		ws.Store = old
		return err
	}
	if old != nil {
		old.Close()
	}
	p := ws.App.Preferences()
	abs, err := filepath.Abs(s.Path())
	if err != nil {
		abs = s.Path()
	}
	p.SetString(prefProject, abs)
	recent := slices.DeleteFunc(p.StringList(prefRecent), func(r string) bool { return r == abs })
	recent = append([]string{abs}, recent...)
	if len(recent) > maxRecent {
		recent = recent[:maxRecent]
	}
	p.SetStringList(prefRecent, recent)
	ws.Window.SetTitle(windowTitle(s.Path(), ws.layer))
	ws.Window.SetMainMenu(ws.mainMenu())
	ws.docs.reset()
	ws.openFirstDocument()
	return nil
}

func (ws *Workspace) loadProjectSettings() error {
	labels, err := ws.Store.Labels(ws.ctx)
	if err != nil {
		return err
	}
	ws.labels = labels
	ws.allowOverlap, err = ws.Store.AllowOverlap(ws.ctx)
	if err != nil {
		return err
	}
	ws.refreshLabelBar()
	return nil
}

// openFirstDocument opens the document open last in this project, or the
// first unfinished one, or the first.
func (ws *Workspace) openFirstDocument() {
	id := int64(ws.App.Preferences().Int(prefLastDoc + ws.Store.Path()))
	if id > 0 {
		if _, err := ws.Store.Document(ws.ctx, id); err != nil {
			id = 0
		}
	}
	if id == 0 {
		if next, ok, err := ws.Store.NextUnfinished(ws.ctx, ws.docs.query, 0); err == nil && ok {
			id = next
		}
	}
	if id == 0 {
		if first, err := ws.Store.DocumentPage(ws.ctx, ws.docs.query, 0, 0, 1); err == nil && len(first) == 1 {
			id = first[0].ID
		}
	}
	if id == 0 {
		ws.showDocument(annotate.Document{})
		return
	}
	ws.openDocument(id)
}

func (ws *Workspace) closeStore() {
	ws.closed = true
	ws.closeReview()
	ws.stop() // imports and indexing stop between batches; what they did stays
	ws.jobs.Wait()
	if ws.Store != nil {
		ws.Store.Close()
	}
}

// quit waits for background work, closes the project and quits.
func (ws *Workspace) quit() {
	if !ws.closed {
		ws.Window.Close()
	}
	ws.App.Quit()
}

// openProject opens the project at path (creating it when missing) in
// this window.
func (ws *Workspace) openProject(path string) {
	if ws.Store != nil && samePath(path, ws.Store.Path()) {
		return
	}
	s, err := project.Open(ws.ctx, path)
	if err != nil {
		ws.showError(err)
		return
	}
	if err := ws.setStore(s); err != nil {
		s.Close()
		ws.showError(err)
	}
}

func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// --- the annotator -------------------------------------------------------

// askAnnotator asks who is annotating. first: the app cannot be used
// before an answer.
func (ws *Workspace) askAnnotator(first bool) {
	if ws.askingName {
		return
	}
	ws.askingName = true
	entry := widget.NewEntry()
	entry.SetText(ws.layer)
	entry.SetPlaceHolder("e.g. amira")
	entry.Validator = validAnnotator
	msg := "Your name names your layer of annotations: you edit only your own."
	items := []*widget.FormItem{widget.NewFormItem("Name", entry), widget.NewFormItem("", widget.NewLabel(msg))}
	title := "Who is annotating?"
	d := dialog.NewForm(title, "OK", "Cancel", items, func(ok bool) {
		ws.askingName = false
		if !ok {
			if first && ws.layer == "" {
				ws.askAnnotator(true)
			}
			return
		}
		ws.setAnnotator(strings.TrimSpace(entry.Text))
		ws.focusView()
	}, ws.Window)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
	ws.Window.Canvas().Focus(entry)
}

func validAnnotator(s string) error {
	s = strings.TrimSpace(s)
	if err := annotate.ValidateLayerName(s); err != nil {
		return errors.New("1 to 64 characters, no commas or tabs")
	}
	if annotate.KindOf(s) != annotate.AnnotatorLayer {
		return fmt.Errorf("%q is reserved", s)
	}
	return nil
}

// setAnnotator switches the layer edited.
func (ws *Workspace) setAnnotator(name string) {
	if validAnnotator(name) != nil || name == ws.layer {
		return
	}
	ws.layer = name
	ws.App.Preferences().SetString(prefAnnotator, name)
	ws.Window.SetTitle(windowTitle(ws.Store.Path(), ws.layer))
	ws.docs.setLayer(name)
	id := ws.doc.ID
	ws.doc = annotate.Document{}
	if id != 0 {
		ws.openDocument(id)
	}
	ws.say("Annotating as " + name)
}

// canEdit reports whether an annotator is set, asking for one when not.
func (ws *Workspace) canEdit() bool {
	if ws.layer == "" {
		ws.askAnnotator(false)
		return false
	}
	return ws.doc.ID != 0
}

// --- messages ------------------------------------------------------------

// say shows a line in the status bar.
func (ws *Workspace) say(msg string) {
	ws.ui.message.SetText(msg)
	ws.ui.offerButton.Hide()
}

func (ws *Workspace) showError(err error) {
	if err == nil {
		return
	}
	ws.ui.message.SetText("Error: " + err.Error())
	dialog.ShowError(err, ws.Window)
}

// explain turns store errors an annotator can cause into a sentence for
// the status bar; others become an error dialog.
func (ws *Workspace) explain(err error) {
	switch {
	case errors.Is(err, annotate.ErrOverlap):
		ws.say("Not added: " + err.Error())
	case errors.Is(err, annotate.ErrNothingToUndo):
		ws.say("Nothing to undo in this document")
	case errors.Is(err, annotate.ErrNothingToRedo):
		ws.say("Nothing to redo in this document")
	case errors.Is(err, annotate.ErrSpanRange):
		ws.say("Select some text first")
	default:
		ws.showError(err)
	}
}
