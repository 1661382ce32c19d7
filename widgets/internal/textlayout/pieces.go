package textlayout

import (
	"sort"
	"unicode/utf8"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"github.com/go-text/typesetting/unicodedata"
	"golang.org/x/image/math/fixed"
	xbidi "golang.org/x/text/unicode/bidi"

	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
)

const (
	// defaultPieceRunes is the length a long paragraph's pieces are cut
	// to. A screen of 900×600 holds about twelve, each shaped in about a
	// millisecond. Up to a piece past each edge of the screen is shaped
	// too: an eighth of what a first paint shaped with pieces of 512, a
	// sixteenth with 256.
	defaultPieceRunes = 256
	// liveRunesMax bounds the shaped text kept: beyond it the pieces used
	// longest ago are evicted (about 30 screens, 6 MB).
	liveRunesMax = 64 << 10
)

// longPara reports whether a paragraph of n code points is laid out in
// pieces.
func (l *Layout) longPara(n int) bool { return n > 8*l.pieceRunes }

// A piece is a stretch of a paragraph shaped on its own: its bidi levels,
// its runs of glyphs, its grapheme, word and line-break boundaries and the
// advance of every cluster, which the line wrapper adds up.
type piece struct {
	start, end int              // paragraph relative
	runs       []shaping.Output // logical order; Runes and ClusterIndex paragraph relative
	runLevel   []uint8
	classes    []bidi.Class    // Bidi_Class of each code point
	flags      []uint8         // per code point, below
	adv        []fixed.Int26_6 // advance of the cluster starting at each code point
	// trim is, at the last code point of a cluster, what a line ending
	// there leaves out of its width: the advance of trailing white space
	// in a run of the paragraph's direction (as go-text's wrapper does).
	trim  []fixed.Int26_6
	words [][2]int // paragraph relative
	used  uint64   // Layout.clock when last used
}

const (
	fGrapheme uint8 = 1 << iota // a grapheme cluster starts here
	fCluster                    // a glyph cluster (or a run) starts here
	fBreak                      // UAX #14 allows a line break after this code point
)

// isGraphemeEnd reports whether a grapheme ends at piece-relative j.
func (pc *piece) isGraphemeEnd(j int) bool {
	return j+1 == len(pc.flags) || pc.flags[j+1]&fGrapheme != 0
}

// isClusterEnd reports whether a glyph cluster ends at piece-relative j:
// only there may a line break.
func (pc *piece) isClusterEnd(j int) bool {
	return j+1 == len(pc.flags) || pc.flags[j+1]&fCluster != 0
}

// canStart reports whether a line may start at piece-relative j: at a
// glyph cluster's start after a break opportunity when word, else at a
// grapheme's. A line may start at a piece's start: cuts are break
// opportunities, and clusters and graphemes start there.
func (pc *piece) canStart(j int, word bool) bool {
	switch {
	case j == 0:
		return true
	case word && pc.flags[j-1]&fBreak == 0, !word && pc.flags[j]&fGrapheme == 0:
		return false
	}
	return pc.flags[j]&fCluster != 0
}

type pieceRef struct{ para, k int }

// pieceOf returns the index of the piece holding paragraph-relative
// offset rel (the last piece for the paragraph's end).
func (pl *paraLayout) pieceOf(rel int) int {
	k := sort.SearchInts(pl.cuts, rel+1) - 1
	return min(max(k, 0), len(pl.pieces)-1)
}

// cutBefore returns the last cut at or before rel (0 at least).
func (pl *paraLayout) cutBefore(rel int) int {
	if rel <= 0 {
		return 0
	}
	return pl.cuts[pl.pieceOf(rel)]
}

// newParaLayout starts paragraph i's layout: its level and its pieces.
func (l *Layout) newParaLayout(i int) *paraLayout {
	p := l.t.para(i)
	n := p.End - p.Start
	pl := &paraLayout{level: l.paraLevel(i), cuts: []int{0, n}}
	if l.longPara(n) {
		var whole bool
		pl.cuts, whole = l.cutParagraph(i, pl.level)
		if whole {
			l.runeBuf = l.t.decode(l.runeBuf[:0], p.Start, p.End)
			b := bidi.Resolve(l.runeBuf, int(pl.level), l.fallback)
			pl.whole = &b
		}
	}
	pl.pieces = make([]*piece, len(pl.cuts)-1)
	return pl
}

// cutParagraph chooses where a long paragraph is cut into pieces, about
// every pieceRunes code points: before a letter of the paragraph's
// direction that follows a space after a letter ("… ab cd …", in Arabic
// "… قال إن …"). There the pieces shape, segment and break lines as the
// whole paragraph would (a space joins nothing and "letter space ÷
// letter" is a line-break opportunity in every context of UAX #14), and
// the bidi levels of each piece, resolved alone with the first letter of
// the next piece after it, are the levels of the whole paragraph: with no
// explicit embedding, override or isolate the paragraph is one isolating
// run sequence, the letter after the cut ends every search back (W2, W7,
// N0's context) and gives the neutrals before it the embedding direction
// the end of the piece gives them (N1–N2), and a cut where no bracket
// pair is open (BD16) splits no pair. whole is true when the paragraph
// holds an explicit formatting character or overflows the bracket stack:
// its levels are then resolved once for the whole paragraph.
func (l *Layout) cutParagraph(i int, level uint8) (cuts []int, whole bool) {
	p := l.t.para(i)
	// Cuts are pieceRunes apart or more: this holds them all.
	cuts = make([]int, 1, (p.End-p.Start)/l.pieceRunes+2)
	var stack []rune // closing brackets awaited, as BD16
	var c1, c2 bidi.Class = bidi.ON, bidi.ON
	var r1 rune
	text := l.t.s[l.t.byteOf(p.Start):l.t.byteOf(p.End)]
	at := 0
	for b := 0; b < len(text); at++ {
		r, size := rune(text[b]), 1
		if r >= 0x80 {
			if r >= 0xc2 && r < 0xe0 && b+1 < len(text) && text[b+1]&0xc0 == 0x80 {
				r, size = (r&0x1f)<<6|rune(text[b+1]&0x3f), 2
			} else {
				r, size = utf8.DecodeRuneInString(text[b:])
			}
		}
		for b += size; b < len(text) && text[b]&0xc0 == 0x80; b++ {
		}
		c := bidi.ClassOf(r)
		if r1 == ' ' && at-cuts[len(cuts)-1] >= l.pieceRunes && c2.IsStrong() && isLevelClass(c, level) && (whole || len(stack) == 0) {
			cuts = append(cuts, at)
		}
		switch c {
		case bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
			whole = true
		case bidi.ON:
			if prop, _ := xbidi.LookupRune(r); prop.IsBracket() {
				if prop.IsOpeningBracket() {
					if len(stack) == bidi.MaxBracketStack {
						whole = true // BD16 stops pairing; so must the pieces
					}
					m, _ := unicodedata.LookupMirrorChar(r)
					stack = append(stack, bidi.CanonicalBracket(m))
				} else {
					cb := bidi.CanonicalBracket(r)
					for s := len(stack) - 1; s >= 0; s-- {
						if stack[s] == cb {
							stack = stack[:s]
							break
						}
					}
				}
			}
		}
		c2, c1, r1 = c1, c, r
	}
	return append(cuts, p.End-p.Start), whole
}

// isLevelClass reports whether class c is strong in the direction of
// paragraph level level.
func isLevelClass(c bidi.Class, level uint8) bool {
	if level == 1 {
		return c == bidi.R || c == bidi.AL
	}
	return c == bidi.L
}

// piece returns piece k of paragraph i, shaping it if needed.
func (l *Layout) piece(i int, pl *paraLayout, k int) *piece {
	pc := pl.pieces[k]
	if pc == nil {
		pc = l.shapePiece(i, pl, k)
		pl.pieces[k] = pc
		l.live = append(l.live, pieceRef{i, k})
		l.liveRunes += pc.end - pc.start
		l.Stats.Shaped++
		l.Stats.ShapedRunes += pc.end - pc.start
	}
	pc.used = l.clock
	return pc
}

// split cuts a run of one bidi level into runs of one script, with the
// face set, as shaping.Segmenter's Split does. Split also resolves the
// run's bidi levels anew, out of their paragraph, which a run of one
// level does not need: for the run of one script that nearly every run
// is, that work was an eighth of the memory a long paragraph's first
// paint allocated, and it is skipped.
func (l *Layout) split(in shaping.Input) []shaping.Input {
	script := language.Common
	for _, r := range in.Text[in.RunStart:in.RunEnd] {
		switch s := language.LookupScript(r); s {
		case language.Common, language.Inherited, script:
		default:
			if script != language.Common {
				return l.seg.Split(in, singleFace{l.face})
			}
			script = s
		}
	}
	in.Script, in.Face = script, l.face
	l.parts = append(l.parts[:0], in)
	return l.parts
}

// shapePiece resolves the bidi levels of piece k of paragraph i, shapes it
// one run per level, script and face, and finds its boundaries.
func (l *Layout) shapePiece(i int, pl *paraLayout, k int) *piece {
	p := l.t.para(i)
	a, b := pl.cuts[k], pl.cuts[k+1]
	plen := p.End - p.Start
	// With the code point after the piece: the context its bidi levels
	// and its shaping see in the whole paragraph.
	end := min(b+1, plen)
	rs := l.t.decode(l.runeBuf[:0], p.Start+a, p.Start+end)
	l.runeBuf = rs
	n := b - a
	pc := &piece{start: a, end: b}
	// L1 for segment separators and the paragraph's end; line ends are
	// handled when a line is placed.
	var levels []uint8
	if pl.whole != nil {
		levels = pl.whole.LineLevels(a, end, l.levelsBuf)
		pc.classes = pl.whole.Classes[a:b:b]
	} else {
		bp := bidi.Resolve(rs, int(pl.level), l.fallback)
		levels = bp.LineLevels(0, len(rs), l.levelsBuf)
		pc.classes = bp.Classes[:n:n]
	}
	l.levelsBuf = levels
	for a := 0; a < n; {
		b := a + 1
		for b < n && levels[b] == levels[a] {
			b++
		}
		dir := dirOfLevel(levels[a])
		in := shaping.Input{Text: rs, RunStart: a, RunEnd: b, Direction: dir, Face: l.face, Size: fixed.I(l.size)}
		// split reuses its slice; shape each part before the next call.
		for _, part := range l.split(in) {
			part.Direction = dir
			out := l.shaper.Shape(part)
			fixTabs(rs, &out, l.size)
			pc.runs = append(pc.runs, out)
			pc.runLevel = append(pc.runLevel, levels[a])
		}
		a = b
	}
	pc.flags = make([]uint8, n)
	pc.adv = make([]fixed.Int26_6, n)
	pc.trim = make([]fixed.Int26_6, n)
	paraDir := dirOfLevel(pl.level)
	for ri := range pc.runs {
		out := &pc.runs[ri]
		gs := out.Glyphs
		pc.flags[out.Runes.Offset] |= fCluster
		for _, g := range gs {
			pc.flags[g.ClusterIndex] |= fCluster
			pc.adv[g.ClusterIndex] += g.XAdvance
		}
		if out.Direction == paraDir {
			setTrim(pc.trim, out)
		}
		// paragraph relative from here on
		out.Runes.Offset += a
		for gi := range gs {
			gs[gi].ClusterIndex += a
		}
	}
	if n > 0 {
		l.breaker.Init(rs[:n])
		g := l.breaker.GraphemeIterator()
		for g.Next() {
			pc.flags[g.Grapheme().Offset] |= fGrapheme
		}
		w := l.breaker.WordIterator()
		for w.Next() {
			word := w.Word()
			pc.words = append(pc.words, [2]int{a + word.Offset, a + word.Offset + len(word.Text)})
		}
		li := l.breaker.LineIterator()
		for li.Next() {
			seg := li.Line()
			pc.flags[seg.Offset+len(seg.Text)-1] |= fBreak
		}
	}
	return pc
}

// setTrim records, at the last code point of each cluster of out, the
// advance go-text's wrapper leaves out when a line ends with that
// cluster: that of its logically last glyph when the glyph has no ink.
func setTrim(trim []fixed.Int26_6, out *shaping.Output) {
	gs := out.Glyphs
	end := out.Runes.Offset + out.Runes.Count
	rtl := out.Direction.Progression() == di.TowardTopLeft
	// Clusters in logical order: forwards for LTR, backwards for RTL.
	for q := 0; q < len(gs); {
		r := q
		for r < len(gs) && gs[r].ClusterIndex == gs[q].ClusterIndex {
			r++
		}
		var last shaping.Glyph // the glyph a cut ending here ends with
		var next int           // the logically next cluster's start
		if rtl {
			last = gs[q]
			next = end
			if q > 0 {
				next = gs[q-1].ClusterIndex
			}
		} else {
			last = gs[r-1]
			next = end
			if r < len(gs) {
				next = gs[r].ClusterIndex
			}
		}
		if last.Width == 0 && next > gs[q].ClusterIndex {
			trim[next-1] = last.XAdvance
		}
		q = r
	}
}

// fixTabs gives tab characters a fixed advance (four spaces' worth) and no
// visible glyph.
func fixTabs(rs []rune, out *shaping.Output, size int) {
	changed := false
	for k := range out.Glyphs {
		g := &out.Glyphs[k]
		if rs[g.ClusterIndex] == '\t' && g.RuneCount == 1 {
			g.XAdvance = fixed.I(size * 2)
			g.GlyphID = 0
			g.Width = 0
			changed = true
		}
	}
	if changed {
		out.RecomputeAdvance()
	}
}

// evict drops shaped pieces not used since the last paint, the oldest
// first, while more than liveMax code points are shaped. A paragraph
// that is one piece loses its lines too (its height stays); a long
// paragraph keeps where its lines break, so they come back the same.
func (l *Layout) evict() {
	if l.liveRunes <= l.liveMax {
		return
	}
	used := func(r pieceRef) uint64 { return l.lays[r.para].pieces[r.k].used }
	sort.Slice(l.live, func(a, b int) bool { return used(l.live[a]) < used(l.live[b]) })
	keep := l.live[:0]
	for _, r := range l.live {
		pl := l.lays[r.para]
		pc := pl.pieces[r.k]
		if l.liveRunes <= l.liveMax/2 || pc.used >= l.clock {
			keep = append(keep, r)
			continue
		}
		l.liveRunes -= pc.end - pc.start
		pl.pieces[r.k] = nil
		if len(pl.pieces) == 1 {
			delete(l.lays, r.para)
			continue
		}
		p := l.t.para(r.para)
		for k := range pl.lines {
			ln := &pl.lines[k]
			if ln.End-p.Start > pc.start && ln.Start-p.Start < pc.end || ln.Start == ln.End && ln.Start-p.Start == pc.start {
				ln.placed, ln.Runs, ln.boxes = false, nil, nil
			}
		}
	}
	l.live = keep
}
