package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/qalam-annotate/qalam/annotate"
)

// Full-text search over the corpus.
//
// The index is an SQLite full-text table without content of its own
// ("contentless"): the store feeds it each document's name and text,
// normalised for Arabic, and keeps only the index. FTS5 is used when
// go-sqlite3 was built with the sqlite_fts5 tag (the Makefile sets it);
// otherwise FTS4, which go-sqlite3 always compiles in. Each module has its
// own table (search_fts5, search_fts4), so a project indexed by one build
// still searches with the other.
//
// Documents never change once imported, so the index is built lazily and
// incrementally: before a search, documents whose id is above the last one
// indexed are added, in short transactions. Importing articles does not pay
// for search.
//
// What the index holds, per document: the words of the name and the text,
// folded by NormalizeForSearch (no harakat, no tatweel, one alef, ى as ي,
// ة as ه, Latin lower-cased), followed by the stems of words that carry
// Arabic proclitics (و ف ب ك ل ال and their combinations). A query word
// therefore finds the word itself and the word with proclitics attached:
// مصر finds مصر, ومصر and بمصر; ومصر finds only ومصر. A word ending in *
// is a prefix; "quoted words" are a phrase; words are ANDed.

// ErrBadQuery is returned for a search query with no word in it.
var ErrBadQuery = errors.New("search query has no words")

// settings keys holding the last document id indexed by each module.
const searchUptoKey = "search_indexed_upto_"

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
	table = "search_" + module
	ddl := `CREATE VIRTUAL TABLE IF NOT EXISTS search_fts5 USING fts5(body, content='', columnsize=0)`
	if module == "fts4" {
		ddl = `CREATE VIRTUAL TABLE IF NOT EXISTS search_fts4 USING fts4(content="", body)`
	}
	if _, err := s.db.ExecContext(ctx, ddl); err != nil {
		return "", "", fmt.Errorf("create search index: %w", err)
	}
	return table, module, nil
}

// SearchIndexState reports how many documents the search index lacks and
// how many the project has.
func (s *Store) SearchIndexState(ctx context.Context) (missing, total int, err error) {
	module, err := s.SearchModule(ctx)
	if err != nil {
		return 0, 0, err
	}
	upto, err := s.indexedUpto(ctx, s.db, module)
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
// wait little. progress, when not nil, is called after each batch with
// the documents indexed so far in this call and the number to index.
// Cancelling ctx stops between batches; what was indexed stays.
func (s *Store) IndexForSearch(ctx context.Context, progress func(done, todo int)) error {
	table, module, err := s.searchTable(ctx)
	if err != nil {
		return err
	}
	missing, _, err := s.SearchIndexState(ctx)
	if err != nil || missing == 0 {
		return err
	}
	const batch = 250
	done := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := 0
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// Read the mark inside the (immediate) transaction: two
			// indexers never add the same document.
			upto, err := s.indexedUpto(ctx, tx, module)
			if err != nil {
				return err
			}
			rows, err := tx.QueryContext(ctx, `SELECT id, name, text FROM documents WHERE id > ? ORDER BY id LIMIT ?`, upto, batch)
			if err != nil {
				return err
			}
			type doc struct {
				id   int64
				body string
			}
			var docs []doc
			for rows.Next() {
				var d doc
				var name, text string
				if err := rows.Scan(&d.id, &name, &text); err != nil {
					rows.Close()
					return err
				}
				d.body = searchBody(name + "\n" + text)
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(docs) == 0 {
				return nil
			}
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+table+`(rowid, body) VALUES (?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			for _, d := range docs {
				if _, err := stmt.ExecContext(ctx, d.id, d.body); err != nil {
					return fmt.Errorf("index document %d: %w", d.id, err)
				}
			}
			n = len(docs)
			_, err = tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, searchUptoKey+module, strconv.FormatInt(docs[len(docs)-1].id, 10))
			return err
		})
		if err != nil {
			return err
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
func (s *Store) DocumentPage(ctx context.Context, q annotate.DocQuery, after int64, skip, limit int) ([]annotate.DocSummary, error) {
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
		conds = append(conds, `(NOT EXISTS (SELECT 1 FROM assignments WHERE layer_id = `+lid+`)
			OR d.id IN (SELECT doc_id FROM assignments WHERE layer_id = `+lid+`))`)
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

// CountMatching counts the documents ListDocuments lists for q, without
// Offset and Limit.
func (s *Store) CountMatching(ctx context.Context, q annotate.DocQuery) (int, error) {
	if q.Status == "" && !q.Queue && strings.TrimSpace(q.Search) == "" {
		return s.CountDocuments(ctx)
	}
	f, err := s.docFilter(ctx, q)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM `+f.from+` WHERE `+f.cond, f.args...).Scan(&n)
	return n, err
}

// --- Arabic normalisation ------------------------------------------------

// isHaraka reports whether r is an Arabic diacritic or tatweel: what
// search and "label all occurrences" ignore.
func isHaraka(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r >= 0x0610 && r <= 0x061A:
		return true
	case r == 0x0640: // tatweel
		return true
	}
	return false
}

// foldSearch folds one rune for the search index, or returns -1 to drop it.
func foldSearch(r rune) rune {
	if isHaraka(r) || unicode.Is(unicode.Cf, r) {
		return -1
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى':
		return 'ي'
	case 'ة':
		return 'ه'
	}
	return unicode.ToLower(r)
}

// NormalizeForSearch folds text the way the search index does: harakat,
// tatweel and invisible format characters removed, alef forms as ا, ى as
// ي, ة as ه, letters lower-cased.
func NormalizeForSearch(text string) string {
	return strings.Map(foldSearch, text)
}

// searchWords splits folded text into words: runs of letters and digits.
func searchWords(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// proclitics are the letter sequences that can be attached in front of an
// Arabic word, longest first: a conjunction (و ف), then a preposition
// (ب ك ل), then the article (ال); ل + ال is written لل. Folded (no hamza).
var proclitics = []string{
	"وبال", "وكال", "فبال", "فكال", "ولل", "فلل",
	"وال", "فال", "بال", "كال", "لل",
	"ال", "وب", "وك", "ول", "فب", "فك", "فل",
	"و", "ف", "ب", "ك", "ل",
}

// stems returns the words w could be with proclitics taken off (at least
// two letters left), longest first.
func stems(w string) []string {
	var out []string
	for _, p := range proclitics {
		if rest, ok := strings.CutPrefix(w, p); ok && len([]rune(rest)) >= 2 {
			if !contains(out, rest) {
				out = append(out, rest)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// searchBody is what the index is fed for a document: its folded words in
// order (so phrases match), then the stems of words with proclitics.
func searchBody(text string) string {
	words := searchWords(NormalizeForSearch(text))
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte(' ')
	}
	b.WriteString("\n")
	for _, w := range words {
		for _, st := range stems(w) {
			b.WriteString(st)
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// ValidSearch reports whether q can be searched for (it has a word).
func ValidSearch(q string) error {
	_, err := ftsQuery(q, "fts5")
	return err
}

// ftsQuery turns what a user typed into a MATCH expression for module:
// words (ANDed), "quoted phrases", a trailing * for a prefix.
func ftsQuery(q, module string) (string, error) {
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		phrase := i%2 == 1
		if phrase {
			ws := searchWords(NormalizeForSearch(part))
			if len(ws) > 0 {
				terms = append(terms, `"`+strings.Join(ws, " ")+`"`)
			}
			continue
		}
		for _, f := range strings.Fields(part) {
			prefix := strings.HasSuffix(f, "*")
			ws := searchWords(NormalizeForSearch(f))
			for k, w := range ws {
				t := `"` + w + `"`
				if prefix && k == len(ws)-1 {
					if module == "fts5" {
						t += "*"
					} else {
						t = w + "*"
					}
				}
				terms = append(terms, t)
			}
		}
	}
	if len(terms) == 0 {
		return "", ErrBadQuery
	}
	return strings.Join(terms, " "), nil
}

// --- occurrences -----------------------------------------------------------

// Occurrence is a place where a string occurs in a text as a whole word,
// or with Arabic proclitics attached in front of it (Proclitic says which,
// as written; Start and End then cover the string without them).
// Offsets are code points.
type Occurrence struct {
	Start, End int
	Proclitic  string
}

// isWordRune is true for the characters that continue a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 0x0640
}

// FindOccurrences returns the occurrences of needle in text, in text
// order. Harakat and tatweel are ignored on both sides (a needle without
// them finds the word written with them, and the other way round); the
// rest must be equal. A match is a whole word, or a word whose front is
// a combination of proclitics (و ف ب ك ل ال) followed by needle.
func FindOccurrences(text, needle string) []Occurrence {
	nr := []rune(needle)
	var nn []rune
	for _, r := range nr {
		if !isHaraka(r) {
			nn = append(nn, r)
		}
	}
	if len(nn) == 0 {
		return nil
	}
	tr := []rune(text)
	// t holds text without harakat; pos[i] is the offset in tr of t[i].
	t := make([]rune, 0, len(tr))
	pos := make([]int, 0, len(tr))
	for i, r := range tr {
		if !isHaraka(r) {
			t = append(t, r)
			pos = append(pos, i)
		}
	}
	var out []Occurrence
	for i := 0; i+len(nn) <= len(t); i++ {
		if !equalRunes(t[i:i+len(nn)], nn) {
			continue
		}
		j := i + len(nn)
		if j < len(t) && isWordRune(t[j]) && isWordRune(nn[len(nn)-1]) {
			continue // the word goes on
		}
		start, end := pos[i], pos[j-1]+1
		for end < len(tr) && isHaraka(tr[end]) {
			end++ // the last letter's harakat belong to the match
		}
		if i == 0 || !isWordRune(t[i-1]) || !isWordRune(nn[0]) {
			out = append(out, Occurrence{Start: start, End: end})
			continue
		}
		// Walk back to the word's start: what is there must be proclitics.
		k := i
		for k > 0 && isWordRune(t[k-1]) {
			k--
		}
		front := string(t[k:i])
		if isProcliticFront(NormalizeForSearch(front)) {
			out = append(out, Occurrence{Start: start, End: end, Proclitic: string(tr[pos[k]:start])})
		}
	}
	return out
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isProcliticFront reports whether s (folded) is exactly a combination of
// proclitics.
func isProcliticFront(s string) bool {
	for _, p := range proclitics {
		if s == p {
			return true
		}
	}
	return false
}

// DocOccurrence is an occurrence in a document of the corpus.
type DocOccurrence struct {
	DocID   int64
	DocName string
	Text    string // the document's text, shared by its occurrences
	Occurrence
}

// CorpusOccurrences finds needle (see FindOccurrences) in the documents
// other than except, in import order, through the search index (brought up
// to date first). It stops after limit occurrences (0: no limit) and then
// reports more = true.
func (s *Store) CorpusOccurrences(ctx context.Context, needle string, except int64, limit int) (occ []DocOccurrence, more bool, err error) {
	words := searchWords(NormalizeForSearch(needle))
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
	var after int64
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.name, d.text FROM documents d WHERE `+cond+`
			AND d.id > ? AND d.id != ? ORDER BY d.id LIMIT 64`, arg, after, except)
		if err != nil {
			return nil, false, err
		}
		n := 0
		for rows.Next() {
			var id int64
			var name, text string
			if err := rows.Scan(&id, &name, &text); err != nil {
				rows.Close()
				return nil, false, err
			}
			n++
			after = id
			for _, o := range FindOccurrences(text, needle) {
				if limit > 0 && len(occ) >= limit {
					rows.Close()
					return occ, true, nil
				}
				occ = append(occ, DocOccurrence{DocID: id, DocName: name, Text: text, Occurrence: o})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, err
		}
		if n == 0 {
			return occ, false, nil
		}
	}
}
