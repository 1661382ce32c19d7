package textlayout

// View is a window onto a Layout: its top is anchored to a paragraph, so
// that paragraphs above it being laid out (and their estimated heights
// becoming exact) do not move what is shown.
type View struct {
	L *Layout
	// Para and Off anchor the view's top: Off pixels below paragraph
	// Para's top.
	Para int
	Off  float32
	// Height is the viewport height.
	Height float32
}

// Top returns the document y at the view's top.
func (v *View) Top() float32 { return v.L.ParaTop(v.Para) + v.Off }

// Reset puts the view at the top of the document.
func (v *View) Reset() { v.Para, v.Off = 0, 0 }

// ScrollBy moves the view down by dy pixels (up when negative), laying
// out the paragraphs it passes, and keeps it inside the document.
func (v *View) ScrollBy(dy float32) {
	l := v.L
	if dy > 3*v.Height+l.lineHeight || dy < -3*v.Height-l.lineHeight {
		// a long jump: go there without laying out what lies between
		v.ScrollTo(v.Top() + dy)
		return
	}
	n := len(l.paras)
	v.Para = min(max(v.Para, 0), n-1)
	l.Lines(v.Para)
	v.Off += dy
	for v.Off < 0 && v.Para > 0 {
		v.Para--
		l.Lines(v.Para)
		v.Off += l.ps[v.Para].height
	}
	if v.Off < 0 {
		v.Off = 0
	}
	for v.Para < n-1 && v.Off >= l.ps[v.Para].height {
		v.Off -= l.ps[v.Para].height
		v.Para++
		l.Lines(v.Para)
	}
	v.clampBottom()
}

// clampBottom scrolls back when the view shows space below the end.
func (v *View) clampBottom() {
	l := v.L
	need := v.Off + v.Height
	have := float32(0)
	for i := v.Para; i < len(l.paras); i++ {
		l.Lines(i)
		have += l.ps[i].height
		if have >= need {
			return
		}
	}
	deficit := need - have
	if v.Para == 0 && v.Off <= 0 {
		return
	}
	v.Off -= deficit
	for v.Off < 0 && v.Para > 0 {
		v.Para--
		l.Lines(v.Para)
		v.Off += l.ps[v.Para].height
	}
	if v.Off < 0 {
		v.Off = 0
	}
}

// ScrollTo puts document y at the view's top (as the scroll bar does).
func (v *View) ScrollTo(y float32) {
	l := v.L
	y = min(max(y, 0), l.Height())
	i := l.ParaAt(y)
	v.Para = i
	l.Lines(i)
	v.Off = min(max(0, y-l.ParaTop(i)), l.ps[i].height)
	v.ScrollBy(0)
}

// MaxTop returns the largest view top, from the current (partly
// estimated) document height.
func (v *View) MaxTop() float32 { return max(0, v.L.Height()-v.Height) }

// Reveal scrolls as little as needed to show the line holding offset off;
// a line far away is brought to a third of the view's height.
func (v *View) Reveal(off int) {
	l := v.L
	i := l.ParaOf(off)
	_, ly := l.CaretPos(off)
	rel := ly - l.ParaTop(i) // line top within its paragraph
	top := v.Top()
	lineTop, lineBottom := l.ParaTop(i)+rel, l.ParaTop(i)+rel+l.lineHeight
	if lineTop >= top && lineBottom <= top+v.Height {
		return
	}
	if lineTop < top && lineTop >= top-v.Height || lineBottom > top+v.Height && lineBottom <= top+2*v.Height {
		if lineTop < top {
			v.ScrollBy(lineTop - top)
		} else {
			v.ScrollBy(lineBottom - top - v.Height)
		}
		return
	}
	v.Para, v.Off = i, rel
	v.ScrollBy(-v.Height / 3)
}
