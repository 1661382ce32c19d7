//go:build !cgo

package app

import (
	"github.com/qalam-annotate/qalam/annotate/memstore"
	"github.com/qalam-annotate/qalam/project"
)

// testOpen opens projects in the tests: without cgo (CGO_ENABLED=0 go
// test ./app), the store contract held in memory, keyed by the paths the
// tests use, so that the app's logic is tested without SQLite.
var testOpen project.OpenFunc = memstore.NewProjects().Open
