package memstore_test

import (
	"context"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/memstore"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// TestConformance holds the memory store to the contract the project
// file store keeps, so that tests written on it say the truth.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		ps := memstore.NewProjects()
		return func(name string) annotate.Store {
			s, err := ps.Open(context.Background(), name, annotate.OpenCreate)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
	})
}
