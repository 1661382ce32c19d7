package articles

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/internal/shared"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readAll(t *testing.T, paths ...string) (docs map[string]string, bad map[string]string, skipped []string) {
	t.Helper()
	docs, bad = map[string]string{}, map[string]string{}
	r := &Reader{Skipped: func(p string) { skipped = append(skipped, filepath.Base(p)) }}
	err := r.Read(context.Background(), paths, func(it Item) error {
		if it.Err != nil {
			bad[filepath.Base(it.Where())] = it.Err.Error()
		} else {
			docs[it.Doc.Name] = it.Doc.Text
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs, bad, skipped
}

func TestReadFolderWithBadInput(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "good.txt", "\ufeffقال مسؤولون أمريكيون\n")
	write(t, dir, "sub/deeper/good2.TXT", "Second article.")
	write(t, dir, "empty.txt", "")
	write(t, dir, "latin1.txt", "caf\xe9 au lait")
	write(t, dir, "binary.txt", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	write(t, dir, "picture.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	write(t, dir, "batch.jsonl", `{"text": "أول", "id": 7}
{"text": "ثان", "name": "second", "meta": {"source": "wire"}}
{"text": "broken
{"id": "no-text"}

{"text": ""}
{"text": "ثالث", "meta": 5}
{"text": "last, no newline"}`)

	docs, bad, skipped := readAll(t, dir)

	wantDocs := map[string]string{
		"good":             "قال مسؤولون أمريكيون\n", // BOM removed, nothing else
		"sub/deeper/good2": "Second article.",
		"7":                "أول",
		"second":           "ثان",
		"batch:8":          "last, no newline",
	}
	for name, text := range wantDocs {
		if docs[name] != text {
			t.Errorf("doc %q = %q, want %q", name, docs[name], text)
		}
	}
	if len(docs) != len(wantDocs) {
		t.Errorf("docs %q", docs)
	}
	wantBad := map[string]string{
		"empty.txt":     "empty text",
		"latin1.txt":    "invalid UTF-8: byte 0xE9 at line 1",
		"binary.txt":    "binary data",
		"batch.jsonl:3": "malformed JSON",
		"batch.jsonl:4": `no "text" field`,
		"batch.jsonl:6": `"text": empty text`,
		"batch.jsonl:7": `"meta" is not a JSON object`,
	}
	for where, msg := range wantBad {
		if !strings.Contains(bad[where], msg) {
			t.Errorf("%s: error %q, want it to say %q", where, bad[where], msg)
		}
	}
	if len(bad) != len(wantBad) {
		t.Errorf("bad %q", bad)
	}
	if len(skipped) != 1 || skipped[0] != "picture.png" {
		t.Errorf("skipped %q", skipped)
	}
}

func TestReadMissingPath(t *testing.T) {
	_, bad, _ := readAll(t, filepath.Join(t.TempDir(), "nope.txt"))
	if len(bad) != 1 || !strings.Contains(bad["nope.txt"], "no such file") {
		t.Errorf("bad %q", bad)
	}
}

func TestJSONLInvalidUTF8NamesTheLine(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "a.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"caf\xe9\"}\n")
	docs, bad, _ := readAll(t, p)
	if len(docs) != 1 || !strings.Contains(bad["a.jsonl:2"], "invalid UTF-8") {
		t.Errorf("docs %q bad %q", docs, bad)
	}
}

func TestMetaKeepsID(t *testing.T) {
	it, _ := parseJSONLine([]byte(`{"text":"x","id":"a1","meta":{"k":1}}`), "f", 1, "f")
	if string(it.Doc.Meta) != `{"id":"a1","k":1}` {
		t.Errorf("meta %s", it.Doc.Meta)
	}
}

func TestSize(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", "12345")
	write(t, dir, "b/c.jsonl", "123")
	write(t, dir, "d.png", "1234567")
	files, size := Size([]string{dir})
	if files != 2 || size != 8 {
		t.Errorf("Size = %d files, %d bytes", files, size)
	}
}

func TestReadANTSample(t *testing.T) {
	dir := shared.Path(t, "corpora/plaintext/antcorpus-ANT-arabic-news-plain1000")
	docs, bad, skipped := readAll(t, dir)
	if len(docs) != 1000 || len(bad) != 0 || len(skipped) != 0 {
		t.Errorf("%d docs, bad %q, skipped %q", len(docs), bad, skipped)
	}
	var names []string
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	if !strings.HasPrefix(names[0], "culture/JA-culture-") {
		t.Errorf("first name %q", names[0])
	}
}

func FuzzParseJSONLine(f *testing.F) {
	for _, s := range []string{`{"text":"أول","id":7}`, `{"text":"x","meta":{"a":[1]}}`, `{"text":`, "{\"text\":\"\xff\"}", `{"id":null,"text":"\ufeffa"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		it, ok := parseJSONLine(b, "f.jsonl", 3, "f")
		if !ok {
			return
		}
		if it.Err == nil {
			if !utf8.ValidString(it.Doc.Text) || strings.TrimSpace(it.Doc.Text) == "" || it.Doc.SHA256 == "" || it.Doc.Name == "" {
				t.Fatalf("accepted a bad document %+v", it.Doc)
			}
		} else if it.Line != 3 || it.Where() != "f.jsonl:3" {
			t.Fatalf("error not located: %+v", it)
		}
	})
}
