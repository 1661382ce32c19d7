// Package editlog is the edit log the SQL stores keep, and what an open
// edit knows without asking its database. An edit is a list of operations
// on one layer of one document, applied in one transaction and logged, as
// JSON, with enough to reverse each of them; undo and redo replay the
// log. A project file and a team project log the same format.
package editlog

import (
	"fmt"
	"slices"
	"sort"

	"github.com/qalam-annotate/qalam/annotate"
)

// Op is one operation of an edit.
type Op struct {
	Op         string     `json:"op"` // insert, delete, update, status, reject, restore
	Span       *SpanRow   `json:"span,omitempty"`
	Before     *SpanRow   `json:"before,omitempty"` // update: the span before
	Status     *StatusRow `json:"status,omitempty"`
	Was        *StatusRow `json:"was,omitempty"`        // status: before; nil = no row
	Suggestion int64      `json:"suggestion,omitempty"` // reject, restore: the suggestion's span id
}

// SpanRow is a span as a store keeps it: its label by id.
type SpanRow struct {
	ID      int64  `json:"id"`
	LabelID int64  `json:"label"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Origin  string `json:"origin"`
}

// StatusRow is a layer's status on a document, and its flag.
type StatusRow struct {
	Status  annotate.Status `json:"status"`
	Flagged bool            `json:"flagged"`
}

// Rejection is the operation that rejects suggestion id or, with rejected
// false, takes the rejection back.
func Rejection(id int64, rejected bool) Op {
	if rejected {
		return Op{Op: "reject", Suggestion: id}
	}
	return Op{Op: "restore", Suggestion: id}
}

// Inverse is the operation that reverses o.
func (o Op) Inverse() Op {
	switch o.Op {
	case "insert":
		return Op{Op: "delete", Span: o.Span}
	case "delete":
		return Op{Op: "insert", Span: o.Span}
	case "update":
		return Op{Op: "update", Span: o.Before, Before: o.Span}
	case "status":
		return Op{Op: "status", Status: o.Was, Was: o.Status}
	case "reject":
		return Op{Op: "restore", Suggestion: o.Suggestion}
	case "restore":
		return Op{Op: "reject", Suggestion: o.Suggestion}
	}
	return o
}

// Steps are the operations, in order, that undo an edit logged as ops
// (their inverses, last first) or, with undo false, redo it (ops).
func Steps(ops []Op, undo bool) []Op {
	if !undo {
		return ops
	}
	out := make([]Op, len(ops))
	for i, o := range ops {
		out[len(ops)-1-i] = o.Inverse()
	}
	return out
}

// Draft is an open edit as it stands in memory: what new spans are
// checked against, the layer's spans and status on the document as the
// edit has left them, and the operations that got them there. A store's
// annotate.LayerEdit reads its database into a Draft, makes each change
// in the database, then records it here.
type Draft struct {
	DocID int64
	Layer string
	// Rules holds the label set (AddLabel), the document's length and
	// the overlap setting.
	Rules annotate.SpanRules
	// Spans are the layer's spans on the document, in text order.
	Spans []annotate.Span
	// Status is the layer's status on the document; nil when it has none.
	Status *StatusRow
	// Ops are the operations recorded so far, to be logged.
	Ops []Op
	// Settled are the stretches the edit settles (annotate.LayerEdit.Settle).
	Settled []annotate.Stretch

	labelIDs map[string]int64
	labels   map[int64]string
}

// NewDraft starts an edit of layer on document docID.
func NewDraft(layer string, docID int64) Draft {
	return Draft{DocID: docID, Layer: layer, labelIDs: map[string]int64{}, labels: map[int64]string{}}
}

// AddLabel adds a label of the project, stored under id, to Rules.Labels.
func (d *Draft) AddLabel(id int64, l annotate.Label) {
	d.Rules.Labels = append(d.Rules.Labels, l)
	d.labelIDs[l.Name], d.labels[id] = id, l.Name
}

// Span is the span r stores.
func (d *Draft) Span(r SpanRow) annotate.Span {
	return annotate.Span{ID: r.ID, DocID: d.DocID, Layer: d.Layer, Start: r.Start, End: r.End, Label: d.labels[r.LabelID], Origin: annotate.Origin(r.Origin)}
}

// Row is the row that stores sp; a label the project lacks is refused.
func (d *Draft) Row(sp annotate.Span) (SpanRow, error) {
	id, ok := d.labelIDs[sp.Label]
	if !ok {
		return SpanRow{}, fmt.Errorf("%w %q for span [%d,%d)", annotate.ErrUnknownLabel, sp.Label, sp.Start, sp.End)
	}
	return SpanRow{ID: sp.ID, LabelID: id, Start: sp.Start, End: sp.End, Origin: string(sp.Origin)}, nil
}

// NewRow is the row that stores a new span: manual unless it says
// otherwise.
func (d *Draft) NewRow(sp annotate.Span) (SpanRow, error) {
	if sp.Origin == "" {
		sp.Origin = annotate.Manual
	}
	return d.Row(sp)
}

// Find returns the index in Spans of the span with that id, and its row.
func (d *Draft) Find(id int64) (int, SpanRow, error) {
	for i, sp := range d.Spans {
		if sp.ID == id {
			r, err := d.Row(sp)
			return i, r, err
		}
	}
	return -1, SpanRow{}, fmt.Errorf("span %d: %w", id, annotate.ErrNotFound)
}

// Inserted records that r was stored (under the id it carries) and
// returns its span.
func (d *Draft) Inserted(r SpanRow) annotate.Span {
	d.Ops = append(d.Ops, Op{Op: "insert", Span: &r})
	sp := d.Span(r)
	d.Spans = insertSorted(d.Spans, sp)
	return sp
}

// Deleted records that Spans[i], stored as r, was deleted.
func (d *Draft) Deleted(i int, r SpanRow) {
	d.Ops = append(d.Ops, Op{Op: "delete", Span: &r})
	d.Spans = append(d.Spans[:i:i], d.Spans[i+1:]...)
}

// Updated records that Spans[i], stored as before, now is r.
func (d *Draft) Updated(i int, before, r SpanRow) {
	d.Ops = append(d.Ops, Op{Op: "update", Span: &r, Before: &before})
	d.Spans = insertSorted(append(d.Spans[:i:i], d.Spans[i+1:]...), d.Span(r))
}

// StatusSet records that the layer's status on the document became st.
func (d *Draft) StatusSet(st *StatusRow) {
	d.Ops = append(d.Ops, Op{Op: "status", Status: st, Was: d.Status})
	d.Status = st
}

// State is Status as the store contract gives it: todo, and ok false,
// when there is none.
func (d *Draft) State() (st annotate.DocState, ok bool) {
	if d.Status == nil {
		return annotate.DocState{Status: annotate.Todo}, false
	}
	return annotate.DocState{Status: d.Status.Status, Flagged: d.Status.Flagged}, true
}

// insertSorted adds sp to spans in text order.
func insertSorted(spans []annotate.Span, sp annotate.Span) []annotate.Span {
	i := sort.Search(len(spans), func(i int) bool {
		o := spans[i]
		return o.Start > sp.Start || o.Start == sp.Start && (o.End > sp.End || o.End == sp.End && o.ID > sp.ID)
	})
	return slices.Insert(spans, i, sp)
}
