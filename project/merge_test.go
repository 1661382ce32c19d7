package project

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// mergeSource writes a project of n documents, each with two spans of
// layer amina, marked done.
func mergeSource(tb testing.TB, n int) string {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "amina.qalam")
	s, err := stores.Open(ctx, path, annotate.OpenCreate)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		d, _, err := ai.Document(annotate.NewDocument(fmt.Sprint("d", i), fmt.Sprintf("ستيف ويتكوف في واشنطن رقم %d", i), nil))
		if err != nil {
			tb.Fatal(err)
		}
		spans := []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}, {Start: 15, End: 21, Label: "PLACE"}}
		if _, err := ai.Add(d.ID, "amina", spans, annotate.Done); err != nil {
			tb.Fatal(err)
		}
	}
	if err := ai.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// editsDuringMerge merges src into a new review project while an
// annotator edits it, one edit every few milliseconds, and returns how
// long each edit took; an edit that fails fails the test.
func editsDuringMerge(tb testing.TB, src string) (latencies []time.Duration, merged annotate.MergeSummary) {
	tb.Helper()
	ctx := context.Background()
	target := filepath.Join(tb.TempDir(), "review.qalam")
	s, err := stores.Open(ctx, target, annotate.OpenCreate)
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	im, _ := s.NewImporter(ctx)
	doc, _, _ := im.Add(annotate.NewDocument("own", "مقال الحكم نفسه", nil))
	im.Close()
	done := make(chan error, 1)
	go func() {
		var err error
		merged, err = MergeFile(ctx, stores.Open, s, target, src, nil)
		done <- err
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				tb.Fatal(err)
			}
			return latencies, merged
		default:
		}
		t0 := time.Now()
		sp, err := s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "rev", Start: 0, End: 4, Label: "EVENT"})
		if err != nil {
			tb.Fatalf("an edit during the merge failed: %v", err)
		}
		latencies = append(latencies, time.Since(t0))
		if err := s.DeleteSpans(ctx, doc, "rev", sp.ID); err != nil {
			tb.Fatalf("an edit during the merge failed: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestEditsDuringMerge: a merge commits in batches, so an annotator's
// edits made while it runs all go in, and the merge still brings its
// layer whole.
func TestEditsDuringMerge(t *testing.T) {
	lat, sum := editsDuringMerge(t, mergeSource(t, 3000))
	if len(lat) < 2 || sum.Documents != 3000 || sum.Spans != 6000 || sum.Statuses != 3000 {
		t.Errorf("%d edits during a merge of %+v", len(lat), sum)
	}
}

// BenchmarkEditDuringMerge reports how long an annotator's edit waits
// while 30,000 documents of another project are merged in: the merge
// commits every 1,000 documents, so an edit waits for at most one batch.
func BenchmarkEditDuringMerge(b *testing.B) {
	src := mergeSource(b, 30000)
	var all []time.Duration
	for b.Loop() {
		lat, _ := editsDuringMerge(b, src)
		all = append(all, lat...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
}
