package textlayout

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// splitRunes is paragraph splitting done plainly, on code points.
func splitRunes(text []rune) []Para {
	var out []Para
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n', '\r', 0x85, 0x1c, 0x1d, 0x1e, 0x2029:
			next := i + 1
			if text[i] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
			out = append(out, Para{Start: start, End: i, Next: next})
			start = next
			i = next - 1
		}
	}
	return append(out, Para{Start: start, End: len(text), Next: len(text)})
}

// TestIndexText checks the paragraphs, the code-point count and the
// offset-to-byte mapping against []rune, on the seed article and on
// random text of every UTF-8 length, with every separator, at every
// alignment to the eight-byte steps and across the marks every 1024 code
// points.
func TestIndexText(t *testing.T) {
	pool := []string{"a", "Z", " ", "5", "ب", "ي", "لا", "é", "«", "»", "—", "…", "€", "中", "😀", "\u200c", "\t",
		"\n", "\r", "\r\n", "\u0085", "\u2029", "\u2028", "\x1c", "\x1d", "\x1e", "\u00c2", "\u00e2", "\u0105"}
	texts := []string{"", "\n", "\r\n", "\r\r\n\n", "a\u0085", seed(t)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		var b strings.Builder
		for n := r.IntN(3000); n > 0; n-- {
			if r.IntN(4) == 0 {
				b.WriteString(pool[r.IntN(len(pool))])
			} else {
				b.WriteString(pool[r.IntN(10)])
			}
		}
		texts = append(texts, b.String())
	}
	for k, s := range texts {
		rs := []rune(s)
		x := indexText(s)
		if x.n != len(rs) {
			t.Fatalf("text %d: %d code points, want %d", k, x.n, len(rs))
		}
		if got, want := fmt.Sprint(x.allParas()), fmt.Sprint(splitRunes(rs)); got != want {
			t.Fatalf("text %d %q: paragraphs\n%s\nwant\n%s", k, s, got, want)
		}
		for off := 0; off <= len(rs); off += 1 + r.IntN(15) {
			if got, want := x.byteOf(off), len(string(rs[:off])); got != want {
				t.Fatalf("text %d: code point %d at byte %d, want %d", k, off, got, want)
			}
			end := min(len(rs), off+r.IntN(40))
			if got := x.slice(off, end); got != string(rs[off:end]) {
				t.Fatalf("text %d: slice %d–%d %q, want %q", k, off, end, got, string(rs[off:end]))
			}
			if got := x.decode(nil, off, end); !slices.Equal(got, rs[off:end]) {
				t.Fatalf("text %d: decode %d–%d %q, want %q", k, off, end, string(got), string(rs[off:end]))
			}
		}
	}
}

// TestIndexInvalidUTF8 checks that text that is not UTF-8 (which Qalam's
// import refuses) lays out without a panic: each byte that is not a
// continuation byte counts one code point.
func TestIndexInvalidUTF8(t *testing.T) {
	for _, s := range []string{"\xff", "\x80a", "a\xe2\x80", "\xe2\x80\nb", "ب\xd8\nج\xbf\xbf", strings.Repeat("\xc3(", 700)} {
		x := indexText(s)
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i]&0xc0 != 0x80 {
				n++
			}
		}
		if x.n != n || len(x.decode(nil, 0, x.n)) != n {
			t.Errorf("%q: %d code points, want %d", s, x.n, n)
		}
		l := New(16, 300)
		l.SetText(s)
		l.LayoutAll()
		l.Rects(0, l.Len())
	}
}
