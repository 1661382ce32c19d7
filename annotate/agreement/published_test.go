package agreement

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// unitDocs encodes reliability data (coders × units, 0 for a missing
// value) as one document per unit: a coder with a value finished the
// document and marked one span at [0,1) labelled V<value>; a coder without
// one did not finish it. NONE never occurs.
func unitDocs(coders []string, data [][]int) []Doc {
	var docs []Doc
	for u := range data[0] {
		d := Doc{ID: int64(u + 1), Name: fmt.Sprintf("unit %d", u+1), Layers: map[string]LayerDoc{}}
		for c, name := range coders {
			if v := data[c][u]; v != 0 {
				d.Layers[name] = LayerDoc{Done: true, Spans: []annotate.Span{{Start: 0, End: 1, Label: fmt.Sprintf("V%d", v)}}}
			}
		}
		docs = append(docs, d)
	}
	return docs
}

// countDocs encodes a subjects × categories table of counts as one document
// per subject, raters taking the categories in turn.
func countDocs(raters int, table [][]int) ([]string, []Doc) {
	var names []string
	for r := range raters {
		names = append(names, fmt.Sprintf("r%02d", r+1))
	}
	var docs []Doc
	for i, row := range table {
		d := Doc{ID: int64(i + 1), Layers: map[string]LayerDoc{}}
		r := 0
		for c, n := range row {
			for range n {
				d.Layers[names[r]] = LayerDoc{Done: true, Spans: []annotate.Span{{Start: 0, End: 1, Label: fmt.Sprintf("C%d", c+1)}}}
				r++
			}
		}
		if r != raters {
			panic("row does not sum to the number of raters")
		}
		docs = append(docs, d)
	}
	return names, docs
}

func near(t *testing.T, what string, v Value, want, tol float64) {
	t.Helper()
	if !v.Defined {
		t.Errorf("%s undefined (%s), want %.4f", what, v.Reason, want)
		return
	}
	if math.Abs(v.Value-want) > tol {
		t.Errorf("%s = %.6f, want %.6f", what, v.Value, want)
	}
}

func TestPublishedValues(t *testing.T) {
	abcd := []string{"A", "B", "C", "D"}
	fleissNames, fleissDocs := countDocs(14, [][]int{ // Wikipedia, "Fleiss' kappa", worked example
		{0, 0, 0, 0, 14},
		{0, 2, 6, 4, 2},
		{0, 0, 3, 5, 6},
		{0, 3, 9, 2, 0},
		{2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0},
		{3, 2, 6, 3, 0},
		{2, 5, 3, 2, 2},
		{6, 5, 2, 1, 0},
		{0, 2, 2, 3, 7},
	})
	// Wikipedia, "Cohen's kappa": yes/yes 20, yes/no 5, no/yes 10, no/no 15.
	var cohenDocs []Doc
	for _, cell := range []struct {
		a, b int
		n    int
	}{{1, 1, 20}, {1, 2, 5}, {2, 1, 10}, {2, 2, 15}} {
		for range cell.n {
			cohenDocs = append(cohenDocs, unitDocs([]string{"A", "B"}, [][]int{{cell.a}, {cell.b}})...)
		}
	}
	tests := []struct {
		name   string
		layers []string
		docs   []Doc
		check  func(t *testing.T, r *Report)
	}{
		{
			// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
			// nominal data, 4 observers, 12 units, missing values.
			name:   "Krippendorff 2011 nominal",
			layers: abcd,
			docs: unitDocs(abcd, [][]int{
				{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
				{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
				{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
				{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
			}),
			check: func(t *testing.T, r *Report) {
				near(t, "alpha", r.KrippendorffAlpha, 0.743, 0.0005)
				if r.Units != 11 || r.Documents != 11 {
					t.Errorf("alpha over %d units in %d documents, want 11 and 11 (unit 12 has one value)", r.Units, r.Documents)
				}
				if r.FleissDocuments != 8 {
					t.Errorf("Fleiss over %d documents, want the 8 every coder finished", r.FleissDocuments)
				}
			},
		},
		{
			// Wikipedia, "Krippendorff's alpha", computational example
			// (3 coders, 15 units): 0.691 (fast-krippendorff gives 0.691358).
			name:   "Wikipedia alpha example",
			layers: []string{"A", "B", "C"},
			docs: unitDocs([]string{"A", "B", "C"}, [][]int{
				{0, 0, 0, 0, 0, 3, 4, 1, 2, 1, 1, 3, 3, 0, 3},
				{1, 0, 2, 1, 3, 3, 4, 3, 0, 0, 0, 0, 0, 0, 0},
				{0, 0, 2, 1, 3, 4, 4, 0, 2, 1, 1, 3, 3, 0, 4},
			}),
			check: func(t *testing.T, r *Report) { near(t, "alpha", r.KrippendorffAlpha, 0.691358, 0.0000005) },
		},
		{
			name:   "Wikipedia Fleiss example",
			layers: fleissNames,
			docs:   fleissDocs,
			check: func(t *testing.T, r *Report) {
				near(t, "Fleiss' kappa", r.FleissKappa, 0.210, 0.0005)
				near(t, "Fleiss' kappa", r.FleissKappa, 0.20993070442195522, 1e-12)
				if r.FleissUnits != 10 || r.FleissDocuments != 10 {
					t.Errorf("Fleiss over %d units in %d documents, want 10", r.FleissUnits, r.FleissDocuments)
				}
			},
		},
		{
			name:   "Wikipedia Cohen example",
			layers: []string{"A", "B"},
			docs:   cohenDocs,
			check: func(t *testing.T, r *Report) {
				p := r.Pairs[0]
				near(t, "Cohen's kappa", p.CohenKappa, 0.40, 1e-12)
				if p.Units != 50 || p.Documents != 50 {
					t.Errorf("kappa over %d units in %d documents, want 50", p.Units, p.Documents)
				}
				want := [][]int{{20, 5, 0}, {10, 15, 0}, {0, 0, 0}}
				if cf := r.Confusion["A,B"]; !slices.Equal(cf.Labels, []string{"V1", "V2", "NONE"}) || !equal2(cf.Counts, want) {
					t.Errorf("confusion %v %v, want [V1 V2 NONE] %v", cf.Labels, cf.Counts, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compute(tt.layers, slices.Values(tt.docs), Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func equal2(a, b [][]int) bool {
	return slices.EqualFunc(a, b, func(x, y []int) bool { return slices.Equal(x, y) })
}
