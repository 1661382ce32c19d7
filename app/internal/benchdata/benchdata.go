// Package benchdata builds large projects for the app's benchmarks and for
// measuring the binary: the ANT Arabic news corpus (10,161 articles, from
// the shared corpora) repeated, each copy's texts made distinct by a line
// naming the copy, up to the number of documents asked for. A fifth of the
// documents are done by the annotator "bench", with a few spans each.
package benchdata

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/internal/shared"
	"github.com/qalam-annotate/qalam/project"
)

// Layer is the annotator whose work the project holds.
const Layer = "bench"

// Docs is the number of documents of the app's "100k" benchmarks:
// QALAM_BENCH_DOCS when it is set (to measure a million), else 100,000.
func Docs() int {
	if n, err := strconv.Atoi(os.Getenv("QALAM_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// Project returns the path of a project of n documents, building it on
// first use into the system's temporary folder (it is kept there for the
// next run: building 100,000 documents takes a minute). It skips tb when
// the shared corpora are missing.
func Project(tb testing.TB, n int) string {
	tb.Helper()
	corpus := shared.Path(tb, "corpora/plaintext/antcorpus-ANT-arabic-news")
	path := filepath.Join(os.TempDir(), fmt.Sprintf("qalam-bench-%d%s", n, project.Ext))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	if err := Build(context.Background(), tmp, corpus, n); err != nil {
		tb.Fatal(err)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		os.Remove(tmp + ext)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// Build writes a project of n documents drawn from the articles under
// corpus to path.
func Build(ctx context.Context, path, corpus string, n int) error {
	var docs []annotate.Document
	r := &articles.Reader{}
	err := r.Read(ctx, []string{corpus}, func(it articles.Item) error {
		if it.Err == nil {
			docs = append(docs, it.Doc)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return fmt.Errorf("no articles under %s", corpus)
	}
	s, err := stores.Open(ctx, path, project.Create)
	if err != nil {
		return err
	}
	defer s.Close()
	im, err := s.NewImporter(ctx)
	if err != nil {
		return err
	}
	for i := range n {
		d := docs[i%len(docs)]
		name, text := d.Name, d.Text
		if copy := i / len(docs); copy > 0 {
			name = fmt.Sprintf("%s#%d", name, copy)
			text = fmt.Sprintf("%s\n(%d)", text, copy)
		}
		if _, _, err := im.Add(annotate.NewDocument(name, text, nil)); err != nil {
			im.Abort()
			return err
		}
	}
	if err := im.Close(); err != nil {
		return err
	}
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		return err
	}
	for id := int64(1); id <= int64(n); id += 5 {
		spans := []annotate.Span{{Start: 0, End: 3, Label: "PERSON"}, {Start: 5, End: 9, Label: "PLACE"}}
		if _, err := ai.Add(id, Layer, spans, annotate.Done); err != nil {
			ai.Abort()
			return err
		}
	}
	return ai.Close()
}
