package sqlite

import (
	"context"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// BenchmarkEdit measures one user edit as the app makes it (a span added,
// then deleted: two transactions, each logged for undo), with SQLite's
// synchronous setting at NORMAL (the WAL is synced at checkpoints: an
// operating system crash can lose the last edits) and FULL (synced at
// every commit: nothing committed is lost), beside a bare INSERT+DELETE
// of a row in one table as the floor.
func BenchmarkEdit(b *testing.B) {
	ctx := context.Background()
	for _, sync := range []string{"NORMAL", "FULL"} {
		b.Run(sync, func(b *testing.B) {
			s, _ := openTemp(b)
			s.db.SetMaxOpenConns(1)
			if _, err := s.db.Exec("PRAGMA synchronous = " + sync); err != nil {
				b.Fatal(err)
			}
			doc := storetest.AddDoc(b, s, "d", "ستيف ويتكوف في واشنطن")
			b.Run("edit", func(b *testing.B) {
				for b.Loop() {
					sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "amina", Start: 0, End: 11, Label: "PERSON"})
					if err != nil {
						b.Fatal(err)
					}
					if err := s.DeleteSpans(ctx, doc, "amina", sp.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("floor", func(b *testing.B) {
				if _, err := s.db.Exec(`CREATE TABLE IF NOT EXISTS floor(x INTEGER)`); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := s.db.Exec(`INSERT INTO floor VALUES (1)`); err != nil {
						b.Fatal(err)
					}
					if _, err := s.db.Exec(`DELETE FROM floor`); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
