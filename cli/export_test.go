package cli

import (
	"bytes"
	"fmt"
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
		`in.jsonl":2: document "in:2": label "CITY" is not in the project: 1 span(s) left out`,
		`in.jsonl":3: document "in:3": malformed JSON`,
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
	if code != ExitOK || !strings.HasPrefix(out, fmt.Sprintf("exported 2 documents (2 records, 4 spans) to %q; offsets in codepoints; 0 problems", outFile)) {
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

// Exit codes: 0 complete, 1 something left out, 2 usage, 3 the output
// could not be written; on 2 and 3 the old file is untouched.
func TestExportExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.qalam")
	in := filepath.Join(dir, "in.jsonl")
	write(t, in, `{"text": "قال ستيف ويتكوف في ولبنان", "label": [[4, 15, "PERSON"], [20, 25, "PLACE"]]}`+"\n")
	run(t, "import", "--db", db, "--format", "doccano", "--layer", "ali", in)

	// A missing folder: 3, and the folder is named.
	code, _, errs := run(t, "export", "--db", db, "--format", "conll", "-o", filepath.Join(dir, "o", "t1.conll"))
	if want := fmt.Sprintf("no folder %s to write %s in", filepath.Join(dir, "o")+"/", filepath.Join(dir, "o", "t1.conll")); code != ExitWrite || !strings.Contains(errs, want) {
		t.Errorf("missing folder: exit %d, %q; want %d and %q", code, errs, ExitWrite, want)
	}

	// The project itself, or another SQLite file: 2, untouched.
	before, _ := os.ReadFile(db)
	code, _, errs = run(t, "export", "--db", db, "--format", "jsonl", "-o", db)
	after, _ := os.ReadFile(db)
	if code != ExitUsage || !strings.Contains(errs, "SQLite") || !bytes.Equal(before, after) {
		t.Errorf("export over the project: exit %d, %q, file changed %v", code, errs, !bytes.Equal(before, after))
	}

	// Notes do not change the exit code.
	code, out, errs := run(t, "export", "--db", db, "--format", "conll", "-o", filepath.Join(dir, "t.conll"))
	if code != ExitOK || !strings.Contains(out, "1 words split at a span's edge") {
		t.Errorf("conll: exit %d, %q %q", code, out, errs)
	}

	// Standard output: the records there, the summary on standard error.
	code, out, errs = run(t, "export", "--db", db, "--format", "hf", "-o", "-")
	if code != ExitOK || !strings.HasPrefix(out, `{"id":"in:1#1","tokens":["قال","ستيف","ويتكوف","في","و","لبنان"]`) || !strings.Contains(errs, "exported 1 document") {
		t.Errorf("-o -: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, _ := run(t, "export", "--db", db, "--format", "xlsx", "-o", "-"); code != ExitUsage {
		t.Errorf("xlsx to standard output: exit %d", code)
	}

	// Nothing done: the count and the option, 1, nothing written.
	write(t, in, `{"text": "خبر آخر", "label": [[0, 3, "NOPE"]]}`+"\n")
	run(t, "import", "--db", db, "--format", "doccano", "--layer", "sara", in)
	none := filepath.Join(dir, "none.jsonl")
	code, _, errs = run(t, "export", "--db", db, "--format", "jsonl", "-o", none, "--layer", "sara")
	if want := "0 of 2 documents are done in layer sara: nothing was written (1 have work in progress: --include-unfinished exports it)"; code != ExitRejected || !strings.Contains(errs, want) {
		t.Errorf("nothing done: exit %d %q, want %q", code, errs, want)
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("an export of nothing wrote a file")
	}
}

// Label Studio work of two annotators: without --layer each gets a layer;
// with --layer the import is refused (exit 2) before anything is stored.
// A device named on the command line is refused, not read for ever.
func TestImportAnnotatorsAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.qalam")
	in := filepath.Join(dir, "tasks.json")
	write(t, in, `[{"data": {"text": "زار ستيف"}, "annotations": [
 {"completed_by": {"email": "a@x"}, "result": [{"type": "labels", "value": {"start": 4, "end": 8, "labels": ["PERSON"]}}]},
 {"completed_by": {"email": "b@x"}, "result": []}]}]`)
	code, _, errs := run(t, "import", "--db", db, "--format", "auto", "--layer", "ali", in)
	if code != ExitUsage || !strings.Contains(errs, "several annotators on one document (a@x, b@x") {
		t.Errorf("--layer: exit %d %q", code, errs)
	}
	code, out, errs := run(t, "import", "--db", db, "--format", "auto", in)
	if code != ExitOK || !strings.Contains(out, "spans 1") {
		t.Errorf("per annotator: exit %d %q %q", code, out, errs)
	}
	code, out, _ = run(t, "stats", "--db", db, "--json")
	if code != ExitOK || !strings.Contains(out, `"a@x"`) || !strings.Contains(out, `"b@x"`) {
		t.Errorf("stats: %q", out)
	}
	code, _, errs = run(t, "import", "--db", db, "/dev/zero")
	if code != ExitRejected || !strings.Contains(errs, `"/dev/zero": not a regular file (a device)`) {
		t.Errorf("/dev/zero: exit %d %q", code, errs)
	}
}
