package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/editlog"
)

// Suggestions returns the spans of the suggestion layers layer sees on a
// document that are still open for it: not rejected by it, and not
// already in it (same range and label), in text order.
func (s *Store) Suggestions(ctx context.Context, docID int64, layer string) (_ []annotate.Span, err error) {
	defer wrap(&err, "read the suggestions on document %d for layer %s", docID, layer)
	visible := annotate.SuggestionLayers(layer)
	rows, err := s.db.QueryContext(ctx, `SELECT sp.id, sl.name, sp.start, sp.end, l.name, sp.origin
		FROM spans sp JOIN layers sl ON sl.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = ? AND sl.name IN (?, ?)
		AND NOT EXISTS (SELECT 1 FROM rejected_suggestions r JOIN layers ly ON ly.id = r.layer_id
			WHERE r.span_id = sp.id AND ly.name = ?)
		AND NOT EXISTS (SELECT 1 FROM spans m JOIN layers ly ON ly.id = m.layer_id
			WHERE m.doc_id = sp.doc_id AND ly.name = ? AND m.start = sp.start AND m.end = sp.end AND m.label_id = sp.label_id)
		ORDER BY sp.start, sp.end, sp.id`, docID, visible[0], visible[1], layer, layer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Span
	for rows.Next() {
		sp := annotate.Span{DocID: docID}
		if err := rows.Scan(&sp.ID, &sp.Layer, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// RejectedSuggestions returns the suggestions layer rejected on a
// document (every document when docID is 0), by document and in text
// order.
func (s *Store) RejectedSuggestions(ctx context.Context, docID int64, layer string) (_ []annotate.Span, err error) {
	defer wrap(&err, "read the suggestions layer %s rejected", layer)
	q := `SELECT sp.doc_id, sp.id, sl.name, sp.start, sp.end, l.name, sp.origin
		FROM rejected_suggestions r JOIN layers ly ON ly.id = r.layer_id
		JOIN spans sp ON sp.id = r.span_id JOIN layers sl ON sl.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE ly.name = ?`
	args := []any{layer}
	if docID != 0 {
		q += ` AND r.doc_id = ?`
		args = append(args, docID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY sp.doc_id, sp.start, sp.end, sp.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Span
	for rows.Next() {
		var sp annotate.Span
		if err := rows.Scan(&sp.DocID, &sp.ID, &sp.Layer, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// Rejected lists the suggestions the edit's layer rejected on its document.
func (e *editTx) Rejected() ([]int64, error) {
	rows, err := e.tx.QueryContext(e.ctx, `SELECT span_id FROM rejected_suggestions WHERE layer_id = ? AND doc_id = ? ORDER BY span_id`,
		e.layerID, e.docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// SetRejected rejects a suggestion for the edit's layer, or takes the
// rejection back; the operation is logged so that Undo reverses it.
func (e *editTx) SetRejected(id int64, rejected bool) error {
	var ok bool
	err := e.tx.QueryRowContext(e.ctx, `SELECT EXISTS (SELECT 1 FROM spans sp JOIN layers sl ON sl.id = sp.layer_id
		WHERE sp.id = ? AND sp.doc_id = ? AND sl.kind = ?)`, id, e.docID, annotate.SuggestionLayer).Scan(&ok)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("suggestion %d: %w", id, annotate.ErrNotFound)
	}
	o := editlog.Rejection(id, rejected)
	changed, err := setRejected(e.ctx, e.tx, e.layerID, e.docID, o)
	if err != nil || !changed {
		return err
	}
	e.draft.Ops = append(e.draft.Ops, o)
	return nil
}

// setRejected applies a reject or restore operation and reports whether
// it changed anything; rejecting a suggestion that is gone does nothing.
func setRejected(ctx context.Context, tx *sql.Tx, layerID, docID int64, o editlog.Op) (bool, error) {
	var res sql.Result
	var err error
	switch o.Op {
	case "reject":
		res, err = tx.ExecContext(ctx, `INSERT INTO rejected_suggestions(layer_id, span_id, doc_id)
			SELECT ?, id, doc_id FROM spans WHERE id = ? AND doc_id = ? ON CONFLICT DO NOTHING`, layerID, o.Suggestion, docID)
	case "restore":
		res, err = tx.ExecContext(ctx, `DELETE FROM rejected_suggestions WHERE layer_id = ? AND span_id = ?`, layerID, o.Suggestion)
	default:
		return false, errors.New("not a rejection: " + o.Op)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
