package app

import (
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// Who is working: an annotator edits their own layer, a reviewer edits
// gold. The name comes from --annotator, from the question asked at the
// first start, or is remembered; a project that holds several
// annotators' layers (a review project) asks again whenever it opens
// without --annotator, offering the names it holds and the reviewer, so
// that no one edits another's layer, which feeds the agreement figures,
// by accident. The window's title always says whose layer is edited.

// windowTitle is the window's title: the project, and whose layer the
// window edits.
func windowTitle(location, layer string, readOnly bool) string {
	name := project.Name(location)
	data := M{"Project": name, "Layer": layer}
	var t string
	switch {
	case layer == annotate.Gold:
		t = lang.L("{{.Project}} — Qalam (gold, reviewing)", data)
	case layer != "":
		t = lang.L("{{.Project}} — Qalam ({{.Layer}})", data)
	default:
		t = lang.L("{{.Project}} — Qalam (browsing, no layer edited)", data)
	}
	if readOnly {
		t += " " + lang.L("(read-only)")
	}
	return t
}

// annotatorLayers are the annotators' layers the project holds.
func (ws *Workspace) annotatorLayers() []string {
	layers, err := ws.Store.Layers(ws.ctx)
	if err != nil {
		fyne.LogError("layers", err)
		return nil
	}
	var names []string
	for _, l := range layers {
		if l.Kind == annotate.AnnotatorLayer {
			names = append(names, l.Name)
		}
	}
	return names
}

// shouldAsk reports whether opening the project asks who is working: a
// project of several annotators, opened without a name given for it.
func (ws *Workspace) shouldAsk() bool {
	return !ws.nameGiven && ws.member == nil && !ws.placeholder && len(ws.annotatorLayers()) >= 2
}

// askAnnotator asks who is working. first: at the first start, where
// the dialog says that marking needs a name and offers to browse
// without. A project with annotators' layers offers their names and the
// reviewer's gold.
func (ws *Workspace) askAnnotator(first bool) {
	if ws.askingName || ws.fixedAnnotator() {
		return
	}
	ws.askingName = true
	names := ws.annotatorLayers()
	reviewer := lang.L("Reviewer: edit gold, the adjudicated layer")
	var choice *widget.RadioGroup
	entry := widget.NewEntry()
	entry.SetPlaceHolder(lang.L("e.g. amira"))
	problem := problemLine()
	var d dialog.Dialog
	ok := widget.NewButtonWithIcon(lang.L("OK"), theme.ConfirmIcon(), nil)
	ok.Importance = widget.HighImportance
	msg := lang.L("Your name names your layer of annotations: you edit only your own.")
	if len(names) > 0 {
		msg = lang.L("Choose your layer, or type a new name: you edit only your own layer. A reviewer settles the layers' differences in gold.")
	}
	if first {
		// A name is needed to mark anything; reading needs none.
		msg += "\n" + lang.L("Marking needs a name; without one you can read the articles.")
	}
	content := container.NewVBox(message(msg))
	if len(names) > 0 {
		choice = widget.NewRadioGroup(append(slices.Clone(names), reviewer), func(s string) {
			if s != "" {
				entry.SetText("")
			}
		})
		switch {
		case ws.layer == annotate.Gold:
			choice.SetSelected(reviewer)
		case slices.Contains(names, ws.layer):
			choice.SetSelected(ws.layer)
		}
		content.Add(choice)
	}
	entry.OnChanged = func(s string) {
		if strings.TrimSpace(s) != "" && choice != nil {
			choice.SetSelected("")
		}
		problem.Hide()
	}
	if choice == nil {
		entry.SetText(ws.layer)
	}
	newName := lang.L("Name")
	if len(names) > 0 {
		newName = lang.L("A new name")
	}
	content.Add(formGrid(widget.NewLabel(newName), entry))
	content.Add(problem)
	submit := func() {
		name := strings.TrimSpace(entry.Text)
		if name == "" && choice != nil && choice.Selected != "" {
			name = choice.Selected
		}
		if name == reviewer {
			name = annotate.Gold
		} else if err := validAnnotator(name); err != nil {
			sayProblem(d, problem, err.Error())
			return
		}
		ws.askingName = false
		d.Hide()
		ws.setLayer(name)
		ws.focusView()
	}
	ok.OnTapped = submit
	entry.OnSubmitted = func(string) { submit() }
	dismissText := lang.L("Cancel")
	if first {
		dismissText = lang.L("Browse without editing")
	}
	dismiss := widget.NewButtonWithIcon(dismissText, theme.CancelIcon(), func() {
		ws.askingName = false
		d.Hide()
		if ws.layer == "" {
			ws.say(lang.L("Browsing without editing: File › Switch annotator… to mark names"))
		}
	})
	content.Add(row(layout.NewSpacer(), dismiss, ok))
	title := lang.L("Who is annotating?")
	if len(names) > 0 {
		title = lang.L("Who is working?")
	}
	d = dialog.NewCustomWithoutButtons(title, content, ws.Window)
	d.Resize(fyne.NewSize(520, content.MinSize().Height+60))
	ws.showDialog(d, func() { ws.askingName = false })
	ws.Window.Canvas().Focus(entry)
}

// validAnnotator refuses what cannot name an annotator's layer.
func validAnnotator(s string) error {
	s = strings.TrimSpace(s)
	if err := annotate.ValidateLayerName(s); err != nil {
		return errors.New(lang.L("A name has 1 to 64 characters, without commas or tabs"))
	}
	if annotate.KindOf(s) != annotate.AnnotatorLayer {
		return errors.New(lang.L("{{.Name}} is reserved: choose another name", M{"Name": quote(s)}))
	}
	return nil
}

// setLayer switches the layer edited: an annotator's (remembered), or
// gold for a reviewer.
func (ws *Workspace) setLayer(name string) {
	if name == ws.layer || ws.fixedAnnotator() {
		return
	}
	ws.layer = name
	if name != annotate.Gold {
		ws.App.Preferences().SetString(prefAnnotator, name)
	}
	ws.Window.SetTitle(windowTitle(ws.Store.Location(), ws.layer, ws.readOnly()))
	ws.docs.setLayer(name)
	ws.Window.SetMainMenu(ws.mainMenu())
	ws.startLearning()
	id := ws.doc.ID
	ws.doc = annotate.Document{}
	if id != 0 {
		ws.openDocument(id)
	} else {
		ws.refreshDocBar()
	}
	if name == annotate.Gold {
		ws.say(lang.L("Reviewing: your edits go to gold"))
		return
	}
	ws.say(lang.L("Annotating as {{.Name}}", M{"Name": quote(name)}))
}
