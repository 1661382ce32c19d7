package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/qalam-annotate/qalam/annotate"
)

// Spans returns a layer's spans on one document in text order.
func (s *Store) Spans(ctx context.Context, docID int64, layer string) (_ []annotate.Span, err error) {
	defer wrap(&err, "read the spans of layer %s on document %d", layer, docID)
	rows, err := s.db.QueryContext(ctx, `SELECT sp.id, sp.start, sp.end, l.name, sp.origin
		FROM spans sp JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = ? AND ly.name = ? ORDER BY sp.start, sp.end, sp.id`, docID, layer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Span
	for rows.Next() {
		sp := annotate.Span{DocID: docID, Layer: layer}
		if err := rows.Scan(&sp.ID, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Status is a layer's status on a document (todo when never set) and
// whether the document is flagged.
func (s *Store) Status(ctx context.Context, docID int64, layer string) (_ annotate.Status, _ bool, err error) {
	defer wrap(&err, "read the status of layer %s on document %d", layer, docID)
	var st annotate.Status
	var flagged bool
	err = s.db.QueryRowContext(ctx, `SELECT status, flagged FROM doc_status st JOIN layers ly ON ly.id = st.layer_id
		WHERE st.doc_id = ? AND ly.name = ?`, docID, layer).Scan(&st, &flagged)
	if errors.Is(err, sql.ErrNoRows) {
		return annotate.Todo, false, nil
	}
	return st, flagged, err
}

// AddComment leaves a note on a document for a layer.
func (s *Store) AddComment(ctx context.Context, c annotate.Comment) (_ annotate.Comment, err error) {
	defer wrap(&err, "add a comment of layer %s on document %d", c.Layer, c.DocID)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		layerID, err := s.layerID(ctx, tx, c.Layer)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO comments(doc_id, layer_id, text) VALUES (?, ?, ?)`, c.DocID, layerID, c.Text)
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	return c, err
}

// Comments lists the notes on a document, oldest first.
func (s *Store) Comments(ctx context.Context, docID int64) (_ []annotate.Comment, err error) {
	defer wrap(&err, "read the comments on document %d", docID)
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, ly.name, c.text, c.created_at FROM comments c
		JOIN layers ly ON ly.id = c.layer_id WHERE c.doc_id = ? ORDER BY c.id`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Comment
	for rows.Next() {
		c := annotate.Comment{DocID: docID}
		var created string
		if err := rows.Scan(&c.ID, &c.Layer, &c.Text, &created); err != nil {
			return nil, err
		}
		c.Created = parseTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}
