package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// Suggestions returns the spans of the suggestion layer on a document
// that are still open for layer: not rejected by it, and not already in
// it (same range and label), in text order.
func (s *Store) Suggestions(ctx context.Context, docID int64, layer string) (_ []annotate.Span, err error) {
	defer wrap(&err, "read the suggestions on document %d for layer %s", docID, layer)
	rows, err := s.db.QueryContext(ctx, `SELECT sp.id, sp.start, sp.end, l.name, sp.origin
		FROM spans sp JOIN layers sl ON sl.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = ? AND sl.name = ?
		AND NOT EXISTS (SELECT 1 FROM rejected_suggestions r JOIN layers ly ON ly.id = r.layer_id
			WHERE r.span_id = sp.id AND ly.name = ?)
		AND NOT EXISTS (SELECT 1 FROM spans m JOIN layers ly ON ly.id = m.layer_id
			WHERE m.doc_id = sp.doc_id AND ly.name = ? AND m.start = sp.start AND m.end = sp.end AND m.label_id = sp.label_id)
		ORDER BY sp.start, sp.end, sp.id`, docID, annotate.Suggestion, layer, layer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Span
	for rows.Next() {
		sp := annotate.Span{DocID: docID, Layer: annotate.Suggestion}
		if err := rows.Scan(&sp.ID, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// RejectSuggestions hides suggestions (by id) from layer. Rejections are
// not in the undo log; RestoreSuggestions brings a document's back.
func (s *Store) RejectSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) (err error) {
	defer wrap(&err, "reject suggestions on document %d for layer %s", docID, layer)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		layerID, err := s.layerID(ctx, tx, layer)
		if err != nil {
			return err
		}
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `INSERT INTO rejected_suggestions(layer_id, span_id, doc_id)
				SELECT ?, sp.id, sp.doc_id FROM spans sp JOIN layers sl ON sl.id = sp.layer_id
				WHERE sp.id = ? AND sp.doc_id = ? AND sl.name = ?
				ON CONFLICT DO NOTHING`, layerID, id, docID, annotate.Suggestion)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				var exists bool
				if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rejected_suggestions WHERE layer_id = ? AND span_id = ?)`, layerID, id).Scan(&exists); err != nil {
					return err
				}
				if !exists {
					return fmt.Errorf("suggestion %d: %w", id, annotate.ErrNotFound)
				}
			}
		}
		return nil
	})
}

// RestoreSuggestions brings back the suggestions layer rejected on a
// document (ids; all of them when none is given) and returns how many.
func (s *Store) RestoreSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) (_ int, err error) {
	defer wrap(&err, "restore suggestions on document %d for layer %s", docID, layer)
	layerID, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if len(ids) == 0 {
			res, err := tx.ExecContext(ctx, `DELETE FROM rejected_suggestions WHERE layer_id = ? AND doc_id = ?`, layerID, docID)
			if err != nil {
				return err
			}
			m, _ := res.RowsAffected()
			n = int(m)
			return nil
		}
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `DELETE FROM rejected_suggestions WHERE layer_id = ? AND doc_id = ? AND span_id = ?`, layerID, docID, id)
			if err != nil {
				return err
			}
			m, _ := res.RowsAffected()
			n += int(m)
		}
		return nil
	})
	return n, err
}
