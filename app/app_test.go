package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/project"
)

// newSample opens the default sample project (in a temporary data folder)
// as annotator amira, in a test app whose preferences last for the test.
func newSample(t *testing.T) (*Workspace, fyne.App) {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	return openWS(t, a, ""), a
}

func openWS(t *testing.T, a fyne.App, path string) *Workspace {
	t.Helper()
	return openWSAs(t, a, path, "")
}

// openWSAs opens path as annotator (--annotator), "" for the one
// remembered.
func openWSAs(t *testing.T, a fyne.App, path, annotator string) *Workspace {
	t.Helper()
	ws, err := OpenAs(a, testOpen, path, annotator)
	if err != nil {
		t.Fatal(err)
	}
	ws.jobs.Wait() // the check of the project file
	ws.Window.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() {
		ws.jobs.Wait()
		if !ws.closed.Load() {
			ws.Window.Close()
		}
	})
	return ws
}

// find returns the code-point range of the n-th occurrence of sub in the
// document shown.
func find(t *testing.T, ws *Workspace, sub string, n int) (int, int) {
	t.Helper()
	text := ws.doc.Text
	from := 0
	for {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			t.Fatalf("%q not in %s", sub, ws.doc.Name)
		}
		if n == 0 {
			s := len([]rune(text[:from+i]))
			return s, s + len([]rune(sub))
		}
		n--
		from += i + len(sub)
	}
}

func shortcut(ws *Workspace, s fyne.Shortcut) {
	ws.Window.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

var (
	ctrlEnter  = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	ctrlShiftZ = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
)

type spanRow struct {
	text, label string
}

// shown lists the span list's rows as the window draws them.
func shown(t *testing.T, ws *Workspace) []spanRow {
	t.Helper()
	var rows []spanRow
	for i := range ws.ui.spanList.Length() {
		o := ws.ui.spanList.CreateItem()
		ws.ui.spanList.UpdateItem(i, o)
		r := o.(*spanListRow)
		rows = append(rows, spanRow{r.text.Text, r.label.Text})
	}
	return rows
}

// stored lists the annotator's spans on a document as the project has them.
func stored(t *testing.T, s annotate.Store, doc int64, text string) []spanRow {
	t.Helper()
	spans, err := s.Spans(context.Background(), doc, "amira")
	if err != nil {
		t.Fatal(err)
	}
	var rows []spanRow
	r := []rune(text)
	for _, sp := range spans {
		rows = append(rows, spanRow{string(r[sp.Start:sp.End]), sp.Label})
	}
	return rows
}

func wantSpans(t *testing.T, ws *Workspace, step string, want []spanRow) {
	t.Helper()
	if got := shown(t, ws); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: span list shows %v, want %v", step, got, want)
	}
	if got := stored(t, ws.Store, ws.doc.ID, ws.doc.Text); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the project holds %v, want %v", step, got, want)
	}
	if got := len(ws.ui.view.Spans()); got != len(want)+len(ws.suggests) {
		t.Errorf("%s: the article view draws %d spans, want %d", step, got, len(want)+len(ws.suggests))
	}
}

// TestMainFlow drives the annotator's day: open the sample project, label
// a selection with a key, undo, redo, relabel, mark done and land on the
// next document, reopen the project and find everything.
func TestMainFlow(t *testing.T) {
	ws, a := newSample(t)
	if got, want := ws.Window.Title(), "sample — Qalam (amira)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if !strings.HasPrefix(ws.doc.Name, "reuters") {
		t.Fatalf("opened %s, want the Reuters article first", ws.doc.Name)
	}
	if ws.docs.pager.count != 6 {
		t.Errorf("the list has %d documents, want 6", ws.docs.pager.count)
	}
	first := ws.doc

	s, e := find(t, ws, "ترامب", 0)
	ws.ui.view.SetSelection(s, e)
	test.Type(ws.ui.view, "1")
	wantSpans(t, ws, "after 1", []spanRow{{"ترامب", "PERSON"}})
	if ws.status != annotate.InProgress {
		t.Errorf("status %s after the first span, want in progress", ws.status)
	}

	shortcut(ws, &fyne.ShortcutUndo{})
	wantSpans(t, ws, "after undo", nil)
	shortcut(ws, ctrlShiftZ)
	wantSpans(t, ws, "after redo", []spanRow{{"ترامب", "PERSON"}})

	// Select the span in the list, then press 2: it becomes a PLACE.
	ws.ui.spanList.Select(0)
	if ws.selected == 0 || ws.ui.view.SelectedSpan() != ws.selected {
		t.Fatalf("selecting the list row did not select the span (%d, view %d)", ws.selected, ws.ui.view.SelectedSpan())
	}
	test.Type(ws.ui.view, "2")
	wantSpans(t, ws, "after relabelling", []spanRow{{"ترامب", "PLACE"}})

	shortcut(ws, ctrlEnter)
	if ws.doc.ID == first.ID {
		t.Fatal("Ctrl+Enter stayed on the document")
	}
	st, _, err := ws.Store.Status(context.Background(), first.ID, "amira")
	if err != nil || st != annotate.Done {
		t.Errorf("the first document is %s (%v), want done", st, err)
	}
	if i := ws.docs.pager.index(ws.doc.ID); i != 1 || !listSelected(ws.docs.list, 1) {
		t.Errorf("landed on row %d (selected: %v), want row 1", i, listSelected(ws.docs.list, 1))
	}
	if got := ws.docs.done.Text; got != "1 of 6 done" {
		t.Errorf("progress %q, want 1 of 6 done", got)
	}
	second := ws.doc.ID

	// Reopen: the same project, on the document left open, with everything.
	ws.Window.Close()
	ws2 := openWS(t, a, "")
	if ws2.doc.ID != second {
		t.Errorf("reopened on document %d, want %d", ws2.doc.ID, second)
	}
	if got := stored(t, ws2.Store, first.ID, first.Text); !reflect.DeepEqual(got, []spanRow{{"ترامب", "PLACE"}}) {
		t.Errorf("after reopening, the first document has %v", got)
	}
	if got := ws2.docs.done.Text; got != "1 of 6 done" {
		t.Errorf("after reopening, progress %q", got)
	}
	ws2.openDocument(first.ID)
	wantSpans(t, ws2, "reopened", []spanRow{{"ترامب", "PLACE"}})
	// Undo works across the restart.
	shortcut(ws2, &fyne.ShortcutUndo{}) // the status
	shortcut(ws2, &fyne.ShortcutUndo{}) // the relabel
	wantSpans(t, ws2, "undo after reopening", []spanRow{{"ترامب", "PERSON"}})
}

func listSelected(l *widget.List, i int) bool {
	// widget.List keeps its selection private: select i again and see
	// whether OnSelected fires (it does not for a selected row).
	fired := false
	old := l.OnSelected
	l.OnSelected = func(widget.ListItemID) { fired = true }
	l.Select(i)
	l.OnSelected = old
	return !fired
}

// TestKeyboardOnly labels three entities without the mouse: Ctrl+Shift+
// arrows select words, digits label them, Escape and arrows move on.
func TestKeyboardOnly(t *testing.T) {
	ws, _ := newSample(t)
	v := ws.ui.view
	if ws.Window.Canvas().Focused() != v {
		t.Fatal("the article view does not have the keyboard focus")
	}
	// In Arabic, Left moves forward.
	word := &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	v.TypedShortcut(word) // أمريكا
	test.Type(v, "2")
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s, e := v.Selection(); s != 6 || e != 6 {
		t.Errorf("Escape left the caret at [%d,%d), want after the span", s, e)
	}
	// The caret moves a character at a time: from before the space in
	// front of اجتماعها, Left (forward) steps over it.
	s, _ := find(t, ws, "اجتماعها", 0)
	v.SetSelection(s-1, s-1)
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
	v.TypedShortcut(word) // اجتماعها
	test.Type(v, "3")
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	s, _ = find(t, ws, "دونالد ترامب", 0)
	v.SetSelection(s, s)
	v.TypedShortcut(word)
	v.TypedShortcut(word) // دونالد ترامب
	test.Type(v, "1")
	wantSpans(t, ws, "keyboard", []spanRow{{"أمريكا", "PLACE"}, {"اجتماعها", "EVENT"}, {"دونالد ترامب", "PERSON"}})
}

func TestDeleteAndOverlap(t *testing.T) {
	ws, _ := newSample(t)
	s, e := find(t, ws, "دونالد ترامب", 0)
	ws.ui.view.SetSelection(s, e)
	test.Type(ws.ui.view, "1")
	id := ws.selected
	// Overlaps are allowed by default...
	ws.ui.view.SetSelection(s+7, e)
	ws.selectSpan(0, false)
	test.Type(ws.ui.view, "1")
	wantSpans(t, ws, "overlap allowed", []spanRow{{"دونالد ترامب", "PERSON"}, {"ترامب", "PERSON"}})
	// ... and refused once the project says so.
	ws.setAllowOverlap(false)
	ws.ui.view.SetSelection(s, s+6)
	ws.selectSpan(0, false)
	test.Type(ws.ui.view, "2")
	if !strings.Contains(ws.ui.message.Text, "overlap") {
		t.Errorf("message %q does not say the span overlaps", ws.ui.message.Text)
	}
	wantSpans(t, ws, "overlap refused", []spanRow{{"دونالد ترامب", "PERSON"}, {"ترامب", "PERSON"}})
	// Delete removes the selected span.
	ws.selectSpan(id, true)
	ws.ui.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	wantSpans(t, ws, "deleted", []spanRow{{"ترامب", "PERSON"}})
	shortcut(ws, &fyne.ShortcutUndo{})
	wantSpans(t, ws, "undone delete", []spanRow{{"دونالد ترامب", "PERSON"}, {"ترامب", "PERSON"}})
	// White space at the selection's edges is left out.
	ws.ui.view.SetSelection(s-1, s+6)
	ws.selectSpan(0, false)
	ws.setAllowOverlap(true)
	test.Type(ws.ui.view, "3")
	if sp, _ := ws.spanByID(ws.selected); sp.Start != s || sp.End != s+6 {
		t.Errorf("span [%d,%d), want [%d,%d) without the space", sp.Start, sp.End, s, s+6)
	}
}

func TestFlagSkipAndComment(t *testing.T) {
	ws, _ := newSample(t)
	first := ws.doc.ID
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault})
	if _, flagged, _ := ws.Store.Status(context.Background(), first, "amira"); !flagged || !ws.flagged {
		t.Error("Ctrl+B did not flag the document")
	}
	if _, err := ws.Store.AddComment(context.Background(), annotate.Comment{DocID: first, Layer: "amira", Text: "check the names"}); err != nil {
		t.Fatal(err)
	}
	ws.showComments()
	if !overlayHas(ws, "check the names") {
		t.Error("the comments dialog does not show the comment")
	}
	// Dialogs are modal: shortcuts wait; Escape closes them.
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: fyne.KeyModifierShortcutDefault})
	if !ws.flagged {
		t.Error("Ctrl+B went through the comments dialog")
	}
	ws.Window.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if ws.dialogOpen() || len(ws.dialogs) != 0 {
		t.Error("Escape did not close the comments dialog")
	}
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	if st, _, _ := ws.Store.Status(context.Background(), first, "amira"); st != annotate.Skipped || ws.doc.ID == first {
		t.Errorf("Ctrl+Shift+Enter: status %s, document %d", st, ws.doc.ID)
	}
	// The row shows the flag and the status.
	o := ws.docs.createRow()
	ws.docs.updateRow(0, o)
	if flag := o.(*docRow).flag; !flag.Visible() {
		t.Error("the flagged document's row shows no flag")
	}
	// Next and previous document.
	ws.stepDocument(-1)
	if ws.doc.ID != first {
		t.Errorf("previous document: %d, want %d", ws.doc.ID, first)
	}
}

// overlayHas reports whether the top dialog shows a label containing s.
func overlayHas(ws *Workspace, s string) bool {
	top := ws.Window.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	return strings.Contains(unisolated(labelTexts(top)), s)
}

// walk visits o and every object inside it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, f)
		}
	}
}

// tapButton taps the button of the top dialog whose text is text.
func tapButton(t *testing.T, ws *Workspace, text string) {
	t.Helper()
	tapButtonIn(t, ws.Window.Canvas().Overlays().Top(), text)
}

// tapButtonIn taps the button whose text is text inside o.
func tapButtonIn(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	var b *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Text == text {
			b = x
		}
	})
	if b == nil {
		t.Fatalf("no button %q", text)
	}
	test.Tap(b)
}

func TestSuggestions(t *testing.T) {
	ws, _ := newSample(t)
	withoutLearning(t, ws)
	doc := ws.doc
	ctx := context.Background()
	ai, err := ws.Store.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sugg []annotate.Span
	for i, w := range []string{"ترامب", "أوميروف", "ويتكوف"} {
		s, e := find(t, ws, w, 0)
		sugg = append(sugg, annotate.Span{Start: s, End: e, Label: []string{"PERSON", "PERSON", "PLACE"}[i]})
	}
	if _, err := ai.Add(doc.ID, annotate.Suggestion, sugg, ""); err != nil {
		t.Fatal(err)
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
	ws.reload()
	if len(ws.suggests) != 3 || ws.ui.suggestTab.Text != "Suggestions (3)" {
		t.Fatalf("%d suggestions, tab %q", len(ws.suggests), ws.ui.suggestTab.Text)
	}
	marks := ws.ui.view.Spans()
	for _, m := range marks {
		if !m.Suggestion {
			t.Errorf("suggestion %d is not drawn as one", m.ID)
		}
	}
	// Enter accepts the suggestion under the caret.
	ws.ui.view.SetSelection(sugg[0].Start+1, sugg[0].Start+1)
	ws.ui.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	wantSpans(t, ws, "accepted", []spanRow{{"ترامب", "PERSON"}})
	if len(ws.suggests) != 2 {
		t.Errorf("%d suggestions open after accepting one, want 2", len(ws.suggests))
	}
	// X rejects.
	ws.ui.view.SetSelection(sugg[1].Start, sugg[1].Start)
	test.Type(ws.ui.view, "x")
	if len(ws.suggests) != 1 {
		t.Errorf("%d suggestions open after rejecting one, want 1", len(ws.suggests))
	}
	// Accept all.
	shortcut(ws, &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	wantSpans(t, ws, "accepted all", []spanRow{{"ويتكوف", "PLACE"}, {"ترامب", "PERSON"}})
	for _, sp := range ws.spans {
		if sp.Origin != annotate.Suggested {
			t.Errorf("accepted span has origin %s", sp.Origin)
		}
	}
	ws.restoreSuggestions()
	if len(ws.suggests) != 1 {
		t.Errorf("%d open after restoring the rejected one, want 1", len(ws.suggests))
	}
}

// TestLabelAllOccurrences labels a name's occurrences in the document and
// the corpus; with the search index lacking more documents than a search
// indexes on the way, the index is built first in a job (with progress).
func TestLabelAllOccurrences(t *testing.T) {
	t.Run("index on the way", func(t *testing.T) { testLabelAllOccurrences(t, false) })
	t.Run("index in a job first", func(t *testing.T) {
		was := indexInJobAbove
		indexInJobAbove = 0
		t.Cleanup(func() { indexInJobAbove = was })
		testLabelAllOccurrences(t, true)
	})
}

// indexCalls is a project that counts the calls of IndexForSearch with a
// progress callback (a job's).
type indexCalls struct {
	annotate.Store
	withProgress int
}

func (s *indexCalls) IndexForSearch(ctx context.Context, progress func(done, todo int)) error {
	if progress != nil {
		s.withProgress++
	}
	return s.Store.IndexForSearch(ctx, progress)
}

func testLabelAllOccurrences(t *testing.T, inJob bool) {
	ws, _ := newSample(t)
	calls := &indexCalls{Store: ws.Store}
	ws.Store = calls
	im, err := ws.Store.NewImporter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := im.Add(annotate.NewDocument("other", "زار أوكرانيا ثم عاد. وأوكرانيا بعيدة. الأوكرانيون هنا.", nil))
	if err != nil || im.Close() != nil {
		t.Fatal(err)
	}
	s, e := find(t, ws, "أوكرانيا", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "2")
	if !ws.ui.offerButton.Visible() || !strings.Contains(ws.ui.message.Text, "more times in this document") {
		t.Errorf("no offer after labelling: %q", ws.ui.message.Text)
	}
	r := ws.openReview()
	ws.jobs.Wait()
	if jobs := map[bool]int{false: 0, true: 1}[inJob]; calls.withProgress != jobs {
		t.Errorf("%d jobs built the search index, want %d", calls.withProgress, jobs)
	}
	count := func(rows []occRow) (words, procl int) {
		for _, o := range rows {
			switch {
			case o.heading != "":
			case o.proclitic == "":
				words++
			default:
				procl++
			}
		}
		return
	}
	words, procl := count(r.here)
	if words == 0 || r.here[0].heading == "" {
		t.Fatalf("no other occurrence of أوكرانيا as a word, or no heading: %v", r.here)
	}
	r.accept(r.here, r.hereL)
	if got := len(ws.spans); got != 1+words+procl {
		t.Errorf("%d spans after accepting all here, want %d", got, 1+words+procl)
	}
	for _, sp := range ws.spans {
		if ws.spanText(sp) != "أوكرانيا" {
			t.Errorf("span %v is %q", sp, ws.spanText(sp))
		}
	}
	// The corpus: the word, and the form with و listed apart; not الأوكرانيون.
	if w, p := count(r.corpus); w != 1 || p != 1 {
		t.Errorf("corpus: %d as a word, %d with a proclitic; want 1 and 1: %v", w, p, r.corpus)
	}
	r.accept(r.corpus, r.corpL)
	spans, err := ws.Store.Spans(context.Background(), other, "amira")
	if err != nil || len(spans) != 2 || spans[0].Origin != annotate.Propagated || spans[1].Start != 22 {
		t.Errorf("the other document has %v (%v)", spans, err)
	}
	// One edit per document: one undo takes this document's back.
	ws.closeDialog()
	shortcut(ws, &fyne.ShortcutUndo{})
	if len(ws.spans) != 1 {
		t.Errorf("%d spans after undoing label all, want 1", len(ws.spans))
	}
}

func TestLabelsDialogRelabelsBeforeDeleting(t *testing.T) {
	ws, _ := newSample(t)
	withoutLearning(t, ws)
	s, e := find(t, ws, "ترامب", 0)
	ws.ui.view.SetSelection(s, e)
	test.Type(ws.ui.view, "1")
	ws.deleteLabel("PERSON", func() {})
	if !overlayHas(ws, "1 span (in all layers) uses PERSON") {
		t.Fatal("deleting a label in use does not say how many spans use it")
	}
	tapButton(t, ws, "Relabel and delete")
	if _, ok := ws.labels.Find("PERSON"); ok {
		t.Error("PERSON is still a label")
	}
	wantSpans(t, ws, "relabelled", []spanRow{{"ترامب", "PLACE"}})
	if ws.ui.labelBar.Objects == nil || len(ws.ui.labelBar.Objects) != 2 {
		t.Errorf("the label bar has %d labels, want 2", len(ws.ui.labelBar.Objects))
	}
	// A new label gets the next free key and works at once.
	if err := ws.Store.AddLabel(context.Background(), annotate.Label{Name: "ORG", Hotkey: freeHotkey(ws.labels)}); err != nil {
		t.Fatal(err)
	}
	ws.labelsChanged()
	l, _ := ws.labels.Find("ORG")
	if l.Hotkey != "1" {
		t.Errorf("ORG got key %q, want the free 1", l.Hotkey)
	}
	s, e = find(t, ws, "رويترز", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	wantSpans(t, ws, "new label", []spanRow{{"رويترز", "ORG"}, {"ترامب", "PLACE"}})
}

func TestAnnotatorPrompt(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	ws := openWS(t, a, "")
	if !overlayHas(ws, "Your name names your layer") {
		t.Fatal("the first run does not ask who is annotating")
	}
	s, e := find(t, ws, "ترامب", 0)
	ws.ui.view.SetSelection(s, e)
	ws.applyLabel(ws.labels[0])
	if n, _ := ws.Store.CountMatching(context.Background(), annotate.DocQuery{Layer: "", Status: annotate.InProgress}); n != 0 {
		t.Error("a span was stored without an annotator")
	}
	for _, c := range []struct {
		name string
		ok   bool
	}{{"amira", true}, {"gold", false}, {"suggestion", false}, {"", false}, {"a,b", false}} {
		if err := validAnnotator(c.name); (err == nil) != c.ok {
			t.Errorf("validAnnotator(%q) = %v", c.name, err)
		}
	}
	// Type the name in the dialog and press Enter.
	entry := topEntry(t, ws, anyEntry)
	test.Type(entry, "amira")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if ws.Window.Canvas().Overlays().Top() != nil {
		t.Error("Enter did not close the dialog")
	}
	if ws.Window.Canvas().Focused() != ws.ui.view {
		t.Error("after the name, the keyboard is not on the article")
	}
	if ws.Window.Title() != "sample — Qalam (amira)" || a.Preferences().String(prefAnnotator) != "amira" {
		t.Errorf("title %q, preference %q", ws.Window.Title(), a.Preferences().String(prefAnnotator))
	}
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	ws.setLayer("badr")
	if len(ws.spans) != 0 {
		t.Errorf("badr sees amira's %d spans", len(ws.spans))
	}
	ws.setLayer("amira")
	if len(ws.spans) != 1 {
		t.Errorf("amira's span is gone: %v", ws.spans)
	}
}

func TestSearchAndFilter(t *testing.T) {
	ws, _ := newSample(t)
	for _, c := range []struct {
		search string
		filter int
		want   int
	}{
		{"", 0, 6},
		{"أوكرانيا", 0, 1},
		{"ترامب", 0, 1},
		{"تونس", 0, -1}, // some of the ANT samples
		{"", 3, 0},      // done
		{"", 1, 6},      // to do
	} {
		ws.docs.filter.SetSelectedIndex(c.filter)
		ws.docs.search.SetText(c.search)
		ws.docs.search.OnSubmitted(c.search)
		got := ws.docs.list.Length()
		if c.want >= 0 && got != c.want || c.want < 0 && (got == 0 || got == 6) {
			t.Errorf("search %q filter %d: %d rows, want %d", c.search, c.filter, got, c.want)
		}
	}
	ws.docs.search.OnSubmitted("**")
	if !strings.Contains(ws.ui.message.Text, "Type a word") {
		t.Errorf("a query without words: %q", ws.ui.message.Text)
	}
}

func TestImportArticles(t *testing.T) {
	ws, _ := newSample(t)
	dir := t.TempDir()
	for i, text := range []string{"خبر أول عن تونس.", "خبر ثان عن الجزائر.", ""} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws.importArticles([]string{dir})
	ws.jobs.Wait()
	if n := ws.docs.list.Length(); n != 8 {
		t.Errorf("%d documents after importing 2, want 8", n)
	}
	if !overlayHas(ws, "Imported 2 articles") || !overlayHas(ws, "1 refused") {
		t.Error("the import's summary is missing")
	}
}

func TestProjectsAndTheme(t *testing.T) {
	ws, a := newSample(t)
	sample := ws.Store.Location()
	other := filepath.Join(t.TempDir(), "news"+project.Ext)
	ws.openProject(other, project.Create)
	ws.jobs.Wait()
	if ws.Window.Title() != "news — Qalam (amira)" || ws.doc.ID != 0 || ws.docs.list.Length() != 0 {
		t.Errorf("new project: title %q, doc %d, %d rows", ws.Window.Title(), ws.doc.ID, ws.docs.list.Length())
	}
	recent := a.Preferences().StringList(prefRecent)
	if len(recent) != 2 || !strings.HasSuffix(recent[0], "news"+project.Ext) {
		t.Errorf("recent projects %v", recent)
	}
	test.Type(ws.ui.view, "1") // nothing to label: no crash, no span
	ws.openProject(sample, project.Existing)
	ws.jobs.Wait()
	if ws.docs.list.Length() != 6 {
		t.Errorf("back on the sample: %d rows", ws.docs.list.Length())
	}
	for _, c := range []struct {
		id   string
		want fyne.ThemeVariant
	}{{"dark", 0}, {"light", 1}} {
		ws.applyTheme(c.id)
		th := a.Settings().Theme().(*qalamTheme)
		if !th.fixed || th.variant != c.want {
			t.Errorf("theme %s: %+v", c.id, th)
		}
	}
}

// TestShortcuts checks the Help → Shortcuts list against the issue's
// shortcuts, and that every shortcut is bound once.
func TestShortcuts(t *testing.T) {
	ws, _ := newSample(t)
	keys := map[string]string{}
	for _, r := range ws.shortcutRows() {
		for _, k := range strings.Split(r[2], ", ") {
			if other, ok := keys[k]; ok {
				t.Errorf("%s is bound to %q and %q", k, other, r[1])
			}
			keys[k] = r[1]
		}
	}
	for _, k := range []string{"Ctrl+O", "Ctrl+I", "Ctrl+E", "Ctrl+F", "Ctrl+Q", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Return", "Ctrl+N", "Enter", "X", "Delete", "F1", "Ctrl+R", "Ctrl+Shift+R"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%s is not in the shortcuts list", k)
		}
	}
	before := len(ws.App.Driver().AllWindows())
	ws.showShortcuts()
	if n := len(ws.App.Driver().AllWindows()); n != before+1 {
		t.Errorf("%d windows after Help → Shortcuts, want %d", n, before+1)
	}
	m := ws.mainMenu()
	var names []string
	for _, menu := range m.Items {
		names = append(names, menu.Label)
	}
	if want := []string{"File", "Edit", "Document", "Suggestions", "Review", "View", "Help"}; !reflect.DeepEqual(names, want) {
		t.Errorf("menus %v, want %v", names, want)
	}
	file := m.Items[0].Items
	if last := file[len(file)-1]; !last.IsQuit || last.Shortcut == nil {
		t.Error("File does not end with Quit (Ctrl+Q)")
	}
}

// selectText selects [s, e) as a user does: the view reports the change.
func selectText(ws *Workspace, s, e int) {
	ws.ui.view.SetSelection(s, e)
	ws.selectionChanged(s, e)
}

func TestTrimSpaces(t *testing.T) {
	for _, c := range []struct {
		text       string
		start, end int
		want       string
	}{
		{"ترامب، أجرى", 5, 11, "أجرى"},
		{"قال ترامب، ثم", 3, 10, "ترامب"},
		{`"رويترز" قالت`, 0, 8, "رويترز"},
		{"(U.S.) yes", 0, 6, "U.S."},
		{" \u200fواشنطن\n", 0, 9, "واشنطن"},
		{"، ،", 0, 3, ""},
	} {
		r := []rune(c.text)
		s, e := trimSpaces(r, c.start, c.end)
		if got := string(r[s:e]); got != c.want {
			t.Errorf("trimSpaces(%q, %d, %d) = %q, want %q", c.text, c.start, c.end, got, c.want)
		}
	}
}

// TestExportAndImportAnnotations exports the annotator's spans as JSONL
// and imports them into another project as suggestions.
func TestExportAndImportAnnotations(t *testing.T) {
	ws, _ := newSample(t)
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	shortcut(ws, ctrlEnter)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	ws.runExport(export.Options{Format: "jsonl", Output: out, Layer: "amira"})
	ws.jobs.Wait()
	if !overlayHas(ws, "Wrote 1 document (1 records, 1 spans)") {
		t.Fatal("no export summary")
	}
	ws.closeDialog()
	ws.openProject(filepath.Join(t.TempDir(), "other"+project.Ext), project.Create)
	ws.jobs.Wait()
	ws.runAnnotationImport([]string{out}, export.ImportOptions{Format: export.Auto, Layer: annotate.Suggestion})
	ws.jobs.Wait()
	if ws.docs.list.Length() != 1 || len(ws.suggests) != 1 || ws.spanText(ws.suggests[0]) != "ترامب" {
		t.Errorf("after importing: %d documents, suggestions %v", ws.docs.list.Length(), ws.suggests)
	}
}

// TestClosedAfterTheProject: Closed, which lets the command end the
// process, is closed only once the window has closed and the project with
// it, and closing again changes nothing.
func TestClosedAfterTheProject(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	var ws *Workspace
	storeClosed, closedFirst := false, false
	open := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
		s, err := testOpen(ctx, location, mode)
		if err != nil {
			return nil, err
		}
		return &closeRecorder{s, func() {
			if ws == nil {
				return // a store project.Open closes as it opens
			}
			storeClosed = true
			select {
			case <-ws.Closed():
				closedFirst = true
			default:
			}
		}}, nil
	}
	ws, err := OpenAs(a, open, "", "")
	if err != nil {
		t.Fatal(err)
	}
	ws.jobs.Wait()
	select {
	case <-ws.Closed():
		t.Fatal("Closed before the window closed")
	default:
	}
	ws.Window.Close()
	select {
	case <-ws.Closed():
	case <-time.After(5 * time.Second):
		t.Fatal("Closed is not closed 5 s after the window closed")
	}
	if !storeClosed || closedFirst {
		t.Errorf("the project closed: %v; Closed before it: %v", storeClosed, closedFirst)
	}
	ws.closeStore() // a second close, as a window closed twice would
}

// TestCloseWithTheWindowOpen: once Fyne's loop has ended without closing
// the window (SIGTERM), Close closes the project, with a review window
// open, and its file alone then holds the last edit; a later close of the
// window changes nothing.
func TestCloseWithTheWindowOpen(t *testing.T) {
	ws, _ := newSample(t)
	path := ws.Store.Location()
	if _, err := ws.Store.AddSpan(context.Background(), annotate.Span{DocID: ws.doc.ID, Layer: "amira", Start: 0, End: 3, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	ws.showAgreement()
	if ws.review == nil || ws.review.dash == nil {
		t.Fatal("no agreement window")
	}
	ws.Close()
	select {
	case <-ws.Closed():
	default:
		t.Fatal("Closed is not closed after Close")
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the write-ahead log is left behind (%d bytes): the file alone lacks the last edit", fi.Size())
	}
	ws.Window.Close()
}

// closeRecorder is a store that tells when it is closed.
type closeRecorder struct {
	annotate.Store
	onClose func()
}

func (c *closeRecorder) Close() error {
	c.onClose()
	return c.Store.Close()
}

// TestMain opens every test's project within OpenAs, however slow the
// machine: only TestSlowOpen shows a window before its project is open.
func TestMain(m *testing.M) {
	openWait = time.Minute
	firstFrameWait = 0 // Fyne's test driver draws no first frame
	os.Exit(m.Run())
}

// TestSlowOpen: a project slow to open (one made by an earlier version is
// brought up to date as it opens, a minute or more for a million
// documents) does not keep the window from showing. It shows without the
// project and says what is happening, then shows the project once it is
// open; when the window closes first, the project is closed as soon as it
// has opened. Opened from the menu, it leaves the project shown in place
// until it has opened, without holding the window.
func TestSlowOpen(t *testing.T) {
	defer func(w time.Duration) { openWait = w }(openWait)
	openWait = 10 * time.Millisecond
	for _, closeFirst := range []bool{false, true} {
		t.Setenv("XDG_DATA_HOME", t.TempDir())
		a := test.NewTempApp(t)
		a.Preferences().SetString(prefAnnotator, "amira")
		path := filepath.Join(t.TempDir(), "old.qalam")
		release := make(chan struct{})
		var opens, closes atomic.Int32
		open := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
			<-release // the upgrade, which goes on once begun
			s, err := testOpen(context.WithoutCancel(ctx), location, mode)
			if err != nil {
				return nil, err
			}
			opens.Add(1)
			return &closeRecorder{s, func() { closes.Add(1) }}, nil
		}
		ws, err := OpenAs(a, open, path, "")
		if err != nil {
			t.Fatal(err)
		}
		if !ws.placeholder || len(ws.dialogs) != 1 {
			t.Fatalf("before the project opened: placeholder %v, %d dialogs", ws.placeholder, len(ws.dialogs))
		}
		if !overlayHas(ws, "Opening old…") || !overlayHas(ws, "earlier version of Qalam") {
			t.Errorf("the window does not say the project is opening: %q", labelTexts(ws.Window.Canvas().Overlays().Top()))
		}
		if closeFirst {
			time.AfterFunc(50*time.Millisecond, func() { close(release) })
			ws.Window.Close() // waits for the opening
			if n, c := opens.Load(), closes.Load(); n == 0 || c != n {
				t.Errorf("window closed while opening: %d projects opened, %d closed", n, c)
			}
			continue
		}
		close(release)
		ws.jobs.Wait()
		if ws.placeholder || ws.Store == nil || !project.SameFile(ws.Store.Location(), path) {
			t.Fatalf("after opening: placeholder %v, store %v", ws.placeholder, ws.Store)
		}
		if len(ws.dialogs) != 0 || ws.Window.Canvas().Overlays().Top() != nil {
			t.Errorf("%d dialogs still shown", len(ws.dialogs))
		}
		release = make(chan struct{})
		other := filepath.Join(t.TempDir(), "other.qalam")
		if !ws.openProject(other, project.Create) {
			t.Fatal("opening another project failed")
		}
		if !project.SameFile(ws.Store.Location(), path) || !overlayHas(ws, "Opening other…") {
			t.Fatal("while another project opens, the one shown is not kept, or the window does not say so")
		}
		close(release)
		ws.jobs.Wait()
		if !project.SameFile(ws.Store.Location(), other) || len(ws.dialogs) != 0 {
			t.Fatalf("after opening another: %s shown, %d dialogs", ws.Store.Location(), len(ws.dialogs))
		}
		ws.Window.Close()
		if n, c := opens.Load(), closes.Load(); c != n {
			t.Errorf("%d projects opened, %d closed", n, c)
		}
	}
}
