package bidi

import (
	"strings"
	"testing"

	xbidi "golang.org/x/text/unicode/bidi"

	"github.com/qalam-annotate/qalam/assets"
)

// runeCount returns the code points of paras.
func runeCount(paras [][]rune) int64 {
	n := 0
	for _, p := range paras {
		n += len(p)
	}
	return int64(n)
}

func seedParagraphs(b *testing.B) [][]rune {
	s := assets.Samples()
	if len(s) == 0 || !strings.HasPrefix(s[0].Name, "reuters") {
		b.Fatal("the seed article is not among the bundled samples")
	}
	var paras [][]rune
	for _, p := range strings.Split(string(s[0].Text), "\n") {
		paras = append(paras, []rune(p))
	}
	return paras
}

// BenchmarkResolveSeed resolves the levels of every paragraph of the seed
// article (42 paragraphs, 3,301 code points) and applies L1 to each as one
// line, as the article view does before shaping.
func BenchmarkResolveSeed(b *testing.B) {
	paras := seedParagraphs(b)
	b.SetBytes(runeCount(paras)) // code points, reported as bytes
	var dst []uint8
	for b.Loop() {
		for _, p := range paras {
			dst = Resolve(p, -1, 0).LineLevels(0, len(p), dst)
		}
	}
}

// BenchmarkLookupSeed is the floor of BenchmarkResolveSeed: looking up the
// bidi properties of every code point of the seed article in x/text's
// tables, and nothing else.
func BenchmarkLookupSeed(b *testing.B) {
	paras := seedParagraphs(b)
	b.SetBytes(runeCount(paras))
	var sink xbidi.Class
	for b.Loop() {
		for _, p := range paras {
			for _, r := range p {
				pr, _ := xbidi.LookupRune(r)
				sink += pr.Class()
			}
		}
	}
	_ = sink
}

// BenchmarkResolveMegabyteParagraph resolves one paragraph of about a
// million code points: the seed article's paragraphs joined by spaces and
// repeated.
func BenchmarkResolveMegabyteParagraph(b *testing.B) {
	var one []rune
	for _, p := range seedParagraphs(b) {
		one = append(append(one, p...), ' ')
	}
	var text []rune
	for len(text) < 1<<20 {
		text = append(text, one...)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Resolve(text, -1, 0)
	}
}
