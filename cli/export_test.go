package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAnnotationImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.qalam")
	in := filepath.Join(dir, "in.jsonl")
	write(t, in, `{"text": "قال ستيف ويتكوف في واشنطن", "label": [[4, 15, "PERSON"], [19, 25, "PLACE"]]}
{"text": "Peter Blackburn in Brussels", "label": [[0, 15, "PERSON"], [19, 27, "CITY"]]}
{"text": "EU rejects ...", "labels": [ [0, 2, "ORG"], ... ]}
`)
	code, out, errs := run(t, "import", "--db", db, "--format", "doccano", "--layer", "ali", in)
	if code != ExitRejected {
		t.Errorf("exit %d, want %d", code, ExitRejected)
	}
	for _, want := range []string{
		`in.jsonl:2: document "in.jsonl:2": label "CITY" is not in the project: 1 span(s) left out`,
		`in.jsonl:3: document "in.jsonl:3": malformed JSON`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}
	if want := "imported documents 2 (new 2, matched 0), spans 3 (already there 0), rejected 2, left in progress 1\n"; out != want {
		t.Errorf("summary %q, want %q", out, want)
	}
	code, out, _ = run(t, "import", "--db", db, "--format", "auto", "--layer", "ali", "--new-labels", in)
	if code != ExitRejected || out != "imported documents 2 (new 0, matched 2), spans 1 (already there 3), rejected 1, new labels CITY\n" {
		t.Errorf("second import: %d %q", code, out)
	}

	outFile := filepath.Join(dir, "out.jsonl")
	code, out, errs = run(t, "export", "--db", db, "--format", "jsonl", "-o", outFile)
	if code != ExitOK || !strings.HasPrefix(out, "exported 2 documents (2 records, 4 spans) to "+outFile+"; offsets in codepoints; 0 problems") {
		t.Errorf("export: %d %q %s", code, out, errs)
	}
	b, err := os.ReadFile(outFile)
	if err != nil || strings.Count(string(b), "\n") != 2 || !strings.Contains(string(b), `"layer":"ali","offsets":"codepoints"`) {
		t.Errorf("export wrote %q (%v)", b, err)
	}

	code, out, _ = run(t, "export", "--db", db, "--format", "conll", "-o", filepath.Join(dir, "ner.conll"), "--split", "train=0.5,test=0.5", "--seed", "7")
	if code != ExitOK || !strings.Contains(out, "; train 1, test 1;") {
		t.Errorf("split export: %d %q", code, out)
	}
	for _, part := range []string{"ner.train.conll", "ner.test.conll"} {
		if _, err := os.Stat(filepath.Join(dir, part)); err != nil {
			t.Error(err)
		}
	}

	// Suggestions make a second layer: exports must now choose.
	code, _, _ = run(t, "import", "--db", db, "--format", "doccano", "--suggest", in)
	if code != ExitRejected {
		t.Errorf("suggest import exit %d", code)
	}
	run(t, "import", "--db", db, "--format", "doccano", "--layer", "sara", in)
	if code, _, errs := run(t, "export", "--db", db, "--format", "jsonl", "-o", outFile); code != ExitUsage || !strings.Contains(errs, "several layers (ali, sara)") {
		t.Errorf("export without --layer: %d %s", code, errs)
	}
}

func TestExportImportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.qalam")
	in := filepath.Join(dir, "in.jsonl")
	write(t, in, `{"text": "x", "label": []}`+"\n")
	run(t, "import", "--db", db, "--format", "doccano", "--layer", "ali", in)
	tests := [][]string{
		{"import", "--db", db, "--format", "doccano", in},
		{"import", "--db", db, "--format", "doccano", "--layer", "ali", "--suggest", in},
		{"import", "--db", db, "--format", "doccano", "--layer", "gold", in},
		{"import", "--db", db, "--format", "doccano", "--layer", "a,b", in},
		{"import", "--db", db, "--format", "nope", "--layer", "ali", in},
		{"import", "--db", db, "--format", "jsonl", "--layer", "ali", "--offsets", "chars", in},
		{"import", "--db", db, "--layer", "ali", in},
		{"export", "--db", db, "--format", "jsonl"},
		{"export", "--db", db, "--format", "nope", "-o", "x"},
		{"export", "--db", db, "--format", "jsonl", "-o", "x", "--split", "train=0.8,test=0.1"},
		{"export", "--db", db, "--format", "jsonl", "-o", "x", "--layer", "bob"},
		{"export", "--db", db, "--format", "jsonl", "-o", "x", "--layer", "gold"},
		{"export", "--db", db, "--format", "jsonl", "-o", "x", "--offsets", "chars"},
		{"export", "--db", db, "--format", "jsonl", "-o", "x", "extra"},
	}
	for _, args := range tests {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args[:len(args)-1], code, ExitUsage)
		}
	}
	if _, err := os.Stat("x"); err == nil {
		t.Error("a refused export wrote x")
	}
}
