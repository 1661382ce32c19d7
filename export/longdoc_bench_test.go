package export

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/shared"
)

// One long document: 1.4 MB of real Arabic news (ANT articles joined by
// blank lines) with 11,187 spans, one every dozen tokens, the size of the
// document behind issue 10's measures. Every
// export is linear in the text plus its spans; BenchmarkLongDocument runs
// each format on it, so their times compare with jsonl's in one run.
var (
	longOnce sync.Once
	longDoc  *annotate.AnnotatedDoc
)

func longDocument(b *testing.B) *annotate.AnnotatedDoc {
	dir := shared.Path(b, "corpora/plaintext/antcorpus-ANT-arabic-news")
	longOnce.Do(func() {
		var text strings.Builder
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || text.Len() >= 1_400_000 {
				return nil
			}
			raw, err := os.ReadFile(p)
			if err == nil {
				text.Write(raw)
				text.WriteString("\n\n")
			}
			return nil
		})
		doc := annotate.NewDocument("long", text.String(), nil)
		var spans []annotate.Span
		toks := annotate.Tokenize(doc.Text)
		step := len(toks) / 11187
		for i := 0; i < len(toks) && len(spans) < 11187; i += step {
			spans = append(spans, annotate.Span{Start: toks[i].Start, End: toks[i].End, Label: annotate.DefaultLabels()[i%3].Name, Layer: "ali"})
		}
		longDoc = &annotate.AnnotatedDoc{Document: doc, Layers: map[string]*annotate.LayerDoc{"ali": {Status: annotate.Done, Spans: spans}}}
		longDoc.ID = 1
	})
	return longDoc
}

func BenchmarkLongDocument(b *testing.B) {
	d := longDocument(b)
	m := &memSource{labels: annotate.DefaultLabels(), docs: []*annotate.AnnotatedDoc{d}}
	b.Logf("one document of %d bytes, %d code points, %d spans", len(d.Text), d.Length, len(d.Layers["ali"].Spans))
	for _, f := range Formats {
		b.Run(f.Name, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "out")
			if !f.Folder {
				out += f.Extensions[0]
			}
			for b.Loop() {
				os.RemoveAll(out)
				if _, err := Export(context.Background(), m, Options{Format: f.Name, Output: out, Layer: "ali"}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
