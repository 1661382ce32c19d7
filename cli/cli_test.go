package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"

	"github.com/qalam-annotate/qalam/internal/shared"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, Open: stores.Open, Check: stores.Check, Salvage: stores.Salvage})
	return code, out.String(), errb.String()
}

func write(t *testing.T, path, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImportMixedFolder(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "p.qalam")
	in := filepath.Join(dir, "in")
	write(t, filepath.Join(in, "a.txt"), "قال مسؤولون أمريكيون أمس الجمعة")
	write(t, filepath.Join(in, "nested", "b.txt"), "English article.")
	write(t, filepath.Join(in, "empty.txt"), "")
	write(t, filepath.Join(in, "latin1.txt"), "caf\xe9")
	write(t, filepath.Join(in, "binary.txt"), "\x00\x01\x02\x03garbage")
	write(t, filepath.Join(in, "logo.png"), "\x89PNG\r\n\x1a\n\x00")
	write(t, filepath.Join(in, "more.jsonl"), "{\"text\": \"مقال أول\"}\n{\"text\": \"broken\n{\"text\": \"مقال ثان\", \"id\": 2}\n")

	code, out, errs := run(t, "import", "--db", db, in)
	if code != ExitRejected {
		t.Errorf("exit %d, want %d", code, ExitRejected)
	}
	if want := "imported 4, duplicates 0, rejected 4, skipped 1\n"; out != want {
		t.Errorf("summary %q, want %q", out, want)
	}
	for _, want := range []string{`empty.txt": empty text`, `latin1.txt": invalid UTF-8`, `binary.txt": binary data`, `more.jsonl":2: the JSON value breaks off`, fmt.Sprintf("skipped %q", filepath.Join(in, "logo.png"))} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errs)
		}
	}

	// Importing again adds nothing.
	code, out, _ = run(t, "import", "--db", db, in)
	if code != ExitRejected || out != "imported 0, duplicates 4, rejected 4, skipped 1\n" {
		t.Errorf("second import: %d %q", code, out)
	}
	code, out, _ = run(t, "import", "--db", db, filepath.Join(in, "a.txt"))
	if code != ExitOK || out != "imported 0, duplicates 1, rejected 0, skipped 0\n" {
		t.Errorf("clean import: %d %q", code, out)
	}

	code, out, _ = run(t, "stats", "--db", db, "--json")
	if code != ExitOK {
		t.Fatalf("stats exit %d", code)
	}
	var st struct {
		Documents int            `json:"documents"`
		Layers    map[string]any `json:"layers"`
		Labels    map[string]int `json:"labels"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err, out)
	}
	if st.Documents != 4 || st.Layers == nil || len(st.Labels) != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.qalam")
	tests := [][]string{
		{},
		{"frobnicate"},
		{"import", "--db", db},
		{"import", "--nope", "x"},
		{"stats", "--db", db, "extra"},
		{"labels", "--db", db, "add"},
		{"labels", "--db", db, "rename", "A"},
		{"labels", "--db", db, "--color", "#ffffff"},
		{"labels", "--db", db, "rename", "NOPE", "X"},
	}
	for _, args := range tests {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}
}

func TestLabelsCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.qalam")
	// labels never makes a project: a mistyped --db is said to be missing.
	if code, _, errs := run(t, "labels", "--db", db); code != ExitUsage || !strings.Contains(errs, "there is no project "+db) {
		t.Fatalf("labels on a missing project: %d %s", code, errs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("labels made a project")
	}
	article := filepath.Join(t.TempDir(), "a.txt")
	write(t, article, "نص")
	if code, _, errs := run(t, "import", "--db", db, article); code != ExitOK {
		t.Fatalf("import: %d %s", code, errs)
	}
	code, out, _ := run(t, "labels", "--db", db)
	if code != ExitOK || !strings.Contains(out, "PERSON") || !strings.Contains(out, "#e6194b") {
		t.Fatalf("list: %d %q", code, out)
	}
	if code, _, errs := run(t, "labels", "--db", db, "add", "ORG", "--color", "#123456", "--hotkey", "4"); code != ExitOK {
		t.Fatalf("add: %d %s", code, errs)
	}
	if code, _, errs := run(t, "labels", "add", "DATE", "--db", db, "--hotkey", "4"); code != ExitRejected || !strings.Contains(errs, "hotkey 4 is bound to both ORG and DATE") {
		t.Errorf("clashing hotkey: %d %s", code, errs)
	}
	if code, _, errs := run(t, "labels", "--db", db, "rename", "PLACE", "LOCATION"); code != ExitOK {
		t.Fatalf("rename: %d %s", code, errs)
	}
	_, out, _ = run(t, "labels", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || strings.Join(strings.Fields(lines[2]), " ") != "LOCATION #3cb44b 2 0" ||
		strings.Join(strings.Fields(lines[4]), " ") != "ORG #123456 4 0" {
		t.Errorf("labels after changes:\n%s", out)
	}
}

func TestImportANTCorpusSample(t *testing.T) {
	dir := shared.Path(t, "corpora/plaintext/antcorpus-ANT-arabic-news-plain1000")
	db := filepath.Join(t.TempDir(), "p.qalam")
	code, out, errs := run(t, "import", "--db", db, dir)
	// Two files of the sample hold the same article
	// (internationalNews/JA-internationalNews-294 and -495): one is a duplicate.
	if code != ExitOK || out != "imported 999, duplicates 1, rejected 0, skipped 0\n" {
		t.Errorf("%d %q %s", code, out, errs)
	}
	code, out, _ = run(t, "import", "--db", db, dir)
	if code != ExitOK || out != "imported 0, duplicates 1000, rejected 0, skipped 0\n" {
		t.Errorf("again: %d %q", code, out)
	}
}

// TestReadingUpgradesOldProject: a command that only reads a project made
// by an earlier version brings it up to date first, as the app does, and
// says so; where the project cannot be written, it says why it cannot be
// read. (The store's side, an old project refused to read only with
// ErrOldSchema, is sqlite's TestPacksMigration.)
func TestReadingUpgradesOldProject(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.qalam")
	write(t, filepath.Join(dir, "a.txt"), "علي في تونس")
	if code, _, errs := run(t, "import", "--db", path, filepath.Join(dir, "a.txt")); code != ExitOK {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		name     string
		writing  error // what opening to write gives, nil for the project
		code     int
		stderrOK func(string) bool
	}{
		{"writable", nil, ExitOK, func(s string) bool { return strings.Contains(s, "bringing it up to date first") }},
		{"read-only", fmt.Errorf("%w: the folder cannot be written", annotate.ErrReadOnly), 1, func(s string) bool {
			return strings.Contains(s, "earlier version of Qalam") && strings.Contains(s, "needs writing")
		}},
		{"damaged", fmt.Errorf("%w: page 3", annotate.ErrDamaged), 1, func(s string) bool { return strings.Contains(s, "page 3") }},
	} {
		upgraded, writes := false, 0
		open := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
			if !mode.IsReadOnly() {
				if writes++; c.writing != nil {
					return nil, c.writing
				}
				upgraded = true
			} else if !upgraded {
				return nil, fmt.Errorf("%w: %w (schema version 5; this Qalam reads 6), and bringing it up to date needs writing", annotate.ErrReadOnly, annotate.ErrOldSchema)
			}
			return stores.Open(ctx, location, mode)
		}
		var out, errb bytes.Buffer
		code := Main(context.Background(), []string{"stats", "--db", path}, &Env{Stdout: &out, Stderr: &errb, Open: open, Check: stores.Check, Salvage: stores.Salvage})
		if code != c.code || !c.stderrOK(errb.String()) || writes != 1 || (code == ExitOK) != strings.Contains(out.String(), "1 document") {
			t.Errorf("%s: exit %d, %d opens to write, stdout %q, stderr %q", c.name, code, writes, out.String(), errb.String())
		}
	}
}
