package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// Spans returns a layer's spans on one document in text order.
func (s *Store) Spans(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT sp.id, sp.start, sp.end, l.name, sp.origin
		FROM spans sp JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		WHERE sp.doc_id = ? AND ly.name = ? ORDER BY sp.start, sp.end, sp.id`, docID, layer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Span
	for rows.Next() {
		sp := annotate.Span{DocID: docID, Layer: layer}
		if err := rows.Scan(&sp.ID, &sp.Start, &sp.End, &sp.Label, &sp.Origin); err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, rows.Err()
}

// checker validates spans of one document against its text length, the
// label set and the project's overlap rule.
type checker struct {
	length       int
	labels       annotate.LabelSet
	labelIDs     map[string]int64
	allowOverlap bool
	existing     []spanRow
}

func (e *editTx) checker() (*checker, error) {
	c := &checker{labelIDs: map[string]int64{}}
	if err := e.tx.QueryRowContext(e.ctx, `SELECT length FROM documents WHERE id = ?`, e.docID).Scan(&c.length); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("document %d: %w", e.docID, annotate.ErrNotFound)
		}
		return nil, err
	}
	rows, err := e.tx.QueryContext(e.ctx, `SELECT id, name, color, hotkey FROM labels ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l annotate.Label
		var id int64
		if err := rows.Scan(&id, &l.Name, &l.Color, &l.Hotkey); err != nil {
			rows.Close()
			return nil, err
		}
		c.labels = append(c.labels, l)
		c.labelIDs[l.Name] = id
	}
	rows.Close()
	var v string
	if err := e.tx.QueryRowContext(e.ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = ?), 'true')`, SettingAllowOverlap).Scan(&v); err != nil {
		return nil, err
	}
	c.allowOverlap = v == "true"
	rows, err = e.tx.QueryContext(e.ctx, `SELECT id, label_id, start, end, origin FROM spans WHERE doc_id = ? AND layer_id = ?`, e.docID, e.layerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r spanRow
		if err := rows.Scan(&r.ID, &r.LabelID, &r.Start, &r.End, &r.Origin); err != nil {
			return nil, err
		}
		c.existing = append(c.existing, r)
	}
	return c, rows.Err()
}

// row validates sp and turns it into a row; ignore is a span id that the
// overlap check leaves out (the span being changed).
func (c *checker) row(sp annotate.Span, ignore int64) (spanRow, error) {
	if sp.Origin == "" {
		sp.Origin = annotate.Manual
	}
	if err := sp.Validate(c.length, c.labels); err != nil {
		return spanRow{}, err
	}
	r := spanRow{ID: sp.ID, LabelID: c.labelIDs[sp.Label], Start: sp.Start, End: sp.End, Origin: string(sp.Origin)}
	for _, o := range c.existing {
		if o.ID == ignore {
			continue
		}
		if o.Start == r.Start && o.End == r.End && o.LabelID == r.LabelID {
			return r, fmt.Errorf("%w: [%d,%d) %s is already there", annotate.ErrOverlap, r.Start, r.End, sp.Label)
		}
		if !c.allowOverlap && o.Start < r.End && r.Start < o.End {
			return r, fmt.Errorf("%w: [%d,%d) overlaps [%d,%d) and this project does not allow overlapping spans", annotate.ErrOverlap, r.Start, r.End, o.Start, o.End)
		}
	}
	return r, nil
}

// AddSpan stores one span as one undoable edit and returns it with its id.
// A todo document becomes in progress.
func (s *Store) AddSpan(ctx context.Context, sp annotate.Span) (annotate.Span, error) {
	out, err := s.AddSpans(ctx, sp.DocID, sp.Layer, "add span", []annotate.Span{sp})
	if err != nil {
		return sp, err
	}
	return out[0], nil
}

// AddSpans stores several spans of one document and layer as one undoable
// edit (label all occurrences, accept all suggestions). Either all go in
// or none.
func (s *Store) AddSpans(ctx context.Context, docID int64, layer, kind string, spans []annotate.Span) ([]annotate.Span, error) {
	return s.ReplaceSpans(ctx, docID, layer, kind, nil, spans)
}

// DeleteSpans removes spans of one document and layer as one edit.
func (s *Store) DeleteSpans(ctx context.Context, docID int64, layer string, ids ...int64) error {
	return s.edit(ctx, layer, docID, "delete span", func(e *editTx) error {
		for _, id := range ids {
			if err := e.deleteSpan(id); err != nil {
				return err
			}
		}
		return e.touch()
	})
}

// UpdateSpan changes a span's label or range (its id, document and layer
// stay), as one edit.
func (s *Store) UpdateSpan(ctx context.Context, sp annotate.Span) error {
	return s.updateSpan(ctx, sp, "change span")
}

func (s *Store) updateSpan(ctx context.Context, sp annotate.Span, kind string) error {
	return s.edit(ctx, sp.Layer, sp.DocID, kind, func(e *editTx) error {
		c, err := e.checker()
		if err != nil {
			return err
		}
		before, err := e.span(sp.ID)
		if err != nil {
			return err
		}
		if sp.Origin == "" {
			sp.Origin = annotate.Origin(before.Origin)
		}
		r, err := c.row(sp, sp.ID)
		if err != nil {
			return err
		}
		if r == before {
			return nil
		}
		if err := e.updateSpan(r); err != nil {
			return err
		}
		return e.touch()
	})
}

// RelabelSpan gives a span another label, as one edit.
func (s *Store) RelabelSpan(ctx context.Context, docID int64, layer string, id int64, label string) error {
	spans, err := s.Spans(ctx, docID, layer)
	if err != nil {
		return err
	}
	for _, sp := range spans {
		if sp.ID == id {
			sp.Label = label
			return s.updateSpan(ctx, sp, "relabel span")
		}
	}
	return fmt.Errorf("span %d: %w", id, annotate.ErrNotFound)
}

// Status is a layer's status on a document (todo when never set) and
// whether the document is flagged.
func (s *Store) Status(ctx context.Context, docID int64, layer string) (annotate.Status, bool, error) {
	var st annotate.Status
	var flagged bool
	err := s.db.QueryRowContext(ctx, `SELECT status, flagged FROM doc_status st JOIN layers ly ON ly.id = st.layer_id
		WHERE st.doc_id = ? AND ly.name = ?`, docID, layer).Scan(&st, &flagged)
	if errors.Is(err, sql.ErrNoRows) {
		return annotate.Todo, false, nil
	}
	return st, flagged, err
}

// SetStatus changes a layer's status on a document, as one edit.
func (s *Store) SetStatus(ctx context.Context, docID int64, layer string, status annotate.Status) error {
	return s.changeStatus(ctx, docID, layer, "set status", func(st *statusRow) { st.Status = status })
}

// SetFlag flags or unflags a document for a layer, as one edit.
func (s *Store) SetFlag(ctx context.Context, docID int64, layer string, flagged bool) error {
	return s.changeStatus(ctx, docID, layer, "flag", func(st *statusRow) { st.Flagged = flagged })
}

func (s *Store) changeStatus(ctx context.Context, docID int64, layer, kind string, change func(*statusRow)) error {
	return s.edit(ctx, layer, docID, kind, func(e *editTx) error {
		var n int
		if err := e.tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE id = ?`, docID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("document %d: %w", docID, annotate.ErrNotFound)
		}
		was, err := e.status()
		if err != nil {
			return err
		}
		next := statusRow{Status: annotate.Todo}
		if was != nil {
			next = *was
		}
		change(&next)
		if was != nil && *was == next {
			return nil
		}
		return e.setStatus(&next)
	})
}

// AddComment leaves a note on a document for a layer.
func (s *Store) AddComment(ctx context.Context, c annotate.Comment) (annotate.Comment, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		layerID, err := s.layerID(ctx, tx, c.Layer)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO comments(doc_id, layer_id, text) VALUES (?, ?, ?)`, c.DocID, layerID, c.Text)
		if err != nil {
			return err
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	return c, err
}

// Comments lists the notes on a document, oldest first.
func (s *Store) Comments(ctx context.Context, docID int64) ([]annotate.Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, ly.name, c.text, c.created_at FROM comments c
		JOIN layers ly ON ly.id = c.layer_id WHERE c.doc_id = ? ORDER BY c.id`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []annotate.Comment
	for rows.Next() {
		c := annotate.Comment{DocID: docID}
		var created string
		if err := rows.Scan(&c.ID, &c.Layer, &c.Text, &created); err != nil {
			return nil, err
		}
		c.Created = parseTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReplaceSpans removes some spans of one document and layer and adds
// others, as one undoable edit of the given kind: either all of it happens
// or none. The added spans are checked against what remains.
func (s *Store) ReplaceSpans(ctx context.Context, docID int64, layer, kind string, remove []int64, add []annotate.Span) ([]annotate.Span, error) {
	out := make([]annotate.Span, len(add))
	err := s.edit(ctx, layer, docID, kind, func(e *editTx) error {
		for _, id := range remove {
			if err := e.deleteSpan(id); err != nil {
				return err
			}
		}
		c, err := e.checker()
		if err != nil {
			return err
		}
		for i, sp := range add {
			sp.ID = 0
			r, err := c.row(sp, 0)
			if err != nil {
				return err
			}
			if r, err = e.insertSpan(r); err != nil {
				return err
			}
			c.existing = append(c.existing, r)
			out[i] = annotate.Span{ID: r.ID, DocID: docID, Layer: layer, Start: r.Start, End: r.End, Label: sp.Label, Origin: annotate.Origin(r.Origin)}
		}
		return e.touch()
	})
	return out, err
}
