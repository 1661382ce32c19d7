package app

import (
	"fmt"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
)

// Every function here changes the store first and shows the result only
// once the store has committed it (reload reads it back).

// applyLabel is a label's hotkey or button: with a span of the
// annotator's selected, it relabels it; with a suggestion selected, it
// accepts it under this label; otherwise it labels the selected text.
func (ws *Workspace) applyLabel(l annotate.Label) {
	if !ws.canEdit() {
		return
	}
	if id := ws.selected; id != 0 {
		if ws.isSuggestion(id) {
			ws.acceptSuggestions(l.Name, id)
			return
		}
		sp, ok := ws.spanByID(id)
		if !ok {
			return
		}
		if sp.Label == l.Name {
			ws.say(fmt.Sprintf("Already %s: %s", l.Name, ws.spanText(sp)))
			return
		}
		if err := ws.Store.RelabelSpan(ws.ctx, ws.doc.ID, ws.layer, id, l.Name); err != nil {
			ws.explain(err)
			return
		}
		ws.reload()
		ws.say(fmt.Sprintf("Relabelled %s → %s: %s", sp.Label, l.Name, ws.spanText(sp)))
		return
	}
	start, end := ws.ui.view.Selection()
	sel := []rune(ws.ui.view.TextRange(start, end))
	a, b := trimSpaces(sel, 0, len(sel))
	start, end = start+a, start+b
	if start >= end {
		ws.say("Select some text first, then press a label's key")
		return
	}
	sp, err := ws.Store.AddSpan(ws.ctx, annotate.Span{DocID: ws.doc.ID, Layer: ws.layer, Start: start, End: end, Label: l.Name, Origin: annotate.Manual})
	if err != nil {
		ws.explain(err)
		return
	}
	ws.selected = sp.ID
	ws.reload()
	ws.say(fmt.Sprintf("Labelled %s: %s", l.Name, ws.spanText(sp)))
	ws.offerOccurrences(sp)
}

// trimSpaces shrinks [start, end) of text to leave out, at either end,
// white space, invisible marks and the punctuation that separates words
// (commas, semicolons, colons, quotes, brackets): a selection made by
// whole words often takes in the comma before or after a name. Full stops
// stay (U.S.).
func trimSpaces(text []rune, start, end int) (int, int) {
	start, end = max(start, 0), min(end, len(text))
	for start < end && isEdgeJunk(text[start]) {
		start++
	}
	for end > start && isEdgeJunk(text[end-1]) {
		end--
	}
	return start, end
}

func isEdgeJunk(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`،,؛;:"'«»“”‘’()[]{}`, r)
}

func (ws *Workspace) deleteSpan(id int64) {
	if !ws.canEdit() {
		return
	}
	sp, ok := ws.spanByID(id)
	if !ok || ws.isSuggestion(id) {
		return
	}
	if err := ws.Store.DeleteSpans(ws.ctx, ws.doc.ID, ws.layer, id); err != nil {
		ws.explain(err)
		return
	}
	if ws.selected == id {
		ws.selected = 0
	}
	ws.reload()
	ws.say(fmt.Sprintf("Deleted (Ctrl+Z brings it back) %s: %s", sp.Label, ws.spanText(sp)))
}

func (ws *Workspace) undo() { ws.replay(true) }
func (ws *Workspace) redo() { ws.replay(false) }

// replay undoes or redoes the annotator's last edit of this document. The
// edit log is in the project, so this works across restarts.
func (ws *Workspace) replay(undo bool) {
	if !ws.canEdit() || ws.dialogOpen() {
		return
	}
	f, verb := ws.Store.Redo, "Redone"
	if undo {
		f, verb = ws.Store.Undo, "Undone"
	}
	ed, err := f(ws.ctx, ws.layer, ws.doc.ID)
	if err != nil {
		ws.explain(err)
		return
	}
	ws.reload()
	ws.docs.statusChanged()
	ws.say(verb + ": " + ed.Kind)
}

// dialogOpen reports whether a dialog is up: shortcuts that edit the
// document wait until it is closed.
func (ws *Workspace) dialogOpen() bool {
	return len(ws.Window.Canvas().Overlays().List()) > 0
}

// showDialog shows d, which Escape closes; onClosed (may be nil) runs when
// it closes, then the keyboard goes back to the article.
func (ws *Workspace) showDialog(d dialog.Dialog, onClosed func()) {
	ws.dialogs = append(ws.dialogs, d)
	d.SetOnClosed(func() {
		for i := len(ws.dialogs) - 1; i >= 0; i-- {
			if ws.dialogs[i] == d {
				ws.dialogs = append(ws.dialogs[:i], ws.dialogs[i+1:]...)
				break
			}
		}
		if onClosed != nil {
			onClosed()
		}
		ws.focusView()
	})
	d.Show()
}

// closeDialog closes the dialog shown last by showDialog (Escape).
func (ws *Workspace) closeDialog() bool {
	if n := len(ws.dialogs); n > 0 {
		ws.dialogs[n-1].Hide()
		return true
	}
	return false
}

// --- suggestions ---------------------------------------------------------

// suggestionAtCaret is the selected suggestion, or the one under the
// caret.
func (ws *Workspace) suggestionAtCaret() (annotate.Span, bool) {
	if ws.selected != 0 && ws.isSuggestion(ws.selected) {
		return ws.spanByID(ws.selected)
	}
	c, _ := ws.ui.view.Selection()
	for _, sp := range ws.suggests {
		if sp.Start <= c && c < sp.End {
			return sp, true
		}
	}
	return annotate.Span{}, false
}

func (ws *Workspace) acceptSuggestionAtCaret() {
	if sp, ok := ws.suggestionAtCaret(); ok {
		ws.acceptSuggestions("", sp.ID)
	}
}

func (ws *Workspace) rejectSuggestionAtCaret() {
	if sp, ok := ws.suggestionAtCaret(); ok {
		ws.rejectSuggestions(sp.ID)
	}
}

// acceptSuggestions copies suggestions into the annotator's layer (label
// "" keeps theirs), as one undoable edit.
func (ws *Workspace) acceptSuggestions(label string, ids ...int64) {
	if !ws.canEdit() || len(ids) == 0 {
		return
	}
	added, err := ws.Store.AcceptSuggestions(ws.ctx, ws.doc.ID, ws.layer, label, ids...)
	if err != nil {
		ws.explain(err)
		return
	}
	ws.selected = 0
	if len(added) == 1 {
		ws.selected = added[0].ID
	}
	ws.reload()
	ws.say(fmt.Sprintf("%d suggestion(s) accepted", len(added)))
}

func (ws *Workspace) rejectSuggestions(ids ...int64) {
	if !ws.canEdit() || len(ids) == 0 {
		return
	}
	if err := ws.Store.RejectSuggestions(ws.ctx, ws.doc.ID, ws.layer, ids...); err != nil {
		ws.explain(err)
		return
	}
	ws.reload()
	ws.say(fmt.Sprintf("%d suggestion(s) rejected; Suggestions → Restore rejected brings them back", len(ids)))
}

func (ws *Workspace) acceptAllSuggestions() {
	ws.acceptSuggestions("", spanIDs(ws.suggests)...)
}

func (ws *Workspace) rejectAllSuggestions() {
	ws.rejectSuggestions(spanIDs(ws.suggests)...)
}

func (ws *Workspace) restoreSuggestions() {
	if !ws.canEdit() {
		return
	}
	n, err := ws.Store.RestoreSuggestions(ws.ctx, ws.doc.ID, ws.layer)
	if err != nil {
		ws.explain(err)
		return
	}
	ws.reload()
	ws.say(fmt.Sprintf("%d rejected suggestion(s) restored", n))
}

func spanIDs(spans []annotate.Span) []int64 {
	ids := make([]int64, len(spans))
	for i, sp := range spans {
		ids[i] = sp.ID
	}
	return ids
}

// stepSpan selects the next (dir 1) or previous (-1) span or suggestion
// in text order, from the keyboard.
func (ws *Workspace) stepSpan(dir int) {
	all := append(append([]annotate.Span{}, ws.spans...), ws.suggests...)
	if len(all) == 0 {
		return
	}
	sortSpans(all)
	i := -1
	for k, sp := range all {
		if sp.ID == ws.selected {
			i = k
		}
	}
	if i < 0 {
		c, _ := ws.ui.view.Selection()
		// the first span after the caret, or the last before it
		i = len(all)
		if dir < 0 {
			i = -1
		}
		for k, sp := range all {
			if dir > 0 && sp.Start >= c && k < i {
				i = k
			}
			if dir < 0 && sp.Start < c {
				i = k
			}
		}
		if i == len(all) || i < 0 {
			i = (i + len(all)) % len(all)
		}
	} else {
		i = (i + dir + len(all)) % len(all)
	}
	ws.selectSpan(all[i].ID, true)
	ws.spanTapped(all[i].ID)
}

func sortSpans(s []annotate.Span) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].Start < s[j-1].Start || s[j].Start == s[j-1].Start && s[j].End < s[j-1].End); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// --- status, flag, comments ------------------------------------------------

// doneAndNext marks the document done and opens the next unfinished one.
func (ws *Workspace) doneAndNext() { ws.finish(annotate.Done) }

// skipAndNext marks the document skipped and opens the next unfinished one.
func (ws *Workspace) skipAndNext() { ws.finish(annotate.Skipped) }

func (ws *Workspace) finish(st annotate.Status) {
	if !ws.canEdit() || ws.dialogOpen() {
		return
	}
	if err := ws.Store.SetStatus(ws.ctx, ws.doc.ID, ws.layer, st); err != nil {
		ws.explain(err)
		return
	}
	name := ws.doc.Name
	ws.reload()
	ws.docs.statusChanged()
	next, ok, err := ws.Store.NextUnfinished(ws.ctx, ws.docs.query, ws.doc.ID)
	if err != nil {
		ws.showError(err)
		return
	}
	if !ok {
		ws.say(fmt.Sprintf("%s marked %s. Every document is finished.", name, statusText(st)))
		return
	}
	ws.openDocument(next)
	ws.say(fmt.Sprintf("%s marked %s", name, statusText(st)))
}

func (ws *Workspace) toggleFlag() {
	if !ws.canEdit() {
		return
	}
	if err := ws.Store.SetFlag(ws.ctx, ws.doc.ID, ws.layer, !ws.flagged); err != nil {
		ws.explain(err)
		return
	}
	ws.reload()
	if ws.flagged {
		ws.say("Document flagged")
	} else {
		ws.say("Flag removed")
	}
}

// stepDocument opens the next (1) or previous (-1) document of the list.
func (ws *Workspace) stepDocument(dir int) {
	if id, ok := ws.docs.neighbour(ws.doc.ID, dir); ok {
		ws.openDocument(id)
	}
}

// showComments lists the document's comments and takes a new one.
func (ws *Workspace) showComments() {
	if !ws.canEdit() {
		return
	}
	comments, err := ws.Store.Comments(ws.ctx, ws.doc.ID)
	if err != nil {
		ws.showError(err)
		return
	}
	var lines []string
	for _, c := range comments {
		lines = append(lines, fmt.Sprintf("%s, %s: %s", c.Layer, c.Created.Local().Format("2006-01-02 15:04"), c.Text))
	}
	old := widget.NewLabel(strings.Join(lines, "\n"))
	old.Wrapping = fyne.TextWrapWord
	if len(lines) == 0 {
		old.SetText("No comments yet.")
	}
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("A note on this document (what is unclear, what to check)…")
	entry.SetMinRowsVisible(3)
	content := container.NewBorder(nil, entry, nil, nil, container.NewVScroll(old))
	d := dialog.NewCustomConfirm("Comments on "+ws.doc.Name, "Add comment", "Close", content, func(ok bool) {
		text := strings.TrimSpace(entry.Text)
		if !ok || text == "" {
			return
		}
		if _, err := ws.Store.AddComment(ws.ctx, annotate.Comment{DocID: ws.doc.ID, Layer: ws.layer, Text: text}); err != nil {
			ws.showError(err)
			return
		}
		ws.say("Comment added")
	}, ws.Window)
	d.Resize(fyne.NewSize(560, 380))
	ws.showDialog(d, nil)
	ws.Window.Canvas().Focus(entry)
}

// setAllowOverlap changes the project's overlap rule.
func (ws *Workspace) setAllowOverlap(allow bool) {
	if err := ws.Store.SetAllowOverlap(ws.ctx, allow); err != nil {
		ws.showError(err)
		return
	}
	ws.allowOverlap = allow
	ws.Window.SetMainMenu(ws.mainMenu())
	if allow {
		ws.say("Spans may overlap in this project")
	} else {
		ws.say("Overlapping spans are refused in this project")
	}
}
