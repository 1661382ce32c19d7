package app

import (
	"cmp"
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/project"
)

// Review → Agreement… and Review → Adjudicate: a reviewer is a person
// using the same app. The agreement dashboard (dashboard.go) measures the
// compared layers over the project in the background; the adjudication
// window (adjudicate.go) settles one document's stretches into gold.

// reviewDoc is one document that at least two compared layers finished,
// as the dashboard lists it.
type reviewDoc struct {
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

// left reports whether the document has stretches gold has not settled,
// or gold has not marked it done.
func (d *reviewDoc) left() bool { return d.Settled < d.Clusters || d.Gold != annotate.Done }

// review is the outcome of a dashboard computation.
type review struct {
	Layers []string
	Report *agreement.Report
	Docs   []reviewDoc // most disagreement first
	// Totals over Docs.
	Clusters, Differ, Settled, GoldDone int
}

// reviewLayers are the layers compared by default: every annotator's.
func reviewLayers(ctx context.Context, s *sqlite.Store) ([]string, error) {
	return project.AgreementLayers(ctx, s)
}

// computeReview reads the project once: the compared layers' agreement
// (as project.Agreement computes it), and for every document at least two
// of them finished, its stretches, how many differ and how many gold
// settled. progress is called with the documents read and their total,
// from the calling goroutine.
//
// The documents are ranked by their stretches, not by figures per
// document (agreement.Options.PerDocument): those cost 165 MB and six
// seconds for 100,000 documents of three layers, the stretches a list of
// counts.
func computeReview(ctx context.Context, s *sqlite.Store, layers []string, progress func(done, total int)) (*review, error) {
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
	rv := &review{Layers: slices.Clone(layers)}
	read := append(slices.Clone(layers), annotate.Gold)
	n := 0
	err = s.EachDocument(ctx, read, false, func(d *annotate.AnnotatedDoc) error {
		n++
		if progress != nil && n%256 == 0 {
			progress(n, total)
		}
		ad := agreement.Doc{ID: d.ID, Name: d.Name, Layers: make(map[string]agreement.LayerDoc, len(layers))}
		for _, name := range layers {
			if ld := d.Layers[name]; ld != nil {
				ad.Layers[name] = agreement.LayerDoc{Done: ld.Status == annotate.Done, Spans: ld.Spans}
			}
		}
		if err := c.Add(ad); err != nil {
			return err
		}
		done := doneLayers(d, layers)
		if len(done) < 2 {
			return ctx.Err()
		}
		row := reviewDoc{ID: d.ID, Name: d.Name, Done: done, Gold: d.Layer(annotate.Gold).Status}
		row.count(annotate.Clusters(versionsOf(d, done)), settled[d.ID])
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

// count fills the stretch counts from a document's clusters and gold's
// settled stretches.
func (r *reviewDoc) count(clusters []annotate.Cluster, settled []sqlite.Stretch) {
	r.Clusters, r.Differ, r.Settled, r.SettledDiffer = len(clusters), 0, 0, 0
	for _, c := range clusters {
		s := sqlite.IsSettled(settled, c.Start, c.End)
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
func (rv *review) sort() {
	slices.SortStableFunc(rv.Docs, func(a, b reviewDoc) int {
		if c := cmp.Compare(b.Differ, a.Differ); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Differ-b.SettledDiffer, a.Differ-a.SettledDiffer); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func (rv *review) total() {
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

// update replaces a document's counts after an adjudication (the order
// stays, so the list does not jump under the reviewer's eyes).
func (rv *review) update(d reviewDoc) (int, bool) {
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

// reviewer holds a workspace's review windows.
type reviewer struct {
	layers []string // the layers compared, as last chosen; nil: the default
	dash   *dashboard
	adj    *adjudicator
}

func (ws *Workspace) reviewState() *reviewer {
	if ws.review == nil {
		ws.review = &reviewer{}
	}
	return ws.review
}

// comparedLayers are the layers the reviewer chose, or every annotator's.
func (ws *Workspace) comparedLayers() ([]string, error) {
	rv := ws.reviewState()
	all, err := reviewLayers(ws.ctx, ws.Store)
	if err != nil {
		return nil, err
	}
	if rv.layers == nil {
		return all, nil
	}
	var out []string
	for _, l := range rv.layers {
		if slices.Contains(all, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// closeReview closes the review windows (the project closes or changes).
func (ws *Workspace) closeReview() {
	if ws.review == nil {
		return
	}
	if d := ws.review.dash; d != nil {
		d.win.Close()
	}
	if a := ws.review.adj; a != nil {
		a.win.Close()
	}
	ws.review = nil
}

// progressLine is a line of text with a bar beside it. (A ProgressBar's
// own text is drawn on the primary colour, which light themes make hard
// to read.)
type progressLine struct {
	label *widget.Label
	bar   *widget.ProgressBar
	box   fyne.CanvasObject
}

func newProgressLine() *progressLine {
	p := &progressLine{label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.bar.TextFormatter = func() string { return "" }
	size := fyne.NewSize(220, p.label.MinSize().Height*0.6)
	p.box = container.NewBorder(nil, nil, nil, container.NewCenter(container.NewGridWrap(size, p.bar)), p.label)
	return p
}

// set shows text and done of total.
func (p *progressLine) set(text string, done, total int) {
	p.label.SetText(text)
	p.bar.Max = float64(max(total, 1))
	p.bar.SetValue(float64(min(done, max(total, 1))))
	p.bar.Refresh()
}

// Text is the line shown.
func (p *progressLine) Text() string { return p.label.Text }
