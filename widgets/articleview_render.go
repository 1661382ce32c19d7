package widgets

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

func (v *ArticleView) padding() float32 { return theme.InnerPadding() }

func (v *ArticleView) barWidth() float32 { return theme.ScrollBarSize() }

// barGeometry returns the thumb's top and height.
func (v *ArticleView) barGeometry() (top, height float32, show bool) {
	h := v.Size().Height
	total := v.layout.Height()
	if total <= v.view.Height+1 {
		return 0, 0, false
	}
	height = max(h*v.view.Height/total, 24)
	frac := v.view.Top() / max(1, total-v.view.Height)
	top = min(max(frac, 0), 1) * (h - height)
	return top, height, true
}

// CreateRenderer implements fyne.Widget.
func (v *ArticleView) CreateRenderer() fyne.WidgetRenderer {
	v.ExtendBaseWidget(v)
	r := &articleRenderer{v: v}
	r.raster = canvas.NewRaster(r.generate)
	r.thumb = canvas.NewRectangle(color.Transparent)
	r.thumb.CornerRadius = 3
	v.ren = r
	return r
}

type articleRenderer struct {
	v      *ArticleView
	raster *canvas.Raster
	thumb  *canvas.Rectangle
	img    *image.RGBA
	// rasterW is the raster's logical width, for the device scale.
	rasterW float32
}

func (r *articleRenderer) Layout(size fyne.Size) {
	v := r.v
	v.takePending()
	pad := v.padding()
	w := max(1, size.Width-2*pad-v.barWidth())
	h := max(1, size.Height-2*pad)
	v.layout.SetWidth(w)
	v.view.Height = h
	v.view.ScrollBy(0)
	r.rasterW = w
	r.raster.Move(fyne.NewPos(pad, pad))
	r.raster.Resize(fyne.NewSize(w, h))
	r.updateBar()
}

func (r *articleRenderer) updateBar() {
	v := r.v
	top, height, show := v.barGeometry()
	size := v.Size()
	dragging := v.barDrag
	if !show {
		r.thumb.Hide()
		return
	}
	bw := v.barWidth()
	thin := bw / 2
	if dragging {
		thin = bw * 0.75
	}
	r.thumb.FillColor = theme.ColorForWidget(theme.ColorNameScrollBar, v)
	r.thumb.Move(fyne.NewPos(size.Width-bw+(bw-thin)/2, top))
	r.thumb.Resize(fyne.NewSize(thin, height))
	r.thumb.Show()
	r.thumb.Refresh()
}

func (r *articleRenderer) MinSize() fyne.Size {
	pad := r.v.padding()
	return fyne.NewSize(120+2*pad, 3*r.v.layout.LineHeight()+2*pad)
}

func (r *articleRenderer) Refresh() {
	r.updateBar()
	r.raster.Refresh()
}

func (r *articleRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.raster, r.thumb}
}

func (r *articleRenderer) Destroy() {}

// generate paints the visible region at the device size w×h.
func (r *articleRenderer) generate(w, h int) image.Image {
	v := r.v
	if v.takePending() {
		r.updateBar()
	}
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	sel := theme.ColorForWidget(theme.ColorNameSelection, v)
	sc := textlayout.Scene{
		Text:       theme.ColorForWidget(theme.ColorNameForeground, v),
		Selection:  sel,
		CaretColor: theme.ColorForWidget(theme.ColorNamePrimary, v),
		Outline:    theme.ColorForWidget(theme.ColorNameForeground, v),
	}
	sc.Scale = 1
	if r.rasterW > 0 {
		sc.Scale = float32(w) / r.rasterW
	}
	sc.Top = v.view.Top()
	sc.Marks = v.marks
	sc.Selected, sc.HasSelected = v.selected, v.selected != 0
	sc.SelStart, sc.SelEnd = v.Selection()
	sc.ShowCaret = v.focused
	v.layout.Paint(r.img, &sc)
	return r.img
}
