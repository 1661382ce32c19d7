package articles

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/internal/jsonstream"
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
			where := filepath.Base(it.Path)
			if it.Line > 0 {
				where += ":" + strconv.Itoa(it.Line)
			}
			bad[where] = it.Err.Error()
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
		"batch.jsonl:3": "breaks off at the end of line 3",
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
	it := parseRecord(jsonstream.Value{Raw: []byte(`{"text":"x","id":"a1","meta":{"k":1}}`), Line: 1}, "f.jsonl", "f.jsonl")
	if string(it.Doc.Meta) != `{"id":"a1","k":1}` || it.Doc.Name != "a1" {
		t.Errorf("name %q, meta %s", it.Doc.Name, it.Doc.Meta)
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

// TestReadProgress: Progress hears of the bytes as they are read, file
// after file, and ends at what Size counted.
func TestReadProgress(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", strings.Repeat("خبر عن تونس. ", 20000)) // 460 kB: read in several pieces
	write(t, dir, "b.jsonl", `{"text":"قال مسؤولون"}`+"\n")
	_, size := Size([]string{dir})
	var seen []int64
	r := &Reader{Progress: func(done int64) { seen = append(seen, done) }}
	if err := r.Read(context.Background(), []string{dir}, func(Item) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) < 5 || seen[len(seen)-1] != size {
		t.Fatalf("progress %v, want several steps up to %d", seen, size)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("progress went back: %v", seen)
		}
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
		it := parseRecord(jsonstream.Value{Raw: b, Line: 3}, "f.jsonl", "f.jsonl")
		if it.Err == nil && !json.Valid(b) {
			t.Fatalf("accepted %q", b)
		}
		if it.Err == nil {
			if !utf8.ValidString(it.Doc.Text) || strings.TrimSpace(it.Doc.Text) == "" || it.Doc.SHA256 == "" || it.Doc.Name == "" {
				t.Fatalf("accepted a bad document %+v", it.Doc)
			}
		} else if it.Line != 3 || it.Where() != `"f.jsonl":3` {
			t.Fatalf("error not located: %+v", it)
		}
	})
}

// Only regular files are read: a named pipe in a folder is refused by
// name, not waited on for ever, and so is a device given by name; a file
// over MaxFileSize is refused with the reason, without being read.
func TestReadOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", "مقال أول")
	if err := syscall.Mkfifo(filepath.Join(dir, "b.txt"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	write(t, dir, "c.txt", "مقال ثالث")
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxFileSize + 1) // sparse: no disk used
	f.Close()
	done := make(chan struct{})
	var docs, bad map[string]string
	go func() {
		defer close(done)
		docs, bad, _ = readAll(t, dir, "/dev/zero")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("import hangs on a named pipe")
	}
	if docs["a"] != "مقال أول" || docs["c"] != "مقال ثالث" || len(docs) != 2 {
		t.Errorf("docs %q", docs)
	}
	for where, want := range map[string]string{"b.txt": "not a regular file (a named pipe)", "zero": "not a regular file (a device)", "big.txt": "file too large: 256 MB, more than the 256 MB"} {
		if !strings.Contains(bad[where], want) {
			t.Errorf("%s: %q, want it to say %q", where, bad[where], want)
		}
	}
}

// UTF-16 with a byte order mark is decoded; without one it is refused as
// binary, never imported with NULs stripped.
func TestReadUTF16(t *testing.T) {
	dir := t.TempDir()
	text := "قال ستيف 😂\r\nسطر ثان"
	u := utf16.Encode([]rune(text))
	le, be := []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	var nobom []byte
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
		be = append(be, byte(c>>8), byte(c))
		nobom = append(nobom, byte(c), byte(c>>8))
	}
	write(t, dir, "le.txt", string(le))
	write(t, dir, "be.txt", string(be))
	write(t, dir, "nobom.txt", string(nobom))
	write(t, dir, "ascii-nobom.txt", "a\x00b\x00")
	write(t, dir, "odd.txt", string(le[:len(le)-1]))
	write(t, dir, "records.jsonl", string([]byte{0xFF, 0xFE, '{', 0, '"', 0, 't', 0, 'e', 0, 'x', 0, 't', 0, '"', 0, ':', 0, '"', 0, 'x', 0, '"', 0, '}', 0}))
	docs, bad, _ := readAll(t, dir)
	if docs["le"] != text || docs["be"] != text || docs["records:1"] != "x" {
		t.Errorf("UTF-16 not decoded: %q", docs)
	}
	for where, want := range map[string]string{"nobom.txt": "binary data", "ascii-nobom.txt": "binary data", "odd.txt": "odd number of bytes"} {
		if !strings.Contains(bad[where], want) {
			t.Errorf("%s: %q, want it to say %q", where, bad[where], want)
		}
	}
}

// A folder's JSON files are read the same whatever their layout: JSON
// Lines, one array, pretty-printed records.
func TestReadJSONLayouts(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "lines.jsonl", `{"text": "أول"}`+"\n"+`{"text": "ثان", "id": 9}`+"\n")
	write(t, dir, "sub/array.json", `[{"text": "ثالث"}, {"text": "رابع", "name": "four"}]`)
	write(t, dir, "pretty.ndjson", "{\n  \"text\": \"خامس\"\n}\n")
	docs, bad, _ := readAll(t, dir)
	want := map[string]string{"lines:1": "أول", "9": "ثان", "sub/array:1": "ثالث", "four": "رابع", "pretty:1": "خامس"}
	if len(bad) > 0 || len(docs) != len(want) {
		t.Fatalf("docs %q bad %q", docs, bad)
	}
	for n, text := range want {
		if docs[n] != text {
			t.Errorf("%s = %q, want %q", n, docs[n], text)
		}
	}
}
