package widgets

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
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
//
// Like Fyne's own widgets it holds no lock: Fyne calls its events, its
// layout and its painting on the main goroutine, and other goroutines
// reach it through fyne.Do. Its methods are in three files: this one (the
// API), articleview_input.go (mouse, wheel, scroll bar and keyboard) and
// articleview_render.go (layout and painting).
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

	layout *textlayout.Layout
	view   textlayout.View
	// pending gives the text to show once it is prepared
	// (SetPendingText); early is set while the view shows a text it
	// gave, until SetPreparedText.
	pending  func() (PreparedText, bool)
	early    bool
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
	pressAt     *pressPoint // a plain press: drags select what they pass over
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
func (v *ArticleView) SetText(text string) { v.SetPreparedText(PrepareText(text)) }

// PreparedText is a text ready for an ArticleView (PrepareText); the
// zero PreparedText is the empty text.
type PreparedText struct{ t textlayout.Indexed }

// PrepareText prepares text for SetPreparedText. It reads the whole
// text, a tenth of a second for 100 MB, and may run on any goroutine:
// a window shows a long text sooner when another goroutine prepares it.
func PrepareText(text string) PreparedText { return PreparedText{textlayout.Index(text)} }

// Bytes is the memory an ArticleView keeps for the text while it shows
// it: the text and what the view knows of it.
func (p PreparedText) Bytes() int { return p.t.Bytes() }

// SetPreparedText is SetText with the text prepared already. It ends
// SetPendingText's wait. When the view shows a text SetPendingText gave,
// and text is that text or begins with it, the view stays as the user
// has it, scrolled and selected.
func (v *ArticleView) SetPreparedText(text PreparedText) {
	v.pending = nil
	early := v.early
	v.early = false
	switch {
	case early && v.layout.Holds(text.t):
	case early && strings.HasPrefix(text.t.String(), v.layout.String()):
		// The view's place is a paragraph and an offset in it, the
		// same in the longer text.
		v.layout.SetIndexed(text.t)
		v.view.ScrollBy(0)
	default:
		v.show(text)
	}
	v.Refresh()
}

// show lays text out, scrolled to its top, with nothing selected.
func (v *ArticleView) show(text PreparedText) {
	v.layout.SetIndexed(text.t)
	v.view.Reset()
	v.anchor, v.focus = 0, 0
}

// SetPendingText shows the text ready gives once it gives one, without
// waiting for SetPreparedText: each time the view is laid out or
// painted, until SetPreparedText or SetText, it asks ready for the
// text, and shows the first it is given as SetPreparedText would,
// without spans. It is for a window's first frame: Fyne paints a new
// window before it runs what fyne.Do queued, and ready, asked as the
// frame is painted, can give a text prepared meanwhile on another
// goroutine. The text may be the start of a long one, read first: once
// SetPreparedText gives the whole, the view stays where it is. ready is
// called on the main goroutine; nil stops asking.
func (v *ArticleView) SetPendingText(ready func() (PreparedText, bool)) {
	v.pending = ready
	if ready != nil {
		v.Refresh()
	}
}

// takePending shows the text SetPendingText waits for, when it is
// ready, and says whether it did.
func (v *ArticleView) takePending() bool {
	if v.pending == nil {
		return false
	}
	text, ok := v.pending()
	if !ok {
		return false
	}
	v.pending = nil
	v.spans = map[int64]SpanMark{}
	v.rebuildMarks()
	v.selected = 0
	v.show(text)
	v.early = true
	return true
}

// Text returns the text shown.
func (v *ArticleView) Text() string { return v.layout.String() }

// TextRange returns the text of code points [start, end), clamped to the
// text, without converting the whole text.
func (v *ArticleView) TextRange(start, end int) string { return v.layout.Slice(start, end) }

// SetDirection sets the paragraphs' base direction.
func (v *ArticleView) SetDirection(d TextDirection) {
	v.layout.SetDirection(textlayout.Direction(d))
	v.view.ScrollBy(0)
	v.Refresh()
}

// SetTextSize sets the text size (in Fyne units).
func (v *ArticleView) SetTextSize(size float32) {
	v.textSize = size
	v.layout.SetSize(size)
	v.view.ScrollBy(0)
	v.Refresh()
}

// TextSize returns the text size.
func (v *ArticleView) TextSize() float32 {
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

// visibleRange returns the offsets of the lines on screen.
func (v *ArticleView) visibleRange() (int, int) { return v.view.Visible() }

// SetSpans replaces the spans. Only a change that touches the visible
// text redraws; none lays text out again.
func (v *ArticleView) SetSpans(spans []SpanMark) {
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
	if redraw {
		v.repaint()
	}
}

// AddSpan adds or replaces one span.
func (v *ArticleView) AddSpan(s SpanMark) {
	changed := []SpanMark{s}
	if old, ok := v.spans[s.ID]; ok {
		changed = append(changed, old)
	}
	v.spans[s.ID] = s
	redraw := v.applySpanChange(changed)
	if redraw {
		v.repaint()
	}
}

// RemoveSpan removes one span.
func (v *ArticleView) RemoveSpan(id int64) {
	old, ok := v.spans[id]
	delete(v.spans, id)
	redraw := ok && v.applySpanChange([]SpanMark{old})
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
	var out []SpanMark
	for _, m := range v.marks.All() {
		out = append(out, v.spans[m.ID])
	}
	return out
}

// SetSelectedSpan outlines the span with the given id; 0 outlines none.
func (v *ArticleView) SetSelectedSpan(id int64) {
	if v.selected == id {
		return
	}
	v.selected = id
	v.repaint()
}

// SelectedSpan returns the outlined span's id, or 0.
func (v *ArticleView) SelectedSpan() int64 {
	return v.selected
}

// Selection returns the selected text range (start ≤ end; equal when
// nothing is selected and the caret is there).
func (v *ArticleView) Selection() (start, end int) {
	return min(v.anchor, v.focus), max(v.anchor, v.focus)
}

// SetSelection selects [start, end), clamped to the text. It does not
// call OnSelectionChanged.
func (v *ArticleView) SetSelection(start, end int) {
	n := v.layout.Len()
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	v.anchor, v.focus = min(start, end), max(start, end)
	v.repaint()
}

// ScrollToOffset scrolls so that the line holding code point off shows.
func (v *ArticleView) ScrollToOffset(off int) {
	off = min(max(off, 0), v.layout.Len())
	v.view.Reveal(off)
	v.repaint()
}

// ScrollOffset returns the offset at the start of the top visible line.
func (v *ArticleView) ScrollOffset() int { return v.view.Offset() }

func (v *ArticleView) repaint() {
	r := v.ren
	if r != nil {
		r.updateBar()
		r.raster.Refresh()
	}
}
