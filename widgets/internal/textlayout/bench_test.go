package textlayout

import (
	"math"
	"testing"
)

// BenchmarkLayoutSeed shapes and wraps the whole seed article (42
// paragraphs, 3,301 code points) at 800 pixels.
func BenchmarkLayoutSeed(b *testing.B) {
	text := []rune(seed(b))
	l := New(16, 800)
	for b.Loop() {
		l.SetRunes(text)
		l.LayoutAll()
	}
}

// BenchmarkRewrapSeed wraps the seed article again at a new width, its
// shaping cached.
func BenchmarkRewrapSeed(b *testing.B) {
	l := New(16, 800)
	l.SetText(seed(b))
	l.LayoutAll()
	w := float32(800)
	for b.Loop() {
		w = 1400 - w
		l.SetWidth(w)
		l.LayoutAll()
	}
}

// BenchmarkHitTest maps one point to text (paragraph, line, grapheme and
// caret), over points spread across the laid-out seed article.
func BenchmarkHitTest(b *testing.B) {
	l := New(16, 800)
	l.SetText(seed(b))
	l.LayoutAll()
	h := l.Height()
	k := 0
	for b.Loop() {
		x := float32(k*37%800) + 0.5
		y := float32(math.Mod(float64(k)*13.25, float64(h)))
		l.HitTest(x, y)
		k++
	}
}
