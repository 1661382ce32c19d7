package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/internal/shared"
	"github.com/qalam-annotate/qalam/project"
)

// Benchmarks against the server QALAM_TEST_POSTGRES names (on loopback or
// its Unix socket).

// writersDuration is how long the writers of BenchmarkConcurrentEdits
// write (QALAM_BENCH_SECONDS changes it).
func writersDuration() time.Duration {
	if s := os.Getenv("QALAM_BENCH_SECONDS"); s != "" {
		var n int
		fmt.Sscan(s, &n)
		return time.Duration(n) * time.Second
	}
	return 30 * time.Second
}

// latencies keeps what each operation took.
type latencies struct {
	mu  sync.Mutex
	all []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.all = append(l.all, d...)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B, unit string, elapsed time.Duration) {
	slices.Sort(l.all)
	if len(l.all) == 0 {
		b.Fatal("no operation")
	}
	q := func(p float64) float64 { return float64(l.all[int(p*float64(len(l.all)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(l.all))/elapsed.Seconds(), unit+"/s")
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	b.ReportMetric(q(1), "max-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkConcurrentEdits: 20 annotators at once, each on a connection
// of their own, adding, relabelling and undoing spans on random documents
// as fast as they can: edits per second and the latency of one edit
// (p50, p99). Its floor, on the same server: 20 writers each inserting
// and deleting a row of a bare table, one statement per transaction.
func BenchmarkConcurrentEdits(b *testing.B) {
	const writers = 20
	ctx := context.Background()
	u := pgtest.NewProject(b)
	admin := pgtest.Open(b, u)
	im, err := admin.NewImporter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var docs []int64
	for i := range 200 {
		id, _, err := im.Add(annotate.NewDocument(fmt.Sprint(i), fmt.Sprintf("خبر رقم %d عن زيارة الرئيس إلى تونس ولقائه بالوزير في العاصمة", i), nil))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, id)
	}
	if err := im.Close(); err != nil {
		b.Fatal(err)
	}
	dur := writersDuration()

	b.Run("edits", func(b *testing.B) {
		writeAtOnce(b, u, writers, dur, "edits", func(w int, s *postgres.Store, deadline time.Time) []time.Duration {
			layer := fmt.Sprintf("annotator%02d", w)
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			timed := func(f func() error) {
				t0 := time.Now()
				if err := f(); err != nil {
					b.Error(err)
				}
				mine = append(mine, time.Since(t0))
			}
			for time.Now().Before(deadline) {
				doc := docs[rng.IntN(len(docs))]
				at := rng.IntN(40)
				var sp annotate.Span
				timed(func() (err error) {
					sp, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: layer, Start: at, End: at + 5, Label: "PERSON"})
					return err
				})
				timed(func() error { return s.RelabelSpan(ctx, doc, layer, sp.ID, "PLACE") })
				timed(func() error { _, err := s.Undo(ctx, layer, doc); return err })
				timed(func() error { _, err := s.Undo(ctx, layer, doc); return err })
			}
			return mine
		})
	})

	b.Run("floor", func(b *testing.B) {
		pgtest.Exec(b, u, `CREATE TABLE floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, doc_id bigint, start int, label text)`)
		writeAtOnce(b, u, writers, dur, "statements", func(w int, s *postgres.Store, deadline time.Time) []time.Duration {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []time.Duration
			pool := s.Pool()
			for time.Now().Before(deadline) {
				t0 := time.Now()
				var id int64
				if err := pool.QueryRow(ctx, `INSERT INTO public.floor(doc_id, start, label) VALUES ($1, $2, 'PERSON') RETURNING id`,
					docs[rng.IntN(len(docs))], rng.IntN(40)).Scan(&id); err != nil {
					b.Error(err)
					return mine
				}
				mine = append(mine, time.Since(t0))
				t0 = time.Now()
				if _, err := pool.Exec(ctx, `DELETE FROM public.floor WHERE id = $1`, id); err != nil {
					b.Error(err)
					return mine
				}
				mine = append(mine, time.Since(t0))
			}
			return mine
		})
	})
}

// writeAtOnce opens n stores of one connection each on the project at u
// and, each time b.Loop asks, runs work on all of them at once until dur
// has passed; it reports the latencies work returns, as unit per second
// and their quantiles.
func writeAtOnce(b *testing.B, u string, n int, dur time.Duration, unit string, work func(w int, s *postgres.Store, deadline time.Time) []time.Duration) {
	stores := make([]*postgres.Store, n)
	for i := range stores {
		s, err := postgres.Open(context.Background(), u, postgres.Options{MaxConns: 1})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	lat := &latencies{}
	var elapsed time.Duration
	for b.Loop() {
		start := time.Now()
		deadline := start.Add(dur)
		var wg sync.WaitGroup
		for w, s := range stores {
			wg.Go(func() { lat.add(work(w, s, deadline)) })
		}
		wg.Wait()
		elapsed += time.Since(start)
	}
	lat.report(b, unit, elapsed)
}

// BenchmarkImportANT imports the ANT corpus (10,161 articles, 18 MB) into
// a new team project (COPY, the search column written as it goes) and,
// for comparison, into a new project file, both through project.Import
// (the files read and checked on one goroutine while the other stores).
func BenchmarkImportANT(b *testing.B) {
	corpus := shared.Path(b, "corpora/plaintext/antcorpus-ANT-arabic-news")
	ctx := context.Background()
	run := func(b *testing.B, open func() annotate.Store) {
		var docs int
		for b.Loop() {
			b.StopTimer()
			s := open()
			b.StartTimer()
			sum, err := project.Import(ctx, s, []string{corpus}, nil, nil)
			if err != nil || sum.Rejected > 0 {
				b.Fatal(sum, err)
			}
			docs = sum.Imported
			b.StopTimer()
			s.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	}
	b.Run("postgres", func(b *testing.B) {
		run(b, func() annotate.Store { return pgtest.Open(b, pgtest.NewProject(b)) })
	})
	b.Run("sqlite", func(b *testing.B) {
		run(b, func() annotate.Store {
			s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "p.qalam"), sqlite.Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			return s
		})
	})
}

// BenchmarkDocumentPage reads one page (100 rows, as the document list
// does) of a project of 100,000 documents, in the middle of the list:
// all documents, a status filter, and an annotator's queue; its floor is
// the page's rows read bare from the documents alone; count is the
// queue's length, which the list shows.
func BenchmarkDocumentPage(b *testing.B) {
	ctx := context.Background()
	u := pgtest.NewProject(b)
	s := pgtest.Open(b, u)
	im, err := s.NewImporter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	const n = 100_000
	var ids []int64
	for i := range n {
		id, _, err := im.Add(annotate.NewDocument(fmt.Sprint("news-", i), fmt.Sprintf("خبر رقم %d عن تونس والجزائر والمغرب", i), nil))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := im.Close(); err != nil {
		b.Fatal(err)
	}
	// A tenth done, and spans on them; the queue is a third.
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 10 {
		if _, err := ai.Add(ids[i], "amina", []annotate.Span{{Start: 0, End: 3, Label: "EVENT"}}, annotate.Done); err != nil {
			b.Fatal(err)
		}
	}
	if err := ai.Close(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Assign(ctx, []string{"amina", "bilal", "karim"}, 0, 1); err != nil {
		b.Fatal(err)
	}
	pgtest.Exec(b, u, "VACUUM ANALYZE")
	for _, c := range []struct {
		name string
		q    annotate.DocQuery
	}{
		{"all", annotate.DocQuery{Layer: "amina"}},
		{"done", annotate.DocQuery{Layer: "amina", Status: annotate.Done}},
		{"todo", annotate.DocQuery{Layer: "amina", Status: annotate.Todo}},
		{"queue", annotate.DocQuery{Layer: "amina", Queue: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			after := ids[n/2]
			for b.Loop() {
				page, err := s.DocumentPage(ctx, c.q, after, 0, 100)
				if err != nil || len(page) != 100 {
					b.Fatal(len(page), err)
				}
			}
		})
	}
	// The floor: the same page's ids, names and lengths, read bare.
	b.Run("floor", func(b *testing.B) {
		after := ids[n/2]
		for b.Loop() {
			rows, err := s.Pool().Query(ctx, `SELECT id, name, length FROM documents WHERE id > $1 ORDER BY id LIMIT 100`, after)
			if err != nil {
				b.Fatal(err)
			}
			k := 0
			for rows.Next() {
				k++
			}
			if rows.Err() != nil || k != 100 {
				b.Fatal(k, rows.Err())
			}
		}
	})
	b.Run("count", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.CountMatching(ctx, annotate.DocQuery{Layer: "amina", Queue: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
