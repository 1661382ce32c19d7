package app

import (
	"image/color"

	"fyne.io/fyne/v2/lang"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// A document opened while the list is filtered by a search shows where
// the query matched (the word with its proclitics: مصر marks بمصر), as
// marks behind the text in the colour of a highlighter, which no label
// of the default set takes; the first hit is selected, and Ctrl+G and
// Ctrl+Shift+G select the next and the one before. A label's key then
// labels the hit selected.

// hitColor is the highlighter's colour of search hits.
var hitColor = color.NRGBA{0xff, 0xe1, 0x19, 0x80}

// hitMark is the id of hit i's mark: below the ids of spans, and of the
// adjudication window's outline.
func hitMark(i int) int64 { return int64(-2 - i) }

// findHits finds the search's hits in the document shown.
func (ws *Workspace) findHits() {
	ws.hits = nil
	if q := ws.docs.query.Search; q != "" && ws.doc.ID != 0 {
		if terms, err := annotate.ParseQuery(q); err == nil {
			ws.hits = annotate.FindSearchHits(ws.doc.Text, terms)
		}
	}
}

// hitMarks are the marks of the search's hits.
func (ws *Workspace) hitMarks() []widgets.SpanMark {
	marks := make([]widgets.SpanMark, len(ws.hits))
	for i, h := range ws.hits {
		marks[i] = widgets.SpanMark{ID: hitMark(i), Start: h.Start, End: h.End, Color: hitColor}
	}
	return marks
}

// showHits marks the search's hits in the document shown (none without
// a search) and selects the first.
func (ws *Workspace) showHits() {
	ws.findHits()
	ws.drawMarks()
	if len(ws.hits) > 0 {
		ws.selectHit(0)
	}
}

// selectHit selects hit i and says which it is.
func (ws *Workspace) selectHit(i int) {
	h := ws.hits[i]
	ws.selectSpan(0, false)
	ws.ui.view.SetSelection(h.Start, h.End)
	ws.ui.view.ScrollToOffset(h.Start)
	ws.say(lang.N("Hit {{.N}} of {{.Count}} of {{.Query}} in this document: Ctrl+G the next, Ctrl+Shift+G the one before; a label's key labels it", len(ws.hits),
		M{"N": i + 1, "Count": len(ws.hits), "Query": quote(ws.docs.query.Search)}))
}

// stepHit selects the next hit after the selection (dir 1) or the one
// before it (-1), going round at the document's ends.
func (ws *Workspace) stepHit(dir int) {
	n := len(ws.hits)
	if n == 0 {
		if ws.docs.query.Search == "" {
			ws.say(lang.L("No search: type words in the search box (Ctrl+F), then open a document of the list"))
		} else {
			ws.say(lang.L("No hit of {{.Query}} in this document", M{"Query": quote(ws.docs.query.Search)}))
		}
		return
	}
	start, end := ws.ui.view.Selection()
	i := -1
	if dir > 0 {
		for k, h := range ws.hits {
			if h.Start >= end && !(h.Start == start && h.End == end) {
				i = k
				break
			}
		}
		if i < 0 {
			i = 0
		}
	} else {
		for k := n - 1; k >= 0; k-- {
			if h := ws.hits[k]; h.End <= start && !(h.Start == start && h.End == end) {
				i = k
				break
			}
		}
		if i < 0 {
			i = n - 1
		}
	}
	ws.selectHit(i)
}
