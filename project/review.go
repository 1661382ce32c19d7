package project

import (
	"cmp"
	"context"
	"slices"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
)

// ReviewDoc is one document that at least two compared layers finished,
// as the dashboard lists it.
type ReviewDoc struct {
	ID   int64
	Name string
	Done []string // the compared layers that finished it
	// Clusters counts its stretches (clusters of overlapping spans), Differ
	// those where the layers differ; Settled and SettledDiffer how many of
	// each gold settled.
	Clusters, Differ       int
	Settled, SettledDiffer int
	Gold                   annotate.Status
}

// Left reports whether the document has stretches gold has not settled,
// or gold has not marked it done.
func (d *ReviewDoc) Left() bool { return d.Settled < d.Clusters || d.Gold != annotate.Done }

// Review is what a reviewer reads of a project: the compared layers' agreement, and for every document two of them finished, its stretches.
type Review struct {
	Layers []string
	Report *agreement.Report
	Docs   []ReviewDoc // most disagreement first
	// Totals over Docs.
	Clusters, Differ, Settled, GoldDone int
}

// ComputeReview reads the project once: the compared layers' agreement
// (as project.Agreement computes it), and for every document at least two
// of them finished, its stretches, how many differ and how many gold
// settled. progress is called with the documents read and their total,
// from the calling goroutine.
//
// The documents are ranked by their stretches, not by figures per
// document (agreement.Options.PerDocument): those cost 165 MB and six
// seconds for 100,000 documents of three layers, the stretches a list of
// counts.
func ComputeReview(ctx context.Context, s annotate.DocumentReader, layers []string, progress func(done, total int)) (*Review, error) {
	labels, err := s.Labels(ctx)
	if err != nil {
		return nil, err
	}
	var opts agreement.Options
	for _, l := range labels {
		opts.Labels = append(opts.Labels, l.Name)
	}
	c, err := agreement.NewComputer(layers, opts)
	if err != nil {
		return nil, err
	}
	total, err := s.CountDocuments(ctx)
	if err != nil {
		return nil, err
	}
	settled, err := s.AllSettled(ctx)
	if err != nil {
		return nil, err
	}
	rv := &Review{Layers: slices.Clone(layers)}
	read := append(slices.Clone(layers), annotate.Gold)
	n := 0
	err = s.EachDocument(ctx, read, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		n++
		if progress != nil && n%256 == 0 {
			progress(n, total)
		}
		if err := c.Add(agreement.FromAnnotated(d)); err != nil {
			return err
		}
		done := doneLayers(d, layers)
		if len(done) < 2 {
			return ctx.Err()
		}
		row := ReviewDoc{ID: d.ID, Name: d.Name, Done: done, Gold: d.Layer(annotate.Gold).Status}
		row.Count(annotate.Clusters(versionsOf(d, done)), settled[d.ID])
		rv.Docs = append(rv.Docs, row)
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	if progress != nil {
		progress(n, total)
	}
	rv.Report = c.Report()
	rv.sort()
	rv.total()
	return rv, nil
}

// doneLayers lists the layers of d, in the order given, that finished it.
func doneLayers(d *annotate.AnnotatedDoc, layers []string) []string {
	var out []string
	for _, name := range layers {
		if d.Layer(name).Status == annotate.Done {
			out = append(out, name)
		}
	}
	return out
}

// versionsOf gives the named layers' spans on d, every layer present
// (annotate.Clusters counts a layer with no span there as disagreeing).
func versionsOf(d *annotate.AnnotatedDoc, layers []string) map[string][]annotate.Span {
	out := make(map[string][]annotate.Span, len(layers))
	for _, name := range layers {
		out[name] = d.Layer(name).Spans
	}
	return out
}

// Count fills the stretch counts from a document's clusters and gold's
// settled stretches.
func (r *ReviewDoc) Count(clusters []annotate.Cluster, settled []annotate.Stretch) {
	r.Clusters, r.Differ, r.Settled, r.SettledDiffer = len(clusters), 0, 0, 0
	for _, c := range clusters {
		s := annotate.IsSettled(settled, c.Start, c.End)
		if !c.Agreed {
			r.Differ++
		}
		if s {
			r.Settled++
			if !c.Agreed {
				r.SettledDiffer++
			}
		}
	}
}

// sort puts the documents with the most stretches that differ first; among
// equals, those with more left to settle, then in import order.
func (rv *Review) sort() {
	slices.SortStableFunc(rv.Docs, func(a, b ReviewDoc) int {
		if c := cmp.Compare(b.Differ, a.Differ); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Differ-b.SettledDiffer, a.Differ-a.SettledDiffer); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func (rv *Review) total() {
	rv.Clusters, rv.Differ, rv.Settled, rv.GoldDone = 0, 0, 0, 0
	for _, d := range rv.Docs {
		rv.Clusters += d.Clusters
		rv.Differ += d.Differ
		rv.Settled += d.Settled
		if d.Gold == annotate.Done {
			rv.GoldDone++
		}
	}
}

// Update replaces a document's counts after an adjudication (the order
// stays, so the list does not jump under the reviewer's eyes).
func (rv *Review) Update(d ReviewDoc) (int, bool) {
	for i := range rv.Docs {
		if rv.Docs[i].ID == d.ID {
			d.Name = rv.Docs[i].Name
			rv.Docs[i] = d
			rv.total()
			return i, true
		}
	}
	return 0, false
}
