package postgres_test

import (
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// TestConformance runs the store contract's suite on team projects, one
// database each, on the server QALAM_TEST_POSTGRES names.
func TestConformance(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		urls := map[string]string{}
		return func(name string) annotate.Store {
			u, ok := urls[name]
			if !ok {
				u = pgtest.NewProject(t)
				urls[name] = u
			}
			return pgtest.Open(t, u)
		}
	})
}
