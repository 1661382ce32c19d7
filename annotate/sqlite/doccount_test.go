package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// DocumentCountMatches reports whether the count of documents kept by the
// triggers of migration 007 equals the documents table (the conformance
// suite asks it after every test).
func DocumentCountMatches(ctx context.Context, s *Store) error {
	var kept, counted int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT n FROM document_count), (SELECT count(*) FROM documents)`).Scan(&kept, &counted); err != nil {
		return err
	}
	if kept != counted {
		return fmt.Errorf("document_count says %d documents, the table holds %d", kept, counted)
	}
	return nil
}

// beforeDocumentCount takes s back to the schema before the kept count
// (version 6).
func beforeDocumentCount(t *testing.T, s *Store) {
	t.Helper()
	for _, q := range []string{
		`DROP TRIGGER document_count_insert`, `DROP TRIGGER document_count_delete`, `DROP TABLE document_count`,
		`DELETE FROM schema_migrations WHERE version = 7`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
}

// TestDocumentCount: the count of documents is kept through every way
// documents come and go, and a project made before it is counted once as
// it is brought up to date.
func TestDocumentCount(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	count := func(want int) {
		t.Helper()
		if err := DocumentCountMatches(ctx, s); err != nil {
			t.Fatal(err)
		}
		if n, err := s.CountDocuments(ctx); err != nil || n != want {
			t.Fatalf("CountDocuments %d (%v), want %d", n, err, want)
		}
	}
	count(0)
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"علي في تونس", "Ali in Tunis", "علي في تونس", "ثالث"} { // one twice
		if _, _, err := im.Add(annotate.NewDocument(text, text, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	count(3)
	// An import cut short adds nothing.
	im, _ = s.NewImporter(ctx)
	im.Add(annotate.NewDocument("x", "لن يبقى", nil))
	im.(*Importer).Abort()
	count(3)
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := ai.Document(annotate.NewDocument("y", "وثيقة من أداة أخرى", nil)); err != nil || !added {
		t.Fatalf("added %v, %v", added, err)
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
	count(4)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM documents WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	count(3)

	// Made before the count: counted as it is brought up to date.
	beforeDocumentCount(t, s)
	s.Close()
	if s, err = Open(ctx, path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	count(3)
	if v, _ := s.SchemaVersion(ctx); v != 7 {
		t.Errorf("schema version %d, want 7", v)
	}
}
