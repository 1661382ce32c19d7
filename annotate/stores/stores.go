// Package stores opens a project with the store adapter its location
// calls for: a file is an SQLite project (annotate/sqlite). It is the one
// package that knows the adapters; cmd/qalam hands its Open to the app and
// the command line, which hold only the contract (annotate.Store).
package stores

import (
	"context"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
)

// Open opens the project at location as mode allows. Where there is no
// project and mode does not create one, the error wraps
// annotate.ErrNoProject; a file that is not a Qalam project,
// annotate.ErrNotProject.
func Open(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
	s, err := sqlite.Open(ctx, location, sqlite.Options{
		Create:     mode.Creates(),
		ReadOnly:   mode.IsReadOnly(),
		CheckLater: mode.ChecksLater(),
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Check reads the project at location whole and says what is wrong with
// it (nothing when it is sound).
func Check(ctx context.Context, location string) ([]string, error) {
	return sqlite.Check(ctx, location)
}

// Salvage copies what can still be read of the damaged project at
// location into dst.
func Salvage(ctx context.Context, location string, dst annotate.Store, progress func(done, total int)) (annotate.SalvageSummary, error) {
	return sqlite.Salvage(ctx, location, dst, progress)
}
