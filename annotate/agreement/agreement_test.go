package agreement

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// sp is a span [s,e) labelled l.
func sp(s, e int, l string) annotate.Span { return annotate.Span{Start: s, End: e, Label: l} }

func done(spans ...annotate.Span) LayerDoc { return LayerDoc{Done: true, Spans: spans} }

func doc(id int64, layers map[string]LayerDoc) Doc {
	return Doc{ID: id, Name: "doc", Layers: layers}
}

func compute(t *testing.T, layers []string, opts Options, docs ...Doc) *Report {
	t.Helper()
	r, err := Compute(layers, slices.Values(docs), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOverlapPairing(t *testing.T) {
	tests := []struct {
		name                   string
		a, b                   []annotate.Span
		exact, overlap         float64 // labelled F1
		exactUnlab, overlapUnl float64
		matchedOverlapUnlab    int
	}{
		{
			name:  "one long span over two short ones counts once",
			a:     []annotate.Span{sp(0, 10, "PER")},
			b:     []annotate.Span{sp(0, 4, "PER"), sp(5, 10, "PER")},
			exact: 0, overlap: 2.0 / 3, exactUnlab: 0, overlapUnl: 2.0 / 3,
			matchedOverlapUnlab: 1,
		},
		{
			name:  "two short ones under one long span, other way round",
			a:     []annotate.Span{sp(0, 4, "PER"), sp(5, 10, "PER")},
			b:     []annotate.Span{sp(0, 10, "PER")},
			exact: 0, overlap: 2.0 / 3, exactUnlab: 0, overlapUnl: 2.0 / 3,
			matchedOverlapUnlab: 1,
		},
		{
			// Taking A's spans by start would pair [0,10) with [2,3) and
			// leave [2,3) of A alone; by end both are paired.
			name:  "greedy by end finds the maximum",
			a:     []annotate.Span{sp(0, 10, "PER"), sp(2, 3, "PER")},
			b:     []annotate.Span{sp(2, 3, "PER"), sp(5, 8, "PER")},
			exact: 0.5, overlap: 1, exactUnlab: 0.5, overlapUnl: 1,
			matchedOverlapUnlab: 2,
		},
		{
			name:  "labels must agree for labelled F1",
			a:     []annotate.Span{sp(0, 5, "PER")},
			b:     []annotate.Span{sp(1, 5, "LOC")},
			exact: 0, overlap: 0, exactUnlab: 0, overlapUnl: 1,
			matchedOverlapUnlab: 1,
		},
		{
			name:  "touching spans do not overlap",
			a:     []annotate.Span{sp(0, 5, "PER")},
			b:     []annotate.Span{sp(5, 9, "PER")},
			exact: 0, overlap: 0, exactUnlab: 0, overlapUnl: 0,
		},
		{
			name:  "identical",
			a:     []annotate.Span{sp(0, 5, "PER"), sp(7, 9, "LOC")},
			b:     []annotate.Span{sp(7, 9, "LOC"), sp(0, 5, "PER")},
			exact: 1, overlap: 1, exactUnlab: 1, overlapUnl: 1,
			matchedOverlapUnlab: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := compute(t, []string{"a", "b"}, Options{}, doc(1, map[string]LayerDoc{"a": done(tt.a...), "b": done(tt.b...)}))
			p := r.Pairs[0]
			near(t, "f1_exact", p.F1Exact, tt.exact, 1e-12)
			near(t, "f1_overlap", p.F1Overlap, tt.overlap, 1e-12)
			near(t, "f1_exact_unlabeled", p.F1ExactUnlabeled, tt.exactUnlab, 1e-12)
			near(t, "f1_overlap_unlabeled", p.F1OverlapUnlabeled, tt.overlapUnl, 1e-12)
			if m := p.Matches.OverlapUnlabeled; m.A != tt.matchedOverlapUnlab || m.B != tt.matchedOverlapUnlab {
				t.Errorf("overlap matches %+v, want %d each", m, tt.matchedOverlapUnlab)
			}
			// F1 is symmetric.
			q := compute(t, []string{"b", "a"}, Options{}, doc(1, map[string]LayerDoc{"a": done(tt.a...), "b": done(tt.b...)})).Pairs[0]
			for _, v := range [][2]Value{{p.F1Exact, q.F1Exact}, {p.F1Overlap, q.F1Overlap}, {p.F1ExactUnlabeled, q.F1ExactUnlabeled}, {p.F1OverlapUnlabeled, q.F1OverlapUnlabeled}} {
				if v[0] != v[1] {
					t.Errorf("F1 not symmetric: %v and %v", v[0], v[1])
				}
			}
		})
	}
}

func TestPerLabelF1(t *testing.T) {
	// A: PER [0,5), LOC [10,15); B: LOC [0,5), LOC [10,15), PER [20,25).
	r := compute(t, []string{"a", "b"}, Options{}, doc(1, map[string]LayerDoc{
		"a": done(sp(0, 5, "PER"), sp(10, 15, "LOC")),
		"b": done(sp(0, 5, "LOC"), sp(10, 15, "LOC"), sp(20, 25, "PER")),
	}))
	per := r.PerLabel["PER"].Pairs[0]
	loc := r.PerLabel["LOC"].Pairs[0]
	// PER labelled: A has 1, B has 1, none shared.
	near(t, "PER f1_exact", per.F1Exact, 0, 0)
	// PER unlabelled: A's PER span was marked by B (as LOC): matched A 1;
	// B's PER span at [20,25) was not marked by A: matched B 0.
	near(t, "PER f1_exact_unlabeled", per.F1ExactUnlabeled, 0.5, 1e-12)
	if m := per.Matches.ExactUnlabeled; m != (Match{1, 0}) {
		t.Errorf("PER unlabelled matches %+v, want {1 0}", m)
	}
	// LOC labelled: A 1, B 2, one shared: 2/3.
	near(t, "LOC f1_exact", loc.F1Exact, 2.0/3, 1e-12)
	// LOC unlabelled: A's LOC matched; both of B's LOC matched by A: 3/3.
	near(t, "LOC f1_exact_unlabeled", loc.F1ExactUnlabeled, 1, 1e-12)
	// Overall: 2 of A's, 2 of B's marked by the other: 4/5; labelled 2/5.
	near(t, "f1_exact_unlabeled", r.Pairs[0].F1ExactUnlabeled, 0.8, 1e-12)
	near(t, "f1_exact", r.Pairs[0].F1Exact, 0.4, 1e-12)
}

func TestNoneVersusMissing(t *testing.T) {
	layers := []string{"a", "b", "c"}
	base := []Doc{
		doc(1, map[string]LayerDoc{"a": done(sp(0, 5, "PER")), "b": done(sp(0, 5, "PER")), "c": done(sp(0, 5, "PER"))}),
		doc(2, map[string]LayerDoc{"a": done(sp(0, 5, "LOC")), "b": done(sp(0, 5, "LOC")), "c": done(sp(0, 5, "LOC"))}),
		doc(3, map[string]LayerDoc{"a": done(sp(0, 3, "PER")), "b": done(sp(0, 3, "LOC")), "c": done(sp(0, 3, "PER"))}),
	}
	with := func(c LayerDoc, present bool) []Doc {
		d := doc(4, map[string]LayerDoc{"a": done(sp(10, 15, "PER")), "b": done(sp(10, 15, "PER"))})
		if present {
			d.Layers["c"] = c
		}
		return append(slices.Clone(base), d)
	}
	absent := compute(t, layers, Options{}, with(LayerDoc{}, false)...)
	unfinished := compute(t, layers, Options{}, with(LayerDoc{Done: false, Spans: []annotate.Span{sp(10, 15, "LOC"), sp(20, 22, "PER")}}, true)...)
	emptyDone := compute(t, layers, Options{}, with(done(), true)...)

	if !absent.KrippendorffAlpha.Defined || absent.KrippendorffAlpha != unfinished.KrippendorffAlpha {
		t.Errorf("an unfinished document is missing data: alpha %v, want %v as when c is absent", unfinished.KrippendorffAlpha, absent.KrippendorffAlpha)
	}
	if absent.Units != 4 || unfinished.Units != 4 || emptyDone.Units != 4 {
		t.Errorf("units %d, %d, %d; want 4 (c's spans in an unfinished document make no units)", absent.Units, unfinished.Units, emptyDone.Units)
	}
	if !(emptyDone.KrippendorffAlpha.Value < absent.KrippendorffAlpha.Value) {
		t.Errorf("a finished document without the span gives NONE and lowers alpha: %v, not below %v", emptyDone.KrippendorffAlpha, absent.KrippendorffAlpha)
	}
	if absent.FleissDocuments != 3 || emptyDone.FleissDocuments != 4 {
		t.Errorf("Fleiss documents %d and %d, want 3 and 4", absent.FleissDocuments, emptyDone.FleissDocuments)
	}
	// Pair a–c: the document counts once c finished it, and the unit is PER/NONE.
	ac := func(r *Report) Pair { return r.Pairs[1] }
	if ac(absent).Documents != 3 || ac(unfinished).Documents != 3 || ac(emptyDone).Documents != 4 {
		t.Errorf("a–c documents %d, %d, %d; want 3, 3, 4", ac(absent).Documents, ac(unfinished).Documents, ac(emptyDone).Documents)
	}
	cf := emptyDone.Confusion["a,c"]
	if got := cf.Counts[slices.Index(cf.Labels, "PER")][slices.Index(cf.Labels, None)]; got != 1 {
		t.Errorf("a PER / c NONE = %d, want 1 (%v %v)", got, cf.Labels, cf.Counts)
	}
	// Pair a–b is untouched by c.
	if absent.Pairs[0].CohenKappa != emptyDone.Pairs[0].CohenKappa {
		t.Errorf("a–b kappa changed with c: %v, %v", absent.Pairs[0].CohenKappa, emptyDone.Pairs[0].CohenKappa)
	}
	// A document only one layer finished does not count at all.
	one := compute(t, layers, Options{}, append(slices.Clone(base), doc(5, map[string]LayerDoc{"a": done(sp(0, 1, "PER"))}))...)
	full := compute(t, layers, Options{}, base...)
	if one.Documents != 3 || one.DocumentsRead != 4 || one.KrippendorffAlpha != full.KrippendorffAlpha {
		t.Errorf("documents %d of %d read, alpha %v; want 3 of 4 and %v", one.Documents, one.DocumentsRead, one.KrippendorffAlpha, full.KrippendorffAlpha)
	}
}

func TestPairUnitsIgnoreOtherLayers(t *testing.T) {
	// c marks a span a and b both left alone: for a–b that is no unit,
	// not a NONE/NONE agreement.
	r := compute(t, []string{"a", "b", "c"}, Options{}, doc(1, map[string]LayerDoc{
		"a": done(sp(0, 5, "PER"), sp(6, 8, "LOC")),
		"b": done(sp(0, 5, "PER"), sp(6, 8, "PER")),
		"c": done(sp(0, 5, "PER"), sp(20, 25, "LOC")),
	}))
	if ab := r.Pairs[0]; ab.Units != 2 {
		t.Errorf("a–b over %d units, want 2", ab.Units)
	}
	if r.Units != 3 {
		t.Errorf("alpha over %d units, want 3", r.Units)
	}
}

func TestUndefined(t *testing.T) {
	tests := []struct {
		name   string
		layers []string
		docs   []Doc
		// key → substring of the reason; "" means defined
		check map[string]string
	}{
		{
			name:   "one label only, full agreement",
			layers: []string{"a", "b"},
			docs: []Doc{
				doc(1, map[string]LayerDoc{"a": done(sp(0, 5, "PER")), "b": done(sp(0, 5, "PER"))}),
				doc(2, map[string]LayerDoc{"a": done(sp(3, 9, "PER")), "b": done(sp(3, 9, "PER"))}),
			},
			check: map[string]string{
				"cohen_kappa":        "only one category (PER) was used by both layers, so expected agreement is 1",
				"krippendorff_alpha": "only one value (PER)",
				"fleiss_kappa":       "only one category (PER)",
				"f1_exact":           "",
			},
		},
		{
			name:   "nobody finished together",
			layers: []string{"a", "b"},
			docs: []Doc{
				doc(1, map[string]LayerDoc{"a": done(sp(0, 5, "PER")), "b": {Spans: []annotate.Span{sp(0, 5, "PER")}}}),
			},
			check: map[string]string{
				"cohen_kappa":        "no units",
				"krippendorff_alpha": "no unit has values from two layers",
				"fleiss_kappa":       "no document was finished by all 2 layers",
				"f1_exact":           "neither layer marked a span",
				"f1_overlap":         "neither layer marked a span",
			},
		},
		{
			name:   "both finished, no spans",
			layers: []string{"a", "b"},
			docs:   []Doc{doc(1, map[string]LayerDoc{"a": done(), "b": done()})},
			check: map[string]string{
				"cohen_kappa":          "no units",
				"f1_exact_unlabeled":   "neither layer marked a span",
				"f1_overlap_unlabeled": "neither layer marked a span",
				"fleiss_kappa":         "have no units",
			},
		},
		{
			name:   "disagreement on one label only is defined",
			layers: []string{"a", "b"},
			docs:   []Doc{doc(1, map[string]LayerDoc{"a": done(sp(0, 5, "PER"), sp(6, 9, "PER")), "b": done(sp(0, 5, "PER"))})},
			check:  map[string]string{"cohen_kappa": "", "krippendorff_alpha": "", "f1_exact": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := compute(t, tt.layers, Options{}, tt.docs...)
			p := r.Pairs[0]
			got := map[string]Value{
				"cohen_kappa": p.CohenKappa, "f1_exact": p.F1Exact, "f1_overlap": p.F1Overlap,
				"f1_exact_unlabeled": p.F1ExactUnlabeled, "f1_overlap_unlabeled": p.F1OverlapUnlabeled,
				"krippendorff_alpha": r.KrippendorffAlpha, "fleiss_kappa": r.FleissKappa,
			}
			for key, want := range tt.check {
				v := got[key]
				switch {
				case want == "" && !v.Defined:
					t.Errorf("%s undefined (%s), want a value", key, v.Reason)
				case want != "" && v.Defined:
					t.Errorf("%s = %v, want undefined: %s", key, v.Value, want)
				case want != "" && !strings.Contains(v.Reason, want):
					t.Errorf("%s reason %q, want it to say %q", key, v.Reason, want)
				}
				// The reason is in the report's reasons too, and JSON says null.
				reasons := r.Reasons
				if key != "krippendorff_alpha" && key != "fleiss_kappa" {
					reasons = p.Reasons
				}
				if want != "" && reasons[key] != v.Reason {
					t.Errorf("reasons[%s] = %q, want %q", key, reasons[key], v.Reason)
				}
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "NaN") {
				t.Errorf("JSON holds NaN: %s", b)
			}
		})
	}
}

func TestPerLabelIsOneVersusRest(t *testing.T) {
	// Per-label figures equal the overall figures of the data recoded
	// label against the rest. The unit encoding has no NONE, so the recoding
	// is plain relabelling.
	abcd := []string{"A", "B", "C", "D"}
	data := [][]int{
		{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
		{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
	}
	r := compute(t, abcd, Options{}, unitDocs(abcd, data)...)
	for v := 1; v <= 5; v++ {
		recoded := make([][]int, len(data))
		for c := range data {
			for _, x := range data[c] {
				switch {
				case x == 0:
					recoded[c] = append(recoded[c], 0)
				case x == v:
					recoded[c] = append(recoded[c], 1)
				default:
					recoded[c] = append(recoded[c], 2)
				}
			}
		}
		want := compute(t, abcd, Options{}, unitDocs(abcd, recoded)...)
		got := r.PerLabel["V"+string(rune('0'+v))]
		near(t, "alpha", got.KrippendorffAlpha, want.KrippendorffAlpha.Value, 1e-12)
		if got.FleissKappa.Defined != want.FleissKappa.Defined {
			t.Errorf("V%d Fleiss %v, recoded %v", v, got.FleissKappa, want.FleissKappa)
		} else if want.FleissKappa.Defined {
			near(t, "Fleiss", got.FleissKappa, want.FleissKappa.Value, 1e-12)
		}
		for i := range got.Pairs {
			g, w := got.Pairs[i].CohenKappa, want.Pairs[i].CohenKappa
			if g.Defined != w.Defined || (g.Defined && abs(g.Value-w.Value) > 1e-12) {
				t.Errorf("V%d %s–%s kappa %v, recoded %v", v, got.Pairs[i].A, got.Pairs[i].B, g, w)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestLabelConflicts(t *testing.T) {
	for _, order := range [][]annotate.Span{
		{sp(0, 5, "PER"), sp(0, 5, "LOC"), sp(0, 5, "PER")},
		{sp(0, 5, "LOC"), sp(0, 5, "PER")},
	} {
		r := compute(t, []string{"a", "b"}, Options{}, doc(1, map[string]LayerDoc{"a": done(order...), "b": done(sp(0, 5, "LOC"))}))
		if r.Conflicts["a"] != 1 || len(r.Conflicts) != 1 {
			t.Errorf("conflicts %v, want a:1", r.Conflicts)
		}
		// LOC sorts first and is kept: one unit, agreed.
		if p := r.Pairs[0]; p.Units != 1 || p.Matches.Exact.A != 1 {
			t.Errorf("units %d, exact matches %d; want 1 and 1", p.Units, p.Matches.Exact.A)
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := NewComputer([]string{"a"}, Options{}); err == nil {
		t.Error("one layer accepted")
	}
	if _, err := NewComputer([]string{"a", "b", "a"}, Options{}); err == nil {
		t.Error("a layer listed twice accepted")
	}
	_, err := Compute([]string{"a", "b"}, slices.Values([]Doc{doc(7, map[string]LayerDoc{"a": done(sp(5, 5, "PER")), "b": done()})}), Options{})
	if err == nil || !strings.Contains(err.Error(), "document 7") || !strings.Contains(err.Error(), "layer a") {
		t.Errorf("empty span: error %v, want one naming document 7 and layer a", err)
	}
}

func TestTokens(t *testing.T) {
	text := "Ali went to Paris ."
	r := compute(t, []string{"a", "b"}, Options{Tokens: true}, Doc{ID: 1, Text: text, Layers: map[string]LayerDoc{
		"a": done(sp(0, 3, "PER"), sp(12, 17, "LOC")),
		"b": done(sp(0, 3, "PER")),
	}}, doc(2, map[string]LayerDoc{"a": done(), "b": done()})) // no text
	tk := r.Tokens
	if tk == nil {
		t.Fatal("no token figures")
	}
	if tk.DocumentsWithoutText != 1 {
		t.Errorf("documents without text %d, want 1", tk.DocumentsWithoutText)
	}
	// Tokens: Ali went to Paris . → a: PER O O LOC O, b: PER O O O O.
	with, without := tk.WithO.Pairs[0], tk.WithoutO.Pairs[0]
	if with.Units != 5 || without.Units != 2 || with.Documents != 1 {
		t.Errorf("token units %d and %d in %d documents, want 5 and 2 in 1", with.Units, without.Units, with.Documents)
	}
	near(t, "token kappa with O", with.CohenKappa, (0.8-0.52)/0.48, 1e-12)
	near(t, "token kappa without O", without.CohenKappa, 1.0/3, 1e-12)
	if with.F1Exact != (Value{}) || with.Matches != nil {
		t.Errorf("token pairs carry no F1: %+v", with)
	}
	if tk.WithO.Units != 5 || tk.WithoutO.Units != 2 {
		t.Errorf("alpha over %d and %d tokens, want 5 and 2", tk.WithO.Units, tk.WithoutO.Units)
	}
	cf := tk.WithO.Confusion["a,b"]
	if !slices.Equal(cf.Labels, []string{"LOC", "PER", "O"}) || !equal2(cf.Counts, [][]int{{0, 0, 1}, {0, 1, 0}, {0, 0, 3}}) {
		t.Errorf("token confusion %v %v", cf.Labels, cf.Counts)
	}

	// A span that leaves out the conjunction و prefixed to a name still
	// labels the token; of two spans over a token the larger overlap wins.
	text = "ووصل وواشنطن اليوم"
	r = compute(t, []string{"a", "b"}, Options{Tokens: true}, Doc{ID: 1, Text: text, Layers: map[string]LayerDoc{
		"a": done(sp(6, 12, "PLACE")),                     // واشنطن
		"b": done(sp(5, 7, "PERSON"), sp(5, 12, "PLACE")), // وو, وواشنطن
	}})
	near(t, "token kappa", r.Tokens.WithO.Pairs[0].CohenKappa, 1, 0)
}

func TestLabelOrder(t *testing.T) {
	r := compute(t, []string{"a", "b"}, Options{Labels: []string{"PERSON", "PLACE", "EVENT"}}, doc(1, map[string]LayerDoc{
		"a": done(sp(0, 1, "ZZZ"), sp(2, 3, "PLACE"), sp(4, 5, "AAA")),
		"b": done(sp(6, 7, "PERSON")),
	}))
	if want := []string{"PERSON", "PLACE", "AAA", "ZZZ"}; !slices.Equal(r.Labels, want) {
		t.Errorf("labels %v, want %v (EVENT unused)", r.Labels, want)
	}
	if _, ok := r.PerLabel["EVENT"]; ok {
		t.Error("unused label EVENT reported")
	}
}
