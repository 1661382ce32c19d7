package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
	"github.com/qalam-annotate/qalam/modelserver"
	"github.com/qalam-annotate/qalam/widgets"
)

// Suggestions → From a model server…: a Label Studio ML backend, or any
// REST model through a template, asked about the document shown or about
// the annotator's unfinished documents, in the background. Its answers
// become suggestions everyone sees.

// Preference keys of the model server dialog.
const (
	prefModel = "model." // + url, protocol, timeout, offsets, body, list, label, start, end
)

// modelCache keeps, while the window is open, the servers' answers (by
// document text and server) and what each server's labels became.
type modelCache struct {
	answers  *modelserver.Cache
	mappings map[string]modelserver.Mapping // by server address
}

func (ws *Workspace) modelCache() *modelCache {
	if ws.models == nil {
		ws.models = &modelCache{answers: modelserver.NewCache(2000), mappings: map[string]modelserver.Mapping{}}
	}
	return ws.models
}

// modelForm is the dialog's form.
type modelForm struct {
	url, timeout, body, list, label, start, end *widget.Entry
	protocol, offsets                           *widget.Select
	template                                    *fyne.Container
	problem                                     *widgets.BidiLabel
}

// protocols are the protocols offered, by their names.
func protocols() []struct {
	name string
	p    modelserver.Protocol
} {
	return []struct {
		name string
		p    modelserver.Protocol
	}{
		{lang.L("Label Studio ML backend"), modelserver.LabelStudio},
		{lang.L("Template (any REST model)"), modelserver.Template},
	}
}

// protocolNamed is the protocol offered as name.
func protocolNamed(name string) modelserver.Protocol {
	for _, p := range protocols() {
		if p.name == name {
			return p.p
		}
	}
	return ""
}

func (ws *Workspace) newModelForm() *modelForm {
	p := ws.App.Preferences()
	pref := func(k, def string) string { return p.StringWithFallback(prefModel+k, def) }
	entry := func(k, def, hint string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(pref(k, def))
		e.SetPlaceHolder(hint)
		return e
	}
	f := &modelForm{
		url:     entry("url", "http://localhost:9090", "http://host:port"),
		timeout: entry("timeout", "30", lang.L("seconds")),
		list:    entry("list", "", lang.L("empty: the answer is the list; entities; result.spans")),
		label:   entry("label", "label", "label"),
		start:   entry("start", "start_offset", "start_offset"),
		end:     entry("end", "end_offset", "end_offset"),
		problem: message(""),
	}
	f.body = widget.NewMultiLineEntry()
	f.body.SetText(pref("body", modelserver.DefaultBody))
	f.body.SetMinRowsVisible(2)
	f.offsets = widget.NewSelect([]string{string(annotate.CodePoints), string(annotate.UTF16), string(annotate.Bytes)}, nil)
	f.offsets.SetSelected(pref("offsets", string(annotate.CodePoints)))
	f.template = formItems([]field{
		{lang.L("Body (JSON)"), f.body},
		{lang.L("List of spans at"), f.list},
		{lang.L("Label field"), f.label},
		{lang.L("Start field"), f.start},
		{lang.L("End field"), f.end}})
	var names []string
	for _, p := range protocols() {
		names = append(names, p.name)
	}
	f.protocol = widget.NewSelect(names, func(s string) {
		if protocolNamed(s) == modelserver.Template {
			f.template.Show()
		} else {
			f.template.Hide()
		}
	})
	proto := modelserver.Protocol(pref("protocol", string(modelserver.LabelStudio)))
	for _, pr := range protocols() {
		if pr.p == proto {
			f.protocol.SetSelected(pr.name)
		}
	}
	f.protocol.Alignment = leading()
	f.problem.Importance = widget.DangerImportance
	return f
}

// config reads the form, remembering it for next time.
func (f *modelForm) config(p fyne.Preferences) (modelserver.Config, error) {
	secs, err := strconv.ParseFloat(strings.TrimSpace(f.timeout.Text), 64)
	if err != nil || secs <= 0 {
		return modelserver.Config{}, notice(lang.L("Timeout {{.Value}}: give seconds, more than 0", M{"Value": quote(f.timeout.Text)}))
	}
	cfg := modelserver.Config{
		URL:      strings.TrimSpace(f.url.Text),
		Protocol: protocolNamed(f.protocol.Selected),
		Timeout:  time.Duration(secs * float64(time.Second)),
		Offsets:  annotate.OffsetUnit(f.offsets.Selected),
	}
	if cfg.Protocol == modelserver.Template {
		cfg.Body, cfg.List = f.body.Text, strings.TrimSpace(f.list.Text)
		cfg.LabelField, cfg.StartField, cfg.EndField = strings.TrimSpace(f.label.Text), strings.TrimSpace(f.start.Text), strings.TrimSpace(f.end.Text)
	}
	for k, v := range map[string]string{"url": cfg.URL, "protocol": string(cfg.Protocol), "timeout": f.timeout.Text, "offsets": f.offsets.Selected,
		"body": f.body.Text, "list": f.list.Text, "label": f.label.Text, "start": f.start.Text, "end": f.end.Text} {
		p.SetString(prefModel+k, v)
	}
	return cfg, nil
}

// modelServerDialog opens Suggestions → From a model server….
func (ws *Workspace) modelServerDialog() {
	if !ws.canEdit() {
		return
	}
	f := ws.newModelForm()
	intro := message(lang.L("The text of each document goes to the server; its answers become suggestions everyone in this project sees. " +
		"Label Studio's ML backends answer POST /predict; any other REST model is called through a template, as doccano's auto-labelling does."))
	grid := formItems([]field{
		{lang.L("Server"), f.url},
		{lang.L("Protocol"), f.protocol},
		{lang.L("Offsets in"), f.offsets},
		{lang.L("Timeout (s)"), f.timeout}})
	var d dialog.Dialog
	run := func(queue bool) {
		cfg, err := f.config(ws.App.Preferences())
		var client *modelserver.Client
		if err == nil {
			client, err = modelserver.New(cfg, ws.modelCache().answers)
		}
		if err != nil {
			f.problem.SetText(err.Error())
			return
		}
		d.Hide()
		ws.askModelServer(client, queue)
	}
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	one := widget.NewButtonWithIcon(lang.L("This document"), theme.DocumentIcon(), func() { run(false) })
	all := widget.NewButtonWithIcon(lang.L("My unfinished documents"), theme.ListIcon(), func() { run(true) })
	all.Importance = widget.HighImportance
	content := container.NewBorder(intro, container.NewVBox(f.problem, buttons(cancel, one, all)), nil, nil,
		container.NewVScroll(container.NewVBox(grid, f.template)))
	d = dialog.NewCustomWithoutButtons(lang.L("Suggestions from a model server"), content, ws.Window)
	d.Resize(fyne.NewSize(640, 520))
	ws.showDialog(d, nil)
	ws.Window.Canvas().Focus(f.url)
}

// askModelServer asks the server about the document shown, or about the
// annotator's unfinished documents, in the background with a progress
// bar and Cancel.
func (ws *Workspace) askModelServer(client *modelserver.Client, queue bool) {
	layer, doc := ws.layer, ws.doc.ID
	mc := ws.modelCache()
	mapping := modelserver.Mapping{}
	for k, v := range mc.mappings[client.Source()] {
		mapping[k] = v
	}
	ws.startJob(lang.L("Asking the model server"), writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		fyne.Do(func() { p.set(0, 1, lang.L("Is the server up?")) })
		err := client.Check(ctx)
		ids := []int64{doc}
		if err == nil && queue {
			ids, err = recommend.Queue(ctx, store, layer)
		}
		sum := modelserver.Summary{}
		if err == nil {
			update := throttle(func(d, n int64) {
				p.set(d, n, lang.N("{{.Done}} of {{.Count}} documents", int(n), M{"Done": d, "Count": n}))
			})
			r := &modelserver.Runner{Client: client, Store: store, Mapping: mapping, Ask: ws.askMapping,
				Progress: func(d, n int) { update(int64(d), int64(n)) }}
			sum, err = r.Run(ctx, ids)
		}
		fyne.Do(func() {
			p.d.Hide()
			mc.mappings[client.Source()] = mapping
			ws.reload()
			msg := lang.N("{{.Server}}: {{.Suggestions}} new suggestions in {{.Done}} of {{.Count}} documents.", len(ids),
				M{"Server": quote(client.Source()), "Suggestions": sum.Suggestions, "Done": sum.Documents, "Count": len(ids)})
			if len(sum.Skipped) > 0 {
				var parts []string
				for l, n := range sum.Skipped {
					parts = append(parts, fmt.Sprintf("%s (%d)", quote(l), n))
				}
				msg += " " + lang.L("Left out, as labels this project lacks: {{.Labels}}.", M{"Labels": strings.Join(parts, lang.X("list.separator", ", "))})
			}
			switch {
			case errors.Is(err, context.Canceled):
				ws.say(lang.L("Stopped. {{.Message}} Those documents keep their suggestions.", M{"Message": msg}))
			case err != nil && sum.Documents == 0:
				ws.showReport(lang.L("Model server"), err.Error(), "", nil)
			case err != nil:
				ws.showReport(lang.L("Model server"), err.Error()+"\n\n"+lang.L("Before that, {{.Message}} Those documents keep their suggestions.", M{"Message": msg}), "", nil)
			default:
				ws.say(msg)
			}
		})
	})
}

// askMapping asks, from a job's goroutine, what becomes of labels the
// model has and the project lacks, and waits for the answer.
func (ws *Workspace) askMapping(ctx context.Context, unknown []string) (modelserver.Mapping, error) {
	answer := make(chan modelserver.Mapping, 1)
	fyne.Do(func() { ws.mappingDialog(unknown, func(m modelserver.Mapping) { answer <- m }) })
	select {
	case m := <-answer:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// mappingAsk is the dialog that asks what becomes of a model's labels.
type mappingAsk struct {
	selects map[string]*widget.Select
	answer  func(use bool) // closes it with the choices made, or skipping all
}

// mappingDialog lists the model's labels the project lacks, once, each
// with the project label it becomes (a guess) or "Leave them out"; done
// gets the answer, however the dialog closes.
func (ws *Workspace) mappingDialog(unknown []string, done func(modelserver.Mapping)) *mappingAsk {
	skipLabel := lang.L("Leave them out")
	options := []string{skipLabel}
	for _, l := range ws.labels {
		options = append(options, l.Name)
	}
	m := &mappingAsk{selects: map[string]*widget.Select{}}
	var fields []field
	for _, l := range unknown {
		sel := widget.NewSelect(options, nil)
		sel.Alignment = leading()
		sel.SetSelected(cmp.Or(guessLabel(l, ws.labels), skipLabel))
		m.selects[l] = sel
		fields = append(fields, field{l, sel})
	}
	note := message(lang.L("The model answers with labels this project lacks. Each becomes a project label, or its spans are left out."))
	d, closed, submit := formDialog(ws.Window, lang.L("Labels the model has"), lang.L("Use these"), lang.L("Leave them all out"), note, fields, func(use bool) {
		out := modelserver.Mapping{}
		for l, sel := range m.selects {
			out[l] = ""
			if use && sel.Selected != skipLabel {
				out[l] = sel.Selected
			}
		}
		done(out)
	})
	m.answer = func(use bool) {
		if use {
			submit()
		} else {
			closed()
		}
	}
	d.Resize(fyne.NewSize(480, 200+float32(40*len(unknown))))
	ws.showDialog(d, closed)
	return m
}

// guessLabel proposes the project label a model's label is likely to be:
// the same name, or one of the usual names of persons, places and events.
func guessLabel(model string, labels annotate.LabelSet) string {
	groups := [][]string{
		{"PERSON", "PER", "PERS", "B-PER", "PEOPLE"},
		{"PLACE", "LOC", "LOCATION", "GPE", "FAC"},
		{"EVENT", "EVT"},
		{"ORG", "ORGANIZATION", "ORGANISATION"},
	}
	for _, l := range labels {
		if strings.EqualFold(l.Name, model) {
			return l.Name
		}
	}
	for _, g := range groups {
		in := func(s string) bool {
			for _, x := range g {
				if strings.EqualFold(x, s) {
					return true
				}
			}
			return false
		}
		if !in(model) {
			continue
		}
		for _, l := range labels {
			if in(l.Name) {
				return l.Name
			}
		}
	}
	return ""
}
