package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/qalam-annotate/qalam/annotate"
)

// Full-text search over the corpus.
//
// The index is an SQLite full-text table without content of its own
// ("contentless"): the store feeds it each document's name and text,
// normalised for Arabic, and keeps only the index. FTS5 is used when
// go-sqlite3 was built with the sqlite_fts5 tag (the Makefile sets it);
// otherwise FTS4, which go-sqlite3 always compiles in. Each module has its
// own table (search_fts5_words, search_fts4_words), so a project indexed by
// one build still searches with the other. The tables hold the folded
// words alone, split by FTS5's fast ascii tokenizer (the folding is done
// already, and every character beyond ASCII is part of a word); a query
// word is looked up in each of its forms with proclitics (annotate.Forms).
// Tables of earlier versions (search_fts5, search_fts4, which held stems
// as well) are dropped when the new one is made.
//
// Documents never change once imported, so the index is built lazily and
// incrementally: before a search, documents whose id is above the last one
// indexed are added, in short transactions. Importing articles does not pay
// for search.
//
// What the index holds, and how a query reads, are the domain's rules
// (annotate.SearchBody, annotate.ParseQuery), shared with every store.

// settings keys, followed by the table's module and version: the last
// document id the table holds, and a merge it owes (see indexWriter.merge).
const (
	searchUptoKey  = "search_indexed_upto_"
	searchMergeKey = "search_merge_owed_"
)

// searchVersion names the tables of this version of the index.
const searchVersion = "_words"

// fts5Config is how an FTS5 index is fed. Left to itself, FTS5 merges its
// b-trees a little at every commit (automerge), and that merging was most
// of the cost of a bulk build: each level was rewritten again and again.
// Instead, each transaction's words become one new b-tree (hashsize holds
// a whole transaction's, so they are not flushed part way), nothing is
// merged while documents are added (crisismerge: not before a level
// holds that many b-trees), and a merge in the background (merging) then
// merges each level that holds usermerge b-trees or more: a whole corpus
// becomes one b-tree in one pass, and what is added later is merged among
// itself, 16 b-trees at a time, not into the whole. The settings are kept
// in the table, and are read the same by every version.
var fts5Config = []struct {
	name  string
	value int
}{{"automerge", 0}, {"crisismerge", 1000}, {"usermerge", 16}, {"hashsize", 64 << 20}}

// indexTxTime bounds the transactions of IndexForSearch (tests shorten it).
var indexTxTime = batchTime

// mergePages is the least work of one merge step, in pages written
// (about 10 ms). A step also rewrites the first page of each b-tree it
// merges (what is left of it), so its work is at least a page for each
// b-tree as well. A million documents leave 700 b-trees: three pages for
// each made steps of 200-300 ms, and an edit made meanwhile waited as
// long; one for each made the whole merge no longer (21 s and 23 s), and
// edits waited under 200 ms.
const mergePages = 128

// SearchModule reports the full-text module this build of the store uses:
// "fts5" or "fts4".
func (s *Store) SearchModule(ctx context.Context) (string, error) {
	var fts5 bool
	if err := s.db.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&fts5); err != nil {
		return "", err
	}
	if fts5 {
		return "fts5", nil
	}
	return "fts4", nil
}

// searchIndex names a full-text table and its settings.
type searchIndex struct {
	table  string // search_fts5_words
	module string // fts5 or fts4
	key    string // its settings keys' suffix: fts5_words
}

func (s *Store) searchTable(ctx context.Context) (searchIndex, error) {
	module, err := s.SearchModule(ctx)
	if err != nil {
		return searchIndex{}, err
	}
	ix := searchIndex{table: "search_" + module + searchVersion, module: module, key: module + searchVersion}
	ddl := searchDDL(ix.table, module)
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?)`, ix.table).Scan(&exists); err != nil {
		return searchIndex{}, err
	}
	if !exists {
		if s.readOnly {
			return searchIndex{}, fmt.Errorf("%w: the search index must be built first, which needs writing", annotate.ErrReadOnly)
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			for _, q := range []string{ddl, `DROP TABLE IF EXISTS search_` + module, `DELETE FROM settings WHERE key IN ('` + searchUptoKey + module + `', '` + searchUptoKey + ix.key + `', '` + searchMergeKey + ix.key + `')`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return searchIndex{}, fmt.Errorf("create search index: %w", err)
		}
	}
	return ix, nil
}

// searchDDL makes the full-text table of module named table, if there is
// none.
func searchDDL(table, module string) string {
	if module == "fts4" {
		return `CREATE VIRTUAL TABLE IF NOT EXISTS ` + table + ` USING fts4(content="", body, tokenize=simple)`
	}
	return `CREATE VIRTUAL TABLE IF NOT EXISTS ` + table + ` USING fts5(body, content='', columnsize=0, tokenize='ascii')`
}

// SearchIndexState reports how many documents the search index lacks and
// how many the project has.
func (s *Store) SearchIndexState(ctx context.Context) (missing, total int, err error) {
	defer wrap(&err, "read the state of the search index")
	module, err := s.SearchModule(ctx)
	if err != nil {
		return 0, 0, err
	}
	upto, err := s.indexedUpto(ctx, s.db, module+searchVersion)
	if err != nil {
		return 0, 0, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents WHERE id > ?), (SELECT n FROM document_count)`, upto).Scan(&missing, &total)
	return missing, total, err
}

func (s *Store) indexedUpto(ctx context.Context, q querier, key string) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, searchUptoKey+key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// IndexForSearch adds the documents the search index lacks, in
// transactions of about batchTime, so that edits made meanwhile wait
// little, and returns once they are in; it leaves the merge of what it
// added (indexWriter.merge) running in the background (merging). progress,
// when not nil, is called after each transaction with the documents
// indexed so far in this call and the number to index. Cancelling ctx
// stops between transactions; what was indexed stays, and a merge cut
// short is taken up again by the next call.
func (s *Store) IndexForSearch(ctx context.Context, progress func(done, todo int)) (err error) {
	defer wrap(&err, "index the documents for search")
	ix, err := s.searchTable(ctx)
	if err != nil {
		return err
	}
	upto, err := s.indexedUpto(ctx, s.db, ix.key)
	if err != nil {
		return err
	}
	// Every search asks first, so only what is missing is counted (the
	// whole corpus took 15 ms to count in 200,000 documents).
	var missing int
	var owed bool
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents WHERE id > ?), EXISTS (SELECT 1 FROM settings WHERE key = ?)`,
		upto, searchMergeKey+ix.key).Scan(&missing, &owed); err != nil || missing == 0 && (!owed || s.readOnly) {
		return err // an index owing a merge searches the same, only slower
	}
	if missing > 0 {
		if err := s.feedIndex(ctx, ix, upto, missing, progress); err != nil {
			return err
		}
	}
	if ix.module == "fts5" && !s.readOnly {
		return s.startMerge(ctx, ix)
	}
	return nil
}

// feedIndex adds the documents whose id is above upto to ix: a goroutine
// reads them and works out what the index holds for each
// (annotate.SearchBody), beside the inserts.
func (s *Store) feedIndex(ctx context.Context, ix searchIndex, upto int64, missing int, progress func(done, todo int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *indexBatch, 2)
	// Batches added come back to be filled again: bodies made in new
	// memory for each batch were 28% of what indexing allocated
	// (BenchmarkIndexANT: 47.4 MB, now 33.9), garbage that the app's
	// collector, its heap held small, had to keep up with.
	free := make(chan *indexBatch, cap(batches)+2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- s.readForIndex(ctx, upto, batches, free)
	}()
	err := s.buildIndex(ctx, ix, batches, free, func(done int) {
		if progress != nil {
			progress(done, max(missing, done))
		}
	})
	if err != nil {
		cancel()
		for range batches {
		}
		return err
	}
	return <-readErr
}

// merging is the merge of the search index that IndexForSearch leaves
// running in the background once the documents are in: the index
// searches as soon as they are, only slower until the merge is done (a
// million documents: 20-25 s of merging after about a minute of adding).
// Close stops it between transactions; the next IndexForSearch, after the
// project is opened again, takes it up.
type merging struct {
	mu      sync.Mutex
	cancel  context.CancelFunc
	done    chan struct{} // closed when the merge is over
	err     error         // how the last merge failed, told once
	stopped bool          // by Close: no merge starts again
}

// startMerge merges ix in the background unless a merge runs already, and
// returns how the merge before failed, if it did. ctx done leaves the
// merge for another call, and so does a file not yet found sound (its
// check left to the caller): writing into a damaged file can spread the
// damage, and nobody asked for this writing.
func (s *Store) startMerge(ctx context.Context, ix searchIndex) error {
	m := &s.merging
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.stopped || !s.sound.Load() {
		return nil
	}
	if m.done != nil {
		select {
		case <-m.done:
		default:
			return nil // running
		}
	}
	if err := m.err; err != nil {
		m.err = nil
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	mctx, cancel := context.WithCancel(context.Background())
	m.cancel, m.done = cancel, make(chan struct{})
	go func(done chan<- struct{}) {
		defer close(done)
		defer cancel()
		err := s.mergeIndex(mctx, ix)
		if err != nil && !errors.Is(err, context.Canceled) {
			m.mu.Lock()
			m.err = fmt.Errorf("merge the search index: %w", err)
			m.mu.Unlock()
		}
	}(m.done)
	return nil
}

// stopMerge stops a merge running in the background, waits for it, and
// lets no other start.
func (s *Store) stopMerge() {
	m := &s.merging
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.stopped = true
	m.mu.Unlock()
	if done != nil {
		cancel()
		<-done
	}
}

// indexDoc is a document as the search index holds it.
type indexDoc struct {
	id   int64
	body string
}

// indexBatch is a few hundred documents, in order of id, whose bodies are
// kept in buf.
type indexBatch struct {
	docs []indexDoc
	buf  []byte
}

// readForIndex sends the documents whose id is above after, in order, a
// few hundred at a time, until there are no more or ctx is done. It fills
// the batches of free again (their documents must be added already), and
// makes new ones while there are none.
func (s *Store) readForIndex(ctx context.Context, after int64, batches chan<- *indexBatch, free <-chan *indexBatch) error {
	const batch = 256
	ends := make([]int, 0, batch)
	for {
		var b *indexBatch
		select {
		case b = <-free:
		default:
			b = &indexBatch{docs: make([]indexDoc, 0, batch)}
		}
		rows, err := s.db.QueryContext(ctx, `SELECT id, name, text FROM documents WHERE id > ? ORDER BY id LIMIT ?`, after, batch)
		if err != nil {
			return err
		}
		b.docs, b.buf, ends = b.docs[:0], b.buf[:0], ends[:0]
		for rows.Next() {
			var id int64
			var name, text string
			if err := rows.Scan(&id, &name, &text); err != nil {
				rows.Close()
				return err
			}
			b.buf = annotate.AppendSearchBody(annotate.AppendSearchBody(b.buf, name), text)
			b.docs = append(b.docs, indexDoc{id: id})
			ends = append(ends, len(b.buf))
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(b.docs) == 0 {
			return err
		}
		// The bodies are read in place: the writer binds them to its
		// statement, which copies them, and gives the batch back only
		// once all are added.
		start := 0
		for i, end := range ends {
			if end > start {
				b.docs[i].body = unsafe.String(&b.buf[start], end-start)
			}
			start = end
		}
		after = b.docs[len(b.docs)-1].id
		select {
		case batches <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// buildIndex adds the documents of batches (in order of id) to ix, and
// sends each batch to free once its documents are added, unless free is
// full. progress is called after each transaction with the documents
// handled so far.
func (s *Store) buildIndex(ctx context.Context, ix searchIndex, batches <-chan *indexBatch, free chan<- *indexBatch, progress func(done int)) error {
	return s.withIndexWriter(ctx, func(w *indexWriter) error {
		done := 0
		var b *indexBatch   // being added
		var docs []indexDoc // of b, not yet added
		more := true        // batches is open
		receive := func(next *indexBatch, ok bool) {
			b, docs, more = next, nil, ok
			if ok {
				docs = next.docs
			}
		}
		for first := true; more || len(docs) > 0; first = false {
			if len(docs) == 0 {
				select {
				case next, ok := <-batches:
					receive(next, ok)
				case <-ctx.Done():
					return ctx.Err()
				}
				if !more {
					break
				}
			}
			err := w.tx(ctx, func(tx *sql.Tx, deadline time.Time) error {
				// The mark is read again inside the (immediate) transaction:
				// two indexers never add the same document.
				upto, err := s.indexedUpto(ctx, tx, ix.key)
				if err != nil {
					return err
				}
				if first && ix.module == "fts5" {
					for _, c := range fts5Config {
						if _, err := tx.ExecContext(ctx, `INSERT INTO `+ix.table+`(`+ix.table+`, rank) VALUES (?, ?)`, c.name, c.value); err != nil {
							return fmt.Errorf("set %s: %w", c.name, err)
						}
					}
					if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO settings(key, value) VALUES (?, '1')`, searchMergeKey+ix.key); err != nil {
						return err
					}
				}
				stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+ix.table+`(rowid, body) VALUES (?, ?)`)
				if err != nil {
					return err
				}
				defer stmt.Close()
				last := upto
				wait := time.NewTimer(time.Until(deadline))
				defer wait.Stop()
				// The inserts run without ctx, which is looked at between
				// them: given a context that can end, the driver runs each
				// statement on a goroutine of its own and waits for it.
				insert := context.WithoutCancel(ctx)
				// One document at least, then until the deadline.
				for n := 0; n == 0 || time.Now().Before(deadline); n++ {
					if err := ctx.Err(); err != nil {
						return err
					}
					if len(docs) == 0 {
						select {
						case next, ok := <-batches:
							receive(next, ok)
						case <-wait.C:
						case <-ctx.Done():
							return ctx.Err()
						}
						if len(docs) == 0 {
							break
						}
					}
					if d := docs[0]; d.id > upto {
						if _, err := stmt.ExecContext(insert, d.id, d.body); err != nil {
							return fmt.Errorf("index document %d: %w", d.id, err)
						}
						last = d.id
					}
					docs = docs[1:]
					done++
					if len(docs) == 0 {
						select {
						case free <- b:
						default:
						}
						b = nil
					}
				}
				_, err = tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
					ON CONFLICT(key) DO UPDATE SET value = excluded.value`, searchUptoKey+ix.key, strconv.FormatInt(last, 10))
				return err
			})
			if err != nil {
				return err
			}
			progress(done)
		}
		return nil
	})
}

// mergeIndex merges ix (indexWriter.merge).
func (s *Store) mergeIndex(ctx context.Context, ix searchIndex) error {
	return s.withIndexWriter(ctx, func(w *indexWriter) error { return w.merge(ctx, ix) })
}

// withIndexWriter runs fn with a writer of its own, closed after.
func (s *Store) withIndexWriter(ctx context.Context, fn func(w *indexWriter) error) (err error) {
	w, err := s.newIndexWriter(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.close(); err == nil {
			err = cerr
		}
	}()
	return fn(w)
}

// merge merges ix's b-trees as fts5Config says, a step at a time, until
// FTS5 has no more to do; then the merge is no longer owed.
func (w *indexWriter) merge(ctx context.Context, ix searchIndex) error {
	var btrees int
	if err := w.conn.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM `+ix.table+`_idx`).Scan(&btrees); err != nil {
		return err
	}
	pages := max(mergePages, btrees)
	for finished := false; !finished; {
		err := w.tx(ctx, func(tx *sql.Tx, deadline time.Time) error {
			for step := time.Duration(0); time.Now().Add(step).Before(deadline) || step == 0; {
				began := time.Now()
				// A step that found nothing to merge changes one row.
				var before, after int64
				if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO `+ix.table+`(`+ix.table+`, rank) VALUES ('merge', ?)`, pages); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
					return err
				}
				if after-before < 2 {
					finished = true
					_, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = ?`, searchMergeKey+ix.key)
					return err
				}
				step = max(time.Since(began), time.Nanosecond)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("merge the search index: %w", err)
		}
	}
	return nil
}

// indexWriter writes the search index on a connection of its own, in
// transactions of about indexTxTime each, commit included, so that an edit
// made meanwhile waits little. The connection leaves the write-ahead log
// to a goroutine that copies it into the project file (a checkpoint) on
// another connection, beside the writing, after each commit: checkpoints
// made by the writer itself were an eighth of its time. With transactions
// following each other, though, the log never started over, and it grew
// to 1.0-2.5 GB while a million documents' index merged; so once it holds
// logLimit pages, the next transaction waits for a checkpoint that has it
// start over (RESTART).
type indexWriter struct {
	s     *Store
	conn  *sql.Conn
	pages int           // its wal_autocheckpoint, put back at the end
	ckpt  chan bool     // asks for a checkpoint; true: one that restarts the log
	done  chan bool     // after each checkpoint that restarts the log: whether it did
	log   atomic.Int64  // pages in the log at the last checkpoint
	ckptd chan struct{} // closed when the checkpoints are over
	share float64       // the share of a transaction's time its work may take
	// restartAt is the log's length from which the next transaction has
	// it start over: logLimit, and logLimit more after each time a reader
	// kept it from starting over.
	restartAt int64
}

// logLimit is the length of the write-ahead log, in pages (64 MB), from
// which an index writer has it start over (tests lower it).
var logLimit int64 = 16384

// ckptWait is how long a checkpoint that restarts the log waits for the
// project (an edit's transaction) and for readers to leave the log; then
// it copies what it can, and a later one restarts the log.
const ckptWait = 100 * time.Millisecond

func (s *Store) newIndexWriter(ctx context.Context) (*indexWriter, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	ck, err := s.db.Conn(ctx)
	if err != nil {
		conn.Close()
		return nil, err
	}
	w := &indexWriter{s: s, conn: conn, ckpt: make(chan bool, 1), done: make(chan bool), ckptd: make(chan struct{}), share: 0.5, restartAt: logLimit}
	if err = conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&w.pages); err == nil {
		_, err = conn.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`)
	}
	if err == nil {
		_, err = ck.ExecContext(ctx, `PRAGMA busy_timeout = `+strconv.Itoa(int(ckptWait.Milliseconds())))
	}
	if err != nil {
		discard(ck)
		conn.Close()
		return nil, err
	}
	go func() {
		defer close(w.ckptd)
		defer discard(ck) // not back in the pool with its short wait
		for restart := range w.ckpt {
			mode := "PASSIVE"
			if restart {
				mode = "RESTART"
			}
			// A checkpoint that fails is made by a later one.
			var busy, log, copied int64
			err := ck.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&busy, &log, &copied)
			restarted := restart && err == nil && busy == 0
			if restarted {
				log = 0 // the next transaction starts the log over
			}
			if err == nil {
				w.log.Store(log)
			}
			if restart {
				w.done <- restarted
			}
		}
	}()
	return w, nil
}

// discard closes conn and keeps it out of the pool.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // it is the point
	conn.Close()
}

// tx runs fn in a transaction on w's connection. fn works until deadline,
// which leaves time for the commit (as long, in proportion, as the last
// one took).
func (w *indexWriter) tx(ctx context.Context, fn func(tx *sql.Tx, deadline time.Time) error) error {
	if w.log.Load() >= w.restartAt {
		w.ckpt <- true
		if <-w.done {
			w.restartAt = logLimit
		} else {
			w.restartAt += logLimit
		}
	}
	var began, worked time.Time
	err := w.s.inTxOn(ctx, w.conn, func(tx *sql.Tx) error {
		began = time.Now()
		err := fn(tx, began.Add(time.Duration(w.share*float64(indexTxTime))))
		worked = time.Now()
		return err
	})
	committed := time.Now()
	// An edit woken by the commit takes the project before the next
	// transaction: Go's mutex would let this goroutine, running, take it
	// again first, and the edit wait for two transactions.
	runtime.Gosched()
	if err != nil {
		return err
	}
	if work, all := worked.Sub(began), committed.Sub(began); all > 0 {
		w.share = max(0.25, float64(work)/float64(all))
	}
	select {
	case w.ckpt <- false:
	default: // one is asked for already
	}
	return nil
}

// close ends the checkpoints and gives the connection back to the pool,
// with its setting put back.
func (w *indexWriter) close() error {
	close(w.ckpt)
	<-w.ckptd
	_, err := w.conn.ExecContext(context.Background(), `PRAGMA wal_autocheckpoint = `+strconv.Itoa(w.pages))
	if err != nil {
		discard(w.conn) // not back in the pool without its checkpoints
		return err
	}
	return w.conn.Close()
}

// searchMatch returns the SQL condition selecting the documents (as d.id)
// that match query, and its argument. The index must be up to date.
func (s *Store) searchMatch(ctx context.Context, query string) (string, any, error) {
	ix, err := s.searchTable(ctx)
	if err != nil {
		return "", nil, err
	}
	m, err := ftsQuery(query, ix.module)
	if err != nil {
		return "", nil, err
	}
	return `d.id IN (SELECT rowid FROM ` + ix.table + ` WHERE ` + ix.table + ` MATCH ?)`, m, nil
}

// DocumentPage returns up to limit documents (0: all) of those q selects
// (its Offset and Limit ignored) whose id is above after, skipping the
// first skip of them. Paging by the last id of the page before costs the
// same at the end of a long list as at its start.
func (s *Store) DocumentPage(ctx context.Context, q annotate.DocQuery, after int64, skip, limit int) (_ []annotate.DocSummary, err error) {
	defer wrap(&err, "list the documents")
	f, err := s.docFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	lim := ""
	if limit > 0 || skip > 0 {
		l := limit
		if l <= 0 {
			l = -1 // no limit
		}
		lim = fmt.Sprintf(` LIMIT %d OFFSET %d`, l, max(skip, 0))
	}
	// The page is chosen first (from the narrow documents_list index, or
	// the status index), then its rows are completed.
	query := `WITH page AS (SELECT d.id, d.name, d.length FROM ` + f.from + `
		WHERE d.id > ? AND ` + f.cond + ` ORDER BY ` + f.order + lim + `)
		SELECT p.id, p.name, p.length, COALESCE(st.status, 'todo'), COALESCE(st.flagged, 0),
		(SELECT count(*) FROM spans sp WHERE sp.doc_id = p.id AND sp.layer_id = ?)
		FROM page p LEFT JOIN doc_status st ON st.doc_id = p.id AND st.layer_id = ? ORDER BY p.id`
	rows, err := s.db.QueryContext(ctx, query, append(append([]any{after}, f.args...), f.layerID, f.layerID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.DocSummary
	for rows.Next() {
		var d annotate.DocSummary
		if err := rows.Scan(&d.ID, &d.Name, &d.Length, &d.Status, &d.Flagged, &d.Spans); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// filter is the SQL that selects the documents (as d) a DocQuery asks for.
type filter struct {
	layerID int64
	from    string // tables, documents as d
	cond    string // condition
	order   string // d.id, or a column equal to it that keeps index order
	args    []any  // the condition's arguments
}

// docFilter builds the filter for q's status, queue and search. A search
// brings the index up to date.
func (s *Store) docFilter(ctx context.Context, q annotate.DocQuery) (filter, error) {
	layerID, _, err := s.lookupLayer(ctx, q.Layer)
	if err != nil {
		return filter{}, err
	}
	f := filter{layerID: layerID, from: "documents d", order: "d.id"}
	conds := []string{"1"}
	lid := strconv.FormatInt(layerID, 10)
	switch q.Status {
	case "":
	case annotate.Todo:
		f.from = `documents d LEFT JOIN doc_status st ON st.doc_id = d.id AND st.layer_id = ` + lid
		conds = append(conds, `(st.status IS NULL OR st.status = 'todo')`)
	default:
		// Few documents have a given status: start from them.
		f.from = `doc_status st CROSS JOIN documents d INDEXED BY documents_list ON d.id = st.doc_id`
		conds = append(conds, `st.layer_id = `+lid+` AND st.status = ?`)
		f.order = "st.doc_id"
		f.args = append(f.args, q.Status)
	}
	if q.Queue {
		// Only a layer with an assignment has a queue.
		assigned, err := s.Assigned(ctx, q.Layer)
		if err != nil {
			return filter{}, err
		}
		if assigned {
			conds = append(conds, `d.id IN (SELECT doc_id FROM assignments WHERE layer_id = `+lid+`)`)
		}
	}
	if strings.TrimSpace(q.Search) != "" {
		if err := s.IndexForSearch(ctx, nil); err != nil {
			return filter{}, err
		}
		cond, arg, err := s.searchMatch(ctx, q.Search)
		if err != nil {
			return filter{}, err
		}
		conds = append(conds, cond)
		f.args = append(f.args, arg)
	}
	f.cond = strings.Join(conds, " AND ")
	return f, nil
}

// CountMatching counts the documents q selects (its Offset and Limit
// ignored).
func (s *Store) CountMatching(ctx context.Context, q annotate.DocQuery) (_ int, err error) {
	defer wrap(&err, "count the documents listed")
	if q.Queue {
		if q.Queue, err = s.Assigned(ctx, q.Layer); err != nil {
			return 0, err
		}
	}
	if !q.Queue && strings.TrimSpace(q.Search) == "" {
		// Counted without reading the documents: a million rows take
		// 50-100 ms to count through a join.
		switch q.Status {
		case "":
			return s.CountDocuments(ctx)
		case annotate.Todo:
			counts, err := s.CountStatus(ctx, q.Layer)
			return counts[q.Status], err
		}
		// Another status (done, after every change of status) counts
		// its own rows alone, not every document as todo needs.
		id, ok, err := s.lookupLayer(ctx, q.Layer)
		if err != nil || !ok {
			return 0, err
		}
		var n int
		err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM doc_status WHERE layer_id = ? AND status = ?`, id, q.Status).Scan(&n)
		return n, err
	}
	f, err := s.docFilter(ctx, q)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+f.from+` WHERE `+f.cond, f.args...).Scan(&n)
	return n, err
}

// ftsQuery turns what a user typed into a MATCH expression for module:
// each term (a word, or a phrase) in any of the forms of its first word
// (annotate.Forms), the terms ANDed; a trailing * makes a prefix.
func ftsQuery(q, module string) (string, error) {
	terms, err := annotate.ParseQuery(q)
	if err != nil {
		return "", err
	}
	out := make([]string, len(terms))
	for i, t := range terms {
		rest := ""
		if len(t.Words) > 1 {
			rest = " " + strings.Join(t.Words[1:], " ")
		}
		var forms []string
		for _, f := range annotate.Forms(t.Words[0]) {
			phrase := `"` + f + rest + `"`
			if t.Prefix {
				if module == "fts5" {
					phrase += "*"
				} else {
					phrase = f + "*"
				}
			}
			forms = append(forms, phrase)
		}
		out[i] = forms[0]
		if len(forms) > 1 {
			out[i] = "(" + strings.Join(forms, " OR ") + ")"
		}
	}
	return strings.Join(out, " AND "), nil
}

// CorpusOccurrences finds needle (see FindOccurrences) in the documents
// other than except, in import order, through the search index (brought up
// to date first). It stops after limit occurrences (0: no limit) and then
// reports more = true.
func (s *Store) CorpusOccurrences(ctx context.Context, needle string, except int64, limit int) (occ []annotate.DocOccurrence, more bool, err error) {
	defer wrap(&err, "find %q in the corpus", needle)
	words := annotate.SearchWords(annotate.Fold(needle))
	if len(words) == 0 {
		return nil, false, nil
	}
	if err := s.IndexForSearch(ctx, nil); err != nil {
		return nil, false, err
	}
	cond, arg, err := s.searchMatch(ctx, `"`+strings.Join(words, " ")+`"`)
	if err != nil {
		return nil, false, err
	}
	// The index is asked once; the texts are then read a batch at a time
	// (asking it again for every batch made a common word's search
	// quadratic).
	var ids []int64
	rows, err := s.db.QueryContext(ctx, `SELECT d.id FROM documents d WHERE `+cond+` AND d.id != ? ORDER BY d.id`, arg, except)
	if err != nil {
		return nil, false, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, false, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	for len(ids) > 0 {
		batch := ids[:min(64, len(ids))]
		ids = ids[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, `SELECT id, name, text FROM documents WHERE id IN (?`+strings.Repeat(", ?", len(batch)-1)+`) ORDER BY id`, args...)
		if err != nil {
			return nil, false, err
		}
		for rows.Next() {
			var id int64
			var name, text string
			if err := rows.Scan(&id, &name, &text); err != nil {
				rows.Close()
				return nil, false, err
			}
			for _, o := range annotate.FindOccurrences(text, needle) {
				if limit > 0 && len(occ) >= limit {
					rows.Close()
					return occ, true, nil
				}
				occ = append(occ, annotate.DocOccurrence{DocID: id, DocName: name, Text: text, Occurrence: o})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
	}
	return occ, false, nil
}
