package widgets

import (
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

// BidiLabel shows one line of text in its own bidi paragraph, laid out
// like the article view: document text, names and labels a user typed,
// Arabic, Latin, numbers and brackets in any mix. See the package
// documentation.
type BidiLabel struct {
	widget.BaseWidget

	// Text is shown on one line, paragraph and line separators as
	// spaces, unless Wrapping is set.
	Text string
	// Direction is the paragraph direction: DirectionAuto (the default)
	// takes that of the first strong character, left to right when there
	// is none.
	Direction TextDirection
	// Alignment places the text: leading is the paragraph's start, the
	// right edge for a right-to-left paragraph.
	Alignment fyne.TextAlign
	// FixedAlignment takes Alignment as Fyne's own labels do, leading at
	// the left edge and trailing at the right, whatever the paragraph's
	// direction: names of either direction in a list then line up with
	// the interface around them (at the right in a right-to-left one).
	FixedAlignment bool
	// TextStyle: Bold draws in Amiri Bold; other styles are ignored.
	TextStyle fyne.TextStyle
	// Truncation sets the MinSize: TextTruncateOff asks for the whole
	// text, TextTruncateEllipsis for room for the ellipsis only,
	// TextTruncateClip for none. Text that does not fit the label's width
	// is cut at its logical end, with an ellipsis unless the truncation is
	// TextTruncateClip.
	Truncation fyne.TextTruncation
	// Importance chooses the text colour, as for widget.Label.
	Importance widget.Importance
	// SizeName is the theme size of the text; theme.SizeNameText when
	// empty.
	SizeName fyne.ThemeSizeName
	// Wrapping: TextWrapWord (or TextWrapBreak) shows the text on as many
	// lines as the label's width needs, broken between words, each
	// paragraph of Text (a line break starts one) in its own direction
	// and aligned to its start edge; the regular weight only. MinSize
	// then asks for the height of the text at the label's width.
	// TextWrapOff (the default) shows one line.
	Wrapping fyne.TextWrap

	// Layout cache: full is Text laid out whole, for key; shown is full
	// fitted to shownWidth.
	key        labelKey
	full       *textlayout.SingleLine
	shown      *textlayout.SingleLine
	shownWidth float32
	shownTrunc fyne.TextTruncation
	// minWidth is the text width MinSize asks for, for full and minTrunc.
	minWidth float32
	minFor   *textlayout.SingleLine
	minTrunc fyne.TextTruncation
	// wrapped lays the text out on several lines (Wrapping); wrapKey is
	// what it holds.
	wrapped *textlayout.Layout
	wrapKey labelKey
}

type labelKey struct {
	text string
	dir  TextDirection
	size int
	bold bool
}

var _ fyne.Widget = (*BidiLabel)(nil)

// NewBidiLabel returns a label showing text.
func NewBidiLabel(text string) *BidiLabel {
	l := &BidiLabel{Text: text}
	l.ExtendBaseWidget(l)
	return l
}

// SetText shows text.
func (l *BidiLabel) SetText(text string) {
	l.Text = text
	l.Refresh()
}

// Isolate wraps text in FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL
// ISOLATE (U+2069): inside a longer BidiLabel text, such as a message
// quoting a document, text then takes its own direction and leaves the
// order of the words around it alone.
func Isolate(text string) string { return "\u2068" + text + "\u2069" }

const ellipsis = "…"

// lineSetters holds one LineSetter per text size and weight, shared by
// every label so that they share shaping tables and rasterised glyphs.
var lineSetters struct {
	sync.Mutex
	m map[labelFont]*textlayout.LineSetter
}

type labelFont struct {
	size int
	bold bool
}

func lineSetterFor(size int, bold bool) *textlayout.LineSetter {
	lineSetters.Lock()
	defer lineSetters.Unlock()
	k := labelFont{size, bold}
	s, ok := lineSetters.m[k]
	if !ok {
		if lineSetters.m == nil {
			lineSetters.m = map[labelFont]*textlayout.LineSetter{}
		}
		s = textlayout.NewLineSetter(float32(size), bold)
		lineSetters.m[k] = s
	}
	return s
}

func (l *BidiLabel) textSize() int {
	name := l.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	return max(1, int(math.Round(float64(theme.SizeForWidget(name, l)))))
}

func (l *BidiLabel) padding() float32 {
	return theme.SizeForWidget(theme.SizeNameInnerPadding, l)
}

func (l *BidiLabel) setter() *textlayout.LineSetter {
	return lineSetterFor(l.key.size, l.key.bold)
}

func (l *BidiLabel) wraps() bool { return l.Wrapping != fyne.TextWrapOff }

// layoutWrapped lays the text out for Wrapping in a text area width wide.
func (l *BidiLabel) layoutWrapped(width float32) *textlayout.Layout {
	k := labelKey{l.Text, l.Direction, l.textSize(), false}
	if l.wrapped == nil {
		l.wrapped = textlayout.New(float32(k.size), width)
	} else if k != l.wrapKey {
		l.wrapped.SetSize(float32(k.size))
	}
	if k != l.wrapKey {
		l.wrapped.SetDirection(textlayout.Direction(k.dir))
		l.wrapped.SetText(k.text)
		l.wrapKey = k
	}
	l.wrapped.SetWidth(max(width, 1))
	l.wrapped.LayoutAll()
	return l.wrapped
}

// wrappedHeight is the height of the lines of a wrapped layout, without
// the gap that follows its last paragraph.
func wrappedHeight(t *textlayout.Layout) float32 {
	last := t.ParaOf(t.Len())
	return max(t.LineHeight(), t.ParaTop(last)+float32(len(t.Lines(last)))*t.LineHeight())
}

// Resize lays a wrapped label out again for its new width: its height
// may change, which its container then gives it.
func (l *BidiLabel) Resize(size fyne.Size) {
	old := l.Size()
	l.BaseWidget.Resize(size)
	if l.wraps() && size.Width != old.Width {
		l.Refresh()
	}
}

// layoutFull lays the whole text out when the text, direction, size or
// weight changed since the last time.
func (l *BidiLabel) layoutFull() {
	k := labelKey{l.Text, l.Direction, l.textSize(), l.TextStyle.Bold}
	if l.full != nil && k == l.key {
		return
	}
	l.key = k
	l.full = l.setter().Line([]rune(l.Text), textlayout.Direction(l.Direction))
	l.shown = nil
}

// fit returns the line shown in a text area width wide.
func (l *BidiLabel) fit(width float32) *textlayout.SingleLine {
	l.layoutFull()
	if l.shown != nil && l.shownWidth == width && l.shownTrunc == l.Truncation {
		return l.shown
	}
	mark := ellipsis
	if l.Truncation == fyne.TextTruncateClip {
		mark = ""
	}
	l.shown = l.setter().Fit(l.full, width, mark)
	l.shownWidth, l.shownTrunc = width, l.Truncation
	return l.shown
}

// MinSize returns the height of one line and, unless Truncation is set,
// the width of the whole text, both with the theme's inner padding.
func (l *BidiLabel) MinSize() fyne.Size {
	l.ExtendBaseWidget(l)
	return l.BaseWidget.MinSize()
}

func (l *BidiLabel) colorName() fyne.ThemeColorName {
	switch l.Importance {
	case widget.LowImportance:
		return theme.ColorNameDisabled
	case widget.HighImportance:
		return theme.ColorNamePrimary
	case widget.DangerImportance:
		return theme.ColorNameError
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	}
	return theme.ColorNameForeground
}

// CreateRenderer implements fyne.Widget.
func (l *BidiLabel) CreateRenderer() fyne.WidgetRenderer {
	l.ExtendBaseWidget(l)
	r := &bidiLabelRenderer{l: l}
	r.raster = canvas.NewRaster(r.generate)
	return r
}

type bidiLabelRenderer struct {
	l      *BidiLabel
	raster *canvas.Raster
	img    *image.RGBA
	// what img shows
	painted paintKey
}

type paintKey struct {
	line  *textlayout.SingleLine
	x, y  float32
	scale float32
	col   color.Color
}

func (r *bidiLabelRenderer) Layout(size fyne.Size) {
	r.raster.Resize(size)
}

func (r *bidiLabelRenderer) MinSize() fyne.Size {
	l := r.l
	if l.wraps() {
		// The wrapped layout, not the text on one line.
		pad := l.padding()
		lh := lineSetterFor(l.textSize(), l.TextStyle.Bold).LineHeight()
		h := lh
		if w := l.Size().Width - 2*pad; w > 0 {
			h = wrappedHeight(l.layoutWrapped(w))
		}
		return fyne.NewSize(lh+2*pad, h+2*pad)
	}
	l.layoutFull()
	s := l.setter()
	if l.minFor != l.full || l.minTrunc != l.Truncation {
		l.minFor, l.minTrunc = l.full, l.Truncation
		switch l.Truncation {
		case fyne.TextTruncateOff:
			l.minWidth = l.full.Width
		case fyne.TextTruncateEllipsis:
			l.minWidth = s.Fit(l.full, 0, ellipsis).Width
		default:
			l.minWidth = 0
		}
	}
	pad := l.padding()
	return fyne.NewSize(l.minWidth+2*pad, s.LineHeight()+2*pad)
}

func (r *bidiLabelRenderer) Refresh() {
	r.raster.Refresh()
}

func (r *bidiLabelRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.raster}
}

func (r *bidiLabelRenderer) Destroy() {}

// generate paints the label at the device size w×h.
func (r *bidiLabelRenderer) generate(w, h int) image.Image {
	l := r.l
	size := l.Size()
	pad := l.padding()
	if l.wraps() {
		return r.generateWrapped(w, h, size, pad)
	}
	ln := l.fit(size.Width - 2*pad)
	s := l.setter()
	var x float32
	free := size.Width - 2*pad - ln.Width
	start := l.Alignment == fyne.TextAlignLeading
	ltr := ln.Level == 0 || l.FixedAlignment
	switch {
	case l.Alignment == fyne.TextAlignCenter:
		x = pad + free/2
	case start == ltr:
		x = pad
	default:
		x = pad + free
	}
	k := paintKey{
		line:  ln,
		x:     x,
		y:     (size.Height - s.LineHeight()) / 2,
		scale: 1,
		col:   theme.ColorForWidget(l.colorName(), l),
	}
	if size.Width > 0 {
		k.scale = float32(w) / size.Width
	}
	if r.img != nil && r.img.Rect.Dx() == w && r.img.Rect.Dy() == h && k == r.painted {
		return r.img
	}
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		clear(r.img.Pix)
	}
	s.Paint(r.img, ln, k.x, k.y, k.scale, k.col)
	r.painted = k
	return r.img
}

// generateWrapped paints a wrapped label: its lines from the top, inside
// the padding.
func (r *bidiLabelRenderer) generateWrapped(w, h int, size fyne.Size, pad float32) image.Image {
	l := r.l
	t := l.layoutWrapped(size.Width - 2*pad)
	scale := float32(1)
	if size.Width > 0 {
		scale = float32(w) / size.Width
	}
	r.painted = paintKey{}
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	} else {
		clear(r.img.Pix)
	}
	ox, oy := int(math.Round(float64(pad*scale))), int(math.Round(float64(pad*scale)))
	inner := r.img.SubImage(image.Rect(ox, oy, w-ox, h-oy)).(*image.RGBA)
	if inner.Rect.Empty() {
		return r.img
	}
	t.Paint(inner, &textlayout.Scene{Scale: scale, Text: theme.ColorForWidget(l.colorName(), l)})
	return r.img
}
