package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
	"github.com/qalam-annotate/qalam/project"
)

// File › Import annotations and File › Export: the export package's
// formats, in the background with a progress dialog that can cancel.

// pathPicker is an entry for a path with buttons that fill it from Fyne's
// dialogs. For a path to write (save), Fyne's save dialog is never used:
// it creates (and so empties) the chosen file at once, before anything is
// confirmed. A destination is a folder chosen with Folder… and a name typed
// in the entry, or a file chosen with Replace a file…, which only reads;
// whether to replace an existing file is asked when the work starts.
func (ws *Workspace) pathPicker(save bool) (*widget.Entry, fyne.CanvasObject) {
	entry := widget.NewEntry()
	entry.SetPlaceHolder(lang.L("a file or a folder"))
	fileLabel := lang.L("File…")
	if save {
		fileLabel = lang.L("Replace a file…")
	}
	file := widget.NewButton(fileLabel, func() { ws.chooseFile(nil, entry.SetText) })
	folder := widget.NewButton(lang.L("Folder…"), func() {
		ws.chooseFolder(func(p string) {
			if save {
				// Keep the name typed, in the folder chosen.
				if name := filepath.Base(strings.TrimSpace(entry.Text)); name != "" && name != "." && !isDir(entry.Text) {
					p = filepath.Join(p, name)
				}
			}
			entry.SetText(p)
		})
	})
	return entry, edges(nil, row(file, folder), entry)
}

func isDir(path string) bool {
	fi, err := os.Stat(strings.TrimSpace(path))
	return err == nil && fi.IsDir()
}

func formatChoices(withAuto bool) []string {
	var out []string
	if withAuto {
		out = append(out, export.Auto)
	}
	return append(out, export.Names()...)
}

// importAnnotations asks for annotation files, their format and the layer
// that receives them, then imports them.
func (ws *Workspace) importAnnotations() {
	if !ws.canEdit() && ws.layer == "" {
		return
	}
	path, picker := ws.pathPicker(false)
	format := widget.NewSelect(formatChoices(true), nil)
	format.SetSelected(export.Auto)
	suggest := lang.L("suggestions to review (model output)")
	mine := lang.L("my layer, as finished work")
	into := widget.NewSelect([]string{suggest, mine}, nil)
	into.Alignment = leading()
	into.SetSelected(suggest)
	newLabels := widget.NewCheck(lang.L("Add the labels the project lacks"), nil)
	fields := []field{
		{lang.L("Files"), picker},
		{lang.L("Format"), format},
		{lang.L("Into"), into},
		{"", newLabels},
	}
	d, closed, _ := formDialog(ws.Window, lang.L("Import annotations"), lang.L("Import"), lang.L("Cancel"), nil, fields, func(ok bool) {
		p := strings.TrimSpace(path.Text)
		if !ok || p == "" {
			return
		}
		opts := export.ImportOptions{Format: format.Selected, Layer: annotate.Suggestion, NewLabels: newLabels.Checked}
		if into.Selected == mine {
			opts.Layer = ws.layer
		}
		ws.runAnnotationImport([]string{p}, opts)
	})
	d.Resize(fyne.NewSize(640, 320))
	ws.showDialog(d, closed)
}

func (ws *Workspace) runAnnotationImport(paths []string, opts export.ImportOptions) {
	ws.startJob(lang.L("Importing annotations"), writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		var probs problems
		update := throttle(func(d, t int64) {
			p.set(d, t, lang.L("{{.Read}} of {{.Size}} MB read", M{"Read": fmt.Sprintf("%.1f", float64(d)/1e6), "Size": fmt.Sprintf("%.1f", float64(t)/1e6)}))
		})
		var sum export.ImportSummary
		ai, err := store.NewAnnotationImporter(ctx)
		if err == nil {
			sum, err = export.Import(ctx, ai, opts, paths, func(pr export.Problem) {
				probs.add(pr.Error())
			}, update)
			if err != nil {
				ai.Abort()
			} else {
				err = ai.Close()
			}
		}
		fyne.Do(func() {
			p.d.Hide()
			if err != nil {
				if errors.Is(err, context.Canceled) {
					ws.say(lang.L("Import cancelled: nothing was stored"))
					return
				}
				ws.showError(err)
				return
			}
			ws.afterProjectChange()
			ws.showReport(lang.L("Import annotations"), lang.L("Imported: {{.Summary}}.", M{"Summary": sum.String()}), lang.L("Refused:"), probs)
		})
	})
}

// exportChoices are the layers the export dialog offers: those that
// exist, gold first (once reviewers adjudicated, it is what training
// data is made of), then the annotator's own, the others, and all.
func exportChoices(layers []annotate.Layer, me string) []string {
	var gold, mine, others []string
	for _, l := range layers {
		switch {
		case l.Kind == annotate.GoldLayer:
			gold = append(gold, l.Name)
		case l.Kind != annotate.AnnotatorLayer:
		case l.Name == me:
			mine = append(mine, l.Name)
		default:
			others = append(others, l.Name)
		}
	}
	out := append(append(gold, mine...), others...)
	if len(out) > 1 {
		out = append(out, export.AllLayers)
	}
	return out
}

// exportDialog asks for a format, the layers and a destination, then
// exports. It stays open, with the reason inside it, when the choices
// cannot be exported.
func (ws *Workspace) exportDialog() {
	layers, err := ws.Store.Layers(ws.ctx)
	if err != nil {
		ws.showError(err)
		return
	}
	choices := exportChoices(layers, ws.layer)
	if len(choices) == 0 {
		ws.showReport(lang.L("Export"), lang.L("Nothing to export yet: no one has annotated a document of this project."), "", nil)
		return
	}
	layer := widget.NewSelect(choices, nil)
	layer.Alignment = leading()
	layer.SetSelectedIndex(0)
	format := widget.NewSelect(formatChoices(false), nil)
	path, picker := ws.pathPicker(true)
	format.OnChanged = func(name string) {
		f, err := export.Lookup(name)
		if err != nil {
			return
		}
		if f.Folder {
			path.SetPlaceHolder(lang.L("a folder (created)"))
		} else {
			path.SetPlaceHolder(fyneLine(lang.L("a file ending in"), f.Extensions[0]))
		}
	}
	format.SetSelected(export.JSONL.Name)
	unfinished := widget.NewCheck(lang.L("Include documents not marked done"), nil)
	offsets := widget.NewSelect([]string{string(annotate.CodePoints), string(annotate.UTF16), string(annotate.Bytes)}, nil)
	offsets.SetSelectedIndex(0)
	problem := problemLine()
	form := formItems([]field{
		{lang.L("Format"), format},
		{lang.L("Layer"), layer},
		{lang.L("Offsets"), offsets},
		{"", unfinished},
		{lang.L("To"), picker},
	})
	var d dialog.Dialog
	start := widget.NewButton(lang.L("Export"), func() {
		opts := export.Options{Format: format.Selected, Output: strings.TrimSpace(path.Text), Layer: layer.Selected,
			IncludeUnfinished: unfinished.Checked, Offsets: annotate.OffsetUnit(offsets.Selected)}
		ws.confirmOutput(opts.Output, func(err error) {
			if err != nil {
				sayProblem(d, problem, err.Error())
				return
			}
			d.Hide()
			ws.runExport(opts)
		})
	})
	start.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	content := container.NewBorder(nil, container.NewVBox(problem, buttons(cancel, start)), nil, nil, form)
	d = dialog.NewCustomWithoutButtons(lang.L("Export"), content, ws.Window)
	d.Resize(fyne.NewSize(680, 380))
	ws.showDialog(d, nil)
}

// confirmOutput checks where an export is to be written before anything
// is: never over a project (the one open or any other), and over an
// existing file only once the user said to replace it. done gets nil to
// go on, or the reason not to; it is not called when the user declines.
func (ws *Workspace) confirmOutput(out string, done func(error)) {
	if out == "" {
		done(notice(lang.L("Choose where to write: a folder with Folder…, and a file name")))
		return
	}
	if project.SameFile(out, ws.Store.Location()) {
		done(notice(lang.L("{{.Path}} is the project open in this window: choose another file", M{"Path": quote(out)})))
		return
	}
	fi, err := os.Stat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if dir := filepath.Dir(out); !isDir(dir) {
			done(notice(lang.L("There is no folder {{.Folder}} to write {{.Name}} in", M{"Folder": quote(dir), "Name": quote(filepath.Base(out))})))
			return
		}
		done(nil)
		return
	case err != nil:
		done(err)
		return
	case fi.IsDir():
		done(nil) // a folder format writes into it
		return
	case project.IsProjectFile(out):
		done(notice(lang.L("{{.Path}} is a project (an SQLite file): an export never replaces one; choose another file", M{"Path": quote(out)})))
		return
	}
	msg := lang.L("{{.Name}} exists ({{.Size}}, changed {{.Time}}). Replace it with the export?", M{"Name": quote(filepath.Base(out)),
		"Size": humanSize(fi.Size()), "Time": fi.ModTime().Format("2006-01-02 15:04")})
	confirm(ws.Window, lang.L("Replace the file?"), msg, func(ok bool) {
		if ok {
			done(nil)
		}
	})
}

// humanSize writes a file size for people.
func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return lang.L("{{.Size}} GB", M{"Size": fmt.Sprintf("%.1f", float64(n)/(1<<30))})
	case n >= 1<<20:
		return lang.L("{{.Size}} MB", M{"Size": fmt.Sprintf("%.1f", float64(n)/(1<<20))})
	case n >= 1<<10:
		return lang.L("{{.Size}} kB", M{"Size": fmt.Sprintf("%.0f", float64(n)/(1<<10))})
	}
	return lang.N("{{.Count}} bytes", int(min(n, 1<<30)), M{"Count": n})
}

func (ws *Workspace) runExport(opts export.Options) {
	ws.startJob(lang.L("Exporting"), readsProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		var probs problems
		opts.Report = func(pr export.Problem) {
			probs.add(pr.Error())
		}
		update := throttle(func(d, t int64) {
			p.set(d, t, lang.N("{{.Done}} of {{.Count}} documents", int(t), M{"Done": d, "Count": t}))
		})
		sum, err := export.Export(ctx, store, opts, func(d, t int) { update(int64(d), int64(t)) })
		fyne.Do(func() {
			p.d.Hide()
			if errors.Is(err, context.Canceled) {
				ws.say(lang.L("Export cancelled: nothing was written"))
				return
			}
			if errors.Is(err, export.ErrNothingToExport) {
				ws.showReport(lang.L("Export"), lang.L(`{{.Reason}}. Check "Include documents not marked done" to export work in progress.`, M{"Reason": err.Error()}), "", nil)
				return
			}
			if err != nil {
				ws.showError(err)
				return
			}
			msg := lang.N("Wrote {{.Count}} documents ({{.Records}} records, {{.Spans}} spans) to {{.Files}}.", sum.Documents,
				M{"Count": sum.Documents, "Records": sum.Records, "Spans": sum.Spans, "Files": names(sum.Files)})
			for _, k := range slices.Sorted(maps.Keys(sum.Notes)) {
				msg += fmt.Sprintf("\n%d %s.", sum.Notes[k], k)
			}
			ws.showReport(lang.L("Export"), msg, lang.N("{{.Count}} left out:", sum.Problems, M{"Count": sum.Problems}), probs)
		})
	})
}
