package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// Labels returns the project's label set in display order.
func (s *Store) Labels(ctx context.Context) (_ annotate.LabelSet, err error) {
	defer wrap(&err, "read the labels")
	return queryLabels(ctx, s.db)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// labelIDs maps each label's name to its id.
func labelIDs(ctx context.Context, q querier) (map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM labels`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		ids[name] = id
	}
	return ids, rows.Err()
}

func queryLabels(ctx context.Context, q querier) (annotate.LabelSet, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, color, hotkey FROM labels ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var set annotate.LabelSet
	for rows.Next() {
		var l annotate.Label
		if err := rows.Scan(&l.Name, &l.Color, &l.Hotkey); err != nil {
			return nil, err
		}
		set = append(set, l)
	}
	return set, rows.Err()
}

// AddLabel adds a label at the end of the set. A missing colour is taken
// from the palette.
func (s *Store) AddLabel(ctx context.Context, l annotate.Label) (err error) {
	defer wrap(&err, "add label %s", l.Name)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return addLabel(ctx, tx, l)
	})
}

func addLabel(ctx context.Context, tx querier, l annotate.Label) error {
	set, err := queryLabels(ctx, tx)
	if err != nil {
		return err
	}
	if l, err = set.NewLabel(l); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO labels(name, color, hotkey, position)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM labels))`, l.Name, l.Color, l.Hotkey)
	return err
}

// UpdateLabel changes the label called name: its name, colour and hotkey
// become those of l. Spans keep their label under the new name.
func (s *Store) UpdateLabel(ctx context.Context, name string, l annotate.Label) (err error) {
	defer wrap(&err, "change label %s", name)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		set, err := queryLabels(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := set.Replace(name, l); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE labels SET name = ?, color = ?, hotkey = ? WHERE name = ?`, l.Name, l.Color, l.Hotkey, name)
		return err
	})
}

// LabelUsage counts the spans, in all layers, that carry the label.
func (s *Store) LabelUsage(ctx context.Context, name string) (_ int, err error) {
	defer wrap(&err, "count the spans of label %s", name)
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM spans WHERE label_id = (SELECT id FROM labels WHERE name = ?)`, name).Scan(&n)
	return n, err
}

// DeleteLabel removes a label. A label still in use is refused with
// ErrLabelInUse (saying how many spans use it) unless relabelTo names
// another label: then its spans move there first, in the same transaction.
func (s *Store) DeleteLabel(ctx context.Context, name, relabelTo string) (err error) {
	defer wrap(&err, "delete label %s", name)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM labels WHERE name = ?`, name).Scan(&id); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("label %s: %w", name, annotate.ErrNotFound)
			}
			return err
		}
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM spans WHERE label_id = ?`, id).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			if relabelTo == "" {
				return fmt.Errorf("label %s is used by %d spans: %w", name, used, annotate.ErrLabelInUse)
			}
			var to int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM labels WHERE name = ?`, relabelTo).Scan(&to); err != nil || to == id {
				return fmt.Errorf("relabel to %s: %w", relabelTo, annotate.ErrNotFound)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE spans SET label_id = ? WHERE label_id = ?`, to, id); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM labels WHERE id = ?`, id)
		return err
	})
}

// Layers lists the project's layers.
func (s *Store) Layers(ctx context.Context) (_ []annotate.Layer, err error) {
	defer wrap(&err, "read the layers")
	rows, err := s.db.QueryContext(ctx, `SELECT name, kind FROM layers WHERE substr(name, 1, 1) != ? ORDER BY kind != 'gold', name`, stagingMark)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Layer
	for rows.Next() {
		var l annotate.Layer
		if err := rows.Scan(&l.Name, &l.Kind); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// layerID returns the id of the named layer, creating it on first use in
// tx. A new layer's id is remembered (rememberLayer) only once tx has
// committed: a rollback forgets the layer.
func (s *Store) layerID(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	s.mu.Lock()
	id, ok := s.layers[name]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	if err := annotate.ValidateNewLayer(name); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO layers(name, kind) VALUES (?, ?) ON CONFLICT(name) DO NOTHING`, name, annotate.KindOf(name)); err != nil {
		return 0, err
	}
	err := tx.QueryRowContext(ctx, `SELECT id FROM layers WHERE name = ?`, name).Scan(&id)
	return id, err
}

// lookupLayer returns the id of an existing layer, or ok=false.
func (s *Store) lookupLayer(ctx context.Context, name string) (int64, bool, error) {
	s.mu.Lock()
	id, ok := s.layers[name]
	s.mu.Unlock()
	if ok {
		return id, true, nil
	}
	err := s.db.QueryRowContext(ctx, `SELECT id FROM layers WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	s.mu.Lock()
	s.layers[name] = id
	s.mu.Unlock()
	return id, true, nil
}

// stagingMark is the first character of a staging layer's name.
var stagingMark = annotate.StagingName("", "")[:1]

// forgetLayers empties the cache of layer ids (layers were renamed or
// removed).
func (s *Store) forgetLayers() {
	s.mu.Lock()
	s.layers = map[string]int64{}
	s.mu.Unlock()
}
