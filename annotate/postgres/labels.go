package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
)

// Labels returns the project's label set in display order.
func (s *Store) Labels(ctx context.Context) (annotate.LabelSet, error) {
	set, err := queryLabels(ctx, s.pool)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return set, nil
}

func queryLabels(ctx context.Context, q querier) (annotate.LabelSet, error) {
	rows, err := q.Query(ctx, `SELECT name, color, hotkey FROM labels ORDER BY position, id`)
	if err != nil {
		return nil, wrap(err)
	}
	set, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (annotate.Label, error) {
		var l annotate.Label
		err := r.Scan(&l.Name, &l.Color, &l.Hotkey)
		return l, err
	})
	return set, wrap(err)
}

// AddLabel adds a label at the end of the set. A missing colour is taken
// from the palette.
func (s *Store) AddLabel(ctx context.Context, l annotate.Label) error {
	if err := s.inTx(ctx, func(tx pgx.Tx) error { return addLabel(ctx, tx, l) }); err != nil {
		return fmt.Errorf("add label %s: %w", l.Name, err)
	}
	return nil
}

func addLabel(ctx context.Context, tx pgx.Tx, l annotate.Label) error {
	// One label set change at a time: the checks below see the set whole.
	if _, err := tx.Exec(ctx, `LOCK TABLE labels IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	set, err := queryLabels(ctx, tx)
	if err != nil {
		return err
	}
	if l, err = set.NewLabel(l); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO labels(name, color, hotkey, position)
		VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), -1) + 1 FROM labels))`, l.Name, l.Color, l.Hotkey)
	return err
}

// UpdateLabel changes the label called name: its name, colour and hotkey
// become those of l. Spans keep their label under the new name.
func (s *Store) UpdateLabel(ctx context.Context, name string, l annotate.Label) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE labels IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		set, err := queryLabels(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := set.Replace(name, l); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE labels SET name = $1, color = $2, hotkey = $3 WHERE name = $4`, l.Name, l.Color, l.Hotkey, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("change label %s: %w", name, err)
	}
	return nil
}

// LabelUsage counts the spans, in all layers, that carry the label.
func (s *Store) LabelUsage(ctx context.Context, name string) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM spans WHERE label_id = (SELECT id FROM labels WHERE name = $1)`, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count spans labelled %s: %w", name, wrap(err))
	}
	return n, nil
}

// DeleteLabel removes a label. A label still in use is refused with
// ErrLabelInUse (saying how many spans use it) unless relabelTo names
// another label: then its spans move there first, in the same transaction.
func (s *Store) DeleteLabel(ctx context.Context, name, relabelTo string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM labels WHERE name = $1 FOR UPDATE`, name).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("label %s: %w", name, annotate.ErrNotFound)
			}
			return err
		}
		var used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM spans WHERE label_id = $1`, id).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			if relabelTo == "" {
				return fmt.Errorf("label %s is used by %d spans: %w", name, used, annotate.ErrLabelInUse)
			}
			var to int64
			if err := tx.QueryRow(ctx, `SELECT id FROM labels WHERE name = $1`, relabelTo).Scan(&to); err != nil || to == id {
				return fmt.Errorf("relabel to %s: %w", relabelTo, annotate.ErrNotFound)
			}
			if _, err := tx.Exec(ctx, `UPDATE spans SET label_id = $1 WHERE label_id = $2`, to, id); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `DELETE FROM labels WHERE id = $1`, id)
		return err
	})
}
