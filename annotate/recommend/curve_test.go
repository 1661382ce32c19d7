package recommend_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
)

var curvePlot = flag.String("curve", "", "write the learning curve as an SVG plot to this `file`")

// score counts proposals against the corpus's own spans.
type score struct {
	proposed, gold, exact, word int
}

func (s score) precision(hits int) float64 { return ratio(hits, s.proposed) }
func (s score) recall(hits int) float64    { return ratio(hits, s.gold) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

type key struct {
	start, end int
	label      string
}

// simulate plays an annotator who works through docs[:n] with the
// recommender on: they accept the proposals the corpus has (same range
// and label), reject those whose range the corpus does not mark, relabel
// the others, and label what was not proposed; their layer ends as the
// corpus. Then it scores what the model proposes on the documents of
// eval, which it does not learn from. exact: the proposal's range
// and label are the corpus's; word: they are once the proclitic the
// proposal left out is put back, as the corpus tags whole words (ولبنان
// B-LOC).
func simulate(docs []sentence, labels annotate.LabelSet, n int, eval []sentence) score {
	m := recommend.NewModel()
	for i, d := range docs[:n] {
		ranges := map[[2]int]bool{}
		for _, sp := range d.spans {
			ranges[[2]int{sp.Start, sp.End}] = true
		}
		var rejected []annotate.Span
		for _, p := range m.Propose(d.text, nil, labels) {
			if !ranges[[2]int{p.Start, p.End}] {
				rejected = append(rejected, annotate.Span{Start: p.Start, End: p.End, Label: p.Label})
			}
		}
		m.SetDocument(int64(i+1), d.text, d.spans, nil, rejected)
	}
	var s score
	for _, d := range eval {
		gold := map[key]bool{}
		for _, sp := range d.spans {
			gold[key{sp.Start, sp.End, sp.Label}] = true
		}
		s.gold += len(d.spans)
		for _, p := range m.Propose(d.text, nil, labels) {
			s.proposed++
			if gold[key{p.Start, p.End, p.Label}] {
				s.exact++
			}
			if gold[key{p.Start - annotate.RuneLen(p.Proclitic), p.End, p.Label}] {
				s.word++
			}
		}
	}
	return s
}

func corpusLabels(docs []sentence) annotate.LabelSet {
	var set annotate.LabelSet
	for _, d := range docs {
		for _, sp := range d.spans {
			if _, ok := set.Find(sp.Label); !ok {
				set = append(set, annotate.Label{Name: sp.Label})
			}
		}
	}
	return set
}

type curve struct {
	name   string
	points []int
	scores []score
}

// TestLearningCurve measures the recommender on ANERcorp and AQMAR: the
// precision and recall of its proposals on the 100 documents after the
// first 10, 50, 200 (and more) an annotator worked through, and, on
// ANERcorp, on its last 100 documents held out. The figures are in the
// README (go test -run LearningCurve -v -curve docs/learning-curve.svg
// prints them and draws the plot). It checks that learning more finds
// more of the held-out names, and that most proposals are right.
func TestLearningCurve(t *testing.T) {
	aner, aq := anercorp(t), aqmar(t)
	heldOut := aner[len(aner)-100:]
	var curves []curve
	for _, c := range []struct {
		name   string
		docs   []sentence
		eval   func(n int) []sentence
		points []int
	}{
		{"ANERcorp, the next 100", aner, func(n int) []sentence { return aner[n:min(n+100, len(aner))] }, []int{10, 25, 50, 100, 200, 400, 800}},
		{"ANERcorp, the last 100", aner, func(int) []sentence { return heldOut }, []int{10, 25, 50, 100, 200, 400, 800}},
		{"AQMAR, the next 100", aq, func(n int) []sentence { return aq[n:min(n+100, len(aq))] }, []int{10, 25, 50, 100, 200, 400, 800, 1600}},
	} {
		labels := corpusLabels(c.docs)
		cv := curve{name: c.name, points: c.points}
		var pooled score
		for _, n := range c.points {
			s := simulate(c.docs, labels, n, c.eval(n))
			cv.scores = append(cv.scores, s)
			pooled.proposed += s.proposed
			pooled.word += s.word
			t.Logf("%s after %4d: %3d proposed, %3d in the corpus; exact P %.2f R %.2f; whole words P %.2f R %.2f",
				c.name, n, s.proposed, s.gold, s.precision(s.exact), s.recall(s.exact), s.precision(s.word), s.recall(s.word))
		}
		if p := pooled.precision(pooled.word); p < 0.6 {
			t.Errorf("%s: precision %.2f over all points: too many wrong proposals", c.name, p)
		}
		curves = append(curves, cv)
	}
	held := curves[1].scores
	for i := 1; i < len(held); i++ {
		if held[i].recall(held[i].word) < held[i-1].recall(held[i-1].word) {
			t.Errorf("held-out recall falls from %.2f to %.2f after %d documents",
				held[i-1].recall(held[i-1].word), held[i].recall(held[i].word), curves[1].points[i])
		}
	}
	if *curvePlot != "" {
		if err := os.WriteFile(*curvePlot, []byte(plot(curves)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// plot draws precision and recall (whole words) against the documents
// learned from, on a log scale, as a small SVG.
func plot(curves []curve) string {
	const w, h, left, right, top, bottom = 640, 260, 50, 230, 20, 40
	pw, ph := float64(w-left-right), float64(h-top-bottom)
	x := func(n int) float64 {
		lo, hi := math.Log10(10), math.Log10(1600) // log scale
		return float64(left) + pw*(math.Log10(float64(n))-lo)/(hi-lo)
	}
	y := func(v float64) float64 { return float64(top) + ph*(1-v) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", w, h)
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%.2f</text>`+"\n",
			left, w-right, y(v), y(v), left-6, y(v)+4, v)
	}
	for _, n := range []int{10, 50, 200, 800, 1600} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n",
			x(n), x(n), top, h-bottom, x(n), h-bottom+14, n)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">documents (sentences) the annotator worked through</text>`+"\n", float64(left)+pw/2, h-6)
	colours := []string{"#e6194b", "#3cb44b", "#4363d8"}
	legend := 0
	for ci, c := range curves {
		for _, m := range []struct {
			name string
			dash string
			get  func(score) float64
		}{
			{"precision", "", func(s score) float64 { return s.precision(s.word) }},
			{"recall", ` stroke-dasharray="5,3"`, func(s score) float64 { return s.recall(s.word) }},
		} {
			var pts []string
			for i, n := range c.points {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(n), y(m.get(c.scores[i]))))
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n",
				colours[ci%len(colours)], m.dash, strings.Join(pts, " "))
			ly := top + 14 + 18*legend
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"%s/><text x="%d" y="%d">%s</text>`+"\n",
				w-right+10, w-right+34, ly, ly, colours[ci%len(colours)], m.dash, w-right+40, ly+4, c.name+": "+m.name)
			legend++
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
