package widgets

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

// Mouse, wheel, scroll bar and keyboard.

// docPoint maps a widget position to document coordinates.
func (v *ArticleView) docPoint(p fyne.Position) (float32, float32) {
	pad := v.padding()
	return p.X - pad, v.view.Top() + p.Y - pad
}

func (v *ArticleView) inBar(p fyne.Position) bool {
	return p.X >= v.Size().Width-v.barWidth()
}

// Cursor shows the text cursor over the view.
func (v *ArticleView) Cursor() desktop.Cursor { return desktop.TextCursor }

// MouseDown starts a selection, a double-click word selection, a
// Shift+click extension, a span click or a scroll-bar drag.
func (v *ArticleView) MouseDown(ev *desktop.MouseEvent) {
	v.requestFocus()
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	v.dragged = false
	v.tapSpans = nil
	if v.inBar(ev.Position) {
		v.barDrag = true
		v.barGrab = v.barGrabAt(ev.Position.Y)
		v.repaint()
		return
	}
	v.barDrag = false
	x, y := v.docPoint(ev.Position)
	hit := v.layout.HitTest(x, y)
	// Ctrl, not Alt: desktops open the menu bar when Alt is let go.
	v.charMode = ev.Modifier&fyne.KeyModifierControl != 0
	now := time.Now()
	double := now.Sub(v.lastPress) < 400*time.Millisecond &&
		math.Abs(float64(ev.Position.X-v.lastPressAt.X)) < 5 && math.Abs(float64(ev.Position.Y-v.lastPressAt.Y)) < 5
	v.lastPress, v.lastPressAt = now, ev.Position
	before0, before1 := v.Selection()
	v.pressAt = nil
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
		v.pressAt = &pressPoint{x: x, para: hit.Para, line: v.layout.Lines(hit.Para)[hit.Line].Start}
		v.anchor, v.focus = hit.Caret, hit.Caret
		if hit.InBox {
			for _, m := range v.marks.At(hit.Box.Start) {
				v.tapSpans = append(v.tapSpans, m.ID)
			}
		}
	}
	v.repaintSelection(before0, before1)
}

// repaintSelection repaints the view and, when the selection is no
// longer [start, end), reports it to OnSelectionChanged.
func (v *ArticleView) repaintSelection(start, end int) {
	s, e := v.Selection()
	v.repaint()
	if (s != start || e != end) && v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e)
	}
}

// extendTo moves the selection's moving edge to caret c, snapping to words
// unless in character mode.
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

// pressPoint is where a plain press (no double click, no Shift) landed:
// document x, paragraph and the start of the line.
type pressPoint struct {
	x          float32
	para, line int
}

// selectPassedOver selects what a drag from the press point to document x
// on the line of hit passed over on screen: the graphemes the pointer
// crossed more than half of, on the press line from the press point
// towards the drag, on the current line from its start (in reading order)
// to the pointer, and every line between; the selection is their logical
// hull, with the carets at both ends. In mixed text the visual and the
// logical order part: from the right edge of "5000" in an Arabic line a
// drag to the left passes over the number and then the Arabic word that
// logically follows it, and both are selected, though the caret at the
// press point lies after the number.
func (v *ArticleView) selectPassedOver(x float32, hit textlayout.Hit) {
	l, p := v.layout, v.pressAt
	line := l.Lines(hit.Para)[hit.Line].Start
	s, e := min(v.pressCaret, hit.Caret), max(v.pressCaret, hit.Caret)
	cover := func(para, line int, lo, hi float32) {
		k := l.LineIndex(para, line)
		for _, b := range l.Boxes(para, k) {
			if w := min(b.X1, hi) - max(b.X0, lo); 2*w > b.X1-b.X0 {
				s, e = min(s, b.Start), max(e, b.End)
			}
		}
	}
	inf := float32(math.Inf(1))
	// toward returns the part of a line from x to its end (forward) or to
	// its start, in the reading order of paragraph para.
	toward := func(para int, x float32, forward bool) (float32, float32) {
		if (l.ParagraphLevel(para) == 1) == forward {
			return -inf, x
		}
		return x, inf
	}
	var forward bool
	switch {
	case line == p.line:
		cover(p.para, p.line, min(p.x, x), max(p.x, x))
		forward = hit.Caret >= v.pressCaret
		if x != p.x {
			forward = (x < p.x) == (l.ParagraphLevel(p.para) == 1)
		}
	default:
		forward = line > p.line
		lo, hi := toward(p.para, p.x, forward)
		cover(p.para, p.line, lo, hi)
		lo, hi = toward(hit.Para, x, !forward)
		cover(hit.Para, line, lo, hi)
	}
	if !v.charMode {
		s, e = l.SnapToWords(s, e)
	}
	if forward {
		v.anchor, v.focus = s, e
	} else {
		v.anchor, v.focus = e, s
	}
}

// MouseUp ends a click: a click on a span without dragging selects it.
func (v *ArticleView) MouseUp(ev *desktop.MouseEvent) {
	if v.barDrag {
		v.barDrag = false
		return
	}
	if v.dragged || len(v.tapSpans) == 0 {
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
	v.repaint()
	if v.OnSpanTapped != nil {
		v.OnSpanTapped(id)
	}
}

// Dragged extends the selection (or drags the scroll bar).
func (v *ArticleView) Dragged(ev *fyne.DragEvent) {
	v.dragged = true
	v.lastPress = time.Time{} // a drag is no click: the next press is not a double click
	if v.barDrag {
		v.dragBar(ev.Position.Y)
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
	before0, before1 := v.Selection()
	if v.pressAt != nil {
		v.selectPassedOver(x, hit)
	} else {
		v.extendTo(hit.Caret)
	}
	v.repaintSelection(before0, before1)
}

// DragEnd ends a drag.
func (v *ArticleView) DragEnd() {
	v.barDrag = false
}

// Scrolled scrolls the view.
func (v *ArticleView) Scrolled(ev *fyne.ScrollEvent) {
	v.view.ScrollBy(-ev.Scrolled.DY)
	v.repaint()
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

// FocusGained shows the caret.
func (v *ArticleView) FocusGained() {
	v.focused = true
	v.repaint()
}

// FocusLost hides the caret.
func (v *ArticleView) FocusLost() {
	v.focused, v.shift = false, false
	v.repaint()
}

// KeyDown tracks the Shift keys.
func (v *ArticleView) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.shift = true
	}
}

// KeyUp tracks the Shift keys.
func (v *ArticleView) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.shift = false
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
	shift := v.shift
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
		page := v.view.Height - v.layout.LineHeight()
		if ev.Name == fyne.KeyPageUp {
			page = -page
		}
		v.view.ScrollBy(page)
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
		v.anchor, v.focus = 0, v.layout.Len()
		n := v.focus
		v.repaint()
		if v.OnSelectionChanged != nil {
			v.OnSelectionChanged(0, n)
		}
		return
	case *fyne.ShortcutCopy:
		s, e := v.Selection()
		text := v.layout.Slice(s, e)
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
	l := v.layout
	before0, before1 := v.Selection()
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
			ln := l.Line(l.LineOf(edge))
			if key == fyne.KeyHome {
				edge = ln.Start
			} else {
				edge = ln.End
			}
		case byDoc:
			if key == fyne.KeyHome {
				edge = 0
			} else {
				edge = l.Len()
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
	v.repaintSelection(before0, before1)
}

// forward reports whether key moves forward in the text at offset off:
// Right in a left-to-right paragraph, Left in a right-to-left one, Down
// and End always.
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
