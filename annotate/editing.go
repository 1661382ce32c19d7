package annotate

import (
	"context"
	"fmt"
	"slices"
)

// The editing rules: what every user edit checks and does, over a store's
// Editor. A store provides SpanEditor by embedding Editing.

// SpanRules are what a layer's new spans on one document are checked
// against: the text's length, the label set and the project's overlap
// setting.
type SpanRules struct {
	TextLen      int // code points
	Labels       LabelSet
	AllowOverlap bool
}

// Check validates sp against the rules and the spans already there
// (existing); ignore is the id of a span being changed, left out of the
// comparison. The same range and label twice is always refused;
// overlapping spans only when the project does not allow them.
func (r SpanRules) Check(sp Span, existing []Span, ignore int64) error {
	if err := sp.Validate(r.TextLen, r.Labels); err != nil {
		return err
	}
	for _, o := range existing {
		if o.ID == ignore && ignore != 0 {
			continue
		}
		if o.Key() == sp.Key() {
			return fmt.Errorf("%w: [%d,%d) %s is already there", ErrOverlap, sp.Start, sp.End, sp.Label)
		}
		if !r.AllowOverlap && o.Overlaps(sp) {
			return fmt.Errorf("%w: [%d,%d) overlaps [%d,%d) and this project does not allow overlapping spans", ErrOverlap, sp.Start, sp.End, o.Start, o.End)
		}
	}
	return nil
}

// EditStore is what the editing rules need of a store.
type EditStore interface {
	Editor
	Suggestions(ctx context.Context, docID int64, layer string) ([]Span, error)
	Labels(ctx context.Context) (LabelSet, error)
	UpdateLabel(ctx context.Context, name string, l Label) error
}

// Editing gives a store its SpanEditor methods, and RenameLabel, through
// the rules here.
type Editing struct {
	Store EditStore
}

// RenameLabel renames a label; its spans follow.
func (e Editing) RenameLabel(ctx context.Context, old, new string) error {
	set, err := e.Store.Labels(ctx)
	if err != nil {
		return err
	}
	l, ok := set.Find(old)
	if !ok {
		return fmt.Errorf("label %s: %w", old, ErrNotFound)
	}
	l.Name = new
	return e.Store.UpdateLabel(ctx, old, l)
}

// touch marks a todo document in progress once its layer changes.
func touch(e LayerEdit) error {
	st, ok, err := e.State()
	if err != nil || ok && st.Status != Todo {
		return err
	}
	st.Status = InProgress
	return e.SetState(st)
}

func spanAt(e LayerEdit, id int64) (Span, error) {
	spans, err := e.Spans()
	if err != nil {
		return Span{}, err
	}
	for _, sp := range spans {
		if sp.ID == id {
			return sp, nil
		}
	}
	return Span{}, fmt.Errorf("span %d: %w", id, ErrNotFound)
}

// AddSpan stores one span as one undoable edit and returns it with its id.
// A todo document becomes in progress.
func (ed Editing) AddSpan(ctx context.Context, sp Span) (Span, error) {
	out, err := ed.AddSpans(ctx, sp.DocID, sp.Layer, "add span", []Span{sp})
	if err != nil {
		return sp, err
	}
	return out[0], nil
}

// AddSpans stores several spans of one document and layer as one undoable
// edit (label all occurrences, accept all suggestions): all or none.
func (ed Editing) AddSpans(ctx context.Context, docID int64, layer, kind string, spans []Span) ([]Span, error) {
	return ed.ReplaceSpans(ctx, docID, layer, kind, nil, spans)
}

// ReplaceSpans removes some spans of one document and layer and adds
// others, as one undoable edit of the given kind: all of it or none. The
// added spans are checked against what remains.
func (ed Editing) ReplaceSpans(ctx context.Context, docID int64, layer, kind string, remove []int64, add []Span) ([]Span, error) {
	out := make([]Span, len(add))
	err := ed.Store.Edit(ctx, layer, docID, kind, func(e LayerEdit) error {
		for _, id := range remove {
			if err := e.Delete(id); err != nil {
				return err
			}
		}
		rules, err := e.Rules()
		if err != nil {
			return err
		}
		for i, sp := range add {
			sp.ID, sp.DocID, sp.Layer = 0, docID, layer
			if sp.Origin == "" {
				sp.Origin = Manual
			}
			spans, err := e.Spans()
			if err != nil {
				return err
			}
			if err := rules.Check(sp, spans, 0); err != nil {
				return err
			}
			if out[i], err = e.Insert(sp); err != nil {
				return err
			}
		}
		return touch(e)
	})
	return out, err
}

// DeleteSpans removes spans of one document and layer as one edit.
func (ed Editing) DeleteSpans(ctx context.Context, docID int64, layer string, ids ...int64) error {
	return ed.Store.Edit(ctx, layer, docID, "delete span", func(e LayerEdit) error {
		for _, id := range ids {
			if err := e.Delete(id); err != nil {
				return err
			}
		}
		return touch(e)
	})
}

// UpdateSpan changes a span's label or range (its id, document and layer
// stay), as one edit.
func (ed Editing) UpdateSpan(ctx context.Context, sp Span) error {
	return ed.updateSpan(ctx, sp, "change span", nil)
}

// RelabelSpan gives a span another label, as one edit.
func (ed Editing) RelabelSpan(ctx context.Context, docID int64, layer string, id int64, label string) error {
	sp := Span{ID: id, DocID: docID, Layer: layer}
	return ed.updateSpan(ctx, sp, "relabel span", func(before Span) Span {
		before.Label = label
		return before
	})
}

// updateSpan changes the span sp.ID: into sp, or into what change makes
// of it when change is not nil.
func (ed Editing) updateSpan(ctx context.Context, sp Span, kind string, change func(Span) Span) error {
	return ed.Store.Edit(ctx, sp.Layer, sp.DocID, kind, func(e LayerEdit) error {
		before, err := spanAt(e, sp.ID)
		if err != nil {
			return err
		}
		if change != nil {
			sp = change(before)
		}
		sp.DocID, sp.Layer = before.DocID, before.Layer
		if sp.Origin == "" {
			sp.Origin = before.Origin
		}
		rules, err := e.Rules()
		if err != nil {
			return err
		}
		spans, err := e.Spans()
		if err != nil {
			return err
		}
		if err := rules.Check(sp, spans, sp.ID); err != nil {
			return err
		}
		if sp == before {
			return nil
		}
		if err := e.Update(sp); err != nil {
			return err
		}
		return touch(e)
	})
}

// SetStatus changes a layer's status on a document, as one edit.
func (ed Editing) SetStatus(ctx context.Context, docID int64, layer string, status Status) error {
	return ed.changeState(ctx, docID, layer, "set status", func(st *DocState) { st.Status = status })
}

// SetFlag flags or unflags a document for a layer, as one edit.
func (ed Editing) SetFlag(ctx context.Context, docID int64, layer string, flagged bool) error {
	return ed.changeState(ctx, docID, layer, "flag", func(st *DocState) { st.Flagged = flagged })
}

func (ed Editing) changeState(ctx context.Context, docID int64, layer, kind string, change func(*DocState)) error {
	return ed.Store.Edit(ctx, layer, docID, kind, func(e LayerEdit) error {
		if _, err := e.Rules(); err != nil { // the document must exist
			return err
		}
		was, ok, err := e.State()
		if err != nil {
			return err
		}
		if !ok {
			was = DocState{Status: Todo}
		}
		next := was
		change(&next)
		if ok && next == was {
			return nil
		}
		return e.SetState(next)
	})
}

// AcceptSuggestions copies open suggestions (spans of the suggestion
// layers, by id) into layer as one undoable edit, with origin suggested;
// label, when not empty, replaces their label. Suggestions of the same
// range and label (from two suggestion layers) make one span. It
// returns the new spans.
func (ed Editing) AcceptSuggestions(ctx context.Context, docID int64, layer, label string, ids ...int64) ([]Span, error) {
	open, err := ed.Store.Suggestions(ctx, docID, layer)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Span{}
	for _, sp := range open {
		byID[sp.ID] = sp
	}
	var add []Span
	for _, id := range ids {
		sp, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("suggestion %d: %w", id, ErrNotFound)
		}
		if label != "" {
			sp.Label = label
		}
		if slices.ContainsFunc(add, func(a Span) bool { return a.Key() == sp.Key() }) {
			continue
		}
		add = append(add, Span{DocID: docID, Layer: layer, Start: sp.Start, End: sp.End, Label: sp.Label, Origin: Suggested})
	}
	if len(add) == 0 {
		return nil, nil
	}
	kind := "accept suggestion"
	if len(add) > 1 {
		kind = "accept suggestions"
	}
	return ed.AddSpans(ctx, docID, layer, kind, add)
}

// RejectSuggestions hides open suggestions (by id) from layer, as one
// undoable edit of layer; rejecting one again changes nothing. Rejections
// are kept per layer: other annotators still see the suggestion.
func (ed Editing) RejectSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	open, err := ed.Store.Suggestions(ctx, docID, layer)
	if err != nil {
		return err
	}
	kind := "reject suggestion"
	if len(ids) > 1 {
		kind = "reject suggestions"
	}
	return ed.Store.Edit(ctx, layer, docID, kind, func(e LayerEdit) error {
		done, err := e.Rejected()
		if err != nil {
			return err
		}
		for _, id := range ids {
			if slices.Contains(done, id) {
				continue
			}
			if !slices.ContainsFunc(open, func(sp Span) bool { return sp.ID == id }) {
				return fmt.Errorf("suggestion %d: %w", id, ErrNotFound)
			}
			if err := e.SetRejected(id, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreSuggestions brings back suggestions layer rejected on a document
// (those of ids, all of them when none is given), as one undoable edit,
// and says how many came back.
func (ed Editing) RestoreSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) (int, error) {
	n := 0
	err := ed.Store.Edit(ctx, layer, docID, "restore rejected suggestions", func(e LayerEdit) error {
		n = 0
		done, err := e.Rejected()
		if err != nil {
			return err
		}
		for _, id := range done {
			if len(ids) > 0 && !slices.Contains(ids, id) {
				continue
			}
			if err := e.SetRejected(id, false); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Settle records decisions on a document as one undoable edit of gold: in
// each decision's stretch, gold's spans that overlap it and are not among
// the decision's spans are removed, and the decision's spans gold lacks
// are added (see PlanSettlement). The stretches are remembered as settled
// with the edit, so Undo unsettles them and Redo settles them again; a
// decision to keep nothing is remembered as well as any other. Gold's
// status on the document becomes in progress, or done with finish. All
// of it happens or none.
func (ed Editing) Settle(ctx context.Context, docID int64, decisions []Decision, finish bool) error {
	if len(decisions) == 0 && !finish {
		return nil
	}
	return ed.Store.Edit(ctx, Gold, docID, "adjudicate", func(e LayerEdit) error {
		rules, err := e.Rules()
		if err != nil {
			return err
		}
		gold, err := e.Spans()
		if err != nil {
			return err
		}
		plan, err := PlanSettlement(gold, decisions, rules)
		if err != nil {
			return err
		}
		for _, id := range plan.Remove {
			if err := e.Delete(id); err != nil {
				return err
			}
		}
		for _, sp := range plan.Add {
			sp.DocID, sp.Layer = docID, Gold
			if _, err := e.Insert(sp); err != nil {
				return err
			}
		}
		// The status is always written, even unchanged, so that the edit
		// is logged (and its stretches remembered) when gold held the
		// chosen spans already.
		st, ok, err := e.State()
		if err != nil {
			return err
		}
		if !ok || st.Status == Todo {
			st.Status = InProgress
		}
		if finish {
			st.Status = Done
		}
		if err := e.SetState(st); err != nil {
			return err
		}
		e.Settle(plan.Stretches)
		return nil
	})
}
