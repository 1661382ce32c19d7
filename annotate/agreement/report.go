package agreement

import (
	"cmp"
	"slices"
)

// Report is the outcome of a comparison. Its JSON form is
//
//	{"layers":[...], "documents":n, "units":n,
//	 "krippendorff_alpha":x|null, "fleiss_kappa":x|null,
//	 "fleiss_documents":n, "fleiss_units":n,
//	 "pairs":[{"a","b","documents","units","cohen_kappa","f1_exact",
//	           "f1_overlap","f1_exact_unlabeled","f1_overlap_unlabeled",
//	           "matches":{...}, "reasons":{...}}],
//	 "reasons":{...},
//	 "per_label":{"LABEL":{same keys as the top level, from "documents" on}},
//	 "confusion":{"A,B":{"a","b","labels":[...,"NONE"],"counts":[[...]]}},
//	 "labels":[...], "documents_read":n, "label_conflicts":{...},
//	 "token_kappa":{...}, "per_document":[...]}
//
// where null marks an undefined figure and "reasons" (omitted when empty)
// says why, keyed by the figure's JSON key.
type Report struct {
	Layers []string `json:"layers"`
	// Measures over span units: Documents and Units are those behind
	// Krippendorff's alpha (documents at least two layers finished).
	Measures
	// PerLabel recodes the same units one label against the rest.
	PerLabel map[string]*Measures `json:"per_label"`
	// Confusion has one matrix per pair, keyed "A,B" (layer names hold
	// no commas).
	Confusion map[string]*Confusion `json:"confusion"`
	// Labels lists the labels met, in report order.
	Labels []string `json:"labels"`
	// DocumentsRead counts every document given, finished or not.
	DocumentsRead int `json:"documents_read"`
	// Conflicts counts, per layer, positions where the layer had spans with
	// different labels; the label first in byte order was kept.
	Conflicts map[string]int `json:"label_conflicts,omitempty"`
	// Tokens holds the token-level figures (Options.Tokens).
	Tokens *Tokens `json:"token_kappa,omitempty"`
	// PerDocument has one entry per document at least two layers finished
	// (Options.PerDocument), in the order given.
	PerDocument []DocReport `json:"per_document,omitempty"`
}

// Measures are the figures over one set of units.
type Measures struct {
	Documents         int               `json:"documents"` // behind alpha
	Units             int               `json:"units"`     // behind alpha
	KrippendorffAlpha Value             `json:"krippendorff_alpha"`
	FleissKappa       Value             `json:"fleiss_kappa"`
	FleissDocuments   int               `json:"fleiss_documents"` // every layer finished them
	FleissUnits       int               `json:"fleiss_units"`
	Pairs             []Pair            `json:"pairs"`
	Reasons           map[string]string `json:"reasons,omitempty"`
}

// Pair holds the pairwise figures of layers A and B over the documents both
// finished. The F1 figures and Matches are absent from token-level pairs.
type Pair struct {
	A                  string `json:"a"`
	B                  string `json:"b"`
	Documents          int    `json:"documents"`
	Units              int    `json:"units"`
	CohenKappa         Value  `json:"cohen_kappa"`
	F1Exact            Value  `json:"f1_exact,omitzero"`
	F1Overlap          Value  `json:"f1_overlap,omitzero"`
	F1ExactUnlabeled   Value  `json:"f1_exact_unlabeled,omitzero"`
	F1OverlapUnlabeled Value  `json:"f1_overlap_unlabeled,omitzero"`
	// Matches gives the span counts behind the F1 figures.
	Matches *Matches          `json:"matches,omitempty"`
	Reasons map[string]string `json:"reasons,omitempty"`
}

// Matches counts the spans behind a pair's F1 figures:
// F1 = (matched_a + matched_b) / (spans_a + spans_b). A is the reference:
// recall = matched_a/spans_a, precision = matched_b/spans_b. For the
// one-to-one matchings matched_a = matched_b = true positives; they differ
// only in the per-label unlabelled figures (see the package documentation).
type Matches struct {
	SpansA           int   `json:"spans_a"`
	SpansB           int   `json:"spans_b"`
	Exact            Match `json:"exact"`
	Overlap          Match `json:"overlap"`
	ExactUnlabeled   Match `json:"exact_unlabeled"`
	OverlapUnlabeled Match `json:"overlap_unlabeled"`
}

// Match counts the spans of each side that were paired.
type Match struct {
	A int `json:"matched_a"`
	B int `json:"matched_b"`
}

// Confusion is a pair's confusion matrix over their units: Counts[i][j]
// is the number of units A gave Labels[i] and B gave Labels[j]. The last
// label is NONE (O for tokens). Over span units the NONE/NONE cell is
// always 0.
type Confusion struct {
	A      string   `json:"a"` // rows
	B      string   `json:"b"` // columns
	Labels []string `json:"labels"`
	Counts [][]int  `json:"counts"`
}

// Tokens holds the token-level figures.
type Tokens struct {
	// DocumentsWithoutText counts documents at least two layers finished
	// but that came without text, so could not be tokenized.
	DocumentsWithoutText int `json:"documents_without_text"`
	// WithO counts every token; WithoutO drops the tokens every layer
	// concerned tagged O.
	WithO    TokenMeasures `json:"with_o"`
	WithoutO TokenMeasures `json:"without_o"`
}

// TokenMeasures are figures over tokens.
type TokenMeasures struct {
	Measures
	PerLabel  map[string]*Measures  `json:"per_label,omitempty"`
	Confusion map[string]*Confusion `json:"confusion,omitempty"`
}

// DocReport holds one document's figures.
type DocReport struct {
	ID   int64    `json:"id"`
	Name string   `json:"name"`
	Done []string `json:"done"` // the compared layers that finished it
	Measures
	Tokens *Tokens `json:"token_kappa,omitempty"`
}

// Report gives the figures over the documents added so far.
func (c *Computer) Report() *Report {
	k := len(c.labelNames)
	c.total.grow(k)
	order := c.labelOrder()
	r := &Report{
		Layers:        slices.Clone(c.layers),
		DocumentsRead: c.read,
		PerDocument:   slices.Clone(c.perDoc),
	}
	for _, l := range order {
		r.Labels = append(r.Labels, c.labelNames[l])
	}
	r.Measures = c.measures(&c.total.spans, true, None)
	r.PerLabel = c.perLabel(&c.total.spans, order, true, None)
	r.Confusion = c.confusion(&c.total.spans, order, None)
	for i, n := range c.conflicts {
		if n > 0 {
			if r.Conflicts == nil {
				r.Conflicts = map[string]int{}
			}
			r.Conflicts[c.layers[i]] = n
		}
	}
	if c.opts.Tokens {
		r.Tokens = &Tokens{
			DocumentsWithoutText: c.noText,
			WithO: TokenMeasures{
				Measures:  c.measures(&c.total.tokens, false, "O"),
				PerLabel:  c.perLabel(&c.total.tokens, order, false, "O"),
				Confusion: c.confusion(&c.total.tokens, order, "O"),
			},
			WithoutO: TokenMeasures{
				Measures:  c.measures(&c.total.tokensNoO, false, "O"),
				PerLabel:  c.perLabel(&c.total.tokensNoO, order, false, "O"),
				Confusion: c.confusion(&c.total.tokensNoO, order, "O"),
			},
		}
	}
	return r
}

func (c *Computer) docReport(d Doc) DocReport {
	r := DocReport{ID: d.ID, Name: d.Name}
	for _, i := range c.done {
		r.Done = append(r.Done, c.layers[i])
	}
	r.Measures = c.measures(&c.doc.spans, true, None)
	if c.opts.Tokens && c.doc.tokenDocs {
		r.Tokens = &Tokens{
			WithO:    TokenMeasures{Measures: c.measures(&c.doc.tokens, false, "O")},
			WithoutO: TokenMeasures{Measures: c.measures(&c.doc.tokensNoO, false, "O")},
		}
	}
	return r
}

// labelOrder gives the label categories (not NONE) in report order.
func (c *Computer) labelOrder() []int {
	rank := map[string]int{}
	for i, l := range c.opts.Labels {
		if _, ok := rank[l]; !ok {
			rank[l] = i
		}
	}
	order := make([]int, 0, len(c.labelNames)-1)
	for l := 1; l < len(c.labelNames); l++ {
		order = append(order, l)
	}
	slices.SortFunc(order, func(x, y int) int {
		nx, ny := c.labelNames[x], c.labelNames[y]
		rx, okx := rank[nx]
		ry, oky := rank[ny]
		switch {
		case okx && oky:
			return cmp.Compare(rx, ry)
		case okx:
			return -1
		case oky:
			return 1
		}
		return cmp.Compare(nx, ny)
	})
	return order
}

func (c *Computer) namer(noneName string) func(int) string {
	return func(l int) string {
		if l == none {
			return noneName
		}
		return c.labelNames[l]
	}
}

func (c *Computer) measures(set *unitSet, spans bool, noneName string) Measures {
	name := c.namer(noneName)
	m := &set.multi
	out := Measures{
		Documents:         m.docs,
		Units:             m.units,
		KrippendorffAlpha: m.alpha(name),
		FleissKappa:       m.fleiss(len(c.layers), name),
		FleissDocuments:   m.fleissDocs,
		FleissUnits:       m.fleissUnits,
		Pairs:             []Pair{},
	}
	for p, pr := range c.pairs {
		acc := &set.pairs[p]
		pair := c.newPair(acc, pr)
		pair.CohenKappa = acc.cohen(name)
		if spans {
			mt := &Matches{SpansA: acc.units - acc.row(none), SpansB: acc.units - acc.col(none)}
			for l := 1; l < acc.conf.k; l++ {
				mt.Exact.A += acc.conf.at(l, l)
				mt.Overlap.A += acc.ovLab[l]
			}
			mt.Exact.B, mt.Overlap.B = mt.Exact.A, mt.Overlap.A
			mt.ExactUnlabeled.A = mt.SpansA - acc.col(none) // no unit is NONE for both
			mt.ExactUnlabeled.B = mt.ExactUnlabeled.A
			mt.OverlapUnlabeled = Match{acc.ovUnlab, acc.ovUnlab}
			pair.setF1(mt, "")
		}
		pair.Reasons = reasons(map[string]Value{"cohen_kappa": pair.CohenKappa, "f1_exact": pair.F1Exact,
			"f1_overlap": pair.F1Overlap, "f1_exact_unlabeled": pair.F1ExactUnlabeled, "f1_overlap_unlabeled": pair.F1OverlapUnlabeled})
		out.Pairs = append(out.Pairs, pair)
	}
	out.Reasons = reasons(map[string]Value{"krippendorff_alpha": out.KrippendorffAlpha, "fleiss_kappa": out.FleissKappa})
	return out
}

func (c *Computer) newPair(acc *pairAcc, pr [2]int) Pair {
	return Pair{A: c.layers[pr[0]], B: c.layers[pr[1]], Documents: acc.docs, Units: acc.units}
}

// setF1 fills the F1 figures from their counts; label is "" for the
// figures over all labels.
func (p *Pair) setF1(mt *Matches, label string) {
	p.Matches = mt
	p.F1Exact = f1(mt.SpansA, mt.SpansB, mt.Exact.A, mt.Exact.B, label)
	p.F1Overlap = f1(mt.SpansA, mt.SpansB, mt.Overlap.A, mt.Overlap.B, label)
	p.F1ExactUnlabeled = f1(mt.SpansA, mt.SpansB, mt.ExactUnlabeled.A, mt.ExactUnlabeled.B, label)
	p.F1OverlapUnlabeled = f1(mt.SpansA, mt.SpansB, mt.OverlapUnlabeled.A, mt.OverlapUnlabeled.B, label)
}

func (c *Computer) perLabel(set *unitSet, order []int, spans bool, noneName string) map[string]*Measures {
	out := map[string]*Measures{}
	m := &set.multi
	for _, l := range order {
		name := c.labelNames[l]
		lm := &Measures{
			Documents:         m.docs,
			Units:             m.units,
			KrippendorffAlpha: m.alphaOf(l, name),
			FleissKappa:       m.fleissOf(l, len(c.layers), name),
			FleissDocuments:   m.fleissDocs,
			FleissUnits:       m.fleissUnits,
			Pairs:             []Pair{},
		}
		for p, pr := range c.pairs {
			acc := &set.pairs[p]
			pair := c.newPair(acc, pr)
			pair.CohenKappa = acc.cohenOf(l, name)
			if spans {
				row, col := acc.row(l), acc.col(l)
				pair.setF1(&Matches{
					SpansA:           row,
					SpansB:           col,
					Exact:            Match{acc.conf.at(l, l), acc.conf.at(l, l)},
					Overlap:          Match{acc.ovLab[l], acc.ovLab[l]},
					ExactUnlabeled:   Match{row - acc.conf.at(l, none), col - acc.conf.at(none, l)},
					OverlapUnlabeled: Match{acc.ovA[l], acc.ovB[l]},
				}, name)
			}
			pair.Reasons = reasons(map[string]Value{"cohen_kappa": pair.CohenKappa, "f1_exact": pair.F1Exact,
				"f1_overlap": pair.F1Overlap, "f1_exact_unlabeled": pair.F1ExactUnlabeled, "f1_overlap_unlabeled": pair.F1OverlapUnlabeled})
			lm.Pairs = append(lm.Pairs, pair)
		}
		lm.Reasons = reasons(map[string]Value{"krippendorff_alpha": lm.KrippendorffAlpha, "fleiss_kappa": lm.FleissKappa})
		out[name] = lm
	}
	return out
}

func (c *Computer) confusion(set *unitSet, order []int, noneName string) map[string]*Confusion {
	out := map[string]*Confusion{}
	idx := append(slices.Clone(order), none)
	for p, pr := range c.pairs {
		acc := &set.pairs[p]
		cf := &Confusion{A: c.layers[pr[0]], B: c.layers[pr[1]], Counts: make([][]int, len(idx))}
		for _, l := range idx {
			cf.Labels = append(cf.Labels, c.namer(noneName)(l))
		}
		for i, li := range idx {
			cf.Counts[i] = make([]int, len(idx))
			for j, lj := range idx {
				if li < acc.conf.k && lj < acc.conf.k {
					cf.Counts[i][j] = acc.conf.at(li, lj)
				}
			}
		}
		out[cf.A+","+cf.B] = cf
	}
	return out
}

// reasons collects why figures are undefined, keyed by JSON key; nil when
// every figure is defined.
func reasons(vs map[string]Value) map[string]string {
	var out map[string]string
	for k, v := range vs {
		if !v.Defined && v.Reason != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v.Reason
		}
	}
	return out
}
