package textlayout

import "sort"

// Boxes returns the grapheme boxes of line k of paragraph i in visual
// order, left to right. A glyph cluster holding several graphemes (the
// lam-alef ligature holds two letters) is divided evenly between them.
func (l *Layout) Boxes(i, k int) []Box { return l.boxes(i, l.layOut(i), k) }

func (l *Layout) boxes(i int, pl *paraLayout, k int) []Box {
	ln := l.place(i, pl, k)
	if ln.boxes != nil || ln.Start == ln.End {
		return ln.boxes
	}
	base := l.t.para(i).Start
	boxes := make([]Box, 0, ln.End-ln.Start)
	for _, run := range ln.Runs {
		pc := l.piece(i, pl, pl.pieceOf(run.Out.Runes.Offset))
		rtl := run.Level%2 == 1
		x := run.X
		gs := run.Out.Glyphs
		for a := 0; a < len(gs); {
			ci := gs[a].ClusterIndex
			b := a
			var adv float32
			for b < len(gs) && gs[b].ClusterIndex == ci {
				adv += fx(gs[b].XAdvance)
				b++
			}
			cs, ce := ci, ci+max(1, gs[a].RuneCount)
			// graphemes of the cluster
			var starts [8]int
			g := starts[:0]
			for r := cs; r < ce; r++ {
				if r == cs || pc.flags[r-pc.start]&fGrapheme != 0 {
					g = append(g, r)
				}
			}
			w := adv / float32(len(g))
			for q := range g {
				gEnd := ce
				if q+1 < len(g) {
					gEnd = g[q+1]
				}
				pos := q
				if rtl {
					pos = len(g) - 1 - q
				}
				boxes = append(boxes, Box{X0: x + w*float32(pos), X1: x + w*float32(pos+1), Start: base + g[q], End: base + gEnd, RTL: rtl})
			}
			if rtl && len(g) > 1 {
				// keep boxes in visual order
				seg := boxes[len(boxes)-len(g):]
				for p, q := 0, len(seg)-1; p < q; p, q = p+1, q-1 {
					seg[p], seg[q] = seg[q], seg[p]
				}
			}
			x += adv
			a = b
		}
	}
	// Keep boxes ordered and non-overlapping where a cluster has a
	// negative advance (a mark kerned back over its neighbour).
	for k := 1; k < len(boxes); k++ {
		if boxes[k].X0 < boxes[k-1].X1 {
			boxes[k].X0 = boxes[k-1].X1
		}
		if boxes[k].X1 < boxes[k].X0 {
			boxes[k].X1 = boxes[k].X0
		}
	}
	ln.boxes = boxes
	return boxes
}

// Hit describes what lies under a point.
type Hit struct {
	Para, Line int
	// Caret is the caret offset nearest the point.
	Caret int
	// Box is the grapheme under the point; InBox is false when the point
	// is beside the line's text.
	Box   Box
	InBox bool
}

// LineOf returns the paragraph and line holding offset off: the line
// that starts there at a line break.
func (l *Layout) LineOf(off int) (para, line int) {
	para = l.ParaOf(off)
	_, line = l.cover(para, off-l.t.para(para).Start)
	return para, line
}

// LineIndex returns the index in Lines(i) of the line of paragraph i that
// starts at offset start, or of the line holding start.
func (l *Layout) LineIndex(i, start int) int {
	_, k := l.cover(i, start-l.t.para(i).Start)
	return k
}

// HitTest maps a point in document coordinates to text.
func (l *Layout) HitTest(x, y float32) Hit {
	i := l.ParaAt(y)
	pl, k := l.lineAtY(i, y-l.ParaTop(i))
	h := Hit{Para: i, Line: k}
	ln := &pl.lines[k]
	boxes := l.boxes(i, pl, k)
	if len(boxes) == 0 {
		h.Caret = ln.Start
		return h
	}
	// first box whose right edge is past x
	j := sort.Search(len(boxes), func(j int) bool { return boxes[j].X1 > x })
	switch {
	case j == len(boxes):
		b := boxes[len(boxes)-1]
		h.Box = b
		h.Caret = b.End
		if b.RTL {
			h.Caret = b.Start
		}
	case x < boxes[j].X0:
		b := boxes[j]
		h.Box = b
		h.Caret = b.Start
		if b.RTL {
			h.Caret = b.End
		}
	default:
		b := boxes[j]
		h.Box, h.InBox = b, true
		left := x < (b.X0+b.X1)/2
		if left != b.RTL {
			h.Caret = b.Start
		} else {
			h.Caret = b.End
		}
	}
	return h
}

// Rect is an axis-aligned rectangle in document coordinates.
type Rect struct{ X0, Y0, X1, Y1 float32 }

// Rects returns the rectangles covering the text [start, end): one per
// stretch of adjacent graphemes on each line, so a range across a line
// wrap or a direction change gives several.
func (l *Layout) Rects(start, end int) []Rect {
	if start >= end {
		return nil
	}
	var out []Rect
	for i := l.ParaOf(start); i < l.t.numParas() && l.t.para(i).Start < end; i++ {
		out = l.paraRects(out, i, start, end)
	}
	return out
}

func (l *Layout) paraRects(out []Rect, i, start, end int) []Rect {
	p := l.t.para(i)
	pl, k := l.cover(i, start-p.Start)
	top := l.ParaTop(i)
	for ; ; k++ {
		if k == len(pl.lines) {
			if pl.lines[k-1].End >= p.End {
				break
			}
			pl, _ = l.coverDown(i, pl.lines[k-1].End-p.Start)
		}
		ln := &pl.lines[k]
		if ln.Start >= end {
			break
		}
		if ln.End <= start {
			continue
		}
		y0 := top + ln.Top
		y1 := y0 + l.lineHeight
		open := false
		for _, b := range l.Boxes(i, k) {
			if b.End <= start || b.Start >= end || b.X1 <= b.X0 {
				open = false
				continue
			}
			if open && len(out) > 0 && b.X0-out[len(out)-1].X1 < 0.01 {
				out[len(out)-1].X1 = b.X1
				continue
			}
			out = append(out, Rect{b.X0, y0, b.X1, y1})
			open = true
		}
	}
	return out
}

// CaretPos returns the position of a caret at offset off: its x and the
// top of its line.
func (l *Layout) CaretPos(off int) (x, y float32) {
	i := l.ParaOf(off)
	pl, k := l.cover(i, off-l.t.para(i).Start)
	top := l.ParaTop(i)
	ln := l.place(i, pl, k)
	for _, b := range l.Boxes(i, k) {
		if b.Start == off {
			if b.RTL {
				return b.X1, top + ln.Top
			}
			return b.X0, top + ln.Top
		}
	}
	for _, b := range l.Boxes(i, k) {
		if b.End == off {
			if b.RTL {
				return b.X0, top + ln.Top
			}
			return b.X1, top + ln.Top
		}
	}
	if pl.level == 1 {
		return ln.X + ln.Width, top + ln.Top
	}
	return ln.X, top + ln.Top
}

// pieceAt returns the piece of paragraph i holding paragraph-relative
// offset rel, shaped.
func (l *Layout) pieceAt(i, rel int) *piece {
	pl := l.layOut(i)
	return l.piece(i, pl, pl.pieceOf(rel))
}

// WordAt returns the word (Unicode word segmentation) holding offset off,
// or ok false when off is not inside a word.
func (l *Layout) WordAt(off int) (start, end int, ok bool) {
	i := l.ParaOf(off)
	p := l.t.para(i)
	rel := min(max(off-p.Start, 0), p.End-p.Start)
	words := l.pieceAt(i, rel).words
	j := sort.Search(len(words), func(j int) bool { return words[j][1] > rel })
	if j < len(words) && words[j][0] <= rel {
		return p.Start + words[j][0], p.Start + words[j][1], true
	}
	return off, off, false
}

// SnapToWords widens [start, end) to whole words: a start or end inside a
// word moves to that word's edge.
func (l *Layout) SnapToWords(start, end int) (int, int) {
	if s, _, ok := l.WordAt(start); ok {
		start = s
	}
	if end > 0 {
		if _, e, ok := l.WordAt(end - 1); ok && end > start {
			end = max(end, e)
		}
	}
	return start, end
}

// NextGrapheme returns the grapheme boundary after off (or the next
// paragraph's start from a paragraph end), PrevGrapheme the one before.
func (l *Layout) NextGrapheme(off int) int {
	if off >= l.t.n {
		return l.t.n
	}
	i := l.ParaOf(off)
	p := l.t.para(i)
	if off >= p.End {
		return p.Next
	}
	for r := off - p.Start + 1; r < p.End-p.Start; r++ {
		pc := l.pieceAt(i, r)
		if pc.flags[r-pc.start]&fGrapheme != 0 {
			return p.Start + r
		}
	}
	return p.End
}

// PrevGrapheme returns the grapheme boundary before off.
func (l *Layout) PrevGrapheme(off int) int {
	if off <= 0 {
		return 0
	}
	i := l.ParaOf(off)
	p := l.t.para(i)
	if off <= p.Start {
		return l.t.para(i - 1).End
	}
	if off > p.End {
		return p.End
	}
	for r := off - p.Start - 1; r > 0; r-- {
		pc := l.pieceAt(i, r)
		if pc.flags[r-pc.start]&fGrapheme != 0 {
			return p.Start + r
		}
	}
	return p.Start
}

// NextWordEdge returns the next word end after off (crossing paragraphs),
// PrevWordEdge the previous word start before off.
func (l *Layout) NextWordEdge(off int) int {
	for i := l.ParaOf(off); i < l.t.numParas(); i++ {
		p := l.t.para(i)
		pl := l.layOut(i)
		for k := pl.pieceOf(max(off-p.Start, 0)); k < len(pl.pieces); k++ {
			for _, w := range l.piece(i, pl, k).words {
				if p.Start+w[1] > off {
					return p.Start + w[1]
				}
			}
		}
	}
	return l.t.n
}

// PrevWordEdge returns the previous word start before off.
func (l *Layout) PrevWordEdge(off int) int {
	for i := l.ParaOf(off); i >= 0; i-- {
		p := l.t.para(i)
		pl := l.layOut(i)
		for k := pl.pieceOf(min(off-p.Start, p.End-p.Start)); k >= 0; k-- {
			words := l.piece(i, pl, k).words
			for j := len(words) - 1; j >= 0; j-- {
				if p.Start+words[j][0] < off {
					return p.Start + words[j][0]
				}
			}
		}
	}
	return 0
}
