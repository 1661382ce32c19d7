//go:build cgo

package app

import (
	"github.com/qalam-annotate/qalam/annotate/stores"
	"github.com/qalam-annotate/qalam/project"
)

// testOpen opens projects in the tests: real project files when cgo
// builds SQLite; see open_nocgo_test.go for the store in memory.
var testOpen project.OpenFunc = stores.Open
