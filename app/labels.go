package app

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
			info := widget.NewLabel(fmt.Sprintf("key %s · %d spans", key, usage))
			rows.Add(container.NewBorder(nil, nil, container.NewCenter(swatch(parseHex(l.Color))),
				container.NewHBox(info, edit, del), widget.NewLabel(l.Name)))
		}
		rows.Refresh()
	}
	fill()
	add := widget.NewButtonWithIcon("Add label", theme.ContentAddIcon(), func() {
		ws.editLabel(annotate.Label{}, func() { fill() })
	})
	overlap := widget.NewCheck("Spans may overlap (this project)", func(on bool) {
		if on != ws.allowOverlap {
			ws.setAllowOverlap(on)
		}
	})
	overlap.SetChecked(ws.allowOverlap)
	content := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), add, overlap), nil, nil, container.NewVScroll(rows))
	d = dialog.NewCustom("Labels", "Close", content, ws.Window)
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
	pick := widget.NewButton("Pick…", func() {
		p := dialog.NewColorPicker("Colour of "+name.Text, "", func(c color.Color) {
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
	items := []*widget.FormItem{
		widget.NewFormItem("Name", name),
		widget.NewFormItem("Colour", container.NewBorder(nil, nil, sw, pick, col)),
		widget.NewFormItem("Key", key),
	}
	title := "Edit label " + l.Name
	if isNew {
		title = "New label"
	}
	old := l.Name
	f := dialog.NewForm(title, "Save", "Cancel", items, func(ok bool) {
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
	}, ws.Window)
	f.Resize(fyne.NewSize(420, 260))
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
		dialog.ShowConfirm("Delete label", fmt.Sprintf("Delete the label %s? No span uses it.", name), func(ok bool) {
			if !ok {
				return
			}
			if err := ws.Store.DeleteLabel(ws.ctx, name, ""); err != nil {
				ws.showError(err)
				return
			}
			ws.labelsChanged()
			done()
		}, ws.Window)
		return
	}
	var others []string
	for _, l := range ws.labels {
		if l.Name != name {
			others = append(others, l.Name)
		}
	}
	if len(others) == 0 {
		dialog.ShowInformation("Label in use", fmt.Sprintf("%d spans use %s, and there is no other label to give them. Add one first.", n, name), ws.Window)
		return
	}
	to := widget.NewSelect(others, nil)
	to.SetSelectedIndex(0)
	msg := widget.NewLabel(fmt.Sprintf("%d spans (in all layers) use %s.\nTo delete it, give them another label:", n, name))
	msg.Wrapping = fyne.TextWrapWord
	dialog.ShowCustomConfirm("Label in use", "Relabel and delete", "Cancel", container.NewVBox(msg, to), func(ok bool) {
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
		ws.say(fmt.Sprintf("%s deleted; its %d spans are %s now", name, n, to.Selected))
		done()
	}, ws.Window)
}

// labelsChanged reads the label set again and redraws what shows labels.
func (ws *Workspace) labelsChanged() {
	if err := ws.loadProjectSettings(); err != nil {
		ws.showError(err)
	}
	ws.reload()
}
