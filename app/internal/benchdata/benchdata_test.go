package benchdata

import (
	"os"
	"testing"
)

// TestProject builds the project of QALAM_BENCH_DOCS documents into the
// temporary folder, for scripts/measure100k.sh; without the variable it
// does nothing.
func TestProject(t *testing.T) {
	if os.Getenv("QALAM_BENCH_DOCS") == "" {
		t.Skip("QALAM_BENCH_DOCS is not set")
	}
	t.Log(Project(t, Docs()))
}
