package textlayout

import "sort"

// Boxes returns the grapheme boxes of line k of paragraph i in visual
// order, left to right. A glyph cluster holding several graphemes (the
// lam-alef ligature holds two letters) is divided evenly between them.
func (l *Layout) Boxes(i, k int) []Box {
	lines := l.Lines(i)
	ln := &lines[k]
	if ln.boxes != nil || ln.Start == ln.End {
		return ln.boxes
	}
	sp := l.ps[i].shaped
	base := l.paras[i].Start
	boxes := make([]Box, 0, ln.End-ln.Start)
	for _, run := range ln.Runs {
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
				if r == cs || sp.grapheme[r] {
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

// LineAt returns the paragraph and line under document y (clamped).
func (l *Layout) LineAt(y float32) (para, line int) {
	para = l.ParaAt(y)
	lines := l.Lines(para)
	top := l.ParaTop(para)
	k := int((y - top) / l.lineHeight)
	return para, max(0, min(k, len(lines)-1))
}

// HitTest maps a point in document coordinates to text.
func (l *Layout) HitTest(x, y float32) Hit {
	i, k := l.LineAt(y)
	h := Hit{Para: i, Line: k}
	ln := l.Lines(i)[k]
	boxes := l.Boxes(i, k)
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
// wrap or a direction change gives several. Only paragraphs between
// paraFrom and paraTo (inclusive) are looked at.
func (l *Layout) Rects(start, end int) []Rect {
	if start >= end {
		return nil
	}
	var out []Rect
	for i := l.ParaOf(start); i < len(l.paras) && l.paras[i].Start < end; i++ {
		out = l.paraRects(out, i, start, end)
	}
	return out
}

func (l *Layout) paraRects(out []Rect, i, start, end int) []Rect {
	top := l.ParaTop(i)
	lines := l.Lines(i)
	for k := range lines {
		ln := &lines[k]
		if ln.End <= start || ln.Start >= end {
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

// CaretPos returns the position of a caret at offset off: its x, the top
// of its line, and whether it was found.
func (l *Layout) CaretPos(off int) (x, y float32) {
	i := l.ParaOf(off)
	lines := l.Lines(i)
	top := l.ParaTop(i)
	k := sort.Search(len(lines), func(k int) bool { return lines[k].End > off })
	k = min(k, len(lines)-1)
	ln := lines[k]
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
	if l.ParagraphLevel(i) == 1 {
		return ln.X + ln.Width, top + ln.Top
	}
	return ln.X, top + ln.Top
}

// WordAt returns the word (Unicode word segmentation) holding offset off,
// or ok false when off is not inside a word.
func (l *Layout) WordAt(off int) (start, end int, ok bool) {
	i := l.ParaOf(off)
	l.Lines(i)
	base := l.paras[i].Start
	words := l.ps[i].shaped.words
	rel := off - base
	j := sort.Search(len(words), func(j int) bool { return words[j][1] > rel })
	if j < len(words) && words[j][0] <= rel {
		return base + words[j][0], base + words[j][1], true
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
	if off >= len(l.text) {
		return len(l.text)
	}
	i := l.ParaOf(off)
	p := l.paras[i]
	if off >= p.End {
		return p.Next
	}
	l.Lines(i)
	g := l.ps[i].shaped.grapheme
	for r := off - p.Start + 1; r <= p.End-p.Start; r++ {
		if g[r] {
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
	p := l.paras[i]
	if off <= p.Start {
		return l.paras[i-1].End
	}
	if off > p.End {
		return p.End
	}
	l.Lines(i)
	g := l.ps[i].shaped.grapheme
	for r := off - p.Start - 1; r >= 0; r-- {
		if g[r] {
			return p.Start + r
		}
	}
	return p.Start
}

// NextWordEdge returns the next word end after off (crossing paragraphs),
// PrevWordEdge the previous word start before off.
func (l *Layout) NextWordEdge(off int) int {
	for i := l.ParaOf(off); i < len(l.paras); i++ {
		l.Lines(i)
		base := l.paras[i].Start
		for _, w := range l.ps[i].shaped.words {
			if base+w[1] > off {
				return base + w[1]
			}
		}
	}
	return len(l.text)
}

// PrevWordEdge returns the previous word start before off.
func (l *Layout) PrevWordEdge(off int) int {
	for i := l.ParaOf(off); i >= 0; i-- {
		l.Lines(i)
		base := l.paras[i].Start
		words := l.ps[i].shaped.words
		for j := len(words) - 1; j >= 0; j-- {
			if base+words[j][0] < off {
				return base + words[j][0]
			}
		}
	}
	return 0
}

// LineIndex returns the index in Lines(i) of the line of paragraph i that
// starts at offset start, or of the line holding start.
func (l *Layout) LineIndex(i, start int) int {
	lines := l.Lines(i)
	k := sort.Search(len(lines), func(k int) bool { return lines[k].End > start })
	return min(k, len(lines)-1)
}
