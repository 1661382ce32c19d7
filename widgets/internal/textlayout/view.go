package textlayout

// View is a window onto a Layout. Its top is anchored to a line (the
// paragraph and the offset where the line starts) and a distance below
// that line's top, so that what lies above being laid out, its estimated
// height becoming exact, does not move what is shown.
type View struct {
	L *Layout
	// Height is the viewport height.
	Height float32

	para int     // the top line's paragraph
	off  int     // the top line's start (a document offset)
	dy   float32 // how far below the top line's top the view starts
}

// anchor returns the top line's layout and index.
func (v *View) anchor() (*paraLayout, int) {
	v.para = min(max(v.para, 0), v.L.t.numParas()-1)
	p := v.L.t.para(v.para)
	pl, k := v.L.cover(v.para, v.off-p.Start)
	v.off = pl.lines[k].Start
	return pl, k
}

// Top returns the document y at the view's top.
func (v *View) Top() float32 {
	pl, k := v.anchor()
	return v.L.ParaTop(v.para) + pl.lines[k].Top + v.dy
}

// Offset returns the offset where the view's top line starts.
func (v *View) Offset() int {
	v.anchor()
	return v.off
}

// Visible returns a range of offsets that holds the text on screen: from
// the start of the view's top line to the end of its bottom line, or past
// it where the lines below are not laid out. It lays nothing out.
func (v *View) Visible() (start, end int) {
	l := v.L
	pl, k := v.anchor()
	i := v.para
	start, end = v.off, v.off
	y := -v.dy
	for ; k < len(pl.lines) && y < v.Height; k++ {
		end = pl.lines[k].End
		y += l.lineHeight
	}
	if y >= v.Height {
		return start, end
	}
	y += pl.below + l.paraGap
	end = l.t.para(i).Next
	for i++; i < l.t.numParas() && y < v.Height; i++ {
		y += l.heights.h[i]
		end = l.t.para(i).Next
	}
	return start, end
}

// Reset puts the view at the top of the document.
func (v *View) Reset() { v.para, v.off, v.dy = 0, 0, 0 }

// ScrollBy moves the view down by dy pixels (up when negative), laying
// out the lines it passes, and keeps it inside the document.
func (v *View) ScrollBy(dy float32) {
	l := v.L
	if dy > 3*v.Height+l.lineHeight || dy < -3*v.Height-l.lineHeight {
		// a long jump: go there without laying out what lies between
		v.ScrollTo(v.Top() + dy)
		return
	}
	v.dy += dy
	v.normalize()
	v.clampBottom()
}

// lineHeight returns the height of line k of pl in paragraph i: the last
// line of a paragraph holds the gap below it.
func (v *View) lineHeight(i int, pl *paraLayout, k int) float32 {
	if k == len(pl.lines)-1 && pl.lines[k].End == v.L.t.para(i).End {
		return v.L.lineHeight + v.L.paraGap
	}
	return v.L.lineHeight
}

// normalize moves the anchor to the line holding the view's top, so that
// 0 ≤ dy < that line's height (or dy = 0 at the document's top).
func (v *View) normalize() {
	l := v.L
	for {
		pl, k := v.anchor()
		p := l.t.para(v.para)
		switch h := v.lineHeight(v.para, pl, k); {
		case v.dy < 0:
			switch {
			case k > 0 || pl.lines[0].Start > p.Start:
				// the line above, laid out if needed
				v.off--
				_, k2 := v.anchor()
				pl = l.lays[v.para]
				v.dy += v.lineHeight(v.para, pl, k2)
			case v.para > 0:
				v.para--
				v.off = l.t.para(v.para).End
				pl, k2 := v.anchor()
				v.dy += v.lineHeight(v.para, pl, k2)
			default:
				v.dy = 0
				return
			}
		case v.dy >= h:
			switch {
			case k+1 < len(pl.lines) || pl.lines[k].End < p.End:
				v.off = pl.lines[k].End
			case v.para+1 < l.t.numParas():
				v.para++
				v.off = l.t.para(v.para).Start
			default:
				v.dy = min(v.dy, h)
				return
			}
			v.dy -= h
		default:
			return
		}
	}
}

// clampBottom scrolls back when the view shows space below the end.
func (v *View) clampBottom() {
	l := v.L
	pl, k := v.anchor()
	// Lay out what lies between the view's top and the document's end
	// when the estimate puts that end on screen or near it.
	below := l.Height() - (l.ParaTop(v.para) + pl.lines[k].Top)
	if below > v.dy+3*v.Height {
		return
	}
	for i := v.para; i < l.t.numParas(); i++ {
		if i > v.para {
			l.cover(i, 0)
		}
		p := l.t.para(i)
		l.coverDown(i, p.End-p.Start)
	}
	pl, k = v.anchor()
	below = l.Height() - (l.ParaTop(v.para) + pl.lines[k].Top)
	if deficit := v.dy + v.Height - below; deficit > 0 {
		v.dy -= deficit
		v.normalize()
	}
}

// ScrollTo puts document y at the view's top (as the scroll bar does).
func (v *View) ScrollTo(y float32) {
	l := v.L
	y = min(max(y, 0), l.Height())
	i := l.ParaAt(y)
	pl, k := l.lineAtY(i, y-l.ParaTop(i))
	v.para, v.off = i, pl.lines[k].Start
	v.dy = min(max(0, y-(l.ParaTop(i)+pl.lines[k].Top)), v.lineHeight(i, pl, k))
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
	rel := off - l.t.para(i).Start
	if i == v.para && l.isFar(i, rel) {
		v.off, v.dy = off, 0
		v.ScrollBy(-v.Height / 3)
		return
	}
	pl, k := l.cover(i, rel)
	lineTop := l.ParaTop(i) + pl.lines[k].Top
	lineBottom := lineTop + l.lineHeight
	top := v.Top()
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
	v.para, v.off, v.dy = i, pl.lines[k].Start, 0
	v.ScrollBy(-v.Height / 3)
}
