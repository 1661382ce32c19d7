package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefGuideDismissed is set once the first-start guide is closed: it does
// not come back by itself, only from Help › Show the guide.
const prefGuideDismissed = "guideDismissed"

// guide is the first-start guide: three steps on a card over the bottom of
// the article. It is part of the window, not a dialog, so the keys it
// describes work while it is shown. It is made the first time it shows:
// hidden, it would still be laid out whenever the article's size changes
// (some milliseconds for its wrapped text, at every start).
type guide struct {
	stack *fyne.Container // over the article: noDocument, then layer
	layer *fyne.Container // the card and the spacers that place it; nil until shown
	steps *fyne.Container
	// noDocument says, over an empty article, how to bring articles in.
	noDocument *fyne.Container
}

// newGuide makes the place of the guide, to be stacked over the article
// view, with the hint for an empty project, hidden.
func (ws *Workspace) newGuide() fyne.CanvasObject {
	g := &guide{}
	ws.guide = g
	hint := message(lang.L("No document yet. File › Import articles from a file… (Ctrl+I) or from a folder… (Ctrl+Shift+I) brings articles in."))
	g.noDocument = container.NewVBox(layout.NewSpacer(), container.NewPadded(hint), layout.NewSpacer())
	g.noDocument.Hide()
	g.stack = container.NewStack(g.noDocument)
	return g.stack
}

// makeCard makes the guide's card, over the bottom of the article.
func (ws *Workspace) makeCard(g *guide) {
	g.steps = container.NewVBox()
	got := widget.NewButtonWithIcon(lang.L("Got it"), theme.ConfirmIcon(), ws.dismissGuide)
	got.Importance = widget.HighImportance
	foot := edges(nil, got, message(lang.L("F1 lists every shortcut; Help › Show the guide brings this back.")))
	card := newPanel(container.NewPadded(widget.NewCard(lang.L("Welcome to Qalam"), lang.L("Mark a name in three steps"), container.NewVBox(g.steps, foot))))
	g.layer = container.NewVBox(layout.NewSpacer(), newAtWidth(640, card))
	g.stack.Add(g.layer)
}

// firstStart runs when no annotator is known: the guide (unless it was
// dismissed before) and the question of who is annotating.
func (ws *Workspace) firstStart() {
	if !ws.App.Preferences().Bool(prefGuideDismissed) {
		ws.showGuide()
	}
	ws.askAnnotator(true)
}

// showGuide shows the guide, with the project's own labels and keys.
func (ws *Workspace) showGuide() {
	g := ws.guide
	if g.layer == nil {
		ws.makeCard(g)
	}
	keys := container.NewHBox()
	for _, l := range ws.labels {
		if l.Hotkey == "" {
			continue
		}
		k := widget.NewLabelWithStyle(l.Hotkey, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
		name := docLabel(l.Name)
		name.Truncation = fyne.TextTruncateOff
		keys.Add(row(keyCap(k), container.NewCenter(swatch(parseHex(l.Color))), name))
	}
	press := uiLabel(lang.L("Press its label's key:"))
	press.Truncation = fyne.TextTruncateOff
	g.steps.Objects = []fyne.CanvasObject{
		guideStep("1", message(lang.L("Select a name in the article: drag over it, double-click a word, or Shift+arrows."))),
		guideStep("2", row(press, row(reading(keys.Objects)...))),
		guideStep("3", message(lang.L("When the article is done, press Ctrl+Enter: the next one opens."))),
	}
	g.steps.Refresh()
	g.layer.Show()
	ws.focusView()
}

func guideStep(n string, what fyne.CanvasObject) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(n, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	return edges(container.NewVBox(keyCap(num)), nil, what)
}

// dismissGuide hides the guide for good.
func (ws *Workspace) dismissGuide() {
	ws.guide.layer.Hide()
	ws.App.Preferences().SetBool(prefGuideDismissed, true)
	ws.focusView()
}

// guideShown reports whether the guide is on screen.
func (ws *Workspace) guideShown() bool {
	return ws.guide != nil && ws.guide.layer != nil && ws.guide.layer.Visible()
}

// panel draws its content on an opaque, outlined background of the
// theme's overlay colour, so that it reads over the article.
type panel struct {
	widget.BaseWidget
	content fyne.CanvasObject
}

func newPanel(content fyne.CanvasObject) *panel {
	p := &panel{content: content}
	p.ExtendBaseWidget(p)
	return p
}

func (p *panel) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(nil)
	r := &panelRenderer{bg: bg, content: p.content}
	r.Refresh()
	return r
}

type panelRenderer struct {
	bg      *canvas.Rectangle
	content fyne.CanvasObject
}

func (r *panelRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.content.Resize(size)
}

func (r *panelRenderer) MinSize() fyne.Size { return r.content.MinSize() }

func (r *panelRenderer) Refresh() {
	r.bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	r.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	r.bg.StrokeWidth = 2
	r.bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	r.bg.Refresh()
	r.content.Refresh()
}

func (r *panelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.content} }
func (r *panelRenderer) Destroy()                     {}
