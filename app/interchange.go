package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/export"
)

// File → Import annotations and File → Export: the export package's
// formats, in the background with a progress dialog that can cancel.

// pathPicker is an entry for a path with buttons that fill it from Fyne's
// file and folder dialogs.
func (ws *Workspace) pathPicker(save bool, exts []string) (*widget.Entry, fyne.CanvasObject) {
	entry := widget.NewEntry()
	entry.SetPlaceHolder("a file or a folder")
	file := widget.NewButton("File…", func() {
		if save {
			d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
				if err == nil && w != nil {
					w.Close()
					entry.SetText(w.URI().Path())
				}
			}, ws.Window)
			d.Resize(fyne.NewSize(900, 600))
			d.Show()
			return
		}
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				r.Close()
				entry.SetText(r.URI().Path())
			}
		}, ws.Window)
		if len(exts) > 0 {
			d.SetFilter(storage.NewExtensionFileFilter(exts))
		}
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	})
	folder := widget.NewButton("Folder…", func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				entry.SetText(u.Path())
			}
		}, ws.Window)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	})
	return entry, container.NewBorder(nil, nil, nil, container.NewHBox(file, folder), entry)
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
	path, picker := ws.pathPicker(false, nil)
	format := widget.NewSelect(formatChoices(true), nil)
	format.SetSelected(export.Auto)
	suggest := "suggestions to review (model output)"
	mine := "my layer, as finished work (" + ws.layer + ")"
	into := widget.NewSelect([]string{suggest, mine}, nil)
	into.SetSelected(suggest)
	newLabels := widget.NewCheck("Add the labels the project lacks", nil)
	items := []*widget.FormItem{
		widget.NewFormItem("Files", picker),
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Into", into),
		widget.NewFormItem("", newLabels),
	}
	d := dialog.NewForm("Import annotations", "Import", "Cancel", items, func(ok bool) {
		p := strings.TrimSpace(path.Text)
		if !ok || p == "" {
			return
		}
		opts := export.ImportOptions{Format: format.Selected, Layer: annotate.Suggestion, NewLabels: newLabels.Checked}
		if into.Selected == mine {
			opts.Layer = ws.layer
		}
		ws.runAnnotationImport([]string{p}, opts)
	}, ws.Window)
	d.Resize(fyne.NewSize(640, 300))
	d.Show()
}

func (ws *Workspace) runAnnotationImport(paths []string, opts export.ImportOptions) {
	ws.startJob("Importing annotations", func(ctx context.Context, store annotate.Store, p *progressDialog) {
		var probs problems
		update := throttle(func(d, t int64) {
			p.set(d, t, fmt.Sprintf("%.1f of %.1f MB read", float64(d)/1e6, float64(t)/1e6))
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
					ws.say("Import cancelled: nothing was stored")
					return
				}
				ws.showError(err)
				return
			}
			ws.afterProjectChange()
			ws.showReport("Import annotations", "Imported: "+sum.String()+".", "Refused:", probs)
		})
	})
}

// exportDialog asks for a format, the layers and a destination, then
// exports.
func (ws *Workspace) exportDialog() {
	layers, err := ws.Store.Layers(ws.ctx)
	if err != nil {
		ws.showError(err)
		return
	}
	// Where reviewers adjudicated, gold comes first: it is what the
	// project's training data is made of.
	var choices []string
	for _, l := range layers {
		if l.Kind == annotate.GoldLayer {
			choices = append(choices, l.Name)
		}
	}
	if ws.layer != "" {
		choices = append(choices, ws.layer)
	}
	for _, l := range layers {
		if l.Kind == annotate.AnnotatorLayer && l.Name != ws.layer {
			choices = append(choices, l.Name)
		}
	}
	choices = append(choices, export.AllLayers)
	layer := widget.NewSelect(choices, nil)
	layer.SetSelectedIndex(0)
	format := widget.NewSelect(formatChoices(false), nil)
	format.SetSelected(export.JSONL.Name)
	path, picker := ws.pathPicker(true, nil)
	format.OnChanged = func(name string) {
		f, err := export.Lookup(name)
		if err != nil || path.Text != "" {
			return
		}
		if f.Folder {
			path.SetPlaceHolder("a folder (created)")
		} else {
			path.SetPlaceHolder("a file ending " + f.Extensions[0])
		}
	}
	format.OnChanged(format.Selected)
	unfinished := widget.NewCheck("Include documents not marked done", nil)
	offsets := widget.NewSelect([]string{string(annotate.CodePoints), string(annotate.UTF16), string(annotate.Bytes)}, nil)
	offsets.SetSelectedIndex(0)
	items := []*widget.FormItem{
		widget.NewFormItem("Format", format),
		widget.NewFormItem("Layer", layer),
		widget.NewFormItem("Offsets", offsets),
		widget.NewFormItem("", unfinished),
		widget.NewFormItem("To", picker),
	}
	d := dialog.NewForm("Export", "Export", "Cancel", items, func(ok bool) {
		out := strings.TrimSpace(path.Text)
		if !ok {
			return
		}
		if out == "" {
			ws.say("Export: choose where to write")
			return
		}
		ws.runExport(export.Options{Format: format.Selected, Output: out, Layer: layer.Selected,
			IncludeUnfinished: unfinished.Checked, Offsets: annotate.OffsetUnit(offsets.Selected)})
	}, ws.Window)
	d.Resize(fyne.NewSize(640, 340))
	d.Show()
}

func (ws *Workspace) runExport(opts export.Options) {
	ws.startJob("Exporting", func(ctx context.Context, store annotate.Store, p *progressDialog) {
		var probs problems
		opts.Report = func(pr export.Problem) {
			probs.add(pr.Error())
		}
		update := throttle(func(d, t int64) { p.set(d, t, fmt.Sprintf("%d of %d documents", d, t)) })
		sum, err := export.Export(ctx, store, opts, func(d, t int) { update(int64(d), int64(t)) })
		fyne.Do(func() {
			p.d.Hide()
			if errors.Is(err, context.Canceled) {
				ws.say("Export cancelled: nothing was written")
				return
			}
			if err != nil {
				ws.showError(err)
				return
			}
			msg := fmt.Sprintf("Wrote %d documents (%d records, %d spans) to %s.", sum.Documents, sum.Records, sum.Spans, strings.Join(sum.Files, ", "))
			ws.showReport("Export", msg, fmt.Sprintf("%d spans could not be written exactly:", sum.Problems), probs)
		})
	})
}
