package app

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// "Label all occurrences": once a span is labelled, the other places its
// text occurs, as a whole word, in this document and in the corpus are
// offered in a preview to accept one by one or all at once. Forms with an
// Arabic proclitic attached (و، ف، ب، ك، ل، ال) are listed apart: the span
// then covers the word without the proclitic.

// maxCorpusOccurrences bounds the corpus preview.
const maxCorpusOccurrences = 1000

// offer is the last span labelled, whose occurrences can be reviewed.
type offer struct {
	text, label string
}

// offerOccurrences tells, after sp was labelled, how many more times its
// text occurs in the document, and how to label them.
func (ws *Workspace) offerOccurrences(sp annotate.Span) {
	text := ws.spanText(sp)
	ws.offer = &offer{text: text, label: sp.Label}
	n := len(ws.unlabelled(ws.doc.ID, ws.spans, annotate.FindOccurrences(ws.doc.Text, text)))
	data := M{"Label": quote(sp.Label), "Text": quote(text), "Count": n}
	msg := lang.L("Labelled {{.Label}}: {{.Text}}. Ctrl+L labels its other occurrences, here and in the corpus", data)
	if n > 0 {
		msg = lang.N("Labelled {{.Label}}: {{.Text}}; {{.Count}} more times in this document (Ctrl+L labels them, and in the corpus)", n, data)
	}
	ws.ui.message.SetText(msg)
	ws.ui.offerButton.Show()
}

// unlabelled drops the occurrences whose range is a span already.
func (ws *Workspace) unlabelled(doc int64, spans []annotate.Span, occ []annotate.Occurrence) []annotate.Occurrence {
	have := map[[2]int]bool{}
	for _, sp := range spans {
		have[[2]int{sp.Start, sp.End}] = true
	}
	var out []annotate.Occurrence
	for _, o := range occ {
		if !have[[2]int{o.Start, o.End}] {
			out = append(out, o)
		}
	}
	return out
}

// occRow is one line of the preview: a heading, or an occurrence.
type occRow struct {
	heading   string
	docID     int64
	docName   string
	start     int
	end       int
	proclitic string
	context   string
	state     occState
}

// reviewOccurrences opens the preview for the selected span of the
// annotator, or else for the span labelled last.
func (ws *Workspace) reviewOccurrences() { ws.openReview() }

func (ws *Workspace) openReview() *occReview {
	if !ws.canEdit() {
		return nil
	}
	of := ws.offer
	if ws.selected != 0 && !ws.isSuggestion(ws.selected) {
		if sp, ok := ws.spanByID(ws.selected); ok {
			of = &offer{text: ws.spanText(sp), label: sp.Label}
		}
	}
	if of == nil || strings.TrimSpace(of.text) == "" {
		ws.say(lang.L("Label a span (or select one) first: its other occurrences are then offered"))
		return nil
	}
	r := &occReview{ws: ws, offer: *of, doc: ws.doc, layer: ws.layer}
	// The corpus is searched through the search index: one never built
	// is built first, as for a search.
	if !ws.indexFirst(r.show) {
		r.show()
	}
	return r
}

// occRowView is a row of the preview: the form found (or a heading),
// its context and a button.
type occRowView struct {
	widget.BaseWidget
	box       *fyne.Container
	word, ctx *widgets.BidiLabel
	btn       *widget.Button
}

func (o *occRowView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(o.box) }

// occReview is the preview dialog.
type occReview struct {
	ws     *Workspace
	offer  offer
	doc    annotate.Document
	layer  string
	here   []occRow
	corpus []occRow
	note   *widgets.BidiLabel
	hereL  *widget.List
	corpL  *widget.List
	tabs   *container.AppTabs
	cancel context.CancelFunc
}

func snippet(text string, start, end int) string {
	r := []rune(text)
	a, b := max(0, start-40), min(len(r), end+40)
	for k := start - 1; k >= a; k-- {
		if r[k] == '\n' {
			a = k + 1
			break
		}
	}
	for k := end; k < b; k++ {
		if r[k] == '\n' {
			b = k
			break
		}
	}
	s := strings.Map(func(c rune) rune {
		if unicode.Is(unicode.Cf, c) {
			return -1
		}
		return c
	}, string(r[a:b]))
	if a > 0 {
		s = "…" + s
	}
	if b < len(r) {
		s += "…"
	}
	return s
}

// occState is what became of an occurrence offered.
type occState int

const (
	pending occState = iota
	added
	refused
)

// group puts whole words first, then forms with a proclitic, each under a
// heading; here: the occurrences are in the document shown.
func group(occ []occRow, here bool) []occRow {
	var exact, procl []occRow
	for _, o := range occ {
		if o.proclitic == "" {
			exact = append(exact, o)
		} else {
			procl = append(procl, o)
		}
	}
	var out []occRow
	if len(exact) > 0 {
		h := lang.N("As a word in this document ({{.Count}})", len(exact), M{"Count": len(exact)})
		if !here {
			h = lang.N("As a word in other documents ({{.Count}})", len(exact), M{"Count": len(exact)})
		}
		out = append(out, occRow{heading: h})
		out = append(out, exact...)
	}
	if len(procl) > 0 {
		out = append(out, occRow{heading: lang.N("With a proclitic attached ({{.Count}}): the span leaves it out", len(procl), M{"Count": len(procl)})})
		out = append(out, procl...)
	}
	return out
}

func (r *occReview) show() {
	ws := r.ws
	var here []occRow
	for _, o := range ws.unlabelled(r.doc.ID, ws.spans, annotate.FindOccurrences(r.doc.Text, r.offer.text)) {
		here = append(here, occRow{docID: r.doc.ID, docName: r.doc.Name, start: o.Start, end: o.End, proclitic: o.Proclitic,
			context: snippet(r.doc.Text, o.Start, o.End)})
	}
	r.here = group(here, true)
	r.hereL = r.newList(&r.here)
	r.corpL = r.newList(&r.corpus)
	r.note = uiLabel(lang.L("Searching the corpus…"))
	acceptHere := widget.NewButtonWithIcon(lang.L("Accept all in this document"), theme.ConfirmIcon(), func() { r.accept(r.here, r.hereL) })
	acceptCorpus := widget.NewButtonWithIcon(lang.L("Accept all in the corpus"), theme.ConfirmIcon(), func() { r.accept(r.corpus, r.corpL) })
	r.tabs = container.NewAppTabs(
		container.NewTabItem(withCount(lang.L("This document"), len(here)), container.NewBorder(nil, acceptHere, nil, nil, r.hereL)),
		container.NewTabItem(lang.L("Corpus"), container.NewBorder(r.note, acceptCorpus, nil, nil, r.corpL)),
	)
	what := uiLabel(lang.L("Label {{.Text}} as {{.Label}} everywhere", M{"Text": quote(r.offer.text), "Label": quote(r.offer.label)}))
	what.TextStyle.Bold = true
	d := dialog.NewCustom(lang.L("Label all occurrences"), lang.L("Close"), container.NewBorder(what, nil, nil, nil, r.tabs), ws.Window)
	ctx, cancel := context.WithCancel(ws.ctx)
	r.cancel = cancel
	d.Resize(fyne.NewSize(760, 520))
	ws.showDialog(d, cancel)
	r.loadCorpus(ctx)
}

func (r *occReview) newList(rows *[]occRow) *widget.List {
	return widget.NewList(
		func() int { return len(*rows) },
		func() fyne.CanvasObject {
			o := &occRowView{word: uiLabel(""), ctx: docLabel(""), btn: widget.NewButtonWithIcon(lang.L("Accept"), theme.ConfirmIcon(), nil)}
			o.word.TextStyle.Bold = true
			o.word.Truncation = fyne.TextTruncateOff
			o.ctx.Truncation = fyne.TextTruncateClip
			o.box = edges(o.word, o.btn, o.ctx)
			o.ExtendBaseWidget(o)
			return o
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(*rows) {
				return
			}
			row := (*rows)[i]
			v := o.(*occRowView)
			if row.heading != "" {
				v.word.SetText(row.heading)
				v.ctx.SetText("")
				v.btn.Hide()
				return
			}
			form := quote(r.offer.text)
			if row.proclitic != "" {
				form = quote(row.proclitic + "+" + r.offer.text)
			}
			if row.docID != r.doc.ID {
				form = quote(row.docName) + ": " + form
			}
			v.word.SetText(form)
			v.ctx.SetText(row.context)
			btn := v.btn
			btn.Show()
			switch row.state {
			case added:
				btn.SetText(lang.L("Added"))
				btn.Disable()
			case refused:
				btn.SetText(lang.L("Refused"))
				btn.Disable()
			default:
				btn.SetText(lang.L("Accept"))
				btn.Enable()
				btn.OnTapped = func() {
					r.apply([]occRow{row}, func(states []occState) {
						(*rows)[i].state = states[0]
						r.refresh()
					})
				}
			}
		})
}

// loadCorpus searches the other documents in the background.
func (r *occReview) loadCorpus(ctx context.Context) {
	ws := r.ws
	store, layer, text, docID := ws.Store, r.layer, r.offer.text, r.doc.ID
	ws.background(func() func() {
		// A project never searched has its index built here first.
		done := collector().forJob()
		occ, more, err := store.CorpusOccurrences(ctx, text, docID, maxCorpusOccurrences)
		done()
		var rows []occRow
		spans := map[int64][]annotate.Span{}
		for _, o := range occ {
			if err != nil || ctx.Err() != nil {
				break
			}
			if _, ok := spans[o.DocID]; !ok {
				spans[o.DocID], err = store.Spans(ctx, o.DocID, layer)
			}
			if len(ws.unlabelled(o.DocID, spans[o.DocID], []annotate.Occurrence{o.Occurrence})) == 0 {
				continue
			}
			rows = append(rows, occRow{docID: o.DocID, docName: o.DocName, start: o.Start, end: o.End, proclitic: o.Proclitic,
				context: snippet(o.Text, o.Start, o.End)})
		}
		docs := map[int64]bool{}
		for _, o := range rows {
			docs[o.docID] = true
		}
		return func() {
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				r.note.SetText(lang.L("The corpus search failed: {{.Reason}}", M{"Reason": err.Error()}))
				return
			}
			r.corpus = group(rows, false)
			data := M{"Count": len(rows), "Documents": lang.N("{{.Count}} other documents", len(docs), M{"Count": len(docs)}), "First": maxCorpusOccurrences}
			msg := lang.N("{{.Count}} occurrences in {{.Documents}}", len(rows), data)
			if more {
				msg = lang.N("{{.Count}} occurrences in {{.Documents}} (the first {{.First}} found)", len(rows), data)
			}
			r.note.SetText(msg)
			r.tabs.Items[1].Text = withCount(lang.L("Corpus"), len(rows))
			r.tabs.Refresh()
			r.corpL.Refresh()
		}
	})
}

func (r *occReview) refresh() {
	r.hereL.Refresh()
	r.corpL.Refresh()
	if r.doc.ID == r.ws.doc.ID {
		r.ws.reload()
	}
}

// accept adds every pending occurrence of rows, one edit per document.
func (r *occReview) accept(rows []occRow, list *widget.List) {
	var todo []occRow
	var idx []int
	for i, o := range rows {
		if o.heading == "" && o.state == pending {
			todo = append(todo, o)
			idx = append(idx, i)
		}
	}
	if len(todo) == 0 {
		return
	}
	r.apply(todo, func(states []occState) {
		n := 0
		for k, i := range idx {
			rows[i].state = states[k]
			if states[k] == added {
				n++
			}
		}
		r.refresh()
		r.ws.say(lang.N("{{.Count}} occurrences labelled {{.Label}}: {{.Text}}", n, M{"Count": n, "Label": quote(r.offer.label), "Text": quote(r.offer.text)}))
	})
}

// apply stores occurrences as spans of the annotator, grouped by document,
// each group one undoable edit, then gives done each row's new state
// (added or refused) on the UI goroutine. Trying again (the project was
// busy) finds the spans already stored and counts them as added.
func (r *occReview) apply(rows []occRow, done func(states []occState)) {
	ws := r.ws
	byDoc := map[int64][]int{}
	var order []int64
	for i, o := range rows {
		if _, ok := byDoc[o.docID]; !ok {
			order = append(order, o.docID)
		}
		byDoc[o.docID] = append(byDoc[o.docID], i)
	}
	layer, label := r.layer, r.offer.label
	states := make([]occState, len(rows))
	ws.write(lang.L("the occurrences"), func(ctx context.Context) error {
		for _, doc := range order {
			have, err := ws.Store.Spans(ctx, doc, layer)
			if err != nil {
				return err
			}
			var spans []annotate.Span
			var idx []int
			for _, i := range byDoc[doc] {
				o := rows[i]
				sp := annotate.Span{DocID: doc, Layer: layer, Start: o.start, End: o.end, Label: label, Origin: annotate.Propagated}
				if slices.ContainsFunc(have, func(h annotate.Span) bool { return h.Start == sp.Start && h.End == sp.End && h.Label == sp.Label }) {
					states[i] = added
					continue
				}
				spans, idx = append(spans, sp), append(idx, i)
			}
			kind := "label occurrence"
			if len(spans) > 1 {
				kind = "label all occurrences"
			}
			if len(spans) == 0 {
				continue
			}
			_, err = ws.Store.AddSpans(ctx, doc, layer, kind, spans)
			if isBusy(err) {
				return err
			}
			if err == nil {
				for _, i := range idx {
					states[i] = added
				}
				continue
			}
			// One refused (an overlap): add the others one by one.
			for k, i := range idx {
				_, err := ws.Store.AddSpans(ctx, doc, layer, kind, spans[k:k+1])
				if isBusy(err) {
					return err
				}
				states[i] = added
				if err != nil {
					states[i] = refused
				}
			}
		}
		return nil
	}, func() { done(states) })
}
