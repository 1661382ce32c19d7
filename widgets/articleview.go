package widgets

import (
	"image"
	"image/color"
	"math"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

// TextDirection is the base direction of an article's paragraphs.
type TextDirection int

const (
	// DirectionAuto gives each paragraph the direction of its first
	// strong character (UAX #9 rules P2–P3).
	DirectionAuto TextDirection = iota
	// DirectionLTR forces left to right.
	DirectionLTR
	// DirectionRTL forces right to left.
	DirectionRTL
)

// SpanMark is a span as the view draws it.
type SpanMark struct {
	ID         int64
	Start, End int // code points, end exclusive
	Color      color.Color
	Suggestion bool // drawn dashed and lighter
}

// ArticleView is a scrolling, selectable view of an article with its
// spans. See the package documentation.
type ArticleView struct {
	widget.BaseWidget

	// OnSelectionChanged is called when the selection changes by user
	// action (not by SetSelection).
	OnSelectionChanged func(start, end int)
	// OnSpanTapped is called when a span is clicked.
	OnSpanTapped func(id int64)
	// OnTypedKey receives the keys the view does not handle.
	OnTypedKey func(*fyne.KeyEvent)
	// OnTypedRune receives typed runes.
	OnTypedRune func(rune)
	// OnShortcut receives the shortcuts the view does not handle; when it
	// is nil they go to the window's canvas.
	OnShortcut func(fyne.Shortcut)

	mu       sync.Mutex
	layout   *textlayout.Layout
	view     textlayout.View
	spans    map[int64]SpanMark
	marks    *textlayout.Marks
	selected int64
	anchor   int // selection edge that stays
	focus    int // selection edge that moves
	textSize float32
	focused  bool
	shift    bool

	// mouse
	pressCaret  int
	charMode    bool
	wordPress   bool // the press was a double click: drag extends by words from this word
	pressWord   [2]int
	dragged     bool
	tapSpans    []int64
	lastPress   time.Time
	lastPressAt fyne.Position
	barDrag     bool
	barGrab     float32

	ren *articleRenderer
}

var (
	_ fyne.Widget        = (*ArticleView)(nil)
	_ fyne.Focusable     = (*ArticleView)(nil)
	_ fyne.Draggable     = (*ArticleView)(nil)
	_ fyne.Scrollable    = (*ArticleView)(nil)
	_ fyne.Shortcutable  = (*ArticleView)(nil)
	_ desktop.Mouseable  = (*ArticleView)(nil)
	_ desktop.Keyable    = (*ArticleView)(nil)
	_ desktop.Cursorable = (*ArticleView)(nil)
)

// NewArticleView returns an empty view.
func NewArticleView() *ArticleView {
	v := &ArticleView{spans: map[int64]SpanMark{}}
	v.textSize = theme.TextSize() + 2
	v.layout = textlayout.New(v.textSize, 400)
	v.view = textlayout.View{L: v.layout}
	v.ExtendBaseWidget(v)
	return v
}

// SetText shows text, clearing the selection and scrolling to the top.
// Spans are kept: set them again for a new document.
func (v *ArticleView) SetText(text string) {
	v.mu.Lock()
	v.layout.SetText(text)
	v.view.Reset()
	v.anchor, v.focus = 0, 0
	v.mu.Unlock()
	v.Refresh()
}

// Text returns the text shown.
func (v *ArticleView) Text() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return string(v.layout.Text())
}

// SetDirection sets the paragraphs' base direction.
func (v *ArticleView) SetDirection(d TextDirection) {
	v.mu.Lock()
	v.layout.SetDirection(textlayout.Direction(d))
	v.view.ScrollBy(0)
	v.mu.Unlock()
	v.Refresh()
}

// SetTextSize sets the text size (in Fyne units).
func (v *ArticleView) SetTextSize(size float32) {
	v.mu.Lock()
	v.textSize = size
	v.layout.SetSize(size)
	v.view.ScrollBy(0)
	v.mu.Unlock()
	v.Refresh()
}

// TextSize returns the text size.
func (v *ArticleView) TextSize() float32 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.textSize
}

func toNRGBA(c color.Color) color.NRGBA {
	if c == nil {
		return color.NRGBA{0x80, 0x80, 0x80, 0x60}
	}
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

func (v *ArticleView) rebuildMarks() {
	ms := make([]textlayout.Mark, 0, len(v.spans))
	for _, s := range v.spans {
		ms = append(ms, textlayout.Mark{ID: s.ID, Start: s.Start, End: s.End, Color: toNRGBA(s.Color), Suggestion: s.Suggestion})
	}
	v.marks = textlayout.NewMarks(ms)
}

// visibleRange returns the offsets of the paragraphs on screen.
func (v *ArticleView) visibleRange() (int, int) {
	l := v.layout
	paras := l.Paragraphs()
	top := v.view.Top()
	first := l.ParaAt(top)
	last := l.ParaAt(top + v.view.Height)
	return paras[first].Start, paras[last].Next + 1
}

// SetSpans replaces the spans. Only a change that touches the visible
// text redraws; none lays text out again.
func (v *ArticleView) SetSpans(spans []SpanMark) {
	v.mu.Lock()
	next := make(map[int64]SpanMark, len(spans))
	var changed []SpanMark
	for _, s := range spans {
		next[s.ID] = s
		if old, ok := v.spans[s.ID]; !ok || old != s {
			changed = append(changed, s)
			if ok {
				changed = append(changed, old)
			}
		}
	}
	for id, old := range v.spans {
		if _, ok := next[id]; !ok {
			changed = append(changed, old)
		}
	}
	v.spans = next
	redraw := v.applySpanChange(changed)
	v.mu.Unlock()
	if redraw {
		v.repaint()
	}
}

// AddSpan adds or replaces one span.
func (v *ArticleView) AddSpan(s SpanMark) {
	v.mu.Lock()
	changed := []SpanMark{s}
	if old, ok := v.spans[s.ID]; ok {
		changed = append(changed, old)
	}
	v.spans[s.ID] = s
	redraw := v.applySpanChange(changed)
	v.mu.Unlock()
	if redraw {
		v.repaint()
	}
}

// RemoveSpan removes one span.
func (v *ArticleView) RemoveSpan(id int64) {
	v.mu.Lock()
	old, ok := v.spans[id]
	delete(v.spans, id)
	redraw := ok && v.applySpanChange([]SpanMark{old})
	v.mu.Unlock()
	if redraw {
		v.repaint()
	}
}

func (v *ArticleView) applySpanChange(changed []SpanMark) bool {
	if len(changed) == 0 {
		return false
	}
	v.rebuildMarks()
	a, b := v.visibleRange()
	for _, s := range changed {
		if s.Start < b && s.End > a {
			return true
		}
	}
	return false
}

// Spans returns the spans shown, in text order.
func (v *ArticleView) Spans() []SpanMark {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []SpanMark
	for _, m := range v.marks.All() {
		out = append(out, v.spans[m.ID])
	}
	return out
}

// SetSelectedSpan outlines the span with the given id; 0 outlines none.
func (v *ArticleView) SetSelectedSpan(id int64) {
	v.mu.Lock()
	if v.selected == id {
		v.mu.Unlock()
		return
	}
	v.selected = id
	v.mu.Unlock()
	v.repaint()
}

// SelectedSpan returns the outlined span's id, or 0.
func (v *ArticleView) SelectedSpan() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.selected
}

// Selection returns the selected text range (start ≤ end; equal when
// nothing is selected and the caret is there).
func (v *ArticleView) Selection() (start, end int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return min(v.anchor, v.focus), max(v.anchor, v.focus)
}

// SetSelection selects [start, end), clamped to the text. It does not
// call OnSelectionChanged.
func (v *ArticleView) SetSelection(start, end int) {
	v.mu.Lock()
	n := len(v.layout.Text())
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	v.anchor, v.focus = min(start, end), max(start, end)
	v.mu.Unlock()
	v.repaint()
}

// ScrollToOffset scrolls so that the line holding code point off shows.
func (v *ArticleView) ScrollToOffset(off int) {
	v.mu.Lock()
	off = min(max(off, 0), len(v.layout.Text()))
	v.view.Reveal(off)
	v.mu.Unlock()
	v.repaint()
}

// ScrollOffset returns the offset at the top-left of the visible text.
func (v *ArticleView) ScrollOffset() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	p := v.layout.Paragraphs()[v.view.Para]
	return p.Start
}

func (v *ArticleView) repaint() {
	v.mu.Lock()
	r := v.ren
	v.mu.Unlock()
	if r != nil {
		r.updateBar()
		r.raster.Refresh()
	}
}

// --- geometry ------------------------------------------------------------

func (v *ArticleView) padding() float32 { return theme.InnerPadding() }

func (v *ArticleView) barWidth() float32 { return theme.ScrollBarSize() }

// docPoint maps a widget position to document coordinates. Locked.
func (v *ArticleView) docPoint(p fyne.Position) (float32, float32) {
	pad := v.padding()
	return p.X - pad, v.view.Top() + p.Y - pad
}

func (v *ArticleView) inBar(p fyne.Position) bool {
	return p.X >= v.Size().Width-v.barWidth()
}

// --- mouse ---------------------------------------------------------------

// Cursor shows the text cursor over the view.
func (v *ArticleView) Cursor() desktop.Cursor { return desktop.TextCursor }

// MouseDown starts a selection, a double-click word selection, a
// Shift+click extension, a span click or a scroll-bar drag.
func (v *ArticleView) MouseDown(ev *desktop.MouseEvent) {
	v.requestFocus()
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	v.mu.Lock()
	v.dragged = false
	v.tapSpans = nil
	if v.inBar(ev.Position) {
		v.barDrag = true
		v.barGrab = v.barGrabAt(ev.Position.Y)
		v.mu.Unlock()
		v.repaint()
		return
	}
	v.barDrag = false
	x, y := v.docPoint(ev.Position)
	hit := v.layout.HitTest(x, y)
	v.charMode = ev.Modifier&(fyne.KeyModifierAlt|fyne.KeyModifierControl) != 0
	now := time.Now()
	double := now.Sub(v.lastPress) < 400*time.Millisecond &&
		math.Abs(float64(ev.Position.X-v.lastPressAt.X)) < 5 && math.Abs(float64(ev.Position.Y-v.lastPressAt.Y)) < 5
	v.lastPress, v.lastPressAt = now, ev.Position
	before0, before1 := min(v.anchor, v.focus), max(v.anchor, v.focus)
	switch {
	case double && hit.InBox:
		s, e, ok := v.layout.WordAt(hit.Box.Start)
		if !ok {
			s, e = hit.Box.Start, hit.Box.End
		}
		v.anchor, v.focus = s, e
		v.wordPress, v.pressWord, v.pressCaret = true, [2]int{s, e}, s
		v.lastPress = time.Time{} // a third click starts afresh
	case ev.Modifier&fyne.KeyModifierShift != 0 || v.shift:
		v.wordPress = false
		v.pressCaret = v.anchor
		v.extendTo(hit.Caret)
	default:
		v.wordPress = false
		v.pressCaret = hit.Caret
		v.anchor, v.focus = hit.Caret, hit.Caret
		if hit.InBox {
			for _, m := range v.marks.At(hit.Box.Start) {
				v.tapSpans = append(v.tapSpans, m.ID)
			}
		}
	}
	changed := before0 != min(v.anchor, v.focus) || before1 != max(v.anchor, v.focus)
	s, e := min(v.anchor, v.focus), max(v.anchor, v.focus)
	v.mu.Unlock()
	v.repaint()
	if changed && v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e)
	}
}

// extendTo moves the selection's moving edge to caret c, snapping to words
// unless in character mode. Locked.
func (v *ArticleView) extendTo(c int) {
	a := v.pressCaret
	if v.wordPress {
		if c >= v.pressWord[1] || c > v.pressWord[0] && c >= a {
			a = v.pressWord[0]
		} else {
			a = v.pressWord[1]
		}
	}
	s, e := min(a, c), max(a, c)
	if !v.charMode {
		s, e = v.layout.SnapToWords(s, e)
	}
	if c >= a {
		v.anchor, v.focus = s, e
	} else {
		v.anchor, v.focus = e, s
	}
}

// MouseUp ends a click: a click on a span without dragging selects it.
func (v *ArticleView) MouseUp(ev *desktop.MouseEvent) {
	v.mu.Lock()
	if v.barDrag {
		v.barDrag = false
		v.mu.Unlock()
		return
	}
	if v.dragged || len(v.tapSpans) == 0 {
		v.mu.Unlock()
		return
	}
	id := v.tapSpans[0]
	for k, s := range v.tapSpans {
		if s == v.selected { // clicking again where spans overlap cycles
			id = v.tapSpans[(k+1)%len(v.tapSpans)]
			break
		}
	}
	v.selected = id
	v.tapSpans = nil
	v.mu.Unlock()
	v.repaint()
	if v.OnSpanTapped != nil {
		v.OnSpanTapped(id)
	}
}

// Dragged extends the selection (or drags the scroll bar).
func (v *ArticleView) Dragged(ev *fyne.DragEvent) {
	v.mu.Lock()
	v.dragged = true
	v.lastPress = time.Time{} // a drag is no click: the next press is not a double click
	if v.barDrag {
		v.dragBar(ev.Position.Y)
		v.mu.Unlock()
		v.repaint()
		return
	}
	pad := v.padding()
	if ev.Position.Y < 0 {
		v.view.ScrollBy(ev.Position.Y)
	} else if h := v.Size().Height; ev.Position.Y > h {
		v.view.ScrollBy(ev.Position.Y - h)
	}
	y := min(max(ev.Position.Y, pad), v.Size().Height-pad-1)
	x, dy := v.docPoint(fyne.NewPos(ev.Position.X, y))
	hit := v.layout.HitTest(x, dy)
	before0, before1 := min(v.anchor, v.focus), max(v.anchor, v.focus)
	v.extendTo(hit.Caret)
	s, e := min(v.anchor, v.focus), max(v.anchor, v.focus)
	v.mu.Unlock()
	v.repaint()
	if (s != before0 || e != before1) && v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e)
	}
}

// DragEnd ends a drag.
func (v *ArticleView) DragEnd() {
	v.mu.Lock()
	v.barDrag = false
	v.mu.Unlock()
}

// Scrolled scrolls the view.
func (v *ArticleView) Scrolled(ev *fyne.ScrollEvent) {
	v.mu.Lock()
	v.view.ScrollBy(-ev.Scrolled.DY)
	v.mu.Unlock()
	v.repaint()
}

// barGeometry returns the thumb's top and height. Locked.
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

func (v *ArticleView) barGrabAt(y float32) float32 {
	top, height, show := v.barGeometry()
	if !show {
		return 0
	}
	if y >= top && y <= top+height {
		return y - top
	}
	// a click on the track jumps there
	v.dragBar(y)
	return height / 2
}

func (v *ArticleView) dragBar(y float32) {
	_, height, show := v.barGeometry()
	if !show {
		return
	}
	h := v.Size().Height
	frac := (y - v.barGrab) / max(1, h-height)
	frac = min(max(frac, 0), 1)
	v.view.ScrollTo(frac * v.view.MaxTop())
}

func (v *ArticleView) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil && c.Focused() != v {
		c.Focus(v)
	}
}

// --- keyboard ------------------------------------------------------------

// FocusGained shows the caret.
func (v *ArticleView) FocusGained() {
	v.mu.Lock()
	v.focused = true
	v.mu.Unlock()
	v.repaint()
}

// FocusLost hides the caret.
func (v *ArticleView) FocusLost() {
	v.mu.Lock()
	v.focused, v.shift = false, false
	v.mu.Unlock()
	v.repaint()
}

// KeyDown tracks the Shift keys.
func (v *ArticleView) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.mu.Lock()
		v.shift = true
		v.mu.Unlock()
	}
}

// KeyUp tracks the Shift keys.
func (v *ArticleView) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.mu.Lock()
		v.shift = false
		v.mu.Unlock()
	}
}

// TypedRune passes runes to OnTypedRune.
func (v *ArticleView) TypedRune(r rune) {
	if v.OnTypedRune != nil {
		v.OnTypedRune(r)
	}
}

type moveUnit int

const (
	byChar moveUnit = iota
	byWord
	byLine
	byLineEnd
	byDoc
)

// TypedKey handles caret movement and scrolling; other keys go to
// OnTypedKey.
func (v *ArticleView) TypedKey(ev *fyne.KeyEvent) {
	v.mu.Lock()
	shift := v.shift
	v.mu.Unlock()
	switch ev.Name {
	case fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown, fyne.KeyHome, fyne.KeyEnd:
		unit := byChar
		switch ev.Name {
		case fyne.KeyUp, fyne.KeyDown:
			unit = byLine
		case fyne.KeyHome, fyne.KeyEnd:
			unit = byLineEnd
		}
		v.move(ev.Name, unit, shift, false)
	case fyne.KeyPageUp, fyne.KeyPageDown:
		v.mu.Lock()
		page := v.view.Height - v.layout.LineHeight()
		if ev.Name == fyne.KeyPageUp {
			page = -page
		}
		v.view.ScrollBy(page)
		v.mu.Unlock()
		v.repaint()
	default:
		if v.OnTypedKey != nil {
			v.OnTypedKey(ev)
		}
	}
}

// TypedShortcut handles Ctrl/Alt arrow combinations, Select All and Copy;
// the rest goes to OnShortcut, or to the canvas when that is nil.
func (v *ArticleView) TypedShortcut(s fyne.Shortcut) {
	switch sc := s.(type) {
	case *desktop.CustomShortcut:
		ctrl := sc.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0
		alt := sc.Modifier&fyne.KeyModifierAlt != 0
		shift := sc.Modifier&fyne.KeyModifierShift != 0
		switch sc.KeyName {
		case fyne.KeyLeft, fyne.KeyRight:
			if ctrl || alt {
				unit := byChar
				if ctrl {
					unit = byWord
				}
				v.move(sc.KeyName, unit, shift || alt, alt)
				return
			}
		case fyne.KeyHome, fyne.KeyEnd:
			if ctrl && !alt {
				v.move(sc.KeyName, byDoc, shift, false)
				return
			}
		}
	case *fyne.ShortcutSelectAll:
		v.mu.Lock()
		v.anchor, v.focus = 0, len(v.layout.Text())
		n := v.focus
		v.mu.Unlock()
		v.repaint()
		if v.OnSelectionChanged != nil {
			v.OnSelectionChanged(0, n)
		}
		return
	case *fyne.ShortcutCopy:
		v.mu.Lock()
		s, e := min(v.anchor, v.focus), max(v.anchor, v.focus)
		text := string(v.layout.Text()[s:e])
		v.mu.Unlock()
		if s < e && sc.Clipboard != nil {
			sc.Clipboard.SetContent(text)
		}
		return
	}
	if v.OnShortcut != nil {
		v.OnShortcut(s)
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		if h, ok := c.(fyne.Shortcutable); ok {
			h.TypedShortcut(s)
		}
	}
}

// move moves the caret, or with extend the selection's moving edge, or
// with other its other edge.
func (v *ArticleView) move(key fyne.KeyName, unit moveUnit, extend, other bool) {
	v.mu.Lock()
	l := v.layout
	before0, before1 := min(v.anchor, v.focus), max(v.anchor, v.focus)
	edge := v.focus
	if other {
		edge = v.anchor
	}
	if !extend && !other && v.anchor != v.focus && unit == byChar && (key == fyne.KeyLeft || key == fyne.KeyRight) {
		// collapse to the edge in the arrow's direction
		forward := v.forward(key, v.focus)
		if forward {
			edge = before1
		} else {
			edge = before0
		}
	} else {
		forward := v.forward(key, edge)
		switch unit {
		case byChar:
			if forward {
				edge = l.NextGrapheme(edge)
			} else {
				edge = l.PrevGrapheme(edge)
			}
		case byWord:
			if forward {
				edge = l.NextWordEdge(edge)
			} else {
				edge = l.PrevWordEdge(edge)
			}
		case byLine:
			x, y := l.CaretPos(edge)
			if key == fyne.KeyUp {
				y -= l.LineHeight() / 2
			} else {
				y += l.LineHeight() * 1.5
			}
			if y >= 0 && y < l.Height() {
				edge = l.HitTest(x, y).Caret
			}
		case byLineEnd:
			i := l.ParaOf(edge)
			lines := l.Lines(i)
			k := 0
			for k+1 < len(lines) && lines[k].End <= edge && lines[k+1].Start <= edge {
				k++
			}
			if key == fyne.KeyHome {
				edge = lines[k].Start
			} else {
				edge = lines[k].End
			}
		case byDoc:
			if key == fyne.KeyHome {
				edge = 0
			} else {
				edge = len(l.Text())
			}
		}
	}
	switch {
	case other:
		v.anchor = edge
	case extend:
		v.focus = edge
	default:
		v.anchor, v.focus = edge, edge
	}
	v.view.Reveal(edge)
	s, e := min(v.anchor, v.focus), max(v.anchor, v.focus)
	v.mu.Unlock()
	v.repaint()
	if (s != before0 || e != before1) && v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e)
	}
}

// forward reports whether key moves forward in the text at offset off:
// Right in a left-to-right paragraph, Left in a right-to-left one, Down
// and End always. Locked.
func (v *ArticleView) forward(key fyne.KeyName, off int) bool {
	switch key {
	case fyne.KeyDown, fyne.KeyEnd:
		return true
	case fyne.KeyUp, fyne.KeyHome:
		return false
	}
	rtl := v.layout.ParagraphLevel(v.layout.ParaOf(off)) == 1
	return (key == fyne.KeyRight) != rtl
}

// --- rendering -----------------------------------------------------------

// CreateRenderer implements fyne.Widget.
func (v *ArticleView) CreateRenderer() fyne.WidgetRenderer {
	v.ExtendBaseWidget(v)
	r := &articleRenderer{v: v}
	r.raster = canvas.NewRaster(r.generate)
	r.thumb = canvas.NewRectangle(color.Transparent)
	r.thumb.CornerRadius = 3
	v.mu.Lock()
	v.ren = r
	v.mu.Unlock()
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
	pad := v.padding()
	w := max(1, size.Width-2*pad-v.barWidth())
	h := max(1, size.Height-2*pad)
	v.mu.Lock()
	v.layout.SetWidth(w)
	v.view.Height = h
	v.view.ScrollBy(0)
	r.rasterW = w
	v.mu.Unlock()
	r.raster.Move(fyne.NewPos(pad, pad))
	r.raster.Resize(fyne.NewSize(w, h))
	r.updateBar()
}

func (r *articleRenderer) updateBar() {
	v := r.v
	v.mu.Lock()
	top, height, show := v.barGeometry()
	size := v.Size()
	dragging := v.barDrag
	v.mu.Unlock()
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
	v.mu.Lock()
	defer v.mu.Unlock()
	sc.Scale = 1
	if r.rasterW > 0 {
		sc.Scale = float32(w) / r.rasterW
	}
	sc.Top = v.view.Top()
	sc.Marks = v.marks
	sc.Selected, sc.HasSelected = v.selected, v.selected != 0
	sc.SelStart, sc.SelEnd = min(v.anchor, v.focus), max(v.anchor, v.focus)
	sc.ShowCaret = v.focused
	v.layout.Paint(r.img, &sc)
	return r.img
}
