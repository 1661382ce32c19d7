package app

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
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
	if ws.selected != 0 && ws.isSuggestion(ws.selected) {
		ws.acceptSuggestions(l.Name, ws.selected)
		return
	}
	if sp, ok := ws.spanByID(ws.selected); ok && sp.Label == l.Name {
		ws.say(lang.L("Already {{.Label}}: {{.Text}}", M{"Label": quote(l.Name), "Text": quote(ws.spanText(sp))}))
		return
	}
	start, end := ws.ui.view.Selection()
	label, was, err := labelTarget([]rune(ws.ui.view.TextRange(start, end)), ws.spans, ws.selected, start, end, l.Name)
	if err != nil {
		ws.say(lang.L("Select some text first, then press a label's key"))
		return
	}
	label.DocID, label.Layer = ws.doc.ID, ws.layer
	var sp annotate.Span
	ws.write(lang.L("the span"), func(ctx context.Context) (err error) {
		sp, err = labelSpan(ctx, ws.Store, label, was != "")
		return err
	}, func() {
		if was != "" {
			ws.reload()
			ws.say(lang.L("Relabelled {{.Was}} as {{.Label}}: {{.Text}}", M{"Was": quote(was), "Label": quote(l.Name), "Text": quote(ws.spanText(sp))}))
			return
		}
		ws.selected = sp.ID
		ws.reload()
		ws.say(lang.L("Labelled {{.Label}}: {{.Text}}", M{"Label": quote(l.Name), "Text": quote(ws.spanText(sp))}))
		ws.offerOccurrences(sp)
	})
}

// errNoText: labelling found no text selected.
var errNoText = errors.New("no text selected")

// labelTarget is what a label's key does to a layer, the annotator's in
// the article or gold in the adjudication window: when selected is one of
// the layer's spans, that span takes the label (was is its label before);
// otherwise the text [start, end), sel, without spaces and separating
// punctuation at its ends, becomes a span with the label (errNoText when
// nothing is left). The span returned has no document or layer yet.
func labelTarget(sel []rune, spans []annotate.Span, selected int64, start, end int, label string) (sp annotate.Span, was string, err error) {
	for _, sp := range spans {
		if sp.ID == selected && selected != 0 {
			was, sp.Label = sp.Label, label
			return sp, was, nil
		}
	}
	a, b := trimSpaces(sel, 0, len(sel))
	if a >= b {
		return sp, "", errNoText
	}
	return annotate.Span{Start: start + a, End: start + b, Label: label, Origin: annotate.Manual}, "", nil
}

// labelSpan stores what labelTarget decided: the relabelled span, or the
// new one.
func labelSpan(ctx context.Context, s annotate.SpanEditor, sp annotate.Span, relabel bool) (annotate.Span, error) {
	if relabel {
		return sp, s.RelabelSpan(ctx, sp.DocID, sp.Layer, sp.ID, sp.Label)
	}
	return s.AddSpan(ctx, sp)
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
	doc, layer := ws.doc.ID, ws.layer
	ws.write(lang.L("the deletion"), func(ctx context.Context) error {
		return ws.Store.DeleteSpans(ctx, doc, layer, id)
	}, func() {
		if ws.selected == id {
			ws.selected = 0
		}
		ws.reload()
		ws.say(lang.L("Deleted {{.Label}}: {{.Text}} (Ctrl+Z brings it back)", M{"Label": quote(sp.Label), "Text": quote(ws.spanText(sp))}))
	})
}

func (ws *Workspace) undo() { ws.replay(true) }
func (ws *Workspace) redo() { ws.replay(false) }

// replay undoes or redoes the annotator's last edit of this document. The
// edit log is in the project, so this works across restarts.
func (ws *Workspace) replay(undo bool) {
	if !ws.canEdit() || ws.dialogOpen() {
		return
	}
	f := ws.Store.Redo
	if undo {
		f = ws.Store.Undo
	}
	doc, layer := ws.doc.ID, ws.layer
	var ed annotate.Edit
	ws.write(replayWhat(undo), func(ctx context.Context) (err error) {
		ed, err = f(ctx, layer, doc)
		return err
	}, func() {
		ws.reload()
		ws.docs.statusChanged()
		ws.say(replayedText(undo, ed.Kind))
	})
}

// replayWhat names an undo or a redo waiting for a busy project.
func replayWhat(undo bool) string {
	if undo {
		return lang.L("the undo")
	}
	return lang.L("the redo")
}

// replayedText says what an undo or a redo replayed.
func replayedText(undo bool, kind string) string {
	if undo {
		return lang.L("Undone: {{.Edit}}", M{"Edit": editKindText(kind)})
	}
	return lang.L("Redone: {{.Edit}}", M{"Edit": editKindText(kind)})
}

// editKindText names a kind of edit (annotate.Edit.Kind) for people.
func editKindText(kind string) string {
	switch kind {
	case "add span":
		return lang.L("add span")
	case "delete span":
		return lang.L("delete span")
	case "relabel span":
		return lang.L("relabel span")
	case "change span":
		return lang.L("change span")
	case "set status":
		return lang.L("set status")
	case "flag":
		return lang.L("flag")
	case "accept suggestions":
		return lang.L("accept suggestions")
	case "reject suggestions":
		return lang.L("reject suggestions")
	case "restore rejected suggestions":
		return lang.L("restore rejected suggestions")
	case "adjudicate":
		return lang.L("adjudicate")
	case "label occurrence":
		return lang.L("label occurrence")
	case "label all occurrences":
		return lang.L("label all occurrences")
	}
	return kind
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
	doc, layer := ws.doc.ID, ws.layer
	var added []annotate.Span
	ws.write(lang.L("the accepted suggestions"), func(ctx context.Context) (err error) {
		added, err = ws.Store.AcceptSuggestions(ctx, doc, layer, label, ids...)
		return err
	}, func() {
		ws.selected = 0
		if len(added) == 1 {
			ws.selected = added[0].ID
		}
		ws.reload()
		ws.say(lang.N("{{.Count}} suggestions accepted", len(added), M{"Count": len(added)}))
	})
}

func (ws *Workspace) rejectSuggestions(ids ...int64) {
	if !ws.canEdit() || len(ids) == 0 {
		return
	}
	doc, layer, all := ws.doc.ID, ws.layer, ws.withTwins(ids)
	ws.write(lang.L("the rejected suggestions"), func(ctx context.Context) error {
		return ws.Store.RejectSuggestions(ctx, doc, layer, all...)
	}, func() {
		ws.reload()
		ws.say(lang.N("{{.Count}} suggestions rejected; Ctrl+Z brings them back", len(ids), M{"Count": len(ids)}))
	})
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
	doc, layer := ws.doc.ID, ws.layer
	var n int
	ws.write(lang.L("the restored suggestions"), func(ctx context.Context) (err error) {
		n, err = ws.Store.RestoreSuggestions(ctx, doc, layer)
		return err
	}, func() {
		ws.reload()
		ws.say(lang.N("{{.Count}} rejected suggestions restored", n, M{"Count": n}))
	})
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
	doc, layer, name := ws.doc.ID, ws.layer, ws.doc.Name
	ws.write(lang.L("the status"), func(ctx context.Context) error {
		return ws.Store.SetStatus(ctx, doc, layer, st)
	}, func() {
		ws.reload()
		ws.docs.statusChanged()
		if ws.doc.ID != doc {
			return // the annotator moved on while the project was busy
		}
		next, ok, err := ws.Store.NextUnfinished(ws.ctx, ws.docs.query, doc)
		if err != nil {
			ws.showError(err)
			return
		}
		if !ok {
			ws.say(lang.L("{{.Name}} marked {{.Status}}. Every document is finished.", M{"Name": quote(name), "Status": statusText(st)}))
			return
		}
		ws.openDocument(next)
		ws.say(lang.L("{{.Name}} marked {{.Status}}", M{"Name": quote(name), "Status": statusText(st)}))
	})
}

func (ws *Workspace) toggleFlag() {
	if !ws.canEdit() {
		return
	}
	doc, layer, flag := ws.doc.ID, ws.layer, !ws.flagged
	ws.write(lang.L("the flag"), func(ctx context.Context) error {
		return ws.Store.SetFlag(ctx, doc, layer, flag)
	}, func() {
		ws.reload()
		if flag {
			ws.say(lang.L("Document flagged"))
		} else {
			ws.say(lang.L("Flag removed"))
		}
	})
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
	// Each comment is its own paragraph: its words keep their direction.
	var lines []string
	for _, c := range comments {
		lines = append(lines, lang.L("{{.Layer}}, {{.Time}}: {{.Text}}", M{"Layer": quote(c.Layer), "Time": c.Created.Local().Format("2006-01-02 15:04"), "Text": quote(c.Text)}))
	}
	old := message(strings.Join(lines, "\n"))
	if len(lines) == 0 {
		old.SetText(lang.L("No comments yet."))
	}
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder(lang.L("A note on this document (what is unclear, what to check)…"))
	entry.SetMinRowsVisible(3)
	name := docLabel(ws.doc.Name)
	name.TextStyle.Bold = true
	content := container.NewBorder(name, entry, nil, nil, container.NewVScroll(old))
	doc, layer := ws.doc.ID, ws.layer
	var d dialog.Dialog
	add := widget.NewButtonWithIcon(lang.L("Add comment"), theme.ConfirmIcon(), func() {
		text := strings.TrimSpace(entry.Text)
		d.Hide()
		if text == "" {
			return
		}
		c := annotate.Comment{DocID: doc, Layer: layer, Text: text}
		ws.write(lang.L("the comment"), func(ctx context.Context) error {
			_, err := ws.Store.AddComment(ctx, c)
			return err
		}, func() { ws.say(lang.L("Comment added")) })
	})
	add.Importance = widget.HighImportance
	closeB := widget.NewButtonWithIcon(lang.L("Close"), theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.L("Comments"), container.NewBorder(nil, buttons(closeB, add), nil, nil, content), ws.Window)
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
		ws.say(lang.L("Spans may overlap in this project"))
	} else {
		ws.say(lang.L("Overlapping spans are refused in this project"))
	}
}
