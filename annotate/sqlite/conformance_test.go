package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// TestConformance runs the store contract's suite on project files.
func TestConformance(t *testing.T) {
	// The suite's corpora are small: in transactions of the usual length,
	// a fast machine indexed them in one, and what is tested of indexing
	// cut short (SearchIndexResumes) did not happen.
	sqlite.ShortIndexTransactions(t)
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		dir := t.TempDir()
		return func(name string) annotate.Store {
			path := filepath.Join(dir, name+sqlite.Ext)
			s, err := sqlite.Open(context.Background(), path, sqlite.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			// After the test, the packed spans and the count of
			// documents still equal the tables.
			t.Cleanup(func() {
				s, err := sqlite.Open(context.Background(), path, sqlite.Options{ReadOnly: true})
				if err != nil {
					return // a test that damages or removes its file
				}
				defer s.Close()
				if err := sqlite.PacksMatch(context.Background(), s); err != nil {
					t.Errorf("project %s: %v", name, err)
				}
				if err := sqlite.DocumentCountMatches(context.Background(), s); err != nil {
					t.Errorf("project %s: %v", name, err)
				}
			})
			return s
		}
	})
}
