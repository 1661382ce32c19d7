package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
)

// An edit is a list of operations on one layer of one document, applied in
// one transaction and logged with enough to reverse each of them (the
// same operations as a project file's log).
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

// editTx is an open edit: the store's annotate.LayerEdit.
type editTx struct {
	ctx     context.Context
	tx      pgx.Tx
	layer   string
	layerID int64
	docID   int64
	ops     []op

	rules    *annotate.SpanRules
	labelIDs map[string]int64
	labels   map[int64]string
	spans    []annotate.Span
	loaded   bool
	state    *statusRow
	stateOK  bool
	settled  []annotate.Stretch
}

var _ annotate.LayerEdit = (*editTx)(nil)

// prepare reads, in one round trip, what the edit checks against: the
// labels, the document's length, the overlap setting and the layer's
// spans.
func (e *editTx) prepare() error {
	if e.loaded {
		return nil
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT id, name, color, hotkey FROM labels ORDER BY position, id`)
	b.Queue(`SELECT length FROM documents WHERE id = $1`, e.docID)
	b.Queue(`SELECT COALESCE((SELECT value FROM settings WHERE key = $1), 'true')`, settingAllowOverlap)
	b.Queue(`SELECT id, label_id, start, "end", origin FROM spans WHERE doc_id = $1 AND layer_id = $2
		ORDER BY start, "end", id`, e.docID, e.layerID)
	br := e.tx.SendBatch(e.ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return err
	}
	e.labelIDs, e.labels = map[string]int64{}, map[int64]string{}
	var set annotate.LabelSet
	var id int64
	var l annotate.Label
	if _, err := pgx.ForEachRow(rows, []any{&id, &l.Name, &l.Color, &l.Hotkey}, func() error {
		set = append(set, l)
		e.labelIDs[l.Name], e.labels[id] = id, l.Name
		return nil
	}); err != nil {
		return err
	}
	e.rules = &annotate.SpanRules{Labels: set}
	if err := br.QueryRow().Scan(&e.rules.TextLen); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("document %d: %w", e.docID, annotate.ErrNotFound)
		}
		return err
	}
	var overlap string
	if err := br.QueryRow().Scan(&overlap); err != nil {
		return err
	}
	e.rules.AllowOverlap = overlap == "true"
	if rows, err = br.Query(); err != nil {
		return err
	}
	var r spanRow
	if _, err := pgx.ForEachRow(rows, []any{&r.ID, &r.LabelID, &r.Start, &r.End, &r.Origin}, func() error {
		e.spans = append(e.spans, e.span(r))
		return nil
	}); err != nil {
		return err
	}
	e.loaded = true
	return nil
}

func (e *editTx) span(r spanRow) annotate.Span {
	return annotate.Span{ID: r.ID, DocID: e.docID, Layer: e.layer, Start: r.Start, End: r.End, Label: e.labels[r.LabelID], Origin: annotate.Origin(r.Origin)}
}

func (e *editTx) row(sp annotate.Span) (spanRow, error) {
	id, ok := e.labelIDs[sp.Label]
	if !ok {
		return spanRow{}, fmt.Errorf("%w %q for span [%d,%d)", annotate.ErrUnknownLabel, sp.Label, sp.Start, sp.End)
	}
	return spanRow{ID: sp.ID, LabelID: id, Start: sp.Start, End: sp.End, Origin: string(sp.Origin)}, nil
}

func (e *editTx) Rules() (annotate.SpanRules, error) {
	if err := e.prepare(); err != nil {
		return annotate.SpanRules{}, err
	}
	return *e.rules, nil
}

func (e *editTx) Spans() ([]annotate.Span, error) {
	if err := e.prepare(); err != nil {
		return nil, err
	}
	return e.spans, nil
}

func (e *editTx) Insert(sp annotate.Span) (annotate.Span, error) {
	if err := e.prepare(); err != nil {
		return sp, err
	}
	if sp.Origin == "" {
		sp.Origin = annotate.Manual
	}
	r, err := e.row(sp)
	if err != nil {
		return sp, err
	}
	if err := e.tx.QueryRow(e.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, "end", origin)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.docID, e.layerID, r.LabelID, r.Start, r.End, r.Origin).Scan(&r.ID); err != nil {
		return sp, err
	}
	e.ops = append(e.ops, op{Op: "insert", Span: &r})
	out := e.span(r)
	e.spans = insertSorted(e.spans, out)
	return out, nil
}

func (e *editTx) find(id int64) (int, error) {
	if err := e.prepare(); err != nil {
		return -1, err
	}
	for i, sp := range e.spans {
		if sp.ID == id {
			return i, nil
		}
	}
	return -1, fmt.Errorf("span %d: %w", id, annotate.ErrNotFound)
}

func (e *editTx) Delete(id int64) error {
	i, err := e.find(id)
	if err != nil {
		return err
	}
	r, err := e.row(e.spans[i])
	if err != nil {
		return err
	}
	if _, err := e.tx.Exec(e.ctx, `DELETE FROM spans WHERE id = $1`, id); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "delete", Span: &r})
	e.spans = append(e.spans[:i:i], e.spans[i+1:]...)
	return nil
}

func (e *editTx) Update(sp annotate.Span) error {
	i, err := e.find(sp.ID)
	if err != nil {
		return err
	}
	before, err := e.row(e.spans[i])
	if err != nil {
		return err
	}
	r, err := e.row(sp)
	if err != nil {
		return err
	}
	if _, err := e.tx.Exec(e.ctx, `UPDATE spans SET label_id = $1, start = $2, "end" = $3, origin = $4 WHERE id = $5`,
		r.LabelID, r.Start, r.End, r.Origin, r.ID); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "update", Span: &r, Before: &before})
	e.spans = insertSorted(append(e.spans[:i:i], e.spans[i+1:]...), e.span(r))
	return nil
}

// insertSorted adds sp to spans in text order.
func insertSorted(spans []annotate.Span, sp annotate.Span) []annotate.Span {
	i := sort.Search(len(spans), func(i int) bool {
		o := spans[i]
		return o.Start > sp.Start || o.Start == sp.Start && (o.End > sp.End || o.End == sp.End && o.ID > sp.ID)
	})
	return slices.Insert(spans, i, sp)
}

func (e *editTx) status() (*statusRow, error) {
	if e.stateOK {
		return e.state, nil
	}
	var st statusRow
	err := e.tx.QueryRow(e.ctx, `SELECT status, flagged FROM doc_status WHERE doc_id = $1 AND layer_id = $2`,
		e.docID, e.layerID).Scan(&st.Status, &st.Flagged)
	if errors.Is(err, pgx.ErrNoRows) {
		e.stateOK = true
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e.state, e.stateOK = &st, true
	return e.state, nil
}

func (e *editTx) State() (annotate.DocState, bool, error) {
	st, err := e.status()
	if err != nil || st == nil {
		return annotate.DocState{Status: annotate.Todo}, false, err
	}
	return annotate.DocState{Status: st.Status, Flagged: st.Flagged}, true, nil
}

func (e *editTx) SetState(s annotate.DocState) error {
	if err := e.prepare(); err != nil { // the document must exist
		return err
	}
	was, err := e.status()
	if err != nil {
		return err
	}
	st := &statusRow{Status: s.Status, Flagged: s.Flagged}
	if err := writeStatus(e.ctx, e.tx, e.docID, e.layerID, st); err != nil {
		return err
	}
	e.ops = append(e.ops, op{Op: "status", Status: st, Was: was})
	e.state, e.stateOK = st, true
	return nil
}

func (e *editTx) Settle(stretches []annotate.Stretch) {
	e.settled = append(e.settled, stretches...)
}

func writeStatus(ctx context.Context, tx pgx.Tx, docID, layerID int64, st *statusRow) error {
	if st == nil {
		_, err := tx.Exec(ctx, `DELETE FROM doc_status WHERE doc_id = $1 AND layer_id = $2`, docID, layerID)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged) VALUES ($1, $2, $3, $4)
		ON CONFLICT (doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged,
		updated_at = now()`, docID, layerID, st.Status, st.Flagged)
	return err
}

// lockEdits serialises the edits, undos and redos of one layer on one
// document (two windows of one annotator): the second waits for the
// first to commit, then sees what it did.
func lockEdits(ctx context.Context, tx pgx.Tx, layerID, docID int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1::bigint << 40 # $2::bigint)`, layerID, docID)
	return err
}

// Edit runs fn as one logged, undoable edit of layer on document docID.
func (s *Store) Edit(ctx context.Context, layer string, docID int64, kind string, fn func(annotate.LayerEdit) error) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		layerID, err := s.layerID(ctx, tx, layer)
		if err != nil {
			return err
		}
		if err := lockEdits(ctx, tx, layerID, docID); err != nil {
			return err
		}
		e := &editTx{ctx: ctx, tx: tx, layer: layer, layerID: layerID, docID: docID}
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
		b := &pgx.Batch{}
		// A new edit ends what could be redone in this layer and document.
		b.Queue(`DELETE FROM edits WHERE layer_id = $1 AND doc_id = $2 AND undone`, layerID, docID)
		var editID int64
		b.Queue(`INSERT INTO edits(layer_id, doc_id, kind, ops) VALUES ($1, $2, $3, $4) RETURNING id`,
			layerID, docID, kind, ops).QueryRow(func(row pgx.Row) error { return row.Scan(&editID) })
		if err := tx.SendBatch(ctx, b).Close(); err != nil || len(e.settled) == 0 {
			return err
		}
		// (A statement apart: row-level security checks the edit's layer,
		// which the statement that inserts the edit could not see.)
		_, err = tx.Exec(ctx, `INSERT INTO adjudications(edit_id, start, "end")
			SELECT DISTINCT $1::bigint, st.s, st.e FROM unnest($2::int[], $3::int[]) AS st(s, e)`,
			editID, stretchStarts(e.settled), stretchEnds(e.settled))
		return err
	})
	if err != nil {
		return fmt.Errorf("%s in layer %s of document %d: %w", kind, layer, docID, err)
	}
	s.lookupLayer(ctx, layer) //nolint:errcheck // only fills the cache
	return nil
}

func stretchStarts(st []annotate.Stretch) []int32 {
	out := make([]int32, len(st))
	for i, x := range st {
		out[i] = int32(x.Start)
	}
	return out
}

func stretchEnds(st []annotate.Stretch) []int32 {
	out := make([]int32, len(st))
	for i, x := range st {
		out[i] = int32(x.End)
	}
	return out
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
	q := `SELECT id, kind, ops FROM edits WHERE layer_id = $1 AND doc_id = $2 AND undone ORDER BY id LIMIT 1`
	if undo {
		none = annotate.ErrNothingToUndo
		q = `SELECT id, kind, ops FROM edits WHERE layer_id = $1 AND doc_id = $2 AND NOT undone ORDER BY id DESC LIMIT 1`
	}
	if !ok {
		return ed, none
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockEdits(ctx, tx, layerID, docID); err != nil {
			return err
		}
		var ops []op
		if err := tx.QueryRow(ctx, q, layerID, docID).Scan(&ed.ID, &ed.Kind, &ops); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return none
			}
			return err
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
		_, err := tx.Exec(ctx, `UPDATE edits SET undone = $1 WHERE id = $2`, undo, ed.ID)
		return err
	})
	if err != nil && !errors.Is(err, none) {
		verb := "redo"
		if undo {
			verb = "undo"
		}
		return ed, fmt.Errorf("%s in layer %s of document %d: %w", verb, layer, docID, err)
	}
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

func applyOp(ctx context.Context, tx pgx.Tx, layerID, docID int64, o op) error {
	var err error
	switch o.Op {
	case "insert":
		r := o.Span
		_, err = tx.Exec(ctx, `INSERT INTO spans(id, doc_id, layer_id, label_id, start, "end", origin) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.ID, docID, layerID, r.LabelID, r.Start, r.End, r.Origin)
	case "delete":
		_, err = tx.Exec(ctx, `DELETE FROM spans WHERE id = $1 AND layer_id = $2`, o.Span.ID, layerID)
	case "update":
		r := o.Span
		_, err = tx.Exec(ctx, `UPDATE spans SET label_id = $1, start = $2, "end" = $3, origin = $4 WHERE id = $5 AND layer_id = $6`,
			r.LabelID, r.Start, r.End, r.Origin, r.ID, layerID)
	case "status":
		err = writeStatus(ctx, tx, docID, layerID, o.Status)
	default:
		err = fmt.Errorf("unknown operation %q", o.Op)
	}
	return err
}
