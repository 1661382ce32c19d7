package textlayout

import (
	"container/list"
	"image"
	"image/color"
	"math"
	"sort"
	"sync"

	"github.com/go-text/typesetting/shaping"

	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
)

// LineSetter lays out and paints short single lines of text (list rows,
// captions, messages) in one face and size: each text is one bidi
// paragraph, shown on one line, cut at its logical end when it does not
// fit. The lines share one Layout, so the shaper keeps the font's tables
// from one text to the next and a glyph rasterised for one line serves
// all. It is safe for concurrent use.
type LineSetter struct {
	mu   sync.Mutex
	l    *Layout
	ellW map[ellipsisKey]float32 // widths of ellipses laid out alone
	// The lines laid out last, most recent first: a list shows the same
	// texts again as it scrolls back and forth.
	recent *list.List // of *recentLine
	byText map[lineKey]*list.Element
}

// recentLines is how many lines a LineSetter keeps.
const recentLines = 1024

type lineKey struct {
	text string
	dir  Direction
}

type recentLine struct {
	key  lineKey
	line *SingleLine
}

type ellipsisKey struct {
	text  string
	level uint8
}

// lineWidth is the wrap width lines are laid out at: wide enough that a
// line of MaxLineRunes code points never wraps, small enough that float32
// positions near it keep a sixtieth of a pixel.
const lineWidth = 1 << 17

// MaxLineRunes is the most code points a LineSetter lays out; a longer
// text is cut there (no screen shows that much on one line).
const MaxLineRunes = 2048

// NewLineSetter returns a LineSetter for text of size pixels in Amiri
// Regular, or Amiri Bold when bold.
func NewLineSetter(size float32, bold bool) *LineSetter {
	l := New(size, lineWidth)
	if bold {
		l.face = newBoldFace()
		l.setSize(size)
	}
	return &LineSetter{l: l, recent: list.New(), byText: map[lineKey]*list.Element{}}
}

// LineHeight returns the height of a line; Ascent the distance from its
// top to its baseline.
func (s *LineSetter) LineHeight() float32 { return s.l.lineHeight }

// Ascent returns the distance from a line's top to its baseline.
func (s *LineSetter) Ascent() float32 { return s.l.ascent }

// SingleLine is a text laid out on one line by a LineSetter.
type SingleLine struct {
	// Text is the text shown: the text given, with paragraph separators
	// shown as spaces, or its cut form with the ellipsis.
	Text []rune
	// Level is the paragraph level: 0 left to right, 1 right to left.
	Level uint8
	// Width is the line's advance.
	Width float32
	// Runs are the line's runs in visual order, X from the line's left
	// edge.
	Runs []Run
	// Cut reports a line cut to fit (Text ends with the ellipsis, or
	// stops short of the text given).
	Cut bool

	// cuts[k] is a place where the text may be cut (a glyph cluster
	// boundary) and the advance of the clusters before it, ascending.
	cuts []cutPoint
	// capped: the text given was longer than MaxLineRunes.
	capped bool
}

type cutPoint struct {
	off   int
	width float32
}

// Line lays text out as one paragraph on one line. Its direction is dir,
// or for Auto that of its first strong character (left to right when it
// has none). The text is kept by the line; the line may be one laid out
// before for the same text, and must not be changed.
func (s *LineSetter) Line(text []rune, dir Direction) *SingleLine {
	if len(text) > MaxLineRunes {
		return s.line(text, dir)
	}
	k := lineKey{string(text), dir}
	s.mu.Lock()
	if e, ok := s.byText[k]; ok {
		s.recent.MoveToFront(e)
		s.mu.Unlock()
		return e.Value.(*recentLine).line
	}
	s.mu.Unlock()
	ln := s.line(text, dir)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byText[k]; !ok {
		s.byText[k] = s.recent.PushFront(&recentLine{k, ln})
		if s.recent.Len() > recentLines {
			old := s.recent.Remove(s.recent.Back()).(*recentLine)
			delete(s.byText, old.key)
		}
	}
	return ln
}

func (s *LineSetter) line(text []rune, dir Direction) *SingleLine {
	capped := len(text) > MaxLineRunes
	level := uint8(0)
	switch dir {
	case RTL:
		level = 1
	case Auto:
		level, _ = bidi.FirstStrong(text)
	}
	if capped {
		text = text[:MaxLineRunes]
	}
	// Paragraph and line separators would start a new line.
	shown, copied := text, false
	for i, r := range text {
		if bidi.ClassOf(r) == bidi.B || r == 0x2028 {
			if !copied {
				shown, copied = append([]rune(nil), text...), true
			}
			shown[i] = ' '
		}
	}
	ln := s.layout(shown, level)
	ln.capped = capped
	ln.Cut = capped
	return ln
}

// Clusters returns the line's glyph clusters from left to right, each as
// the range [start, end) of the code points of Text it shows.
func (ln *SingleLine) Clusters() [][2]int {
	var out [][2]int
	for _, run := range ln.Runs {
		last := -1
		for _, g := range run.Out.Glyphs {
			if g.ClusterIndex != last {
				last = g.ClusterIndex
				out = append(out, [2]int{g.ClusterIndex, g.ClusterIndex + max(1, g.RuneCount)})
			}
		}
	}
	return out
}

// layout lays text out at the paragraph level given.
func (s *LineSetter) layout(text []rune, level uint8) *SingleLine {
	dir := LTR
	if level == 1 {
		dir = RTL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.l
	l.SetDirection(dir)
	l.SetRunes(text)
	ln := &SingleLine{Text: text, Level: level}
	var clusters []cutPoint
	for _, line := range l.Lines(0) { // one line, unless the text is absurdly wide
		for _, run := range line.Runs {
			gs := append([]shaping.Glyph(nil), run.Out.Glyphs...)
			run.Out.Glyphs = gs
			run.X = run.X - line.X + ln.Width
			ln.Runs = append(ln.Runs, run)
			for _, g := range gs {
				clusters = append(clusters, cutPoint{g.ClusterIndex, fx(g.XAdvance)})
			}
		}
		ln.Width += line.Width
	}
	// Cut points: cluster starts in logical order, with the advance of
	// everything before them.
	sort.Slice(clusters, func(a, b int) bool { return clusters[a].off < clusters[b].off })
	w := float32(0)
	for k, c := range clusters {
		if k == 0 || c.off != clusters[k-1].off {
			ln.cuts = append(ln.cuts, cutPoint{c.off, w})
		}
		w += c.width
	}
	ln.cuts = append(ln.cuts, cutPoint{len(text), w})
	return ln
}

// Fit returns ln when it fits in width; otherwise the longest logical
// start of its text (cut between glyph clusters, white space at the cut
// dropped) that fits followed by ellipsis, laid out in ln's direction.
// Embeddings and isolates open at the cut are closed before the
// ellipsis, so it stands at the paragraph's end: the right edge of a
// left-to-right line, the left edge of a right-to-left one. An empty
// ellipsis cuts without a mark. When not even the ellipsis fits, the line
// holds the ellipsis alone.
func (s *LineSetter) Fit(ln *SingleLine, width float32, ellipsis string) *SingleLine {
	if !ln.capped && ln.Width <= width+0.01 {
		return ln
	}
	ell := []rune(ellipsis)
	ellW := s.ellipsisWidth(ellipsis, ln.Level)
	// The last cut whose prefix, measured inside the whole line, leaves
	// room for the ellipsis; shaping at the cut may make it wider, so
	// step back until the laid-out result fits.
	k := sort.Search(len(ln.cuts), func(k int) bool { return ln.cuts[k].width+ellW > width+0.01 }) - 1
	k = min(k, len(ln.cuts)-2) // short of the whole text, which does not fit
	for ; ; k-- {
		end := 0
		if k >= 0 {
			end = ln.cuts[k].off
		}
		text := cutText(ln.Text[:end], ell)
		out := s.layout(text, ln.Level)
		out.Cut = true
		if out.Width <= width+0.01 || end == 0 {
			return out
		}
	}
}

func (s *LineSetter) ellipsisWidth(ellipsis string, level uint8) float32 {
	if ellipsis == "" {
		return 0
	}
	k := ellipsisKey{ellipsis, level}
	s.mu.Lock()
	w, ok := s.ellW[k]
	s.mu.Unlock()
	if !ok {
		w = s.layout([]rune(ellipsis), level).Width
		s.mu.Lock()
		if s.ellW == nil {
			s.ellW = map[ellipsisKey]float32{}
		}
		s.ellW[k] = w
		s.mu.Unlock()
	}
	return w
}

// cutText returns prefix without its trailing white space, followed by
// what closes the embeddings and isolates still open in it, then ell.
func cutText(prefix []rune, ell []rune) []rune {
	end := len(prefix)
	for end > 0 && isSpaceClass(bidi.ClassOf(prefix[end-1])) {
		end--
	}
	prefix = prefix[:end]
	// Open explicit formatting: true for an isolate, false for an
	// embedding or override.
	var open []bool
	for _, r := range prefix {
		switch bidi.ClassOf(r) {
		case bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO:
			open = append(open, false)
		case bidi.LRI, bidi.RLI, bidi.FSI:
			open = append(open, true)
		case bidi.PDF:
			if len(open) > 0 && !open[len(open)-1] {
				open = open[:len(open)-1]
			}
		case bidi.PDI:
			for k := len(open) - 1; k >= 0; k-- {
				if open[k] {
					open = open[:k]
					break
				}
			}
		}
	}
	out := make([]rune, 0, len(prefix)+len(open)+len(ell))
	out = append(out, prefix...)
	for k := len(open) - 1; k >= 0; k-- {
		if open[k] {
			out = append(out, 0x2069) // PDI
		} else {
			out = append(out, 0x202C) // PDF
		}
	}
	return append(out, ell...)
}

func isSpaceClass(c bidi.Class) bool { return c == bidi.WS || c == bidi.S }

// Paint draws ln in col with its left edge at x and its top at y, in
// logical pixels from dst's top-left corner, at scale device pixels per
// logical pixel.
func (s *LineSetter) Paint(dst *image.RGBA, ln *SingleLine, x, y, scale float32, col color.Color) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.l
	src := image.NewUniform(premul(col))
	baseline := dst.Rect.Min.Y + int(math.Round(float64((y+l.ascent)*scale)))
	for k := range ln.Runs {
		l.drawRun(dst, &ln.Runs[k], (x+ln.Runs[k].X)*scale, baseline, scale, src)
	}
}
