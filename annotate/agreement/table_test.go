package agreement

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenDocs is a small corpus with a bit of everything: an unfinished
// layer, a finished layer without spans, a long span over two short ones,
// a label conflict and a document nobody else finished.
func goldenDocs() []Doc {
	return []Doc{
		{ID: 1, Name: "washington", Text: "قال ويتكوف في واشنطن يوم الجمعة إن المحادثات مع روسيا كانت بناءة .", Layers: map[string]LayerDoc{
			"alice": done(sp(4, 10, "PERSON"), sp(14, 20, "PLACE"), sp(48, 53, "PLACE")),
			"bob":   done(sp(4, 10, "PERSON"), sp(14, 20, "PLACE"), sp(21, 31, "EVENT")),
			"carol": done(sp(4, 10, "PERSON"), sp(11, 20, "PLACE")),
		}},
		{ID: 2, Name: "summit", Text: "Leaders met at the Geneva summit on Monday .", Layers: map[string]LayerDoc{
			"alice": done(sp(19, 32, "EVENT")),
			"bob":   done(sp(19, 25, "PLACE"), sp(26, 32, "EVENT")),
			"carol": {Spans: []annotate.Span{sp(19, 25, "PLACE")}},
		}},
		{ID: 3, Name: "quiet", Text: "Nothing happened .", Layers: map[string]LayerDoc{
			"alice": done(),
			"bob":   done(sp(0, 7, "EVENT"), sp(0, 7, "PLACE")),
			"carol": done(),
		}},
		{ID: 4, Name: "alone", Text: "Only Alice read this .", Layers: map[string]LayerDoc{
			"alice": done(sp(5, 10, "PERSON")),
		}},
	}
}

func TestGolden(t *testing.T) {
	layers := []string{"alice", "bob", "carol"}
	r := compute(t, layers, Options{Tokens: true, PerDocument: true, Labels: []string{"PERSON", "PLACE", "EVENT"}}, goldenDocs()...)
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"report.json": append(js, '\n'), "report.txt": table.Bytes()} {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		same := bytes.Equal(got, want)
		if !same && strings.HasSuffix(name, ".json") {
			// Floating-point results may differ in the last bits between
			// architectures (fused multiply-add): compare numbers loosely.
			var g, w any
			same = json.Unmarshal(got, &g) == nil && json.Unmarshal(want, &w) == nil && jsonNear(g, w)
		}
		if !same {
			t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
		}
	}
}

// TestJSONShape checks the keys the command line prints.
func TestJSONShape(t *testing.T) {
	r := compute(t, []string{"alice", "bob", "carol"}, Options{}, goldenDocs()...)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"layers", "documents", "units", "krippendorff_alpha", "fleiss_kappa", "pairs", "per_label", "confusion"} {
		if _, ok := top[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	if _, ok := top["token_kappa"]; ok {
		t.Error("token_kappa present without Options.Tokens")
	}
	var pairs []map[string]json.RawMessage
	if err := json.Unmarshal(top["pairs"], &pairs); err != nil {
		t.Fatal(err)
	}
	pairKeys := []string{"a", "b", "documents", "units", "cohen_kappa", "f1_exact", "f1_overlap", "f1_exact_unlabeled", "f1_overlap_unlabeled"}
	for _, p := range pairs {
		for _, k := range pairKeys {
			if _, ok := p[k]; !ok {
				t.Errorf("pair without %q: %v", k, p)
			}
		}
	}
	var perLabel map[string]map[string]json.RawMessage
	if err := json.Unmarshal(top["per_label"], &perLabel); err != nil {
		t.Fatal(err)
	}
	for l, m := range perLabel {
		for _, k := range []string{"documents", "units", "krippendorff_alpha", "fleiss_kappa", "pairs"} {
			if _, ok := m[k]; !ok {
				t.Errorf("per_label %s without %q", l, k)
			}
		}
	}
	// An undefined figure is null, with its reason alongside.
	r2 := compute(t, []string{"a", "b"}, Options{}, doc(1, map[string]LayerDoc{"a": done(sp(0, 1, "X")), "b": done(sp(0, 1, "X"))}))
	b, _ = json.Marshal(r2.Pairs[0])
	if !strings.Contains(string(b), `"cohen_kappa":null`) || !strings.Contains(string(b), `"reasons":{"cohen_kappa":"only one category (X)`) {
		t.Errorf("undefined kappa: %s", b)
	}
	// And reads back.
	var p Pair
	if err := json.Unmarshal(b, &p); err != nil || p.CohenKappa.Defined || !p.F1Exact.Defined || p.F1Exact.Value != 1 {
		t.Errorf("read back %+v, %v", p, err)
	}
}

// jsonNear compares decoded JSON, numbers within 1e-9.
func jsonNear(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) <= 1e-9
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonNear(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !jsonNear(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}
