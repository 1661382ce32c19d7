package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/editlog"
)

// editTx is an open edit: the store's annotate.LayerEdit. Its methods
// change the database and record how, so that the edit can be undone.
type editTx struct {
	ctx     context.Context
	tx      *sql.Tx
	layerID int64
	docID   int64
	draft   editlog.Draft // read on first use, then kept up to date

	labelsRead bool
	loaded     bool // labels, rules and spans read
	stateOK    bool // status read
}

var _ annotate.LayerEdit = (*editTx)(nil)

// loadLabels reads the label set and its ids.
func (e *editTx) loadLabels() error {
	if e.labelsRead {
		return nil
	}
	rows, err := e.tx.QueryContext(e.ctx, `SELECT id, name, color, hotkey FROM labels ORDER BY position, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var l annotate.Label
		var id int64
		if err := rows.Scan(&id, &l.Name, &l.Color, &l.Hotkey); err != nil {
			return err
		}
		e.draft.AddLabel(id, l)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	e.labelsRead = true
	return nil
}

// prepare reads what the edit checks against: the document's length, the
// labels, the overlap setting and the layer's spans.
func (e *editTx) prepare() error {
	if e.loaded {
		return nil
	}
	if err := e.loadLabels(); err != nil {
		return err
	}
	if err := e.tx.QueryRowContext(e.ctx, `SELECT length FROM documents WHERE id = ?`, e.docID).Scan(&e.draft.Rules.TextLen); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("document %d: %w", e.docID, annotate.ErrNotFound)
		}
		return err
	}
	var v string
	if err := e.tx.QueryRowContext(e.ctx, `SELECT COALESCE((SELECT value FROM settings WHERE key = ?), 'true')`, settingAllowOverlap).Scan(&v); err != nil {
		return err
	}
	e.draft.Rules.AllowOverlap = v == "true"
	rows, err := e.tx.QueryContext(e.ctx, `SELECT id, label_id, start, end, origin FROM spans
		WHERE doc_id = ? AND layer_id = ? ORDER BY start, end, id`, e.docID, e.layerID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r editlog.SpanRow
		if err := rows.Scan(&r.ID, &r.LabelID, &r.Start, &r.End, &r.Origin); err != nil {
			return err
		}
		e.draft.Spans = append(e.draft.Spans, e.draft.Span(r))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	e.loaded = true
	return nil
}

func (e *editTx) Rules() (annotate.SpanRules, error) {
	if err := e.prepare(); err != nil {
		return annotate.SpanRules{}, err
	}
	return e.draft.Rules, nil
}

func (e *editTx) Spans() ([]annotate.Span, error) {
	if err := e.prepare(); err != nil {
		return nil, err
	}
	return e.draft.Spans, nil
}

func (e *editTx) Insert(sp annotate.Span) (annotate.Span, error) {
	if err := e.prepare(); err != nil {
		return sp, err
	}
	r, err := e.draft.NewRow(sp)
	if err != nil {
		return sp, err
	}
	res, err := e.tx.ExecContext(e.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin)
		VALUES (?, ?, ?, ?, ?, ?)`, e.docID, e.layerID, r.LabelID, r.Start, r.End, r.Origin)
	if err != nil {
		return sp, err
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return sp, err
	}
	return e.draft.Inserted(r), nil
}

// find returns the index in the edit's spans of the span with that id,
// and its row.
func (e *editTx) find(id int64) (int, editlog.SpanRow, error) {
	if err := e.prepare(); err != nil {
		return -1, editlog.SpanRow{}, err
	}
	return e.draft.Find(id)
}

func (e *editTx) Delete(id int64) error {
	i, r, err := e.find(id)
	if err != nil {
		return err
	}
	if _, err := e.tx.ExecContext(e.ctx, `DELETE FROM spans WHERE id = ?`, id); err != nil {
		return err
	}
	e.draft.Deleted(i, r)
	return nil
}

func (e *editTx) Update(sp annotate.Span) error {
	i, before, err := e.find(sp.ID)
	if err != nil {
		return err
	}
	r, err := e.draft.Row(sp)
	if err != nil {
		return err
	}
	if _, err := e.tx.ExecContext(e.ctx, `UPDATE spans SET label_id = ?, start = ?, end = ?, origin = ? WHERE id = ?`,
		r.LabelID, r.Start, r.End, r.Origin, r.ID); err != nil {
		return err
	}
	e.draft.Updated(i, before, r)
	return nil
}

// readStatus reads the layer's status on the document into the draft,
// once.
func (e *editTx) readStatus() error {
	if e.stateOK {
		return nil
	}
	var st editlog.StatusRow
	err := e.tx.QueryRowContext(e.ctx, `SELECT status, flagged FROM doc_status WHERE doc_id = ? AND layer_id = ?`,
		e.docID, e.layerID).Scan(&st.Status, &st.Flagged)
	if errors.Is(err, sql.ErrNoRows) {
		e.stateOK = true
		return nil
	}
	if err != nil {
		return err
	}
	e.draft.Status, e.stateOK = &st, true
	return nil
}

func (e *editTx) State() (annotate.DocState, bool, error) {
	if err := e.readStatus(); err != nil {
		return annotate.DocState{Status: annotate.Todo}, false, err
	}
	st, ok := e.draft.State()
	return st, ok, nil
}

func (e *editTx) SetState(s annotate.DocState) error {
	if err := e.prepare(); err != nil { // the document must exist
		return err
	}
	if err := e.readStatus(); err != nil { // what undo restores
		return err
	}
	st := &editlog.StatusRow{Status: s.Status, Flagged: s.Flagged}
	if err := writeStatus(e.ctx, e.tx, e.docID, e.layerID, st); err != nil {
		return err
	}
	e.draft.StatusSet(st)
	return nil
}

func (e *editTx) Settle(stretches []annotate.Stretch) {
	e.draft.Settled = append(e.draft.Settled, stretches...)
}

func writeStatus(ctx context.Context, tx *sql.Tx, docID, layerID int64, st *editlog.StatusRow) error {
	if st == nil {
		_, err := tx.ExecContext(ctx, `DELETE FROM doc_status WHERE doc_id = ? AND layer_id = ?`, docID, layerID)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged) VALUES (?, ?, ?, ?)
		ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, docID, layerID, st.Status, st.Flagged)
	return err
}

// Edit runs fn as one logged, undoable edit of layer on document docID.
func (s *Store) Edit(ctx context.Context, layer string, docID int64, kind string, fn func(annotate.LayerEdit) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s in layer %s of %s: %w", kind, layer, s.docLabel(ctx, docID), classify(err))
		}
	}()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		layerID, err := s.layerID(ctx, tx, layer)
		if err != nil {
			return err
		}
		e := &editTx{ctx: ctx, tx: tx, layerID: layerID, docID: docID, draft: editlog.NewDraft(layer, docID)}
		if err := fn(e); err != nil {
			return err
		}
		if len(e.draft.Ops) == 0 {
			return nil
		}
		ops, err := json.Marshal(e.draft.Ops)
		if err != nil {
			return err
		}
		// A new edit ends what could be redone in this layer and document.
		if _, err := tx.ExecContext(ctx, `DELETE FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 1`, layerID, docID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO edits(layer_id, doc_id, kind, ops) VALUES (?, ?, ?, ?)`, layerID, docID, kind, string(ops))
		if err != nil || len(e.draft.Settled) == 0 {
			return err
		}
		editID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, st := range e.draft.Settled {
			if _, err := tx.ExecContext(ctx, `INSERT INTO adjudications(edit_id, start, end) VALUES (?, ?, ?)
				ON CONFLICT DO NOTHING`, editID, st.Start, st.End); err != nil {
				return err
			}
		}
		return nil
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
func (s *Store) Undo(ctx context.Context, layer string, docID int64) (_ annotate.Edit, err error) {
	defer wrap(&err, "undo in layer %s of document %d", layer, docID)
	return s.replay(ctx, layer, docID, true)
}

// Redo applies again the edit Undo reversed last.
func (s *Store) Redo(ctx context.Context, layer string, docID int64) (_ annotate.Edit, err error) {
	defer wrap(&err, "redo in layer %s of document %d", layer, docID)
	return s.replay(ctx, layer, docID, false)
}

func (s *Store) replay(ctx context.Context, layer string, docID int64, undo bool) (annotate.Edit, error) {
	ed := annotate.Edit{DocID: docID, Layer: layer}
	layerID, ok, err := s.lookupLayer(ctx, layer)
	if err != nil {
		return ed, err
	}
	none, verb := annotate.ErrNothingToRedo, "redo"
	q := `SELECT id, kind, ops FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 1 ORDER BY id LIMIT 1`
	if undo {
		none, verb = annotate.ErrNothingToUndo, "undo"
		q = `SELECT id, kind, ops FROM edits WHERE layer_id = ? AND doc_id = ? AND undone = 0 ORDER BY id DESC LIMIT 1`
	}
	if !ok {
		return ed, none
	}
	var found bool
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var raw string
		if err := tx.QueryRowContext(ctx, q, layerID, docID).Scan(&ed.ID, &ed.Kind, &raw); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return none
			}
			return err
		}
		found = true
		var ops []editlog.Op
		if err := json.Unmarshal([]byte(raw), &ops); err != nil {
			return err
		}
		r := &replayer{ctx: ctx, tx: tx, layerID: layerID, docID: docID}
		for _, o := range editlog.Steps(ops, undo) {
			if err := r.apply(o); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE edits SET undone = ? WHERE id = ?`, undo, ed.ID); err != nil {
			return err
		}
		return r.renumber()
	})
	if err == nil || errors.Is(err, none) || !found || ctx.Err() != nil {
		return ed, err
	}
	// The step cannot be replayed: it leaves the history, so that the
	// annotator can go on with the edits before it, and says why.
	if derr := s.inTx(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM edits WHERE id = ?`, ed.ID)
		return err
	}); derr != nil {
		return ed, fmt.Errorf("%s %s: %w", verb, ed.Kind, err)
	}
	return ed, fmt.Errorf("%s %s: %w (%w)", verb, ed.Kind, annotate.ErrReplayFailed, err)
}

// replayer applies logged operations to one layer of one document.
type replayer struct {
	ctx     context.Context
	tx      *sql.Tx
	layerID int64
	docID   int64
	// moved maps ids of spans that came back under a new id (the old one
	// had been given to another span before ids were never reused).
	moved map[int64]int64
}

func (r *replayer) id(id int64) int64 {
	if to, ok := r.moved[id]; ok {
		return to
	}
	return id
}

func (r *replayer) apply(o editlog.Op) error {
	var err error
	switch o.Op {
	case "insert":
		sp := o.Span
		var res sql.Result
		res, err = r.tx.ExecContext(r.ctx, `INSERT INTO spans(id, doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO NOTHING`, r.id(sp.ID), r.docID, r.layerID, sp.LabelID, sp.Start, sp.End, sp.Origin)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// The id is another span's: the span comes back by its
			// content, under a new id.
			if res, err = r.tx.ExecContext(r.ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?)`,
				r.docID, r.layerID, sp.LabelID, sp.Start, sp.End, sp.Origin); err != nil {
				return err
			}
			to, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if r.moved == nil {
				r.moved = map[int64]int64{}
			}
			r.moved[sp.ID] = to
		}
	case "delete":
		_, err = r.tx.ExecContext(r.ctx, `DELETE FROM spans WHERE id = ? AND layer_id = ? AND doc_id = ?`, r.id(o.Span.ID), r.layerID, r.docID)
	case "update":
		sp := o.Span
		_, err = r.tx.ExecContext(r.ctx, `UPDATE spans SET label_id = ?, start = ?, end = ?, origin = ? WHERE id = ? AND layer_id = ? AND doc_id = ?`,
			sp.LabelID, sp.Start, sp.End, sp.Origin, r.id(sp.ID), r.layerID, r.docID)
	case "status":
		err = writeStatus(r.ctx, r.tx, r.docID, r.layerID, o.Status)
	case "reject", "restore":
		_, err = setRejected(r.ctx, r.tx, r.layerID, r.docID, o)
	default:
		err = fmt.Errorf("unknown operation %q", o.Op)
	}
	return err
}

// renumber rewrites the history of the layer on the document for spans
// that came back under new ids.
func (r *replayer) renumber() error {
	if len(r.moved) == 0 {
		return nil
	}
	rows, err := r.tx.QueryContext(r.ctx, `SELECT id, ops FROM edits WHERE layer_id = ? AND doc_id = ?`, r.layerID, r.docID)
	if err != nil {
		return err
	}
	logged := map[int64][]editlog.Op{}
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			rows.Close()
			return err
		}
		var ops []editlog.Op
		if err := json.Unmarshal([]byte(raw), &ops); err != nil {
			rows.Close()
			return err
		}
		logged[id] = ops
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, ops := range logged {
		for _, o := range ops {
			for _, sp := range []*editlog.SpanRow{o.Span, o.Before} {
				if sp != nil {
					sp.ID = r.id(sp.ID)
				}
			}
		}
		b, err := json.Marshal(ops)
		if err != nil {
			return err
		}
		if _, err := r.tx.ExecContext(r.ctx, `UPDATE edits SET ops = ? WHERE id = ?`, string(b), id); err != nil {
			return err
		}
	}
	return nil
}

// docLabel names a document in messages: its name, quoted, or its id when
// it cannot be read.
func (s *Store) docLabel(ctx context.Context, id int64) string {
	var name string
	if err := s.db.QueryRowContext(context.WithoutCancel(ctx), `SELECT name FROM documents WHERE id = ?`, id).Scan(&name); err != nil {
		return fmt.Sprintf("document %d", id)
	}
	return strconv.Quote(name)
}
