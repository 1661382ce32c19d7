package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

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

// settings keys holding the last document id indexed by each table.
const searchUptoKey = "search_indexed_upto_"

// searchVersion names the tables of this version of the index.
const searchVersion = "_words"

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

func (s *Store) searchTable(ctx context.Context) (table, module string, err error) {
	module, err = s.SearchModule(ctx)
	if err != nil {
		return "", "", err
	}
	table = "search_" + module + searchVersion
	ddl := `CREATE VIRTUAL TABLE IF NOT EXISTS ` + table + ` USING fts5(body, content='', columnsize=0, tokenize='ascii')`
	if module == "fts4" {
		ddl = `CREATE VIRTUAL TABLE IF NOT EXISTS ` + table + ` USING fts4(content="", body, tokenize=simple)`
	}
	var exists bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?)`, table).Scan(&exists); err != nil {
		return "", "", err
	}
	if !exists {
		if s.readOnly {
			return "", "", fmt.Errorf("%w: the search index must be built first, which needs writing", annotate.ErrReadOnly)
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			for _, q := range []string{ddl, `DROP TABLE IF EXISTS search_` + module, `DELETE FROM settings WHERE key = '` + searchUptoKey + module + `'`} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return "", "", fmt.Errorf("create search index: %w", err)
		}
	}
	return table, module, nil
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
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM documents WHERE id > ?), (SELECT count(*) FROM documents)`, upto).Scan(&missing, &total)
	return missing, total, err
}

func (s *Store) indexedUpto(ctx context.Context, q querier, module string) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, searchUptoKey+module).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// IndexForSearch adds the documents the search index lacks, in
// transactions of a few hundred documents so that edits made meanwhile
// wait little. Reading the documents and working out what the index
// holds for each (annotate.SearchBody) runs on a goroutine of its own,
// beside the inserts. progress, when not nil, is called after each batch
// with the documents indexed so far in this call and the number to index.
// Cancelling ctx stops between batches; what was indexed stays.
func (s *Store) IndexForSearch(ctx context.Context, progress func(done, todo int)) (err error) {
	defer wrap(&err, "index the documents for search")
	table, module, err := s.searchTable(ctx)
	if err != nil {
		return err
	}
	key := module + searchVersion
	upto, err := s.indexedUpto(ctx, s.db, key)
	if err != nil {
		return err
	}
	// Every search asks first, so only what is missing is counted (the
	// whole corpus took 15 ms to count in 200,000 documents).
	var missing int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE id > ?`, upto).Scan(&missing); err != nil || missing == 0 {
		return err
	}
	type doc struct {
		id   int64
		body string
	}
	const batch = 500
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []doc, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		for after := upto; ; {
			rows, err := s.db.QueryContext(ctx, `SELECT id, name, text FROM documents WHERE id > ? ORDER BY id LIMIT ?`, after, batch)
			if err != nil {
				readErr <- err
				return
			}
			var docs []doc
			for rows.Next() {
				var d doc
				var name, text string
				if err := rows.Scan(&d.id, &name, &text); err != nil {
					rows.Close()
					readErr <- err
					return
				}
				d.body = annotate.SearchBody(name + "\n" + text)
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil || len(docs) == 0 {
				readErr <- err
				return
			}
			after = docs[len(docs)-1].id
			select {
			case batches <- docs:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
	}()
	done := 0
	for docs := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// The mark is read again inside the (immediate) transaction:
			// two indexers never add the same document.
			upto, err := s.indexedUpto(ctx, tx, key)
			if err != nil {
				return err
			}
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+`(rowid, body) VALUES (?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for _, d := range docs {
				if d.id <= upto {
					continue
				}
				if _, err := stmt.ExecContext(ctx, d.id, d.body); err != nil {
					return fmt.Errorf("index document %d: %w", d.id, err)
				}
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, searchUptoKey+key, strconv.FormatInt(max(upto, docs[len(docs)-1].id), 10))
			return err
		})
		if err != nil {
			return err
		}
		done += len(docs)
		if progress != nil {
			progress(done, max(missing, done))
		}
	}
	return <-readErr
}

// searchMatch returns the SQL condition selecting the documents (as d.id)
// that match query, and its argument. The index must be up to date.
func (s *Store) searchMatch(ctx context.Context, query string) (string, any, error) {
	table, module, err := s.searchTable(ctx)
	if err != nil {
		return "", nil, err
	}
	m, err := ftsQuery(query, module)
	if err != nil {
		return "", nil, err
	}
	return `d.id IN (SELECT rowid FROM ` + table + ` WHERE ` + table + ` MATCH ?)`, m, nil
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
