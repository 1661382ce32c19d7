package agreement

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// kuhn is a maximum bipartite matching by augmenting paths, to check the
// greedy against.
func kuhn(a, b []span, edge func(x, y span) bool) int {
	matchB := make([]int, len(b))
	for i := range matchB {
		matchB[i] = -1
	}
	var try func(i int, seen []bool) bool
	try = func(i int, seen []bool) bool {
		for j := range b {
			if seen[j] || !edge(a[i], b[j]) {
				continue
			}
			seen[j] = true
			if matchB[j] < 0 || try(matchB[j], seen) {
				matchB[j] = i
				return true
			}
		}
		return false
	}
	n := 0
	for i := range a {
		if try(i, make([]bool, len(b))) {
			n++
		}
	}
	return n
}

func randomSpans(rng *rand.Rand, n, length int, labels []string) []span {
	var out []span
	for range n {
		s := rng.IntN(length)
		e := s + 1 + rng.IntN(8)
		out = append(out, span{start: s, end: e, label: int32(1 + rng.IntN(len(labels)))})
	}
	slices.SortFunc(out, byPosition)
	out = slices.CompactFunc(out, func(x, y span) bool { return x.start == y.start && x.end == y.end })
	return out
}

func TestGreedyMatchingIsMaximum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	labels := []string{"A", "B", "C"}
	for trial := range 3000 {
		a := randomSpans(rng, rng.IntN(9), 30, labels)
		b := randomSpans(rng, rng.IntN(9), 30, labels)
		var p pairAcc
		p.grow(4)
		var m matcher
		m.overlap(&p, a, b)

		any := func(x, y span) bool { return x.overlaps(y) }
		same := func(x, y span) bool { return x.overlaps(y) && x.label == y.label }
		if want := kuhn(a, b, any); p.ovUnlab != want {
			t.Fatalf("trial %d: unlabelled %d, maximum %d\na=%v\nb=%v", trial, p.ovUnlab, want, a, b)
		}
		for l := int32(1); l <= 3; l++ {
			of := func(ss []span) []span {
				return slices.DeleteFunc(slices.Clone(ss), func(s span) bool { return s.label != l })
			}
			if want := kuhn(of(a), of(b), same); p.ovLab[l] != want {
				t.Fatalf("trial %d label %d: labelled %d, maximum %d\na=%v\nb=%v", trial, l, p.ovLab[l], want, a, b)
			}
			if want := kuhn(of(a), b, any); p.ovA[l] != want {
				t.Fatalf("trial %d label %d: A's matched %d, maximum %d\na=%v\nb=%v", trial, l, p.ovA[l], want, a, b)
			}
			if want := kuhn(of(b), a, any); p.ovB[l] != want {
				t.Fatalf("trial %d label %d: B's matched %d, maximum %d\na=%v\nb=%v", trial, l, p.ovB[l], want, a, b)
			}
		}
	}
}

// randomCorpus makes documents for layers; same makes every layer copy the
// first one's spans.
func randomCorpus(rng *rand.Rand, layers []string, docs int, same bool) []Doc {
	labels := []string{"PERSON", "PLACE", "EVENT"}
	var out []Doc
	for id := range docs {
		d := Doc{ID: int64(id), Name: fmt.Sprint("d", id), Text: "Ali went to Paris and met Omar in Cairo on Monday .", Layers: map[string]LayerDoc{}}
		var first []annotate.Span
		for li, l := range layers {
			if rng.IntN(6) == 0 && !same {
				continue // absent
			}
			var spans []annotate.Span
			if same && li > 0 {
				spans = slices.Clone(first)
				rng.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
			} else {
				for range rng.IntN(6) {
					s := rng.IntN(45)
					spans = append(spans, annotate.Span{Start: s, End: s + 1 + rng.IntN(7), Label: labels[rng.IntN(len(labels))]})
				}
			}
			if li == 0 {
				first = spans
			}
			d.Layers[l] = LayerDoc{Done: same || rng.IntN(5) > 0, Spans: spans}
		}
		out = append(out, d)
	}
	return out
}

func TestIdenticalLayersAgreeFully(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	layers := []string{"a", "b", "c"}
	r := compute(t, layers, Options{Tokens: true}, randomCorpus(rng, layers, 200, true)...)
	one := func(what string, v Value) {
		t.Helper()
		if v.Defined && math.Abs(v.Value-1) > 1e-12 {
			t.Errorf("%s = %v for identical layers, want 1", what, v.Value)
		}
	}
	for _, m := range []Measures{r.Measures, r.Tokens.WithO.Measures, r.Tokens.WithoutO.Measures} {
		if !m.KrippendorffAlpha.Defined || !m.FleissKappa.Defined {
			t.Fatalf("undefined: %v %v", m.KrippendorffAlpha, m.FleissKappa)
		}
		one("alpha", m.KrippendorffAlpha)
		one("Fleiss", m.FleissKappa)
		for _, p := range m.Pairs {
			one("Cohen", p.CohenKappa)
			one("F1", p.F1Exact)
			one("F1", p.F1Overlap)
			one("F1", p.F1ExactUnlabeled)
			one("F1", p.F1OverlapUnlabeled)
		}
	}
	for l, m := range r.PerLabel {
		one(l+" alpha", m.KrippendorffAlpha)
		one(l+" Fleiss", m.FleissKappa)
		for _, p := range m.Pairs {
			one(l+" Cohen", p.CohenKappa)
			one(l+" F1", p.F1OverlapUnlabeled)
		}
	}
}

// pairsByName indexes a report's pairs by their unordered layer names.
func pairsByName(ps []Pair) map[[2]string]Pair {
	out := map[[2]string]Pair{}
	for _, p := range ps {
		k := [2]string{p.A, p.B}
		if k[0] > k[1] {
			k[0], k[1] = k[1], k[0]
		}
		out[k] = p
	}
	return out
}

func sameValue(x, y Value) bool {
	if x.Defined != y.Defined {
		return false
	}
	return !x.Defined || math.Abs(x.Value-y.Value) <= 1e-12
}

func checkSymmetric(t *testing.T, r, s *Report) {
	t.Helper()
	if !sameValue(r.KrippendorffAlpha, s.KrippendorffAlpha) || !sameValue(r.FleissKappa, s.FleissKappa) {
		t.Errorf("alpha %v / %v, Fleiss %v / %v after reordering layers", r.KrippendorffAlpha, s.KrippendorffAlpha, r.FleissKappa, s.FleissKappa)
	}
	ps, qs := pairsByName(r.Pairs), pairsByName(s.Pairs)
	for k, p := range ps {
		q := qs[k]
		if p.Units != q.Units || p.Documents != q.Documents {
			t.Errorf("%v: units %d/%d documents %d/%d", k, p.Units, q.Units, p.Documents, q.Documents)
		}
		for _, v := range [][2]Value{{p.CohenKappa, q.CohenKappa}, {p.F1Exact, q.F1Exact}, {p.F1Overlap, q.F1Overlap}, {p.F1ExactUnlabeled, q.F1ExactUnlabeled}, {p.F1OverlapUnlabeled, q.F1OverlapUnlabeled}} {
			if !sameValue(v[0], v[1]) {
				t.Errorf("%v: %v and %v after swapping the layers", k, v[0], v[1])
			}
		}
	}
	for l, m := range r.PerLabel {
		n := s.PerLabel[l]
		if !sameValue(m.KrippendorffAlpha, n.KrippendorffAlpha) || !sameValue(m.FleissKappa, n.FleissKappa) {
			t.Errorf("%s: alpha %v/%v Fleiss %v/%v", l, m.KrippendorffAlpha, n.KrippendorffAlpha, m.FleissKappa, n.FleissKappa)
		}
		ps, qs := pairsByName(m.Pairs), pairsByName(n.Pairs)
		for k, p := range ps {
			q := qs[k]
			for _, v := range [][2]Value{{p.CohenKappa, q.CohenKappa}, {p.F1Exact, q.F1Exact}, {p.F1Overlap, q.F1Overlap}, {p.F1ExactUnlabeled, q.F1ExactUnlabeled}, {p.F1OverlapUnlabeled, q.F1OverlapUnlabeled}} {
				if !sameValue(v[0], v[1]) {
					t.Errorf("%s %v: %v and %v after swapping the layers", l, k, v[0], v[1])
				}
			}
		}
	}
}

func TestSymmetryAndOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	layers := []string{"a", "b", "c"}
	docs := randomCorpus(rng, layers, 300, false)
	r := compute(t, layers, Options{Tokens: true}, docs...)

	// Layer order does not matter, except for which layer is A.
	checkSymmetric(t, r, compute(t, []string{"c", "b", "a"}, Options{Tokens: true}, docs...))

	// Document order and span order do not matter.
	shuffled := slices.Clone(docs)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, d := range shuffled {
		for l, ld := range d.Layers {
			ld.Spans = slices.Clone(ld.Spans)
			rng.Shuffle(len(ld.Spans), func(i, j int) { ld.Spans[i], ld.Spans[j] = ld.Spans[j], ld.Spans[i] })
			d.Layers[l] = ld
		}
	}
	checkSymmetric(t, r, compute(t, layers, Options{Tokens: true}, shuffled...))

	// Per-document reports do not change the totals.
	pd := compute(t, layers, Options{Tokens: true, PerDocument: true}, docs...)
	pd.PerDocument = nil
	if !reflect.DeepEqual(r, pd) {
		t.Error("totals differ with Options.PerDocument")
	}
}

func TestPerDocument(t *testing.T) {
	layers := []string{"a", "b"}
	docs := []Doc{
		{ID: 1, Name: "one", Text: "Ali went to Paris .", Layers: map[string]LayerDoc{"a": done(sp(0, 3, "PER")), "b": done(sp(0, 3, "PER"), sp(12, 17, "LOC"))}},
		{ID: 2, Name: "two", Layers: map[string]LayerDoc{"a": done(sp(0, 3, "PER"))}},
		{ID: 3, Name: "three", Layers: map[string]LayerDoc{"a": done(sp(0, 3, "PER")), "b": done(sp(0, 3, "LOC"))}},
	}
	r := compute(t, layers, Options{PerDocument: true, Tokens: true}, docs...)
	if len(r.PerDocument) != 2 || r.PerDocument[0].ID != 1 || r.PerDocument[1].ID != 3 {
		t.Fatalf("per-document entries %+v, want documents 1 and 3", r.PerDocument)
	}
	d1, d3 := r.PerDocument[0], r.PerDocument[1]
	near(t, "doc 1 F1", d1.Pairs[0].F1Exact, 2.0/3, 1e-12)
	near(t, "doc 3 F1 unlabelled", d3.Pairs[0].F1ExactUnlabeled, 1, 0)
	near(t, "doc 3 F1", d3.Pairs[0].F1Exact, 0, 0)
	if d1.Tokens == nil || d3.Tokens != nil {
		t.Errorf("token figures for documents with text only: %v %v", d1.Tokens, d3.Tokens)
	}
	if !slices.Equal(d1.Done, layers) || d1.Documents != 1 || d1.Units != 2 {
		t.Errorf("doc 1: done %v, %d documents, %d units", d1.Done, d1.Documents, d1.Units)
	}
}

// FuzzCompute checks that any input gives finite figures in range, valid
// JSON, and pairwise figures that do not depend on the order of layers.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	f.Add([]byte("\x03\x01\x05\x02\x10\x00\x03\x07\x01\x02\x05\x09"))
	f.Fuzz(func(t *testing.T, data []byte) {
		layers := []string{"a", "b", "c"}
		labels := []string{"X", "Y", "Z"}
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return int(b)
		}
		var docs []Doc
		for id := 0; len(data) > 0 && id < 50; id++ {
			d := Doc{ID: int64(id), Text: "one two three four five six seven eight nine ten", Layers: map[string]LayerDoc{}}
			for _, l := range layers {
				h := next()
				if h%4 == 0 {
					continue
				}
				ld := LayerDoc{Done: h%4 != 1}
				for range h / 4 % 5 {
					s := next() % 40
					ld.Spans = append(ld.Spans, annotate.Span{Start: s, End: s + 1 + next()%9, Label: labels[next()%3]})
				}
				d.Layers[l] = ld
			}
			docs = append(docs, d)
		}
		r, err := Compute(layers, slices.Values(docs), Options{Tokens: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
		inRange := func(what string, v Value, lo, hi float64) {
			if v.Defined && (math.IsNaN(v.Value) || v.Value < lo-1e-9 || v.Value > hi+1e-9) {
				t.Errorf("%s = %v outside [%v,%v]", what, v.Value, lo, hi)
			}
			if !v.Defined && v.Reason == "" {
				t.Errorf("%s undefined without a reason", what)
			}
		}
		all := []Measures{r.Measures, r.Tokens.WithO.Measures, r.Tokens.WithoutO.Measures}
		for _, m := range r.PerLabel {
			all = append(all, *m)
		}
		for _, m := range all {
			inRange("alpha", m.KrippendorffAlpha, math.Inf(-1), 1)
			inRange("Fleiss", m.FleissKappa, math.Inf(-1), 1) // not bounded by −1 in small samples
			for _, p := range m.Pairs {
				inRange("Cohen", p.CohenKappa, -1, 1)
				if p.Matches != nil {
					inRange("F1", p.F1Exact, 0, 1)
					inRange("F1", p.F1Overlap, 0, 1)
					inRange("F1", p.F1ExactUnlabeled, 0, 1)
					inRange("F1", p.F1OverlapUnlabeled, 0, 1)
					if p.F1Exact.Defined && p.F1Overlap.Value < p.F1Exact.Value-1e-12 {
						t.Errorf("overlap F1 %v below exact F1 %v", p.F1Overlap.Value, p.F1Exact.Value)
					}
				}
			}
		}
		checkSymmetric(t, r, compute(t, []string{"b", "c", "a"}, Options{Tokens: true}, docs...))
	})
}

func TestParallelTokensMatchAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	layers := []string{"a", "b", "c"}
	docs := randomCorpus(rng, layers, 700, false)
	opts := Options{Tokens: true, PerDocument: true}
	got, err := Compute(layers, slices.Values(docs), opts)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewComputer(layers, opts)
	for _, d := range docs {
		if err := c.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if want := c.Report(); !reflect.DeepEqual(got, want) {
		t.Error("Compute (tokenizing in parallel) and Computer.Add disagree")
	}

	// An error stops the reading and is returned.
	bad := slices.Clone(docs)
	bad[400] = doc(401, map[string]LayerDoc{"a": done(sp(3, 2, "X")), "b": done()})
	_, err = Compute(layers, slices.Values(bad), opts)
	if err == nil || !strings.Contains(err.Error(), "document 401") {
		t.Errorf("error %v, want one about document 401", err)
	}
}

// TestFromAnnotated: a document as a store reads it gives the same report
// as the same work handed over by layer, whatever its other layers and
// statuses (only done counts).
func TestFromAnnotated(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	layers := []string{"a", "b", "c"}
	docs := randomCorpus(rng, append(slices.Clone(layers), "gold"), 500, false)
	// As a store reads them: spans whole, and as keys (ReadKeys).
	var annotated, keyed []Doc
	for _, d := range docs {
		ad := &annotate.AnnotatedDoc{Document: annotate.Document{ID: d.ID, Name: d.Name, Text: d.Text}, Layers: map[string]*annotate.LayerDoc{}}
		kd := &annotate.AnnotatedDoc{Document: ad.Document, Layers: map[string]*annotate.LayerDoc{}}
		for name, ld := range d.Layers {
			status := annotate.Done
			if !ld.Done {
				status = []annotate.Status{annotate.Todo, annotate.InProgress, annotate.Skipped}[rng.IntN(3)]
			}
			ad.Layers[name] = &annotate.LayerDoc{Status: status, Spans: ld.Spans}
			kd.Layers[name] = &annotate.LayerDoc{Status: status, Spans: ld.Spans}
		}
		kd.ToKeys()
		annotated = append(annotated, FromAnnotated(ad))
		keyed = append(keyed, FromAnnotated(kd))
	}
	for _, opts := range []Options{{}, {Tokens: true, PerDocument: true}} {
		want, err := Compute(layers, slices.Values(docs), opts)
		if err != nil {
			t.Fatal(err)
		}
		for what, in := range map[string][]Doc{"annotated documents": annotated, "documents read as keys": keyed} {
			got, err := Compute(layers, slices.Values(in), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: the report from %s differs", opts, what)
			}
		}
	}
}
