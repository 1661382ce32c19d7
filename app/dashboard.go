package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
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

var pairMeasures = []pairMeasure{
	{"Cohen's kappa", func(p agreement.Pair) agreement.Value { return p.CohenKappa }},
	{"F1, exact", func(p agreement.Pair) agreement.Value { return p.F1Exact }},
	{"F1, overlap", func(p agreement.Pair) agreement.Value { return p.F1Overlap }},
	{"F1, exact, any label", func(p agreement.Pair) agreement.Value { return p.F1ExactUnlabeled }},
	{"F1, overlap, any label", func(p agreement.Pair) agreement.Value { return p.F1OverlapUnlabeled }},
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
	summary     *widget.Label
	suggestUse  *widget.Label // which layers worked with suggestions (suggest.go)
	settled     *widgets.ProgressLine
	heatTitle   *widget.Label
	heat        *fyne.Container
	heatNotes   *widget.Label
	barsTitle   *widget.Label
	bars        *fyne.Container
	barNotes    *widget.Label
	docsTitle   *widget.Label
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
	d.win = ws.App.NewWindow("Agreement — " + project.Name(ws.Store.Location()))
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
	for _, m := range pairMeasures {
		names = append(names, m.name)
	}
	d.measureSel = widget.NewSelect(names, func(s string) {
		d.measure = max(slices.Index(names, s), 0)
		d.showFigures()
	})
	d.measureSel.SetSelectedIndex(0)
	d.recompute = widget.NewButtonWithIcon("Recompute", theme.ViewRefreshIcon(), d.compute)
	measure := container.NewGridWrap(fyne.NewSize(230, d.measureSel.MinSize().Height), d.measureSel)
	controls := container.NewBorder(nil, nil, widget.NewLabel("Compare:"),
		container.NewHBox(widget.NewLabel("Measure:"), measure, d.recompute), container.NewHScroll(d.layerChecks))

	d.busyBar = widget.NewProgressBar()
	d.busyText = widget.NewLabel("")
	d.busy = container.NewBorder(nil, nil, d.busyText, nil, d.busyBar)
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	d.suggestUse = widget.NewLabel("")
	d.suggestUse.Wrapping = fyne.TextWrapWord
	d.settled = widgets.NewProgressLine()

	d.heatTitle = heading("")
	d.heat = container.NewVBox()
	d.heatNotes = widget.NewLabel("")
	d.heatNotes.Wrapping = fyne.TextWrapWord
	d.barsTitle = heading("")
	d.bars = container.NewVBox()
	d.barNotes = widget.NewLabel("")
	d.barNotes.Wrapping = fyne.TextWrapWord
	figures := container.NewVBox(d.heatTitle, container.NewHBox(d.heat), widgets.HeatLegend(), d.heatNotes,
		widget.NewSeparator(), d.barsTitle, d.bars, d.barNotes)

	d.docsTitle = heading("Documents, most disagreement first")
	only := widget.NewCheck("Only those left to adjudicate", func(on bool) {
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
	docsHint := widget.NewLabelWithStyle("Click a document to adjudicate it.", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	right := container.NewBorder(container.NewVBox(d.docsTitle, only), docsHint, nil, nil, d.docs)

	split := container.NewHSplit(container.NewVScroll(container.NewPadded(figures)), right)
	split.Offset = 0.56
	top := container.NewVBox(controls, d.busy, d.summary, d.suggestUse, d.settled.Object(), widget.NewSeparator())
	d.win.SetContent(container.NewBorder(top, nil, nil, nil, split))
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
		d.summary.SetText("Choose at least two layers to compare. Layers come from annotators working in this project, or from File → Merge projects….")
		d.showFigures()
		d.filterDocs()
		return
	}
	ws := d.ws
	ctx, cancel := context.WithCancel(ws.ctx)
	d.cancel = cancel
	d.busyBar.SetValue(0)
	d.busyText.SetText("Computing…")
	d.busy.Show()
	store := ws.Store
	ws.jobs.Add(1)
	go func() {
		defer ws.jobs.Done()
		defer cancel()
		update := throttle(func(n, t int64) {
			if gen == d.gen {
				d.busyBar.SetValue(float64(n) / float64(max(t, 1)))
				d.busyText.SetText(fmt.Sprintf("Reading %d of %d documents", n, t))
			}
		})
		rv, err := project.ComputeReview(ctx, store, ordered, func(n, t int) { update(int64(n), int64(t)) })
		fyne.Do(func() {
			if gen != d.gen {
				return
			}
			d.busy.Hide()
			if err != nil {
				if ctx.Err() == nil {
					d.summary.SetText("Error: " + err.Error())
				}
				return
			}
			d.show(rv)
		})
	}()
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
	var b strings.Builder
	fmt.Fprintf(&b, "Krippendorff's α %s over %d documents (%d units) that at least two of the %d layers finished; ",
		valueText(r.KrippendorffAlpha), r.Documents, r.Units, n)
	fmt.Fprintf(&b, "Fleiss' κ %s over the %d documents all of them finished. %d documents read.",
		valueText(r.FleissKappa), r.FleissDocuments, r.DocumentsRead)
	if !r.KrippendorffAlpha.Defined && r.KrippendorffAlpha.Reason != "" {
		fmt.Fprintf(&b, " α is undefined: %s.", r.KrippendorffAlpha.Reason)
	}
	d.summary.SetText(b.String())
	d.settled.Set(fmt.Sprintf("Adjudication: %d of %d stretches settled (%d differ) · gold done on %d of %d documents",
		rv.Settled, rv.Clusters, rv.Differ, rv.GoldDone, len(rv.Docs)), rv.Settled, rv.Clusters)
}

// valueText writes a figure with three decimals, or n/a.
func valueText(v agreement.Value) string {
	if !v.Defined {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v.Value)
}

// showFigures draws the heat map and the bars for the chosen measure and
// pair.
func (d *dashboard) showFigures() {
	if d.heat == nil {
		return
	}
	m := pairMeasures[d.measure]
	d.heat.RemoveAll()
	d.bars.RemoveAll()
	d.heatNotes.SetText("")
	d.barNotes.SetText("")
	d.heatTitle.SetText("Pairs — " + m.name)
	if d.data == nil {
		d.barsTitle.SetText("Per label")
		return
	}
	r := d.data.Report
	layers := d.data.Layers
	grid := container.NewGridWithColumns(len(layers) + 1)
	grid.Add(widget.NewLabel(""))
	for _, l := range layers {
		grid.Add(widget.NewLabelWithStyle(shorten(l, 12), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	}
	var notes []string
	for i, a := range layers {
		grid.Add(widget.NewLabelWithStyle(shorten(a, 12), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		for j := range layers {
			if i == j {
				grid.Add(widgets.NewHeatCell(0, false, true, false, nil))
				continue
			}
			p := pairIndex(r.Pairs, layers[min(i, j)], layers[max(i, j)])
			if p < 0 {
				grid.Add(widgets.NewHeatCell(0, false, true, false, nil))
				continue
			}
			v := m.get(r.Pairs[p])
			if i < j && !v.Defined {
				notes = append(notes, fmt.Sprintf("%s × %s: n/a, %s.", r.Pairs[p].A, r.Pairs[p].B, v.Reason))
			}
			grid.Add(widgets.NewHeatCell(v.Value, v.Defined, false, p == d.pair, func() {
				d.pair = p
				d.showFigures()
			}))
		}
	}
	d.heat.Add(grid)
	if len(r.Pairs) > 0 {
		pr := r.Pairs[d.pair]
		line := fmt.Sprintf("%s × %s: %s over %d documents both finished, %d units", pr.A, pr.B, valueText(m.get(pr)), pr.Documents, pr.Units)
		if mt := pr.Matches; mt != nil {
			line += fmt.Sprintf("; %d and %d spans, %d matched exactly, %d overlapping", mt.SpansA, mt.SpansB, mt.Exact.A, mt.Overlap.A)
		}
		notes = append([]string{line + ". Click a cell for another pair."}, notes...)
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
	m := pairMeasures[d.measure]
	if len(r.Pairs) == 0 {
		return
	}
	pr := r.Pairs[d.pair]
	d.barsTitle.SetText(fmt.Sprintf("Per label — %s, %s × %s", m.name, pr.A, pr.B))
	var notes []string
	for _, label := range r.Labels {
		lm := r.PerLabel[label]
		if lm == nil || d.pair >= len(lm.Pairs) {
			continue
		}
		v := m.get(lm.Pairs[d.pair])
		name := widget.NewLabel(shorten(label, 14))
		sw := container.NewCenter(swatch(d.ws.labelColor(label)))
		left := container.NewGridWrap(fyne.NewSize(150, name.MinSize().Height), container.NewBorder(nil, nil, sw, nil, name))
		num := widget.NewLabelWithStyle(valueText(v), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
		alpha := widget.NewLabel("α " + valueText(lm.KrippendorffAlpha))
		alpha.TextStyle.Italic = true
		right := container.NewHBox(container.NewGridWrap(fyne.NewSize(64, num.MinSize().Height), num), alpha)
		d.bars.Add(container.NewBorder(nil, nil, left, right, widgets.NewFigureBar(v.Value, v.Defined)))
		if !v.Defined {
			notes = append(notes, fmt.Sprintf("%s: n/a, %s.", label, v.Reason))
		}
	}
	if len(r.Labels) == 0 {
		notes = append(notes, "No spans yet in the documents both layers finished.")
	}
	notes = append(notes, "α: the label's Krippendorff's alpha over every compared layer (one label against the rest).")
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
		d.docsTitle.SetText(fmt.Sprintf("%d documents, most disagreement first", len(d.rows)))
	}
	d.docs.Refresh()
}

func (d *dashboard) createDocRow() fyne.CanvasObject {
	info := widget.NewLabel("")
	return container.NewBorder(nil, nil, widget.NewIcon(nil), info, widget.NewLabel(""))
}

func (d *dashboard) updateDocRow(i widget.ListItemID, o fyne.CanvasObject) {
	if d.data == nil || i >= len(d.rows) {
		return
	}
	doc := d.data.Docs[d.rows[i]]
	row := o.(*fyne.Container)
	row.Objects[0].(*widget.Label).SetText(shorten(doc.Name, 30))
	row.Objects[1].(*widget.Icon).SetResource(docReviewIcon(doc))
	row.Objects[2].(*widget.Label).SetText(docReviewText(doc))
}

// docReviewText says how much of a document differs and is settled.
func docReviewText(d project.ReviewDoc) string {
	s := fmt.Sprintf("%d of %d stretches differ · %d settled", d.Differ, d.Clusters, d.Settled)
	if d.Gold == annotate.Done {
		s += " · gold done"
	}
	return s
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
