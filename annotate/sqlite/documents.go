package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// Document returns one document with its text.
func (s *Store) Document(ctx context.Context, id int64) (_ annotate.Document, err error) {
	defer wrap(&err, "read document %d", id)
	return s.document(ctx, "id = ?", id)
}

// DocumentByHash returns the document whose text has the given SHA-256.
func (s *Store) DocumentByHash(ctx context.Context, sha string) (_ annotate.Document, err error) {
	defer wrap(&err, "read the document with SHA-256 %s", sha)
	return s.document(ctx, "sha256 = ?", sha)
}

// TextSize is the size in bytes of document id's text: octet_length
// reads it from the row's header, not from the text's pages.
func (s *Store) TextSize(ctx context.Context, id int64) (_ int, err error) {
	defer wrap(&err, "read the size of document %d", id)
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT octet_length(text) FROM documents WHERE id = ?`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("document: %w", annotate.ErrNotFound)
	}
	return n, err
}

// scanDocument scans a row of id, name, sha256, length, meta and text;
// hasText tells whether the row held the text: document's query leaves
// out a long one (text is NOT NULL in the table: NULL is the query's).
func scanDocument(row *sql.Row) (d annotate.Document, hasText bool, err error) {
	var meta, text sql.NullString
	err = row.Scan(&d.ID, &d.Name, &d.SHA256, &d.Length, &meta, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, fmt.Errorf("document: %w", annotate.ErrNotFound)
	}
	if meta.Valid {
		d.Meta = json.RawMessage(meta.String)
	}
	d.Text = text.String
	return d, text.Valid, err
}

// CountDocuments is the number of documents in the project.
func (s *Store) CountDocuments(ctx context.Context) (_ int, err error) {
	defer wrap(&err, "count the documents")
	var n int
	// Kept by triggers (migration 007): counting the table reads a whole
	// index, 60-90 ms at a million documents.
	err = s.db.QueryRowContext(ctx, `SELECT n FROM document_count`).Scan(&n)
	return n, err
}

// CountStatus counts a layer's documents per status; documents the layer
// never touched count as todo.
func (s *Store) CountStatus(ctx context.Context, layer string) (_ map[annotate.Status]int, err error) {
	defer wrap(&err, "count the statuses of layer %s", layer)
	total, err := s.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	out := map[annotate.Status]int{annotate.Todo: total}
	id, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return out, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT status, count(*) FROM doc_status WHERE layer_id = ? GROUP BY status`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st annotate.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		if st != annotate.Todo {
			out[st] += n
			out[annotate.Todo] -= n
		}
	}
	return out, rows.Err()
}

// Importer adds documents in batches of transactions; Close commits the
// last batch. Documents whose text is already in the project are skipped.
type Importer struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	stmt  *sql.Stmt
	n     int // documents added in the open transaction
	done  int // documents added and committed
	since time.Time
	Batch int // documents per transaction
}

// NewImporter starts adding documents. Cancelling ctx does not roll back
// what was added: the caller stops adding and Close commits it.
func (s *Store) NewImporter(ctx context.Context) (annotate.DocumentImporter, error) {
	return &Importer{s: s, ctx: context.WithoutCancel(ctx), Batch: 2000}, nil
}

// Add stores d unless a document with the same text exists; it returns
// the document's id and whether it was new.
func (im *Importer) Add(d annotate.Document) (id int64, added bool, err error) {
	defer wrap(&err, "add document %q", d.Name)
	if im.tx == nil {
		im.s.writer.Lock()
		if im.tx, err = im.s.db.BeginTx(im.ctx, nil); err != nil {
			im.s.writer.Unlock()
			return 0, false, err
		}
		im.since = time.Now()
		im.stmt, err = im.tx.PrepareContext(im.ctx, `INSERT INTO documents(name, text, sha256, length, meta)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING`)
		if err != nil {
			im.tx.Rollback()
			im.tx = nil
			im.s.writer.Unlock()
			return 0, false, err
		}
	}
	if d.SHA256 == "" {
		d = annotate.NewDocument(d.Name, d.Text, d.Meta)
	}
	var meta any
	if len(d.Meta) > 0 {
		meta = string(d.Meta)
	}
	res, err := im.stmt.ExecContext(im.ctx, d.Name, d.Text, d.SHA256, d.Length, meta)
	if err != nil {
		return 0, false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		err := im.tx.QueryRowContext(im.ctx, `SELECT id FROM documents WHERE sha256 = ?`, d.SHA256).Scan(&id)
		return id, false, err
	}
	id, err = res.LastInsertId()
	if err != nil {
		return 0, false, err
	}
	if im.n++; im.n >= im.Batch || time.Since(im.since) > batchTime {
		err = im.Flush()
	}
	return id, true, err
}

// Flush commits what was added so far.
func (im *Importer) Flush() (err error) {
	defer wrap(&err, "commit the imported documents")
	if im.tx == nil {
		return nil
	}
	im.stmt.Close()
	if err = im.tx.Commit(); err == nil {
		im.done += im.n
	}
	im.tx, im.stmt, im.n = nil, nil, 0
	im.s.writer.Unlock()
	return err
}

// Committed counts the documents added whose transaction committed.
func (im *Importer) Committed() int { return im.done }

// Close commits the last batch.
func (im *Importer) Close() error { return im.Flush() }

// Abort rolls back the current batch (earlier batches stay).
func (im *Importer) Abort() {
	if im.tx != nil {
		im.stmt.Close()
		im.tx.Rollback()
		im.tx, im.stmt, im.n = nil, nil, 0
		im.s.writer.Unlock()
	}
}
