package app

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/internal/buildinfo"
	"github.com/qalam-annotate/qalam/project"
)

// qalamLicence is Qalam's own licence, as Help → About states it.
const qalamLicence = "Not chosen yet: the authors have not published Qalam under a licence."

// showAbout opens Help → About: the version, the licences of Qalam and of
// what it bundles (the Amiri fonts, the sample articles), and where the
// user's projects and preferences are kept.
func (ws *Workspace) showAbout() {
	in := buildinfo.Read()
	icon := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(72, 72))
	name := widget.NewLabelWithStyle("Qalam", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	version := fmt.Sprintf("Version %s  ·  Go %s  ·  Fyne %s  ·  %s", in.Version, in.Go, in.Fyne, in.Platform)
	if in.Fyne == "" {
		version = fmt.Sprintf("Version %s  ·  Go %s  ·  %s", in.Version, in.Go, in.Platform)
	}
	head := container.NewBorder(nil, nil, icon, nil, container.NewVBox(
		name,
		widget.NewLabel("Marks people, places and events in news articles, Arabic first."),
		selectable(version),
	))

	projects, err := project.DataDir()
	if err != nil {
		projects = "unknown: " + err.Error()
	}
	prefs := filepath.Join(ws.App.Storage().RootURI().Path(), "preferences.json")

	form := container.New(layout.NewFormLayout(),
		aboutKey("Licence"), wrapped(qalamLicence),
		aboutKey("Font"), container.NewVBox(
			wrapped("Amiri 0.113 by Khaled Hosny (amirifont.org), © 2010–2017, under the SIL Open Font License 1.1."),
			ws.licenceButton("Amiri font licence", assets.AmiriLicence)),
		aboutKey("Sample articles"), container.NewVBox(
			wrapped("Five articles of the ANT corpus v1.1 (antcorpus.github.io), from Jawhara FM, under the Apache License 2.0."),
			ws.licenceButton("ANT corpus licence", assets.ANTLicence),
			wrapped("An Arabic Reuters article of 5 December 2025 (© Reuters), kept as it was published: the first article to annotate.")),
		aboutKey("Your projects"), container.NewVBox(
			selectable(projects),
			wrapped("The sample project is sample.qalam there; other projects are where you saved them. Uninstalling Qalam leaves them all in place.")),
		aboutKey("Preferences"), selectable(prefs),
	)
	d := dialog.NewCustom("About Qalam", "Close", container.NewVScroll(container.NewVBox(head, widget.NewSeparator(), form)), ws.Window)
	d.Resize(fyne.NewSize(760, 560))
	ws.showDialog(d, nil)
}

func aboutKey(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
}

func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// selectable is a label whose text can be selected and copied (a path).
func selectable(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Selectable = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// licenceButton opens a licence's full text.
func (ws *Workspace) licenceButton(title, text string) fyne.CanvasObject {
	b := widget.NewButton(title+"…", func() {
		t := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		d := dialog.NewCustom(title, "Close", container.NewScroll(t), ws.Window)
		d.Resize(fyne.NewSize(720, 540))
		ws.showDialog(d, nil)
	})
	return container.NewHBox(b)
}
