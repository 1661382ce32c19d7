package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// NextUnfinished returns the first document after the one with id after,
// in import order and wrapping round to the start, that q's layer has not
// finished (todo or in progress) and that q selects (its Queue and Search;
// its Status is ignored). The document after itself is never returned:
// ok is false when no other is unfinished.
func (s *Store) NextUnfinished(ctx context.Context, q annotate.DocQuery, after int64) (id int64, ok bool, err error) {
	defer wrap(&err, "find the next unfinished document of layer %s", q.Layer)
	q.Status = ""
	f, err := s.docFilter(ctx, q)
	if err != nil {
		return 0, false, err
	}
	query := `SELECT d.id FROM ` + f.from + ` WHERE ` + f.cond + ` AND NOT EXISTS (SELECT 1 FROM doc_status x
		WHERE x.doc_id = d.id AND x.layer_id = ? AND x.status IN ('done', 'skipped')) AND d.id != ? AND d.id %s ?
		ORDER BY d.id LIMIT 1`
	for _, op := range []string{">", "<"} {
		err := s.db.QueryRowContext(ctx, fmt.Sprintf(query, op), append(f.args, f.layerID, after, after)...).Scan(&id)
		if err == nil {
			return id, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, err
		}
	}
	return 0, false, nil
}

// DocumentIndex returns the position of document id in the list q
// selects (its Offset and Limit ignored), or -1 when q leaves it out.
func (s *Store) DocumentIndex(ctx context.Context, q annotate.DocQuery, id int64) (_ int, err error) {
	defer wrap(&err, "find document %d in the list", id)
	f, err := s.docFilter(ctx, q)
	if err != nil {
		return 0, err
	}
	var in, before int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE d.id = ?), count(*) FILTER (WHERE d.id < ?)
		FROM `+f.from+` WHERE d.id <= ? AND `+f.cond, append([]any{id, id, id}, f.args...)...).Scan(&in, &before)
	if err != nil || in == 0 {
		return -1, err
	}
	return before, nil
}
