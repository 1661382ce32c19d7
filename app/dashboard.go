package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// Review → Agreement…: a window with the pairwise figures as a heat map,
// the per-label figures as bars and the documents at least two layers
// finished, most disagreement first. The figures are computed in the
// background; clicking a document opens it for adjudication.

// pairMeasure is a figure the heat map and the bars can show.
type pairMeasure struct {
	name string
	get  func(agreement.Pair) agreement.Value
}

func pairMeasures() []pairMeasure {
	return []pairMeasure{
		{lang.L("Cohen's kappa"), func(p agreement.Pair) agreement.Value { return p.CohenKappa }},
		{lang.L("F1, exact"), func(p agreement.Pair) agreement.Value { return p.F1Exact }},
		{lang.L("F1, overlap"), func(p agreement.Pair) agreement.Value { return p.F1Overlap }},
		{lang.L("F1, exact, any label"), func(p agreement.Pair) agreement.Value { return p.F1ExactUnlabeled }},
		{lang.L("F1, overlap, any label"), func(p agreement.Pair) agreement.Value { return p.F1OverlapUnlabeled }},
	}
}

type dashboard struct {
	ws   *Workspace
	win  fyne.Window
	data *project.Review // nil until computed

	cancel context.CancelFunc
	gen    int // computations started; a result from an older one is dropped

	measure  int // index into pairMeasures
	pair     int // index into Report.Pairs
	onlyLeft bool
	rows     []int // indexes into data.Docs that the list shows

	recompute   *widget.Button
	layerChecks *widget.CheckGroup
	measureSel  *widget.Select
	busy        *fyne.Container
	busyBar     *widget.ProgressBar
	busyText    *widget.Label
	summary     *widgets.BidiLabel
	suggestUse  *widgets.BidiLabel // which layers worked with suggestions (suggest.go)
	settled     *widgets.ProgressLine
	heatTitle   *widgets.BidiLabel
	heat        *fyne.Container
	heatNotes   *widgets.BidiLabel
	barsTitle   *widgets.BidiLabel
	bars        *fyne.Container
	barNotes    *widgets.BidiLabel
	docsTitle   *widgets.BidiLabel
	docs        *widget.List
}

// showAgreement opens the agreement dashboard (or brings it forward) and
// computes the figures.
func (ws *Workspace) showAgreement() {
	rv := ws.reviewState()
	if rv.dash != nil {
		rv.dash.win.RequestFocus()
		return
	}
	layers, err := ws.comparedLayers()
	if err != nil {
		ws.showError(err)
		return
	}
	all, err := reviewLayers(ws.ctx, ws.Store)
	if err != nil {
		ws.showError(err)
		return
	}
	d := &dashboard{ws: ws}
	rv.dash = d
	d.win = ws.App.NewWindow(lang.L("Agreement — {{.Project}}", M{"Project": project.Name(ws.Store.Location())}))
	d.build(all, layers)
	d.win.Resize(fyne.NewSize(1180, 780))
	d.win.SetOnClosed(func() {
		if d.cancel != nil {
			d.cancel()
		}
		if ws.review != nil && ws.review.dash == d {
			ws.review.dash = nil
		}
	})
	d.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			d.win.Close()
		}
	})
	d.win.Canvas().AddShortcut(key(fyne.KeyW, ctrl), func(fyne.Shortcut) { d.win.Close() })
	d.win.Show()
	d.compute()
}

func (d *dashboard) build(all, chosen []string) {
	d.layerChecks = widget.NewCheckGroup(all, nil)
	d.layerChecks.Horizontal = true
	d.layerChecks.SetSelected(chosen)
	d.layerChecks.OnChanged = func(sel []string) {
		// Keep the project's order of layers.
		var layers []string
		for _, l := range d.layerChecks.Options {
			if slices.Contains(sel, l) {
				layers = append(layers, l)
			}
		}
		d.ws.reviewState().layers = layers
		d.compute()
	}
	var names []string
	for _, m := range pairMeasures() {
		names = append(names, m.name)
	}
	d.measureSel = widget.NewSelect(names, func(s string) {
		d.measure = max(slices.Index(names, s), 0)
		d.showFigures()
	})
	d.measureSel.Alignment = leading()
	d.measureSel.SetSelectedIndex(0)
	d.recompute = widget.NewButtonWithIcon(lang.L("Recompute"), theme.ViewRefreshIcon(), d.compute)
	measure := container.NewGridWrap(fyne.NewSize(230, d.measureSel.MinSize().Height), d.measureSel)
	controls := edges(widget.NewLabel(lang.L("Compare")),
		row(widget.NewLabel(lang.L("Measure")), measure, d.recompute), container.NewHScroll(d.layerChecks))

	d.busyBar = widget.NewProgressBar()
	d.busyText = widget.NewLabel("")
	d.busy = edges(d.busyText, nil, d.busyBar)
	d.summary = message("")
	d.suggestUse = message("")
	d.settled = widgets.NewProgressLine()
	d.settled.SetDirection(uiDirection())

	d.heatTitle = uiLabel("")
	d.heatTitle.TextStyle.Bold = true
	d.heat = container.NewVBox()
	d.heatNotes = message("")
	d.barsTitle = uiLabel("")
	d.barsTitle.TextStyle.Bold = true
	d.bars = container.NewVBox()
	d.barNotes = message("")
	figures := container.NewVBox(d.heatTitle, row(d.heat), heatLegend(), d.heatNotes,
		widget.NewSeparator(), d.barsTitle, d.bars, d.barNotes)

	d.docsTitle = uiLabel(lang.L("Documents, most disagreement first"))
	d.docsTitle.TextStyle.Bold = true
	only := widget.NewCheck(lang.L("Only those left to adjudicate"), func(on bool) {
		d.onlyLeft = on
		d.filterDocs()
	})
	d.docs = widget.NewList(func() int { return len(d.rows) }, d.createDocRow, d.updateDocRow)
	d.docs.OnSelected = func(i widget.ListItemID) {
		d.docs.UnselectAll()
		if i < len(d.rows) {
			d.ws.adjudicate(d.data.Docs[d.rows[i]].ID)
		}
	}
	docsHint := widget.NewLabelWithStyle(lang.L("Click a document to adjudicate it."), leading(), fyne.TextStyle{Italic: true})
	side := container.NewBorder(container.NewVBox(d.docsTitle, only), docsHint, nil, nil, d.docs)

	top := container.NewVBox(controls, d.busy, d.summary, d.suggestUse, d.settled.Object(), widget.NewSeparator())
	d.win.SetContent(container.NewBorder(top, nil, nil, nil, split(container.NewVScroll(container.NewPadded(figures)), side, 0.56)))
}

// compute starts computing the figures in the background; a computation
// still running is cancelled.
func (d *dashboard) compute() {
	d.fresh()
	if d.cancel != nil {
		d.cancel()
	}
	d.gen++
	gen := d.gen
	layers := d.layerChecks.Selected
	var ordered []string
	for _, l := range d.layerChecks.Options {
		if slices.Contains(layers, l) {
			ordered = append(ordered, l)
		}
	}
	d.showSuggestionUse(ordered)
	if len(ordered) < 2 {
		d.busy.Hide()
		d.data = nil
		d.summary.SetText(lang.L("Choose at least two layers to compare. Layers come from annotators working in this project, or from File › Merge projects…."))
		d.showFigures()
		d.filterDocs()
		return
	}
	ws := d.ws
	ctx, cancel := context.WithCancel(ws.ctx)
	d.cancel = cancel
	d.busyBar.SetValue(0)
	d.busyText.SetText(lang.L("Computing…"))
	d.busy.Show()
	store := ws.Store
	ws.background(func() func() {
		defer cancel()
		// The figures read the whole corpus, as a job does.
		defer collector().forJob()()
		update := throttle(func(n, t int64) {
			if gen == d.gen {
				d.busyBar.SetValue(float64(n) / float64(max(t, 1)))
				d.busyText.SetText(fyneLine(lang.L("Reading documents"), fmt.Sprintf("%d/%d", n, t)))
			}
		})
		rv, err := project.ComputeReview(ctx, store, ordered, func(n, t int) { update(int64(n), int64(t)) })
		stopped := ctx.Err() != nil
		return func() {
			if gen != d.gen {
				return
			}
			d.busy.Hide()
			if err != nil {
				if !stopped {
					d.summary.SetText(lang.L("Error: {{.Reason}}", M{"Reason": err.Error()}))
				}
				return
			}
			d.show(rv)
		}
	})
}

// show displays computed figures.
func (d *dashboard) show(rv *project.Review) {
	d.data = rv
	if d.pair >= len(rv.Report.Pairs) {
		d.pair = 0
	}
	d.showSummary()
	d.showFigures()
	d.filterDocs()
}

func (d *dashboard) showSummary() {
	rv := d.data
	if rv == nil {
		return
	}
	r := rv.Report
	n := len(rv.Layers)
	text := lang.N("Krippendorff's alpha {{.Alpha}} over {{.Count}} documents ({{.Units}} units) that at least two of the {{.Layers}} layers finished;", r.Documents,
		M{"Alpha": valueText(r.KrippendorffAlpha), "Count": r.Documents, "Units": r.Units, "Layers": n})
	text += " " + lang.N("Fleiss' kappa {{.Kappa}} over the {{.Count}} documents all of them finished.", r.FleissDocuments,
		M{"Kappa": valueText(r.FleissKappa), "Count": r.FleissDocuments})
	text += " " + lang.N("{{.Count}} documents read.", r.DocumentsRead, M{"Count": r.DocumentsRead})
	if !r.KrippendorffAlpha.Defined && r.KrippendorffAlpha.Reason != "" {
		text += " " + lang.L("alpha is undefined: {{.Reason}}.", M{"Reason": r.KrippendorffAlpha.Reason})
	}
	d.summary.SetText(text)
	d.settled.Set(lang.N("Adjudication: {{.Settled}} of {{.Clusters}} stretches settled ({{.Differ}} differ) · gold done on {{.Done}} of {{.Count}} documents", len(rv.Docs),
		M{"Settled": rv.Settled, "Clusters": rv.Clusters, "Differ": rv.Differ, "Done": rv.GoldDone, "Count": len(rv.Docs)}), rv.Settled, rv.Clusters)
}

// valueText writes a figure with three decimals, or n/a.
func valueText(v agreement.Value) string {
	if !v.Defined {
		return lang.L("n/a")
	}
	return fmt.Sprintf("%.3f", v.Value)
}

// showFigures draws the heat map and the bars for the chosen measure and
// pair.
func (d *dashboard) showFigures() {
	if d.heat == nil {
		return
	}
	m := pairMeasures()[d.measure]
	d.heat.RemoveAll()
	d.bars.RemoveAll()
	d.heatNotes.SetText("")
	d.barNotes.SetText("")
	d.heatTitle.SetText(lang.L("Pairs — {{.Measure}}", M{"Measure": m.name}))
	if d.data == nil {
		d.barsTitle.SetText(lang.L("Per label"))
		return
	}
	r := d.data.Report
	layers := d.data.Layers
	grid := container.NewGridWithColumns(len(layers) + 1)
	cells := []fyne.CanvasObject{widget.NewLabel("")}
	for _, l := range layers {
		cells = append(cells, layerHead(l, fyne.TextAlignCenter))
	}
	grid.Objects = append(grid.Objects, reading(cells)...)
	var notes []string
	for i, a := range layers {
		cells = []fyne.CanvasObject{layerHead(a, trailing())}
		for j := range layers {
			if i == j {
				cells = append(cells, heatCell(0, false, true, false, nil))
				continue
			}
			p := pairIndex(r.Pairs, layers[min(i, j)], layers[max(i, j)])
			if p < 0 {
				cells = append(cells, heatCell(0, false, true, false, nil))
				continue
			}
			v := m.get(r.Pairs[p])
			if i < j && !v.Defined {
				notes = append(notes, lang.L("{{.A}} × {{.B}}: n/a, {{.Reason}}.", M{"A": quote(r.Pairs[p].A), "B": quote(r.Pairs[p].B), "Reason": v.Reason}))
			}
			cells = append(cells, heatCell(v.Value, v.Defined, false, p == d.pair, func() {
				d.pair = p
				d.showFigures()
			}))
		}
		grid.Objects = append(grid.Objects, reading(cells)...)
	}
	grid.Refresh()
	d.heat.Add(grid)
	if len(r.Pairs) > 0 {
		pr := r.Pairs[d.pair]
		line := lang.N("{{.A}} × {{.B}}: {{.Value}} over {{.Count}} documents both finished, {{.Units}} units", pr.Documents,
			M{"A": quote(pr.A), "B": quote(pr.B), "Value": valueText(m.get(pr)), "Count": pr.Documents, "Units": pr.Units})
		if mt := pr.Matches; mt != nil {
			line = lang.L("{{.Line}}; {{.SpansA}} and {{.SpansB}} spans, {{.Exact}} matched exactly, {{.Overlap}} overlapping",
				M{"Line": line, "SpansA": mt.SpansA, "SpansB": mt.SpansB, "Exact": mt.Exact.A, "Overlap": mt.Overlap.A})
		}
		notes = append([]string{lang.L("{{.Line}}. Click a cell for another pair.", M{"Line": line})}, notes...)
	}
	d.heatNotes.SetText(strings.Join(notes, "\n"))
	d.showBars()
}

func pairIndex(pairs []agreement.Pair, a, b string) int {
	for i, p := range pairs {
		if p.A == a && p.B == b || p.A == b && p.B == a {
			return i
		}
	}
	return -1
}

// showBars draws one bar per label: the chosen measure for the chosen
// pair, with the label's alpha over every compared layer beside it.
func (d *dashboard) showBars() {
	r := d.data.Report
	m := pairMeasures()[d.measure]
	if len(r.Pairs) == 0 {
		return
	}
	pr := r.Pairs[d.pair]
	d.barsTitle.SetText(lang.L("Per label — {{.Measure}}, {{.A}} × {{.B}}", M{"Measure": m.name, "A": quote(pr.A), "B": quote(pr.B)}))
	var notes []string
	for _, label := range r.Labels {
		lm := r.PerLabel[label]
		if lm == nil || d.pair >= len(lm.Pairs) {
			continue
		}
		v := m.get(lm.Pairs[d.pair])
		name := docLabel(label)
		sw := container.NewCenter(swatch(d.ws.labelColor(label)))
		start := container.NewGridWrap(fyne.NewSize(150, name.MinSize().Height), edges(sw, nil, name))
		num := widget.NewLabelWithStyle(valueText(v), trailing(), fyne.TextStyle{Monospace: true})
		alpha := uiLabel(lang.L("alpha {{.Value}}", M{"Value": valueText(lm.KrippendorffAlpha)}))
		alpha.Truncation = fyne.TextTruncateOff
		end := row(container.NewGridWrap(fyne.NewSize(64, num.MinSize().Height), num), alpha)
		d.bars.Add(edges(start, end, widgets.NewFigureBar(v.Value, v.Defined)))
		if !v.Defined {
			notes = append(notes, lang.L("{{.Label}}: n/a, {{.Reason}}.", M{"Label": quote(label), "Reason": v.Reason}))
		}
	}
	if len(r.Labels) == 0 {
		notes = append(notes, lang.L("No spans yet in the documents both layers finished."))
	}
	notes = append(notes, lang.L("alpha: the label's Krippendorff's alpha over every compared layer (one label against the rest)."))
	d.barNotes.SetText(strings.Join(notes, "\n"))
}

// filterDocs chooses the rows of the document list.
func (d *dashboard) filterDocs() {
	d.rows = d.rows[:0]
	if d.data != nil {
		for i := range d.data.Docs {
			if !d.onlyLeft || d.data.Docs[i].Left() {
				d.rows = append(d.rows, i)
			}
		}
		d.docsTitle.SetText(lang.N("{{.Count}} documents, most disagreement first", len(d.rows), M{"Count": len(d.rows)}))
	}
	d.docs.Refresh()
}

// reviewRow is a row of the dashboard's documents: an icon, the name and
// how much differs and is settled, each cut rather than drawn over the
// other.
type reviewRow struct {
	widget.BaseWidget
	box        *fyne.Container
	icon       *widget.Icon
	name, info *widgets.BidiLabel
}

func (r *reviewRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (d *dashboard) createDocRow() fyne.CanvasObject {
	r := &reviewRow{icon: widget.NewIcon(nil), name: docLabel(""), info: uiLabel("")}
	r.info.Alignment = trailing()
	r.box = edges(r.icon, nil, container.NewGridWithColumns(2, reading([]fyne.CanvasObject{r.name, r.info})...))
	r.ExtendBaseWidget(r)
	return r
}

func (d *dashboard) updateDocRow(i widget.ListItemID, o fyne.CanvasObject) {
	if d.data == nil || i >= len(d.rows) {
		return
	}
	doc := d.data.Docs[d.rows[i]]
	r := o.(*reviewRow)
	r.name.SetText(doc.Name)
	r.icon.SetResource(docReviewIcon(doc))
	r.info.SetText(docReviewText(doc))
}

// docReviewText says how much of a document differs and is settled.
func docReviewText(d project.ReviewDoc) string {
	data := M{"Differ": d.Differ, "Count": d.Clusters, "Settled": d.Settled}
	if d.Gold == annotate.Done {
		return lang.N("{{.Differ}} of {{.Count}} stretches differ · {{.Settled}} settled · gold done", d.Clusters, data)
	}
	return lang.N("{{.Differ}} of {{.Count}} stretches differ · {{.Settled}} settled", d.Clusters, data)
}

// heatCell is a cell of the heat map, saying n/a in the interface's
// language.
func heatCell(v float64, defined, diagonal, selected bool, tapped func()) *widgets.HeatCell {
	c := widgets.NewHeatCell(v, defined, diagonal, selected, tapped)
	c.NotAvailable = lang.L("n/a")
	return c
}

// layerHead names a layer above or beside the heat map's cells.
func layerHead(name string, align fyne.TextAlign) *widgets.BidiLabel {
	l := docLabel(name)
	l.TextStyle.Bold = true
	l.Alignment = align
	return l
}

// heatLegend explains the heat map's colours, from low to high in the
// reading direction.
func heatLegend() fyne.CanvasObject {
	return widgets.HeatLegend(lang.L("n/a: undefined (the reason is below)"), rtl())
}

// docReviewIcon: gold done, all settled, or stretches left.
func docReviewIcon(d project.ReviewDoc) fyne.Resource {
	switch {
	case d.Gold == annotate.Done:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case d.Settled == d.Clusters:
		return theme.RadioButtonCheckedIcon()
	case d.Differ > d.SettledDiffer:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewDisabledResource(theme.RadioButtonIcon())
}

// docChanged follows an adjudication of one document.
func (d *dashboard) docChanged(doc project.ReviewDoc) {
	if d.data == nil {
		return
	}
	i, ok := d.data.Update(doc)
	if !ok {
		return
	}
	d.showSummary()
	if d.onlyLeft {
		d.filterDocs()
		return
	}
	if k := slices.Index(d.rows, i); k >= 0 {
		d.docs.RefreshItem(k)
	}
}

// refreshLayers follows new layers (after a merge) and computes again.
func (d *dashboard) refreshLayers() {
	all, err := reviewLayers(d.ws.ctx, d.ws.Store)
	if err != nil {
		d.ws.showError(err)
		return
	}
	chosen, err := d.ws.comparedLayers()
	if err != nil {
		d.ws.showError(err)
		return
	}
	on := d.layerChecks.OnChanged
	d.layerChecks.OnChanged = nil
	d.layerChecks.Options = all
	d.layerChecks.SetSelected(chosen)
	d.layerChecks.Refresh()
	d.layerChecks.OnChanged = on
	d.compute()
}
