package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// reliabilityProject stores coders × units data as a project: one document
// per unit; a coder with a value finished that document with one span
// labelled V<value>; a missing value (0) is a document the coder did not
// finish.
func reliabilityProject(t *testing.T, coders []string, data [][]int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.qalam")
	s, err := stores.Open(ctx, path, annotate.OpenCreate)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for u := range data[0] {
		doc, _, err := ai.Document(annotate.NewDocument(fmt.Sprint("unit ", u+1), fmt.Sprintf("u%d", u+1), nil))
		if err != nil {
			t.Fatal(err)
		}
		for c, coder := range coders {
			v := data[c][u]
			if v == 0 {
				continue
			}
			label := fmt.Sprint("V", v)
			if !labels[label] {
				ai.AddLabel(label)
				labels[label] = true
			}
			if _, err := ai.Add(doc.ID, coder, []annotate.Span{{Start: 0, End: 1, Label: label}}, annotate.Done); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// fromCounts turns a subjects × categories table of counts into coders ×
// units data, raters taking the categories in turn.
func fromCounts(raters int, table [][]int) ([]string, [][]int) {
	coders := make([]string, raters)
	data := make([][]int, raters)
	for r := range coders {
		coders[r] = fmt.Sprintf("r%02d", r+1)
		data[r] = make([]int, len(table))
	}
	for u, row := range table {
		r := 0
		for c, n := range row {
			for range n {
				data[r][u] = c + 1
				r++
			}
		}
	}
	return coders, data
}

func TestAgreePublishedValues(t *testing.T) {
	kCoders, kData := []string{"A", "B", "C", "D"}, [][]int{ // Krippendorff (2011), 4 coders, 12 units
		{1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3},
		{0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0},
	}
	fCoders, fData := fromCounts(14, [][]int{ // Wikipedia, "Fleiss' kappa"
		{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
	})
	var cA, cB []int // Wikipedia, "Cohen's kappa": yes/yes 20, yes/no 5, no/yes 10, no/no 15
	for _, c := range []struct{ a, b, n int }{{1, 1, 20}, {1, 2, 5}, {2, 1, 10}, {2, 2, 15}} {
		for range c.n {
			cA, cB = append(cA, c.a), append(cB, c.b)
		}
	}
	tests := []struct {
		name   string
		coders []string
		data   [][]int
		key    string
		want   float64
	}{
		{"Krippendorff alpha", kCoders, kData, "krippendorff_alpha", 0.743},
		{"Fleiss kappa", fCoders, fData, "fleiss_kappa", 0.210},
		{"Cohen kappa", []string{"a", "b"}, [][]int{cA, cB}, "cohen_kappa", 0.40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := reliabilityProject(t, tt.coders, tt.data)
			code, out, errs := run(t, "agree", "--db", db, "--layers", strings.Join(tt.coders, ","), "--json")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var rep map[string]any
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var got any
			if tt.key == "cohen_kappa" {
				got = rep["pairs"].([]any)[0].(map[string]any)[tt.key]
			} else {
				got = rep[tt.key]
			}
			v, ok := got.(float64)
			if !ok || math.Abs(v-tt.want) > 0.0005 {
				t.Errorf("%s = %v, want %.3f", tt.key, got, tt.want)
			}
			if _, table, _ := run(t, "agree", "--db", db, "--layers", strings.Join(tt.coders, ",")); !strings.Contains(table, fmt.Sprintf("%.3f", tt.want)) {
				t.Errorf("the table does not show %.3f:\n%s", tt.want, table)
			}
		})
	}
}

func TestAgreeNeedsTwoLayers(t *testing.T) {
	db := annotatorProject(t, "amina", 0, 11, "PERSON")
	if code, _, errs := run(t, "agree", "--db", db); code != ExitUsage || !strings.Contains(errs, "at least two layers") {
		t.Errorf("%d %s", code, errs)
	}
	if code, _, errs := run(t, "agree", "--db", db, "--layers", "amina,nobody"); code != ExitUsage || !strings.Contains(errs, `no layer "nobody"`) {
		t.Errorf("%d %s", code, errs)
	}
}
