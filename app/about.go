package app

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/internal/buildinfo"
	"github.com/qalam-annotate/qalam/project"
)

// qalamLicence is Qalam's own licence, as Help › About states it.
func qalamLicence() string {
	return lang.L("Not chosen yet: the authors have not published Qalam under a licence.")
}

// showAbout opens Help › About: the version, the licences of Qalam and of
// what it bundles (the Amiri fonts, the sample articles), and where the
// user's projects and preferences are kept.
func (ws *Workspace) showAbout() {
	in := buildinfo.Read()
	icon := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(64, 64))
	name := message(lang.L("Qalam: marking people, places and events in news articles"))
	name.TextStyle.Bold = true
	name.SizeName = theme.SizeNameSubHeadingText
	version := lang.L("Version {{.Version}}  ·  Go {{.Go}}  ·  Fyne {{.Fyne}}  ·  {{.Platform}}", M{"Version": in.Version, "Go": in.Go, "Fyne": in.Fyne, "Platform": in.Platform})
	if in.Fyne == "" {
		version = lang.L("Version {{.Version}}  ·  Go {{.Go}}  ·  {{.Platform}}", M{"Version": in.Version, "Go": in.Go, "Platform": in.Platform})
	}
	head := edges(icon, nil, container.NewVBox(name, message(version)))

	projects, err := project.DataDir()
	if err != nil {
		projects = lang.L("unknown: {{.Reason}}", M{"Reason": err.Error()})
	}
	prefs := filepath.Join(ws.App.Storage().RootURI().Path(), "preferences.json")

	form := formGrid(
		aboutKey(lang.L("Licence")), message(qalamLicence()),
		aboutKey(lang.L("Font")), edges(nil, ws.licenceButton("Amiri", assets.AmiriLicence),
			message(lang.L("Amiri 0.113 by Khaled Hosny (amirifont.org), © 2010–2017, SIL Open Font License 1.1."))),
		aboutKey(lang.L("Sample articles")), container.NewVBox(
			edges(nil, ws.licenceButton(lang.L("ANT corpus"), assets.ANTLicence),
				message(lang.L("Five articles of the ANT corpus v1.1 (antcorpus.github.io), from Jawhara FM, Apache License 2.0."))),
			message(lang.L("An Arabic Reuters article of 5 December 2025, © Reuters, as it was scraped."))),
		aboutKey(lang.L("Your projects")), container.NewVBox(
			selectable(projects),
			message(lang.L("The sample project is sample.qalam there. Uninstalling Qalam leaves your projects in place."))),
		aboutKey(lang.L("Preferences")), selectable(prefs),
	)
	d := dialog.NewCustom(lang.L("About Qalam"), lang.L("Close"), container.NewVScroll(container.NewVBox(head, widget.NewSeparator(), form)), ws.Window)
	d.Resize(fyne.NewSize(780, 640))
	ws.showDialog(d, nil)
}

func aboutKey(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, trailing(), fyne.TextStyle{Bold: true})
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
	title := lang.L("{{.What}} licence", M{"What": what})
	b := widget.NewButton(lang.L("Licence…"), func() {
		t := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		d := dialog.NewCustom(title, lang.L("Close"), container.NewScroll(t), ws.Window)
		d.Resize(fyne.NewSize(720, 540))
		ws.showDialog(d, nil)
	})
	return container.NewVBox(b)
}
