package benchdata

import (
	"os"
	"strconv"
	"testing"
)

// TestProject builds the project of QALAM_BENCH_DOCS documents into the
// temporary folder, for scripts/measure100k.sh; without the variable it
// does nothing.
func TestProject(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("QALAM_BENCH_DOCS"))
	if err != nil || n <= 0 {
		t.Skip("QALAM_BENCH_DOCS is not a number of documents")
	}
	t.Log(Project(t, n))
}
