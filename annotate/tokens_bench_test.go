package annotate

import (
	"os"
	"testing"

	"github.com/qalam-annotate/qalam/internal/shared"
)

func BenchmarkTokenizeSeed(b *testing.B) {
	raw, err := os.ReadFile(shared.Path(b, "samples/reuters-ar-2025-12-05.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(raw)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		Tokenize(text)
	}
}
