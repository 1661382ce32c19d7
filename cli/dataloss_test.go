package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// TestForeignAndMistypedProjects: a command given another program's
// SQLite file refuses it and changes nothing in it; given a name that
// does not exist (a typo), it says so and makes nothing.
func TestForeignAndMistypedProjects(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE customers(name TEXT); INSERT INTO customers VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(foreign)
	for _, cmd := range [][]string{{"stats"}, {"labels"}, {"export", "--format", "jsonl", "-o", filepath.Join(dir, "o.jsonl")},
		{"agree"}, {"assign", "--annotators", "a,b"}, {"import", filepath.Join(dir, "missing.txt")}} {
		args := append(cmd, "--db", foreign)
		if code, _, errs := run(t, args...); code != ExitUsage || !strings.Contains(errs, "not a Qalam project") {
			t.Errorf("%v on another program's database: %d %s", cmd, code, errs)
		}
	}
	if after, _ := os.ReadFile(foreign); !bytes.Equal(before, after) {
		t.Error("another program's database was changed")
	}
	if _, err := os.Stat(foreign + "-wal"); err == nil {
		t.Error("another program's database was switched to WAL")
	}
	typo := filepath.Join(dir, "base.qalm")
	for _, cmd := range [][]string{{"stats"}, {"labels"}, {"agree"}, {"export", "--format", "jsonl", "-o", filepath.Join(dir, "o.jsonl")}} {
		args := append(cmd, "--db", typo)
		if code, _, errs := run(t, args...); code != ExitUsage || !strings.Contains(errs, "there is no project "+typo) {
			t.Errorf("%s on a missing project: %d %s", cmd, code, errs)
		}
	}
	if _, err := os.Stat(typo); err == nil {
		t.Error("a mistyped project name made a project")
	}
}

// TestDamagedProject: a project with flipped bytes is refused by every
// command with the reason and the way out; check says what is damaged and
// salvage copies what can be read.
func TestDamagedProject(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.qalam")
	var articles []string
	for i := range 200 {
		p := filepath.Join(dir, "in", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt")
		write(t, p, strings.Repeat("خبر طويل عن تونس ", 100)+string(rune(0x4e00+i)))
		articles = append(articles, p)
	}
	if code, _, errs := run(t, "import", "--db", db, filepath.Join(dir, "in")); code != ExitOK {
		t.Fatalf("import: %d %s", code, errs)
	}
	f, _ := os.OpenFile(db, os.O_RDWR, 0)
	fi, _ := f.Stat()
	f.WriteAt([]byte(strings.Repeat("\xff\x00garbage", 512)), fi.Size()/2/4096*4096)
	f.Close()
	out := filepath.Join(dir, "o.jsonl")
	commands := [][]string{{"stats"}, {"import", articles[0]}, {"export", "--format", "jsonl", "-o", out},
		{"export", "--format", "jsonl", "-o", "-"}, {"agree", "--layers", "a,b"}, {"agree"}, {"labels"}}
	// A file this small is checked when it opens; a large one (here: any)
	// while the commands that only read it work, before they show or
	// write anything.
	for _, below := range []int64{sqlite.CheckNowBelow, 0} {
		defer func(was int64) { sqlite.CheckNowBelow = was }(sqlite.CheckNowBelow)
		sqlite.CheckNowBelow = below
		for _, cmd := range commands {
			args := append(cmd, "--db", db)
			code, stdout, errs := run(t, args...)
			if code != ExitRejected || !strings.Contains(errs, annotate.ErrDamaged.Error()) {
				t.Errorf("%v on a damaged project (checked at open below %d bytes): %d %s", cmd, below, code, errs)
			}
			if stdout != "" {
				t.Errorf("%v on a damaged project printed %q", cmd, stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatalf("%v on a damaged project wrote %s", cmd, out)
			}
		}
	}
	code, report, _ := run(t, "check", "--db", db)
	if code != ExitRejected || !strings.Contains(report, "is damaged") || !strings.Contains(report, "--salvage") {
		t.Errorf("check: %d %s", code, report)
	}
	saved := filepath.Join(dir, "saved.qalam")
	code, report, errs := run(t, "check", "--db", db, "--salvage", saved)
	if !strings.Contains(report, "copied into "+saved) || !strings.Contains(errs, "lost document") {
		t.Errorf("salvage: %d %s %s", code, report, errs)
	}
	if code, out, _ := run(t, "check", "--db", saved); code != ExitOK || !strings.Contains(out, "no damage found") {
		t.Errorf("the salvaged project: %d %s", code, out)
	}
	s, err := stores.Open(context.Background(), saved, annotate.OpenReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountDocuments(context.Background()); n < 150 || n >= 200 {
		t.Errorf("%d documents salvaged of 200", n)
	}
}

// TestNumbersChecked: a number on the command line that is not finite or
// not in its range is refused as a usage error, and nothing is written.
func TestNumbersChecked(t *testing.T) {
	db := annotatorProject(t, "amina", 0, 11, "PERSON")
	for _, v := range []string{"NaN", "Inf", "-0.1", "1.5"} {
		if code, _, errs := run(t, "assign", "--db", db, "--annotators", "a,b", "--overlap", v); code != ExitUsage {
			t.Errorf("--overlap %s: %d %s", v, code, errs)
		}
	}
}
