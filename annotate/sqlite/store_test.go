package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
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

func addDoc(t testing.TB, s *Store, name, text string) int64 {
	t.Helper()
	im, _ := s.NewImporter(context.Background())
	id, added, err := im.Add(annotate.NewDocument(name, text, nil))
	if err != nil || !added {
		t.Fatalf("add %s: added=%v err=%v", name, added, err)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestMigrateFromEmpty(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations()
	if v != ms[len(ms)-1].version {
		t.Errorf("schema version %d, want %d", v, ms[len(ms)-1].version)
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
		want := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1"}[p]
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

func TestImporterSkipsDuplicates(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	im := &Importer{s: s, ctx: ctx, Batch: 2}
	texts := []string{"أ", "ب", "أ", "ج", "ب"}
	var added int
	for i, txt := range texts {
		_, ok, err := im.Add(annotate.NewDocument(string(rune('a'+i)), txt, nil))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			added++
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	if added != 3 {
		t.Errorf("added %d, want 3", added)
	}
	n, _ := s.CountDocuments(ctx)
	if n != 3 {
		t.Errorf("%d documents stored, want 3", n)
	}
	d, err := s.DocumentByHash(ctx, annotate.Hash("ج"))
	if err != nil || d.Text != "ج" || d.Name != "d" || d.Length != 1 {
		t.Errorf("by hash: %+v %v", d, err)
	}
}

// TestErrorsNameWhat: a failed edit says what was being done, in which
// layer and document, and still wraps the reason.
func TestErrorsNameWhat(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	doc := addDoc(t, s, "reuters-ar-2025-12-05", "ستيف ويتكوف")
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
