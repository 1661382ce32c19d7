package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/internal/editlog"
)

// editTx is an open edit: the store's annotate.LayerEdit. It runs on one
// connection in a transaction it opens and closes itself, so that what
// needs no answer travels together: the reads an edit checks against go
// in the round trip that begins it, and its writes, the log and the
// commit in the one that ends it (an edit adding a span takes three round
// trips, one changing a span two).
type editTx struct {
	ctx      context.Context
	conn     *pgxpool.Conn
	layerID  int64
	docID    int64
	draft    editlog.Draft
	pending  *pgx.Batch // writes not sent yet
	redoable bool       // the layer has undone edits on the document
}

var _ annotate.LayerEdit = (*editTx)(nil)

// queueReads adds to b what the edit checks against: the labels, the
// document's length, the overlap setting, the layer's status there,
// whether it has edits to redo, and its spans; they are read as b's
// results come back.
func (e *editTx) queueReads(b *pgx.Batch) {
	b.Queue(`SELECT id, name, color, hotkey FROM labels ORDER BY position, id`).Query(func(rows pgx.Rows) error {
		var id int64
		var l annotate.Label
		_, err := pgx.ForEachRow(rows, []any{&id, &l.Name, &l.Color, &l.Hotkey}, func() error {
			e.draft.AddLabel(id, l)
			return nil
		})
		return err
	})
	b.Queue(`SELECT COALESCE((SELECT length FROM documents WHERE id = $1), -1),
		COALESCE((SELECT value FROM settings WHERE key = $2), 'true'),
		st.status, st.flagged,
		EXISTS (SELECT 1 FROM edits WHERE layer_id = $3 AND doc_id = $1 AND undone)
		FROM (SELECT) AS one LEFT JOIN doc_status st ON st.doc_id = $1 AND st.layer_id = $3`,
		e.docID, settingAllowOverlap, e.layerID).QueryRow(func(row pgx.Row) error {
		var overlap string
		var status *annotate.Status
		var flagged *bool
		if err := row.Scan(&e.draft.Rules.TextLen, &overlap, &status, &flagged, &e.redoable); err != nil {
			return err
		}
		e.draft.Rules.AllowOverlap = overlap == "true"
		if status != nil {
			e.draft.Status = &editlog.StatusRow{Status: *status, Flagged: *flagged}
		}
		return nil
	})
	b.Queue(`SELECT id, label_id, start, "end", origin FROM spans WHERE doc_id = $1 AND layer_id = $2
		ORDER BY start, "end", id`, e.docID, e.layerID).Query(func(rows pgx.Rows) error {
		var r editlog.SpanRow
		_, err := pgx.ForEachRow(rows, []any{&r.ID, &r.LabelID, &r.Start, &r.End, &r.Origin}, func() error {
			e.draft.Spans = append(e.draft.Spans, e.draft.Span(r))
			return nil
		})
		return err
	})
}

// prepare fails for a document that does not exist.
func (e *editTx) prepare() error {
	if e.draft.Rules.TextLen < 0 {
		return fmt.Errorf("document %d: %w", e.docID, annotate.ErrNotFound)
	}
	return nil
}

// queue adds a write that needs no answer to the next round trip.
func (e *editTx) queue(sql string, args ...any) {
	if e.pending == nil {
		e.pending = &pgx.Batch{}
	}
	e.pending.Queue(sql, args...)
}

// send sends the queued writes with b's statements, in one round trip.
func (e *editTx) send(b *pgx.Batch) error {
	if e.pending != nil {
		e.pending.QueuedQueries = append(e.pending.QueuedQueries, b.QueuedQueries...)
		b, e.pending = e.pending, nil
	}
	return e.conn.SendBatch(e.ctx, b).Close()
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
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO spans(doc_id, layer_id, label_id, start, "end", origin)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.docID, e.layerID, r.LabelID, r.Start, r.End, r.Origin).
		QueryRow(func(row pgx.Row) error { return row.Scan(&r.ID) })
	if err := e.send(b); err != nil {
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
	e.queue(`DELETE FROM spans WHERE id = $1`, id)
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
	e.queue(`UPDATE spans SET label_id = $1, start = $2, "end" = $3, origin = $4 WHERE id = $5`,
		r.LabelID, r.Start, r.End, r.Origin, r.ID)
	e.draft.Updated(i, before, r)
	return nil
}

func (e *editTx) State() (annotate.DocState, bool, error) {
	st, ok := e.draft.State()
	return st, ok, nil
}

func (e *editTx) SetState(s annotate.DocState) error {
	if err := e.prepare(); err != nil { // the document must exist
		return err
	}
	st := &editlog.StatusRow{Status: s.Status, Flagged: s.Flagged}
	queueStatus(e.queue, e.docID, e.layerID, st)
	e.draft.StatusSet(st)
	return nil
}

func (e *editTx) Settle(stretches []annotate.Stretch) {
	e.draft.Settled = append(e.draft.Settled, stretches...)
}

// queueStatus queues the write of a layer's status on a document (nil:
// none, todo).
func queueStatus(queue func(string, ...any), docID, layerID int64, st *editlog.StatusRow) {
	if st == nil {
		queue(`DELETE FROM doc_status WHERE doc_id = $1 AND layer_id = $2`, docID, layerID)
		return
	}
	queue(`INSERT INTO doc_status(doc_id, layer_id, status, flagged) VALUES ($1, $2, $3, $4)
		ON CONFLICT (doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged,
		updated_at = now()`, docID, layerID, st.Status, st.Flagged)
}

// lockEdits is the statement that serialises the edits, undos and redos
// of one layer on one document (two windows of one annotator): the second
// waits for the first to commit, then reads what it did.
const lockEdits = `SELECT pg_advisory_xact_lock($1::bigint << 40 # $2::bigint)`

// begin opens a transaction on a connection of its own for a change of
// layer on document docID, locked against others of the same layer and
// document; the statements queue adds to b, given the layer's id, go
// along in the same round trip.
func (s *Store) begin(ctx context.Context, layer string, docID int64, create bool, queue func(layerID int64, b *pgx.Batch)) (*pgxpool.Conn, int64, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, 0, err
	}
	first := &pgx.Batch{}
	first.Queue(`BEGIN`)
	s.mu.Lock()
	layerID, cached := s.layers[layer]
	s.mu.Unlock()
	if !cached {
		err := conn.SendBatch(ctx, first).Close()
		if err == nil {
			if create {
				layerID, err = s.layerID(ctx, conn, layer)
			} else {
				var ok bool
				layerID, ok, err = s.lookupLayer(ctx, layer)
				if err == nil && !ok {
					layerID = 0
				}
			}
		}
		if err != nil {
			rollback(ctx, conn)
			return nil, 0, err
		}
		first = &pgx.Batch{}
	}
	first.Queue(lockEdits, layerID, docID)
	queue(layerID, first)
	if err := conn.SendBatch(ctx, first).Close(); err != nil {
		rollback(ctx, conn)
		return nil, 0, err
	}
	return conn, layerID, nil
}

// rollback ends a transaction that failed and gives its connection back
// (the pool drops a connection left in a transaction).
func rollback(ctx context.Context, conn *pgxpool.Conn) {
	conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`) //nolint:errcheck // the connection may be gone
	conn.Release()
}

// Edit runs fn as one logged, undoable edit of layer on document docID.
func (s *Store) Edit(ctx context.Context, layer string, docID int64, kind string, fn func(annotate.LayerEdit) error) error {
	err := s.edit(ctx, layer, docID, kind, fn)
	if err != nil {
		return fmt.Errorf("%s in layer %s of document %d: %w", kind, layer, docID, wrap(err))
	}
	return nil
}

func (s *Store) edit(ctx context.Context, layer string, docID int64, kind string, fn func(annotate.LayerEdit) error) error {
	if err := annotate.ValidateNewLayer(layer); err != nil {
		return err
	}
	e := &editTx{ctx: ctx, docID: docID, draft: editlog.NewDraft(layer, docID)}
	var err error
	e.conn, _, err = s.begin(ctx, layer, docID, true, func(layerID int64, b *pgx.Batch) {
		e.layerID = layerID
		e.queueReads(b)
	})
	if err != nil {
		return err
	}
	if err := fn(e); err != nil {
		rollback(ctx, e.conn)
		return err
	}
	end := &pgx.Batch{}
	var notices []string
	if len(e.draft.Ops) > 0 {
		ops, err := json.Marshal(e.draft.Ops)
		if err != nil {
			rollback(ctx, e.conn)
			return err
		}
		// A new edit ends what could be redone in this layer and document.
		if e.redoable {
			end.Queue(`DELETE FROM edits WHERE layer_id = $1 AND doc_id = $2 AND undone`, e.layerID, docID)
		}
		var editID int64
		end.Queue(`INSERT INTO edits(layer_id, doc_id, kind, ops) VALUES ($1, $2, $3, $4) RETURNING id`,
			e.layerID, docID, kind, ops).QueryRow(func(row pgx.Row) error { return row.Scan(&editID) })
		for _, k := range changeKinds(e.draft.Ops) {
			notices = append(notices, noticeOf(k, e.layerID, docID))
		}
		if len(e.draft.Settled) > 0 {
			// A round trip apart: row-level security checks the edit's
			// layer, which the statement that inserts it could not see.
			if err := e.send(end); err != nil {
				rollback(ctx, e.conn)
				return err
			}
			end = &pgx.Batch{}
			end.Queue(`INSERT INTO adjudications(edit_id, start, "end")
				SELECT DISTINCT $1::bigint, st.s, st.e FROM unnest($2::int[], $3::int[]) AS st(s, e)`,
				editID, stretchStarts(e.draft.Settled), stretchEnds(e.draft.Settled))
			notices = append(notices, noticeOf("edits", e.layerID, docID))
		}
	}
	end.Queue(`COMMIT`)
	if err := e.send(end); err != nil {
		rollback(ctx, e.conn)
		return err
	}
	e.conn.Release()
	s.tell(notices...)
	s.lookupLayer(ctx, layer) //nolint:errcheck // only fills the cache, for a layer the edit made
	return nil
}

// changeKinds are the notices an edit's operations call for.
func changeKinds(ops []editlog.Op) []string {
	var spans, status bool
	for _, o := range ops {
		if o.Op == "status" {
			status = true
		} else {
			spans = true
		}
	}
	var out []string
	if spans {
		out = append(out, "spans")
	}
	if status {
		out = append(out, "status")
	}
	return out
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
	none, verb := annotate.ErrNothingToRedo, "redo"
	q := `SELECT id, kind, ops FROM edits WHERE layer_id = $1 AND doc_id = $2 AND undone ORDER BY id LIMIT 1`
	if undo {
		none, verb = annotate.ErrNothingToUndo, "undo"
		q = `SELECT id, kind, ops FROM edits WHERE layer_id = $1 AND doc_id = $2 AND NOT undone ORDER BY id DESC LIMIT 1`
	}
	layerID, ok, err := s.lookupLayer(ctx, layer)
	if err != nil {
		return ed, fmt.Errorf("%s in layer %s of document %d: %w", verb, layer, docID, err)
	}
	if !ok {
		return ed, none
	}
	var ops []editlog.Op
	found := false
	conn, _, err := s.begin(ctx, layer, docID, false, func(_ int64, b *pgx.Batch) {
		b.Queue(q, layerID, docID).Query(func(rows pgx.Rows) error {
			_, err := pgx.ForEachRow(rows, []any{&ed.ID, &ed.Kind, &ops}, func() error { found = true; return nil })
			return err
		})
	})
	if err != nil {
		return ed, fmt.Errorf("%s in layer %s of document %d: %w", verb, layer, docID, wrap(err))
	}
	if !found {
		rollback(ctx, conn)
		return ed, none
	}
	b := &pgx.Batch{}
	queue := func(sql string, args ...any) { b.Queue(sql, args...) }
	for _, o := range editlog.Steps(ops, undo) {
		if err := queueOp(queue, layerID, docID, o); err != nil {
			rollback(ctx, conn)
			return ed, fmt.Errorf("%s %s: %w", verb, ed.Kind, err)
		}
	}
	b.Queue(`UPDATE edits SET undone = $1 WHERE id = $2`, undo, ed.ID)
	b.Queue(`COMMIT`)
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		rollback(ctx, conn)
		return ed, fmt.Errorf("%s %s in layer %s of document %d: %w", verb, ed.Kind, layer, docID, wrap(err))
	}
	conn.Release()
	s.tell(noticeOf("edits", layerID, docID))
	return ed, nil
}

// queueOp queues what redoes one operation.
func queueOp(queue func(string, ...any), layerID, docID int64, o editlog.Op) error {
	switch o.Op {
	case "insert":
		r := o.Span
		queue(`INSERT INTO spans(id, doc_id, layer_id, label_id, start, "end", origin) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			r.ID, docID, layerID, r.LabelID, r.Start, r.End, r.Origin)
	case "delete":
		queue(`DELETE FROM spans WHERE id = $1 AND layer_id = $2`, o.Span.ID, layerID)
	case "update":
		r := o.Span
		queue(`UPDATE spans SET label_id = $1, start = $2, "end" = $3, origin = $4 WHERE id = $5 AND layer_id = $6`,
			r.LabelID, r.Start, r.End, r.Origin, r.ID, layerID)
	case "status":
		queueStatus(queue, docID, layerID, o.Status)
	case "reject", "restore":
		queueRejected(queue, layerID, docID, o)
	default:
		return fmt.Errorf("unknown operation %q", o.Op)
	}
	return nil
}

// queueRejected queues a reject or restore operation; rejecting a
// suggestion that is gone does nothing.
func queueRejected(queue func(string, ...any), layerID, docID int64, o editlog.Op) {
	if o.Op == "reject" {
		queue(`INSERT INTO rejected_suggestions(layer_id, span_id, doc_id)
			SELECT $1::bigint, id, doc_id FROM spans WHERE id = $2 AND doc_id = $3 ON CONFLICT DO NOTHING`, layerID, o.Suggestion, docID)
		return
	}
	queue(`DELETE FROM rejected_suggestions WHERE layer_id = $1 AND span_id = $2`, layerID, o.Suggestion)
}

// Rejected lists the suggestions the edit's layer rejected on its
// document, the edit's own changes included.
func (e *editTx) Rejected() ([]int64, error) {
	b := &pgx.Batch{}
	var ids []int64
	b.Queue(`SELECT span_id FROM rejected_suggestions WHERE layer_id = $1 AND doc_id = $2 ORDER BY span_id`, e.layerID, e.docID).
		Query(func(rows pgx.Rows) error {
			var err error
			ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			return err
		})
	if err := e.send(b); err != nil {
		return nil, err
	}
	return ids, nil
}

// SetRejected rejects a suggestion for the edit's layer, or takes the
// rejection back; the operation is logged so that Undo reverses it.
func (e *editTx) SetRejected(id int64, rejected bool) error {
	b := &pgx.Batch{}
	var isSuggestion, was bool
	b.Queue(`SELECT EXISTS (SELECT 1 FROM spans sp JOIN layers sl ON sl.id = sp.layer_id
			WHERE sp.id = $1 AND sp.doc_id = $2 AND sl.kind = 'suggestion'),
		EXISTS (SELECT 1 FROM rejected_suggestions WHERE layer_id = $3 AND span_id = $1)`, id, e.docID, e.layerID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&isSuggestion, &was) })
	if err := e.send(b); err != nil {
		return err
	}
	if !isSuggestion {
		return fmt.Errorf("suggestion %d: %w", id, annotate.ErrNotFound)
	}
	if was == rejected {
		return nil
	}
	o := editlog.Rejection(id, rejected)
	queueRejected(e.queue, e.layerID, e.docID, o)
	e.draft.Ops = append(e.draft.Ops, o)
	return nil
}
