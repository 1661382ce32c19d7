package app

import (
	"context"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// The adjudication window shows one document as each compared layer
// marked it, one article view per layer stacked above a view of gold, all
// the same width: the text wraps the same way in every view, so a name
// sits at the same place in each and a difference shows as a highlight
// that one view has and the next lacks, or has in another colour. (Drawn
// over each other in one view, two layers' spans of the same label would
// share one colour and the view's nesting could not say whose is whose.)
// Spans in stretches where the layers differ are drawn strong, agreed ones
// faint. The list on the right has the stretches (clusters of overlapping
// spans), those that differ first; for the current one the reviewer
// accepts one layer's version, all of them, or edits gold by hand. Each
// decision is one undoable edit of gold (sqlite.Settle).

// adjudicator is the adjudication window.
type adjudicator struct {
	ws  *Workspace
	win fyne.Window

	doc      annotate.Document
	runes    []rune
	compared []string // the layers compared (the reviewer's choice)
	layers   []string // those shown for this document
	note     string   // why these layers, when not every compared one
	versions map[string][]annotate.Span
	status   map[string]annotate.Status
	gold     []annotate.Span
	goldSt   annotate.Status
	settled  []annotate.Stretch
	clusters []annotate.Cluster
	order    []int // cluster indexes as listed: those that differ, then agreed ones
	current  int   // index into clusters, -1 for none
	editing  bool  // gold is being edited by hand
	goldSel  int64 // the gold span selected while editing

	title    *widgets.BidiLabel
	progress *widgets.ProgressLine
	bands    *fyne.Container
	views    map[string]*widgets.ArticleView // by layer, gold included
	heads    map[string]*widgets.BidiLabel
	list     *widget.List
	detail   *fyne.Container
	message  *widgets.BidiLabel
	keys     *widgets.BidiLabel // the keys that work now
	agreed   *widget.Button
	done     *widget.Button
	syncing  bool
	listSel  int // the row selected in list, -1 for none
}

// adjudicateCurrent is Review → Adjudicate this document.
func (ws *Workspace) adjudicateCurrent() {
	if ws.doc.ID == 0 {
		ws.say(lang.L("Open a document first"))
		return
	}
	ws.adjudicate(ws.doc.ID)
}

// adjudicate opens document id in the adjudication window.
func (ws *Workspace) adjudicate(id int64) {
	rv := ws.reviewState()
	if rv.adj == nil {
		a := &adjudicator{ws: ws, current: -1, listSel: -1}
		a.win = ws.App.NewWindow(lang.L("Adjudicate"))
		a.build()
		a.win.Resize(fyne.NewSize(1280, 820))
		a.win.SetOnClosed(func() {
			if ws.review != nil && ws.review.adj == a {
				ws.review.adj = nil
			}
			collector().hold("adjudication", 0)
		})
		rv.adj = a
	}
	a := rv.adj
	a.open(id)
	a.win.Show()
	a.win.RequestFocus()
}

func (a *adjudicator) build() {
	a.views = map[string]*widgets.ArticleView{}
	a.heads = map[string]*widgets.BidiLabel{}
	a.title = docLabel("")
	a.title.TextStyle.Bold = true
	a.progress = widgets.NewProgressLine()
	a.progress.SetDirection(uiDirection())
	back, forward := theme.NavigateBackIcon(), theme.NavigateNextIcon()
	if rtl() {
		back, forward = forward, back
	}
	prev := widget.NewButtonWithIcon("", back, func() { a.stepDocument(-1) })
	next := widget.NewButtonWithIcon("", forward, func() { a.stepDocument(1) })
	a.agreed = widget.NewButtonWithIcon(lang.L("Accept all agreed"), theme.ConfirmIcon(), a.acceptAgreed)
	a.done = widget.NewButtonWithIcon(lang.L("Gold done, next"), theme.ConfirmIcon(), a.goldDone)
	a.done.Importance = widget.HighImportance
	top := container.NewVBox(
		edges(row(prev, next), row(a.agreed, a.done), a.title),
		a.progress.Object())

	a.bands = container.NewGridWithRows(1)
	a.detail = container.NewVBox()
	a.list = widget.NewList(func() int { return len(a.order) }, a.createRow, a.updateRow)
	a.list.OnSelected = func(i widget.ListItemID) {
		if a.syncing || i >= len(a.order) {
			return
		}
		a.setCurrent(a.order[i])
		a.win.Canvas().Unfocus()
	}
	side := container.NewBorder(container.NewVBox(a.detail, widget.NewSeparator(), heading(lang.L("Stretches, those that differ first"))), nil, nil, nil, a.list)

	a.message = message("")
	a.keys = message("")
	a.keys.SizeName = theme.SizeNameCaptionText
	bottom := container.NewVBox(widget.NewSeparator(), a.message, a.keys)
	a.win.SetContent(container.NewBorder(top, bottom, nil, nil, split(a.bands, side, 0.64)))

	c := a.win.Canvas()
	c.SetOnTypedRune(a.typedRune)
	c.SetOnTypedKey(a.typedKey)
	for _, b := range a.shortcuts() {
		b := b
		c.AddShortcut(b.shortcut, func(fyne.Shortcut) {
			if len(c.Overlays().List()) == 0 {
				b.action()
			}
		})
	}
}

// shortcuts are the adjudication window's commands with a modifier.
func (a *adjudicator) shortcuts() []binding {
	return []binding{
		{name: "Undo", shortcut: &fyne.ShortcutUndo{}, action: func() { a.replay(true) }},
		{name: "Redo", shortcut: key(fyne.KeyZ, ctrl|fyne.KeyModifierShift), action: func() { a.replay(false) }},
		{name: "Redo", shortcut: &fyne.ShortcutRedo{}, action: func() { a.replay(false) }},
		{name: "Next difference", shortcut: key(fyne.KeyDown, ctrl), action: func() { a.step(1) }},
		{name: "Previous difference", shortcut: key(fyne.KeyUp, ctrl), action: func() { a.step(-1) }},
		{name: "Gold done, next document", shortcut: key(fyne.KeyReturn, ctrl), action: a.goldDone},
		{name: "Gold done, next document", shortcut: key(fyne.KeyEnter, ctrl), action: a.goldDone},
		{name: "Next document", shortcut: key(fyne.KeyPageDown, ctrl), action: func() { a.stepDocument(1) }},
		{name: "Previous document", shortcut: key(fyne.KeyPageUp, ctrl), action: func() { a.stepDocument(-1) }},
		{name: "Accept all agreed", shortcut: key(fyne.KeyA, ctrl|fyne.KeyModifierShift), action: a.acceptAgreed},
		{name: "Close", shortcut: key(fyne.KeyW, ctrl), action: a.win.Close},
	}
}

// --- loading ---------------------------------------------------------------

// open shows document id.
func (a *adjudicator) open(id int64) {
	ws := a.ws
	defer collector().whileOpening()()
	doc, err := ws.Store.Document(ws.ctx, id)
	if err != nil {
		ws.showError(err)
		return
	}
	compared, err := ws.comparedLayers()
	if err != nil {
		ws.showError(err)
		return
	}
	a.doc, a.runes = doc, []rune(doc.Text)
	collector().hold("adjudication", len(doc.Text)+4*len(a.runes))
	a.editing, a.goldSel, a.current = false, 0, -1
	a.syncing = true
	a.list.UnselectAll()
	a.syncing, a.listSel = false, -1
	a.versions = map[string][]annotate.Span{}
	a.status = map[string]annotate.Status{}
	for _, l := range compared {
		if a.versions[l], err = ws.Store.Spans(ws.ctx, id, l); err != nil {
			ws.showError(err)
			return
		}
		if a.status[l], _, err = ws.Store.Status(ws.ctx, id, l); err != nil {
			ws.showError(err)
			return
		}
	}
	a.compared = compared
	a.layers, a.note = chooseLayers(compared, a.status, a.versions)
	a.win.SetTitle(lang.L("Adjudicate — {{.Name}}", M{"Name": doc.Name}))
	a.title.SetText(doc.Name)
	a.buildBands()
	for _, v := range a.views {
		v.SetSpans(nil)
		v.SetSelectedSpan(0)
		v.SetText(doc.Text)
	}
	a.reload()
	if i := a.nextOpen(-1); i >= 0 {
		a.setCurrent(i)
	} else if len(a.order) > 0 {
		a.setCurrent(a.order[0])
	}
	msg := a.note
	if msg == "" {
		msg = lang.L("Comparing {{.Layers}}.", M{"Layers": names(a.layers)})
	}
	a.say(msg)
	a.win.Canvas().Unfocus()
}

// chooseLayers picks the compared layers to show on a document: those that
// finished it (as the agreement figures count it), or, when fewer than two
// did, every one that worked on it.
func chooseLayers(compared []string, status map[string]annotate.Status, versions map[string][]annotate.Span) ([]string, string) {
	var done, worked, missing []string
	for _, l := range compared {
		switch {
		case status[l] == annotate.Done:
			done = append(done, l)
			worked = append(worked, l)
		case status[l] != annotate.Todo || len(versions[l]) > 0:
			worked = append(worked, l)
			missing = append(missing, l)
		default:
			missing = append(missing, l)
		}
	}
	switch {
	case len(done) >= 2 && len(missing) == 0:
		return done, ""
	case len(done) >= 2:
		return done, lang.L("Comparing {{.Done}}, who finished this document; {{.Missing}} did not and are left out, as in the agreement figures.",
			M{"Done": names(done), "Missing": names(missing)})
	case len(worked) == 0:
		return nil, lang.L("No compared layer has worked on this document: E edits gold by hand.")
	}
	return worked, lang.L("Fewer than two layers finished this document: showing every layer that worked on it ({{.Layers}}).", M{"Layers": names(worked)})
}

// buildBands makes one article view per layer shown, and gold's, when the
// layers changed.
func (a *adjudicator) buildBands() {
	names := append(slices.Clone(a.layers), annotate.Gold)
	if len(a.bands.Objects) == len(names) {
		same := true
		for _, n := range names {
			same = same && a.views[n] != nil
		}
		if same {
			return
		}
	}
	a.views = map[string]*widgets.ArticleView{}
	a.heads = map[string]*widgets.BidiLabel{}
	a.bands.RemoveAll()
	a.bands.Layout = &widgets.RevealLayout{Inner: layout.NewGridLayoutWithRows(len(names)), Reveal: a.revealCurrent}
	for _, n := range names {
		n := n
		v := widgets.NewArticleView()
		v.SetTextSize(a.ws.ui.view.TextSize())
		v.OnTypedRune = a.typedRune
		v.OnTypedKey = a.typedKey
		v.OnSpanTapped = func(id int64) { a.spanTapped(n, id) }
		if n == annotate.Gold {
			v.OnSelectionChanged = a.goldSelectionChanged
		}
		head := uiLabel("")
		head.TextStyle.Bold = true
		a.views[n], a.heads[n] = v, head
		a.bands.Add(container.NewBorder(head, nil, nil, nil, v))
	}
	a.bands.Refresh()
}

// reload reads gold and the settled stretches again and redraws: after
// every decision, so the window shows what the project holds.
func (a *adjudicator) reload() {
	ws := a.ws
	var err error
	if a.gold, err = ws.Store.Spans(ws.ctx, a.doc.ID, annotate.Gold); err != nil {
		ws.showError(err)
	}
	if a.goldSt, _, err = ws.Store.Status(ws.ctx, a.doc.ID, annotate.Gold); err != nil {
		ws.showError(err)
	}
	if a.settled, err = ws.Store.Settled(ws.ctx, a.doc.ID); err != nil {
		ws.showError(err)
	}
	shown := map[string][]annotate.Span{}
	for _, l := range a.layers {
		shown[l] = a.versions[l]
	}
	var before annotate.Cluster
	if a.current >= 0 && a.current < len(a.clusters) {
		before = a.clusters[a.current]
	}
	a.clusters = nil
	if len(a.layers) > 0 {
		a.clusters = annotate.Clusters(shown)
	}
	a.order = a.order[:0]
	for _, agreed := range []bool{false, true} {
		for i, c := range a.clusters {
			if c.Agreed == agreed {
				a.order = append(a.order, i)
			}
		}
	}
	a.current = -1
	for i, c := range a.clusters {
		if c.Start == before.Start && c.End == before.End {
			a.current = i
		}
	}
	if a.goldSel != 0 && !slices.ContainsFunc(a.gold, func(sp annotate.Span) bool { return sp.ID == a.goldSel }) {
		a.goldSel = 0
	}
	a.notifyDashboard()
	a.drawSpans()
	a.showProgress()
	a.list.Refresh()
	a.syncList()
	a.showDetail()
}

// stretchMark is the id of the mark that outlines the current stretch in
// every view: an outline, which no label's colour can be mistaken for
// (a selection would be drawn in the theme's blue, close to a label's).
const stretchMark = -1

// drawSpans marks every layer's spans in its view: strong where the
// layers differ, faint where they agree; gold's in gold's view; the
// current stretch outlined in each (in gold, the gold span selected
// while editing instead).
func (a *adjudicator) drawSpans() {
	var stretch []widgets.SpanMark
	if a.current >= 0 && a.current < len(a.clusters) {
		c := a.clusters[a.current]
		stretch = []widgets.SpanMark{{ID: stretchMark, Start: c.Start, End: c.End, Color: color.Transparent}}
	}
	outline := int64(0)
	if stretch != nil {
		outline = stretchMark
	}
	for _, l := range a.layers {
		marks := slices.Clone(stretch)
		for _, c := range a.clusters {
			for _, sp := range c.Versions[l] {
				col := parseHex(a.labelHex(sp.Label))
				if c.Agreed {
					col.A = 0x24
				}
				marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: col})
			}
		}
		a.views[l].SetSpans(marks)
		a.views[l].SetSelectedSpan(outline)
		a.heads[l].SetText(lang.N("{{.Key}} · {{.Layer}} — {{.Status}}, {{.Count}} spans", len(a.versions[l]), M{
			"Key": slices.Index(a.layers, l) + 1, "Layer": quote(l), "Status": statusText(a.status[l]), "Count": len(a.versions[l])}))
	}
	marks := slices.Clone(stretch)
	for _, sp := range a.gold {
		marks = append(marks, widgets.SpanMark{ID: sp.ID, Start: sp.Start, End: sp.End, Color: a.ws.labelColor(sp.Label)})
	}
	gv := a.views[annotate.Gold]
	gv.SetSpans(marks)
	if a.goldSel != 0 {
		gv.SetSelectedSpan(a.goldSel)
	} else {
		gv.SetSelectedSpan(outline)
	}
	keys := lang.L("1–9 accept a layer's version · A all · E edit gold · N/P next/previous difference · Ctrl+Z undo · Ctrl+Enter gold done · Esc closes")
	if a.editing {
		keys = lang.L("label keys label the selection in gold · Delete removes the gold span clicked · Enter settles · Escape stops")
	}
	a.keys.SetText(keys)
	head := a.heads[annotate.Gold]
	if a.editing {
		head.SetText(lang.L("gold — editing: select text and press a label's key; click a span, then Delete; Enter settles the stretch, Escape stops"))
		head.Importance = widget.HighImportance
	} else {
		head.SetText(lang.N("gold — {{.Status}}, {{.Count}} spans", len(a.gold), M{"Status": statusText(a.goldSt), "Count": len(a.gold)}))
		head.Importance = widget.MediumImportance
	}
	head.Refresh()
}

func (a *adjudicator) labelHex(name string) string {
	if l, ok := a.ws.labels.Find(name); ok {
		return l.Color
	}
	return "#808080"
}

func (a *adjudicator) isSettled(c annotate.Cluster) bool {
	return annotate.IsSettled(a.settled, c.Start, c.End)
}

// counts returns the document's stretches, those that differ, and those
// settled.
func (a *adjudicator) counts() (total, differ, settled int) {
	for _, c := range a.clusters {
		if !c.Agreed {
			differ++
		}
		if a.isSettled(c) {
			settled++
		}
	}
	return len(a.clusters), differ, settled
}

func (a *adjudicator) showProgress() {
	total, differ, settled := a.counts()
	text := lang.N("{{.Settled}} of {{.Count}} stretches settled ({{.Differ}} differ) · gold {{.Status}}", total,
		M{"Settled": settled, "Count": total, "Differ": differ, "Status": statusText(a.goldSt)})
	if d := a.ws.reviewState().dash; d != nil && d.data != nil {
		rv := d.data
		text += " · " + lang.N("project: {{.Settled}} of {{.Clusters}} settled, gold done on {{.Done}} of {{.Count}} documents", len(rv.Docs),
			M{"Settled": rv.Settled, "Clusters": rv.Clusters, "Done": rv.GoldDone, "Count": len(rv.Docs)})
	}
	a.progress.Set(text, settled, total)
	if differ == 0 && total > settled {
		a.agreed.Importance = widget.HighImportance
	} else {
		a.agreed.Importance = widget.MediumImportance
	}
	a.agreed.Refresh()
}

// ProgressText is the document's adjudication progress as shown.
func (a *adjudicator) ProgressText() string { return a.progress.Text() }

// notifyDashboard passes the document's counts to an open dashboard that
// compares the same layers.
func (a *adjudicator) notifyDashboard() {
	d := a.ws.reviewState().dash
	if d == nil || d.data == nil || !slices.Equal(d.data.Layers, a.compared) {
		return
	}
	row := project.ReviewDoc{ID: a.doc.ID, Name: a.doc.Name, Done: a.layers, Gold: a.goldSt}
	row.Count(a.clusters, a.settled)
	d.docChanged(row)
}

// --- the stretch list and the current stretch -------------------------------

// stretchRow is a row of the stretch list: an icon, the stretch's text
// (each version's, when they differ in extent) and what each layer
// marked there.
type stretchRow struct {
	widget.BaseWidget
	box        *fyne.Container
	icon       *widget.Icon
	text, what *widgets.BidiLabel
}

func (r *stretchRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (a *adjudicator) createRow() fyne.CanvasObject {
	r := &stretchRow{icon: widget.NewIcon(nil), text: docLabel(""), what: uiLabel("")}
	r.what.SizeName = theme.SizeNameCaptionText
	r.box = edges(r.icon, nil, container.NewVBox(r.text, r.what))
	r.ExtendBaseWidget(r)
	return r
}

func (a *adjudicator) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(a.order) {
		return
	}
	c := a.clusters[a.order[i]]
	r := o.(*stretchRow)
	r.text.SetText(a.caption(c))
	r.what.SetText(a.versionSummary(c))
	r.icon.SetResource(clusterIcon(c, a.isSettled(c)))
}

// caption is a stretch's text: each layer's marked text, once each,
// when the versions differ in their extent ("عبد الفتاح السيسي" against
// "السيسي"), else the stretch's.
func (a *adjudicator) caption(c annotate.Cluster) string {
	var texts []string
	for _, l := range a.layers {
		var parts []string
		for _, sp := range c.Versions[l] {
			parts = append(parts, a.text(sp.Start, sp.End))
		}
		if t := strings.Join(parts, " … "); t != "" && !slices.Contains(texts, t) {
			texts = append(texts, t)
		}
	}
	if len(texts) < 2 {
		return a.text(c.Start, c.End)
	}
	return strings.Join(texts, " / ")
}

func clusterIcon(c annotate.Cluster, settled bool) fyne.Resource {
	switch {
	case settled:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case !c.Agreed:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewDisabledResource(theme.RadioButtonIcon())
}

// versionSummary says in a line what each layer marked in a stretch.
func (a *adjudicator) versionSummary(c annotate.Cluster) string {
	var parts []string
	for _, l := range a.layers {
		var labels []string
		for _, sp := range c.Versions[l] {
			labels = append(labels, sp.Label)
		}
		if len(labels) == 0 {
			labels = []string{"—"}
		}
		parts = append(parts, quote(l)+" "+quote(strings.Join(labels, "+")))
	}
	s := strings.Join(parts, " · ")
	if a.isSettled(c) {
		s = lang.L("settled · {{.Versions}}", M{"Versions": s})
	}
	return s
}

func (a *adjudicator) text(start, end int) string {
	start, end = max(start, 0), min(end, len(a.runes))
	if start >= end {
		return ""
	}
	return string(a.runes[start:end])
}

// setCurrent makes cluster i the current stretch: selected in every view
// and spelled out in the panel.
func (a *adjudicator) setCurrent(i int) {
	if i < 0 || i >= len(a.clusters) {
		return
	}
	a.current = i
	c := a.clusters[i]
	for name, v := range a.views {
		// The stretch is outlined (drawSpans); a selection stays empty
		// but for gold's, which a label's key labels while editing.
		if name == annotate.Gold && a.editing {
			v.SetSelection(c.Start, c.End)
		} else {
			v.SetSelection(c.Start, c.Start)
		}
		v.ScrollToOffset(c.Start)
	}
	a.drawSpans()
	a.syncList()
	a.showDetail()
}

// revealCurrent scrolls every view to the current stretch.
func (a *adjudicator) revealCurrent() {
	if a.current < 0 || a.current >= len(a.clusters) {
		return
	}
	for _, v := range a.views {
		v.ScrollToOffset(a.clusters[a.current].Start)
	}
}

// syncList selects the current stretch's row. (Each change of the
// selection redraws the rows, so only a change is made.)
func (a *adjudicator) syncList() {
	a.syncing = true
	defer func() { a.syncing = false }()
	k := slices.Index(a.order, a.current)
	if k == a.listSel {
		return
	}
	a.listSel = k
	if k < 0 {
		a.list.UnselectAll()
		return
	}
	a.list.Select(k)
	a.list.ScrollTo(k)
}

// showDetail spells out the current stretch: each layer's version with a
// button to accept it, gold's as it is, and the other choices.
func (a *adjudicator) showDetail() {
	a.detail.RemoveAll()
	if a.current < 0 {
		msg := lang.L("No stretch to settle: no compared layer marked anything here.")
		if len(a.clusters) > 0 {
			msg = lang.L("Choose a stretch in the list.")
		}
		a.detail.Add(message(msg))
		edit, _ := labelButton(uiLabel(lang.L("E  Edit gold")), a.edit)
		a.detail.Add(edit)
		a.detail.Refresh()
		return
	}
	c := a.clusters[a.current]
	var state string
	switch {
	case c.Agreed && a.isSettled(c):
		state = lang.L("agreed, settled")
	case c.Agreed:
		state = lang.L("agreed, not settled yet")
	case a.isSettled(c):
		state = lang.L("differs, settled")
	default:
		state = lang.L("differs, not settled yet")
	}
	k := slices.Index(a.order, a.current)
	title := uiLabel(lang.L("Stretch {{.N}} of {{.Count}} — {{.State}}", M{"N": k + 1, "Count": len(a.order), "State": state}))
	title.TextStyle.Bold = true
	a.detail.Add(title)
	const keyWidth = 170
	for i, l := range a.layers {
		i := i
		b, _ := labelButton(uiLabel(lang.L("{{.Key}}  Accept {{.Layer}}", M{"Key": i + 1, "Layer": quote(l)})), func() { a.accept(i) })
		a.detail.Add(edges(container.NewGridWrap(fyne.NewSize(keyWidth, b.MinSize().Height), b), nil, a.versionLabel(c.Versions[l])))
	}
	goldHere := a.goldIn(c.Start, c.End)
	now := widget.NewLabelWithStyle(lang.L("gold now"), trailing(), fyne.TextStyle{Italic: true})
	a.detail.Add(edges(container.NewGridWrap(fyne.NewSize(keyWidth, 36), now), nil, a.versionLabel(goldHere)))
	all, _ := labelButton(uiLabel(lang.L("A  Accept all")), a.acceptAll)
	edit, _ := labelButton(uiLabel(lang.L("E  Edit gold")), a.edit)
	a.detail.Add(container.NewGridWithColumns(2, reading([]fyne.CanvasObject{all, edit})...))
	a.detail.Refresh()
}

// versionLabel lists spans as "LABEL: text", one a line.
func (a *adjudicator) versionLabel(spans []annotate.Span) fyne.CanvasObject {
	if len(spans) == 0 {
		return widget.NewLabelWithStyle(lang.L("nothing marked"), leading(), fyne.TextStyle{Italic: true})
	}
	box := container.NewVBox()
	for _, sp := range spans {
		box.Add(edges(container.NewCenter(swatch(a.ws.labelColor(sp.Label))), nil,
			uiLabel(quote(sp.Label)+": "+quote(a.text(sp.Start, sp.End)))))
	}
	return box
}

// goldIn lists gold's spans that overlap [start, end).
func (a *adjudicator) goldIn(start, end int) []annotate.Span {
	var out []annotate.Span
	for _, sp := range a.gold {
		if sp.Start < end && start < sp.End {
			out = append(out, sp)
		}
	}
	return out
}

// nextOpen is the first stretch after cluster i (in text order, wrapping)
// that is not settled, one that differs before an agreed one; -1 if none.
func (a *adjudicator) nextOpen(i int) int {
	n := len(a.clusters)
	for _, agreed := range []bool{false, true} {
		for k := 1; k <= n; k++ {
			j := ((i+k)%n + n) % n
			if c := a.clusters[j]; c.Agreed == agreed && !a.isSettled(c) {
				return j
			}
		}
	}
	return -1
}

// step moves to the next (1) or previous (-1) stretch that differs.
func (a *adjudicator) step(dir int) {
	n := len(a.clusters)
	if n == 0 {
		return
	}
	from := a.current
	if from < 0 {
		from = -1
		if dir < 0 {
			from = n
		}
	}
	for k := 1; k <= n; k++ {
		j := ((from+dir*k)%n + n) % n
		if !a.clusters[j].Agreed {
			a.setCurrent(j)
			return
		}
	}
	a.say(lang.L("The layers agree everywhere in this document: Accept all agreed settles it"))
}

// --- decisions --------------------------------------------------------------

// accept settles the current stretch with layer k's version.
func (a *adjudicator) accept(k int) {
	if a.current < 0 || k >= len(a.layers) || a.dialogOpen() {
		return
	}
	c := a.clusters[a.current]
	l := a.layers[k]
	a.settle(c, c.Versions[l], lang.L("{{.Layer}}'s version", M{"Layer": quote(l)}))
}

// acceptAll settles the current stretch with every layer's spans.
func (a *adjudicator) acceptAll() {
	if a.current < 0 || a.dialogOpen() {
		return
	}
	c := a.clusters[a.current]
	var vs [][]annotate.Span
	for _, l := range a.layers {
		vs = append(vs, c.Versions[l])
	}
	a.settle(c, annotate.Union(vs...), lang.L("every version"))
}

// settle records one decision and moves to the next stretch left.
func (a *adjudicator) settle(c annotate.Cluster, spans []annotate.Span, what string) {
	dec := annotate.Decision{Start: c.Start, End: c.End, Spans: spans}
	finish := a.allSettledWith([]annotate.Decision{dec})
	doc := a.doc.ID
	a.ws.writeOr(a.explain, lang.L("the decision"), func(ctx context.Context) error {
		return a.ws.Store.Settle(ctx, doc, []annotate.Decision{dec}, finish)
	}, func() { a.showSettled(spans, what, finish) })
}

// showSettled shows a decision Settle stored, and moves on.
func (a *adjudicator) showSettled(spans []annotate.Span, what string, finish bool) {
	a.reload()
	var labels []string
	for _, sp := range spans {
		labels = append(labels, sp.Label)
	}
	msg := lang.L("Settled with {{.What}}: nothing marked", M{"What": what})
	if len(labels) > 0 {
		msg = lang.L("Settled with {{.What}}: {{.Labels}}", M{"What": what, "Labels": names(labels)})
	}
	if finish {
		msg = lang.L("{{.Message}}. Every stretch is settled: gold is marked done (Ctrl+Enter opens the next document)", M{"Message": msg})
	}
	a.say(msg)
	if i := a.nextOpen(a.current); i >= 0 {
		a.setCurrent(i)
	}
}

// allSettledWith reports whether every stretch is settled once decs are.
func (a *adjudicator) allSettledWith(decs []annotate.Decision) bool {
	st := slices.Clone(a.settled)
	for _, d := range decs {
		s := annotate.Stretch{Start: d.Start, End: d.End}
		for _, sp := range d.Spans {
			s.Start, s.End = min(s.Start, sp.Start), max(s.End, sp.End)
		}
		st = append(st, s)
	}
	for _, c := range a.clusters {
		if !annotate.IsSettled(st, c.Start, c.End) {
			return false
		}
	}
	return len(a.clusters) > 0
}

// acceptAgreed settles every agreed stretch not settled yet with the
// version all layers share, as one edit.
func (a *adjudicator) acceptAgreed() {
	if a.dialogOpen() {
		return
	}
	var decs []annotate.Decision
	for _, c := range a.clusters {
		if c.Agreed && !a.isSettled(c) {
			decs = append(decs, annotate.Decision{Start: c.Start, End: c.End, Spans: c.Versions[a.layers[0]]})
		}
	}
	if len(decs) == 0 {
		a.say(lang.L("No agreed stretch is left to settle"))
		return
	}
	finish := a.allSettledWith(decs)
	if err := a.ws.Store.Settle(a.ws.ctx, a.doc.ID, decs, finish); err != nil {
		a.explain(err)
		return
	}
	a.reload()
	msg := lang.N("{{.Count}} agreed stretches settled as one edit (Ctrl+Z undoes it)", len(decs), M{"Count": len(decs)})
	if finish {
		msg = lang.N("{{.Count}} agreed stretches settled as one edit (Ctrl+Z undoes it); every stretch is settled: gold is marked done", len(decs), M{"Count": len(decs)})
	}
	a.say(msg)
	if i := a.nextOpen(max(a.current, -1)); i >= 0 {
		a.setCurrent(i)
	}
}

// edit lets the reviewer change gold by hand in the current stretch.
func (a *adjudicator) edit() {
	if a.dialogOpen() {
		return
	}
	a.editing = true
	gv := a.views[annotate.Gold]
	if a.current >= 0 {
		c := a.clusters[a.current]
		gv.SetSelection(c.Start, c.End)
		gv.ScrollToOffset(c.Start)
	}
	a.drawSpans()
	a.win.Canvas().Focus(gv)
	var keys []string
	for _, l := range a.ws.labels {
		if l.Hotkey != "" {
			keys = append(keys, l.Hotkey+" "+quote(l.Name))
		}
	}
	a.say(lang.L("Editing gold: {{.Keys}} labels the selection; Enter settles the stretch as gold now has it", M{"Keys": strings.Join(keys, lang.X("list.separator", ", "))}))
}

// stopEditing leaves the edit mode; with settle, the current stretch is
// settled as gold now has it.
func (a *adjudicator) stopEditing(settle bool) {
	a.editing = false
	a.goldSel = 0
	if settle && a.current >= 0 {
		c := a.clusters[a.current]
		a.settle(c, a.goldIn(c.Start, c.End), lang.L("gold as edited"))
	} else {
		a.drawSpans()
		a.say(lang.L("Stopped editing gold"))
	}
	a.win.Canvas().Unfocus()
}

// labelGold is a label's key while editing: it relabels the selected gold
// span, or labels the selected text in gold.
func (a *adjudicator) labelGold(l annotate.Label) {
	start, end := a.views[annotate.Gold].Selection()
	label, was, err := labelTarget([]rune(a.text(start, end)), a.gold, a.goldSel, start, end, l.Name)
	if err != nil {
		a.say(lang.L("Select some text in gold first, then press a label's key"))
		return
	}
	label.DocID, label.Layer = a.doc.ID, annotate.Gold
	var sp annotate.Span
	a.ws.writeOr(a.explain, lang.L("the gold span"), func(ctx context.Context) (err error) {
		sp, err = labelSpan(ctx, a.ws.Store, label, was != "")
		return err
	}, func() {
		if was != "" {
			a.reload()
			a.say(lang.L("Gold span relabelled {{.Label}}", M{"Label": quote(l.Name)}))
			return
		}
		a.goldSel = sp.ID
		a.reload()
		a.say(lang.L("Added to gold {{.Label}}: {{.Text}}", M{"Label": quote(l.Name), "Text": quote(a.text(sp.Start, sp.End))}))
	})
}

func (a *adjudicator) deleteGold() {
	if a.goldSel == 0 {
		return
	}
	doc, id := a.doc.ID, a.goldSel
	a.ws.writeOr(a.explain, lang.L("the deletion"), func(ctx context.Context) error {
		return a.ws.Store.DeleteSpans(ctx, doc, annotate.Gold, id)
	}, func() {
		a.goldSel = 0
		a.reload()
		a.say(lang.L("Gold span deleted (Ctrl+Z brings it back)"))
	})
}

// replay undoes or redoes the last edit of gold on this document.
func (a *adjudicator) replay(undo bool) {
	f := a.ws.Store.Redo
	if undo {
		f = a.ws.Store.Undo
	}
	doc := a.doc.ID
	var ed annotate.Edit
	a.ws.writeOr(a.explain, replayWhat(undo), func(ctx context.Context) (err error) {
		ed, err = f(ctx, annotate.Gold, doc)
		return err
	}, func() { a.replayed(ed, undo) })
}

// replayed shows what an undo or redo of gold changed.
func (a *adjudicator) replayed(ed annotate.Edit, undo bool) {
	before := a.settled
	a.reload()
	// Show the stretch the edit settled or unsettled, so the reviewer
	// sees what changed and can decide again.
	for i, c := range a.clusters {
		if annotate.IsSettled(before, c.Start, c.End) != a.isSettled(c) {
			a.current = i
			break
		}
	}
	if a.current >= 0 {
		a.setCurrent(a.current)
	}
	a.say(replayedText(undo, ed.Kind))
}

// goldDone marks gold done on the document and opens the next document
// with stretches left; with stretches unsettled it asks first.
func (a *adjudicator) goldDone() {
	if a.dialogOpen() {
		return
	}
	total, _, settled := a.counts()
	finish := func() {
		doc, name := a.doc.ID, a.doc.Name
		a.ws.writeOr(a.explain, lang.L("the status of gold"), func(ctx context.Context) error {
			return a.ws.Store.SetStatus(ctx, doc, annotate.Gold, annotate.Done)
		}, func() {
			a.reload()
			if a.doc.ID != doc {
				return
			}
			if id, ok := a.neighbour(1, true); ok {
				a.open(id)
				a.say(lang.L("Gold marked done on {{.Name}}", M{"Name": quote(name)}))
				return
			}
			a.say(lang.L("Gold marked done on {{.Name}}. No other document is left to adjudicate.", M{"Name": quote(name)}))
		})
	}
	if settled < total {
		confirm(a.win, lang.L("Gold done?"), lang.N("{{.Left}} of {{.Count}} stretches are not settled yet. Mark gold done on this document anyway?", total,
			M{"Left": total - settled, "Count": total}),
			func(ok bool) {
				if ok {
					finish()
				}
			})
		return
	}
	finish()
}

// neighbour is the document after (1) or before (-1) this one in the
// dashboard's order (with left, only those left to adjudicate), or in the
// workspace's list when no dashboard was computed.
func (a *adjudicator) neighbour(dir int, left bool) (int64, bool) {
	if d := a.ws.reviewState().dash; d != nil && d.data != nil {
		docs := d.data.Docs
		i := slices.IndexFunc(docs, func(r project.ReviewDoc) bool { return r.ID == a.doc.ID })
		if i < 0 && dir < 0 {
			i = len(docs)
		}
		for j := i + dir; j >= 0 && j < len(docs); j += dir {
			if !left || docs[j].Left() {
				return docs[j].ID, true
			}
		}
		return 0, false
	}
	return a.ws.docs.neighbour(a.doc.ID, dir)
}

func (a *adjudicator) stepDocument(dir int) {
	if id, ok := a.neighbour(dir, false); ok {
		a.open(id)
		return
	}
	a.say(lang.L("No other document this way"))
}

// --- events -----------------------------------------------------------------

func (a *adjudicator) typedRune(r rune) {
	if a.dialogOpen() {
		return
	}
	if a.editing {
		if l, ok := a.ws.labels.ByHotkey(string(r)); ok {
			a.labelGold(l)
		}
		return
	}
	switch {
	case r >= '1' && r <= '9':
		a.accept(int(r - '1'))
	case r == 'a' || r == 'A':
		a.acceptAll()
	case r == 'e' || r == 'E':
		a.edit()
	case r == 'n' || r == 'N':
		a.step(1)
	case r == 'p' || r == 'P':
		a.step(-1)
	}
}

func (a *adjudicator) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		switch {
		case a.editing:
			a.stopEditing(false)
		case !a.dialogOpen():
			a.win.Close()
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if a.editing {
			a.stopEditing(true)
		}
	case fyne.KeyDelete, fyne.KeyBackspace:
		if a.editing {
			a.deleteGold()
		}
	case fyne.KeyDown:
		a.step(1)
	case fyne.KeyUp:
		a.step(-1)
	}
}

// spanTapped selects the stretch of a span clicked in a layer's view, or,
// in gold's, the gold span.
func (a *adjudicator) spanTapped(layer string, id int64) {
	if layer == annotate.Gold {
		a.goldSel = id
		a.views[annotate.Gold].SetSelectedSpan(id)
		for _, sp := range a.gold {
			if sp.ID == id {
				data := M{"Label": quote(sp.Label), "Text": quote(a.text(sp.Start, sp.End))}
				msg := lang.L("Gold {{.Label}}: {{.Text}}", data)
				if a.editing {
					msg = lang.L("Gold {{.Label}}: {{.Text}} (a label's key relabels it, Delete removes it)", data)
				}
				a.say(msg)
			}
		}
		return
	}
	for i, c := range a.clusters {
		for _, sp := range c.Versions[layer] {
			if sp.ID == id {
				a.setCurrent(i)
				a.win.Canvas().Unfocus()
				return
			}
		}
	}
}

func (a *adjudicator) goldSelectionChanged(start, end int) {
	if a.goldSel == 0 {
		return
	}
	for _, sp := range a.gold {
		if sp.ID == a.goldSel && start == end && start >= sp.Start && start <= sp.End {
			return
		}
	}
	a.goldSel = 0
	a.views[annotate.Gold].SetSelectedSpan(0)
}

// --- messages ---------------------------------------------------------------

func (a *adjudicator) say(msg string) { a.message.SetText(msg) }

func (a *adjudicator) dialogOpen() bool { return len(a.win.Canvas().Overlays().List()) > 0 }

func (a *adjudicator) explain(err error) {
	if msg := explainEdit(err, true); msg != "" {
		a.say(msg)
		return
	}
	a.say(lang.L("Error: {{.Reason}}", M{"Reason": err.Error()}))
	inform(a.win, lang.L("Error"), err.Error()).Show()
}
