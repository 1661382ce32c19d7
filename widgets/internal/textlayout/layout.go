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

// newFace returns a face of the bundled Amiri font. Faces cache glyph
// extents and are not safe for concurrent use, so each Layout has its own;
// the parsed font is shared.
var newFace = bundledFace("Amiri", assets.AmiriRegular)

// newBoldFace returns a face of the bundled Amiri Bold font.
var newBoldFace = bundledFace("Amiri Bold", assets.AmiriBold)

// bundledFace returns a function that makes faces of the font ttf, parsed
// once, the first time.
func bundledFace(name string, ttf []byte) func() *font.Face {
	parse := sync.OnceValues(func() (*font.Font, error) {
		f, err := font.ParseTTF(bytes.NewReader(ttf))
		if err != nil {
			return nil, err
		}
		return f.Font, nil
	})
	return func() *font.Face {
		f, err := parse()
		if err != nil {
			panic("textlayout: bundled " + name + " font: " + err.Error())
		}
		return font.NewFace(f)
	}
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

	placed bool  // X, Width and Runs are set
	boxes  []Box // lazily built by Layout.Boxes
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

// paraLayout is what is known of one paragraph's layout: its level, its
// pieces and the lines laid out so far, which follow each other without a
// gap. A paragraph of up to longPara code points is one piece and all its
// lines are laid out at once; a longer one is cut into pieces that are
// shaped when a line needs them, and its lines are laid out as the view
// reaches them (see lines.go).
type paraLayout struct {
	level  uint8
	cuts   []int    // piece boundaries, paragraph relative: 0, …, length
	pieces []*piece // nil where not shaped (yet, or any more)
	// whole holds the levels of the entire paragraph when they cannot be
	// resolved piece by piece (see cutParagraph); nil otherwise.
	whole *bidi.Paragraph
	lines []Line
	// above and below estimate the height of the text before the first
	// and after the last line laid out.
	above, below float32
}

// Layout lays out one document. It is not safe for concurrent use.
type Layout struct {
	face    *font.Face
	shaper  shaping.HarfbuzzShaper
	seg     shaping.Segmenter
	parts   []shaping.Input // split's result
	breaker segmenter.Segmenter

	t        docText
	dir      Direction
	fallback uint8 // level of paragraphs without a strong character
	size     int
	width    float32

	ascent, lineHeight, paraGap float32

	// heights holds each paragraph's height, exact once laid out, else
	// estimated, and lays the layouts of the paragraphs laid out and not
	// evicted.
	heights paraHeights
	lays    map[int]*paraLayout
	// running measure of laid-out text, for estimates
	sumAdvance float64
	sumRunes   int

	glyphs map[glyphKey]*glyphMask

	// pieceRunes is the length pieces of a long paragraph are cut to.
	pieceRunes int
	// shaped pieces, for eviction
	live      []pieceRef
	liveRunes int
	liveMax   int
	clock     uint64

	runeBuf   []rune
	levelsBuf []uint8
	orderBuf  []int
	logical   []logicalRun
	visible   []visibleLine
	// gen counts the times lines were laid out anew, painted what the
	// last Paint drew: together they let Paint move pixels instead of
	// drawing them again.
	gen     uint64
	painted painted

	// Stats counts work, for tests and benchmarks: pieces shaped (a
	// paragraph of ordinary length is one piece) and their code points,
	// wrapping passes, and paints that moved pixels already drawn.
	Stats struct{ Shaped, ShapedRunes, Wrapped, Moved int }
}

// New returns a layout of an empty document with text size (in pixels)
// size and wrap width width.
func New(size float32, width float32) *Layout {
	l := &Layout{face: newFace(), width: width, pieceRunes: defaultPieceRunes, liveMax: liveRunesMax}
	// The zero shaper caches no font, and building one takes longer than
	// shaping a paragraph.
	l.shaper.SetFontCacheSize(1)
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

// Indexed is a text with its index of paragraphs and code points
// (Index), which a layout takes at once. Indexing reads the whole text,
// a tenth of a second for 100 MB: Index may run on any goroutine. The
// zero Indexed is the empty text.
type Indexed struct{ t docText }

// Index indexes text for SetIndexed.
func Index(text string) Indexed { return Indexed{indexText(text)} }

// String returns the text.
func (t Indexed) String() string { return t.t.s }

// Bytes is the memory a layout keeps for the text: the text, its index,
// and the heights of its paragraphs. For a hundred megabytes of news it
// is 6% over the text.
func (t Indexed) Bytes() int {
	p := len(t.t.starts)
	return len(t.t.s) + 4*cap(t.t.starts) + 8*cap(t.t.crlf) + 8*cap(t.t.marks) +
		heightsBytes(p)
}

// Holds says whether the layout holds text, this very Indexed: a text
// set again is not laid out again.
func (l *Layout) Holds(text Indexed) bool {
	a, b := l.t.starts, text.t.starts
	return len(a) > 0 && len(a) == len(b) && &a[0] == &b[0]
}

// SetText replaces the document. Everything is laid out anew. The layout
// keeps text as it is (UTF-8); offsets count its code points.
func (l *Layout) SetText(text string) { l.SetIndexed(Index(text)) }

// SetIndexed is SetText with the text indexed already.
func (l *Layout) SetIndexed(text Indexed) {
	if text.t.starts == nil {
		text = Index("") // the zero Indexed
	}
	l.t = text.t
	l.fallback = 0
	for i := range l.t.numParas() {
		p := l.t.para(i)
		if lv, ok := l.firstStrong(p.Start, p.End); ok {
			l.fallback = lv
			break
		}
	}
	l.lays = map[int]*paraLayout{}
	l.sumAdvance, l.sumRunes = 0, 0
	l.invalidateAll(true)
}

// SetRunes replaces the document with text.
func (l *Layout) SetRunes(text []rune) { l.SetText(string(text)) }

// Text returns the document text as code points. It copies the text:
// Len, Slice and String do not.
func (l *Layout) Text() []rune { return []rune(l.t.s) }

// String returns the document text.
func (l *Layout) String() string { return l.t.s }

// Len returns the number of code points in the document.
func (l *Layout) Len() int { return l.t.n }

// Slice returns the text of code points [start, end), clamped to the
// document.
func (l *Layout) Slice(start, end int) string {
	start, end = max(start, 0), min(end, l.t.n)
	return l.t.slice(start, end)
}

// Paragraphs returns the document's paragraphs (a new slice).
func (l *Layout) Paragraphs() []Para { return l.t.allParas() }

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

// invalidateAll forgets every paragraph's lines (and with reshape its
// shaping) and estimates the heights again.
func (l *Layout) invalidateAll(reshape bool) {
	l.gen++
	if reshape {
		clear(l.lays)
		l.live, l.liveRunes = l.live[:0], 0
	} else {
		for _, pl := range l.lays {
			pl.lines = nil
		}
	}
	l.heights.build(l.t.numParas(), l.estimate)
}

// estimateLines estimates how many lines n code points take.
func (l *Layout) estimateLines(n int) float32 {
	if n <= 0 {
		return 0
	}
	adv := float64(l.size) * 0.42
	if l.sumRunes > 0 {
		adv = l.sumAdvance / float64(l.sumRunes)
	}
	if l.width <= 0 {
		return 1
	}
	return float32(math.Ceil(float64(n) * adv / float64(l.width)))
}

func (l *Layout) estimate(i int) float32 {
	p := l.t.para(i)
	return max(1, l.estimateLines(p.End-p.Start))*l.lineHeight + l.paraGap
}

// Lines returns the lines of paragraph i, laying it out if needed. For a
// paragraph laid out in pieces (longer than a few thousand code points)
// these are the lines laid out so far, and a line's X, Width and Runs are
// set once Line or Boxes has been asked for it.
func (l *Layout) Lines(i int) []Line {
	if pl := l.lays[i]; pl != nil && len(pl.lines) > 0 {
		return pl.lines
	}
	pl, _ := l.cover(i, 0)
	return pl.lines
}

// Line returns line k of Lines(i), placed.
func (l *Layout) Line(i, k int) *Line { return l.place(i, l.lays[i], k) }

// ParaHeight returns paragraph i's height, exact once it is laid out.
func (l *Layout) ParaHeight(i int) float32 { return l.heights.h[i] }

// ParaTop returns the top of paragraph i (0 ≤ i ≤ len(paragraphs)); the
// heights of paragraphs above it that are not laid out are estimates.
func (l *Layout) ParaTop(i int) float32 { return float32(l.heights.sum(i)) }

// Height returns the document's height.
func (l *Layout) Height() float32 { return l.ParaTop(l.t.numParas()) }

// ParaAt returns the paragraph whose extent holds y (clamped to the
// document).
func (l *Layout) ParaAt(y float32) int {
	return min(l.heights.find(float64(max(y, 0))), l.t.numParas()-1)
}

// ParaOf returns the index of the paragraph holding offset off; an offset
// inside a separator belongs to the paragraph it ends.
func (l *Layout) ParaOf(off int) int {
	st := l.t.starts
	i := sort.Search(len(st), func(i int) bool { return int(st[i]) > off }) - 1
	return min(max(i, 0), len(st)-1)
}

// LayoutAll lays out every paragraph, every line placed.
func (l *Layout) LayoutAll() {
	for i := range l.t.numParas() {
		p := l.t.para(i)
		l.cover(i, 0)
		pl, _ := l.coverDown(i, p.End-p.Start)
		for k := range pl.lines {
			l.place(i, pl, k)
		}
	}
}

// ParagraphLevel returns the base level (0 LTR, 1 RTL) paragraph i gets.
func (l *Layout) ParagraphLevel(i int) uint8 {
	if pl := l.lays[i]; pl != nil {
		return pl.level
	}
	return l.paraLevel(i)
}

func (l *Layout) paraLevel(i int) uint8 {
	switch l.dir {
	case LTR:
		return 0
	case RTL:
		return 1
	}
	p := l.t.para(i)
	if lv, ok := l.firstStrong(p.Start, p.End); ok {
		return lv
	}
	return l.fallback
}

// firstStrong applies P2–P3 to the code points [start, end) of a
// paragraph, reading ever longer prefixes of it: the first strong
// character of a prefix is the paragraph's.
func (l *Layout) firstStrong(start, end int) (uint8, bool) {
	for n := 64; ; n *= 8 {
		e := min(end, start+n)
		l.runeBuf = l.t.decode(l.runeBuf[:0], start, e)
		if lv, ok := bidi.FirstStrong(l.runeBuf); ok || e == end {
			return lv, ok
		}
	}
}

func dirOfLevel(level uint8) di.Direction {
	if level%2 == 1 {
		return di.DirectionRTL
	}
	return di.DirectionLTR
}
