package widgets

import (
	"image/color"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// megabyteArticle repeats the seed article to one megabyte (about 7,400
// paragraphs, 580,000 code points).
func megabyteArticle(b *testing.B) string {
	return repeatTo(seedText(b), 1<<20)
}

// oneParagraphMegabyte is the seed article with its line breaks replaced
// by spaces, repeated to one megabyte: one paragraph of 580,000 code
// points, as scraped text or a CoNLL file without blank lines gives.
func oneParagraphMegabyte(b *testing.B) string {
	return repeatTo(strings.ReplaceAll(seedText(b), "\n", " "), 1<<20)
}

// hundredMegabytes repeats the seed article to 100 megabytes (about
// 740,000 paragraphs, 58 million code points).
func hundredMegabytes(b *testing.B) string {
	return repeatTo(seedText(b), 100<<20)
}

func repeatTo(s string, size int) string {
	return strings.Repeat(s, size/len(s)+1)
}

type benchView struct {
	v    *ArticleView
	r    *articleRenderer
	size fyne.Size
}

func newBenchView(b *testing.B) benchView {
	test.NewTempApp(b)
	v := NewArticleView()
	r := test.WidgetRenderer(v).(*articleRenderer)
	size := fyne.NewSize(900, 600)
	v.Resize(size)
	return benchView{v, r, size}
}

// paint runs the raster generator as the painter would for the visible
// region: the widget's own drawing, without compositing the window.
func (bv benchView) paint() {
	bv.r.generate(int(bv.r.rasterW), int(bv.size.Height-2*bv.v.padding()))
}

// BenchmarkOpenMegabyte measures opening a 1 MB article to its first
// paint: splitting paragraphs, laying out those on screen, painting them.
func BenchmarkOpenMegabyte(b *testing.B) { benchOpen(b, megabyteArticle(b)) }

// BenchmarkOpenOneParagraphMegabyte opens a 1 MB article that is one
// paragraph.
func BenchmarkOpenOneParagraphMegabyte(b *testing.B) { benchOpen(b, oneParagraphMegabyte(b)) }

// BenchmarkOpen100MB opens a 100 MB article of ordinary paragraphs.
func BenchmarkOpen100MB(b *testing.B) { benchOpen(b, hundredMegabytes(b)) }

// BenchmarkSpanEditMegabyte measures adding one span on screen in a 1 MB
// article with 300 spans, scrolled to its middle: the span diff, the
// (empty) re-layout and the repaint of the visible region.
func BenchmarkSpanEditMegabyte(b *testing.B) { benchSpanEdit(b, megabyteArticle(b)) }

// BenchmarkSpanEditOneParagraphMegabyte adds a span in the middle of a
// 1 MB paragraph.
func BenchmarkSpanEditOneParagraphMegabyte(b *testing.B) { benchSpanEdit(b, oneParagraphMegabyte(b)) }

// BenchmarkSpanEdit100MB adds a span in the middle of a 100 MB article.
func BenchmarkSpanEdit100MB(b *testing.B) { benchSpanEdit(b, hundredMegabytes(b)) }

// BenchmarkScrollMegabyte measures one wheel step (60 px) and the repaint,
// scrolling down and up through a 1 MB article from a third of the way.
func BenchmarkScrollMegabyte(b *testing.B) { benchScroll(b, megabyteArticle(b)) }

// BenchmarkScrollOneParagraphMegabyte scrolls through a 1 MB paragraph,
// from a third of the way into it.
func BenchmarkScrollOneParagraphMegabyte(b *testing.B) { benchScroll(b, oneParagraphMegabyte(b)) }

// BenchmarkScroll100MB scrolls through a 100 MB article, from a third of
// the way into it.
func BenchmarkScroll100MB(b *testing.B) { benchScroll(b, hundredMegabytes(b)) }

func benchOpen(b *testing.B, text string) {
	bv := newBenchView(b)
	for b.Loop() {
		bv.v.SetText(text)
		bv.r.Layout(bv.size)
		bv.paint()
	}
}

func benchSpanEdit(b *testing.B, text string) {
	bv := newBenchView(b)
	bv.v.SetText(text)
	bv.r.Layout(bv.size)
	n := utf8.RuneCountInString(text)
	bv.v.ScrollToOffset(n / 2)
	var spans []SpanMark
	for k := range 300 {
		s := k * (n / 300)
		spans = append(spans, SpanMark{ID: int64(k + 1), Start: s, End: s + 8, Color: color.NRGBA{0xe6, 0x19, 0x4b, 0x70}})
	}
	bv.v.SetSpans(spans)
	bv.paint()
	at := bv.v.ScrollOffset() + 40
	for b.Loop() {
		bv.v.AddSpan(SpanMark{ID: 1 << 40, Start: at, End: at + 11, Color: color.NRGBA{0x3c, 0xb4, 0x4b, 0x70}})
		bv.paint()
		b.StopTimer()
		bv.v.RemoveSpan(1 << 40)
		b.StartTimer()
	}
}

func benchScroll(b *testing.B, text string) {
	bv := newBenchView(b)
	bv.v.SetText(text)
	bv.r.Layout(bv.size)
	bv.v.ScrollToOffset(utf8.RuneCountInString(text) / 3)
	k := 0
	for b.Loop() {
		dy := float32(-60)
		if k/200%2 == 1 {
			dy = 60
		}
		bv.v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, dy)})
		bv.paint()
		k++
	}
}
