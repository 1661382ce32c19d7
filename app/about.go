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
	icon.SetMinSize(fyne.NewSize(64, 64))
	name := widget.NewLabelWithStyle("Qalam: marking people, places and events in news articles", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameSubHeadingText
	version := fmt.Sprintf("Version %s  ·  Go %s  ·  Fyne %s  ·  %s", in.Version, in.Go, in.Fyne, in.Platform)
	if in.Fyne == "" {
		version = fmt.Sprintf("Version %s  ·  Go %s  ·  %s", in.Version, in.Go, in.Platform)
	}
	head := container.NewBorder(nil, nil, icon, nil, container.NewVBox(name, selectable(version)))

	projects, err := project.DataDir()
	if err != nil {
		projects = "unknown: " + err.Error()
	}
	prefs := filepath.Join(ws.App.Storage().RootURI().Path(), "preferences.json")

	form := container.New(layout.NewFormLayout(),
		aboutKey("Licence"), wrapped(qalamLicence),
		aboutKey("Font"), container.NewBorder(nil, nil, nil, ws.licenceButton("Amiri", assets.AmiriLicence),
			wrapped("Amiri 0.113 by Khaled Hosny (amirifont.org), © 2010–2017, SIL Open Font License 1.1.")),
		aboutKey("Sample articles"), container.NewVBox(
			container.NewBorder(nil, nil, nil, ws.licenceButton("ANT corpus", assets.ANTLicence),
				wrapped("Five articles of the ANT corpus v1.1 (antcorpus.github.io), from Jawhara FM, Apache License 2.0.")),
			wrapped("An Arabic Reuters article of 5 December 2025, © Reuters, as it was scraped.")),
		aboutKey("Your projects"), container.NewVBox(
			selectable(projects),
			wrapped("The sample project is sample.qalam there. Uninstalling Qalam leaves your projects in place.")),
		aboutKey("Preferences"), selectable(prefs),
	)
	d := dialog.NewCustom("About Qalam", "Close", container.NewVScroll(container.NewVBox(head, widget.NewSeparator(), form)), ws.Window)
	d.Resize(fyne.NewSize(780, 640))
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

// licenceButton opens the full text of what's licence.
func (ws *Workspace) licenceButton(what, text string) fyne.CanvasObject {
	title := what + " licence"
	b := widget.NewButton("Licence…", func() {
		t := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		d := dialog.NewCustom(title, "Close", container.NewScroll(t), ws.Window)
		d.Resize(fyne.NewSize(720, 540))
		ws.showDialog(d, nil)
	})
	return container.NewVBox(b)
}
