package textlayout

import (
	"bytes"
	"math"
	"sort"
	"sync"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
)

var (
	fontOnce sync.Once
	amiri    *font.Font
	fontErr  error
)

// newFace returns a face of the bundled Amiri font. Faces cache glyph
// extents and are not safe for concurrent use, so each Layout has its own;
// the parsed font is shared.
func newFace() *font.Face {
	fontOnce.Do(func() {
		var f *font.Face
		f, fontErr = font.ParseTTF(bytes.NewReader(assets.AmiriRegular))
		if fontErr == nil {
			amiri = f.Font
		}
	})
	if fontErr != nil {
		panic("textlayout: bundled Amiri font: " + fontErr.Error())
	}
	return font.NewFace(amiri)
}

type singleFace struct{ f *font.Face }

func (s singleFace) ResolveFace(rune) *font.Face { return s.f }

// Line is one laid-out line of a paragraph.
type Line struct {
	// Start and End are the document offsets of the line's text.
	Start, End int
	// Top is the line's top, relative to its paragraph's top.
	Top float32
	// X is the left edge of the line's first visual run; Width its
	// advance, trailing white space included.
	X, Width float32
	// Runs are the line's runs in visual order, left to right.
	Runs []Run

	boxes []Box // lazily built by Layout.Boxes
}

// Run is a shaped run of one bidi level, placed on its line.
type Run struct {
	Out   shaping.Output // glyphs in visual order
	Level uint8
	X     float32 // left edge
}

// Box is the place of one grapheme cluster on a line.
type Box struct {
	X0, X1     float32
	Start, End int // document offsets
	RTL        bool
}

type shapedPara struct {
	bidi     bidi.Paragraph
	runs     []shaping.Output // logical order; Runes relative to the paragraph
	runLevel []uint8
	grapheme []bool   // grapheme[i]: a grapheme starts at i (paragraph relative)
	words    [][2]int // word ranges, paragraph relative
}

type paraState struct {
	shaped *shapedPara
	lines  []Line
	width  float32 // the width lines were wrapped to
	height float32 // exact when lines != nil, else an estimate
}

// Layout lays out one document. It is not safe for concurrent use.
type Layout struct {
	face    *font.Face
	shaper  shaping.HarfbuzzShaper
	seg     shaping.Segmenter
	wrapper shaping.LineWrapper
	breaker segmenter.Segmenter

	text     []rune
	paras    []Para
	dir      Direction
	fallback uint8 // level of paragraphs without a strong character
	size     int
	width    float32

	ascent, lineHeight, paraGap float32

	ps        []paraState
	tops      []float32 // len(paras)+1 prefix sums of heights
	topsDirty bool
	// running measure of laid-out text, for estimates
	sumAdvance float32
	sumRunes   int

	glyphs map[glyphKey]*glyphMask

	levelsBuf []uint8
	orderBuf  []int

	// Stats counts work, for tests and benchmarks.
	Stats struct{ Shaped, Wrapped int }
}

// New returns a layout of an empty document with text size (in pixels)
// size and wrap width width.
func New(size float32, width float32) *Layout {
	l := &Layout{face: newFace(), width: width}
	l.setSize(size)
	l.SetText("")
	return l
}

func (l *Layout) setSize(size float32) {
	l.size = max(1, int(math.Round(float64(size))))
	out := l.shaper.Shape(shaping.Input{Text: []rune{' '}, RunEnd: 1, Direction: di.DirectionLTR, Face: l.face, Size: fixed.I(l.size)})
	b := out.LineBounds
	l.ascent = float32(math.Ceil(float64(fx(b.Ascent))))
	descent := float32(math.Ceil(float64(-fx(b.Descent))))
	l.lineHeight = l.ascent + descent + float32(math.Round(float64(fx(b.Gap))))
	l.paraGap = float32(math.Round(float64(l.lineHeight) * 0.35))
}

func fx(v fixed.Int26_6) float32 { return float32(v) / 64 }

// SetText replaces the document. Everything is laid out anew.
func (l *Layout) SetText(text string) { l.SetRunes([]rune(text)) }

// SetRunes replaces the document with text, which the layout keeps.
func (l *Layout) SetRunes(text []rune) {
	l.text = text
	l.paras = SplitParagraphs(text)
	l.fallback = 0
	for _, p := range l.paras {
		if lv, ok := bidi.FirstStrong(text[p.Start:p.End]); ok {
			l.fallback = lv
			break
		}
	}
	l.ps = make([]paraState, len(l.paras))
	l.sumAdvance, l.sumRunes = 0, 0
	l.invalidateAll(true)
}

// Text returns the document text.
func (l *Layout) Text() []rune { return l.text }

// Paragraphs returns the document's paragraphs.
func (l *Layout) Paragraphs() []Para { return l.paras }

// SetDirection sets the base direction; paragraphs are shaped anew.
func (l *Layout) SetDirection(d Direction) {
	if d == l.dir {
		return
	}
	l.dir = d
	l.invalidateAll(true)
}

// Direction returns the base direction setting.
func (l *Layout) Direction() Direction { return l.dir }

// SetSize sets the text size in pixels; paragraphs are shaped anew.
func (l *Layout) SetSize(size float32) {
	if max(1, int(math.Round(float64(size)))) == l.size {
		return
	}
	l.setSize(size)
	l.sumAdvance, l.sumRunes = 0, 0
	l.invalidateAll(true)
}

// Size returns the text size in pixels.
func (l *Layout) Size() float32 { return float32(l.size) }

// SetWidth sets the wrap width; paragraphs keep their shaping and are
// wrapped again when next needed.
func (l *Layout) SetWidth(w float32) {
	if w == l.width {
		return
	}
	l.width = w
	l.invalidateAll(false)
}

// Width returns the wrap width.
func (l *Layout) Width() float32 { return l.width }

// LineHeight returns the height of one line; Ascent the distance from a
// line's top to its baseline.
func (l *Layout) LineHeight() float32 { return l.lineHeight }

// Ascent returns the distance from a line's top to its baseline.
func (l *Layout) Ascent() float32 { return l.ascent }

func (l *Layout) invalidateAll(reshape bool) {
	for i := range l.ps {
		if reshape {
			l.ps[i].shaped = nil
		}
		l.ps[i].lines = nil
		l.ps[i].height = l.estimate(i)
	}
	l.topsDirty = true
}

func (l *Layout) estimate(i int) float32 {
	p := l.paras[i]
	n := p.End - p.Start
	adv := float32(l.size) * 0.42
	if l.sumRunes > 0 {
		adv = l.sumAdvance / float32(l.sumRunes)
	}
	lines := float32(1)
	if n > 0 && l.width > 0 {
		lines = float32(math.Ceil(float64(float32(n) * adv / l.width)))
	}
	return max(1, lines)*l.lineHeight + l.paraGap
}

// IsLaidOut reports whether paragraph i is laid out at the current width.
func (l *Layout) IsLaidOut(i int) bool { return l.ps[i].lines != nil }

// Lines lays out paragraph i if needed and returns its lines.
func (l *Layout) Lines(i int) []Line {
	st := &l.ps[i]
	if st.lines != nil {
		return st.lines
	}
	if st.shaped == nil {
		st.shaped = l.shape(i)
		l.Stats.Shaped++
	}
	st.lines = l.wrap(i, st.shaped)
	st.width = l.width
	l.Stats.Wrapped++
	h := float32(len(st.lines))*l.lineHeight + l.paraGap
	if h != st.height {
		st.height = h
		l.topsDirty = true
	}
	return st.lines
}

// ParaHeight returns paragraph i's height, exact once it is laid out.
func (l *Layout) ParaHeight(i int) float32 { return l.ps[i].height }

// ParaTop returns the top of paragraph i (0 ≤ i ≤ len(paragraphs)); the
// heights of paragraphs above it that are not laid out are estimates.
func (l *Layout) ParaTop(i int) float32 {
	l.updateTops()
	return l.tops[i]
}

// Height returns the document's height.
func (l *Layout) Height() float32 { return l.ParaTop(len(l.paras)) }

func (l *Layout) updateTops() {
	if !l.topsDirty && len(l.tops) == len(l.paras)+1 {
		return
	}
	if cap(l.tops) < len(l.paras)+1 {
		l.tops = make([]float32, len(l.paras)+1)
	}
	l.tops = l.tops[:len(l.paras)+1]
	y := float32(0)
	for i := range l.ps {
		l.tops[i] = y
		y += l.ps[i].height
	}
	l.tops[len(l.paras)] = y
	l.topsDirty = false
}

// ParaAt returns the paragraph whose extent holds y (clamped to the
// document).
func (l *Layout) ParaAt(y float32) int {
	l.updateTops()
	i := sort.Search(len(l.paras), func(i int) bool { return l.tops[i+1] > y })
	return min(i, len(l.paras)-1)
}

// ParaOf returns the index of the paragraph holding offset off; an offset
// inside a separator belongs to the paragraph it ends.
func (l *Layout) ParaOf(off int) int {
	i := sort.Search(len(l.paras), func(i int) bool { return l.paras[i].Next > off })
	return min(i, len(l.paras)-1)
}

// LayoutAll lays out every paragraph.
func (l *Layout) LayoutAll() {
	for i := range l.paras {
		l.Lines(i)
	}
}

// ParagraphLevel returns the base level (0 LTR, 1 RTL) paragraph i gets.
func (l *Layout) ParagraphLevel(i int) uint8 {
	if st := l.ps[i].shaped; st != nil {
		return st.bidi.Level
	}
	p := l.paras[i]
	switch l.dir {
	case LTR:
		return 0
	case RTL:
		return 1
	}
	if lv, ok := bidi.FirstStrong(l.text[p.Start:p.End]); ok {
		return lv
	}
	return l.fallback
}

func dirOfLevel(level uint8) di.Direction {
	if level%2 == 1 {
		return di.DirectionRTL
	}
	return di.DirectionLTR
}

// shape resolves the bidi levels of paragraph i and shapes it, one run per
// level, script and face.
func (l *Layout) shape(i int) *shapedPara {
	p := l.paras[i]
	rs := l.text[p.Start:p.End]
	level := -1
	switch l.dir {
	case LTR:
		level = 0
	case RTL:
		level = 1
	}
	sp := &shapedPara{bidi: bidi.Resolve(rs, level, l.fallback)}
	// L1 for the paragraph end and segment separators; line ends are
	// handled when wrapping.
	levels := sp.bidi.LineLevels(0, len(rs), nil)
	faces := singleFace{l.face}
	for a := 0; a < len(rs); {
		b := a + 1
		for b < len(rs) && levels[b] == levels[a] {
			b++
		}
		dir := dirOfLevel(levels[a])
		in := shaping.Input{Text: rs, RunStart: a, RunEnd: b, Direction: dir, Face: l.face, Size: fixed.I(l.size)}
		pieces := l.seg.Split(in, faces)
		// Split reuses its slice; shape each piece before the next call.
		for _, piece := range pieces {
			piece.Direction = dir
			out := l.shaper.Shape(piece)
			fixTabs(rs, &out, l.size)
			sp.runs = append(sp.runs, out)
			sp.runLevel = append(sp.runLevel, levels[a])
		}
		a = b
	}
	n := len(rs)
	sp.grapheme = make([]bool, n+1)
	if n > 0 {
		l.breaker.Init(rs)
		g := l.breaker.GraphemeIterator()
		for g.Next() {
			sp.grapheme[g.Grapheme().Offset] = true
		}
		w := l.breaker.WordIterator()
		for w.Next() {
			word := w.Word()
			sp.words = append(sp.words, [2]int{word.Offset, word.Offset + len(word.Text)})
		}
	}
	sp.grapheme[n] = true
	return sp
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

type logicalRun struct {
	out   shaping.Output
	level uint8
}

// wrap breaks a shaped paragraph into lines at the current width, applies
// L1 at each line end and orders each line's runs visually (L2).
func (l *Layout) wrap(i int, sp *shapedPara) []Line {
	p := l.paras[i]
	if len(sp.runs) == 0 {
		x := float32(0)
		if sp.bidi.Level == 1 {
			x = l.width
		}
		return []Line{{Start: p.Start, End: p.Start, X: x}}
	}
	rs := l.text[p.Start:p.End]
	cfg := shaping.WrapConfig{
		Direction:                     dirOfLevel(sp.bidi.Level),
		BreakPolicy:                   shaping.WhenNecessary,
		DisableTrailingWhitespaceTrim: true, // it would write into our cached glyphs
	}
	maxW := max(1, int(math.Floor(float64(l.width))))
	wrapped, _ := l.wrapper.WrapParagraph(cfg, maxW, rs, shaping.NewSliceIterator(sp.runs))
	lines := make([]Line, 0, len(wrapped))
	var logical []logicalRun
	for li, wl := range wrapped {
		logical = logical[:0]
		for _, out := range wl {
			k := sort.Search(len(sp.runs), func(k int) bool {
				r := sp.runs[k].Runes
				return r.Offset+r.Count > out.Runes.Offset
			})
			logical = append(logical, logicalRun{out, sp.runLevel[k]})
		}
		if len(logical) == 0 {
			continue
		}
		first := logical[0].out.Runes
		lastR := logical[len(logical)-1].out.Runes
		start, end := first.Offset, lastR.Offset+lastR.Count
		if li < len(wrapped)-1 {
			logical = l.trailingToParaLevel(sp, logical, start, end)
		}
		lines = append(lines, l.placeLine(p, sp, logical, start, end, float32(len(lines))*l.lineHeight))
	}
	if len(lines) == 0 {
		lines = append(lines, Line{Start: p.Start, End: p.Start})
	}
	// Keep a running measure for height estimates.
	for _, ln := range lines {
		l.sumAdvance += ln.Width
	}
	l.sumRunes += p.End - p.Start
	return lines
}

// trailingToParaLevel applies L1 to white space at the end of a wrapped
// line: it goes back to the paragraph level, which may split a run.
func (l *Layout) trailingToParaLevel(sp *shapedPara, runs []logicalRun, start, end int) []logicalRun {
	cut := end
	for k := end - 1; k >= start && isTrailingClass(sp.bidi.Classes[k]); k-- {
		cut = k
	}
	if cut == end {
		return runs
	}
	var out []logicalRun
	for _, r := range runs {
		ro := r.out.Runes
		if ro.Offset+ro.Count <= cut || r.level == sp.bidi.Level {
			out = append(out, r)
			continue
		}
		if ro.Offset < cut {
			out = append(out, logicalRun{cutOutput(r.out, ro.Offset, cut), r.level})
			out = append(out, logicalRun{cutOutput(r.out, cut, ro.Offset+ro.Count), sp.bidi.Level})
		} else {
			out = append(out, logicalRun{r.out, sp.bidi.Level})
		}
	}
	return out
}

func isTrailingClass(c bidi.Class) bool {
	switch c {
	case bidi.WS, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI, bidi.BN, bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.S:
		return true
	}
	return false
}

// cutOutput returns the part of out that holds the clusters starting in
// [lo, hi) (paragraph-relative offsets).
func cutOutput(out shaping.Output, lo, hi int) shaping.Output {
	a, b := -1, -1
	for k, g := range out.Glyphs {
		if g.ClusterIndex >= lo && g.ClusterIndex < hi {
			if a < 0 {
				a = k
			}
			b = k + 1
		}
	}
	if a < 0 {
		out.Glyphs = nil
	} else {
		out.Glyphs = out.Glyphs[a:b:b]
	}
	out.Runes = shaping.Range{Offset: lo, Count: hi - lo}
	out.RecomputeAdvance()
	return out
}

func (l *Layout) placeLine(p Para, sp *shapedPara, logical []logicalRun, start, end int, top float32) Line {
	levels := l.levelsBuf[:0]
	for _, r := range logical {
		levels = append(levels, r.level)
	}
	l.levelsBuf = levels
	order := bidi.Reorder(levels, l.orderBuf)
	l.orderBuf = order
	ln := Line{Start: p.Start + start, End: p.Start + end, Top: top, Runs: make([]Run, len(logical))}
	x := float32(0)
	for v, k := range order {
		r := logical[k]
		r.out.VisualIndex = int32(v)
		ln.Runs[v] = Run{Out: r.out, Level: r.level, X: x}
		x += fx(r.out.Advance)
	}
	ln.Width = x
	if sp.bidi.Level == 1 {
		ln.X = l.width - x
	}
	for k := range ln.Runs {
		ln.Runs[k].X += ln.X
	}
	return ln
}
