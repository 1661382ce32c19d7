package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// FigureBar is a bar whose length is a figure between 0 and 1, on a
// track, coloured as HeatColor; an undefined figure leaves the track
// empty.
type FigureBar struct {
	widget.BaseWidget
	Value   float64
	Defined bool
}

// NewFigureBar returns a bar for v (when defined).
func NewFigureBar(v float64, defined bool) *FigureBar {
	b := &FigureBar{Value: v, Defined: defined}
	b.ExtendBaseWidget(b)
	return b
}

// Fraction is the share of the track the bar fills.
func (b *FigureBar) Fraction() float32 {
	if !b.Defined {
		return 0
	}
	return float32(min(max(b.Value, 0), 1))
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (b *FigureBar) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	track.CornerRadius = 3
	fill := canvas.NewRectangle(UndefinedColor)
	fill.CornerRadius = 3
	r := &figureBarRenderer{b: b, track: track, fill: fill}
	r.Refresh()
	return r
}

type figureBarRenderer struct {
	b           *FigureBar
	track, fill *canvas.Rectangle
	size        fyne.Size
}

func (r *figureBarRenderer) Layout(size fyne.Size) {
	r.size = size
	h := min(size.Height, 18)
	y := (size.Height - h) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.fill.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(size.Width*r.b.Fraction(), h))
}

func (r *figureBarRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 18) }

func (r *figureBarRenderer) Refresh() {
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	if r.b.Defined {
		r.fill.FillColor = HeatColor(r.b.Value)
	}
	r.Layout(r.size)
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *figureBarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill}
}

func (r *figureBarRenderer) Destroy() {}
