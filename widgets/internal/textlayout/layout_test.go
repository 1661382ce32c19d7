package textlayout

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/assets"
)

func seed(t testing.TB) string {
	t.Helper()
	s := assets.Samples()
	if len(s) == 0 || !strings.HasPrefix(s[0].Name, "reuters") {
		t.Fatal("the seed article is not among the bundled samples")
	}
	return string(s[0].Text)
}

// runeOffset returns the code-point offset of the first occurrence of sub.
func runeOffset(t testing.TB, text, sub string) (int, int) {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not found", sub)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

func TestSplitParagraphs(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"", "[{0 0 0}]"},
		{"ab", "[{0 2 2}]"},
		{"a\nb", "[{0 1 2} {2 3 3}]"},
		{"a\r\nb", "[{0 1 3} {3 4 4}]"},
		{"a\rb", "[{0 1 2} {2 3 3}]"},
		{"a\u2029b", "[{0 1 2} {2 3 3}]"},
		{"a\n", "[{0 1 2} {2 2 2}]"},
		{"\n\n", "[{0 0 1} {1 1 2} {2 2 2}]"},
		{"a\u2028b", "[{0 3 3}]"}, // line separator stays inside the paragraph
	}
	for _, tc := range tests {
		dt := indexText(tc.text)
		if got := fmt.Sprint(dt.allParas()); got != tc.want {
			t.Errorf("paragraphs of %q: %s, want %s", tc.text, got, tc.want)
		}
	}
}

func TestParagraphDirection(t *testing.T) {
	tests := []struct {
		name string
		text string
		dir  Direction
		want []uint8
	}{
		{"first strong per paragraph", "abc ق\nقال ab\n5 ab", Auto, []uint8{0, 1, 0}},
		{"neutral paragraph takes the document's direction", "قال\n- 5 -\nab", Auto, []uint8{1, 1, 0}},
		{"override ltr", "قال\nab", LTR, []uint8{0, 0}},
		{"override rtl", "قال\nab", RTL, []uint8{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(16, 500)
			l.SetText(tc.text)
			l.SetDirection(tc.dir)
			for i, want := range tc.want {
				if got := l.ParagraphLevel(i); got != want {
					t.Errorf("paragraph %d level %d, want %d", i, got, want)
				}
				l.Lines(i)
				if got := l.ParagraphLevel(i); got != want {
					t.Errorf("paragraph %d level %d after layout, want %d", i, got, want)
				}
			}
		})
	}
}

func TestAlignment(t *testing.T) {
	l := New(16, 600)
	l.SetText("قال الرئيس\nThe president said")
	ar := l.Lines(0)[0]
	if d := ar.X + ar.Width - 600; d < -0.5 || d > 0.5 {
		t.Errorf("Arabic line ends at %v, want right-aligned at 600", ar.X+ar.Width)
	}
	en := l.Lines(1)[0]
	if en.X != 0 {
		t.Errorf("English line starts at %v, want 0", en.X)
	}
}

// checkCoverage verifies that every code point of every paragraph lies in
// exactly one grapheme box, and that boxes are in visual order.
func checkCoverage(t *testing.T, l *Layout) {
	t.Helper()
	for i, p := range l.Paragraphs() {
		seen := make([]int, p.End-p.Start)
		for k := range l.Lines(i) {
			prev := float32(-1e9)
			for _, b := range l.Boxes(i, k) {
				if b.X0 < prev-0.01 || b.X1 < b.X0 {
					t.Fatalf("paragraph %d line %d: box %+v out of visual order", i, k, b)
				}
				prev = b.X1
				for r := b.Start; r < b.End; r++ {
					seen[r-p.Start]++
				}
			}
		}
		for r, n := range seen {
			if n != 1 {
				t.Fatalf("paragraph %d: code point %d (%q) is in %d boxes", i, p.Start+r, l.Text()[p.Start+r], n)
			}
		}
	}
}

// TestRoundTrip maps the centre of every grapheme cluster of the seed
// article to an offset and back to a rectangle, at widths that wrap
// differently.
func TestRoundTrip(t *testing.T) {
	text := seed(t)
	for _, width := range []float32{240, 520, 900, 5000} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			l := New(16, width)
			l.SetText(text)
			l.LayoutAll()
			checkCoverage(t, l)
			clusters := 0
			for i := range l.Paragraphs() {
				top := l.ParaTop(i)
				for k, ln := range l.Lines(i) {
					for _, b := range l.Boxes(i, k) {
						if b.X1-b.X0 < 0.5 {
							continue // zero-width: nothing to point at
						}
						clusters++
						x, y := (b.X0+b.X1)/2, top+ln.Top+l.LineHeight()/2
						h := l.HitTest(x, y)
						if !h.InBox || h.Box.Start != b.Start {
							t.Fatalf("pixel (%v,%v) of cluster %d–%d %q hit %+v", x, y, b.Start, b.End, string(l.Text()[b.Start:b.End]), h)
						}
						rs := l.Rects(h.Box.Start, h.Box.Start+1)
						if len(rs) != 1 || x < rs[0].X0 || x > rs[0].X1 || y < rs[0].Y0 || y > rs[0].Y1 {
							t.Fatalf("rects %v of offset %d do not hold (%v,%v)", rs, h.Box.Start, x, y)
						}
						// carets on both sides of the cluster
						left, right := l.HitTest(b.X0+0.1, y).Caret, l.HitTest(b.X1-0.1, y).Caret
						if b.RTL {
							left, right = right, left
						}
						if left != b.Start || right != b.End {
							t.Fatalf("carets of cluster %d–%d: %d, %d", b.Start, b.End, left, right)
						}
					}
				}
			}
			if clusters < 2500 {
				t.Fatalf("only %d clusters checked", clusters)
			}
		})
	}
}

func TestSpecialCharacters(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		zeroWidth []rune // code points that must take no space
	}{
		{"bidi controls", "a\u202bب\u202cc \u2067د\u2069 \u2066e\u2069 \u2068f\u2069 \u202eg\u202c", []rune{0x202b, 0x202c, 0x2067, 0x2069, 0x2066, 0x2068, 0x202e}},
		{"marks", "a\u200eب\u200fc\u061c", []rune{0x200e, 0x200f, 0x061c}},
		{"nbsp tatweel harakat", "كـــتاب\u00a0مُحَمَّدٌ", nil},
		{"lam-alef", "لا إله الا", nil},
		{"zwj zwnj", "مـ\u200dـه ل\u200cا", []rune{0x200d, 0x200c}},
		{"tab", "أ\tب", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(16, 800)
			l.SetText(tc.text)
			l.LayoutAll()
			checkCoverage(t, l)
			zero := map[rune]bool{}
			for _, r := range tc.zeroWidth {
				zero[r] = true
			}
			for k := range l.Lines(0) {
				for _, b := range l.Boxes(0, k) {
					r := l.Text()[b.Start]
					if zero[r] && b.X1-b.X0 > 0.01 {
						t.Errorf("%U is %v wide", r, b.X1-b.X0)
					}
				}
				for _, run := range l.Lines(0)[k].Runs {
					for _, g := range run.Out.Glyphs {
						if g.GlyphID == 0 && g.Width != 0 {
							t.Errorf("missing glyph for %q", l.Text()[l.Paragraphs()[0].Start+g.ClusterIndex])
						}
					}
				}
			}
		})
	}
}

func TestLamAlefLigature(t *testing.T) {
	// A ligature cluster holding two code points is split evenly between
	// them for hit-testing and rectangles.
	l := New(24, 800)
	l.SetText("لا")
	l.LayoutAll()
	boxes := l.Boxes(0, 0)
	if len(boxes) != 2 {
		t.Fatalf("%d boxes, want 2", len(boxes))
	}
	// visual order in RTL: alef (offset 1) left, lam (offset 0) right
	if boxes[0].Start != 1 || boxes[1].Start != 0 {
		t.Fatalf("boxes %+v", boxes)
	}
}

func TestWrapAndSpanRects(t *testing.T) {
	text := seed(t)
	l := New(16, 300)
	l.SetText(text)
	// A span that crosses a line wrap gives one rectangle per line.
	ln := l.Lines(1)
	if len(ln) < 2 {
		t.Fatal("paragraph 1 does not wrap at 300px")
	}
	start, end := ln[0].End-6, ln[1].Start+6
	rs := l.Rects(start, end)
	if len(rs) != 2 || rs[0].Y0 == rs[1].Y0 {
		t.Fatalf("rects %v, want two on different lines", rs)
	}
	// A span across a direction change gives one rectangle per run.
	// "in " and the first two letters of ميامي are apart on screen: the
	// Arabic word reads from the right.
	l2 := New(16, 2000)
	l2.SetText("the talks in ميامي were")
	if rs := l2.Rects(10, 15); len(rs) != 2 {
		t.Fatalf("rects %v across a direction change, want two", rs)
	}
	// A range that is contiguous on screen across runs is one rectangle.
	s5, _ := runeOffset(t, text, "5 ديسمبر")
	l.SetWidth(2000)
	if rs := l.Rects(s5-2, s5+4); len(rs) != 1 {
		t.Fatalf("rects %v for \"ن 5 دي\", want one", rs)
	}
	// Wrapped lines carry no trailing space into the line's alignment:
	// every line of an RTL paragraph ends at the right edge.
	l.SetWidth(300)
	for _, ln := range l.Lines(1) {
		if ln.X+ln.Width > 300.5 {
			t.Errorf("line %d–%d overflows: %v", ln.Start, ln.End, ln.X+ln.Width)
		}
	}
}

func TestWordsAndGraphemes(t *testing.T) {
	text := seed(t)
	l := New(16, 800)
	l.SetText(text)
	s, e := runeOffset(t, text, "ستيف ويتكوف")
	if a, b := l.SnapToWords(s+2, e-2); a != s || b != e {
		t.Errorf("SnapToWords = %d,%d want %d,%d", a, b, s, e)
	}
	ws, we, ok := l.WordAt(e - 1)
	if !ok || ws != e-6 || we != e {
		t.Errorf("WordAt(%d) = %d,%d,%v", e-1, ws, we, ok)
	}
	// the comma after the name is not part of the word
	if _, _, ok := l.WordAt(e); ok {
		t.Errorf("the comma after the name is inside a word")
	}
	if got := l.NextWordEdge(s); got != s+4 {
		t.Errorf("NextWordEdge = %d want %d", got, s+4)
	}
	if got := l.PrevWordEdge(e); got != e-6 {
		t.Errorf("PrevWordEdge = %d want %d", got, e-6)
	}
	l.SetText("مُحَمَّد")
	if got := l.NextGrapheme(0); got != 2 {
		t.Errorf("NextGrapheme(0) = %d want 2 (letter with its mark)", got)
	}
	if got := l.PrevGrapheme(8); got != 7 {
		t.Errorf("PrevGrapheme(8) = %d want 7", got)
	}
}

// TestSpansKeepGlyphs paints the name ستيف ويتكوف with and without spans
// over it (one covering part of a word) and checks that the glyphs are
// exactly where they were: the text is drawn in pure blue and the spans
// carry no blue, so the blue channel must not change at all.
func TestSpansKeepGlyphs(t *testing.T) {
	text := seed(t)
	l := New(18, 700)
	l.SetText(text)
	s, e := runeOffset(t, text, "ستيف ويتكوف")
	paint := func(m *Marks) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 700, 200))
		l.Paint(img, &Scene{Scale: 1, Top: l.ParaTop(1), Marks: m, Text: color.RGBA{0, 0, 255, 255}, Background: color.Black})
		return img
	}
	plain := paint(nil)
	marked := paint(NewMarks([]Mark{
		{ID: 1, Start: s, End: e, Color: color.NRGBA{0xe6, 0x19, 0, 0x80}},
		{ID: 2, Start: s + 2, End: s + 7, Color: color.NRGBA{0x3c, 0xb4, 0, 0x80}}, // ends inside ويتكوف
	}))
	differ := 0
	for k := 0; k < len(plain.Pix); k += 4 {
		if plain.Pix[k+2] != marked.Pix[k+2] {
			t.Fatalf("glyph pixel %d changed under a span", k/4)
		}
		if plain.Pix[k] != marked.Pix[k] {
			differ++
		}
	}
	if differ < 200 {
		t.Fatalf("spans painted only %d pixels", differ)
	}
}

func TestMarksDepth(t *testing.T) {
	m := NewMarks([]Mark{{ID: 1, Start: 0, End: 10}, {ID: 2, Start: 2, End: 5}, {ID: 3, Start: 4, End: 12}, {ID: 4, Start: 10, End: 11}, {ID: 5, Start: 20, End: 25}})
	depth := map[int64]int{}
	for _, x := range m.All() {
		depth[x.ID] = x.Depth
	}
	want := map[int64]int{1: 0, 2: 1, 3: 2, 4: 0, 5: 0}
	if fmt.Sprint(depth) != fmt.Sprint(want) {
		t.Errorf("depths %v, want %v", depth, want)
	}
	var ids []int64
	for _, x := range m.At(4) {
		ids = append(ids, x.ID)
	}
	if fmt.Sprint(ids) != "[2 3 1]" {
		t.Errorf("At(4) = %v, want innermost first [2 3 1]", ids)
	}
}

func TestLazyLayout(t *testing.T) {
	text := strings.Repeat(seed(t), 50)
	l := New(16, 800)
	l.SetText(text)
	v := View{L: l, Height: 600}
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	l.Paint(img, &Scene{Scale: 1, Top: v.Top(), Text: color.Black})
	n := len(l.Paragraphs())
	if l.Stats.Shaped > 40 || l.Stats.Shaped == 0 {
		t.Fatalf("first paint shaped %d of %d paragraphs", l.Stats.Shaped, n)
	}
	// scrolling to the middle lays out only what it shows
	v.ScrollTo(l.Height() / 2)
	before := l.Stats.Shaped
	l.Paint(img, &Scene{Scale: 1, Top: v.Top(), Text: color.Black})
	if l.Stats.Shaped-before > 40 {
		t.Fatalf("jump shaped %d paragraphs", l.Stats.Shaped-before)
	}
	// a width change re-wraps without shaping again
	shaped := l.Stats.Shaped
	l.SetWidth(500)
	l.Paint(img, &Scene{Scale: 1, Top: v.Top(), Text: color.Black})
	if l.Stats.Shaped != shaped {
		t.Fatalf("width change shaped %d paragraphs again", l.Stats.Shaped-shaped)
	}
	// scrolling stays inside the document
	v.ScrollTo(1e9)
	if top := v.Top(); top > l.Height()-v.Height+0.5 || top < 0 {
		t.Fatalf("top %v outside [0, %v]", top, l.Height()-v.Height)
	}
	v.ScrollBy(-1e9)
	if v.Top() != 0 {
		t.Fatalf("top %v after scrolling up past the start", v.Top())
	}
	// Reveal brings a far offset into view
	off := len(l.Text()) * 3 / 4
	v.Reveal(off)
	_, y := l.CaretPos(off)
	if y < v.Top() || y+l.LineHeight() > v.Top()+v.Height {
		t.Fatalf("offset %d at y %v not within [%v, %v]", off, y, v.Top(), v.Top()+v.Height)
	}
}

// TestSetIndexed: a text indexed apart (Index, on any goroutine) is laid
// out as SetText lays it out; the zero Indexed is the empty text.
func TestSetIndexed(t *testing.T) {
	for _, text := range []string{"", "abc\nأبج", "\u200fabc", seed(t)} {
		whole, apart := New(16, 300), New(16, 300)
		whole.SetText(text)
		ready := make(chan Indexed)
		go func() { ready <- Index(text) }()
		apart.SetIndexed(<-ready)
		if apart.String() != whole.String() || apart.Len() != whole.Len() || apart.fallback != whole.fallback ||
			fmt.Sprint(apart.Paragraphs()) != fmt.Sprint(whole.Paragraphs()) || apart.Height() != whole.Height() {
			t.Errorf("%.20q indexed apart: %d code points, paragraphs %.60v, direction %v, height %v; SetText: %d, %.60v, %v, %v",
				text, apart.Len(), apart.Paragraphs(), apart.fallback, apart.Height(), whole.Len(), whole.Paragraphs(), whole.fallback, whole.Height())
		}
	}
	l := New(16, 300)
	l.SetText(seed(t))
	l.SetIndexed(Indexed{})
	if l.String() != "" || l.Len() != 0 || fmt.Sprint(l.Paragraphs()) != "[{0 0 0}]" {
		t.Errorf("the zero Indexed: %d code points, paragraphs %v", l.Len(), l.Paragraphs())
	}
}
