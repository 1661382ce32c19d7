package modelserver

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// Mapping says what becomes of the labels a model has: a project label
// of the same name is kept; another is mapped to a project label, or
// skipped when mapped to "".
type Mapping map[string]string

// Unknown lists, sorted, the labels of spans the project lacks and the
// mapping says nothing about.
func (m Mapping) Unknown(spans []Span, project annotate.LabelSet) []string {
	seen := map[string]bool{}
	for _, sp := range spans {
		if _, ok := project.Find(sp.Label); ok {
			continue
		}
		if _, ok := m[sp.Label]; !ok {
			seen[sp.Label] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Apply gives spans the project's labels: a label the project lacks is
// mapped, or the span is left out (counted in skipped, by the model's
// label) when the mapping skips the label or does not name it.
func (m Mapping) Apply(spans []Span, project annotate.LabelSet, skipped map[string]int) []Span {
	out := make([]Span, 0, len(spans))
	for _, sp := range spans {
		if _, ok := project.Find(sp.Label); !ok {
			to := m[sp.Label]
			if _, ok := project.Find(to); !ok {
				skipped[sp.Label]++
				continue
			}
			sp.Label = to
		}
		out = append(out, sp)
	}
	return out
}

// Runner asks a model server about documents, one after the other, and
// stores each answer as suggestions everyone sees (annotate.Suggestion),
// one transaction per document: a document has all of its answer or
// none of it.
type Runner struct {
	Client  *Client
	Store   annotate.Store
	Mapping Mapping // what becomes of labels the project lacks; filled in by Ask
	// Ask, when not nil, is called when an answer holds labels the
	// project lacks and Mapping does not name: it says what becomes of
	// them (mapped, or "" to skip), once for each label. Without it they
	// are skipped.
	Ask func(ctx context.Context, unknown []string) (Mapping, error)
	// Progress, when not nil, gets the documents done and to do.
	Progress func(done, total int)
	// Done, when not nil, gets each document with its suggestions (in
	// code points, with the project's labels), new or stored before.
	Done func(doc annotate.Document, spans []annotate.Span)
}

// Summary says what a run did.
type Summary struct {
	Documents   int            // asked about and stored
	Suggestions int            // new suggestions stored
	Skipped     map[string]int // spans left out, by the model's label
}

// Run asks about the documents ids in turn. It stops at the first error
// (the server went down, answered nonsense) or when ctx is cancelled,
// keeping what earlier documents received; Summary says how far it got.
func (r *Runner) Run(ctx context.Context, ids []int64) (Summary, error) {
	sum := Summary{Skipped: map[string]int{}}
	if r.Mapping == nil {
		r.Mapping = Mapping{}
	}
	labels, err := r.Store.Labels(ctx)
	if err != nil {
		return sum, err
	}
	names := make([]string, len(labels))
	for i, l := range labels {
		names[i] = l.Name
	}
	for i, id := range ids {
		if r.Progress != nil {
			r.Progress(i, len(ids))
		}
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		doc, err := r.Store.Document(ctx, id)
		if err != nil {
			return sum, err
		}
		got, err := r.Client.Predict(ctx, doc.Text, names)
		if err != nil {
			return sum, err
		}
		if unknown := r.Mapping.Unknown(got, labels); len(unknown) > 0 && r.Ask != nil {
			m, err := r.Ask(ctx, unknown)
			if err != nil {
				return sum, err
			}
			for _, l := range unknown {
				r.Mapping[l] = m[l]
			}
		}
		spans := dedupe(r.Mapping.Apply(got, labels, sum.Skipped), id)
		n, err := r.store(ctx, id, spans)
		if err != nil {
			return sum, err
		}
		sum.Documents++
		sum.Suggestions += n
		if r.Done != nil {
			r.Done(doc, spans)
		}
	}
	if r.Progress != nil {
		r.Progress(len(ids), len(ids))
	}
	return sum, nil
}

// dedupe turns a model's spans into suggestions of document doc, in text
// order, each range and label once.
func dedupe(spans []Span, doc int64) []annotate.Span {
	out := make([]annotate.Span, 0, len(spans))
	for _, sp := range spans {
		out = append(out, annotate.Span{DocID: doc, Layer: annotate.Suggestion, Start: sp.Start, End: sp.End, Label: sp.Label, Origin: annotate.Suggested})
	}
	slices.SortFunc(out, func(a, b annotate.Span) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Label, b.Label))
	})
	return slices.CompactFunc(out, func(a, b annotate.Span) bool { return a.Start == b.Start && a.End == b.End && a.Label == b.Label })
}

// store keeps one document's suggestions in one transaction.
func (r *Runner) store(ctx context.Context, doc int64, spans []annotate.Span) (int, error) {
	if len(spans) == 0 {
		return 0, nil
	}
	ai, err := r.Store.NewAnnotationImporter(ctx)
	if err != nil {
		return 0, err
	}
	n, err := ai.Add(doc, annotate.Suggestion, spans, "")
	if err != nil {
		ai.Abort()
		return 0, err
	}
	return n, ai.Close()
}
