package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// exportedNames exports src as doccano and lists the documents written,
// per layer, as "layer/name".
func exportedNames(t *testing.T, src Source, opts Options) []string {
	t.Helper()
	opts.Format = "doccano"
	opts.Output = filepath.Join(t.TempDir(), "out.jsonl")
	exportFrom(t, src, opts)
	recs, err := decodeAll(t, Doccano, readOutput(t, opts.Output), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.Layer+"/"+r.Name)
	}
	return out
}

func TestExportChoosesWork(t *testing.T) {
	tests := []struct {
		layer      string
		unfinished bool
		want       string
	}{
		// gold has work on the first document only: the others are left out.
		{"gold", false, "gold/politics/reuters-1"},
		{"ali", false, "ali/politics/reuters-1 ali/../emoji ali/../emoji ali/CON"},
		// sara skipped the third document and has the second in progress.
		{"sara", false, "sara/politics/reuters-1 sara/CON"},
		{"sara", true, "sara/politics/reuters-1 sara/../emoji sara/CON"},
		{"all", false, "gold/politics/reuters-1 ali/politics/reuters-1 sara/politics/reuters-1 ali/../emoji ali/../emoji ali/CON sara/CON"},
	}
	for _, tc := range tests {
		got := strings.Join(exportedNames(t, fixture(), Options{Layer: tc.layer, IncludeUnfinished: tc.unfinished}), " ")
		if got != tc.want {
			t.Errorf("--layer %s (unfinished %v): %s, want %s", tc.layer, tc.unfinished, got, tc.want)
		}
	}
	// A document a layer never touched is not written even as unfinished;
	// todo with spans is.
	m := &memSource{labels: annotate.DefaultLabels()}
	m.addDoc("todo-with-span", "Peter", "", nil, map[string][]string{"ali": {"PERSON:0:5"}})
	m.addDoc("todo-empty", "Paul", "", map[string]annotate.Status{"ali": annotate.Todo}, nil)
	if got := exportedNames(t, m, Options{Layer: "ali", IncludeUnfinished: true}); strings.Join(got, " ") != "ali/todo-with-span" {
		t.Errorf("unfinished: %q", got)
	}
}

func TestChooseLayers(t *testing.T) {
	ctx := context.Background()
	m := fixture()
	for choice, want := range map[string]string{"all": "gold ali sara", "ali": "ali", "gold": "gold"} {
		got, err := ChooseLayers(ctx, m, choice)
		if err != nil || strings.Join(got, " ") != want {
			t.Errorf("%q: %q %v, want %q", choice, got, err, want)
		}
	}
	for choice, want := range map[string]string{"": "several layers (gold, ali, sara)", "bob": `no layer "bob"`} {
		if _, err := ChooseLayers(ctx, m, choice); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error saying %q", choice, err, want)
		}
	}
	one := &memSource{}
	one.addDoc("d", "x", "", map[string]annotate.Status{"ali": annotate.Done, annotate.Suggestion: annotate.Todo}, nil)
	if got, err := ChooseLayers(ctx, one, ""); err != nil || strings.Join(got, " ") != "ali" {
		t.Errorf("the only layer (suggestions aside): %q %v", got, err)
	}
	if _, err := ChooseLayers(ctx, one, "gold"); err == nil || !strings.Contains(err.Error(), "no gold layer") {
		t.Errorf("gold in a project without: %v", err)
	}
}

func TestPartCounts(t *testing.T) {
	parts, err := ParseSplit("train=0.8,dev=0.1,test=0.1")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int][]int{0: {0, 0, 0}, 1: {1, 0, 0}, 3: {3, 0, 0}, 7: {5, 1, 1}, 10: {8, 1, 1}, 25: {20, 3, 2}, 1001: {801, 100, 100}} {
		got := partCounts(n, parts)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d documents: %v, want %v", n, got, want)
		}
	}
	for _, bad := range []string{"train=0.8,test=0.1", "train=0.5,train=0.5", "train", "a/b=1", "x=-1,y=2", ""} {
		if _, err := ParseSplit(bad); err == nil {
			t.Errorf("ParseSplit(%q) accepted", bad)
		}
	}
}

func manyDocs(n int) *memSource {
	m := &memSource{labels: annotate.DefaultLabels()}
	for i := range n {
		m.addDoc(fmt.Sprintf("doc%03d", i), fmt.Sprintf("Article %d by Peter.", i), "",
			map[string]annotate.Status{"ali": annotate.Done}, map[string][]string{"ali": {"PERSON:" + fmt.Sprint(len(fmt.Sprint(i))+12) + ":" + fmt.Sprint(len(fmt.Sprint(i))+17)}})
	}
	return m
}

func TestExportSplit(t *testing.T) {
	split := func(seed uint64) map[string][]string {
		dir := t.TempDir()
		parts, _ := ParseSplit("train=0.8,dev=0.1,test=0.1")
		sum, _ := exportFrom(t, manyDocs(50), Options{Format: "doccano", Output: filepath.Join(dir, "ner.jsonl"), Layer: "ali", Split: parts, Seed: seed})
		if sum.Parts["train"] != 40 || sum.Parts["dev"] != 5 || sum.Parts["test"] != 5 || len(sum.Files) != 3 {
			t.Errorf("parts %v, files %q", sum.Parts, sum.Files)
		}
		out := map[string][]string{}
		for _, p := range []string{"train", "dev", "test"} {
			recs, _ := decodeAll(t, Doccano, readOutput(t, filepath.Join(dir, "ner."+p+".jsonl")), DecodeOptions{})
			for _, r := range recs {
				out[p] = append(out[p], r.Name)
			}
			sort.Strings(out[p])
		}
		return out
	}
	a, b, c := split(1), split(1), split(2)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed split differently")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 1 and 2 split alike")
	}
	all := map[string]bool{}
	for _, names := range a {
		for _, n := range names {
			if all[n] {
				t.Errorf("%s is in two parts", n)
			}
			all[n] = true
		}
	}
	if len(all) != 50 {
		t.Errorf("%d documents in the parts, want 50", len(all))
	}
	// A brat split is a folder per part.
	out := filepath.Join(t.TempDir(), "brat")
	parts, _ := ParseSplit("a=0.5,b=0.5")
	exportFrom(t, manyDocs(4), Options{Format: "brat", Output: out, Layer: "ali", Split: parts})
	for _, p := range []string{"a", "b"} {
		if m, _ := filepath.Glob(filepath.Join(out, p, "*.ann")); len(m) != 2 {
			t.Errorf("part %s: %q", p, m)
		}
	}
}

// A failed export leaves nothing under the output's name (and what was
// there before stays), and no temporary file.
func TestExportFailureLeavesNoFile(t *testing.T) {
	for _, f := range Formats {
		t.Run(f.Name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out"+strings.Join(f.Extensions[:min(1, len(f.Extensions))], ""))
			if f.Folder {
				out = filepath.Join(dir, "out")
			} else if err := os.WriteFile(out, []byte("before"), 0o644); err != nil {
				t.Fatal(err)
			}
			m := manyDocs(3)
			m.err = errors.New("disk on fire")
			_, err := Export(context.Background(), m, Options{Format: f.Name, Output: out, Layer: "ali"}, nil)
			if err == nil || !strings.Contains(err.Error(), "disk on fire") {
				t.Fatalf("error %v", err)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if f.Folder {
				if len(names) != 0 {
					t.Errorf("left %q", names)
				}
				return
			}
			if b, _ := os.ReadFile(out); string(b) != "before" || len(names) != 1 {
				t.Errorf("left %q; the old file holds %q", names, b)
			}
		})
	}
}

func TestExportRefusesFullFolder(t *testing.T) {
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "keep.txt"), []byte("x"), 0o644)
	if _, err := Export(context.Background(), manyDocs(1), Options{Format: "brat", Output: out, Layer: "ali"}, nil); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("brat into a full folder: %v", err)
	}
	empty := t.TempDir()
	if _, err := Export(context.Background(), manyDocs(1), Options{Format: "brat", Output: empty, Layer: "ali"}, nil); err != nil {
		t.Errorf("brat into an empty folder: %v", err)
	}
}

func TestExportProgress(t *testing.T) {
	var calls [][2]int
	_, err := Export(context.Background(), fixture(), Options{Format: "conll", Output: filepath.Join(t.TempDir(), "x.conll"), Layer: "ali"},
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{1, 5}, {2, 5}, {3, 5}, {4, 5}, {5, 5}}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("progress %v, want %v", calls, want)
	}
}

// brat: names cut by bytes stay unique and within a file system's 255
// bytes, and labels with white space are written with _ (brat's TYPE
// START END line is split at spaces).
func TestBratLongNamesAndLabels(t *testing.T) {
	m := &memSource{labels: append(annotate.DefaultLabels(), annotate.Label{Name: "FASHION BRAND"})}
	for i, text := range []string{"Allen Edmonds shoes.", "Nike shoes.", "Gap shoes."} {
		m.addDoc(strings.Repeat("😂", 100)+string(rune('a'+i)), text, "", map[string]annotate.Status{"ali": annotate.Done},
			map[string][]string{"ali": {fmt.Sprintf("FASHION BRAND:0:%d", strings.IndexByte(text, ' '))}})
	}
	out := filepath.Join(t.TempDir(), "brat")
	sum, problems := exportFrom(t, m, Options{Format: "brat", Output: out, Layer: "ali"})
	if len(problems) > 0 || sum.Notes[NoteLabels] != 1 {
		t.Errorf("%+v %q", sum, problems)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 6 {
		t.Fatalf("%d files", len(entries))
	}
	for _, e := range entries {
		if len(e.Name()) > 255 {
			t.Errorf("%d bytes: %s", len(e.Name()), e.Name())
		}
		if strings.HasSuffix(e.Name(), ".ann") {
			b, _ := os.ReadFile(filepath.Join(out, e.Name()))
			if !strings.HasPrefix(string(b), "T1\tFASHION_BRAND 0 ") {
				t.Errorf("%s: %q", e.Name(), b)
			}
		}
	}
}

// CoNLL never writes white space inside a label: a reader that splits
// the line at spaces would take "BRAND" for the tag.
func TestCoNLLLabelWithSpace(t *testing.T) {
	m := &memSource{labels: append(annotate.DefaultLabels(), annotate.Label{Name: "FASHION BRAND"})}
	m.addDoc("d", "Allen Edmonds shoes", "", map[string]annotate.Status{"ali": annotate.Done}, map[string][]string{"ali": {"FASHION BRAND:0:13"}})
	out := filepath.Join(t.TempDir(), "d.conll")
	sum, _ := exportFrom(t, m, Options{Format: "conll", Output: out, Layer: "ali"})
	b, _ := os.ReadFile(out)
	if want := "-DOCSTART- -X- O O\n\nAllen B-FASHION_BRAND\nEdmonds I-FASHION_BRAND\nshoes O\n\n"; string(b) != want || sum.Notes[NoteLabels] != 1 {
		t.Errorf("%q, notes %v", b, sum.Notes)
	}
}
