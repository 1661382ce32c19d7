package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"

	"github.com/qalam-annotate/qalam/annotate"
)

// AssignSummary says how documents were shared out.
type AssignSummary struct {
	Documents int            // in the project
	Shared    int            // given to every annotator
	Per       map[string]int // documents each annotator has, shared ones included
}

// Assign shares the project's documents among annotators: a fraction
// overlap of them, drawn at random, goes to everyone (so agreement can be
// measured there), the rest is dealt out in turn so that each annotator
// gets as many as the others, give or take one. The same seed gives the
// same assignment. It replaces these annotators' earlier assignments.
func (s *Store) Assign(ctx context.Context, annotators []string, overlap float64, seed uint64) (AssignSummary, error) {
	sum := AssignSummary{Per: map[string]int{}}
	if len(annotators) == 0 {
		return sum, fmt.Errorf("assign: no annotators")
	}
	if overlap < 0 || overlap > 1 {
		return sum, fmt.Errorf("assign: overlap %v is not between 0 and 1", overlap)
	}
	seen := map[string]bool{}
	for _, a := range annotators {
		if err := annotate.ValidateLayerName(a); err != nil {
			return sum, err
		}
		if annotate.KindOf(a) != annotate.AnnotatorLayer {
			return sum, fmt.Errorf("assign: %s is not an annotator's layer", a)
		}
		if seen[a] {
			return sum, fmt.Errorf("assign: %s is named twice", a)
		}
		seen[a] = true
	}
	var ids []int64
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM documents ORDER BY id`)
	if err != nil {
		return sum, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return sum, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	rng := rand.New(rand.NewPCG(seed, 0x9a1a3))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	shared := int(overlap*float64(len(ids)) + 0.5)
	sum.Documents, sum.Shared = len(ids), shared

	err = s.inTx(ctx, func(tx *sql.Tx) error {
		layerIDs := make([]int64, len(annotators))
		for i, a := range annotators {
			id, err := s.layerID(ctx, tx, a)
			if err != nil {
				return err
			}
			layerIDs[i] = id
			if _, err := tx.ExecContext(ctx, `DELETE FROM assignments WHERE layer_id = ?`, id); err != nil {
				return err
			}
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO assignments(layer_id, doc_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		add := func(i int, doc int64) error {
			sum.Per[annotators[i]]++
			_, err := stmt.ExecContext(ctx, layerIDs[i], doc)
			return err
		}
		for k, doc := range ids {
			if k < shared {
				for i := range annotators {
					if err := add(i, doc); err != nil {
						return err
					}
				}
				continue
			}
			if err := add((k-shared)%len(annotators), doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		for _, a := range annotators {
			s.rememberLayer(ctx, a)
		}
	}
	return sum, err
}

// Assigned reports whether layer has an assignment (a queue of its own).
func (s *Store) Assigned(ctx context.Context, layer string) (bool, error) {
	id, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return false, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM assignments WHERE layer_id = ?)`, id).Scan(&n)
	return n == 1, err
}
