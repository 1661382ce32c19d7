package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/annotate/stores"

	"github.com/qalam-annotate/qalam/internal/shared"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
)

func TestOpenDefaultSeedsOnce(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	ctx := context.Background()
	s, err := Open(ctx, stores.Open, "", Existing)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.CountDocuments(ctx)
	if n != 6 {
		t.Errorf("sample project has %d documents, want 6", n)
	}
	list, _ := s.DocumentPage(ctx, annotate.DocQuery{Layer: "me"}, 0, 0, 1)
	if len(list) != 1 || list[0].Name != "reuters-ar-2025-12-05" {
		t.Errorf("first document %+v, want the Reuters article", list)
	}
	d, err := s.Document(ctx, list[0].ID)
	if err != nil || !strings.Contains(d.Text, "ستيف ويتكوف") {
		t.Errorf("Reuters text not stored: %v", err)
	}
	if want := os.Getenv("XDG_DATA_HOME") + "/qalam/sample.qalam"; s.Location() != want {
		t.Errorf("path %s, want %s", s.Location(), want)
	}
	s.Close()
	s, err = Open(ctx, stores.Open, "", Existing)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.CountDocuments(ctx); n != 6 {
		t.Errorf("reopened sample project has %d documents", n)
	}
}

func TestSampleMatchesSharedSeedArticle(t *testing.T) {
	seed, err := os.ReadFile(shared.Path(t, "samples/reuters-ar-2025-12-05.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, stores.Open, filepath.Join(t.TempDir(), "p.qalam"), Create)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := Seed(ctx, s); err != nil {
		t.Fatal(err)
	}
	text, _ := annotate.CleanText(seed)
	if _, err := s.DocumentByHash(ctx, annotate.Hash(text)); err != nil {
		t.Errorf("the bundled Reuters article differs from the shared one: %v", err)
	}
}

func TestImportCancelKeepsWhatWasImported(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		os.WriteFile(filepath.Join(dir, "a"+strings.Repeat("x", i)+".txt"), []byte("مقال "+strings.Repeat("ب", i+1)), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Open(ctx, stores.Open, filepath.Join(t.TempDir(), "p.qalam"), Create)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seen := 0
	sum, err := Import(ctx, s, []string{dir, filepath.Join(dir, "missing.txt")}, func(articles.Item) {}, func(int64) {
		if seen++; seen == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want canceled", err)
	}
	n, _ := s.CountDocuments(context.Background())
	if n != sum.Imported || n == 0 || n == 50 {
		t.Errorf("%d stored, summary says %d imported", n, sum.Imported)
	}
}

// TestImportDiskFull: when the disk fills up part way, the summary counts
// the documents stored, not those read, and the error says the project
// could not be written.
func TestImportDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 3000 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.txt", i)), []byte(strings.Repeat("خبر عن تونس ", 40)+fmt.Sprint(i)), 0o644)
	}
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.qalam"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := s.DB()
	db.SetMaxOpenConns(1) // the page limit holds for one connection: the disk
	var pages int
	db.QueryRow(`PRAGMA page_count`).Scan(&pages)
	if _, err := db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+600)); err != nil {
		t.Fatal(err)
	}
	sum, err := Import(ctx, s, []string{dir}, nil, nil)
	if !errors.Is(err, annotate.ErrStorage) {
		t.Fatalf("import onto a full disk: %v", err)
	}
	stored, _ := s.CountDocuments(ctx)
	if sum.Imported != stored || stored == 0 || stored >= 3000 {
		t.Errorf("the summary says %d imported, the project holds %d", sum.Imported, stored)
	}
}
