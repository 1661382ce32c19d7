package textlayout

import (
	"math"
	"sort"

	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
)

// Lines are broken greedily, as go-text's LineWrapper breaks them with
// its WhenNecessary policy: a line takes every UAX #14 break opportunity
// that still fits (its width without the trailing white space of a run in
// the paragraph's direction, rounded up to a whole pixel) and breaks at
// the last one; a word longer than the line is broken at the last
// grapheme boundary that fits, or after its first grapheme. Breaks inside
// a glyph cluster are skipped. The wrapper here adds up the advances of
// the pieces' clusters instead of cutting runs, so that it can start at
// any line start and run from one piece into the next.
//
// A long paragraph's lines are laid out where they are needed, next to
// those laid out before, and stay as they are until the width changes (or
// a jump far from them lays the paragraph out anew there). Lines laid out
// from the paragraph's start onwards are exactly those of the whole
// paragraph.
// Greedy breaks depend on every line before them, and lines started
// elsewhere keep their offset from those (they do not meet them again),
// so after a jump far into the paragraph lines start afresh at a piece's
// cut before the place wanted: below it they are laid out forwards,
// greedily, and above it backwards, each line as long as fits before the
// line below, so that no line is cut short where the two meet. Such a
// paragraph's first line may then be short.

// maxWidth returns the wrap width in whole pixels.
func (l *Layout) maxWidth() int { return max(1, int(math.Floor(float64(l.width)))) }

// lineEnd returns the end of the line starting at ls (paragraph
// relative), and its width.
func (l *Layout) lineEnd(i int, pl *paraLayout, ls int) (int, fixed.Int26_6) {
	return l.fitEnd(i, pl, ls, pl.cuts[len(pl.cuts)-1], true)
}

// fitEnd returns the end, before end, of the line starting at ls, and its
// width: the last place that fits where the line may end (at a cluster's
// end, after a break opportunity when word, else after a grapheme). A
// word that does not fit whole is broken between graphemes, and a
// grapheme that does not fit alone stands alone.
func (l *Layout) fitEnd(i int, pl *paraLayout, ls, end int, word bool) (int, fixed.Int26_6) {
	maxW := l.maxWidth()
	var w fixed.Int26_6
	best, bestW := -1, fixed.Int26_6(0)
	k := pl.pieceOf(ls)
	pc := l.piece(i, pl, k)
	for r := ls; r < end; r++ {
		if r >= pc.end {
			k++
			pc = l.piece(i, pl, k)
		}
		j := r - pc.start
		w += pc.adv[j]
		var may bool
		if word {
			may = pc.flags[j]&fBreak != 0
		} else {
			may = pc.isGraphemeEnd(j)
		}
		if !may || !pc.isClusterEnd(j) {
			continue
		}
		if (w - pc.trim[j]).Ceil() <= maxW {
			best, bestW = r, w
			continue
		}
		switch {
		case best >= 0:
			return best + 1, bestW
		case word:
			return l.fitEnd(i, pl, ls, r+1, false)
		}
		return r + 1, w // one grapheme, though it does not fit
	}
	if word || best < 0 {
		return end, w
	}
	return best + 1, bestW
}

// wrap appends to dst the lines from ls on, until one ends after until
// or the paragraph ends.
func (l *Layout) wrap(dst []Line, i int, pl *paraLayout, ls, until int) []Line {
	p := l.t.para(i)
	n := p.End - p.Start
	l.Stats.Wrapped++
	if n == 0 {
		return append(dst, Line{Start: p.Start, End: p.Start})
	}
	for ls < n {
		e, w := l.lineEnd(i, pl, ls)
		dst = append(dst, Line{Start: p.Start + ls, End: p.Start + e})
		l.sumAdvance += float64(fx(w))
		l.sumRunes += e - ls
		ls = e
		if e > until {
			break
		}
	}
	return dst
}

// layOut returns paragraph i's layout, starting it if needed; a
// paragraph of one piece gets all its lines, placed.
func (l *Layout) layOut(i int) *paraLayout {
	pl := l.lays[i]
	if pl == nil {
		pl = l.newParaLayout(i)
		l.lays[i] = pl
	}
	if len(pl.lines) == 0 && len(pl.pieces) == 1 {
		pl.lines = l.wrap(pl.lines, i, pl, 0, math.MaxInt)
		for k := range pl.lines {
			l.place(i, pl, k)
		}
		l.settle(i, pl)
	}
	return pl
}

// far is how many code points away from the lines known a long
// paragraph is laid out anew rather than extended.
func (l *Layout) far() int { return 16 * l.pieceRunes }

// cover makes sure the line holding paragraph-relative offset rel is laid
// out and returns its index (the last line for the paragraph's end).
func (l *Layout) cover(i, rel int) (*paraLayout, int) {
	pl := l.layOut(i)
	p := l.t.para(i)
	n := p.End - p.Start
	rel = min(max(rel, 0), n)
	switch {
	case len(pl.lines) == 0:
		if rel <= l.far() {
			pl.lines = l.wrap(pl.lines, i, pl, 0, rel)
		} else {
			l.jump(i, pl, rel)
		}
		l.settle(i, pl)
	case rel < pl.lines[0].Start-p.Start:
		if pl.lines[0].Start-p.Start-rel > l.far() {
			l.jump(i, pl, rel)
		} else {
			for rel < pl.lines[0].Start-p.Start {
				l.extendUp(i, pl)
			}
		}
		l.settle(i, pl)
	case rel >= pl.lines[len(pl.lines)-1].End-p.Start && pl.lines[len(pl.lines)-1].End < p.End:
		last := pl.lines[len(pl.lines)-1].End - p.Start
		if rel-last > l.far() {
			l.jump(i, pl, rel)
		} else {
			pl.lines = l.wrap(pl.lines, i, pl, last, rel)
		}
		l.settle(i, pl)
	}
	return pl, lineIndex(pl.lines, p.Start+rel)
}

// coverDown is cover for an offset after the lines known: it lays out
// every line up to it, however far.
func (l *Layout) coverDown(i, rel int) (*paraLayout, int) {
	pl := l.layOut(i)
	if len(pl.lines) == 0 {
		return l.cover(i, rel)
	}
	p := l.t.para(i)
	if last := pl.lines[len(pl.lines)-1].End - p.Start; rel >= last && last < p.End-p.Start {
		pl.lines = l.wrap(pl.lines, i, pl, last, rel)
		l.settle(i, pl)
	}
	return pl, lineIndex(pl.lines, p.Start+rel)
}

// walk calls fn with the lines from line k of paragraph i on, laying
// them out as it goes, and each line's document top, until fn returns
// false or the document ends.
func (l *Layout) walk(i, k int, fn func(i int, pl *paraLayout, k int, y float32) bool) {
	pl := l.lays[i]
	for {
		p := l.t.para(i)
		if !fn(i, pl, k, l.ParaTop(i)+pl.lines[k].Top) {
			return
		}
		switch {
		case k+1 < len(pl.lines):
			k++
		case pl.lines[k].End < p.End:
			pl, k = l.coverDown(i, pl.lines[k].End-p.Start)
		case i+1 < l.t.numParas():
			i++
			pl, k = l.cover(i, 0)
		default:
			return
		}
	}
}

// isFar reports whether laying out paragraph-relative offset rel of
// paragraph i would lay the paragraph out anew.
func (l *Layout) isFar(i, rel int) bool {
	pl := l.lays[i]
	if pl == nil || len(pl.lines) == 0 {
		return rel > l.far()
	}
	p := l.t.para(i)
	return pl.lines[0].Start-p.Start-rel > l.far() || rel-(pl.lines[len(pl.lines)-1].End-p.Start) > l.far()
}

// lineIndex returns the index of the line holding offset off: the line
// that starts there at a line break, the last line past the end.
func lineIndex(lines []Line, off int) int {
	k := sort.Search(len(lines), func(k int) bool { return lines[k].End > off })
	return min(k, len(lines)-1)
}

// jump lays out a long paragraph's lines anew around rel, from a cut a
// little before it.
func (l *Layout) jump(i int, pl *paraLayout, rel int) {
	l.gen++
	start := pl.cutBefore(rel - 4*l.pieceRunes)
	pl.lines = l.wrap(pl.lines[:0], i, pl, start, rel)
}

// extendUp lays out lines before the first line known, backwards, back
// to about a piece before it.
func (l *Layout) extendUp(i int, pl *paraLayout) {
	p := l.t.para(i)
	e := pl.lines[0].Start - p.Start
	stop := pl.cutBefore(e - l.pieceRunes)
	var fresh []Line
	for e > stop {
		s, w := l.lineStart(i, pl, e)
		fresh = append(fresh, Line{Start: p.Start + s, End: p.Start + e})
		l.sumAdvance += float64(fx(w))
		l.sumRunes += e - s
		e = s
	}
	for a, b := 0, len(fresh)-1; a < b; a, b = a+1, b-1 {
		fresh[a], fresh[b] = fresh[b], fresh[a]
	}
	pl.lines = append(fresh, pl.lines...)
}

// lineStart returns the start of the line that ends at e (paragraph
// relative, a line break), as long as fits: lineEnd backwards.
func (l *Layout) lineStart(i int, pl *paraLayout, e int) (int, fixed.Int26_6) {
	return l.fitStart(i, pl, 0, e, true)
}

// fitStart returns the start, at or after start, of the line that ends at
// e, and its width: the first place that fits where the line may start
// (see piece.canStart). A word that does not fit whole is broken between
// graphemes, and a grapheme that does not fit alone stands alone.
func (l *Layout) fitStart(i int, pl *paraLayout, start, e int, word bool) (int, fixed.Int26_6) {
	maxW := l.maxWidth()
	k := pl.pieceOf(e - 1)
	pc := l.piece(i, pl, k)
	w := -pc.trim[e-1-pc.start]
	best, bestW := -1, fixed.Int26_6(0)
	for r := e - 1; r >= start; r-- {
		if r < pc.start {
			k--
			pc = l.piece(i, pl, k)
		}
		j := r - pc.start
		w += pc.adv[j]
		if r > 0 && !pc.canStart(j, word) {
			continue
		}
		if w.Ceil() <= maxW {
			best, bestW = r, w
			continue
		}
		switch {
		case best >= 0:
			return best, bestW
		case word:
			return l.fitStart(i, pl, r, e, false)
		}
		return r, w // one grapheme, though it does not fit
	}
	return max(best, start), bestW
}

// settle updates the estimates around paragraph i's lines, their tops and
// the paragraph's height.
func (l *Layout) settle(i int, pl *paraLayout) {
	p := l.t.para(i)
	first, last := pl.lines[0].Start, pl.lines[len(pl.lines)-1].End
	pl.above = l.estimateLines(first-p.Start) * l.lineHeight
	pl.below = l.estimateLines(p.End-last) * l.lineHeight
	for k := range pl.lines {
		pl.lines[k].Top = pl.above + float32(k)*l.lineHeight
	}
	h := pl.above + float32(len(pl.lines))*l.lineHeight + pl.below + l.paraGap
	l.heights.set(i, h)
}

// lineAtY returns the index of the line of paragraph i at paragraph-
// relative y. In a part of a long paragraph not laid out it lays out
// lines where the estimate puts y.
func (l *Layout) lineAtY(i int, y float32) (*paraLayout, int) {
	pl := l.layOut(i)
	p := l.t.para(i)
	if len(pl.lines) == 0 {
		h := l.heights.h[i] - l.paraGap
		return l.cover(i, int(float32(p.End-p.Start)*min(max(y, 0)/h, 1)))
	}
	first, last := pl.lines[0].Start-p.Start, pl.lines[len(pl.lines)-1].End-p.Start
	bottom := pl.above + float32(len(pl.lines))*l.lineHeight
	switch {
	case y < pl.above && first > 0:
		return l.cover(i, int(float32(first)*max(y, 0)/pl.above))
	case y >= bottom && last < p.End-p.Start && pl.below > 0:
		return l.cover(i, last+int(float32(p.End-p.Start-last)*min((y-bottom)/pl.below, 1)))
	}
	k := int((y - pl.above) / l.lineHeight)
	return pl, min(max(k, 0), len(pl.lines)-1)
}

// place sets line k's runs, in visual order, and its position.
func (l *Layout) place(i int, pl *paraLayout, k int) *Line {
	ln := &pl.lines[k]
	p := l.t.para(i)
	a, b := ln.Start-p.Start, ln.End-p.Start
	if ln.placed {
		for pk := pl.pieceOf(a); pk < len(pl.pieces) && pl.cuts[pk] < max(b, a+1); pk++ {
			if pc := pl.pieces[pk]; pc != nil {
				pc.used = l.clock
			}
		}
		return ln
	}
	logical := l.logical[:0]
	for pk := pl.pieceOf(a); pk < len(pl.pieces) && pl.cuts[pk] < b; pk++ {
		pc := l.piece(i, pl, pk)
		for ri, out := range pc.runs {
			ro := out.Runes
			lo, hi := max(a, ro.Offset), min(b, ro.Offset+ro.Count)
			if lo >= hi {
				continue
			}
			if lo > ro.Offset || hi < ro.Offset+ro.Count {
				out = cutOutput(out, lo, hi)
			}
			logical = append(logical, logicalRun{out, pc.runLevel[ri]})
		}
	}
	if b < p.End-p.Start {
		logical = l.trailingToParaLevel(i, pl, logical, a, b)
	}
	l.logical = logical
	top := ln.Top
	*ln = l.placeLine(p, pl.level, logical, a, b)
	ln.Top = top
	return ln
}

type logicalRun struct {
	out   shaping.Output
	level uint8
}

// classAt returns the Bidi_Class of paragraph-relative offset rel.
func (l *Layout) classAt(i int, pl *paraLayout, rel int) bidi.Class {
	k := pl.pieceOf(rel)
	pc := l.piece(i, pl, k)
	return pc.classes[rel-pc.start]
}

// trailingToParaLevel applies L1 to white space at the end of a wrapped
// line: it goes back to the paragraph level, which may split a run.
func (l *Layout) trailingToParaLevel(i int, pl *paraLayout, runs []logicalRun, start, end int) []logicalRun {
	cut := end
	for k := end - 1; k >= start && isTrailingClass(l.classAt(i, pl, k)); k-- {
		cut = k
	}
	if cut == end {
		return runs
	}
	var out []logicalRun
	for _, r := range runs {
		ro := r.out.Runes
		if ro.Offset+ro.Count <= cut || r.level == pl.level {
			out = append(out, r)
			continue
		}
		if ro.Offset < cut {
			out = append(out, logicalRun{cutOutput(r.out, ro.Offset, cut), r.level})
			out = append(out, logicalRun{cutOutput(r.out, cut, ro.Offset+ro.Count), pl.level})
		} else {
			out = append(out, logicalRun{r.out, pl.level})
		}
	}
	return out
}

// cutOutput returns the part of out that holds the clusters starting in
// [lo, hi) (paragraph-relative offsets).
func cutOutput(out shaping.Output, lo, hi int) shaping.Output {
	gs := out.Glyphs
	var a, b int
	if len(gs) > 0 && gs[0].ClusterIndex > gs[len(gs)-1].ClusterIndex { // right to left
		a = sort.Search(len(gs), func(k int) bool { return gs[k].ClusterIndex < hi })
		b = sort.Search(len(gs), func(k int) bool { return gs[k].ClusterIndex < lo })
	} else {
		a = sort.Search(len(gs), func(k int) bool { return gs[k].ClusterIndex >= lo })
		b = sort.Search(len(gs), func(k int) bool { return gs[k].ClusterIndex >= hi })
	}
	if a >= b {
		out.Glyphs = nil
	} else {
		out.Glyphs = gs[a:b:b]
	}
	out.Runes = shaping.Range{Offset: lo, Count: hi - lo}
	out.RecomputeAdvance()
	return out
}

// placeLine orders a line's runs (L2) and places them: right-aligned in
// a right-to-left paragraph.
func (l *Layout) placeLine(p Para, level uint8, logical []logicalRun, start, end int) Line {
	ln := Line{Start: p.Start + start, End: p.Start + end, placed: true}
	if len(logical) == 0 {
		if level == 1 {
			ln.X = l.width
		}
		return ln
	}
	levels := l.levelsBuf[:0]
	for _, r := range logical {
		levels = append(levels, r.level)
	}
	l.levelsBuf = levels
	order := bidi.Reorder(levels, l.orderBuf)
	l.orderBuf = order
	ln.Runs = make([]Run, len(logical))
	x := float32(0)
	for v, k := range order {
		r := logical[k]
		r.out.VisualIndex = int32(v)
		ln.Runs[v] = Run{Out: r.out, Level: r.level, X: x}
		x += fx(r.out.Advance)
	}
	ln.Width = x
	if level == 1 {
		ln.X = l.width - x
	}
	for k := range ln.Runs {
		ln.Runs[k].X += ln.X
	}
	return ln
}

func isTrailingClass(c bidi.Class) bool {
	switch c {
	case bidi.WS, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI, bidi.BN, bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.S:
		return true
	}
	return false
}
