package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// Assign shares the project's documents among annotators (see
// annotate.PlanAssignment). It replaces these annotators' earlier
// assignments.
func (s *Store) Assign(ctx context.Context, annotators []string, overlap float64, seed uint64) (_ annotate.AssignSummary, err error) {
	defer wrap(&err, "assign documents to %s", strings.Join(annotators, ", "))
	if _, _, err := annotate.PlanAssignment(nil, annotators, overlap, seed); err != nil {
		return annotate.AssignSummary{}, err
	}
	var ids []int64
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM documents ORDER BY id`)
	if err != nil {
		return annotate.AssignSummary{}, fmt.Errorf("assign: list documents: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return annotate.AssignSummary{}, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return annotate.AssignSummary{}, fmt.Errorf("assign: list documents: %w", err)
	}
	plan, sum, err := annotate.PlanAssignment(ids, annotators, overlap, seed)
	if err != nil {
		return sum, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO assignments(layer_id, doc_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, a := range annotators {
			id, err := s.layerID(ctx, tx, a)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE layer_id = ?`, id); err != nil {
				return err
			}
			for _, doc := range plan[a] {
				if _, err := stmt.ExecContext(ctx, id, doc); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("assign %d documents: %w", len(ids), err)
	}
	for _, a := range annotators {
		s.rememberLayer(ctx, a)
	}
	return sum, nil
}

// Assigned reports whether layer has an assignment (a queue of its own).
func (s *Store) Assigned(ctx context.Context, layer string) (_ bool, err error) {
	defer wrap(&err, "read the assignment of layer %s", layer)
	id, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return false, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM assignments WHERE layer_id = ?)`, id).Scan(&n)
	return n == 1, err
}
