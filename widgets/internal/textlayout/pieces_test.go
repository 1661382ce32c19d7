package textlayout

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/qalam-annotate/qalam/internal/shared"
	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
)

// bidiResolve returns the levels of a whole paragraph, after L1 at its end.
func bidiResolve(rs []rune, level uint8) []uint8 {
	p := bidi.Resolve(rs, int(level), 0)
	return p.LineLevels(0, len(rs), nil)
}

// longParagraphs returns texts of one long paragraph each: the seed
// article with its line breaks replaced by spaces, and, from the shared
// corpora, mixed Arabic and English sentences, Arabic news articles and
// the tokens of ANERcorp joined by spaces (as a CoNLL import without
// blank lines gives), each cut to about max code points.
func longParagraphs(t *testing.T, max int) map[string]string {
	t.Helper()
	out := map[string]string{"seed": strings.Repeat(strings.ReplaceAll(seed(t), "\n", " "), max/3000+1)}
	if shared.Dir() == "" {
		t.Log("shared corpora absent: checking the seed article only")
	}
	read := func(name, rel string, join string, field int) {
		if shared.Dir() == "" {
			return
		}
		f, err := os.Open(shared.Path(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var b strings.Builder
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<22)
		n := 0
		for sc.Scan() && n < max {
			line := strings.TrimSpace(sc.Text())
			if field >= 0 {
				fs := strings.Fields(line)
				if len(fs) <= field {
					continue
				}
				line = fs[field]
			}
			if line == "" || strings.HasPrefix(line, "<") {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(join)
			}
			b.WriteString(line)
			n += len([]rune(line)) + 1
		}
		out[name] = b.String()
	}
	read("mixed", "corpora/plaintext/ud-sentences/ar_en_pud_mixed_bidi.txt", " ", -1)
	read("hebrew", "corpora/plaintext/ud-sentences/he_iahltwiki_dev_sentences.txt", " ", -1)
	read("anercorp", "corpora/arabic/ANERcorp-CamelLab/Data/ANERCorp_CamelLab_test.txt", " ", 0)
	return out
}

// wholeLayout lays text out without cutting paragraphs into pieces.
func wholeLayout(text string, width float32) *Layout {
	l := New(16, width)
	l.pieceRunes = math.MaxInt32 / 8
	l.SetText(text)
	return l
}

// placedLineKey describes a placed line: its range and place (readable), then
// its grapheme boxes and the bidi level of every code point (in binary).
func placedLineKey(l *Layout, i, k int) string {
	ln := l.Line(i, k)
	b := fmt.Appendf(nil, "%d-%d x=%v w=%v boxes ", ln.Start, ln.End, ln.X, ln.Width)
	for _, x := range l.Boxes(i, k) {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x.X0))
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x.X1))
		b = binary.LittleEndian.AppendUint32(b, uint32(x.Start))
		b = binary.LittleEndian.AppendUint32(b, uint32(x.End))
		if x.RTL {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	levels := make([]byte, ln.End-ln.Start)
	for _, r := range ln.Runs {
		for o := r.Out.Runes.Offset; o < r.Out.Runes.Offset+r.Out.Runes.Count; o++ {
			levels[o+l.t.para(i).Start-ln.Start] = '0' + r.Level
		}
	}
	b = append(b, " levels "...)
	return string(append(b, levels...))
}

// wholeLines lays out paragraph 0 of l whole and returns its lines' keys
// by start offset.
func wholeLines(l *Layout) map[int]string {
	l.LayoutAll()
	out := map[int]string{}
	for k, ln := range l.Lines(0) {
		out[ln.Start] = placedLineKey(l, 0, k)
	}
	return out
}

// TestPiecesMatchWhole lays long paragraphs out in pieces, from the
// start, and compares every line with the paragraph laid out whole.
func TestPiecesMatchWhole(t *testing.T) {
	for name, text := range longParagraphs(t, 12000) {
		for _, width := range []float32{240, 520, 900} {
			t.Run(fmt.Sprintf("%s/%v", name, width), func(t *testing.T) {
				want := wholeLines(wholeLayout(text, width))
				l := New(16, width)
				l.SetText(text)
				l.LayoutAll()
				pl := l.lays[0]
				if len(pl.pieces) < 10 {
					t.Fatalf("%d pieces", len(pl.pieces))
				}
				if pl.whole != nil {
					t.Logf("levels resolved for the whole paragraph")
				}
				lines := l.Lines(0)
				if len(lines) != len(want) {
					t.Errorf("%d lines, whole %d", len(lines), len(want))
				}
				for k, ln := range lines {
					if got := placedLineKey(l, 0, k); got != want[ln.Start] {
						t.Fatalf("line %d:\npieces %.300s\nwhole  %.300s", k, got, want[ln.Start])
					}
				}
				if l.ParaHeight(0) != float32(len(lines))*l.LineHeight()+l.paraGap {
					t.Errorf("height %v not exact", l.ParaHeight(0))
				}
			})
		}
	}
}

// TestPieceLevels compares the levels of every piece, resolved alone,
// with those of the whole paragraph, on the mixed text of the corpora.
func TestPieceLevels(t *testing.T) {
	for name, text := range longParagraphs(t, 20000) {
		t.Run(name, func(t *testing.T) {
			l := New(16, 600)
			l.SetText(text)
			pl := l.layOut(0)
			if pl.whole != nil {
				t.Skip("resolved whole")
			}
			p := l.t.para(0)
			rs := l.t.decode(nil, p.Start, p.End)
			whole := bidiResolve(rs, pl.level)
			for k := range pl.pieces {
				pc := l.piece(0, pl, k)
				for ri, out := range pc.runs {
					for o := out.Runes.Offset; o < out.Runes.Offset+out.Runes.Count; o++ {
						if lv := pc.runLevel[ri]; lv != whole[o] {
							t.Fatalf("piece %d: code point %d (%q) at level %d, %d in the whole paragraph", k, o, rs[o], lv, whole[o])
						}
					}
				}
			}
		})
	}
}

// TestWrapMatchesGoText compares the line breaks of the wrapper with
// go-text's LineWrapper (WhenNecessary, as the layout used it before it
// had its own) on the paragraphs of the seed article and of corpora, at
// widths down to a few letters, where long words are broken.
func TestWrapMatchesGoText(t *testing.T) {
	paras := strings.Split(seed(t), "\n")
	for _, text := range longParagraphs(t, 4000) {
		for len(text) > 0 {
			n := min(len(text), 600)
			for n < len(text) && text[n] != ' ' {
				n++
			}
			paras = append(paras, text[:n])
			text = strings.TrimSpace(text[n:])
		}
	}
	var w shaping.LineWrapper
	checked := 0
	for _, width := range []float32{37, 90, 240, 520} {
		for _, para := range paras {
			if para == "" {
				continue
			}
			l := New(16, width)
			l.SetText(para)
			pl := l.layOut(0)
			pc := l.piece(0, pl, 0)
			rs := []rune(para)
			cfg := shaping.WrapConfig{Direction: dirOfLevel(pl.level), BreakPolicy: shaping.WhenNecessary, DisableTrailingWhitespaceTrim: true}
			wrapped, _ := w.WrapParagraph(cfg, l.maxWidth(), rs, shaping.NewSliceIterator(pc.runs))
			var want []string
			for _, wl := range wrapped {
				first, last := wl[0].Runes, wl[len(wl)-1].Runes
				want = append(want, fmt.Sprint(first.Offset, last.Offset+last.Count))
			}
			var got []string
			for _, ln := range pl.lines {
				got = append(got, fmt.Sprint(ln.Start, ln.End))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("width %v, %q:\ngot  %v\nwant %v", width, para, got, want)
			}
			checked++
		}
	}
	t.Logf("%d paragraphs at 4 widths", checked)
}

// visibleLines returns the keys of the lines from the view's top to its
// bottom.
func visibleLines(v *View) []string {
	l := v.L
	top := v.Top()
	var out []string
	l.walk(v.para, lineIndex(l.lays[v.para].lines, v.off), func(i int, pl *paraLayout, k int, y float32) bool {
		if y >= top+v.Height {
			return false
		}
		out = append(out, placedLineKey(l, i, k))
		return true
	})
	return out
}

// screenY returns where on screen the line starting at start is, and
// whether it is laid out.
func screenY(v *View, start int) (float32, bool) {
	l := v.L
	i := l.ParaOf(start)
	pl := l.lays[i]
	if pl == nil {
		return 0, false
	}
	k := lineIndex(pl.lines, start)
	if pl.lines[k].Start != start {
		return 0, false
	}
	return l.ParaTop(i) + pl.lines[k].Top - v.Top(), true
}

// scrollChecked scrolls v by dy and checks that the text on screen moved
// by exactly dy, or less at the document's top or bottom: the line in the
// middle of the view is where it was, less the distance scrolled. It
// returns how far the text moved.
func scrollChecked(t *testing.T, v *View, dy float32) (moved float32) {
	t.Helper()
	l := v.L
	y := v.Top() + v.Height/2
	i := l.ParaAt(y)
	pl, k := l.lineAtY(i, y-l.ParaTop(i))
	mark := pl.lines[k].Start
	y0, _ := screenY(v, mark)
	v.ScrollBy(dy)
	y1, ok := screenY(v, mark)
	if !ok {
		t.Fatalf("after scrolling %v the line at %d is gone", dy, mark)
	}
	moved = y0 - y1
	atEnd := v.Top() == 0 && dy < 0 || v.Top() == v.MaxTop() && dy > 0
	// (float32 document coordinates round a fraction of a pixel away)
	if math.Abs(float64(moved-dy)) > 0.01 && !(atEnd && moved*dy >= 0 && moved*moved < dy*dy) {
		t.Fatalf("scrolling %v moved the line at %d by %v on screen (from %v to %v)", dy, mark, moved, y0, y1)
	}
	return moved
}

// paintView paints the view, as the widget does after each step, into
// the image the view was painted into before.
func paintView(t *testing.T, v *View) {
	img := painting[v]
	if img == nil {
		img = image.NewRGBA(image.Rect(0, 0, int(v.L.Width()), int(v.Height)))
		painting[v] = img
		t.Cleanup(func() { delete(painting, v) })
	}
	v.L.Paint(img, &Scene{Scale: 1, Top: v.Top(), Text: color.Black})
}

// painting holds the image each view of a test is painted into.
var painting = map[*View]*image.RGBA{}

// TestPiecesJumpAndScroll jumps into long paragraphs, then scrolls up and
// down through them: nothing on screen jumps, and every line shown is as
// long as fits, laid out forwards from the line before it or backwards
// from the line after it.
func TestPiecesJumpAndScroll(t *testing.T) {
	for name, text := range longParagraphs(t, 40000) {
		for _, width := range []float32{300, 700} {
			t.Run(fmt.Sprintf("%s/%v", name, width), func(t *testing.T) {
				l := New(16, width)
				l.SetText(text)
				v := View{L: l, Height: 500}
				steps := 0
				check := func(when string) {
					t.Helper()
					paintView(t, &v)
					if steps++; steps%3 != 1 {
						return
					}
					top := v.Top()
					l.walk(v.para, lineIndex(l.lays[v.para].lines, v.off), func(i int, pl *paraLayout, k int, y float32) bool {
						if y >= top+v.Height {
							return false
						}
						ln := pl.lines[k]
						p := l.t.para(i)
						s, e := ln.Start-p.Start, ln.End-p.Start
						if fwd, _ := l.lineEnd(i, pl, s); fwd != e {
							if back, _ := l.lineStart(i, pl, e); back != s {
								t.Fatalf("%s: line %d–%d is neither as long as fits after %d (to %d) nor before %d (from %d)", when, ln.Start, ln.End, ln.Start, p.Start+fwd, ln.End, p.Start+back)
							}
						}
						return true
					})
				}
				for _, frac := range []float32{0.5, 0.93, 0.2} {
					v.ScrollTo(frac * l.Height())
					check(fmt.Sprintf("jump to %v", frac))
					// up two screens, down four, in wheel steps
					for s := 0; s < 22; s++ {
						scrollChecked(t, &v, -45)
						check(fmt.Sprintf("jump to %v, %d steps up", frac, s+1))
					}
					for s := 0; s < 44; s++ {
						scrollChecked(t, &v, 45)
						check(fmt.Sprintf("jump to %v, %d steps down", frac, s+1))
					}
				}
			})
		}
	}
}

// TestScrollToEndAndBack scrolls a document with a long paragraph between
// short ones from the top to the end and back in wheel steps: every step
// moves the text by the step, every line shown is the line of the
// paragraph laid out whole, the end stops at the document's bottom and the
// way back ends at the top with the lines it started with.
func TestScrollToEndAndBack(t *testing.T) {
	s := seed(t)
	text := s + strings.Repeat(strings.ReplaceAll(s, "\n", " "), 3) + "\n" + s
	for _, width := range []float32{300, 700} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ref := wholeLayout(text, width)
			ref.LayoutAll()
			want := map[string]bool{}
			for i := range ref.Paragraphs() {
				for k := range ref.Lines(i) {
					want[placedLineKey(ref, i, k)] = true
				}
			}
			l := New(16, width)
			l.SetText(text)
			v := View{L: l, Height: 400}
			paintView(t, &v)
			first := visibleLines(&v)
			step := func(dy float32) float32 {
				moved := scrollChecked(t, &v, dy)
				paintView(t, &v)
				for _, key := range visibleLines(&v) {
					if !want[key] {
						t.Fatalf("at %v: line %.200s is not the whole paragraph's", v.Top(), key)
					}
				}
				return moved
			}
			down, up := 0, 0
			for v.Top() < v.MaxTop() {
				if step(60) == 0 {
					t.Fatalf("stuck at %v of %v", v.Top(), v.MaxTop())
				}
				down++
			}
			if got := v.Top() + v.Height; got != l.Height() {
				t.Fatalf("bottom at %v, document height %v", got, l.Height())
			}
			if l.Height() != ref.Height() {
				t.Fatalf("height %v, laid out whole %v", l.Height(), ref.Height())
			}
			if moved := step(60); moved != 0 {
				t.Fatalf("scrolled %v past the end", moved)
			}
			for v.Top() > 0 {
				step(-60)
				up++
			}
			if got := visibleLines(&v); fmt.Sprint(got) != fmt.Sprint(first) {
				t.Fatalf("back at the top, the lines differ")
			}
			if d := down - up; d < -1 || d > 1 {
				t.Errorf("%d steps down, %d up", down, up)
			}
		})
	}
}

// TestEviction scrolls through a long document: the text kept shaped
// stays bounded and what comes back after eviction paints the same.
func TestEviction(t *testing.T) {
	s := seed(t)
	text := strings.Repeat(s, 8) + strings.Repeat(strings.ReplaceAll(s, "\n", " "), 8)
	l := New(16, 700)
	l.liveMax = 8 << 10
	l.SetText(text)
	v := View{L: l, Height: 500}
	paint := func() *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 700, 500))
		l.Paint(img, &Scene{Scale: 1, Top: v.Top(), Text: color.Black, Background: color.White})
		return img
	}
	v.ScrollTo(l.Height() * 0.7)
	before := paint()
	saved := v
	most := 0
	for _, dy := range []float32{400, -400} {
		for s := 0; s < 60; s++ {
			v.ScrollBy(dy)
			paint()
			most = max(most, l.liveRunes)
		}
	}
	if most > l.liveMax+8*l.pieceRunes {
		t.Errorf("%d code points shaped at once", most)
	}
	if l.lays[saved.para].pieces[0] != nil {
		t.Fatal("nothing was evicted")
	}
	v = saved
	after := paint()
	if string(before.Pix) != string(after.Pix) {
		t.Fatal("the same place paints differently after eviction")
	}
}

// TestPaintMovesPixels scrolls in steps of whole and fractional pixels,
// at scale 1 and 2, painting into the same image each time, which moves
// what is still in sight and draws the rest: the image must be exactly
// what a paint into a fresh image gives (by a second layout scrolled the
// same way).
func TestPaintMovesPixels(t *testing.T) {
	s := seed(t)
	text := s + strings.Repeat(strings.ReplaceAll(s, "\n", " "), 3) + "\n" + s
	s0, e0 := runeOffset(t, text, "ستيف ويتكوف")
	marks := NewMarks([]Mark{
		{ID: 1, Start: s0, End: e0, Color: color.NRGBA{0xe6, 0x19, 0x4b, 0x70}},
		{ID: 2, Start: s0 + 2, End: s0 + 9, Color: color.NRGBA{0x3c, 0xb4, 0x4b, 0x70}, Suggestion: true},
	})
	for _, scale := range []float32{1, 2} {
		t.Run(fmt.Sprint(scale), func(t *testing.T) {
			var ls [2]*Layout
			var vs [2]View
			for j := range ls {
				ls[j] = New(16, 500)
				ls[j].SetText(text)
				vs[j] = View{L: ls[j], Height: 300}
			}
			img := image.NewRGBA(image.Rect(0, 0, int(500*scale), int(300*scale)))
			for k, dy := range []float32{60, 60, 45, -17, 30, 0, 299, -250, 12.5, 40, 33, -60, 310} {
				for range 8 {
					var scenes [2]*Scene
					for j := range vs {
						vs[j].ScrollBy(dy)
						scenes[j] = &Scene{Top: vs[j].Top(), Scale: scale, Marks: marks, Selected: 1, HasSelected: true,
							SelStart: s0 - 20, SelEnd: s0 - 3, Text: color.Black, Selection: color.NRGBA{0, 0, 0xff, 0x40},
							Outline: color.Black, Background: color.White}
						if k == 5 {
							scenes[j].SelEnd++ // the selection changes: everything is drawn
						}
					}
					if scenes[0].Top != scenes[1].Top {
						t.Fatalf("the two views differ: %v and %v", scenes[0].Top, scenes[1].Top)
					}
					ls[0].Paint(img, scenes[0])
					ls[0].Paint(img, scenes[0]) // nothing moved: nothing to do
					fresh := image.NewRGBA(img.Rect)
					ls[1].Paint(fresh, scenes[1])
					if string(img.Pix) != string(fresh.Pix) {
						t.Fatalf("after scrolling by %v to %v the moved image differs from a fresh one", dy, vs[0].Top())
					}
				}
			}
			if ls[0].Stats.Moved == 0 || ls[1].Stats.Moved != 0 {
				t.Fatalf("%d paints moved pixels, %d in fresh images", ls[0].Stats.Moved, ls[1].Stats.Moved)
			}
			t.Logf("%d paints moved pixels", ls[0].Stats.Moved)
		})
	}
}

// TestSplitMatchesSegmenter compares the runs split gives with those of
// go-text's Segmenter (whose own bidi pass split skips), for every run of
// one bidi level in the long paragraphs of the corpora, the seed
// article's paragraphs, the Arabic news articles of the corpora and runs
// of several scripts.
func TestSplitMatchesSegmenter(t *testing.T) {
	texts := longParagraphs(t, 20000)
	texts["seed paragraphs"] = seed(t)
	texts["scripts"] = "Hello Ωμέγα world (ἀρχή) 123\nمرحبا ܫܠܡܐ «نص» ١٢٣ [ܐ]\nabc\u0301 日本語 テキスト"
	if shared.Dir() != "" {
		root := shared.Path(t, "corpora/plaintext/antcorpus-ANT-arabic-news-plain1000")
		files, err := filepath.Glob(filepath.Join(root, "*", "*.txt"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no articles in %s: %v", root, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts[f] = string(b)
		}
	}
	l := New(16, 600)
	runs, fast := 0, 0
	for name, text := range texts {
		for _, para := range strings.Split(text, "\n") {
			rs := []rune(para)
			levels := bidiResolve(rs, 1)
			for a := 0; a < len(rs); {
				b := a + 1
				for b < len(rs) && levels[b] == levels[a] {
					b++
				}
				in := shaping.Input{Text: rs, RunStart: a, RunEnd: b, Direction: dirOfLevel(levels[a]), Face: l.face, Size: fixed.I(16)}
				got := slices.Clone(l.split(in))
				want := l.seg.Split(in, singleFace{l.face})
				runs++
				if len(got) == 1 {
					fast++
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d-%d %q: %d runs, Segmenter %d", name, a, b, string(rs[a:b]), len(got), len(want))
				}
				for k := range got {
					g, w := got[k], want[k]
					if g.RunStart != w.RunStart || g.RunEnd != w.RunEnd || g.Script != w.Script || g.Face != w.Face {
						t.Fatalf("%s: %d-%d %q: run %d is %d-%d %v, Segmenter %d-%d %v", name, a, b, string(rs[a:b]), k, g.RunStart, g.RunEnd, g.Script, w.RunStart, w.RunEnd, w.Script)
					}
				}
				a = b
			}
		}
	}
	t.Logf("%d runs, %d of one script", runs, fast)
}
