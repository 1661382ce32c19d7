package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
)

// Document returns one document with its text.
func (s *Store) Document(ctx context.Context, id int64) (annotate.Document, error) {
	d, err := scanDocument(s.pool.QueryRow(ctx, `SELECT id, name, text, sha256, length, meta FROM documents WHERE id = $1`, id))
	if err != nil {
		return d, fmt.Errorf("document %d: %w", id, err)
	}
	return d, nil
}

// DocumentByHash returns the document whose text has the given SHA-256.
func (s *Store) DocumentByHash(ctx context.Context, sha string) (annotate.Document, error) {
	d, err := scanDocument(s.pool.QueryRow(ctx, `SELECT id, name, text, sha256, length, meta FROM documents WHERE sha256 = $1`, sha))
	if err != nil {
		return d, fmt.Errorf("document with SHA-256 %s: %w", sha, err)
	}
	return d, nil
}

// TextSize is the size in bytes of document id's text, without the text.
func (s *Store) TextSize(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT octet_length(text) FROM documents WHERE id = $1`, id).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		err = annotate.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("size of document %d: %w", id, err)
	}
	return n, nil
}

// TextHead is the start of document id's text: its first n code points.
// The server reads only the start of a text stored apart from its row
// (TOAST), or decompresses only the start of a compressed one.
func (s *Store) TextHead(ctx context.Context, id int64, n int) (string, error) {
	var head string
	err := s.pool.QueryRow(ctx, `SELECT substr(text, 1, $2) FROM documents WHERE id = $1`, id, max(n, 0)).Scan(&head)
	if errors.Is(err, pgx.ErrNoRows) {
		err = annotate.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("start of document %d: %w", id, err)
	}
	return head, nil
}

func scanDocument(row pgx.Row) (annotate.Document, error) {
	var d annotate.Document
	var meta *string
	err := row.Scan(&d.ID, &d.Name, &d.Text, &d.SHA256, &d.Length, &meta)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, annotate.ErrNotFound
	}
	if meta != nil {
		d.Meta = json.RawMessage(*meta)
	}
	return d, wrap(err)
}

// CountDocuments is the number of documents in the project.
func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count documents: %w", wrap(err))
	}
	return n, nil
}

// CountStatus counts a layer's documents per status; documents the layer
// never touched count as todo.
func (s *Store) CountStatus(ctx context.Context, layer string) (map[annotate.Status]int, error) {
	total, err := s.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	out := map[annotate.Status]int{annotate.Todo: total}
	id, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return out, err
	}
	rows, err := s.pool.Query(ctx, `SELECT status, count(*) FROM doc_status WHERE layer_id = $1 GROUP BY status`, id)
	if err != nil {
		return nil, fmt.Errorf("count statuses of layer %s: %w", layer, wrap(err))
	}
	var st annotate.Status
	var n int
	_, err = pgx.ForEachRow(rows, []any{&st, &n}, func() error {
		if st != annotate.Todo {
			out[st] += n
			out[annotate.Todo] -= n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count statuses of layer %s: %w", layer, wrap(err))
	}
	return out, nil
}

// Spans returns a layer's spans on one document in text order.
func (s *Store) Spans(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	rows, err := s.pool.Query(ctx, `SELECT sp.id, sp.start, sp."end", l.name, sp.origin
		FROM spans sp JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = $1 AND ly.name = $2 ORDER BY sp.start, sp."end", sp.id`, docID, layer)
	out, err := collectSpans(rows, err, docID, layer)
	if err != nil {
		return nil, fmt.Errorf("spans of layer %s in document %d: %w", layer, docID, err)
	}
	return out, nil
}

func collectSpans(rows pgx.Rows, err error, docID int64, layer string) ([]annotate.Span, error) {
	if err != nil {
		return nil, wrap(err)
	}
	var out []annotate.Span
	sp := annotate.Span{DocID: docID, Layer: layer}
	_, err = pgx.ForEachRow(rows, []any{&sp.ID, &sp.Start, &sp.End, &sp.Label, &sp.Origin}, func() error {
		out = append(out, sp)
		return nil
	})
	return out, wrap(err)
}

// Status is a layer's status on a document (todo when never set) and
// whether the document is flagged.
func (s *Store) Status(ctx context.Context, docID int64, layer string) (annotate.Status, bool, error) {
	var st annotate.Status
	var flagged bool
	err := s.pool.QueryRow(ctx, `SELECT status, flagged FROM doc_status st JOIN layers ly ON ly.id = st.layer_id
		WHERE st.doc_id = $1 AND ly.name = $2`, docID, layer).Scan(&st, &flagged)
	if errors.Is(err, pgx.ErrNoRows) {
		return annotate.Todo, false, nil
	}
	if err != nil {
		return st, flagged, fmt.Errorf("status of layer %s in document %d: %w", layer, docID, wrap(err))
	}
	return st, flagged, nil
}

// AddComment leaves a note on a document for a layer.
func (s *Store) AddComment(ctx context.Context, c annotate.Comment) (annotate.Comment, error) {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		layerID, err := s.layerID(ctx, tx, c.Layer)
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO comments(doc_id, layer_id, text) VALUES ($1, $2, $3) RETURNING id, created_at`,
			c.DocID, layerID, c.Text).Scan(&c.ID, &c.Created)
	})
	if err != nil {
		return c, fmt.Errorf("comment in layer %s on document %d: %w", c.Layer, c.DocID, err)
	}
	s.tellLayer("comments", c.Layer, c.DocID)
	return c, nil
}

// Comments lists the notes on a document, oldest first.
func (s *Store) Comments(ctx context.Context, docID int64) ([]annotate.Comment, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, ly.name, c.text, c.created_at FROM comments c
		JOIN layers ly ON ly.id = c.layer_id WHERE c.doc_id = $1 ORDER BY c.id`, docID)
	if err != nil {
		return nil, fmt.Errorf("comments on document %d: %w", docID, wrap(err))
	}
	var out []annotate.Comment
	c := annotate.Comment{DocID: docID}
	_, err = pgx.ForEachRow(rows, []any{&c.ID, &c.Layer, &c.Text, &c.Created}, func() error {
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("comments on document %d: %w", docID, wrap(err))
	}
	return out, nil
}

// Suggestions returns the spans of the suggestion layers layer sees on a
// document (annotate.SuggestionLayers) that are still open for it: not
// rejected by it, and not already in it (same range and label), in text
// order, each with its suggestion layer.
func (s *Store) Suggestions(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	rows, err := s.pool.Query(ctx, `SELECT sp.id, sl.name, sp.start, sp."end", l.name, sp.origin
		FROM spans sp JOIN layers sl ON sl.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = $1 AND sl.name = ANY($2)
		AND NOT EXISTS (SELECT 1 FROM rejected_suggestions r JOIN layers ly ON ly.id = r.layer_id
			WHERE r.span_id = sp.id AND ly.name = $3)
		AND NOT EXISTS (SELECT 1 FROM spans m JOIN layers ly ON ly.id = m.layer_id
			WHERE m.doc_id = sp.doc_id AND ly.name = $3 AND m.start = sp.start AND m."end" = sp."end" AND m.label_id = sp.label_id)
		ORDER BY sp.start, sp."end", sp.id`, docID, annotate.SuggestionLayers(layer), layer)
	out, err := collectLayerSpans(rows, err)
	if err != nil {
		return nil, fmt.Errorf("suggestions for layer %s in document %d: %w", layer, docID, err)
	}
	for i := range out {
		out[i].DocID = docID
	}
	return out, nil
}

// collectLayerSpans reads rows of (id, layer, start, end, label, origin).
func collectLayerSpans(rows pgx.Rows, err error) ([]annotate.Span, error) {
	if err != nil {
		return nil, wrap(err)
	}
	var out []annotate.Span
	var sp annotate.Span
	_, err = pgx.ForEachRow(rows, []any{&sp.ID, &sp.Layer, &sp.Start, &sp.End, &sp.Label, &sp.Origin}, func() error {
		out = append(out, sp)
		return nil
	})
	return out, wrap(err)
}

// RejectedSuggestions returns the suggestions layer rejected on a
// document (every document when docID is 0), by document and in text
// order.
func (s *Store) RejectedSuggestions(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	rows, err := s.pool.Query(ctx, `SELECT sp.doc_id, sp.id, sl.name, sp.start, sp."end", l.name, sp.origin
		FROM rejected_suggestions r JOIN layers ly ON ly.id = r.layer_id
		JOIN spans sp ON sp.id = r.span_id JOIN layers sl ON sl.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE ly.name = $1 AND ($2 = 0 OR r.doc_id = $2)
		ORDER BY sp.doc_id, sp.start, sp."end", sp.id`, layer, docID)
	if err != nil {
		return nil, fmt.Errorf("suggestions layer %s rejected: %w", layer, wrap(err))
	}
	var out []annotate.Span
	var sp annotate.Span
	_, err = pgx.ForEachRow(rows, []any{&sp.DocID, &sp.ID, &sp.Layer, &sp.Start, &sp.End, &sp.Label, &sp.Origin}, func() error {
		out = append(out, sp)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("suggestions layer %s rejected: %w", layer, wrap(err))
	}
	return out, nil
}

// Settled lists the stretches of a document that gold's live edits (not
// undone) settled, in text order.
func (s *Store) Settled(ctx context.Context, docID int64) ([]annotate.Stretch, error) {
	all, err := s.settled(ctx, docID)
	return all[docID], err
}

// AllSettled gives the settled stretches of every document that has some.
func (s *Store) AllSettled(ctx context.Context) (map[int64][]annotate.Stretch, error) {
	return s.settled(ctx, 0)
}

func (s *Store) settled(ctx context.Context, docID int64) (map[int64][]annotate.Stretch, error) {
	out := map[int64][]annotate.Stretch{}
	gold, ok, err := s.lookupLayer(ctx, annotate.Gold)
	if err != nil || !ok {
		return out, err
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT e.doc_id, a.start, a."end" FROM edits e JOIN adjudications a ON a.edit_id = e.id
		WHERE e.layer_id = $1 AND NOT e.undone AND ($2 = 0 OR e.doc_id = $2) ORDER BY e.doc_id, a.start, a."end"`, gold, docID)
	if err != nil {
		return nil, fmt.Errorf("settled stretches: %w", wrap(err))
	}
	var doc int64
	var st annotate.Stretch
	_, err = pgx.ForEachRow(rows, []any{&doc, &st.Start, &st.End}, func() error {
		out[doc] = append(out[doc], st)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("settled stretches: %w", wrap(err))
	}
	return out, nil
}

// Assigned reports whether layer has an assignment (a queue of its own).
func (s *Store) Assigned(ctx context.Context, layer string) (bool, error) {
	id, ok, err := s.lookupLayer(ctx, layer)
	if err != nil || !ok {
		return false, err
	}
	var yes bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assignments WHERE layer_id = $1)`, id).Scan(&yes); err != nil {
		return false, fmt.Errorf("assignment of layer %s: %w", layer, wrap(err))
	}
	return yes, nil
}

// Assign shares the project's documents among annotators (see
// annotate.PlanAssignment), replacing these annotators' earlier
// assignments.
func (s *Store) Assign(ctx context.Context, annotators []string, overlap float64, seed uint64) (annotate.AssignSummary, error) {
	if _, _, err := annotate.PlanAssignment(nil, annotators, overlap, seed); err != nil {
		return annotate.AssignSummary{}, err
	}
	rows, err := s.pool.Query(ctx, `SELECT id FROM documents ORDER BY id`)
	if err != nil {
		return annotate.AssignSummary{}, fmt.Errorf("assign: list documents: %w", wrap(err))
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return annotate.AssignSummary{}, fmt.Errorf("assign: list documents: %w", wrap(err))
	}
	plan, sum, err := annotate.PlanAssignment(ids, annotators, overlap, seed)
	if err != nil {
		return sum, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		for _, a := range annotators {
			id, err := s.layerID(ctx, tx, a)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM assignments WHERE layer_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO assignments(layer_id, doc_id) SELECT $1, unnest($2::bigint[])`, id, plan[a]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("assign %d documents: %w", len(ids), err)
	}
	return sum, nil
}

// Stats counts documents, spans per label per layer and statuses per layer.
func (s *Store) Stats(ctx context.Context) (*annotate.Stats, error) {
	rows, err := s.pool.Query(ctx, `SELECT ly.name, l.name, count(*) FROM spans sp
		JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		GROUP BY ly.name, l.name`)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", wrap(err))
	}
	counts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[annotate.SpanCount])
	if err != nil {
		return nil, fmt.Errorf("stats: %w", wrap(err))
	}
	return annotate.NewStats(ctx, s, counts)
}

// timeOr is t, or now when t is zero.
func timeOr(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}
