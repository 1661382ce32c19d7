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
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		dir := t.TempDir()
		return func(name string) annotate.Store {
			s, err := sqlite.Open(context.Background(), filepath.Join(dir, name+sqlite.Ext), sqlite.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
	})
}
