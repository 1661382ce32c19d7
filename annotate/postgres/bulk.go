package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/qalam-annotate/qalam/annotate"
)

// importLock is the advisory lock that one import of documents holds at a
// time, so that the texts it knows are all the project's.
const importLock = 0x51616C6D // "Qalm"

// Importer adds documents with COPY, in batches of a transaction each.
// Documents whose text is in the project already are skipped: the
// importer reads the project's text hashes first, and holds the import
// lock so that no other import adds one meanwhile. A full batch is copied
// by a goroutine of its own while the next one fills, so reading the
// articles and storing them overlap. Like a project file, a document is
// indexed for search when it is first searched for (search.go).
type Importer struct {
	s     *Store
	ctx   context.Context
	conn  *pgxpool.Conn
	known map[string]int64 // sha256 → id: the project's and this import's
	ids   []int64          // ids reserved from the sequence, not yet used
	batch []annotate.Document
	// Batch is how many documents go in one transaction.
	Batch int

	copying chan []annotate.Document // to the copier
	done    chan error               // the copier's end
	failed  error                    // the first copy that failed
	stored  int                      // documents whose copy committed
	mu      sync.Mutex
}

// NewImporter starts adding documents. Cancelling ctx does not roll back
// what was added: the caller stops adding and Close commits it.
func (s *Store) NewImporter(ctx context.Context) (annotate.DocumentImporter, error) {
	im := &Importer{s: s, ctx: context.WithoutCancel(ctx), Batch: 2000}
	if err := im.start(); err != nil {
		if im.conn != nil {
			im.conn.Release()
		}
		return nil, fmt.Errorf("import documents: %w", wrap(err))
	}
	im.copying, im.done = make(chan []annotate.Document), make(chan error, 1)
	go im.copier()
	return im, nil
}

func (im *Importer) start() error {
	var err error
	if im.conn, err = im.s.pool.Acquire(im.ctx); err != nil {
		return err
	}
	if _, err := im.conn.Exec(im.ctx, `SELECT pg_advisory_lock($1)`, importLock); err != nil {
		return err
	}
	rows, err := im.conn.Query(im.ctx, `SELECT sha256, id FROM documents`)
	if err != nil {
		return err
	}
	im.known = map[string]int64{}
	var sha string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&sha, &id}, func() error {
		im.known[sha] = id
		return nil
	})
	return err
}

// Add stores d unless a document with the same text exists; it returns
// the document's id and whether it was new.
func (im *Importer) Add(d annotate.Document) (id int64, added bool, err error) {
	if err := im.err(); err != nil {
		return 0, false, err
	}
	if d.SHA256 == "" {
		d = annotate.NewDocument(d.Name, d.Text, d.Meta)
	}
	if id, ok := im.known[d.SHA256]; ok {
		return id, false, nil
	}
	if len(im.ids) == 0 {
		// The copier has the connection: reserve ids on another.
		rows, err := im.s.pool.Query(im.ctx, `SELECT nextval(pg_get_serial_sequence('qalam.documents', 'id')) FROM generate_series(1, $1) ORDER BY 1`, im.Batch)
		if err != nil {
			return 0, false, fmt.Errorf("import %q: %w", d.Name, wrap(err))
		}
		if im.ids, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return 0, false, fmt.Errorf("import %q: %w", d.Name, wrap(err))
		}
	}
	d.ID, im.ids = im.ids[0], im.ids[1:]
	im.known[d.SHA256] = d.ID
	im.batch = append(im.batch, d)
	if len(im.batch) >= im.Batch {
		if err := im.Flush(); err != nil {
			return 0, false, err
		}
	}
	return d.ID, true, nil
}

func (im *Importer) err() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.failed
}

var documentColumns = []string{"id", "name", "text", "sha256", "length", "meta"}

// copier copies the batches it is handed, one transaction each.
func (im *Importer) copier() {
	for batch := range im.copying {
		if im.err() != nil {
			continue // drain: the import failed
		}
		i := -1
		_, err := im.conn.CopyFrom(im.ctx, pgx.Identifier{schema, "documents"}, documentColumns, pgx.CopyFromFunc(func() ([]any, error) {
			if i++; i >= len(batch) {
				return nil, nil
			}
			d := batch[i]
			var meta *string
			if len(d.Meta) > 0 {
				m := string(d.Meta)
				meta = &m
			}
			return []any{d.ID, d.Name, d.Text, d.SHA256, d.Length, meta}, nil
		}))
		im.mu.Lock()
		if err != nil {
			im.failed = fmt.Errorf("import documents: %w", wrap(err))
		} else {
			im.stored += len(batch)
		}
		im.mu.Unlock()
	}
	im.done <- im.err()
}

// Committed counts the documents added whose copy committed.
func (im *Importer) Committed() int {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.stored
}

// Flush hands what was added so far to the copier, which commits it
// while more is added.
func (im *Importer) Flush() error {
	if len(im.batch) == 0 {
		return im.err()
	}
	im.copying <- im.batch
	im.batch = nil
	return im.err()
}

// Close commits the last batch, waits for the copier and lets other
// imports go on.
func (im *Importer) Close() error {
	if im.copying == nil {
		return im.err()
	}
	im.Flush() //nolint:errcheck // the copier's end says
	close(im.copying)
	im.copying = nil
	err := <-im.done
	im.release()
	return err
}

// Abort drops the batch not yet handed to the copier (earlier batches
// stay, once their copy ends).
func (im *Importer) Abort() {
	if im.copying == nil {
		return
	}
	im.batch = nil
	close(im.copying)
	im.copying = nil
	<-im.done
	im.release()
}

func (im *Importer) release() {
	if im.conn == nil {
		return
	}
	im.conn.Exec(im.ctx, `SELECT pg_advisory_unlock($1)`, importLock) //nolint:errcheck // released with the connection anyway
	im.conn.Release()
	im.conn = nil
}

// EachDocument calls fn for every document in import order, with the
// spans, statuses and comments of the named layers: all layers when
// layers is nil, none when it is empty but not nil. It reads in pages.
func (s *Store) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	if err := s.eachDocument(ctx, layers, read, fn); err != nil {
		return fmt.Errorf("read documents: %w", wrap(err))
	}
	return nil
}

func (s *Store) eachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	const page = 512
	all, err := s.Layers(ctx)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, l := range layers {
		want[l] = true
	}
	layerIDs := map[int64]string{}
	ids := []int64{}
	for _, l := range all {
		if layers == nil || want[l.Name] {
			id, ok, err := s.lookupLayer(ctx, l.Name)
			if err != nil {
				return err
			}
			if ok {
				layerIDs[id] = l.Name
				ids = append(ids, id)
			}
		}
	}
	textCol := "''"
	if read&annotate.ReadText != 0 {
		textCol = "text"
	}
	var after int64
	for {
		b := &pgx.Batch{}
		b.Queue(`SELECT id, name, `+textCol+`, sha256, length, meta FROM documents WHERE id > $1 ORDER BY id LIMIT $2`, after, page)
		sub := `(SELECT id FROM documents WHERE id > $1 ORDER BY id LIMIT $2)`
		b.Queue(`SELECT doc_id, layer_id, status, flagged, updated_at FROM doc_status
			WHERE doc_id IN `+sub+` AND layer_id = ANY($3)`, after, page, ids)
		b.Queue(`SELECT id, doc_id, layer_id, text, created_at FROM comments
			WHERE doc_id IN `+sub+` AND layer_id = ANY($3) ORDER BY id`, after, page, ids)
		b.Queue(`SELECT sp.id, sp.doc_id, sp.layer_id, sp.start, sp."end", l.name, sp.origin
			FROM spans sp JOIN labels l ON l.id = sp.label_id
			WHERE sp.doc_id IN `+sub+` AND sp.layer_id = ANY($3) ORDER BY sp.doc_id, sp.start, sp."end", sp.id`, after, page, ids)
		docs, err := s.readPage(ctx, b, layerIDs)
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			return nil
		}
		for _, d := range docs {
			if read&annotate.ReadKeys != 0 {
				d.ToKeys()
			}
			if err := fn(d); err != nil {
				return err
			}
		}
		after = docs[len(docs)-1].ID
	}
}

// readPage runs the batch of EachDocument's four queries (documents,
// statuses, comments, spans) and puts the page together.
func (s *Store) readPage(ctx context.Context, b *pgx.Batch, layerIDs map[int64]string) ([]*annotate.AnnotatedDoc, error) {
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	var docs []*annotate.AnnotatedDoc
	byID := map[int64]*annotate.AnnotatedDoc{}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	var d annotate.Document
	var meta *string
	if _, err := pgx.ForEachRow(rows, []any{&d.ID, &d.Name, &d.Text, &d.SHA256, &d.Length, &meta}, func() error {
		ad := &annotate.AnnotatedDoc{Document: d, Layers: map[string]*annotate.LayerDoc{}}
		if meta != nil {
			ad.Meta = []byte(*meta)
		}
		docs = append(docs, ad)
		byID[d.ID] = ad
		return nil
	}); err != nil {
		return nil, err
	}
	layerOf := func(docID, layerID int64) *annotate.LayerDoc {
		ad := byID[docID]
		if ad == nil {
			return nil
		}
		name := layerIDs[layerID]
		l := ad.Layers[name]
		if l == nil {
			l = &annotate.LayerDoc{Status: annotate.Todo}
			ad.Layers[name] = l
		}
		return l
	}
	var docID, layerID int64
	var st annotate.Status
	var flagged bool
	var updated time.Time
	if rows, err = br.Query(); err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&docID, &layerID, &st, &flagged, &updated}, func() error {
		if l := layerOf(docID, layerID); l != nil {
			l.Status, l.Flagged, l.Updated = st, flagged, updated
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var c annotate.Comment
	if rows, err = br.Query(); err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&c.ID, &c.DocID, &layerID, &c.Text, &c.Created}, func() error {
		if l := layerOf(c.DocID, layerID); l != nil {
			c.Layer = layerIDs[layerID]
			l.Comments = append(l.Comments, c)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var sp annotate.Span
	if rows, err = br.Query(); err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&sp.ID, &sp.DocID, &layerID, &sp.Start, &sp.End, &sp.Label, &sp.Origin}, func() error {
		if l := layerOf(sp.DocID, layerID); l != nil {
			sp.Layer = layerIDs[layerID]
			l.Spans = append(l.Spans, sp)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return docs, nil
}

// AnnotationImporter stores annotations brought from other tools or
// projects, in transactions of a thousand documents; it is not a user
// edit and is not in the undo log. Spans identical to ones the layer has
// are skipped, so importing the same file twice changes nothing.
type AnnotationImporter struct {
	s        *Store
	ctx      context.Context
	tx       pgx.Tx
	n        int
	labelIDs map[string]int64
	layerIDs map[string]int64
}

// NewAnnotationImporter starts an import; Close commits it.
func (s *Store) NewAnnotationImporter(ctx context.Context) (annotate.AnnotationImporter, error) {
	ai := &AnnotationImporter{s: s, ctx: context.WithoutCancel(ctx), layerIDs: map[string]int64{}}
	if err := ai.begin(); err != nil {
		return nil, fmt.Errorf("import annotations: %w", wrap(err))
	}
	return ai, nil
}

func (ai *AnnotationImporter) begin() error {
	tx, err := ai.s.pool.Begin(ai.ctx)
	if err != nil {
		return err
	}
	ai.tx = tx
	// Documents added here are checked against the project's texts under
	// the same lock as an import of articles.
	if _, err := tx.Exec(ai.ctx, `SELECT pg_advisory_xact_lock($1)`, importLock); err != nil {
		return err
	}
	rows, err := tx.Query(ai.ctx, `SELECT id, name FROM labels`)
	if err != nil {
		return err
	}
	ai.labelIDs = map[string]int64{}
	var id int64
	var name string
	_, err = pgx.ForEachRow(rows, []any{&id, &name}, func() error {
		ai.labelIDs[name] = id
		return nil
	})
	return err
}

// Labels is the label set as the import sees it (with labels it added).
func (ai *AnnotationImporter) Labels() (annotate.LabelSet, error) {
	return queryLabels(ai.ctx, ai.tx)
}

// AddLabel adds a label the project lacks (for --new-labels).
func (ai *AnnotationImporter) AddLabel(name string) error {
	if err := addLabel(ai.ctx, ai.tx, annotate.Label{Name: name}); err != nil {
		return fmt.Errorf("add label %s: %w", name, wrap(err))
	}
	var id int64
	if err := ai.tx.QueryRow(ai.ctx, `SELECT id FROM labels WHERE name = $1`, name).Scan(&id); err != nil {
		return wrap(err)
	}
	ai.labelIDs[name] = id
	return nil
}

// Document returns the project's document with doc's text, adding doc
// when there is none; added tells which.
func (ai *AnnotationImporter) Document(doc annotate.Document) (annotate.Document, bool, error) {
	if doc.SHA256 == "" {
		doc = annotate.NewDocument(doc.Name, doc.Text, doc.Meta)
	}
	var id int64
	err := ai.tx.QueryRow(ai.ctx, `SELECT id FROM documents WHERE sha256 = $1`, doc.SHA256).Scan(&id)
	if err == nil {
		doc.ID = id
		return doc, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return doc, false, fmt.Errorf("document %q: %w", doc.Name, wrap(err))
	}
	var meta *string
	if len(doc.Meta) > 0 {
		m := string(doc.Meta)
		meta = &m
	}
	err = ai.tx.QueryRow(ai.ctx, `INSERT INTO documents(name, text, sha256, length, meta) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		doc.Name, doc.Text, doc.SHA256, doc.Length, meta).Scan(&doc.ID)
	if err != nil {
		return doc, false, fmt.Errorf("add document %q: %w", doc.Name, wrap(err))
	}
	return doc, true, nil
}

// Add stores spans (already validated by the caller) in layer on
// document docID and sets the layer's status there unless status is "".
// It returns how many spans were new.
func (ai *AnnotationImporter) Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error) {
	added, err := ai.add(docID, layer, spans, status)
	if err != nil {
		return added, fmt.Errorf("add spans to layer %s of document %d: %w", layer, docID, wrap(err))
	}
	if ai.n++; ai.n%1000 == 0 {
		if err := ai.commit(); err != nil {
			return added, wrap(err)
		}
		return added, wrap(ai.begin())
	}
	return added, nil
}

// commit commits what was imported, and tells watchers which layers
// changed.
func (ai *AnnotationImporter) commit() error {
	if err := ai.tx.Commit(ai.ctx); err != nil {
		return err
	}
	for _, id := range ai.layerIDs {
		ai.s.tell(noticeOf("spans", id, 0), noticeOf("status", id, 0))
	}
	return nil
}

func (ai *AnnotationImporter) add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error) {
	layerID, err := ai.layer(layer)
	if err != nil {
		return 0, err
	}
	var labels []int64
	var starts, ends []int32
	var origins []string
	for _, sp := range spans {
		labelID, ok := ai.labelIDs[sp.Label]
		if !ok {
			return 0, fmt.Errorf("%w %q", annotate.ErrUnknownLabel, sp.Label)
		}
		origin := sp.Origin
		if origin == "" {
			origin = annotate.Imported
		}
		labels, starts, ends, origins = append(labels, labelID), append(starts, int32(sp.Start)), append(ends, int32(sp.End)), append(origins, string(origin))
	}
	added := 0
	if len(spans) > 0 {
		// The spans the layer lacks, each once, in the order given.
		tag, err := ai.tx.Exec(ai.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, "end", origin)
			SELECT $1, $2, n.label, n.s, n.e, n.origin FROM (
				SELECT DISTINCT ON (label, s, e) label, s, e, origin, k
				FROM unnest($3::bigint[], $4::int[], $5::int[], $6::text[]) WITH ORDINALITY AS u(label, s, e, origin, k)
				ORDER BY label, s, e, k) n
			WHERE NOT EXISTS (SELECT 1 FROM spans x WHERE x.doc_id = $1 AND x.layer_id = $2
				AND x.label_id = n.label AND x.start = n.s AND x."end" = n.e)
			ORDER BY n.k`, docID, layerID, labels, starts, ends, origins)
		if err != nil {
			return 0, err
		}
		added = int(tag.RowsAffected())
	}
	if status != "" {
		if _, err := ai.tx.Exec(ai.ctx, `INSERT INTO doc_status(doc_id, layer_id, status) VALUES ($1, $2, $3)
			ON CONFLICT (doc_id, layer_id) DO UPDATE SET status = excluded.status, updated_at = now()`, docID, layerID, status); err != nil {
			return added, err
		}
	}
	if added > 0 || status != "" {
		return added, ai.endUndo(docID, layerID)
	}
	return added, nil
}

// endUndo empties the undo log of a layer on a document whose work the
// import changed: undoing an edit made before the import would take back
// part of the import without saying so.
func (ai *AnnotationImporter) endUndo(docID, layerID int64) error {
	_, err := ai.tx.Exec(ai.ctx, `DELETE FROM edits WHERE layer_id = $1 AND doc_id = $2`, layerID, docID)
	return err
}

// SetState sets a layer's status and flag on a document as of updated.
func (ai *AnnotationImporter) SetState(docID int64, layer string, st annotate.DocState, updated time.Time) error {
	layerID, err := ai.layer(layer)
	if err != nil {
		return err
	}
	_, err = ai.tx.Exec(ai.ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged, updated_at = excluded.updated_at`,
		docID, layerID, st.Status, st.Flagged, timeOr(updated))
	if err == nil {
		err = ai.endUndo(docID, layerID)
	}
	if err != nil {
		return fmt.Errorf("status of layer %s in document %d: %w", layer, docID, wrap(err))
	}
	return nil
}

// AddComment keeps a comment with its time.
func (ai *AnnotationImporter) AddComment(c annotate.Comment) error {
	layerID, err := ai.layer(c.Layer)
	if err != nil {
		return err
	}
	_, err = ai.tx.Exec(ai.ctx, `INSERT INTO comments(doc_id, layer_id, text, created_at) VALUES ($1, $2, $3, $4)`,
		c.DocID, layerID, c.Text, timeOr(c.Created))
	if err != nil {
		return fmt.Errorf("comment in layer %s on document %d: %w", c.Layer, c.DocID, wrap(err))
	}
	return nil
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
func (ai *AnnotationImporter) Close() error {
	if err := ai.commit(); err != nil {
		ai.tx.Rollback(ai.ctx) //nolint:errcheck // the commit's error says more
		return fmt.Errorf("import annotations: %w", wrap(err))
	}
	return nil
}

// Abort rolls back what was not committed yet.
func (ai *AnnotationImporter) Abort() {
	ai.tx.Rollback(ai.ctx) //nolint:errcheck // nothing to do about it
}

// PublishLayers gives staging layers their names in one transaction: a
// layer that does not exist yet is renamed; one that exists receives the
// staging layer's spans, statuses and comments.
func (s *Store) PublishLayers(ctx context.Context, names map[string]string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for staging, name := range names {
			if err := annotate.CheckPublish(staging, name); err != nil {
				return err
			}
			var from int64
			if err := tx.QueryRow(ctx, `SELECT id FROM layers WHERE name = $1`, staging).Scan(&from); err != nil {
				if errors.Is(err, pgx.ErrNoRows) {
					continue // nothing was loaded: the layer had no work
				}
				return err
			}
			var to int64
			err := tx.QueryRow(ctx, `SELECT id FROM layers WHERE name = $1`, name).Scan(&to)
			if errors.Is(err, pgx.ErrNoRows) {
				if _, err := tx.Exec(ctx, `UPDATE layers SET name = $1 WHERE id = $2`, name, from); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			for _, q := range []string{
				`UPDATE spans SET layer_id = $1 WHERE layer_id = $2`,
				`INSERT INTO doc_status(doc_id, layer_id, status, flagged, updated_at)
					SELECT doc_id, $1, status, flagged, updated_at FROM doc_status WHERE layer_id = $2
					ON CONFLICT (doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged, updated_at = excluded.updated_at`,
				`UPDATE comments SET layer_id = $1 WHERE layer_id = $2`,
			} {
				if _, err := tx.Exec(ctx, q, to, from); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `DELETE FROM layers WHERE id = $1`, from); err != nil {
				return err
			}
		}
		return nil
	})
	s.forgetLayers()
	if err != nil {
		return fmt.Errorf("publish merged layers: %w", err)
	}
	return nil
}

// DropLayers removes staging layers and everything in them.
func (s *Store) DropLayers(ctx context.Context, staging []string) error {
	for _, name := range staging {
		if !annotate.IsStaging(name) {
			return fmt.Errorf("drop layer %q: not a staging layer", name)
		}
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM layers WHERE name = ANY($1)`, staging)
	s.forgetLayers()
	if err != nil {
		return fmt.Errorf("drop staging layers: %w", wrap(err))
	}
	return nil
}
