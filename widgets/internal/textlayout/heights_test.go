package textlayout

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// TestParaHeights checks sums and searches against adding up the heights
// one by one, for counts around the block size, after building and after
// each of a series of changes (to zero among them).
func TestParaHeights(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, heightBlock - 1, heightBlock, heightBlock + 1, 3*heightBlock + 17, 1000} {
		want := make([]float32, n)
		for i := range want {
			want[i] = float32(r.IntN(60))
		}
		var p paraHeights
		p.build(n, func(i int) float32 { return want[i] })
		check := func(step int) {
			t.Helper()
			total := 0.0
			for i := 0; i <= n; i++ {
				if got := p.sum(i); got != total {
					t.Fatalf("n=%d step %d: sum(%d) = %v, want %v", n, step, i, got, total)
				}
				if i < n {
					total += float64(want[i])
				}
			}
			// find(y) is the largest i whose sum is at most y.
			for y := -1.0; y <= total+2; y += 0.5 {
				w, s := 0, 0.0
				for w < n && s+float64(want[w]) <= y {
					s += float64(want[w])
					w++
				}
				if y < 0 {
					w = 0
				}
				if got := p.find(y); got != w {
					t.Fatalf("n=%d step %d: find(%v) = %d, want %d", n, step, y, got, w)
				}
			}
		}
		check(0)
		for step := 1; step <= 20; step++ {
			i, h := r.IntN(n), float32(r.IntN(60))
			if step%5 == 0 {
				h = 0
			}
			want[i] = h
			p.set(i, h)
			check(step)
		}
		// Building again for fewer paragraphs keeps nothing of before.
		m := max(n/2, 1)
		want = want[:m]
		for i := range want {
			want[i] = float32(r.IntN(60))
		}
		p.build(m, func(i int) float32 { return want[i] })
		n = m
		check(21)
	}
}

// TestIndexedBytes: Bytes tells what a layout keeps for a text, the text
// and what it knows of it, within 5% of what the heap holds: news in
// paragraphs (LF and CR LF) and news as one paragraph.
func TestIndexedBytes(t *testing.T) {
	news := strings.Repeat(seed(t), 8<<20/len(seed(t)))
	for name, text := range map[string]string{
		"paragraphs":    news,
		"CR LF":         strings.ReplaceAll(news, "\n", "\r\n"),
		"one paragraph": strings.ReplaceAll(news, "\n", " "),
	} {
		l := New(16, 600)
		live := func() uint64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return m.HeapAlloc
		}
		before := live()
		x := Index(text)
		l.SetIndexed(x)
		kept := int(live() - before) // the text was in the heap before
		runtime.KeepAlive(l)
		want := x.Bytes() - len(text)
		if d := kept - want; d > want/20+32<<10 || d < -want/20-32<<10 {
			t.Errorf("%s: Bytes says %d over the text, the heap holds %d", name, want, kept)
		}
		if x.Bytes() > len(text)*107/100 {
			t.Errorf("%s: %d bytes for %d of text, more than 7%% over it", name, x.Bytes(), len(text))
		}
	}
}
