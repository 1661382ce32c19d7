package recommend

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/qalam-annotate/qalam/annotate"
)

// Learn reads what layer and gold did in a project (their spans, and the
// suggestions layer rejected) into a new model. It reads the documents in
// order, each with its spans, so that a large project's spans are never
// all held at once, and the texts of the documents they worked on only.
func Learn(ctx context.Context, r annotate.DocumentReader, layer string) (*Model, error) {
	rejected, err := r.RejectedSuggestions(ctx, 0, layer)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(rejected, func(a, b annotate.Span) int { return cmp.Compare(a.DocID, b.DocID) })
	m := NewModel()
	err = r.EachDocument(ctx, []string{layer, annotate.Gold}, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		// Rejections of documents before this one (gone since) are
		// left out, as their documents are.
		for len(rejected) > 0 && rejected[0].DocID < d.ID {
			rejected = rejected[1:]
		}
		n := 0
		for n < len(rejected) && rejected[n].DocID == d.ID {
			n++
		}
		own, gold := d.Layer(layer).Spans, d.Layer(annotate.Gold).Spans
		if len(own)+len(gold)+n == 0 {
			return nil
		}
		doc, err := r.Document(ctx, d.ID)
		if err != nil {
			return err
		}
		m.SetDocument(d.ID, doc.Text, own, gold, rejected[:n:n])
		rejected = rejected[n:]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Refresh reads again what document docID teaches the model (after the
// annotator worked on it). Its text is read only when it has spans to
// learn from.
func (m *Model) Refresh(ctx context.Context, r annotate.DocumentReader, layer string, docID int64) error {
	return m.RefreshDocument(ctx, r, layer, annotate.Document{ID: docID})
}

// RefreshDocument is Refresh for a document the caller has read: a text
// it holds is not read again (a text can be a hundred megabytes, and each
// read is a copy of it).
func (m *Model) RefreshDocument(ctx context.Context, r annotate.DocumentReader, layer string, doc annotate.Document) error {
	own, err := r.Spans(ctx, doc.ID, layer)
	if err != nil {
		return err
	}
	gold, err := r.Spans(ctx, doc.ID, annotate.Gold)
	if err != nil {
		return err
	}
	rejected, err := r.RejectedSuggestions(ctx, doc.ID, layer)
	if err != nil {
		return err
	}
	// A document with spans has a text.
	if doc.Text == "" && len(own)+len(gold)+len(rejected) > 0 {
		if doc, err = r.Document(ctx, doc.ID); err != nil {
			return err
		}
	}
	m.SetDocument(doc.ID, doc.Text, own, gold, rejected)
	return nil
}

// Store makes proposals the open suggestions of layer's own suggestion
// layer on a document, as one edit of that layer: proposals not there
// yet are added, open ones no longer proposed are removed. Suggestions
// layer rejected or accepted stay, so a rejection keeps counting and a
// rejected proposal does not come back. It reports how many suggestions
// were added and removed.
func Store(ctx context.Context, s Storer, docID int64, layer string, proposals []Proposal) (added, removed int, err error) {
	if !ProposesTo(layer) {
		return 0, 0, fmt.Errorf("the recommender proposes to annotators only, not to %q", layer)
	}
	own := annotate.OwnSuggestions(layer)
	visible, err := s.Suggestions(ctx, docID, layer)
	if err != nil {
		return 0, 0, err
	}
	rejected, err := s.RejectedSuggestions(ctx, docID, layer)
	if err != nil {
		return 0, 0, err
	}
	// Nothing to do when every proposal is there (open or rejected) and
	// every open one is proposed: no edit then, not even the layer made.
	open := map[int64]bool{}
	known := map[annotate.SpanKey]bool{}
	for _, sp := range visible {
		if sp.Layer == own {
			open[sp.ID] = true
			known[sp.Key()] = true
		}
	}
	for _, sp := range rejected {
		if sp.Layer == own {
			known[sp.Key()] = true
		}
	}
	proposed := map[annotate.SpanKey]bool{}
	change := false
	for _, p := range proposals {
		proposed[p.key()] = true
		change = change || !known[p.key()]
	}
	for _, sp := range visible {
		change = change || sp.Layer == own && !proposed[sp.Key()]
	}
	if !change {
		return 0, 0, nil
	}
	err = s.Edit(ctx, own, docID, "propose", func(e annotate.LayerEdit) error {
		added, removed = 0, 0
		want := map[annotate.SpanKey]bool{}
		for _, p := range proposals {
			want[p.key()] = true
		}
		have, err := e.Spans()
		if err != nil {
			return err
		}
		for _, sp := range have {
			k := sp.Key()
			switch {
			case want[k]:
				delete(want, k)
			case open[sp.ID]:
				if err := e.Delete(sp.ID); err != nil {
					return err
				}
				removed++
			}
		}
		for _, p := range proposals {
			if !want[p.key()] {
				continue
			}
			if _, err := e.Insert(annotate.Span{DocID: docID, Layer: own, Start: p.Start, End: p.End, Label: p.Label, Origin: annotate.Suggested}); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	return added, removed, err
}

// Queue lists the documents layer has not finished (todo or in
// progress), in import order: those of its queue when it has one.
func Queue(ctx context.Context, r annotate.DocumentReader, layer string) ([]int64, error) {
	q := annotate.DocQuery{Layer: layer, Queue: true}
	var ids []int64
	var after int64
	for {
		page, err := r.DocumentPage(ctx, q, after, 0, 1000)
		if err != nil || len(page) == 0 {
			return ids, err
		}
		for _, d := range page {
			if d.Status == annotate.Todo || d.Status == annotate.InProgress {
				ids = append(ids, d.ID)
			}
			after = d.ID
		}
	}
}

// Storer is what Store needs of a store.
type Storer interface {
	annotate.EditStore
	RejectedSuggestions(ctx context.Context, docID int64, layer string) ([]annotate.Span, error)
}

// ProposesTo reports whether the recommender may propose to layer: to an
// annotator, never to gold (a reviewer adjudicating would be shown what
// the annotators decided, which biases the settlement).
func ProposesTo(layer string) bool {
	return layer != "" && annotate.KindOf(layer) == annotate.AnnotatorLayer && !annotate.IsStaging(layer)
}

// settingLearn is the settings key of the project's switch; + ":" +
// layer, an annotator's. "off" switches the recommender off.
const settingLearn = "suggest.learn"

// Switches reads whether the recommender is on for the project and for
// layer (both are, unless switched off).
func Switches(ctx context.Context, s annotate.Settings, layer string) (project, own bool, err error) {
	p, err := s.Setting(ctx, settingLearn)
	if err != nil {
		return false, false, err
	}
	o, err := s.Setting(ctx, settingLearn+":"+layer)
	return p != "off", o != "off", err
}

// On reports whether the recommender proposes to layer: it is an
// annotator, and neither the project's switch nor theirs is off.
func On(ctx context.Context, s annotate.Settings, layer string) (bool, error) {
	if !ProposesTo(layer) {
		return false, nil
	}
	p, o, err := Switches(ctx, s, layer)
	return p && o, err
}

// Switch turns the recommender on or off for layer, or for the whole
// project when layer is "".
func Switch(ctx context.Context, s annotate.Settings, layer string, on bool) error {
	key := settingLearn
	if layer != "" {
		key += ":" + layer
	}
	v := "off"
	if on {
		v = ""
	}
	return s.SetSetting(ctx, key, v)
}

// Use says how one layer worked with suggestions.
type Use struct {
	Layer string
	// On: the recommender proposes to the layer now.
	On bool
	// Spans counts the layer's spans; Accepted those accepted from
	// suggestions (learned, imported or from a model server), and
	// Documents the documents where it accepted any.
	Spans, Accepted, Documents int
}

// Usage reports, for each of layers, how it worked with suggestions.
func Usage(ctx context.Context, r interface {
	annotate.DocumentReader
	annotate.Settings
}, layers []string) ([]Use, error) {
	out := make([]Use, len(layers))
	at := map[string]*Use{}
	for i, l := range layers {
		on, err := On(ctx, r, l)
		if err != nil {
			return nil, err
		}
		out[i] = Use{Layer: l, On: on}
		at[l] = &out[i]
	}
	err := r.EachDocument(ctx, layers, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		for name, ld := range d.Layers {
			u := at[name]
			if u == nil {
				continue
			}
			accepted := 0
			for _, sp := range ld.Spans {
				if sp.Origin == annotate.Suggested {
					accepted++
				}
			}
			u.Spans += len(ld.Spans)
			u.Accepted += accepted
			if accepted > 0 {
				u.Documents++
			}
		}
		return ctx.Err()
	})
	return out, err
}
