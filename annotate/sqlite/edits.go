package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/qalam-annotate/qalam/annotate"
)

// An edit is a list of operations on one layer of one document, applied in
// one transaction and logged with enough to reverse each of them.
type op struct {
	Op     string     `json:"op"` // insert, delete, update, status
	Span   *spanRow   `json:"span,omitempty"`
	Before *spanRow   `json:"before,omitempty"` // update: the span before
	Status *statusRow `json:"status,omitempty"`
	Was    *statusRow `json:"was,omitempty"` // status: before; nil = no row
}

type spanRow struct {
	ID      int64  `json:"id"`
	LabelID int64  `json:"label"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Origin  string `json:"origin"`
}

type statusRow struct {
	Status  annotate.Status `json:"status"`
	Flagged bool            `json:"flagged"`
}

// editTx is an open edit: its methods change the database and record how.
type editTx struct {
	ctx     context.Context
	tx      *sql.Tx
	layerID int64
	docID   int64
	ops     []op
	// logged, when set, runs in the transaction once the edit is in the
	// log, with the edit's id (for rows that belong to the edit).
	logged func(editID int64) error
}

func (e *editTx) insertSpan(r spanRow) (spanRow, error) {
	res, err := e.tx.ExecContext(e.ctx, `INSERT INTO spans(id, doc_id, layer_id, label_id, start, end, origin)
		VALUES (NULLIF(?, 0), ?, ?, ?, ?, ?, ?)`, r.ID, e.docID, e.layerID, r.LabelID, r.Start, r.End, r.Origin)
	if err != nil {
		return r, err
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return r, err
	}
	e.ops = append(e.ops, op{Op: "insert", Span: &r})
	return r, nil
}

func (e *editTx) span(id int64) (spanRow, error) {
	var r spanRow
	err := e.tx.QueryRowContext(e.ctx, `SELECT id, label_id, start, end, origin FROM spans
		WHERE id = ? AND doc_id = ? AND layer_id = ?`, id, e.docID, e.layerID).Scan(&r.ID, &r.LabelID, &r.Start, &r.End, &r.Origin)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("span %d: %w", id, annotate.ErrNotFound)
	}
	return r, err
}

func (e *editTx) deleteSpan(id int64) error {
	r, err := e.span(id)
	if err != nil {
		return err
	}
	if _, err := e.tx.ExecContext(e.ctx, `DELETE FROM spans WHERE id = ?`, id); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "delete", Span: &r})
	return nil
}

func (e *editTx) updateSpan(r spanRow) error {
	before, err := e.span(r.ID)
	if err != nil {
		return err
	}
	if _, err := e.tx.ExecContext(e.ctx, `UPDATE spans SET label_id = ?, start = ?, end = ?, origin = ? WHERE id = ?`,
		r.LabelID, r.Start, r.End, r.Origin, r.ID); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "update", Span: &r, Before: &before})
	return nil
}

func (e *editTx) status() (*statusRow, error) {
	var st statusRow
	err := e.tx.QueryRowContext(e.ctx, `SELECT status, flagged FROM doc_status WHERE doc_id = ? AND layer_id = ?`,
		e.docID, e.layerID).Scan(&st.Status, &st.Flagged)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &st, err
}

func (e *editTx) setStatus(st *statusRow) error {
	was, err := e.status()
	if err != nil {
		return err
	}
	if err := writeStatus(e.ctx, e.tx, e.docID, e.layerID, st); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "status", Status: st, Was: was})
	return nil
}

func writeStatus(ctx context.Context, tx *sql.Tx, docID, layerID int64, st *statusRow) error {
	if st == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM doc_status WHERE doc_id = ? AND layer_id = ?`, docID, layerID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged) VALUES (?, ?, ?, ?)
		ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, docID, layerID, st.Status, st.Flagged)
	return err
}

// touch marks a todo document in progress once its layer changes.
func (e *editTx) touch() error {
	st, err := e.status()
	if err != nil {
		return err
	}
	if st == nil || st.Status == annotate.Todo {
		next := &statusRow{Status: annotate.InProgress}
		if st != nil {
			next.Flagged = st.Flagged
		}
		return e.setStatus(next)
	}
	return nil
}

// edit runs fn as one logged, undoable edit of layer on document docID.
func (s *Store) edit(ctx context.Context, layer string, docID int64, kind string, fn func(e *editTx) error) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		layerID, err := s.layerID(ctx, tx, layer)
		if err != nil {
			return err
		}
		e := &editTx{ctx: ctx, tx: tx, layerID: layerID, docID: docID}
		if err := fn(e); err != nil {
			return err
		}
		if len(e.ops) == 0 {
			return nil
		}
		ops, err := json.Marshal(e.ops)
		if err != nil {
			return err
		}
		// A new edit ends what could be redone in this layer and document.
		if _, err := tx.ExecContext(ctx, `DELETE FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 1`, layerID, docID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO edits(layer_id, doc_id, kind, ops) VALUES (?, ?, ?, ?)`, layerID, docID, kind, string(ops))
		if err != nil || e.logged == nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		return e.logged(id)
	})
	if err == nil {
		s.rememberLayer(ctx, layer)
	}
	return err
}

// rememberLayer caches a layer id once the transaction that may have
// created it has committed.
func (s *Store) rememberLayer(ctx context.Context, layer string) {
	s.lookupLayer(ctx, layer) //nolint:errcheck // only a cache
}

// Undo reverses the newest edit of layer on document docID.
func (s *Store) Undo(ctx context.Context, layer string, docID int64) (annotate.Edit, error) {
	return s.replay(ctx, layer, docID, true)
}

// Redo applies again the edit Undo reversed last.
func (s *Store) Redo(ctx context.Context, layer string, docID int64) (annotate.Edit, error) {
	return s.replay(ctx, layer, docID, false)
}

func (s *Store) replay(ctx context.Context, layer string, docID int64, undo bool) (annotate.Edit, error) {
	ed := annotate.Edit{DocID: docID, Layer: layer}
	layerID, ok, err := s.lookupLayer(ctx, layer)
	if err != nil {
		return ed, err
	}
	none := annotate.ErrNothingToRedo
	q := `SELECT id, kind, ops FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 1 ORDER BY id LIMIT 1`
	if undo {
		none = annotate.ErrNothingToUndo
		q = `SELECT id, kind, ops FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1`
	}
	if !ok {
		return ed, none
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var raw string
		if err := tx.QueryRowContext(ctx, q, layerID, docID).Scan(&ed.ID, &ed.Kind, &raw); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return none
			}
			return err
		}
		var ops []op
		if err := json.Unmarshal([]byte(raw), &ops); err != nil {
			return fmt.Errorf("edit %d: %w", ed.ID, err)
		}
		if undo {
			for i := len(ops) - 1; i >= 0; i-- {
				if err := applyOp(ctx, tx, layerID, docID, inverse(ops[i])); err != nil {
					return fmt.Errorf("undo %s: %w", ed.Kind, err)
				}
			}
		} else {
			for _, o := range ops {
				if err := applyOp(ctx, tx, layerID, docID, o); err != nil {
					return fmt.Errorf("redo %s: %w", ed.Kind, err)
				}
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE edits SET undone = ? WHERE id = ?`, undo, ed.ID)
		return err
	})
	return ed, err
}

func inverse(o op) op {
	switch o.Op {
	case "insert":
		return op{Op: "delete", Span: o.Span}
	case "delete":
		return op{Op: "insert", Span: o.Span}
	case "update":
		return op{Op: "update", Span: o.Before, Before: o.Span}
	case "status":
		return op{Op: "status", Status: o.Was, Was: o.Status}
	}
	return o
}

func applyOp(ctx context.Context, tx *sql.Tx, layerID, docID int64, o op) error {
	var err error
	switch o.Op {
	case "insert":
		r := o.Span
		_, err = tx.ExecContext(ctx, `INSERT INTO spans(id, doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.ID, docID, layerID, r.LabelID, r.Start, r.End, r.Origin)
	case "delete":
		_, err = tx.ExecContext(ctx, `DELETE FROM spans WHERE id = ? AND layer_id = ?`, o.Span.ID, layerID)
	case "update":
		r := o.Span
		_, err = tx.ExecContext(ctx, `UPDATE spans SET label_id = ?, start = ?, end = ?, origin = ? WHERE id = ? AND layer_id = ?`,
			r.LabelID, r.Start, r.End, r.Origin, r.ID, layerID)
	case "status":
		err = writeStatus(ctx, tx, docID, layerID, o.Status)
	default:
		err = fmt.Errorf("unknown operation %q", o.Op)
	}
	return err
}
