package app

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
)

// showLabels opens the label editor: add, rename, recolour, change hotkeys,
// delete (never silently: a label in use asks where its spans go).
func (ws *Workspace) showLabels() {
	var d dialog.Dialog
	rows := container.NewVBox()
	var fill func()
	fill = func() {
		rows.RemoveAll()
		for _, l := range ws.labels {
			l := l
			usage, err := ws.Store.LabelUsage(ws.ctx, l.Name)
			if err != nil {
				ws.showError(err)
			}
			key := l.Hotkey
			if key == "" {
				key = "–"
			}
			edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() {
				ws.editLabel(l, func() { fill() })
			})
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				ws.deleteLabel(l.Name, func() { fill() })
			})
			info := uiLabel(lang.N("key {{.Key}} · {{.Count}} spans", usage, M{"Key": key, "Count": usage}))
			info.Truncation = fyne.TextTruncateOff
			rows.Add(edges(container.NewCenter(swatch(parseHex(l.Color))), row(info, edit, del), docLabel(l.Name)))
		}
		rows.Refresh()
	}
	fill()
	add := widget.NewButtonWithIcon(lang.L("Add label"), theme.ContentAddIcon(), func() {
		ws.editLabel(annotate.Label{}, func() { fill() })
	})
	overlap := widget.NewCheck(lang.L("Spans may overlap (this project)"), func(on bool) {
		if on != ws.allowOverlap {
			ws.setAllowOverlap(on)
		}
	})
	overlap.SetChecked(ws.allowOverlap)
	content := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), add, overlap), nil, nil, container.NewVScroll(rows))
	d = dialog.NewCustom(lang.L("Labels"), lang.L("Close"), content, ws.Window)
	d.Resize(fyne.NewSize(520, 420))
	ws.showDialog(d, nil)
}

// editLabel asks for a label's name, colour and hotkey; a zero label adds
// a new one. done runs after a change.
func (ws *Workspace) editLabel(l annotate.Label, done func()) {
	isNew := l.Name == ""
	if isNew {
		l.Color = annotate.Palette[len(ws.labels)%len(annotate.Palette)]
		l.Hotkey = freeHotkey(ws.labels)
	}
	name := widget.NewEntry()
	name.SetText(l.Name)
	name.Validator = func(s string) error { return annotate.Label{Name: strings.TrimSpace(s)}.Validate() }
	col := widget.NewEntry()
	col.SetText(l.Color)
	sw := swatch(parseHex(l.Color))
	sw.SetMinSize(fyne.NewSize(28, 28))
	col.OnChanged = func(s string) {
		sw.FillColor = parseHex(s)
		sw.Refresh()
	}
	col.Validator = func(s string) error { return annotate.Label{Name: "x", Color: s}.Validate() }
	pick := widget.NewButton(lang.L("Pick…"), func() {
		p := dialog.NewColorPicker(lang.L("Colour"), "", func(c color.Color) {
			r, g, b, _ := c.RGBA()
			col.SetText(fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8))
		}, ws.Window)
		p.Advanced = true
		p.SetColor(parseHex(col.Text))
		p.Show()
	})
	key := widget.NewEntry()
	key.SetText(l.Hotkey)
	key.Validator = func(s string) error { return annotate.Label{Name: "x", Hotkey: s}.Validate() }
	fields := []field{
		{lang.L("Name"), name},
		{lang.L("Colour"), edges(sw, pick, col)},
		{lang.L("Key"), key},
	}
	title := lang.L("Edit label")
	var above fyne.CanvasObject
	if isNew {
		title = lang.L("New label")
	} else {
		above = docLabel(l.Name)
	}
	old := l.Name
	f, closed, _ := formDialog(ws.Window, title, lang.L("Save"), lang.L("Cancel"), above, fields, func(ok bool) {
		if !ok {
			return
		}
		next := annotate.Label{Name: strings.TrimSpace(name.Text), Color: strings.ToLower(col.Text), Hotkey: key.Text}
		var err error
		if isNew {
			err = ws.Store.AddLabel(ws.ctx, next)
		} else {
			err = ws.Store.UpdateLabel(ws.ctx, old, next)
		}
		if err != nil {
			ws.showError(err)
			return
		}
		ws.labelsChanged()
		done()
	})
	f.Resize(fyne.NewSize(460, 300))
	f.SetOnClosed(closed)
	f.Show()
}

// freeHotkey is the first digit no label uses.
func freeHotkey(set annotate.LabelSet) string {
	for _, k := range "1234567890" {
		if _, ok := set.ByHotkey(string(k)); !ok {
			return string(k)
		}
	}
	return ""
}

// deleteLabel deletes a label; one in use is deleted only once its spans
// have another label, which a dialog asks for.
func (ws *Workspace) deleteLabel(name string, done func()) {
	n, err := ws.Store.LabelUsage(ws.ctx, name)
	if err != nil {
		ws.showError(err)
		return
	}
	if n == 0 {
		confirm(ws.Window, lang.L("Delete label"), lang.L("Delete the label {{.Label}}? No span uses it.", M{"Label": quote(name)}), func(ok bool) {
			if !ok {
				return
			}
			if err := ws.Store.DeleteLabel(ws.ctx, name, ""); err != nil {
				ws.showError(err)
				return
			}
			ws.labelsChanged()
			done()
		})
		return
	}
	var others []string
	for _, l := range ws.labels {
		if l.Name != name {
			others = append(others, l.Name)
		}
	}
	if len(others) == 0 {
		inform(ws.Window, lang.L("Label in use"), lang.N("{{.Count}} spans use {{.Label}}, and there is no other label to give them. Add one first.", n, M{"Count": n, "Label": quote(name)})).Show()
		return
	}
	to := widget.NewSelect(others, nil)
	to.Alignment = leading()
	to.SetSelectedIndex(0)
	msg := message(lang.N("{{.Count}} spans (in all layers) use {{.Label}}.\nTo delete it, give them another label:", n, M{"Count": n, "Label": quote(name)}))
	d, closed, _ := formDialog(ws.Window, lang.L("Label in use"), lang.L("Relabel and delete"), lang.L("Cancel"), msg, []field{{lang.L("New label"), to}}, func(ok bool) {
		if !ok {
			return
		}
		if err := ws.Store.DeleteLabel(ws.ctx, name, to.Selected); err != nil {
			if errors.Is(err, annotate.ErrLabelInUse) {
				ws.say(err.Error())
				return
			}
			ws.showError(err)
			return
		}
		ws.labelsChanged()
		ws.say(lang.N("{{.Label}} deleted; its {{.Count}} spans are {{.Other}} now", n, M{"Label": quote(name), "Count": n, "Other": quote(to.Selected)}))
		done()
	})
	d.SetOnClosed(closed)
	d.Resize(fyne.NewSize(480, 260))
	d.Show()
}

// labelsChanged reads the label set again and redraws what shows labels.
func (ws *Workspace) labelsChanged() {
	if err := ws.loadProjectSettings(); err != nil {
		ws.showError(err)
	}
	ws.reload()
}
