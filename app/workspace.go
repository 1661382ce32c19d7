package app

import (
	"fmt"
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// ui holds the window's widgets.
type ui struct {
	view *widgets.ArticleView

	docTitle    *widget.Label
	docStatus   *widget.Label
	flagButton  *widget.Button
	commentBtn  *widget.Button
	doneButton  *widget.Button
	skipButton  *widget.Button
	prevButton  *widget.Button
	nextButton  *widget.Button
	labelBar    *fyne.Container
	spanList    *widget.List
	suggestList *widget.List
	tabs        *container.AppTabs
	spansTab    *container.TabItem
	suggestTab  *container.TabItem
	acceptAll   *widget.Button
	rejectAll   *widget.Button

	message     *widget.Label
	offerButton *widget.Button
	who         *widget.Label

	// syncing guards list selection callbacks while the code itself
	// selects a row.
	syncing bool
}

func (ws *Workspace) build() {
	u := &ui{}
	ws.ui = u
	ws.docs = newDocList(ws)

	u.view = widgets.NewArticleView()
	u.view.OnTypedRune = ws.typedRune
	u.view.OnTypedKey = ws.typedKey
	u.view.OnSelectionChanged = ws.selectionChanged
	u.view.OnSpanTapped = ws.spanTapped
	c := ws.Window.Canvas()
	c.SetOnTypedRune(ws.typedRune)
	c.SetOnTypedKey(ws.typedKey)

	u.docTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	u.docTitle.Truncation = fyne.TextTruncateEllipsis
	u.docStatus = widget.NewLabel("")
	u.doneButton = widget.NewButtonWithIcon("Done, next", theme.ConfirmIcon(), ws.doneAndNext)
	u.doneButton.Importance = widget.HighImportance
	u.skipButton = widget.NewButtonWithIcon("Skip", theme.MediaSkipNextIcon(), ws.skipAndNext)
	u.flagButton = widget.NewButtonWithIcon("Flag", theme.WarningIcon(), ws.toggleFlag)
	u.commentBtn = widget.NewButtonWithIcon("Comment", theme.DocumentCreateIcon(), ws.showComments)
	u.prevButton = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { ws.stepDocument(-1) })
	u.nextButton = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { ws.stepDocument(1) })
	docBar := container.NewBorder(nil, nil, container.NewHBox(u.prevButton, u.nextButton),
		container.NewHBox(u.docStatus, u.flagButton, u.commentBtn, u.skipButton, u.doneButton), u.docTitle)

	u.labelBar = container.NewVBox()
	editLabels := widget.NewButtonWithIcon("Labels…", theme.SettingsIcon(), ws.showLabels)
	u.spanList = ws.newSpanList()
	u.suggestList = ws.newSuggestList()
	u.acceptAll = widget.NewButtonWithIcon("Accept all", theme.ConfirmIcon(), ws.acceptAllSuggestions)
	u.rejectAll = widget.NewButtonWithIcon("Reject all", theme.CancelIcon(), ws.rejectAllSuggestions)
	u.spansTab = container.NewTabItem("Spans", u.spanList)
	u.suggestTab = container.NewTabItem("Suggestions", container.NewBorder(nil,
		container.NewGridWithColumns(2, u.acceptAll, u.rejectAll), nil, nil, u.suggestList))
	u.tabs = container.NewAppTabs(u.spansTab, u.suggestTab)
	right := container.NewBorder(
		container.NewVBox(heading("Labels"), u.labelBar, editLabels, widget.NewSeparator()),
		nil, nil, nil, u.tabs)

	u.message = widget.NewLabel("")
	u.message.Truncation = fyne.TextTruncateEllipsis
	u.offerButton = widget.NewButtonWithIcon("Label all occurrences…", theme.SearchReplaceIcon(), ws.reviewOccurrences)
	u.offerButton.Hide()
	u.who = widget.NewLabel("")
	status := container.NewBorder(nil, nil, nil, container.NewHBox(u.offerButton, u.who), u.message)

	centre := container.NewBorder(docBar, nil, nil, nil, container.NewStack(u.view, ws.newGuide()))
	split := container.NewHSplit(centre, right)
	split.Offset = 0.74
	outer := container.NewHSplit(ws.docs.panel(), split)
	outer.Offset = 0.24
	ws.Window.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, outer))
	ws.addShortcuts()
}

func heading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// --- the document --------------------------------------------------------

// openDocument shows document id, remembering it as the project's last.
func (ws *Workspace) openDocument(id int64) {
	if id == ws.doc.ID && id != 0 {
		return
	}
	doc, err := ws.Store.Document(ws.ctx, id)
	if err != nil {
		ws.showError(err)
		return
	}
	ws.enterDocument(doc)
}

// enterDocument shows doc, read from the store, and remembers it as the
// document last open.
func (ws *Workspace) enterDocument(doc annotate.Document) {
	ws.checkpoint()
	ws.App.Preferences().SetInt(prefLastDoc+ws.Store.Location(), int(doc.ID))
	ws.showDocument(doc)
	ws.docs.reveal(doc.ID)
}

func (ws *Workspace) showDocument(doc annotate.Document) {
	ws.doc = doc
	ws.selected, ws.offer = 0, nil
	ws.ui.view.SetSpans(nil)
	ws.ui.view.SetSelectedSpan(0)
	ws.ui.view.SetText(doc.Text)
	ws.ui.docTitle.SetText(doc.Name)
	ws.reload()
	ws.say("")
	ws.focusView()
}

func (ws *Workspace) focusView() {
	if c := ws.Window.Canvas(); c != nil && len(c.Overlays().List()) == 0 {
		c.Focus(ws.ui.view)
	}
}

// reload reads the document's spans, suggestions and status from the
// store and shows them: after every edit, so the window shows what was
// committed.
func (ws *Workspace) reload() {
	ws.checkpointSoon()
	ws.spans, ws.suggests = nil, nil
	ws.status, ws.flagged = annotate.Todo, false
	if ws.doc.ID != 0 && ws.layer != "" {
		var err error
		if ws.spans, err = ws.Store.Spans(ws.ctx, ws.doc.ID, ws.layer); err != nil {
			ws.showError(err)
		}
		if ws.suggests, err = ws.Store.Suggestions(ws.ctx, ws.doc.ID, ws.layer); err != nil {
			ws.showError(err)
		}
		ws.suggests, ws.twins = twins(ws.suggests)
		if ws.status, ws.flagged, err = ws.Store.Status(ws.ctx, ws.doc.ID, ws.layer); err != nil {
			ws.showError(err)
		}
	}
	if ws.selected != 0 {
		if _, ok := ws.spanByID(ws.selected); !ok {
			ws.selected = 0
		}
	}
	marks := make([]widgets.SpanMark, 0, len(ws.spans)+len(ws.suggests))
	for _, sp := range ws.spans {
		marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: ws.labelColor(sp.Label)})
	}
	for _, sp := range ws.suggests {
		marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: ws.labelColor(sp.Label), Suggestion: true})
	}
	u := ws.ui
	u.view.SetSpans(marks)
	u.view.SetSelectedSpan(ws.selected)
	u.spansTab.Text = fmt.Sprintf("Spans (%d)", len(ws.spans))
	u.suggestTab.Text = fmt.Sprintf("Suggestions (%d)", len(ws.suggests))
	u.tabs.Refresh()
	u.spanList.Refresh()
	u.suggestList.Refresh()
	ws.syncSpanLists()
	if len(ws.suggests) == 0 {
		u.acceptAll.Disable()
		u.rejectAll.Disable()
	} else {
		u.acceptAll.Enable()
		u.rejectAll.Enable()
	}
	ws.refreshLabelBar()
	ws.refreshDocBar()
	ws.docs.updateCurrent()
	ws.proposeIfChanged()
}

func (ws *Workspace) refreshDocBar() {
	u := ws.ui
	who := ws.layer
	if who == "" {
		who = "nobody (browsing)"
	}
	u.who.SetText("Annotator: " + who)
	defer ws.showConnection() // disables what edits while offline
	docButtons := []*widget.Button{u.doneButton, u.skipButton, u.flagButton, u.commentBtn, u.prevButton, u.nextButton}
	if ws.doc.ID == 0 {
		u.docTitle.SetText("No document: File → Import articles")
		u.docStatus.SetText("")
		for _, b := range docButtons {
			b.Disable()
		}
		return
	}
	for _, b := range docButtons {
		b.Enable()
	}
	u.docStatus.SetText(statusText(ws.status))
	if ws.flagged {
		u.flagButton.SetText("Flagged")
		u.flagButton.Importance = widget.WarningImportance
	} else {
		u.flagButton.SetText("Flag")
		u.flagButton.Importance = widget.MediumImportance
	}
	u.flagButton.Refresh()
}

func statusText(s annotate.Status) string {
	switch s {
	case annotate.InProgress:
		return "in progress"
	case annotate.Done:
		return "done"
	case annotate.Skipped:
		return "skipped"
	}
	return "to do"
}

// spanText is a span's text in the current document.
func (ws *Workspace) spanText(sp annotate.Span) string {
	if sp.Start < 0 || sp.Start >= sp.End {
		return ""
	}
	if s := ws.ui.view.TextRange(sp.Start, sp.End); utf8.RuneCountInString(s) == sp.End-sp.Start {
		return s
	}
	return ""
}

// spanByID finds a span shown, the annotator's or a suggestion.
func (ws *Workspace) spanByID(id int64) (annotate.Span, bool) {
	for _, list := range [][]annotate.Span{ws.spans, ws.suggests} {
		for _, sp := range list {
			if sp.ID == id {
				return sp, true
			}
		}
	}
	return annotate.Span{}, false
}

func (ws *Workspace) isSuggestion(id int64) bool {
	for _, sp := range ws.suggests {
		if sp.ID == id {
			return true
		}
	}
	return false
}

// --- colours -------------------------------------------------------------

func parseHex(s string) color.NRGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(strings.TrimPrefix(s, "#"), "%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{0x80, 0x80, 0x80, 0xff}
	}
	return color.NRGBA{r, g, b, 0xff}
}

func (ws *Workspace) labelColor(name string) color.Color {
	if l, ok := ws.labels.Find(name); ok {
		return parseHex(l.Color)
	}
	return color.NRGBA{0x80, 0x80, 0x80, 0xff}
}

func swatch(c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.CornerRadius = 3
	r.SetMinSize(fyne.NewSize(14, 14))
	return r
}

// --- the label bar -------------------------------------------------------

// refreshLabelBar rebuilds the label bar: colour, name, hotkey and how
// many spans of the document carry the label. A click applies the label.
func (ws *Workspace) refreshLabelBar() {
	if ws.ui == nil {
		return
	}
	counts := map[string]int{}
	for _, sp := range ws.spans {
		counts[sp.Label]++
	}
	bar := ws.ui.labelBar
	bar.RemoveAll()
	for _, l := range ws.labels {
		l := l
		b := widget.NewButton(l.Name, func() { ws.applyLabel(l) })
		b.Alignment = widget.ButtonAlignLeading
		key := widget.NewLabelWithStyle(l.Hotkey, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
		if l.Hotkey == "" {
			key.SetText(" ")
		}
		count := widget.NewLabel(fmt.Sprint(counts[l.Name]))
		sw := container.NewCenter(swatch(parseHex(l.Color)))
		bar.Add(container.NewBorder(nil, nil, sw, container.NewHBox(keyCap(key), count), b))
	}
	bar.Refresh()
}

// keyCap draws a key name in a small box.
func keyCap(l *widget.Label) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	bg.StrokeColor = theme.Color(theme.ColorNameDisabled)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	return container.NewStack(bg, l)
}

// --- span and suggestion lists -------------------------------------------

func (ws *Workspace) newSpanList() *widget.List {
	list := widget.NewList(
		func() int { return len(ws.spans) },
		func() fyne.CanvasObject { return newSpanRow(theme.DeleteIcon()) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ws.spans) {
				return
			}
			sp := ws.spans[i]
			buttons := ws.fillSpanRow(o, sp)
			buttons[0].OnTapped = func() { ws.deleteSpan(sp.ID) }
		})
	list.OnSelected = func(i widget.ListItemID) {
		if ws.ui.syncing || i >= len(ws.spans) {
			return
		}
		ws.selectSpan(ws.spans[i].ID, true)
		ws.focusView()
	}
	return list
}

// newSpanRow makes a row of the span and suggestion lists: the label's colour,
// the span's text, the label's name and a button per icon.
func newSpanRow(icons ...fyne.Resource) fyne.CanvasObject {
	right := container.NewHBox(widget.NewLabel(""))
	for _, icon := range icons {
		b := widget.NewButtonWithIcon("", icon, nil)
		b.Importance = widget.LowImportance
		right.Add(b)
	}
	// The span's text gives way to the label when the row is narrow.
	text := widget.NewLabel("")
	text.Truncation = fyne.TextTruncateEllipsis
	return container.NewBorder(nil, nil, container.NewCenter(swatch(color.Transparent)), right, text)
}

// fillSpanRow shows sp in a row from newSpanRow and returns the row's buttons.
func (ws *Workspace) fillSpanRow(o fyne.CanvasObject, sp annotate.Span) []*widget.Button {
	row := o.(*fyne.Container)
	row.Objects[0].(*widget.Label).SetText(shorten(ws.spanText(sp), 28))
	sw := row.Objects[1].(*fyne.Container).Objects[0].(*canvas.Rectangle)
	sw.FillColor = ws.labelColor(sp.Label)
	sw.Refresh()
	right := row.Objects[2].(*fyne.Container)
	right.Objects[0].(*widget.Label).SetText(sp.Label)
	buttons := make([]*widget.Button, len(right.Objects)-1)
	for i, b := range right.Objects[1:] {
		buttons[i] = b.(*widget.Button)
	}
	return buttons
}

func (ws *Workspace) newSuggestList() *widget.List {
	list := widget.NewList(
		func() int { return len(ws.suggests) },
		func() fyne.CanvasObject { return newSpanRow(theme.ConfirmIcon(), theme.CancelIcon()) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(ws.suggests) {
				return
			}
			sp := ws.suggests[i]
			buttons := ws.fillSpanRow(o, sp)
			ws.suggestionLabel(o, sp)
			buttons[0].OnTapped = func() { ws.acceptSuggestions("", sp.ID) }
			buttons[1].OnTapped = func() { ws.rejectSuggestions(sp.ID) }
		})
	list.OnSelected = func(i widget.ListItemID) {
		if ws.ui.syncing || i >= len(ws.suggests) {
			return
		}
		ws.selectSpan(ws.suggests[i].ID, true)
		ws.focusView()
	}
	return list
}

// selectSpan outlines span id (0: none) and selects its row; reveal
// scrolls the article to it and puts the caret at its start.
func (ws *Workspace) selectSpan(id int64, reveal bool) {
	ws.selected = id
	ws.ui.view.SetSelectedSpan(id)
	if sp, ok := ws.spanByID(id); ok && reveal {
		ws.ui.view.ScrollToOffset(sp.Start)
		ws.ui.view.SetSelection(sp.Start, sp.Start)
	}
	ws.syncSpanLists()
}

// syncSpanLists selects, in the span and suggestion lists, the row of the
// selected span.
func (ws *Workspace) syncSpanLists() {
	u := ws.ui
	u.syncing = true
	defer func() { u.syncing = false }()
	u.spanList.UnselectAll()
	u.suggestList.UnselectAll()
	for i, sp := range ws.spans {
		if sp.ID == ws.selected {
			u.spanList.Select(i)
			u.tabs.Select(u.spansTab)
			return
		}
	}
	for i, sp := range ws.suggests {
		if sp.ID == ws.selected {
			u.suggestList.Select(i)
			u.tabs.Select(u.suggestTab)
			return
		}
	}
}

// --- events from the article view ----------------------------------------

func (ws *Workspace) selectionChanged(start, end int) {
	if ws.selected == 0 {
		return
	}
	sp, ok := ws.spanByID(ws.selected)
	// A click inside the selected span keeps it (clicking again cycles
	// through overlapping spans); anything else lets it go.
	if !ok || start != end || start < sp.Start || start > sp.End {
		ws.selectSpan(0, false)
	}
}

func (ws *Workspace) spanTapped(id int64) {
	ws.selectSpan(id, false)
	if sp, ok := ws.spanByID(id); ok {
		msg := "a label's key relabels it, Delete removes it"
		if ws.isSuggestion(id) {
			msg = ws.suggestionHint(sp)
		}
		ws.say(fmt.Sprintf("%s, %s: %s", sp.Label, msg, ws.spanText(sp)))
	}
}

// typedRune handles label hotkeys and X (reject the suggestion at the
// caret).
func (ws *Workspace) typedRune(r rune) {
	if l, ok := ws.labels.ByHotkey(string(r)); ok {
		ws.applyLabel(l)
		return
	}
	if r == 'x' || r == 'X' {
		ws.rejectSuggestionAtCaret()
	}
}

// typedKey handles Delete, Enter and Escape.
func (ws *Workspace) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		if ws.selected != 0 {
			if ws.isSuggestion(ws.selected) {
				ws.rejectSuggestions(ws.selected)
			} else {
				ws.deleteSpan(ws.selected)
			}
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		ws.acceptSuggestionAtCaret()
	case fyne.KeyF1:
		ws.showShortcuts()
	case fyne.KeyEscape:
		if ws.closeDialog() {
			return
		}
		// Collapse to the selection's end: the annotator goes on from there.
		ws.selectSpan(0, false)
		_, e := ws.ui.view.Selection()
		ws.ui.view.SetSelection(e, e)
	}
}
