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

// BenchmarkFindSearchHitsSeed finds the hits of a search in the seed
// article, as the window does when it opens a document a search found;
// its floor is folding the article into words once (SearchBody).
func BenchmarkFindSearchHitsSeed(b *testing.B) {
	raw, err := os.ReadFile(shared.Path(b, "samples/reuters-ar-2025-12-05.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(raw)
	terms, err := ParseQuery(`ترامب "المبعوث الخاص" اوكران*`)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("floor=SearchBody", func(b *testing.B) {
		for b.Loop() {
			SearchBody(text)
		}
	})
	b.Run("hits", func(b *testing.B) {
		var hits []SearchHit
		for b.Loop() {
			hits = FindSearchHits(text, terms)
		}
		b.ReportMetric(float64(len(hits)), "hits")
	})
}
