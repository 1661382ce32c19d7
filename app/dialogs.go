package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets"
)

// Dialogs that say something are Qalam's own: their sentences quote
// names and numbers, which Fyne's labels would scramble in Arabic, and
// their buttons follow the reading direction.

// buttons lays out a dialog's buttons at the end of a line, the one to
// press last (the default) at the very end.
func buttons(bs ...fyne.CanvasObject) fyne.CanvasObject {
	return row(append([]fyne.CanvasObject{layout.NewSpacer()}, bs...)...)
}

// inform shows msg in a dialog with OK, over w.
func inform(w fyne.Window, title, msg string) dialog.Dialog {
	var d dialog.Dialog
	ok := widget.NewButtonWithIcon(lang.L("OK"), theme.ConfirmIcon(), func() { d.Hide() })
	ok.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons(ok), nil, nil, container.NewVScroll(message(msg))), w)
	d.Resize(dialogSize(msg))
	return d
}

// inform shows msg in a dialog over the window, which Escape closes.
func (ws *Workspace) inform(title, msg string) {
	ws.showDialog(inform(ws.Window, title, msg), nil)
}

// confirm asks a question with Yes and No over w; answer gets the reply
// (No, however else the dialog closes).
func confirm(w fyne.Window, title, msg string, answer func(bool)) {
	var d dialog.Dialog
	replied := false
	reply := func(yes bool) {
		if !replied {
			replied = true
			d.Hide()
			answer(yes)
		}
	}
	no := widget.NewButtonWithIcon(lang.L("No"), theme.CancelIcon(), func() { reply(false) })
	yes := widget.NewButtonWithIcon(lang.L("Yes"), theme.ConfirmIcon(), func() { reply(true) })
	yes.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons(no, yes), nil, nil, message(msg)), w)
	d.Resize(dialogSize(msg))
	d.SetOnClosed(func() { reply(false) })
	d.Show()
}

// chooseFile asks for a file with Fyne's open dialog, showing those
// ending in one of exts (every file when there is none), and gives its
// path to then.
func (ws *Workspace) chooseFile(exts []string, then func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			ws.showError(err)
			return
		}
		r.Close()
		then(r.URI().Path())
	}, ws.Window)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// chooseFolder asks for a folder and gives its path to then.
func (ws *Workspace) chooseFolder(then func(path string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			ws.showError(err)
			return
		}
		then(u.Path())
	}, ws.Window)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// dialogSize is the size of a dialog saying msg: wide enough for a
// sentence, and as high as the sentence needs at that width (a dialog
// grows no further by itself).
func dialogSize(msg string) fyne.Size {
	const width = 560
	l := message(msg)
	l.Resize(fyne.NewSize(width-2*theme.Padding()-4*theme.InnerPadding(), 1))
	return fyne.NewSize(width, min(l.MinSize().Height+140, 600))
}

// fitHeight grows a dialog whose content grew (a message shown inside
// it), so that nothing in it is drawn over anything else.
func fitHeight(d dialog.Dialog) {
	if m := d.MinSize(); m.Height > 0 {
		d.Resize(fyne.NewSize(max(d.MinSize().Width, 640), m.Height))
	}
}

// problemLine is the line of a dialog that says, in red, why what was
// asked cannot be done; sayProblem shows it.
func problemLine() *widgets.BidiLabel {
	l := message("")
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// sayProblem shows msg on d's problem line l, growing d to fit it.
func sayProblem(d dialog.Dialog, l *widgets.BidiLabel, msg string) {
	l.SetText(msg)
	l.Show()
	fitHeight(d)
}

// field is a labelled field of a form.
type field struct {
	label string
	obj   fyne.CanvasObject
}

// formItems lays fields out, each label before its field in a line
// (mirrored in Arabic). A label may name a layer.
func formItems(fields []field) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, f := range fields {
		l := uiLabel(f.label)
		l.Truncation = fyne.TextTruncateOff
		l.Alignment = fyne.TextAlignTrailing
		l.TextStyle.Bold = true
		objs = append(objs, l, f.obj)
	}
	return formGrid(objs...)
}

// formDialog is a dialog of fields over w, with a sentence (or anything)
// above them and its buttons below: confirm is disabled while a field
// that validates is invalid. done gets true when confirmed (by the
// button or submit); closed answers false, for the dialog's OnClosed.
func formDialog(w fyne.Window, title, confirmText, dismissText string, above fyne.CanvasObject, fields []field, done func(bool)) (d dialog.Dialog, closed, submit func()) {
	answered := false
	answer := func(ok bool) {
		if !answered {
			answered = true
			d.Hide()
			done(ok)
		}
	}
	ok := widget.NewButtonWithIcon(confirmText, theme.ConfirmIcon(), func() { answer(true) })
	ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(dismissText, theme.CancelIcon(), func() { answer(false) })
	// Each field's validation error, as it last reported it (asking a
	// field to validate again would report again, without end).
	errs := make([]error, len(fields))
	update := func() {
		for _, err := range errs {
			if err != nil {
				ok.Disable()
				return
			}
		}
		ok.Enable()
	}
	for i, f := range fields {
		if v, isV := f.obj.(fyne.Validatable); isV {
			errs[i] = v.Validate()
			v.SetOnValidationChanged(func(err error) { errs[i] = err; update() })
		}
	}
	update()
	body := container.NewVBox()
	if above != nil {
		body.Add(above)
	}
	body.Add(formItems(fields))
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, buttons(cancel, ok), nil, nil, body), w)
	return d, func() { answer(false) }, func() {
		if !ok.Disabled() {
			answer(true)
		}
	}
}
