package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/migrations"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p"+Ext)
	s, err := Open(context.Background(), path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestMigrateFromEmpty(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations.Read(migrationFS, "migrations")
	if v != ms[len(ms)-1].Version {
		t.Errorf("schema version %d, want %d", v, ms[len(ms)-1].Version)
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual([]annotate.Label(labels), annotate.DefaultLabels()) {
		t.Errorf("labels %v, want the defaults", labels)
	}
	for _, p := range []string{"journal_mode", "foreign_keys", "busy_timeout", "synchronous"} {
		var v string
		if err := s.db.QueryRow("PRAGMA " + p).Scan(&v); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "2"}[p]
		if v != want {
			t.Errorf("PRAGMA %s = %s, want %s", p, v, want)
		}
	}
	s.Close()
	// Opening again applies nothing and keeps the labels.
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	labels2, _ := s2.Labels(ctx)
	if len(labels2) != 3 {
		t.Errorf("after reopening: %d labels", len(labels2))
	}
	var n int
	s2.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	if n != len(ms) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.db.Exec(`INSERT INTO schema_migrations(version, name) VALUES (999, 'future')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, Options{}); err == nil {
		t.Fatal("a project from a newer Qalam was opened")
	}
}

// TestImporterSkipsDuplicates: a duplicate is found in a transaction
// committed before its own.
func TestImporterSkipsDuplicates(t *testing.T) {
	s, _ := openTemp(t)
	storetest.ImporterSkipsDuplicates(t, s, &Importer{s: s, ctx: context.Background(), Batch: 2})
}

// TestErrorsNameWhat: a failed edit says what was being done, in which
// layer and document, and still wraps the reason.
func TestErrorsNameWhat(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := storetest.AddDoc(t, s, "reuters-ar-2025-12-05", "ستيف ويتكوف")
	_, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 20, Label: "PERSON"})
	want := `add span in layer amina of "reuters-ar-2025-12-05": span outside its text: [15,20) in a text of 11 code points`
	if !errors.Is(err, annotate.ErrSpanRange) || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	s.Close()
	if _, err := s.Spans(ctx, doc, "amina"); err == nil || !strings.HasPrefix(err.Error(), "read the spans of layer amina on document 1: ") {
		t.Errorf("a closed store's error: %v", err)
	}
}

// TestUndoInProjectsThatReusedIDs: a project made before span ids were
// never reused, whose undo log names an id another span took, upgrades,
// and undo brings the span back under a new id without touching the
// other span; the history goes on working.
func TestUndoInProjectsThatReusedIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old"+Ext)
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	old := &Store{db: db, path: path, layers: map[string]int64{}}
	old.Editing = annotate.Editing{Store: old}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT '')`); err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations.Read(migrationFS, "migrations")
	for _, m := range ms[:4] {
		if err := old.apply(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	a, b := storetest.AddDoc(t, old, "a", "ستيف ويتكوف في واشنطن"), storetest.AddDoc(t, old, "b", "ترامب في ألاسكا")
	sp, err := old.AddSpan(ctx, annotate.Span{DocID: a, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.DeleteSpans(ctx, a, "amina", sp.ID); err != nil {
		t.Fatal(err)
	}
	other, err := old.AddSpan(ctx, annotate.Span{DocID: b, Layer: "amina", Start: 0, End: 5, Label: "PERSON"})
	if err != nil || other.ID != sp.ID {
		t.Fatalf("the old schema did not give the id again (%d, %d): %v", other.ID, sp.ID, err)
	}
	db.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Undo(ctx, "amina", a); err != nil {
		t.Fatalf("undo the delete: %v", err)
	}
	back, _ := s.Spans(ctx, a, "amina")
	if len(back) != 1 || back[0].ID == sp.ID || back[0].Start != 0 || back[0].End != 11 {
		t.Fatalf("after undo: %+v", back)
	}
	if got, _ := s.Spans(ctx, b, "amina"); len(got) != 1 || got[0].ID != other.ID {
		t.Errorf("the other document's span: %+v", got)
	}
	// Undoing the add now removes the span that came back, and redo
	// brings both edits back.
	if _, err := s.Undo(ctx, "amina", a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Spans(ctx, a, "amina"); len(got) != 0 {
		t.Errorf("after undoing the add: %+v", got)
	}
	for range 2 {
		if _, err := s.Redo(ctx, "amina", a); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Spans(ctx, b, "amina"); len(got) != 1 {
		t.Errorf("the other document lost its span: %+v", got)
	}
	// A new span never takes an id the log still holds.
	n, err := s.AddSpan(ctx, annotate.Span{DocID: b, Layer: "amina", Start: 9, End: 15, Label: "PLACE"})
	if err != nil || n.ID <= back[0].ID {
		t.Errorf("new span %d after %d: %v", n.ID, back[0].ID, err)
	}
}

// TestUndoNeverStuck: an edit that cannot be replayed says why and leaves
// the history; the edits before it can still be undone.
func TestUndoNeverStuck(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := storetest.AddDoc(t, s, "a", "ستيف ويتكوف في واشنطن")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 4, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 21, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE edits SET ops = '[{"op":"bogus"}]' WHERE id = (SELECT max(id) FROM edits)`); err != nil {
		t.Fatal(err)
	}
	_, err := s.Undo(ctx, "amina", doc)
	if !errors.Is(err, annotate.ErrReplayFailed) || !strings.Contains(err.Error(), `unknown operation "bogus"`) {
		t.Fatalf("undo of a broken edit: %v", err)
	}
	if _, err := s.Undo(ctx, "amina", doc); err != nil {
		t.Fatalf("the undo before it: %v", err)
	}
	if got, _ := s.Spans(ctx, doc, "amina"); len(got) != 1 || got[0].Label != "PLACE" {
		t.Errorf("spans %+v", got)
	}
}

// TestCopyOfTheFile: the project file copied while the project is open
// holds every edit once Checkpoint ran; SaveCopy writes a whole project
// to a new file, and refuses an existing one.
func TestCopyOfTheFile(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	doc := storetest.AddDoc(t, s, "a", "ستيف ويتكوف في واشنطن")
	for i := range 50 {
		if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: i % 11, End: 11 + i%10, Label: "PERSON"}); err != nil {
			t.Fatal(err)
		}
	}
	spansIn := func(file string) int {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cp := filepath.Join(t.TempDir(), "copy"+Ext)
		os.WriteFile(cp, b, 0o644) // the file alone, without its -wal
		c, err := Open(ctx, cp, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		sp, _ := c.Spans(ctx, doc, "amina")
		return len(sp)
	}
	if n := spansIn(path); n == 50 {
		t.Log("the edits were in the file before a checkpoint (SQLite checkpointed on its own)")
	} else {
		t.Logf("before the checkpoint a copy of the file holds %d spans of 50", n)
	}
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if n := spansIn(path); n != 50 {
		t.Errorf("a copy after the checkpoint holds %d spans, want 50", n)
	}
	saved := filepath.Join(t.TempDir(), "saved"+Ext)
	if err := s.SaveCopy(ctx, saved); err != nil {
		t.Fatal(err)
	}
	if n := spansIn(saved); n != 50 {
		t.Errorf("the saved copy holds %d spans", n)
	}
	if err := s.SaveCopy(ctx, saved); err == nil {
		t.Error("a copy over an existing file was written")
	}
}

// TestReadOnlyFolder: a project in a folder that cannot be written (WAL
// needs files beside it) is refused for writing with ErrReadOnly, and
// opens for reading, edits included that are in the file.
func TestReadOnlyFolder(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	doc := storetest.AddDoc(t, s, "a", "ستيف ويتكوف في واشنطن")
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 11, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	defer func(f func(string) bool) { writableDir = f }(writableDir)
	writableDir = func(string) bool { return false }
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, annotate.ErrReadOnly) || !strings.Contains(err.Error(), "cannot be written") {
		t.Errorf("open to write: %v", err)
	}
	r, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if sp, err := r.Spans(ctx, doc, "amina"); err != nil || len(sp) != 1 {
		t.Errorf("read: %v %v", sp, err)
	}
	if _, err := r.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 15, End: 21, Label: "PLACE"}); !errors.Is(err, annotate.ErrReadOnly) {
		t.Errorf("an edit of a read-only project: %v", err)
	}
}

// TestCreationCutShort: a project whose making was cut short (killed after
// SQLite wrote the file's header, before the first migration committed)
// holds nothing: opening it to create makes the project there, and opening
// it as an existing project says there is none, rather than calling it
// another program's database for good. A database with a table of its own
// is still refused.
func TestCreationCutShort(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "cut"+Ext)
	db, err := sql.Open("sqlite3", "file:"+empty+"?_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, err := os.Stat(empty); err != nil || fi.Size() == 0 {
		t.Fatalf("the cut-short file is not there: %v", err)
	}
	if _, err := Open(ctx, empty, Options{}); !errors.Is(err, annotate.ErrNoProject) {
		t.Errorf("opened as existing: %v, want %v", err, annotate.ErrNoProject)
	}
	s, err := Open(ctx, empty, Options{Create: true})
	if err != nil {
		t.Fatalf("opened to create: %v", err)
	}
	if n, err := s.CountDocuments(ctx); err != nil || n != 0 {
		t.Errorf("%d documents, %v", n, err)
	}
	s.Close()
	if _, err := Open(ctx, empty, Options{}); err != nil {
		t.Errorf("the project made there does not open: %v", err)
	}

	foreign := filepath.Join(dir, "foreign.db")
	db, _ = sql.Open("sqlite3", foreign)
	db.Exec(`CREATE TABLE notes(x)`)
	db.Close()
	if _, err := Open(ctx, foreign, Options{Create: true}); !errors.Is(err, annotate.ErrNotProject) {
		t.Errorf("a database with a table of its own: %v, want %v", err, annotate.ErrNotProject)
	}
}

// TestParseTime: the hand-read layout gives what time.Parse gives.
func TestParseTime(t *testing.T) {
	for _, s := range []string{"2026-12-01T17:35:52.123Z", "1999-01-31T00:00:00.000Z", "2026-02-30T10:00:00.000Z",
		"2026-13-01T10:00:00.000Z", "2026-12-01T24:00:00.000Z", "2026-12-01 17:35:52.123Z", "2026-12-01T17:35:52.12xZ", "", "garbage"} {
		want, _ := time.Parse(timeLayout, s)
		if got := parseTime(s); !got.Equal(want) {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
