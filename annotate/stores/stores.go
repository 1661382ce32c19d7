// Package stores opens a project with the store adapter its location
// calls for: a postgres:// or postgresql:// URL is a team project on a
// PostgreSQL server (annotate/postgres), anything else a project file
// (annotate/sqlite). It is the one package that knows the adapters;
// cmd/qalam hands its Open to the app and the command line, which hold
// only the contract (annotate.Store).
package stores

import (
	"context"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
)

// Open opens the project at location as mode allows. Where there is no
// project and mode does not create one, the error wraps
// annotate.ErrNoProject; a file that is not a Qalam project,
// annotate.ErrNotProject. A team project is never created here: qalam
// team init makes one (postgres.Init).
func Open(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
	if postgres.IsURL(location) {
		s, err := postgres.Open(ctx, location, postgres.Options{ReadOnly: mode.IsReadOnly()})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
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

// Team makes team projects and adds their members, on PostgreSQL.
type Team struct{}

// Init makes the team project at location, or upgrades its schema.
func (Team) Init(ctx context.Context, location string) ([]string, error) {
	return postgres.Init(ctx, location)
}

// AddMember gives name access to the team project at location as an
// annotator or a reviewer.
func (Team) AddMember(ctx context.Context, location, name string, reviewer, password bool) ([]string, error) {
	kind := postgres.Annotator
	if reviewer {
		kind = postgres.Reviewer
	}
	return postgres.AddMember(ctx, location, name, kind, password)
}

// IsTeam reports whether location names a team project.
func (Team) IsTeam(location string) bool { return postgres.IsURL(location) }
