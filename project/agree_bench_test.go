package project

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// agreeProject returns a project of n documents that three annotators
// finished with ten spans each, mostly the same, built once into the
// temporary folder (QALAM_BENCH_DOCS sets n for the benchmarks).
func agreeProject(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("qalam-agree-%d.qalam", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := stores.Open(ctx, tmp, annotate.OpenCreate)
	if err != nil {
		tb.Fatal(err)
	}
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	labels := []string{"PERSON", "PLACE", "EVENT"}
	text := strings.Repeat("كلمة ", 400)
	for i := range n {
		d, _, err := ai.Document(annotate.NewDocument("d"+strconv.Itoa(i), text+strconv.Itoa(i), nil))
		if err != nil {
			tb.Fatal(err)
		}
		base := make([]annotate.Span, 10)
		for k := range base {
			s := k*180 + rng.IntN(100)
			base[k] = annotate.Span{Start: s, End: s + 4 + rng.IntN(40), Label: labels[rng.IntN(3)]}
		}
		for _, layer := range []string{"amira", "badr", "karim"} {
			spans := append([]annotate.Span(nil), base...)
			if rng.IntN(4) == 0 {
				spans[rng.IntN(10)].Label = labels[rng.IntN(3)]
			}
			if _, err := ai.Add(d.ID, layer, spans, annotate.Done); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := ai.Close(); err != nil {
		tb.Fatal(err)
	}
	s.Close()
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	return path
}

// openAgreeProject opens, to read, the project of agreeProject with
// QALAM_BENCH_DOCS documents (100,000 by default), and returns it with
// that number.
func openAgreeProject(b *testing.B) (annotate.Store, int) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("QALAM_BENCH_DOCS")); err == nil {
		n = v
	}
	path := agreeProject(b, n)
	// A project built by an earlier version is brought up to date first.
	s, err := stores.Open(context.Background(), path, annotate.OpenExisting|annotate.OpenCheckLater)
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	s, err = stores.Open(context.Background(), path, annotate.OpenReadOnly)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, n
}

// BenchmarkAgreeStore measures qalam agree's work on a project of
// QALAM_BENCH_DOCS documents (100,000 by default) of three layers with ten
// spans each: reading it document by document from the store and
// computing the figures, with the peak of the Go heap reported.
func BenchmarkAgreeStore(b *testing.B) {
	s, n := openAgreeProject(b)
	ctx := context.Background()
	var peak uint64
	for b.Loop() {
		rep, err := Agreement(ctx, s, []string{"amira", "badr", "karim"}, agreement.Options{})
		if err != nil || rep.Documents != n {
			b.Fatal(rep, err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
	}
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
}

// BenchmarkEachDocumentStore reads the same project without computing:
// the store's part of qalam agree.
func BenchmarkEachDocumentStore(b *testing.B) {
	s, n := openAgreeProject(b)
	ctx := context.Background()
	for b.Loop() {
		spans := 0
		err := s.EachDocument(ctx, []string{"amira", "badr", "karim"}, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
			for _, l := range d.Layers {
				spans += len(l.Spans)
			}
			return nil
		})
		if err != nil || spans != n*30 {
			b.Fatal(spans, err)
		}
	}
}
