package sqlite

import (
	"context"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// Stretch is a range of a document's text in code points, end exclusive.
type Stretch struct {
	Start, End int
}

// Covers reports whether the stretch holds all of [start, end).
func (s Stretch) Covers(start, end int) bool { return s.Start <= start && end <= s.End }

// Decision settles one stretch of a document in the gold layer: gold's
// spans there become Spans (one layer's version, the union of several, an
// edit, or nothing at all).
type Decision struct {
	Start, End int
	// Spans are read for their positions and labels only. The stretch
	// grows to cover any that reach beyond it.
	Spans []annotate.Span
}

// Settle records decisions on a document as one undoable edit of gold: in
// each decision's stretch, gold's spans that overlap it and are not among
// the decision's spans are removed, and the decision's spans gold lacks
// are added. The stretches are remembered as settled (see Settled) with
// the edit, so Undo unsettles them and Redo settles them again; a
// decision to keep nothing is remembered as well as any other. Gold's
// status on the document becomes in progress, or done with finish. Either
// all of it happens or none.
func (s *Store) Settle(ctx context.Context, docID int64, decisions []Decision, finish bool) error {
	if len(decisions) == 0 && !finish {
		return nil
	}
	type key struct {
		start, end int
		label      int64
	}
	return s.edit(ctx, annotate.Gold, docID, "adjudicate", func(e *editTx) error {
		c, err := e.checker()
		if err != nil {
			return err
		}
		stretches := make([]Stretch, len(decisions))
		want := map[key]annotate.Span{}
		var order []key
		for i, d := range decisions {
			st := Stretch{d.Start, d.End}
			for _, sp := range d.Spans {
				// The spans come from other layers: gold gets copies.
				sp.ID, sp.DocID, sp.Layer, sp.Origin = 0, docID, annotate.Gold, annotate.Manual
				if err := sp.Validate(c.length, c.labels); err != nil {
					return err
				}
				st.Start, st.End = min(st.Start, sp.Start), max(st.End, sp.End)
				k := key{sp.Start, sp.End, c.labelIDs[sp.Label]}
				if _, ok := want[k]; !ok {
					want[k] = sp
					order = append(order, k)
				}
			}
			if st.Start < 0 || st.End > c.length || st.Start >= st.End {
				return fmt.Errorf("%w: stretch [%d,%d) in a text of %d code points", annotate.ErrSpanRange, st.Start, st.End, c.length)
			}
			stretches[i] = st
		}
		inStretch := func(start, end int) bool {
			for _, st := range stretches {
				if start < st.End && st.Start < end {
					return true
				}
			}
			return false
		}
		kept := map[key]bool{}
		var rest []spanRow
		for _, r := range c.existing {
			if !inStretch(r.Start, r.End) {
				rest = append(rest, r)
				continue
			}
			k := key{r.Start, r.End, r.LabelID}
			if _, ok := want[k]; ok && !kept[k] {
				kept[k] = true
				rest = append(rest, r)
				continue
			}
			if err := e.deleteSpan(r.ID); err != nil {
				return err
			}
		}
		c.existing = rest
		for _, k := range order {
			if kept[k] {
				continue
			}
			r, err := c.row(want[k], 0)
			if err != nil {
				return err
			}
			if r, err = e.insertSpan(r); err != nil {
				return err
			}
			c.existing = append(c.existing, r)
		}
		// The status is always written, even unchanged, so that the edit is
		// logged (and its stretches remembered) when gold held the chosen
		// spans already.
		was, err := e.status()
		if err != nil {
			return err
		}
		next := statusRow{Status: annotate.InProgress}
		if was != nil {
			next = *was
			if next.Status == annotate.Todo {
				next.Status = annotate.InProgress
			}
		}
		if finish {
			next.Status = annotate.Done
		}
		if err := e.setStatus(&next); err != nil {
			return err
		}
		e.logged = func(editID int64) error {
			for _, st := range stretches {
				if _, err := e.tx.ExecContext(ctx, `INSERT INTO adjudications(edit_id, start, end) VALUES (?, ?, ?)
					ON CONFLICT DO NOTHING`, editID, st.Start, st.End); err != nil {
					return err
				}
			}
			return nil
		}
		return nil
	})
}

// Settled lists the stretches of a document that gold's live edits (not
// undone) settled, in text order; they may overlap; each is listed once.
func (s *Store) Settled(ctx context.Context, docID int64) ([]Stretch, error) {
	all, err := s.settled(ctx, docID)
	return all[docID], err
}

// AllSettled gives the settled stretches of every document that has some,
// by document id.
func (s *Store) AllSettled(ctx context.Context) (map[int64][]Stretch, error) {
	return s.settled(ctx, 0)
}

func (s *Store) settled(ctx context.Context, docID int64) (map[int64][]Stretch, error) {
	out := map[int64][]Stretch{}
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
		var st Stretch
		if err := rows.Scan(&doc, &st.Start, &st.End); err != nil {
			return nil, err
		}
		out[doc] = append(out[doc], st)
	}
	return out, rows.Err()
}

// IsSettled reports whether one of the stretches covers [start, end).
func IsSettled(settled []Stretch, start, end int) bool {
	for _, st := range settled {
		if st.Covers(start, end) {
			return true
		}
	}
	return false
}
