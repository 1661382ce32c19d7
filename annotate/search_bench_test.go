package annotate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/qalam-annotate/qalam/internal/shared"
)

// BenchmarkSearchBodyANT works out the search bodies of 2,000 ANT articles:
// the Go side of building the index (docs/s reported).
func BenchmarkSearchBodyANT(b *testing.B) {
	dir := shared.Path(b, "corpora/plaintext/antcorpus-ANT-arabic-news")
	var texts []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(texts) < 2000 {
			t, _ := os.ReadFile(p)
			texts = append(texts, string(t))
		}
		return nil
	})
	var n int
	for b.Loop() {
		for _, t := range texts {
			n += len(SearchBody(t))
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
