package widgets

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// megabyteArticle repeats the seed article to one megabyte (about 7,400
// paragraphs, 580,000 code points).
func megabyteArticle(b *testing.B) string {
	seed := seedText(b)
	return strings.Repeat(seed, (1<<20)/len(seed)+1)
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
func BenchmarkOpenMegabyte(b *testing.B) {
	text := megabyteArticle(b)
	bv := newBenchView(b)
	for b.Loop() {
		bv.v.SetText(text)
		bv.r.Layout(bv.size)
		bv.paint()
	}
}

// BenchmarkSpanEditMegabyte measures adding one span on screen in a 1 MB
// article with 300 spans, scrolled to its middle: the span diff, the
// (empty) re-layout and the repaint of the visible region.
func BenchmarkSpanEditMegabyte(b *testing.B) {
	text := megabyteArticle(b)
	bv := newBenchView(b)
	bv.v.SetText(text)
	bv.r.Layout(bv.size)
	n := len([]rune(text))
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

// BenchmarkScrollMegabyte measures one wheel step (60 px) and the repaint,
// scrolling down and up through a 1 MB article.
func BenchmarkScrollMegabyte(b *testing.B) {
	text := megabyteArticle(b)
	bv := newBenchView(b)
	bv.v.SetText(text)
	bv.r.Layout(bv.size)
	bv.v.ScrollToOffset(len([]rune(text)) / 3)
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
