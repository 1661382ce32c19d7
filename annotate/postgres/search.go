package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
)

// Search and the document list.
//
// Each document keeps what search matches in its search column: the words
// of annotate.SearchBody (its folded words), one space between them and
// one at each end; the column words holds their set, in a GIN index. As in a project file, documents
// are indexed when a search first needs them, in short transactions, by
// whoever searches (members may write the search column of a document
// that has none, and nothing else of it), so an import does not pay for
// search. A query
// (annotate.ParseQuery) selects, through the index, the documents that
// hold all its words, the first of each term in any of its forms with
// proclitics (annotate.Forms; a prefix: a word that starts so), then
// keeps those that match, for each term, one LIKE of its forms: a word w
// matches '% w %', a phrase '% w1 w2 %', a prefix '% w%': the same rule
// as annotate.MatchesQuery.

// searchColumn is what the search column holds for a document.
func searchColumn(name, text string) string {
	return " " + strings.Join(strings.Fields(annotate.SearchBody(name+"\n"+text)), " ") + " "
}

// searchCond is the condition, over documents as d, that selects the
// documents matching the query q, with its arguments added to a.
func searchCond(q string, a *args) (string, error) {
	terms, err := annotate.ParseQuery(q)
	if err != nil {
		return "", err
	}
	return termsCond(terms, a), nil
}

func termsCond(terms []annotate.QueryTerm, a *args) string {
	var lexemes, conds []string
	for _, t := range terms {
		// Words hold only letters and digits (annotate.SearchWords):
		// nothing LIKE or tsquery reads as an operator.
		lexeme := func(w string, last bool) string {
			if t.Prefix && last {
				return "'" + w + "':*"
			}
			return "'" + w + "'"
		}
		var firsts, likes []string
		for _, f := range annotate.Forms(t.Words[0]) {
			firsts = append(firsts, lexeme(f, len(t.Words) == 1))
			p := "% " + strings.Join(append([]string{f}, t.Words[1:]...), " ")
			if t.Prefix {
				p += "%"
			} else {
				p += " %"
			}
			likes = append(likes, `d.search LIKE `+a.add(p))
		}
		lexemes = append(lexemes, "("+strings.Join(firsts, " | ")+")")
		for k, w := range t.Words[1:] {
			lexemes = append(lexemes, lexeme(w, k == len(t.Words)-2))
		}
		conds = append(conds, "("+strings.Join(likes, " OR ")+")")
	}
	return `d.words @@ ` + a.add(strings.Join(lexemes, " & ")) + `::tsquery AND ` + strings.Join(conds, " AND ")
}

// SearchIndexState reports how many documents the search index lacks and
// how many the project has.
func (s *Store) SearchIndexState(ctx context.Context) (missing, total int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE search IS NULL), count(*) FROM documents`).Scan(&missing, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("search index state: %w", wrap(err))
	}
	return missing, total, nil
}

// IndexForSearch indexes the documents that lack it, in batches.
func (s *Store) IndexForSearch(ctx context.Context, progress func(done, todo int)) error {
	missing, _, err := s.SearchIndexState(ctx)
	if err != nil || missing == 0 {
		return err
	}
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := 0
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT id, name, text FROM documents WHERE search IS NULL ORDER BY id LIMIT 250 FOR UPDATE SKIP LOCKED`)
			if err != nil {
				return err
			}
			var ids []int64
			var bodies []string
			var id int64
			var name, text string
			if _, err := pgx.ForEachRow(rows, []any{&id, &name, &text}, func() error {
				ids = append(ids, id)
				bodies = append(bodies, searchColumn(name, text))
				return nil
			}); err != nil {
				return err
			}
			n = len(ids)
			_, err = tx.Exec(ctx, `UPDATE documents d SET search = b.body FROM unnest($1::bigint[], $2::text[]) AS b(id, body)
				WHERE d.id = b.id AND d.search IS NULL`, ids, bodies)
			return err
		})
		if err != nil {
			return fmt.Errorf("index documents for search: %w", err)
		}
		if n == 0 {
			return nil
		}
		done += n
		if progress != nil {
			progress(done, max(missing, done))
		}
	}
}

// args collects a query's arguments and gives their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// filter is the SQL condition, over documents as d, that a DocQuery asks
// for among the documents whose id is above after; layer is the layer's
// placeholder.
func (s *Store) filter(ctx context.Context, q annotate.DocQuery, after int64, a *args) (cond, layer string, err error) {
	layerID, _, err := s.lookupLayer(ctx, q.Layer)
	if err != nil {
		return "", "", err
	}
	layer = a.add(layerID) + "::bigint"
	from := a.add(after) + "::bigint"
	conds := []string{layer + " IS NOT NULL", "d.id > " + from}
	switch q.Status {
	case "":
	case annotate.Todo:
		conds = append(conds, `NOT EXISTS (SELECT 1 FROM doc_status x WHERE x.doc_id = d.id AND x.layer_id = `+layer+` AND x.status <> 'todo')`)
	default:
		conds = append(conds, `EXISTS (SELECT 1 FROM doc_status x WHERE x.doc_id = d.id AND x.layer_id = `+layer+` AND x.status = `+a.add(q.Status)+`)`)
	}
	if q.Queue {
		// A layer without an assignment sees the whole corpus.
		queued, err := s.Assigned(ctx, q.Layer)
		if err != nil {
			return "", "", err
		}
		if queued {
			// (The bound on a.doc_id, which the planner does not infer,
			// lets a page of the queue start where it starts.)
			conds = append(conds, `EXISTS (SELECT 1 FROM assignments a WHERE a.layer_id = `+layer+` AND a.doc_id = d.id AND a.doc_id > `+from+`)`)
		}
	}
	if strings.TrimSpace(q.Search) != "" {
		if err := s.IndexForSearch(ctx, nil); err != nil {
			return "", "", err
		}
		c, err := searchCond(q.Search, a)
		if err != nil {
			return "", "", err
		}
		conds = append(conds, c)
	}
	return strings.Join(conds, " AND "), layer, nil
}

// DocumentPage returns up to limit documents (0: all) of those q selects
// (its Offset and Limit ignored) whose id is above after, skipping the
// first skip of them.
func (s *Store) DocumentPage(ctx context.Context, q annotate.DocQuery, after int64, skip, limit int) ([]annotate.DocSummary, error) {
	var a args
	cond, layer, err := s.filter(ctx, q, after, &a)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	lim := ""
	if limit > 0 {
		lim += " LIMIT " + strconv.Itoa(limit)
	}
	if skip > 0 {
		lim += " OFFSET " + strconv.Itoa(skip)
	}
	rows, err := s.pool.Query(ctx, `WITH page AS (SELECT d.id, d.name, d.length FROM documents d
		WHERE `+cond+` ORDER BY d.id`+lim+`)
		SELECT p.id, p.name, p.length, COALESCE(st.status, 'todo'), COALESCE(st.flagged, false),
		(SELECT count(*) FROM spans sp WHERE sp.doc_id = p.id AND sp.layer_id = `+layer+`)
		FROM page p LEFT JOIN doc_status st ON st.doc_id = p.id AND st.layer_id = `+layer+` ORDER BY p.id`, a...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", wrap(err))
	}
	var out []annotate.DocSummary
	var d annotate.DocSummary
	_, err = pgx.ForEachRow(rows, []any{&d.ID, &d.Name, &d.Length, &d.Status, &d.Flagged, &d.Spans}, func() error {
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", wrap(err))
	}
	return out, nil
}

// CountMatching counts the documents q selects. Without a search, it
// reads every document only where it must: for all of them, and for
// todo, which is what no other status holds.
func (s *Store) CountMatching(ctx context.Context, q annotate.DocQuery) (int, error) {
	if strings.TrimSpace(q.Search) == "" {
		// A layer without an assignment has no queue: it sees the corpus.
		queued := false
		if q.Queue {
			var err error
			if queued, err = s.Assigned(ctx, q.Layer); err != nil {
				return 0, err
			}
		}
		switch {
		case q.Status == "" && !queued:
			return s.CountDocuments(ctx)
		case q.Status == "":
			return s.count(ctx, `SELECT count(*) FROM assignments a JOIN layers l ON l.id = a.layer_id WHERE l.name = $1`, q.Layer)
		case q.Status == annotate.Todo && !queued:
			counts, err := s.CountStatus(ctx, q.Layer)
			return counts[annotate.Todo], err
		case q.Status != annotate.Todo:
			// Done, counted after every change of status: its own rows.
			return s.count(ctx, `SELECT count(*) FROM doc_status st JOIN layers l ON l.id = st.layer_id
				WHERE l.name = $1 AND st.status = $2
				AND (NOT $3 OR st.doc_id IN (SELECT doc_id FROM assignments WHERE layer_id = st.layer_id))`, q.Layer, q.Status, queued)
		}
	}
	var a args
	cond, _, err := s.filter(ctx, q, 0, &a)
	if err != nil {
		return 0, fmt.Errorf("count documents: %w", err)
	}
	return s.count(ctx, `SELECT count(*) FROM documents d WHERE `+cond, a...)
}

// count runs a query that counts documents.
func (s *Store) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count documents: %w", wrap(err))
	}
	return n, nil
}

// NextUnfinished returns the first document after the one with id after,
// in import order and wrapping round, that q's layer has not finished and
// q selects (its Status ignored); never after itself.
func (s *Store) NextUnfinished(ctx context.Context, q annotate.DocQuery, after int64) (id int64, ok bool, err error) {
	q.Status = ""
	var a args
	cond, layer, err := s.filter(ctx, q, 0, &a)
	if err != nil {
		return 0, false, fmt.Errorf("next document: %w", err)
	}
	for _, op := range []string{">", "<"} {
		b := slices.Clone(a)
		err = s.pool.QueryRow(ctx, `SELECT d.id FROM documents d WHERE `+cond+` AND NOT EXISTS (SELECT 1 FROM doc_status x
			WHERE x.doc_id = d.id AND x.layer_id = `+layer+` AND x.status IN ('done', 'skipped')) AND d.id <> `+b.add(after)+`
			AND d.id `+op+` `+b.add(after)+` ORDER BY d.id LIMIT 1`, b...).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return 0, false, fmt.Errorf("next document: %w", wrap(err))
		}
	}
	return 0, false, nil
}

// DocumentIndex returns the position of document id in the list q
// selects, or -1 when q leaves it out.
func (s *Store) DocumentIndex(ctx context.Context, q annotate.DocQuery, id int64) (int, error) {
	var a args
	cond, _, err := s.filter(ctx, q, 0, &a)
	if err != nil {
		return 0, fmt.Errorf("find document %d in the list: %w", id, err)
	}
	p := a.add(id)
	var in, before int
	err = s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE d.id = `+p+`), count(*) FILTER (WHERE d.id < `+p+`)
		FROM documents d WHERE d.id <= `+p+` AND `+cond, a...).Scan(&in, &before)
	if err != nil {
		return -1, fmt.Errorf("find document %d in the list: %w", id, wrap(err))
	}
	if in == 0 {
		return -1, nil
	}
	return before, nil
}

// CorpusOccurrences finds needle (see annotate.FindOccurrences) in the
// documents other than except, in import order, reading only those whose
// search column holds its folded words. It stops after limit occurrences
// (0: no limit) and then reports more.
func (s *Store) CorpusOccurrences(ctx context.Context, needle string, except int64, limit int) (occ []annotate.DocOccurrence, more bool, err error) {
	words := annotate.SearchWords(annotate.Fold(needle))
	if len(words) == 0 {
		return nil, false, nil
	}
	if err := s.IndexForSearch(ctx, nil); err != nil {
		return nil, false, fmt.Errorf("find %q in the corpus: %w", needle, err)
	}
	var after int64
	for {
		var a args
		cond := termsCond([]annotate.QueryTerm{{Words: words, Phrase: true}}, &a)
		rows, err := s.pool.Query(ctx, `SELECT d.id, d.name, d.text FROM documents d WHERE `+cond+`
			AND d.id > `+a.add(after)+` AND d.id <> `+a.add(except)+` ORDER BY d.id LIMIT 64`, a...)
		if err != nil {
			return nil, false, fmt.Errorf("find %q in the corpus: %w", needle, wrap(err))
		}
		n := 0
		var id int64
		var name, text string
		_, err = pgx.ForEachRow(rows, []any{&id, &name, &text}, func() error {
			n++
			after = id
			for _, o := range annotate.FindOccurrences(text, needle) {
				if limit > 0 && len(occ) >= limit {
					more = true
					return errStop
				}
				occ = append(occ, annotate.DocOccurrence{DocID: id, DocName: name, Text: text, Occurrence: o})
			}
			return nil
		})
		if errors.Is(err, errStop) {
			return occ, true, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("find %q in the corpus: %w", needle, wrap(err))
		}
		if n == 0 {
			return occ, false, nil
		}
	}
}

var errStop = errors.New("stop")
