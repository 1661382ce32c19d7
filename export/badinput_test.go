package export

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBadInputCorpus imports testdata/bad-input (with its larger cases made
// here: a JSONL whose first record is 300 KB, a truncated workbook, a zip
// bomb, a named pipe, a document named with 100 emoji) into a project,
// checks that each bad file is refused or read as it must be, and exports
// every format of what came in, reading each export back.
func TestBadInputCorpus(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bad-input")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "bad-input"))); err != nil {
		t.Fatal(err)
	}
	gen := filepath.Join(dir, "generated")
	os.MkdirAll(gen, 0o755)
	long := strings.Repeat("قال ستيف ويتكوف في واشنطن. ", 11000)
	os.WriteFile(filepath.Join(gen, "big-first-record.jsonl"), []byte(`{"text":"`+long+`","spans":[{"start":4,"end":15,"label":"PERSON"}]}`+"\n"+
		`{"text":"ستيف","name":"`+strings.Repeat("😂", 100)+`","spans":[{"start":0,"end":4,"label":"PERSON"}]}`+"\n"), 0o644)
	book := exportedWorkbook(t)
	keep := func(name string, b []byte) []byte { return b }
	os.Rename(rezip(t, book, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet2.xml" {
			return b[:len(b)*2/3]
		}
		return b
	}, nil), filepath.Join(gen, "truncated.xlsx"))
	os.Rename(rezip(t, book, keep, func(zw *zip.Writer) { bomb(t, zw, "xl/worksheets/sheet9.xml") }), filepath.Join(gen, "zipbomb.xlsx"))
	fifo := syscall.Mkfifo(filepath.Join(gen, "pipe.txt"), 0o644) == nil

	s := openStore(t)
	done := make(chan struct{})
	var sum ImportSummary
	var problems []string
	go func() {
		defer close(done)
		var paths []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Name() != "annotators" {
				paths = append(paths, filepath.Join(dir, e.Name()))
			}
		}
		sum, problems = importInto(t, s, ImportOptions{Format: Auto, Layer: "ali", NewLabels: true}, paths...)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the import of bad input hangs")
	}
	all := strings.Join(problems, "\n")
	want := map[string]string{
		"article-utf16-no-bom.txt":  "binary data",
		"control-character.txt":     "control character U+0007",
		"invalid-utf8.txt":          "invalid UTF-8: byte 0xE9",
		"empty.txt":                 "empty",
		"nul.txt":                   "binary data",
		`articles.jsonl":2`:         "breaks off at the end of line 2",
		`articles.jsonl":3`:         "control character U+0001",
		`articles.jsonl":4`:         `no "text"`,
		"prodigy-textcat.jsonl":     "text classification, not named entities",
		`conll-bad-lines.conll":5`:  "1 columns where the file has 2: the line is left out",
		`conll-bad-lines.conll":7`:  "3 columns where the file has 2",
		`conll-bad-lines.conll":8`:  "empty token",
		"spans-unknown-label.jsonl": `label "NEW\u202eLABEL" cannot be added`,
		"hf-ids.jsonl":              "give the dataset's label names",
		"brat/doc.ann\":4":          "discontinuous span",
		"brat/doc.ann\":3":          "offsets",
		"truncated.xlsx":            "the Spans sheet (xl/worksheets/sheet2.xml) is cut short or damaged",
		"zipbomb.xlsx":              "xl/worksheets/sheet9.xml unzips to 1024 MB",
	}
	if fifo {
		want["pipe.txt"] = "not a regular file (a named pipe)"
	}
	for file, msg := range want {
		found := false
		for _, p := range problems {
			found = found || (strings.Contains(p, file) && strings.Contains(p, msg))
		}
		if !found {
			t.Errorf("no problem of %s says %q", file, msg)
		}
	}
	if sum.Records < 8 {
		t.Errorf("only %d documents came in: %+v\n%s", sum.Records, sum, all)
	}
	// Each annotator of the Label Studio task in a layer of their own.
	asum, aproblems := importInto(t, s, ImportOptions{Format: Auto, NewLabels: true}, filepath.Join(dir, "annotators"))
	if len(aproblems) > 0 || asum.Spans != 4 || asum.Skipped["cancelled Label Studio annotations"] != 1 {
		t.Errorf("annotators: %+v %q", asum, aproblems)
	}

	// Every format exports what came in, and reads back.
	out := t.TempDir()
	for _, f := range Formats {
		path := filepath.Join(out, f.Name)
		if !f.Folder {
			path += f.Extensions[0]
		}
		esum, eproblems := exportFrom(t, s, Options{Format: f.Name, Output: path, Layer: AllLayers, IncludeUnfinished: true})
		if esum.Documents != 7 {
			t.Errorf("%s: %+v %q", f.Name, esum, eproblems)
		}
		opts := ImportOptions{Format: f.Name, Layer: "back", NewLabels: true}
		if f == LabelStudio || f == XLSX || f == JSONL || f == Doccano {
			opts = ImportOptions{Format: f.Name, NewLabels: true} // the layers the export names
		}
		back := openStore(t)
		ai, _ := back.NewAnnotationImporter(context.Background())
		var rproblems []string
		rsum, err := Import(context.Background(), ai, opts, []string{path}, func(p Problem) { rproblems = append(rproblems, p.Error()) }, nil)
		ai.Close()
		if err != nil || rsum.Records < 7 || len(rproblems) > 0 {
			t.Errorf("%s read back: %+v %v %q", f.Name, rsum, err, rproblems)
		}
	}
}
