package agreement

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/annotate"
)

var words = strings.Fields("قال المبعوث الأمريكي ستيف ويتكوف في واشنطن يوم الجمعة إن المحادثات مع " +
	"المسؤولين الروس في موسكو كانت بناءة وإن الجانبين اتفقا على مواصلة العمل من أجل إنهاء الحرب " +
	"في أوكرانيا وأضاف أن الرئيس دونالد ترامب سيلتقي نظيره فلاديمير بوتين في قمة جديدة الشهر المقبل")

// benchCorpus is 100,000 documents of about 120 words, three layers of
// about ten spans each that mostly agree.
var benchCorpus = sync.OnceValue(func() []Doc {
	rng := rand.New(rand.NewPCG(7, 8))
	labels := []string{"PERSON", "PLACE", "EVENT"}
	layers := []string{"a", "b", "c"}
	docs := make([]Doc, 100_000)
	var sb strings.Builder
	for i := range docs {
		sb.Reset()
		type word struct{ start, end int }
		var ws []word
		pos := 0
		for w := range 120 {
			if w > 0 {
				sb.WriteByte(' ')
				pos++
			}
			t := words[rng.IntN(len(words))]
			sb.WriteString(t)
			n := utf8.RuneCountInString(t)
			ws = append(ws, word{pos, pos + n})
			pos += n
		}
		base := make([]annotate.Span, 0, 10)
		for k := range 10 { // one entity in each twelfth of the text
			w := k*12 + rng.IntN(10)
			n := 1 + rng.IntN(2)
			base = append(base, annotate.Span{Start: ws[w].start, End: ws[w+n-1].end, Label: labels[rng.IntN(3)]})
		}
		d := Doc{ID: int64(i + 1), Name: "doc", Text: sb.String(), Layers: make(map[string]LayerDoc, 3)}
		for li, l := range layers {
			spans := slices.Clone(base)
			if li > 0 {
				for k := range spans {
					switch rng.IntN(20) {
					case 0:
						spans[k].Label = labels[rng.IntN(3)]
					case 1:
						spans[k].End-- // shortened
					case 2:
						spans[k].Start = spans[k].End - 1
					}
				}
				if rng.IntN(3) == 0 {
					spans = slices.Delete(spans, 3, 4)
				}
			}
			d.Layers[l] = LayerDoc{Done: rng.IntN(50) > 0, Spans: spans}
		}
		docs[i] = d
	}
	return docs
})

func benchmarkCompute(b *testing.B, opts Options) {
	docs := benchCorpus()
	layers := []string{"a", "b", "c"}
	b.ReportAllocs()
	b.ResetTimer()
	var r *Report
	for b.Loop() {
		var err error
		if r, err = Compute(layers, slices.Values(docs), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs)), "docs/op")
	b.ReportMetric(float64(r.Units), "units/op")
}

// BenchmarkCompute100k measures the span figures over 100,000 documents,
// three layers, about ten spans each.
func BenchmarkCompute100k(b *testing.B) { benchmarkCompute(b, Options{}) }

// BenchmarkCompute100kTokens adds the token-level figures (tokenization
// dominates).
func BenchmarkCompute100kTokens(b *testing.B) { benchmarkCompute(b, Options{Tokens: true}) }

// BenchmarkCompute100kPerDocument keeps a line per document.
func BenchmarkCompute100kPerDocument(b *testing.B) { benchmarkCompute(b, Options{PerDocument: true}) }

// BenchmarkTokenize is the tokenizer alone over the same texts, the floor
// for BenchmarkCompute100kTokens.
func BenchmarkTokenize100k(b *testing.B) {
	docs := benchCorpus()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			annotate.Tokenize(d.Text)
		}
	}
}
