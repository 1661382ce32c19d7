package app

import (
	"fmt"
	"image/color"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// ui holds the window's widgets.
type ui struct {
	view *widgets.ArticleView

	docTitle    *widgets.BidiLabel
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

	message     *widgets.BidiLabel
	offerButton *widget.Button
	who         *widgets.BidiLabel

	// syncing guards list selection callbacks while the code itself
	// selects a row.
	syncing bool
}

// build makes the window's content in the interface's language and
// direction: in Arabic the document list stands at the right, the labels
// and spans at the left of the article, and every row reads from the
// right.
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

	u.docTitle = docLabel("")
	u.docTitle.TextStyle.Bold = true
	u.docStatus = widget.NewLabel("")
	u.doneButton = widget.NewButtonWithIcon(lang.L("Done, next"), theme.ConfirmIcon(), ws.doneAndNext)
	u.doneButton.Importance = widget.HighImportance
	u.skipButton = widget.NewButtonWithIcon(lang.L("Skip"), theme.MediaSkipNextIcon(), ws.skipAndNext)
	u.flagButton = widget.NewButtonWithIcon(lang.L("Flag"), theme.WarningIcon(), ws.toggleFlag)
	u.commentBtn = widget.NewButtonWithIcon(lang.L("Comment"), theme.DocumentCreateIcon(), ws.showComments)
	// Back points to where reading came from: the left, or the right in
	// Arabic.
	back, forward := theme.NavigateBackIcon(), theme.NavigateNextIcon()
	if rtl() {
		back, forward = forward, back
	}
	u.prevButton = widget.NewButtonWithIcon("", back, func() { ws.stepDocument(-1) })
	u.nextButton = widget.NewButtonWithIcon("", forward, func() { ws.stepDocument(1) })
	docBar := edges(row(u.prevButton, u.nextButton),
		row(u.docStatus, u.flagButton, u.commentBtn, u.skipButton, u.doneButton), u.docTitle)

	u.labelBar = container.NewVBox()
	editLabels := widget.NewButtonWithIcon(lang.L("Labels…"), theme.SettingsIcon(), ws.showLabels)
	u.spanList = ws.newSpanList()
	u.suggestList = ws.newSuggestList()
	u.acceptAll = widget.NewButtonWithIcon(lang.L("Accept all"), theme.ConfirmIcon(), ws.acceptAllSuggestions)
	u.rejectAll = widget.NewButtonWithIcon(lang.L("Reject all"), theme.CancelIcon(), ws.rejectAllSuggestions)
	u.spansTab = container.NewTabItem(lang.L("Spans"), u.spanList)
	u.suggestTab = container.NewTabItem(lang.L("Suggestions"), container.NewBorder(nil,
		container.NewGridWithColumns(2, reading([]fyne.CanvasObject{u.acceptAll, u.rejectAll})...), nil, nil, u.suggestList))
	u.tabs = container.NewAppTabs(u.spansTab, u.suggestTab)
	side := container.NewBorder(
		container.NewVBox(heading(lang.L("Labels")), u.labelBar, editLabels, widget.NewSeparator()),
		nil, nil, nil, u.tabs)

	u.message = message("")
	u.offerButton = widget.NewButtonWithIcon(lang.L("Label all occurrences…"), theme.SearchReplaceIcon(), ws.reviewOccurrences)
	u.offerButton.Hide()
	u.who = uiLabel("")
	u.who.Truncation = fyne.TextTruncateOff
	status := edges(nil, row(u.offerButton, u.who), u.message)

	centre := container.NewBorder(docBar, nil, nil, nil, container.NewStack(u.view, ws.newGuide()))
	ws.Window.SetContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil,
		split(ws.docs.panel(), split(centre, side, 0.74), 0.24)))
	ws.addShortcuts()
}

// heading is a bold line of the interface.
func heading(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, leading(), fyne.TextStyle{Bold: true})
}

// withCount is a title and a count for a widget Fyne draws (a tab): in
// Arabic the count stands at the left, where a right-to-left line ends.
func withCount(title string, n int) string {
	return fyneLine(title, fmt.Sprintf("(%d)", n))
}

// --- the document --------------------------------------------------------

// longDocument is the size of text from which a document is read in
// the background (openLong): a book of a hundred megabytes takes a third
// of a second to read, or more, and the window answers meanwhile.
const longDocument = 4 << 20

// openDocument shows document id, remembering it as the project's last;
// a long one once it is read in the background (openLong).
func (ws *Workspace) openDocument(id int64) {
	if id == ws.reading && id != 0 {
		return
	}
	if id == ws.doc.ID && id != 0 {
		if ws.reading != 0 {
			// Chosen again while a long one is read: it stays.
			ws.opens++
			ws.reading = 0
			ws.say("")
		}
		return
	}
	// The collector is held off while it is read and laid out (collector);
	// a long one has room of its own (readLong).
	defer collector().whileOpening()()
	size, err := ws.Store.TextSize(ws.ctx, id)
	if err != nil {
		ws.showError(err)
		return
	}
	if size >= longDocument {
		ws.openLong(id, size)
		return
	}
	doc, err := ws.Store.Document(ws.ctx, id)
	if err != nil {
		ws.showError(err)
		return
	}
	ws.enterDocument(doc, widgets.PrepareText(doc.Text))
}

// openLong reads document id, a long one, in the background, and shows
// it once read unless another document was opened meanwhile: the window
// shows the document it showed, and answers, until then.
//
// When the window shows no document, as when the app starts, it shows
// the document's start as soon as that is read, a millisecond's work,
// and the whole once read (widgets.ArticleView.SetPendingText). Until
// then no document is open: nothing edits it, the document bar's
// buttons are disabled, and the status line says it is being opened.
func (ws *Workspace) openLong(id int64, size int) {
	ws.opens++
	ws.reading = id
	opens, store := ws.opens, ws.Store
	opening := lang.L("Opening the document…")
	ws.say(opening)
	read := ws.ahead
	ws.ahead = nil
	if read == nil || read.store != store || read.id != id {
		read = ws.readLong(store, id, size)
	}
	show := func() {
		defer read.release()
		if ws.opens != opens || ws.Store != store {
			return // another document, or project, was opened meanwhile
		}
		ws.reading = 0
		if read.err != nil {
			if ws.doc.ID == 0 {
				ws.ui.view.SetPreparedText(widgets.PreparedText{}) // its start, shown
			}
			ws.showError(read.err)
			return
		}
		said := ws.ui.message.Text
		ws.enterDocument(read.doc, read.text)
		if said != opening && ws.ui.message.Text == "" {
			ws.say(said) // said meanwhile: an import's outcome
		}
	}
	select {
	case <-read.done:
		show()
	default:
		if ws.doc.ID == 0 {
			ws.refreshDocBar() // nothing to edit until it is open
			ws.ui.view.SetPendingText(func() (widgets.PreparedText, bool) {
				if ws.opens != opens || ws.Store != store {
					return widgets.PreparedText{}, false
				}
				return read.ready()
			})
		}
		ws.background(func() func() {
			<-read.done
			return show
		})
	}
}

// longRead is a long document read, and its text prepared for the view,
// in the background (readLong): its start first, then the whole.
type longRead struct {
	store annotate.Store
	id    int64
	// headRead is closed once head is set: the text's start, prepared;
	// never when it could not be read.
	headRead chan struct{}
	head     widgets.PreparedText
	done     chan struct{} // closed once doc, text and err are set
	doc      annotate.Document
	text     widgets.PreparedText
	err      error
	// release gives up the collector's room for the text, once the
	// document is shown (the view has room of its own) or given up.
	release func()
}

// ready is what the window may show of the document before it shows it
// (widgets.ArticleView.SetPendingText): the whole text once read, or
// else its start.
func (r *longRead) ready() (widgets.PreparedText, bool) {
	select {
	case <-r.done:
		if r.err == nil {
			return r.text, true
		}
	default:
	}
	select {
	case <-r.headRead:
		return r.head, true
	default:
		return widgets.PreparedText{}, false
	}
}

// headRunes is how much of a long document is read first, to be shown
// while the rest is read: more than the largest screen shows at the
// smallest text size.
const headRunes = 64 << 10

// textRoom is the room the collector needs for a text of n bytes while
// it is read and prepared: the text, and the view's index of it, which
// takes 6% of a hundred megabytes of news. Once prepared, the text's
// room is what the view keeps (PreparedText.Bytes).
func textRoom(n int) int { return n + n/16 }

// readLong reads document id of store, its text size bytes, and prepares
// the text, on a goroutine of its own (counted in ws.jobs): the first
// headRunes code points, then the whole once the window's first frame
// is drawn (ws.drawn): as the app starts, that frame shows the start.
//
// From now until it is shown, the collector has room for the text
// (collector): a hundred megabytes are more than the session's heap
// limit, and the collector would otherwise run without pause once they
// are read: building the window took twice as long.
func (ws *Workspace) readLong(store annotate.Store, id int64, size int) *longRead {
	r := &longRead{store: store, id: id, headRead: make(chan struct{}), done: make(chan struct{})}
	holder := fmt.Sprintf("document %d, read in the background (%p)", id, r)
	collector().hold(holder, textRoom(size))
	r.release = func() { collector().hold(holder, 0) }
	ws.jobs.Add(1)
	go func() {
		defer ws.jobs.Done()
		defer close(r.done)
		if head, err := store.TextHead(ws.ctx, id, headRunes); err == nil {
			// Whole paragraphs, where there are several.
			if i := strings.LastIndexByte(head, '\n'); i >= len(head)/2 {
				head = head[:i+1]
			}
			r.head = widgets.PrepareText(head)
			close(r.headRead)
		}
		select {
		case <-ws.drawn:
		case <-ws.ctx.Done():
		}
		if r.doc, r.err = store.Document(ws.ctx, id); r.err == nil {
			r.text = widgets.PrepareText(r.doc.Text)
		}
	}()
	return r
}

// readAhead starts reading the document the project s will open with
// (firstDocument), when it is a long one, as the app starts: its start
// is read while the window is built, and the whole once the window's
// first frame is drawn (readLong).
func (ws *Workspace) readAhead(s annotate.Store) {
	id := ws.firstDocument(s, listQuery(ws.layer))
	if id == 0 {
		return
	}
	if size, err := s.TextSize(ws.ctx, id); err == nil && size >= longDocument {
		ws.ahead = ws.readLong(s, id, size)
	}
}

// enterDocument shows doc, read from the store, its text prepared for
// the view, and remembers it as the document last open.
func (ws *Workspace) enterDocument(doc annotate.Document, text widgets.PreparedText) {
	ws.checkpoint()
	ws.App.Preferences().SetInt(prefLastDoc+ws.Store.Location(), int(doc.ID))
	ws.showDocument(doc, text)
	ws.docs.reveal(doc.ID)
}

// showDocument shows doc, its text prepared for the view
// (widgets.PrepareText); the zero Document and PreparedText show none.
func (ws *Workspace) showDocument(doc annotate.Document, text widgets.PreparedText) {
	ws.opens++
	ws.reading = 0
	ws.doc = doc
	ws.selected, ws.offer = 0, nil
	ws.ui.view.SetSpans(nil)
	ws.ui.view.SetSelectedSpan(0)
	ws.ui.view.SetPreparedText(text)
	collector().hold("article", text.Bytes())
	ws.ui.docTitle.SetText(doc.Name)
	ws.findHits()
	ws.reload()
	ws.say("")
	if len(ws.hits) > 0 {
		ws.selectHit(0)
	}
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
	ws.drawMarks()
	u := ws.ui
	u.spansTab.Text = withCount(lang.L("Spans"), len(ws.spans))
	u.suggestTab.Text = withCount(lang.L("Suggestions"), len(ws.suggests))
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

// drawMarks draws the annotator's spans, the suggestions and the search's
// hits in the article.
func (ws *Workspace) drawMarks() {
	marks := make([]widgets.SpanMark, 0, len(ws.spans)+len(ws.suggests)+len(ws.hits))
	for _, sp := range ws.spans {
		marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: ws.labelColor(sp.Label)})
	}
	for _, sp := range ws.suggests {
		marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: ws.labelColor(sp.Label), Suggestion: true})
	}
	marks = append(marks, ws.hitMarks()...)
	ws.ui.view.SetSpans(marks)
	ws.ui.view.SetSelectedSpan(ws.selected)
}

func (ws *Workspace) refreshDocBar() {
	u := ws.ui
	switch ws.layer {
	case "":
		u.who.SetText(lang.L("Browsing: no layer edited"))
	case annotate.Gold:
		u.who.SetText(lang.L("Reviewer: editing gold"))
	default:
		u.who.SetText(lang.L("Annotator: {{.Name}}", M{"Name": quote(ws.layer)}))
	}
	defer ws.showConnection() // disables what edits while offline
	docButtons := []*widget.Button{u.doneButton, u.skipButton, u.flagButton, u.commentBtn, u.prevButton, u.nextButton}
	if ws.doc.ID == 0 {
		u.docTitle.SetText("")
		u.docStatus.SetText("")
		for _, b := range docButtons {
			b.Disable()
		}
		if ws.reading == 0 { // else one is being opened (openLong)
			ws.guide.noDocument.Show() // how to bring articles in
		} else {
			ws.guide.noDocument.Hide()
		}
		return
	}
	ws.guide.noDocument.Hide()
	for _, b := range docButtons {
		b.Enable()
	}
	u.docStatus.SetText(statusText(ws.status))
	if ws.flagged {
		u.flagButton.SetText(lang.L("Flagged"))
		u.flagButton.Importance = widget.WarningImportance
	} else {
		u.flagButton.SetText(lang.L("Flag"))
		u.flagButton.Importance = widget.MediumImportance
	}
	u.flagButton.Refresh()
}

// statusText names a status, as a word of the interface.
func statusText(s annotate.Status) string {
	switch s {
	case annotate.InProgress:
		return lang.X("status.inprogress", "in progress")
	case annotate.Done:
		return lang.X("status.done", "done")
	case annotate.Skipped:
		return lang.X("status.skipped", "skipped")
	}
	return lang.X("status.todo", "to do")
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
		// The button draws no text: a name a user typed is a BidiLabel.
		b := widget.NewButton("", func() { ws.applyLabel(l) })
		name := docLabel(l.Name)
		key := widget.NewLabelWithStyle(l.Hotkey, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
		if l.Hotkey == "" {
			key.SetText(" ")
		}
		count := widget.NewLabel(fmt.Sprint(counts[l.Name]))
		sw := container.NewCenter(swatch(parseHex(l.Color)))
		bar.Add(edges(sw, row(keyCap(key), count), container.NewStack(b, name)))
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
			r := o.(*spanListRow)
			ws.fillSpanRow(r, sp)
			r.buttons[0].OnTapped = func() { ws.deleteSpan(sp.ID) }
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

// spanListRow is a row of the span and suggestion lists: the label's colour
// (with a suggestion's other label as a square inside), the span's text,
// the label's name and a button per icon. The text gives way to the
// label when the row is narrow, and a gap keeps them apart.
type spanListRow struct {
	widget.BaseWidget
	box     *fyne.Container
	swatch  *canvas.Rectangle
	alt     *canvas.Rectangle
	text    *widgets.BidiLabel
	label   *widgets.BidiLabel
	buttons []*widget.Button
}

func newSpanRow(icons ...fyne.Resource) *spanListRow {
	r := &spanListRow{swatch: swatch(color.Transparent), alt: canvas.NewRectangle(color.Transparent)}
	r.alt.CornerRadius = 1
	r.alt.SetMinSize(fyne.NewSize(6, 6))
	r.alt.Hide()
	r.text = docLabel("")
	r.label = docLabel("")
	r.label.Truncation = fyne.TextTruncateOff
	end := []fyne.CanvasObject{gap(), r.label}
	for _, icon := range icons {
		b := widget.NewButtonWithIcon("", icon, nil)
		b.Importance = widget.LowImportance
		r.buttons = append(r.buttons, b)
		end = append(end, b)
	}
	r.box = edges(container.NewCenter(container.NewStack(r.swatch, container.NewCenter(r.alt))), row(end...), r.text)
	r.ExtendBaseWidget(r)
	return r
}

func (r *spanListRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// gap is a blank as wide as the theme's padding.
func gap() fyne.CanvasObject {
	g := canvas.NewRectangle(color.Transparent)
	g.SetMinSize(fyne.NewSize(theme.Padding()*2, 1))
	return g
}

// fillSpanRow shows sp in a row from newSpanRow.
func (ws *Workspace) fillSpanRow(r *spanListRow, sp annotate.Span) {
	r.text.SetText(ws.spanText(sp))
	r.swatch.FillColor = ws.labelColor(sp.Label)
	r.swatch.Refresh()
	r.label.SetText(sp.Label)
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
			r := o.(*spanListRow)
			ws.fillSpanRow(r, sp)
			ws.suggestionLabel(r, sp)
			r.buttons[0].OnTapped = func() { ws.acceptSuggestions("", sp.ID) }
			r.buttons[1].OnTapped = func() { ws.rejectSuggestions(sp.ID) }
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
	if id < 0 {
		return // a search hit
	}
	ws.selectSpan(id, false)
	if sp, ok := ws.spanByID(id); ok {
		if ws.isSuggestion(id) {
			ws.say(ws.suggestionHint(sp))
			return
		}
		ws.say(lang.L("{{.Label}}: {{.Text}} (a label's key relabels it, Delete removes it)", M{"Label": quote(sp.Label), "Text": quote(ws.spanText(sp))}))
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
