package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// File › Merge projects…: what `qalam merge --db THIS A.qalam B.qalam`
// does. Each project's layers, statuses and comments come in, matched by
// document text; a layer held here already with the same content is left
// as it is, so merging twice changes nothing; a layer held here with
// different content is refused (the store writes nothing from that
// project) and the reviewer may bring it in under another name.

// mergeDialog asks for the projects to merge into this one.
func (ws *Workspace) mergeDialog() {
	var paths []string
	list := container.NewVBox()
	var refresh func()
	refresh = func() {
		list.RemoveAll()
		if len(paths) == 0 {
			l := widget.NewLabel(lang.L("No project chosen yet."))
			l.Importance = widget.LowImportance
			list.Add(l)
		}
		for i, p := range paths {
			i := i
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				paths = slices.Delete(paths, i, i+1)
				refresh()
			})
			del.Importance = widget.LowImportance
			list.Add(edges(nil, del, docLabel(p)))
		}
		list.Refresh()
	}
	refresh()
	add := widget.NewButtonWithIcon(lang.L("Add a project…"), theme.ContentAddIcon(), func() {
		ws.chooseFile([]string{project.Ext}, func(p string) {
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
			refresh()
		})
	})
	explain := message(lang.L("Each project's layers, statuses and comments come into {{.Project}}, matched by document text "+
		"(documents this project lacks are added). A layer held here already with the same content is left as it is; "+
		"one with different content is never overwritten: you may bring it in under another name.", M{"Project": quote(project.Name(ws.Store.Location()))}))
	content := container.NewBorder(explain, row(add), nil, nil, container.NewVScroll(list))
	var d dialog.Dialog
	merge := widget.NewButtonWithIcon(lang.L("Merge"), theme.ConfirmIcon(), func() {
		d.Hide()
		if len(paths) > 0 {
			ws.runMerge(paths, nil)
		}
	})
	merge.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(lang.L("Merge projects"), container.NewBorder(nil, buttons(cancel, merge), nil, nil, content), ws.Window)
	d.SetOnClosed(func() { ws.dialogDone(d) })
	d.Resize(fyne.NewSize(720, 420))
	ws.trackDialog(d)
}

// trackDialog shows d and lets Escape close it, like showDialog, for a
// dialog whose callback goes on with background work: the callback calls
// dialogDone first, so that the work it starts is the last thing the
// dialog does (with showDialog, its own closing steps would run after).
func (ws *Workspace) trackDialog(d dialog.Dialog) {
	ws.dialogs = append(ws.dialogs, d)
	d.Show()
}

// dialogDone forgets a dialog trackDialog showed and gives the keyboard
// back to the article.
func (ws *Workspace) dialogDone(d dialog.Dialog) {
	ws.dialogs = slices.DeleteFunc(ws.dialogs, func(x dialog.Dialog) bool { return x == d })
	ws.focusView()
}

// runMerge merges the projects at paths into this one, in the background;
// renames maps a project's path to the new names of its layers.
func (ws *Workspace) runMerge(paths []string, renames map[string]map[string]string) {
	ws.mergeFrom(paths, renames, nil)
}

// mergeFrom merges paths in turn after those reported in lines; a
// conflict stops it there and asks what to do.
func (ws *Workspace) mergeFrom(paths []string, renames map[string]map[string]string, lines []string) {
	if renames == nil {
		renames = map[string]map[string]string{}
	}
	ws.startJob(lang.L("Merging projects"), writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		var conflict *annotate.MergeConflictError
		at := -1
		for i, path := range paths {
			name := filepath.Base(path)
			fyne.Do(func() { p.set(int64(i), int64(len(paths)), lang.L("Merging {{.Name}}", M{"Name": quote(name)})) })
			sum, err := project.MergeFile(ctx, ws.open, store, store.Location(), path, renames[path])
			line := sum.Line(name)
			if errors.As(err, &conflict) {
				at = i
				break
			}
			if errors.Is(err, context.Canceled) {
				lines = append(lines, lang.L("{{.Name}}: cancelled, nothing merged from it", M{"Name": quote(name)}))
				break
			}
			if err != nil {
				line = lang.L("{{.Name}}: not merged: {{.Reason}}", M{"Name": quote(name), "Reason": err.Error()})
			}
			lines = append(lines, line)
		}
		fyne.Do(func() {
			p.d.Hide()
			ws.afterProjectChange()
			if at >= 0 {
				ws.askMergeRename(paths[at:], renames, lines, conflict)
				return
			}
			ws.showMergeSummary(lines)
		})
	})
}

// afterProjectChange shows what an import or a merge brought: labels, the
// document list, the document open and the review windows.
func (ws *Workspace) afterProjectChange() {
	if err := ws.loadProjectSettings(); err != nil {
		ws.showError(err)
	}
	ws.docs.reset()
	if ws.doc.ID == 0 {
		ws.openFirstDocument()
	} else {
		ws.reload()
	}
	if rv := ws.review; rv != nil && rv.dash != nil {
		rv.dash.refreshLayers()
	}
}

// askMergeRename explains a refused layer and offers to bring it in under
// another name, or to skip that project. paths[0] is the refused project.
func (ws *Workspace) askMergeRename(paths []string, renames map[string]map[string]string, lines []string, conflict *annotate.MergeConflictError) {
	path := paths[0]
	name := filepath.Base(path)
	layers, err := ws.Store.Layers(ws.ctx)
	if err != nil {
		ws.showError(err)
		return
	}
	taken := map[string]bool{}
	for _, l := range layers {
		taken[l.Name] = true
	}
	var msg string
	if len(conflict.Layers) == 1 {
		msg = lang.L("Layer {{.Layer}} of {{.Name}} already exists in this project with different content. Nothing from {{.Name}} was merged, and this project's {{.Layer}} is left as it is.",
			M{"Layer": quote(conflict.Layers[0]), "Name": quote(name)})
	} else {
		msg = lang.L("Layers {{.Layers}} of {{.Name}} already exist in this project with different content. Nothing from {{.Name}} was merged, and this project's layers are left as they are.",
			M{"Layers": names(conflict.Layers), "Name": quote(name)})
	}
	text := message(msg)
	skip := func() {
		lines = append(lines, lang.L("{{.Name}}: skipped ({{.Layers}} here with different content)", M{"Name": quote(name), "Layers": names(conflict.Layers)}))
		if len(paths) > 1 {
			ws.mergeFrom(paths[1:], renames, lines)
			return
		}
		ws.showMergeSummary(lines)
	}
	var fixed []string
	for _, l := range conflict.Layers {
		if annotate.KindOf(l) != annotate.AnnotatorLayer {
			fixed = append(fixed, l)
		}
	}
	if len(fixed) > 0 {
		text.SetText(msg + "\n\n" + lang.L("{{.Layers}} cannot take another name (only annotators' layers can), so {{.Name}} can only be skipped.", M{"Layers": names(fixed), "Name": quote(name)}))
		d := dialog.NewCustom(lang.L("Layer refused"), lang.L("Skip this project"), text, ws.Window)
		d.SetOnClosed(func() {
			ws.dialogDone(d)
			skip()
		})
		d.Resize(fyne.NewSize(620, 260))
		ws.trackDialog(d)
		return
	}
	entries := map[string]*widget.Entry{}
	var fields []field
	for _, l := range conflict.Layers {
		e := widget.NewEntry()
		e.SetText(freeName(l, taken))
		taken[e.Text] = true
		e.Validator = func(s string) error {
			s = strings.TrimSpace(s)
			if err := validAnnotator(s); err != nil {
				return err
			}
			if exists := slices.ContainsFunc(layers, func(x annotate.Layer) bool { return x.Name == s }); exists {
				return errors.New(lang.L("this project has a layer {{.Layer}}", M{"Layer": quote(s)}))
			}
			for other, oe := range entries {
				if other != l && strings.TrimSpace(oe.Text) == s {
					return errors.New(lang.L("two layers cannot take one name"))
				}
			}
			return nil
		}
		entries[l] = e
		fields = append(fields, field{lang.L("Bring {{.Layer}} in as", M{"Layer": quote(l)}), e})
	}
	// Escape, like the Skip button, answers false.
	var d dialog.Dialog
	var closed func()
	d, closed, _ = formDialog(ws.Window, lang.L("Layer refused"), lang.L("Bring in under these names"), lang.L("Skip this project"), text, fields, func(ok bool) {
		ws.dialogDone(d)
		if !ok {
			skip()
			return
		}
		r := map[string]string{}
		for k, v := range renames[path] {
			r[k] = v
		}
		for l, e := range entries {
			r[l] = strings.TrimSpace(e.Text)
		}
		renames[path] = r
		ws.mergeFrom(paths, renames, lines)
	})
	d.SetOnClosed(closed)
	d.Resize(fyne.NewSize(640, 320))
	ws.trackDialog(d)
}

// freeName is name-2, name-3 ..., the first not taken.
func freeName(name string, taken map[string]bool) string {
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s-%d", name, i)
		if !taken[n] {
			return n
		}
	}
}

func (ws *Workspace) showMergeSummary(lines []string) {
	if len(lines) == 0 {
		return
	}
	ws.showReport(lang.L("Merge"), lang.L("Merged: {{.Lines}}", M{"Lines": strings.Join(lines, "\n")}), "", nil)
}
