package sqlite

import (
	"context"

	"github.com/qalam-annotate/qalam/annotate"
)

// Settled lists the stretches of a document that gold's live edits (not
// undone) settled, in text order; they may overlap; each is listed once.
func (s *Store) Settled(ctx context.Context, docID int64) (_ []annotate.Stretch, err error) {
	defer wrap(&err, "read the settled stretches of document %d", docID)
	all, err := s.settled(ctx, docID)
	return all[docID], err
}

// AllSettled gives the settled stretches of every document that has some,
// by document id.
func (s *Store) AllSettled(ctx context.Context) (_ map[int64][]annotate.Stretch, err error) {
	defer wrap(&err, "read the settled stretches")
	return s.settled(ctx, 0)
}

func (s *Store) settled(ctx context.Context, docID int64) (map[int64][]annotate.Stretch, error) {
	out := map[int64][]annotate.Stretch{}
	gold, ok, err := s.lookupLayer(ctx, annotate.Gold)
	if err != nil || !ok {
		return out, err
	}
	q := `SELECT DISTINCT e.doc_id, a.start, a.end FROM edits e JOIN adjudications a ON a.edit_id = e.id
		WHERE e.layer_id = ? AND e.undone = 0`
	args := []any{gold}
	if docID != 0 {
		q += ` AND e.doc_id = ?`
		args = append(args, docID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY e.doc_id, a.start, a.end`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		var st annotate.Stretch
		if err := rows.Scan(&doc, &st.Start, &st.End); err != nil {
			return nil, err
		}
		out[doc] = append(out[doc], st)
	}
	return out, rows.Err()
}
