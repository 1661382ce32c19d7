package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// PublishLayers gives staging layers their names in one transaction: a
// layer that does not exist yet is renamed; one that exists receives the
// staging layer's spans, statuses and comments.
func (s *Store) PublishLayers(ctx context.Context, names map[string]string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for staging, name := range names {
			if err := annotate.CheckPublish(staging, name); err != nil {
				return err
			}
			var from int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM layers WHERE name = ?`, staging).Scan(&from); err != nil {
				if err == sql.ErrNoRows {
					// Nothing was loaded: the layer had no work.
					continue
				}
				return err
			}
			var to int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM layers WHERE name = ?`, name).Scan(&to)
			if err == sql.ErrNoRows {
				if _, err := tx.ExecContext(ctx, `UPDATE layers SET name = ? WHERE id = ?`, name, from); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			for _, q := range []string{
				`UPDATE spans SET layer_id = ? WHERE layer_id = ?`,
				`INSERT INTO doc_status(doc_id, layer_id, status, flagged, updated_at)
					SELECT doc_id, ?, status, flagged, updated_at FROM doc_status WHERE layer_id = ? AND true
					ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged, updated_at = excluded.updated_at`,
				`UPDATE comments SET layer_id = ? WHERE layer_id = ?`,
			} {
				if _, err := tx.ExecContext(ctx, q, to, from); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM layers WHERE id = ?`, from); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("publish merged layers: %w", err)
	}
	s.forgetLayers()
	return nil
}

// DropLayers removes staging layers and everything in them.
func (s *Store) DropLayers(ctx context.Context, staging []string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, name := range staging {
			if !annotate.IsStaging(name) {
				return fmt.Errorf("drop layer %q: not a staging layer", name)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM layers WHERE name = ?`, name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drop staging layers: %w", err)
	}
	s.forgetLayers()
	return nil
}
