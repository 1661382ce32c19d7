package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// EachDocument calls fn for every document in import order, with the spans
// and statuses of the named layers: all layers when layers is nil, none
// when it is empty but not nil. It reads in pages, so memory does not grow
// with the project, and reads the next pages while fn works on the ones
// before: pages of consecutive ids go to readers in turn, each on a
// connection of its own (one per CPU, up to four). Without ReadText,
// Text is left empty, for callers that need only spans. Documents added
// meanwhile may be left out.
func (s *Store) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	layerIDs := map[int64]pageLayer{}
	all, err := s.Layers(ctx)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, l := range layers {
		want[l] = true
	}
	var idList []string
	for _, l := range all {
		if layers == nil || want[l.Name] {
			id, _, err := s.lookupLayer(ctx, l.Name)
			if err != nil {
				return err
			}
			layerIDs[id] = pageLayer{l.Name, len(layerIDs)}
			idList = append(idList, fmt.Sprint(id))
		}
	}
	// Every layer needs no condition: SQLite tests a list of ids
	// against a b-tree made of it, on each of millions of rows.
	inLayers := ""
	if len(idList) < len(all) {
		inLayers = "(" + strings.Join(idList, ",") + ")"
		if len(idList) == 0 {
			inLayers = "(NULL)"
		}
	}
	var first, last int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(min(id), 1), COALESCE(max(id), 0) FROM documents`).Scan(&first, &last); err != nil {
		return err
	}
	const size = 512 // ids per page
	readers := max(1, min(runtime.GOMAXPROCS(0), 4, int((last-first)/size)+1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make([]chan []*annotate.AnnotatedDoc, readers)
	done := make(chan error, readers)
	for i := range pages {
		// A reader may read a few pages ahead, so that one slow page
		// (not in the page cache, say) does not leave a CPU idle.
		pages[i] = make(chan []*annotate.AnnotatedDoc, 4)
		r := &pageReader{layerIDs: layerIDs, inLayers: inLayers, read: read}
		go func(out chan<- []*annotate.AnnotatedDoc, from int64) {
			defer close(out)
			done <- r.readPages(ctx, s.db, from, last, size, int64(readers)*size, out)
		}(pages[i], first+int64(i)*size)
	}
	var fnErr error
	for k := 0; fnErr == nil; k++ {
		docs, ok := <-pages[k%readers]
		if !ok {
			break // past the last page, or a reader failed
		}
		for _, d := range docs {
			if fnErr = ctx.Err(); fnErr == nil {
				fnErr = fn(d)
			}
			if fnErr != nil {
				break
			}
		}
	}
	cancel()
	for _, p := range pages {
		for range p {
		}
	}
	var readErr error
	for range readers {
		if err := <-done; readErr == nil && !errors.Is(err, context.Canceled) {
			readErr = err
		}
	}
	return cmp.Or(fnErr, readErr)
}

// pageReader reads EachDocument's pages on one connection of the driver's
// own: database/sql's conversions, per column of every row, would double
// the time of reading millions of spans. Queries run without a context
// (a cancellable one costs on every row); the reader stops between pages.
type pageReader struct {
	conn     driver.ConnPrepareContext
	stmts    map[string]driver.Stmt // prepared once, run for every page
	layerIDs map[int64]pageLayer    // the layers read, by id
	inLayers string                 // the layers' ids, as SQL: "(1,2)"; "" for every layer
	read     annotate.Reading
}

// pageLayer is a layer EachDocument reads: its name, and its place among
// the layers read.
type pageLayer struct {
	name string
	slot int
}

// readPages sends the pages of ids from..from+size-1, then each step
// further, up to last, to out.
func (r *pageReader) readPages(ctx context.Context, db *sql.DB, from, last, size, step int64, out chan<- []*annotate.AnnotatedDoc) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("the driver's connection %T cannot prepare", dc)
		}
		r.conn, r.stmts = c, map[string]driver.Stmt{}
		defer func() {
			for _, st := range r.stmts {
				st.Close()
			}
		}()
		for ; from <= last; from += step {
			if err := ctx.Err(); err != nil {
				return err
			}
			docs, err := r.page(from, from+size-1)
			if err != nil {
				return err
			}
			select {
			case out <- docs:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
}

// ofLayers is the SQL condition that column is one of the layers read.
func (r *pageReader) ofLayers(column string) string {
	if r.inLayers == "" {
		return ""
	}
	return " AND " + column + " IN " + r.inLayers
}

// stmt is query, prepared once.
func (r *pageReader) stmt(query string) (driver.Stmt, error) {
	stmt, ok := r.stmts[query]
	if !ok {
		var err error
		if stmt, err = r.conn.PrepareContext(context.Background(), query); err != nil {
			return nil, err
		}
		r.stmts[query] = stmt
	}
	return stmt, nil
}

// exec runs a statement that returns no rows and takes no arguments.
func (r *pageReader) exec(query string) error {
	stmt, err := r.stmt(query)
	if err != nil {
		return err
	}
	_, err = stmt.(driver.StmtExecContext).ExecContext(context.Background(), nil)
	return err
}

// rows calls fn for each row of query.
func (r *pageReader) rows(query string, fn func([]driver.Value), args ...int64) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	stmt, err := r.stmt(query)
	if err != nil {
		return err
	}
	rows, err := stmt.(driver.StmtQueryContext).QueryContext(context.Background(), named)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		switch err := rows.Next(vals); err {
		case nil:
			fn(vals)
		case io.EOF:
			return nil
		default:
			return err
		}
	}
}

// page reads the documents whose ids are first..last with their layers.
// A page's documents, and their layers' work, are each allocated in one
// piece: a million documents were eight million small allocations.
func (r *pageReader) page(first, last int64) (_ []*annotate.AnnotatedDoc, err error) {
	// The page's queries see one state of the project.
	if err := r.exec("BEGIN"); err != nil {
		return nil, err
	}
	defer func() {
		if cerr := r.exec("COMMIT"); cerr != nil && err == nil {
			// Left in its transaction, the connection must not serve
			// again: the pool drops a bad one.
			err = errors.Join(cerr, driver.ErrBadConn)
		}
	}()
	all := make([]annotate.AnnotatedDoc, 0, last-first+1)
	doc := func(v []driver.Value) {
		all = append(all, annotate.AnnotatedDoc{Layers: map[string]*annotate.LayerDoc{}})
		d := &all[len(all)-1]
		d.ID, d.Name, d.Text, d.SHA256, d.Length = valueInt(v[0]), valueText(v[1]), valueText(v[2]), valueText(v[3]), int(valueInt(v[4]))
		if v[5] != nil {
			d.Meta = json.RawMessage(valueText(v[5]))
		}
	}
	withText := r.read&annotate.ReadText != 0
	if withText {
		err = r.rows(`SELECT id, name, text, sha256, length, meta FROM documents
			WHERE id BETWEEN ? AND ? ORDER BY id`, doc, first, last)
	} else {
		// Without the text, the rows themselves are read only for
		// metadata, below (migration 006).
		err = r.rows(`SELECT id, name, '', sha256, length, NULL FROM documents INDEXED BY documents_list
			WHERE id BETWEEN ? AND ? ORDER BY id`, doc, first, last)
	}
	if err != nil || len(all) == 0 {
		return nil, err
	}
	docs := make([]*annotate.AnnotatedDoc, len(all))
	byID := make([]*annotate.AnnotatedDoc, last-first+1) // by id - first
	for i := range all {
		d := &all[i]
		docs[i] = d
		if d.ID >= first && d.ID <= last {
			byID[d.ID-first] = d
		}
	}
	docOf := func(id int64) *annotate.AnnotatedDoc {
		if id < first || id > last {
			return nil
		}
		return byID[id-first]
	}
	if !withText {
		err = r.rows(`SELECT id, meta FROM documents INDEXED BY documents_meta
			WHERE id BETWEEN ? AND ? AND meta IS NOT NULL`, func(v []driver.Value) {
			if d := docOf(valueInt(v[0])); d != nil {
				d.Meta = json.RawMessage(valueText(v[1]))
			}
		}, first, last)
		if err != nil {
			return nil, err
		}
	}
	lds := make([]annotate.LayerDoc, 0, len(docs)*len(r.layerIDs))
	// A document's layers by slot, (id - first) * layers + the layer's
	// slot: rows find their layer without hashing its name.
	slots := make([]*annotate.LayerDoc, len(byID)*len(r.layerIDs))
	layerOf := func(docID, layerID int64) *annotate.LayerDoc {
		d := docOf(docID)
		if d == nil {
			return nil
		}
		pl, ok := r.layerIDs[layerID]
		if !ok {
			return nil // a layer added since EachDocument began
		}
		slot := &slots[int(docID-first)*len(r.layerIDs)+pl.slot]
		if *slot == nil {
			// Each document has a layer once, so lds, sized for all,
			// is allocated once.
			lds = append(lds, annotate.LayerDoc{Status: annotate.Todo})
			*slot = &lds[len(lds)-1]
			d.Layers[pl.name] = *slot
		}
		return *slot
	}
	asKeys := r.read&annotate.ReadKeys != 0
	if asKeys {
		err = r.measureStatuses(docs, first, last, layerOf)
	} else {
		// "+layer_id" keeps SQLite on the primary key's doc_id range: by
		// the layer's index it would read the whole layer for every page.
		err = r.rows(`SELECT doc_id, layer_id, status, flagged, updated_at FROM doc_status
			WHERE doc_id BETWEEN ? AND ?`+r.ofLayers("+layer_id"), func(v []driver.Value) {
			if l := layerOf(valueInt(v[0]), valueInt(v[1])); l != nil {
				l.Status, l.Flagged, l.Updated = annotate.Status(valueText(v[2])), valueInt(v[3]) != 0, parseTime(valueText(v[4]))
			}
		}, first, last)
	}
	if err != nil {
		return nil, err
	}
	if !asKeys {
		err = r.rows(`SELECT id, doc_id, layer_id, text, created_at FROM comments
			WHERE doc_id BETWEEN ? AND ?`+r.ofLayers("layer_id")+` ORDER BY id`, func(v []driver.Value) {
			c := annotate.Comment{ID: valueInt(v[0]), DocID: valueInt(v[1]), Layer: r.layerIDs[valueInt(v[2])].name, Text: valueText(v[3]), Created: parseTime(valueText(v[4]))}
			if l := layerOf(c.DocID, valueInt(v[2])); l != nil {
				l.Comments = append(l.Comments, c)
			}
		}, first, last)
		if err != nil {
			return nil, err
		}
	}
	// Labels are read anew for each page, as a join would: a label renamed
	// meanwhile shows its new name.
	var labels labelNames
	if err := r.rows(`SELECT id, name FROM labels ORDER BY id`, func(v []driver.Value) {
		labels.set(valueInt(v[0]), valueText(v[1]))
	}); err != nil {
		return nil, err
	}
	// The page's spans, a pack per document and layer (packs.go), all
	// in one slice.
	type packed struct {
		l     *annotate.LayerDoc
		docID int64
		layer string
		pack  string
	}
	packs := make([]packed, 0, len(docs)*len(r.layerIDs)) // a pack a document and layer at most
	n := 0
	err = r.rows(`SELECT doc_id, layer_id, spans FROM span_packs
		WHERE doc_id BETWEEN ? AND ?`+r.ofLayers("layer_id"), func(v []driver.Value) {
		docID, layerID := valueInt(v[0]), valueInt(v[1])
		if l := layerOf(docID, layerID); l != nil {
			p := packed{l, docID, r.layerIDs[layerID].name, valueText(v[2])}
			packs = append(packs, p)
			n += strings.Count(p.pack, ";") + 1
		}
	}, first, last)
	if err != nil {
		return nil, err
	}
	// All in one slice: spans whole, or their keys alone (ReadKeys).
	var spans []annotate.Span
	var keys []annotate.SpanKey
	if asKeys {
		keys = make([]annotate.SpanKey, 0, n)
	} else {
		spans = make([]annotate.Span, 0, n)
	}
	for _, p := range packs {
		s, k := len(spans), len(keys)
		if spans, keys, err = unpack(spans, keys, asKeys, p.pack, p.docID, p.layer, labels); err != nil {
			return nil, err
		}
		p.l.Spans, p.l.Keys = spans[s:len(spans):len(spans)], keys[k:len(keys):len(keys)]
	}
	for _, d := range docs {
		for _, l := range d.Layers {
			// Packs keep the order spans came in, which is mostly the
			// text's: looking costs less than sorting what is sorted.
			if !spansSorted(l.Spans) {
				slices.SortFunc(l.Spans, annotate.CompareSpans)
			}
			if !keysSorted(l.Keys) {
				slices.SortFunc(l.Keys, annotate.CompareKeys)
			}
		}
	}
	return docs, nil
}

// measureStatuses sets the statuses of the layers read on the page's
// documents, docs (ids first..last), for a measure's reading (ReadKeys):
// the status alone, without its time (a string to make and parse on each
// of millions of rows, a tenth of measuring a project). A layer that
// marked every document of the page done, as the layers of a finished
// project mostly have, is known from one count along its status index:
// its rows through the driver were a sixth of measuring a million
// documents. The page's queries see one state of the project (page), so
// the count and the documents agree.
func (r *pageReader) measureStatuses(docs []*annotate.AnnotatedDoc, first, last int64, layerOf func(docID, layerID int64) *annotate.LayerDoc) error {
	for layerID := range r.layerIDs {
		done := int64(-1)
		err := r.rows(`SELECT count(*) FROM doc_status
			WHERE layer_id = ? AND status = 'done' AND doc_id BETWEEN ? AND ?`, func(v []driver.Value) {
			done = valueInt(v[0])
		}, layerID, first, last)
		if err != nil {
			return err
		}
		if done == int64(len(docs)) {
			for _, d := range docs {
				layerOf(d.ID, layerID).Status = annotate.Done
			}
			continue
		}
		err = r.rows(`SELECT doc_id, status FROM doc_status
			WHERE doc_id BETWEEN ? AND ? AND +layer_id = ?`, func(v []driver.Value) {
			if l := layerOf(valueInt(v[0]), layerID); l != nil {
				l.Status = annotate.Status(valueText(v[1]))
			}
		}, first, last, layerID)
		if err != nil {
			return err
		}
	}
	return nil
}

// spansSorted reports whether spans are in annotate.CompareSpans's order.
// It is that order written out: called through a func value, the
// comparison copied both spans for each pair, a twelfth of reading a
// million documents' spans.
func spansSorted(spans []annotate.Span) bool {
	for i := 1; i < len(spans); i++ {
		a, b := &spans[i-1], &spans[i]
		if a.Start != b.Start {
			if a.Start > b.Start {
				return false
			}
		} else if a.End != b.End {
			if a.End > b.End {
				return false
			}
		} else if a.ID > b.ID {
			return false
		}
	}
	return true
}

// keysSorted reports whether keys are in text order (start, then end).
func keysSorted(keys []annotate.SpanKey) bool {
	for i := 1; i < len(keys); i++ {
		a, b := &keys[i-1], &keys[i]
		if a.Start > b.Start || a.Start == b.Start && a.End > b.End {
			return false
		}
	}
	return true
}

// valueInt and valueText read a column as the driver gives it.
func valueInt(v driver.Value) int64 {
	switch v := v.(type) {
	case int64:
		return v
	case bool:
		if v {
			return 1
		}
	case float64:
		return int64(v)
	}
	return 0
}

func valueText(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// AnnotationImporter stores annotations brought from other tools: each
// document is matched by its text (added when the project lacks it), and
// its spans go into a layer. This is not a user edit: it is not in the undo
// log. Spans identical to ones the layer has are skipped, so importing the
// same file twice changes nothing.
type AnnotationImporter struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	n        int
	started  time.Time // of the open transaction
	held     bool      // the store's writer lock, held while tx is open
	labelIDs map[string]int64
	layerIDs map[string]int64
}

// batchTime bounds how long an import holds the project for writing:
// it commits at least this often, so that an annotator's edit in the
// meantime waits little.
const batchTime = 100 * time.Millisecond

// NewAnnotationImporter starts an import; Close commits it.
func (s *Store) NewAnnotationImporter(ctx context.Context) (_ annotate.AnnotationImporter, err error) {
	defer wrap(&err, "start an import")
	ai := &AnnotationImporter{s: s, ctx: context.WithoutCancel(ctx), layerIDs: map[string]int64{}}
	if err := ai.begin(); err != nil {
		return nil, err
	}
	return ai, nil
}

func (ai *AnnotationImporter) begin() error {
	ai.s.writer.Lock()
	tx, err := ai.s.db.BeginTx(ai.ctx, nil)
	if err != nil {
		ai.s.writer.Unlock()
		return err
	}
	ai.held = true
	ai.tx, ai.started = tx, time.Now()
	ai.labelIDs, err = labelIDs(ai.ctx, tx)
	return err
}

// Labels is the label set as the import sees it (with labels it added).
func (ai *AnnotationImporter) Labels() (_ annotate.LabelSet, err error) {
	defer wrap(&err, "read the labels")
	return queryLabels(ai.ctx, ai.tx)
}

// AddLabel adds a label the project lacks (for --new-labels).
func (ai *AnnotationImporter) AddLabel(name string) (err error) {
	if err := addLabel(ai.ctx, ai.tx, annotate.Label{Name: name}); err != nil {
		return err
	}
	var id int64
	if err := ai.tx.QueryRowContext(ai.ctx, `SELECT id FROM labels WHERE name = ?`, name).Scan(&id); err != nil {
		return err
	}
	ai.labelIDs[name] = id
	return nil
}

// Document returns the project's document with doc's text, adding doc
// when there is none; added tells which.
func (ai *AnnotationImporter) Document(doc annotate.Document) (_ annotate.Document, _ bool, err error) {
	defer wrap(&err, "add document %q", doc.Name)
	if doc.SHA256 == "" {
		doc = annotate.NewDocument(doc.Name, doc.Text, doc.Meta)
	}
	var id int64
	err = ai.tx.QueryRowContext(ai.ctx, `SELECT id FROM documents WHERE sha256 = ?`, doc.SHA256).Scan(&id)
	if err == nil {
		doc.ID = id
		return doc, false, nil
	}
	if err != sql.ErrNoRows {
		return doc, false, err
	}
	var meta any
	if len(doc.Meta) > 0 {
		meta = string(doc.Meta)
	}
	res, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO documents(name, text, sha256, length, meta) VALUES (?, ?, ?, ?, ?)`,
		doc.Name, doc.Text, doc.SHA256, doc.Length, meta)
	if err != nil {
		return doc, false, err
	}
	doc.ID, err = res.LastInsertId()
	return doc, true, err
}

// DocumentBySHA256 finds the project's document whose text has that
// SHA-256 (an xlsx import whose text a spreadsheet changed names its
// document so).
func (ai *AnnotationImporter) DocumentBySHA256(sha string) (annotate.Document, bool, error) {
	d, _, err := scanDocument(ai.tx.QueryRowContext(ai.ctx, `SELECT id, name, sha256, length, meta, text FROM documents WHERE sha256 = ?`, sha))
	if errors.Is(err, annotate.ErrNotFound) {
		return d, false, nil
	}
	return d, err == nil, err
}

// Add stores spans (already validated against the document and the label
// set by the caller) in layer on document docID, and sets the layer's
// status there unless status is "". It returns how many spans were new.
func (ai *AnnotationImporter) Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (_ int, err error) {
	defer wrap(&err, "add spans to layer %s of document %d", layer, docID)
	layerID, err := ai.layer(layer)
	if err != nil {
		return 0, err
	}
	type key struct {
		start, end int
		label      int64
	}
	have := map[key]bool{}
	rows, err := ai.tx.QueryContext(ai.ctx, `SELECT start, end, label_id FROM spans WHERE doc_id = ? AND layer_id = ?`, docID, layerID)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.start, &k.end, &k.label); err != nil {
			rows.Close()
			return 0, err
		}
		have[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	added := 0
	for _, sp := range spans {
		labelID, ok := ai.labelIDs[sp.Label]
		if !ok {
			return added, fmt.Errorf("%w %q", annotate.ErrUnknownLabel, sp.Label)
		}
		k := key{sp.Start, sp.End, labelID}
		if have[k] {
			continue
		}
		have[k] = true
		origin := sp.Origin
		if origin == "" {
			origin = annotate.Imported
		}
		if _, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?)`,
			docID, layerID, labelID, sp.Start, sp.End, origin); err != nil {
			return added, err
		}
		added++
	}
	if status != "" {
		if _, err := ai.tx.ExecContext(ai.ctx, `INSERT INTO doc_status(doc_id, layer_id, status) VALUES (?, ?, ?)
			ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status,
			updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, docID, layerID, status); err != nil {
			return added, err
		}
	}
	if added > 0 || status != "" {
		if err := ai.endUndo(docID, layerID); err != nil {
			return added, err
		}
	}
	if ai.n++; ai.n%1000 == 0 || time.Since(ai.started) > batchTime {
		if err := ai.commit(); err != nil {
			return added, err
		}
		return added, ai.begin()
	}
	return added, nil
}

// SetState sets a layer's status and flag on a document as of updated.
func (ai *AnnotationImporter) SetState(docID int64, layer string, st annotate.DocState, updated time.Time) (err error) {
	defer wrap(&err, "set the status of layer %s on document %d", layer, docID)
	layerID, err := ai.layer(layer)
	if err != nil {
		return err
	}
	if _, err = ai.tx.ExecContext(ai.ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged, updated_at = excluded.updated_at`,
		docID, layerID, st.Status, st.Flagged, formatTime(updated)); err != nil {
		return err
	}
	return ai.endUndo(docID, layerID)
}

// endUndo empties the undo log of a layer on a document whose work the
// import changed: undoing an edit made before the import would take back
// part of the import without saying so.
func (ai *AnnotationImporter) endUndo(docID, layerID int64) error {
	_, err := ai.tx.ExecContext(ai.ctx, `DELETE FROM edits WHERE layer_id = ? AND doc_id = ?`, layerID, docID)
	return err
}

// AddComment keeps a comment with its time.
func (ai *AnnotationImporter) AddComment(c annotate.Comment) (err error) {
	defer wrap(&err, "add a comment of layer %s on document %d", c.Layer, c.DocID)
	layerID, err := ai.layer(c.Layer)
	if err != nil {
		return err
	}
	_, err = ai.tx.ExecContext(ai.ctx, `INSERT INTO comments(doc_id, layer_id, text, created_at) VALUES (?, ?, ?, ?)`,
		c.DocID, layerID, c.Text, formatTime(c.Created))
	return err
}

func (ai *AnnotationImporter) layer(name string) (int64, error) {
	if id, ok := ai.layerIDs[name]; ok {
		return id, nil
	}
	id, err := ai.s.layerID(ai.ctx, ai.tx, name)
	if err != nil {
		return 0, err
	}
	ai.layerIDs[name] = id
	return id, nil
}

// Close commits the import.
func (ai *AnnotationImporter) Close() (err error) {
	defer wrap(&err, "commit the import")
	err = ai.commit()
	ai.remember()
	return err
}

// commit commits the open transaction and lets other writers in.
func (ai *AnnotationImporter) commit() error {
	defer ai.release()
	return ai.tx.Commit()
}

// release lets other writers of this process in, once.
func (ai *AnnotationImporter) release() {
	if ai.held {
		ai.held = false
		ai.s.writer.Unlock()
	}
}

// Abort rolls back what was not committed yet.
func (ai *AnnotationImporter) Abort() {
	ai.tx.Rollback()
	ai.release()
}

func (ai *AnnotationImporter) remember() {
	for name := range ai.layerIDs {
		ai.s.rememberLayer(ai.ctx, name)
	}
}
