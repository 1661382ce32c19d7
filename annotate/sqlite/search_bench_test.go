package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/internal/shared"
)

// antProject imports the ANT corpus (10,161 articles) into a new project.
func antProject(b *testing.B) *Store {
	b.Helper()
	corpus := shared.Path(b, "corpora/plaintext/antcorpus-ANT-arabic-news")
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "ant"+Ext), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	im, _ := s.NewImporter(ctx)
	r := &articles.Reader{}
	err = r.Read(ctx, []string{corpus}, func(it articles.Item) error {
		if it.Err != nil {
			return nil
		}
		_, _, err := im.Add(it.Doc)
		return err
	})
	if err != nil || im.Close() != nil {
		b.Fatal(err)
	}
	return s
}

// dropSearchIndex removes the search index and its settings, as if the
// project had never been searched.
func dropSearchIndex(b *testing.B, s *Store) {
	b.Helper()
	module, err := s.SearchModule(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	key := module + searchVersion
	for _, q := range []string{`DROP TABLE IF EXISTS search_` + key, `DELETE FROM settings WHERE key IN ('` + searchUptoKey + key + `', '` + searchMergeKey + key + `')`} {
		if _, err := s.db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexANT builds the search index of the ANT corpus from
// scratch, merge included: the one-time cost of the first search (docs/s
// reported, and how fast the index could be searched: searchable-docs/s).
func BenchmarkIndexANT(b *testing.B) {
	s := antProject(b)
	ctx := context.Background()
	module, _ := s.SearchModule(ctx)
	n, _ := s.CountDocuments(ctx)
	var searchable time.Duration
	for b.Loop() {
		b.StopTimer()
		dropSearchIndex(b, s)
		b.StartTimer()
		began := time.Now()
		if err := s.IndexForSearch(ctx, nil); err != nil {
			b.Fatal(err)
		}
		searchable += time.Since(began)
		if err := s.waitMerge(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(n)*float64(b.N)/searchable.Seconds(), "searchable-docs/s")
	b.Logf("module %s, %d documents", module, n)
}

// BenchmarkIndexFloorANT is BenchmarkIndexANT's floor: the same bodies,
// made beforehand, fed to the same table in the same way (buildIndex:
// its transactions and settings, then mergeIndex); no reading, no
// folding.
func BenchmarkIndexFloorANT(b *testing.B) {
	s := antProject(b)
	ctx := context.Background()
	var docs []indexDoc
	err := s.EachDocument(ctx, []string{}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		docs = append(docs, indexDoc{d.ID, annotate.SearchBody(d.Name + "\n" + d.Text)})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		dropSearchIndex(b, s)
		ix, err := s.searchTable(ctx)
		if err != nil {
			b.Fatal(err)
		}
		// Batches as readForIndex makes them, all ready.
		batches := make(chan *indexBatch, len(docs)/256+1)
		for lo := 0; lo < len(docs); lo += 256 {
			batches <- &indexBatch{docs: docs[lo:min(lo+256, len(docs))]}
		}
		close(batches)
		b.StartTimer()
		if err := s.buildIndex(ctx, ix, batches, nil, func(int) {}); err != nil {
			b.Fatal(err)
		}
		if err := s.mergeIndex(ctx, ix); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkIndexProject builds the search index of a copy of the project
// QALAM_INDEX_PROJECT (scripts/measure100k.sh's, of a million documents:
// /tmp/qalam-bench-1000000.qalam) from scratch, once, while an edit is
// made every 100 ms; it reports how long the longest of them waited. It is
// skipped when the variable is unset.
func BenchmarkIndexProject(b *testing.B) {
	src := os.Getenv("QALAM_INDEX_PROJECT")
	if src == "" {
		b.Skip("QALAM_INDEX_PROJECT is not set")
	}
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "p"+Ext)
	if err := copyFile(path, src); err != nil {
		b.Fatal(err)
	}
	s, err := Open(ctx, path, Options{CheckLater: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	dropSearchIndex(b, s)
	n, _ := s.CountDocuments(ctx)
	if err := s.Checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	// An edit every 100 ms meanwhile: how long the longest waited.
	var wait, searchable time.Duration
	var long []string // the waits over 150 ms, and when
	start := time.Now()
	stop := make(chan struct{})
	edits := make(chan struct{})
	go func() {
		defer close(edits)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			began := time.Now()
			err := s.inTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec(`INSERT INTO settings(key, value) VALUES ('bench_edit', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, i)
				return err
			})
			if err != nil {
				b.Error(err)
				return
			}
			w := time.Since(began)
			wait = max(wait, w)
			if w > 150*time.Millisecond {
				long = append(long, fmt.Sprintf("%v at %v", w.Round(time.Millisecond), began.Sub(start).Round(100*time.Millisecond)))
			}
		}
	}()
	for b.Loop() {
		if b.N > 1 {
			b.Fatal("run once: -benchtime 1x")
		}
		began := time.Now()
		if err := s.IndexForSearch(ctx, nil); err != nil {
			b.Fatal(err)
		}
		searchable = time.Since(began)
		if err := s.waitMerge(); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	<-edits
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(wait.Milliseconds()), "edit-wait-max-ms")
	b.ReportMetric(float64(n)/searchable.Seconds(), "searchable-docs/s")
	b.Logf("%d documents in %v, searchable after %v; edits that waited over 150 ms: %s", n, b.Elapsed().Round(time.Millisecond),
		searchable.Round(time.Millisecond), strings.Join(long, ", "))
}

// BenchmarkIndexProjectFloor is BenchmarkIndexProject's floor: FTS5
// itself indexing the same words, in one statement in C (INSERT … SELECT
// from a table of the bodies, made beforehand by readForIndex in a file of
// their own), with the same settings (fts5Config), in one transaction. No
// documents are read or folded, no Go runs per document, nothing commits
// part way, nothing is merged. Measured on these hosts, the words' hashing
// inside FTS5 is most of the build's time, so this floor is what the
// build's searchable-docs/s is to be compared with, in the same run. It is
// skipped when QALAM_INDEX_PROJECT is unset.
func BenchmarkIndexProjectFloor(b *testing.B) {
	src := os.Getenv("QALAM_INDEX_PROJECT")
	if src == "" {
		b.Skip("QALAM_INDEX_PROJECT is not set")
	}
	ctx := context.Background()
	s, err := Open(ctx, src, Options{ReadOnly: true, CheckLater: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(b.TempDir(), "bodies.db")+"?_journal_mode=OFF&_synchronous=OFF")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE bodies(id INTEGER PRIMARY KEY, body TEXT)`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	batches := make(chan *indexBatch, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- s.readForIndex(ctx, 0, batches, nil)
	}()
	n := 0
	for batch := range batches {
		for _, d := range batch.docs {
			if _, err := tx.Exec(`INSERT INTO bodies VALUES (?, ?)`, d.id, d.body); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	if err := <-readErr; err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// The bodies in the page cache, as the documents are for the build.
	if _, err := db.Exec(`SELECT sum(length(body)) FROM bodies`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		q := []string{`DROP TABLE IF EXISTS f`, searchDDL("f", "fts5")}
		for _, c := range fts5Config {
			q = append(q, fmt.Sprintf(`INSERT INTO f(f, rank) VALUES ('%s', %d)`, c.name, c.value))
		}
		for _, q := range q {
			if _, err := db.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if _, err := db.Exec(`INSERT INTO f(rowid, body) SELECT id, body FROM bodies`); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.Logf("%d documents, FTS5 alone: %v each", n, (b.Elapsed() / time.Duration(b.N)).Round(time.Millisecond))
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// On disk before the build starts: the kernel writing a fresh copy of
	// gigabytes back meanwhile held each commit's sync back (edits in the
	// first second waited 230-485 ms; none did once it was on disk).
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkSearchANT searches the indexed ANT corpus: a common word, a
// word with proclitic forms, a phrase, a prefix, and a phrase of two
// common words that stand apart far more often than together; each op
// counts the matches and reads the first page.
func BenchmarkSearchANT(b *testing.B) {
	s := antProject(b)
	ctx := context.Background()
	if err := s.IndexForSearch(ctx, nil); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"تونس", "الحكومة", `"وزير الخارجية"`, "اقتصا*", `"في تونس"`} {
		b.Run(q, func(b *testing.B) {
			var n int
			for b.Loop() {
				var err error
				dq := annotate.DocQuery{Layer: "ann", Search: q}
				if n, err = s.CountMatching(ctx, dq); err != nil {
					b.Fatal(err)
				}
				if _, err := s.DocumentPage(ctx, dq, 0, 0, 100); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkCorpusOccurrencesANT finds a name's occurrences over the ANT
// corpus, as "label all occurrences" does (first 1,000): a word, and a
// name of two words.
func BenchmarkCorpusOccurrencesANT(b *testing.B) {
	s := antProject(b)
	ctx := context.Background()
	if err := s.IndexForSearch(ctx, nil); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"تونس", "وزير الخارجية"} {
		b.Run(name, func(b *testing.B) {
			var n int
			for b.Loop() {
				occ, _, err := s.CorpusOccurrences(ctx, name, 0, 1000)
				if err != nil {
					b.Fatal(err)
				}
				n = len(occ)
			}
			b.ReportMetric(float64(n), "occurrences")
		})
	}
}
