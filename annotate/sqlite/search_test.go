package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestFTSQuery(t *testing.T) {
	forms := func(module, rest, star string, words ...string) string {
		var out []string
		for _, w := range words {
			var fs []string
			for _, f := range annotate.Forms(w) {
				if module == "fts4" && star != "" {
					fs = append(fs, f+"*")
				} else {
					fs = append(fs, `"`+f+rest+`"`+star)
				}
			}
			out = append(out, "("+strings.Join(fs, " OR ")+")")
		}
		return strings.Join(out, " AND ")
	}
	for _, c := range []struct {
		in, module, want string
		err              error
	}{
		{"مصر", "fts5", forms("fts5", "", "", "مصر"), nil},
		{"  مُصْر   تونس ", "fts4", forms("fts4", "", "", "مصر", "تونس"), nil},
		{"تون*", "fts5", forms("fts5", "", "*", "تون"), nil},
		{"تون*", "fts4", forms("fts4", "", "*", "تون"), nil},
		{`"وزير الخارجية"`, "fts5", forms("fts5", " الخارجيه", "", "وزير"), nil},
		{`AND OR`, "fts5", `"and" AND "or"`, nil},
		{` "" * ,`, "fts5", "", annotate.ErrBadQuery},
	} {
		got, err := ftsQuery(c.in, c.module)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ftsQuery(%q, %s) = %q, %v; want %q, %v", c.in, c.module, got, err, c.want, c.err)
		}
	}
	if got, _ := ftsQuery("مصر", "fts5"); !strings.Contains(got, `"ومصر" OR `) || !strings.Contains(got, `"بمصر"`) {
		t.Errorf("the forms with proclitics are missing: %s", got)
	}
}

// fts5Store makes a project at path whose search index is FTS5's (the
// test is skipped otherwise), indexed in a transaction for each document
// and merged a step a transaction until the test ends.
func fts5Store(t *testing.T, path string) (*Store, searchIndex) {
	t.Helper()
	s, err := Open(context.Background(), path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := s.searchTable(context.Background())
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	if ix.module != "fts5" {
		s.Close()
		t.Skip("built without FTS5")
	}
	d := indexTxTime
	t.Cleanup(func() { indexTxTime = d })
	indexTxTime = 0
	return s, ix
}

// TestIndexMerges builds the index in many transactions, each leaving a
// b-tree of its own: they are merged at the end, a merge cut short is
// taken up again by the next call, and every search then finds what the
// domain's rules (annotate.MatchesQuery) say it finds.
func TestIndexMerges(t *testing.T) {
	ctx := context.Background()
	s, ix := fts5Store(t, filepath.Join(t.TempDir(), "p"+Ext))
	defer s.Close()
	const docs = 200

	words := strings.Fields("تونس بتونس وتونس التونسي وزير الخارجية ووزير مصر والمصري Café news اقتصاد الاقتصادية كتاب")
	rnd := rand.New(rand.NewPCG(1, 2))
	bodies := map[int64]string{}
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		text := []string{fmt.Sprint(i)} // no two alike
		for range 3 + rnd.IntN(8) {
			text = append(text, words[rnd.IntN(len(words))])
		}
		d := annotate.NewDocument(fmt.Sprint("d", i), strings.Join(text, " "), nil)
		id, added, err := im.Add(d)
		if err != nil || !added {
			t.Fatal(added, err)
		}
		bodies[id] = annotate.SearchBody(d.Name + "\n" + d.Text)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}

	btrees := func() (n int) {
		t.Helper()
		if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM ` + ix.table + `_idx`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	owed := func() (b bool) {
		t.Helper()
		if err := s.db.QueryRow(`SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?)`, searchMergeKey+ix.key).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	// Stopped after the first transaction, then once every document is
	// in: the merge is still owed.
	stop, cancel := context.WithCancel(ctx)
	err = s.IndexForSearch(stop, func(done, todo int) { cancel() })
	if missing, _, _ := s.SearchIndexState(ctx); !errors.Is(err, context.Canceled) || missing != docs-1 {
		t.Fatalf("stopped after the first transaction: %v, %d missing; want %d", err, missing, docs-1)
	}
	stop, cancel = context.WithCancel(ctx)
	err = s.IndexForSearch(stop, func(done, todo int) {
		if done == todo {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("indexing stopped before merging: %v", err)
	}
	if n := btrees(); n != docs || !owed() {
		t.Fatalf("%d b-trees (merge owed: %v); want %d, owed", n, owed(), docs)
	}
	// Every search finds what the domain's rules say, while the index is
	// merged in the background and after.
	searches := func() {
		t.Helper()
		for _, q := range []string{"تونس", "التونسي", `"وزير الخارجية"`, `"الخارجية مصر"`, "اقتصا*", "cafe", "NEWS", "كتاب تونس"} {
			terms, err := annotate.ParseQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for id, body := range bodies {
				if annotate.MatchesQuery(body, terms) {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			if len(want) == 0 || len(want) == len(bodies) {
				t.Fatalf("search %q finds %d of %d documents: it tells nothing", q, len(want), len(bodies))
			}
			page, err := s.DocumentPage(ctx, annotate.DocQuery{Layer: "ann", Search: q}, 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, d := range page {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("search %q: %d documents, want %d", q, len(got), len(want))
			}
		}
	}
	if err := s.IndexForSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	searches()
	if err := s.waitMerge(); err != nil {
		t.Fatal(err)
	}
	if n := btrees(); n != 1 || owed() {
		t.Errorf("after merging: %d b-trees (merge owed: %v); want 1", n, owed())
	}
	// The connection that wrote the index left the write-ahead log to
	// others: it is back in the pool with its checkpoints.
	for range 3 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var pages int
		if err := c.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil || pages != 1000 {
			t.Errorf("a connection checkpoints every %d pages, %v; want 1000", pages, err)
		}
	}
	searches()
}

// TestIndexMergeStopsAtClose: a project closed while its index is merged
// in the background stops the merge between transactions, and the next
// search takes it up again.
func TestIndexMergeStopsAtClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p"+Ext)
	s, ix := fts5Store(t, path)
	const docs = 300
	addDocs(t, s, docs, tunisNews)
	if err := s.IndexForSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil { // the merge may be running
		t.Fatal(err)
	}
	// A search on the closed store starts no merge.
	done := s.merging.done
	if err := s.startMerge(ctx, ix); err != nil || s.merging.done != done {
		t.Errorf("a merge started after Close (%v)", err)
	}
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n, err := s.CountMatching(ctx, annotate.DocQuery{Layer: "ann", Search: "تونس"})
	if err != nil || n != docs {
		t.Fatalf("%d documents found, %v; want %d", n, err, docs)
	}
	if err := s.waitMerge(); err != nil {
		t.Fatal(err)
	}
	var btrees int
	var owed bool
	if err := s.db.QueryRow(`SELECT (SELECT count(DISTINCT segid) FROM `+ix.table+`_idx), EXISTS (SELECT 1 FROM settings WHERE key = ?)`, searchMergeKey+ix.key).Scan(&btrees, &owed); err != nil {
		t.Fatal(err)
	}
	if btrees != 1 || owed {
		t.Errorf("%d b-trees (merge owed: %v); want 1", btrees, owed)
	}
}

// waitMerge (for tests and benchmarks) waits for a merge running in the background to end, and
// returns how it failed.
func (s *Store) waitMerge() error {
	m := &s.merging
	m.mu.Lock()
	done := m.done
	m.mu.Unlock()
	if done != nil {
		<-done
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.err
	m.err = nil
	return err
}

// TestNoMergeBeforeTheCheck: a large project whose check is left to the
// caller is searched, but the merge its index owes (writing of the store's
// own accord) waits until the check has found the file sound.
func TestNoMergeBeforeTheCheck(t *testing.T) {
	ctx := context.Background()
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // nothing known of the file
	below := CheckNowBelow
	t.Cleanup(func() { CheckNowBelow = below })
	path := filepath.Join(t.TempDir(), "p"+Ext)
	s, ix := fts5Store(t, path)
	addDocs(t, s, 50, tunisNews)
	if err := s.IndexForSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.waitMerge(); err != nil {
		t.Fatal(err)
	}
	// As if the app had closed during the merge.
	if _, err := s.db.Exec(`INSERT INTO settings(key, value) VALUES (?, '1')`, searchMergeKey+ix.key); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	CheckNowBelow = 0 // every file is large
	s, err := Open(ctx, path, Options{CheckLater: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Checked() {
		t.Fatal("a file never checked is taken as sound")
	}
	owed := func() bool {
		var b bool
		if err := s.db.QueryRow(`SELECT EXISTS (SELECT 1 FROM settings WHERE key = ?)`, searchMergeKey+ix.key).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	search := func() {
		t.Helper()
		if n, err := s.CountMatching(ctx, annotate.DocQuery{Layer: "ann", Search: "تونس"}); err != nil || n != 50 {
			t.Fatalf("%d documents found, %v; want 50", n, err)
		}
		if err := s.waitMerge(); err != nil {
			t.Fatal(err)
		}
	}
	search()
	if s.merging.done != nil || !owed() {
		t.Fatal("the index was merged before the file was checked")
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if !s.Checked() {
		t.Error("a file the check found sound is not taken as sound")
	}
	search()
	if owed() {
		t.Error("the index was not merged after the check")
	}
}

// logStore is fts5Store at path with n documents, document i's text
// text(i), and logLimit lowered to 64 pages for the test.
func logStore(t *testing.T, path string, n int, text func(i int) string) *Store {
	t.Helper()
	s, _ := fts5Store(t, path)
	limit := logLimit
	t.Cleanup(func() { logLimit = limit })
	logLimit = 64
	addDocs(t, s, n, text)
	return s
}

// addDocs imports n documents into s, named d0, d1 and so on, document
// i's text text(i); s is closed when it fails.
func addDocs(t *testing.T, s *Store, n int, text func(i int) string) {
	t.Helper()
	im, err := s.NewImporter(context.Background())
	if err != nil {
		s.Close()
		t.Fatal(err)
	}
	for i := range n {
		if _, _, err := im.Add(annotate.NewDocument(fmt.Sprint("d", i), text(i), nil)); err != nil {
			s.Close()
			t.Fatal(err)
		}
	}
	if err := im.Close(); err != nil {
		s.Close()
		t.Fatal(err)
	}
}

// tunisNews is a short news item, numbered i.
func tunisNews(i int) string { return fmt.Sprint("خبر عن تونس رقم ", i) }

// TestIndexKeepsLogSmall: once the write-ahead log holds logLimit pages,
// the index's next transaction has it start over, so that it stays about
// that long. With checkpoints beside the writing it never started over
// while transactions followed each other: at a million documents it grew
// to 1.0-2.5 GB during the merge.
func TestIndexKeepsLogSmall(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p"+Ext)
	rnd := rand.New(rand.NewPCG(3, 4))
	s := logStore(t, path, 2000, func(int) string {
		var text []string
		for range 40 {
			text = append(text, fmt.Sprintf("w%d", rnd.IntN(20000)))
		}
		return strings.Join(text, " ")
	})
	defer s.Close()
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	pageCount := func() (n int64) {
		t.Helper()
		if err := s.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := pageCount()
	if err := s.IndexForSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.waitMerge(); err != nil {
		t.Fatal(err)
	}
	var pageSize int64
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	pages := pageCount() - before
	size := pages * pageSize
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	// The log was never much longer than logLimit and a transaction's
	// writes: with one document a transaction, a merge step's (mergePages)
	// are the most.
	if fi.Size() > (logLimit+4*mergePages)*pageSize {
		t.Errorf("the log grew to %d bytes while the index (%d pages, %d bytes) was built", fi.Size(), pages, size)
	}
	t.Logf("log %d bytes, index %d pages, %d bytes", fi.Size(), pages, size)
}

// TestIndexBesideLongReader: a reader that holds the write-ahead log keeps
// it from starting over; the index is built all the same, its writer
// trying again only once the log has grown by logLimit more (at every
// transaction, each would wait ckptWait for the reader).
func TestIndexBesideLongReader(t *testing.T) {
	ctx := context.Background()
	s := logStore(t, filepath.Join(t.TempDir(), "p"+Ext), 300, func(i int) string { return fmt.Sprintf("word%d common", i) })
	defer s.Close()
	// A read transaction (BEGIN, not the pool's BEGIN IMMEDIATE).
	reader, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var n int
	if _, err := reader.ExecContext(ctx, `BEGIN`); err != nil {
		t.Fatal(err)
	}
	if err := reader.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil || n != 300 {
		t.Fatal(n, err)
	}
	began := time.Now()
	err = s.IndexForSearch(ctx, nil)
	took := time.Since(began)
	if _, err := reader.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := s.waitMerge(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CountMatching(ctx, annotate.DocQuery{Search: "common"}); err != nil || got != 300 {
		t.Fatalf("%d documents found, want 300 (%v)", got, err)
	}
	if got, err := s.CountMatching(ctx, annotate.DocQuery{Search: "word299"}); err != nil || got != 1 {
		t.Fatalf("%d documents found, want 1 (%v)", got, err)
	}
	// 300 transactions, each waiting ckptWait, took 30 s; 2 s here.
	if took > 150*ckptWait {
		t.Errorf("indexing beside the reader took %v", took)
	}
}

// TestIndexHoldsEachDocumentsWords: over many batches, each filled again
// once the writer has added the one before it, the index holds for every
// document its own words, in order (read back from FTS5's own list of
// each word's places), and no other document's.
func TestIndexHoldsEachDocumentsWords(t *testing.T) {
	ctx := context.Background()
	const docs = 3000 // a dozen batches
	words := strings.Fields("تونس بتونس التونسي وزير الخارجية مصر والمصري Café news اقتصاد")
	rnd := rand.New(rand.NewPCG(5, 6))
	s := logStore(t, filepath.Join(t.TempDir(), "p"+Ext), docs, func(i int) string {
		text := []string{fmt.Sprintf("w%dx", i)}
		for range 2 + rnd.IntN(12) {
			text = append(text, words[rnd.IntN(len(words))])
		}
		return strings.Join(text, " ")
	})
	defer s.Close()
	// Transactions of a millisecond: the writer's pace, not the reader's,
	// decides when a batch comes back.
	ShortIndexTransactions(t)
	want := map[int64][]string{}
	err := s.EachDocument(ctx, []string{}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		want[d.ID] = strings.Fields(annotate.SearchBody(d.Name + "\n" + d.Text))
		return nil
	})
	if err != nil || len(want) != docs {
		t.Fatal(len(want), err)
	}
	if err := s.IndexForSearch(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := s.searchTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `CREATE VIRTUAL TABLE temp.places USING fts5vocab(main, `+ix.table+`, 'instance')`); err != nil {
		t.Fatal(err)
	}
	defer c.ExecContext(ctx, `DROP TABLE temp.places`)
	rows, err := c.QueryContext(ctx, `SELECT doc, term FROM temp.places ORDER BY doc, offset`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64][]string{}
	for rows.Next() {
		var doc int64
		var term string
		if err := rows.Scan(&doc, &term); err != nil {
			t.Fatal(err)
		}
		got[doc] = append(got[doc], term)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for id, w := range want {
		if !slices.Equal(got[id], w) {
			if bad++; bad <= 3 {
				t.Errorf("document %d is indexed as %q, want %q", id, got[id], w)
			}
		}
	}
	if bad > 0 || len(got) != docs {
		t.Errorf("%d of %d documents indexed wrong; %d indexed", bad, docs, len(got))
	}
}
