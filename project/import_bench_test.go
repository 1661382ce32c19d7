package project

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/internal/shared"

	"github.com/qalam-annotate/qalam/annotate/sqlite"
)

// BenchmarkImportANT imports the ANT corpus (10,161 articles, 18 MB) into
// a new project, beside its floor: the same files read and their texts
// inserted with one prepared statement in one transaction into a table of
// texts alone. Compare the two ns/op; docs/s is reported for each.
func BenchmarkImportANT(b *testing.B) {
	antCorpus := shared.Path(b, "corpora/plaintext/antcorpus-ANT-arabic-news")
	ctx := context.Background()
	b.Run("qalam", func(b *testing.B) {
		var docs int
		for b.Loop() {
			b.StopTimer()
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "p.qalam"), sqlite.Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			sum, err := Import(ctx, s, []string{antCorpus}, nil, nil)
			if err != nil || sum.Rejected > 0 {
				b.Fatal(sum, err)
			}
			docs = sum.Imported
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
	b.Run("floor", func(b *testing.B) {
		var docs int
		for b.Loop() {
			b.StopTimer()
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "p.qalam"), sqlite.Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			db := s.DB()
			if _, err := db.Exec(`CREATE TABLE floor(text TEXT NOT NULL)`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			docs = floorImport(b, db, antCorpus)
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

func floorImport(b *testing.B, db *sql.DB, antCorpus string) int {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO floor(text) VALUES (?)`)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(antCorpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		_, err = stmt.Exec(string(text))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return n
}
