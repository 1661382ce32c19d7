package widgets

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// HeatColor maps a figure to red (0 or below) through yellow (0.5) to
// green (1). Cells keep these colours and dark text in both themes.
func HeatColor(v float64) color.NRGBA {
	red := color.NRGBA{0xd7, 0x30, 0x27, 0xff}
	yellow := color.NRGBA{0xfe, 0xe0, 0x8b, 0xff}
	green := color.NRGBA{0x1a, 0x98, 0x50, 0xff}
	t := min(max(v, 0), 1)
	mix := func(a, b color.NRGBA, f float64) color.NRGBA {
		l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
		return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
	}
	if t < 0.5 {
		return mix(red, yellow, t*2)
	}
	return mix(yellow, green, (t-0.5)*2)
}

// UndefinedColor is the grey of a figure that is not defined.
var UndefinedColor = color.NRGBA{0x9e, 0x9e, 0x9e, 0xff}

var cellText = color.NRGBA{0x11, 0x11, 0x11, 0xff}

// HeatCell is one cell of a matrix of figures: the figure on its colour
// (HeatColor), "n/a" on grey when undefined, a dash on the diagonal.
type HeatCell struct {
	widget.BaseWidget
	Value    float64
	Defined  bool
	Diagonal bool
	Selected bool // outlined
	OnTapped func()
	// NotAvailable is what an undefined cell shows: "n/a" when empty.
	NotAvailable string
}

// NewHeatCell returns a cell showing v (when defined).
func NewHeatCell(v float64, defined, diagonal, selected bool, onTapped func()) *HeatCell {
	c := &HeatCell{Value: v, Defined: defined, Diagonal: diagonal, Selected: selected, OnTapped: onTapped}
	c.ExtendBaseWidget(c)
	return c
}

// Tapped calls OnTapped.
func (c *HeatCell) Tapped(*fyne.PointEvent) {
	if c.OnTapped != nil {
		c.OnTapped()
	}
}

// Text is what the cell shows.
func (c *HeatCell) Text() string {
	switch {
	case c.Diagonal:
		return "—"
	case !c.Defined && c.NotAvailable != "":
		return c.NotAvailable
	case !c.Defined:
		return "n/a"
	}
	return fmt.Sprintf("%.3f", c.Value)
}

// Fill is the cell's colour.
func (c *HeatCell) Fill() color.Color {
	switch {
	case c.Diagonal:
		return theme.Color(theme.ColorNameInputBackground)
	case !c.Defined:
		return UndefinedColor
	}
	return HeatColor(c.Value)
}

// CreateRenderer is a private method to Fyne which links this widget to
// its renderer.
func (c *HeatCell) CreateRenderer() fyne.WidgetRenderer {
	c.ExtendBaseWidget(c)
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = 4
	txt := canvas.NewText("", cellText)
	txt.Alignment = fyne.TextAlignCenter
	txt.TextStyle.Monospace = true
	r := &heatCellRenderer{c: c, bg: bg, text: txt}
	r.Refresh()
	return r
}

type heatCellRenderer struct {
	c    *HeatCell
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *heatCellRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(0, (size.Height-ts.Height)/2))
	r.text.Resize(fyne.NewSize(size.Width, ts.Height))
}

func (r *heatCellRenderer) MinSize() fyne.Size { return fyne.NewSize(92, 40) }

func (r *heatCellRenderer) Refresh() {
	r.bg.FillColor = r.c.Fill()
	r.bg.StrokeWidth = 0
	if r.c.Selected {
		r.bg.StrokeColor = theme.Color(theme.ColorNameForeground)
		r.bg.StrokeWidth = 3
	}
	r.text.Text = r.c.Text()
	r.text.Color = cellText
	if r.c.Diagonal {
		r.text.Color = theme.Color(theme.ColorNameDisabled)
	}
	r.bg.Refresh()
	r.text.Refresh()
}

func (r *heatCellRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.text}
}

func (r *heatCellRenderer) Destroy() {}

// HeatLegend shows the colour scale of HeatColor, from 0 (and below) to
// 1, and the grey of an undefined figure, which note explains. In a
// right-to-left interface (rtl) the scale runs from the right.
func HeatLegend(note string, rtl bool) fyne.CanvasObject {
	objs := []fyne.CanvasObject{widget.NewLabel("≤ 0")}
	for i := 0; i <= 10; i++ {
		r := canvas.NewRectangle(HeatColor(float64(i) / 10))
		r.SetMinSize(fyne.NewSize(16, 14))
		objs = append(objs, container.NewCenter(r))
	}
	na := canvas.NewRectangle(UndefinedColor)
	na.SetMinSize(fyne.NewSize(16, 14))
	objs = append(objs, widget.NewLabel("1"), layout.NewSpacer(), container.NewCenter(na), widget.NewLabel(note))
	if rtl {
		for i, j := 0, len(objs)-1; i < j; i, j = i+1, j-1 {
			objs[i], objs[j] = objs[j], objs[i]
		}
	}
	return container.NewHBox(objs...)
}
