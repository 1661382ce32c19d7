package agreement

import (
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/qalam-annotate/qalam/annotate"
)

// Doc is one document as the agreement engine sees it.
type Doc struct {
	ID   int64
	Name string
	// Text is needed for the token-level figures only; a document without
	// text is left out of them (and counted in Tokens.DocumentsWithoutText).
	Text string
	// Layers holds the compared layers' work on the document, by layer
	// name. A layer missing from the map has not finished the document.
	Layers map[string]LayerDoc

	// annotated, set by FromAnnotated instead of Layers, is read in place:
	// a map made for each of a million documents was a tenth of the
	// time of comparing them.
	annotated *annotate.AnnotatedDoc
}

// work is the named layer's work on the document, false when it has none.
func (d Doc) work(name string) (LayerDoc, bool) {
	if d.annotated != nil {
		ld := d.annotated.Layers[name]
		if ld == nil {
			return LayerDoc{}, false
		}
		return LayerDoc{Done: ld.Status == annotate.Done, Spans: ld.Spans, Keys: ld.Keys}, true
	}
	ld, ok := d.Layers[name]
	return ld, ok
}

// LayerDoc is one layer's work on a document.
type LayerDoc struct {
	// Done reports whether the layer marked the document done. Only then
	// does the document count for the layer; otherwise its spans are
	// ignored and the layer's values there are missing.
	Done  bool
	Spans []annotate.Span // any order; Span.Layer and Span.DocID are not read
	// Keys are more spans, as keys alone (a store's ReadKeys), any order.
	Keys []annotate.SpanKey
}

// Options chooses the optional, costlier parts of a report.
type Options struct {
	// Tokens adds token-level figures (Report.Tokens); every document with
	// text is tokenized, which is several times slower than the span
	// figures.
	Tokens bool
	// PerDocument adds one entry per document that at least two layers
	// finished (Report.PerDocument); memory grows with the corpus.
	PerDocument bool
	// Labels gives the order of labels in the report, usually the
	// project's label set; labels met that are not listed follow in byte
	// order. Listed labels nobody used are left out.
	Labels []string
}

// None is the value of a unit for a layer that finished the document and
// has no span at the unit's position; in token figures it is written O.
const None = "NONE"

// unitSet accumulates the figures over one kind of unit.
type unitSet struct {
	multi multiAcc
	pairs []pairAcc
}

func newUnitSet(layers, pairs int) unitSet {
	return unitSet{multi: newMultiAcc(layers), pairs: make([]pairAcc, pairs)}
}

func (s *unitSet) grow(k int) {
	s.multi.grow(k)
	for i := range s.pairs {
		s.pairs[i].grow(k)
	}
}

func (s *unitSet) reset() {
	s.multi.reset()
	for i := range s.pairs {
		s.pairs[i].reset()
	}
}

func (s *unitSet) merge(o *unitSet) {
	s.multi.merge(&o.multi)
	for i := range s.pairs {
		s.pairs[i].merge(&o.pairs[i])
	}
}

// sets is everything a report counts: span units and, with Options.Tokens,
// tokens with and without the all-O ones.
type sets struct {
	spans, tokens, tokensNoO unitSet
	tokenDocs                bool // the document had text and was tokenized
}

func newSets(layers, pairs int) sets {
	return sets{
		spans:     newUnitSet(layers, pairs),
		tokens:    newUnitSet(layers, pairs),
		tokensNoO: newUnitSet(layers, pairs),
	}
}

func (s *sets) grow(k int) {
	s.spans.grow(k)
	s.tokens.grow(k)
	s.tokensNoO.grow(k)
}

// Computer accumulates agreement over documents fed one at a time. It keeps
// counts only, so memory does not grow with the corpus (unless
// Options.PerDocument asks for a line per document). A Computer is not safe
// for concurrent use.
type Computer struct {
	layers []string
	pairs  [][2]int // indices into layers, i < j
	opts   Options

	labelIdx   map[string]int32
	labelNames []string // category names; [0] is NONE

	total, doc sets
	read       int // documents passed to Add
	noText     int // documents left out of token figures for want of text
	conflicts  []int
	perDoc     []DocReport

	// scratch, reused from one document to the next
	done    []int      // indices of the layers that finished the document
	col     []int      // layer index → column in vals, or -1
	lds     []LayerDoc // per layer
	reduced [][]span   // per layer, one span per position, sorted
	heads   []int      // merge positions
	vals    []int32    // units × len(done) values
	match   matcher
	best    []int
}

// NewComputer prepares to compare layers, in that order (pairs are taken in
// it: A is the earlier layer). It needs at least two distinct layers.
func NewComputer(layers []string, opts Options) (*Computer, error) {
	if len(layers) < 2 {
		return nil, errors.New("agreement needs at least two layers")
	}
	for i, l := range layers {
		if slices.Contains(layers[:i], l) {
			return nil, fmt.Errorf("layer %q is listed twice", l)
		}
	}
	c := &Computer{
		layers:     slices.Clone(layers),
		opts:       opts,
		labelIdx:   map[string]int32{},
		labelNames: []string{None},
		conflicts:  make([]int, len(layers)),
		col:        make([]int, len(layers)),
		lds:        make([]LayerDoc, len(layers)),
		reduced:    make([][]span, len(layers)),
		heads:      make([]int, len(layers)),
	}
	for i := range layers {
		for j := i + 1; j < len(layers); j++ {
			c.pairs = append(c.pairs, [2]int{i, j})
		}
	}
	c.total = newSets(len(layers), len(c.pairs))
	c.doc = newSets(len(layers), len(c.pairs))
	return c, nil
}

// Compute compares layers over docs and reports the figures. With
// Options.Tokens it tokenizes on every CPU (GOMAXPROCS) while counting in
// document order; docs is still read from one goroutine only.
func Compute(layers []string, docs iter.Seq[Doc], opts Options) (*Report, error) {
	c, err := NewComputer(layers, opts)
	if err != nil {
		return nil, err
	}
	if workers := runtime.GOMAXPROCS(0); opts.Tokens && workers > 1 {
		err = c.addParallel(docs, workers)
	} else {
		for d := range docs {
			if err = c.Add(d); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return c.Report(), nil
}

// batch is a run of documents tokenized by one worker.
type batch struct {
	docs  []Doc
	toks  [][]annotate.Token
	ready chan struct{} // closed once toks is filled
}

// addParallel adds docs in order while workers tokenize batches ahead.
func (c *Computer) addParallel(docs iter.Seq[Doc], workers int) error {
	const size = 64
	jobs := make(chan *batch)
	ordered := make(chan *batch, 2*workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				for i, d := range b.docs {
					if c.finishers(d) >= 2 && d.Text != "" {
						b.toks[i] = annotate.Tokenize(d.Text)
					}
				}
				close(b.ready)
			}
		})
	}
	go func() {
		defer close(ordered)
		defer close(jobs)
		b := &batch{ready: make(chan struct{})}
		// The batch is queued for the consumer before a worker takes it,
		// so the consumer meets batches in document order.
		send := func() bool {
			b.toks = make([][]annotate.Token, len(b.docs))
			select {
			case ordered <- b:
			case <-stop:
				return false
			}
			select {
			case jobs <- b:
			case <-stop:
				return false
			}
			b = &batch{docs: make([]Doc, 0, size), ready: make(chan struct{})}
			return true
		}
		for d := range docs {
			b.docs = append(b.docs, d)
			if len(b.docs) == size && !send() {
				return
			}
		}
		if len(b.docs) > 0 {
			send()
		}
	}()
	var err error
	for b := range ordered {
		<-b.ready
		for i, d := range b.docs {
			if err = c.add(d, b.toks[i], true); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	if err != nil {
		close(stop)
		for range ordered { // let the reader finish; unsent batches are dropped
		}
	}
	wg.Wait()
	return err
}

// finishers counts the compared layers that finished d.
func (c *Computer) finishers(d Doc) int {
	n := 0
	for _, name := range c.layers {
		if ld, ok := d.work(name); ok && ld.Done {
			n++
		}
	}
	return n
}

func (c *Computer) intern(label string) int32 {
	// A label set is a handful of labels: a look along it beats hashing
	// (0.5 s of 10 over a million documents, three layers).
	if len(c.labelNames) <= 16 {
		for i, l := range c.labelNames[1:] {
			if l == label {
				return int32(i + 1)
			}
		}
	} else if i, ok := c.labelIdx[label]; ok {
		return i
	}
	i := int32(len(c.labelNames))
	c.labelIdx[label] = i
	c.labelNames = append(c.labelNames, label)
	return i
}

// Add counts one document. It refuses a span with a negative start or an
// end not after its start, naming the document and layer; the document is
// then not counted at all.
func (c *Computer) Add(d Doc) error { return c.add(d, nil, false) }

// add counts d; when tokenized, toks are the tokens of d.Text.
func (c *Computer) add(d Doc, toks []annotate.Token, tokenized bool) error {
	c.read++
	c.done = c.done[:0]
	for i, name := range c.layers {
		ld, ok := d.work(name)
		c.col[i] = -1
		if ok && ld.Done {
			c.col[i] = len(c.done)
			c.done = append(c.done, i)
			c.lds[i] = ld
		}
	}
	if len(c.done) < 2 {
		return nil
	}
	for _, i := range c.done {
		for _, s := range c.lds[i].Spans {
			if s.Start < 0 || s.End <= s.Start {
				return fmt.Errorf("document %d (%s), layer %s: span [%d,%d) is empty or negative", d.ID, d.Name, c.layers[i], s.Start, s.End)
			}
		}
		for _, k := range c.lds[i].Keys {
			if k.Start < 0 || k.End <= k.Start {
				return fmt.Errorf("document %d (%s), layer %s: span [%d,%d) is empty or negative", d.ID, d.Name, c.layers[i], k.Start, k.End)
			}
		}
	}
	for _, i := range c.done {
		c.reduce(i, c.lds[i])
		c.lds[i] = LayerDoc{} // do not hold on to the caller's spans
	}
	k := len(c.labelNames)
	target := &c.total
	if c.opts.PerDocument {
		target = &c.doc
		target.spans.reset()
		target.tokens.reset()
		target.tokensNoO.reset()
	}
	target.grow(k)
	c.spanUnits(&target.spans)
	target.tokenDocs = false
	if c.opts.Tokens {
		if d.Text == "" {
			c.noText++
		} else {
			target.tokenDocs = true
			if !tokenized {
				toks = annotate.Tokenize(d.Text)
			}
			c.tokenUnits(target, toks)
		}
	}
	if c.opts.PerDocument {
		c.total.grow(k)
		c.total.spans.merge(&target.spans)
		c.total.tokens.merge(&target.tokens)
		c.total.tokensNoO.merge(&target.tokensNoO)
		c.perDoc = append(c.perDoc, c.docReport(d))
	}
	return nil
}

// reduce keeps one span per position for layer i, sorted by position; of
// two labels at one position the one first in byte order stays.
func (c *Computer) reduce(i int, ld LayerDoc) {
	r := c.reduced[i][:0]
	for _, s := range ld.Spans {
		r = append(r, span{start: s.Start, end: s.End, label: c.intern(s.Label)})
	}
	for _, k := range ld.Keys {
		r = append(r, span{start: k.Start, end: k.End, label: c.intern(k.Label)})
	}
	if !slices.IsSortedFunc(r, byPosition) {
		slices.SortFunc(r, byPosition)
	}
	out := r[:0]
	conflict := false
	for _, s := range r {
		if n := len(out); n > 0 && out[n-1].start == s.start && out[n-1].end == s.end {
			last := &out[n-1]
			if last.label != s.label {
				if !conflict {
					c.conflicts[i]++
					conflict = true
				}
				if c.labelNames[s.label] < c.labelNames[last.label] {
					last.label = s.label
				}
			}
			continue
		}
		conflict = false
		out = append(out, s)
	}
	c.reduced[i] = out
}

// spanUnits builds the document's unit table (one row per position any
// finishing layer marked, one column per finishing layer) and counts it.
func (c *Computer) spanUnits(set *unitSet) {
	d := len(c.done)
	vals := c.vals[:0]
	for _, i := range c.done {
		c.heads[i] = 0
	}
	for {
		// The next position is the smallest head.
		var next span
		found := false
		for _, i := range c.done {
			if h := c.heads[i]; h < len(c.reduced[i]) {
				s := c.reduced[i][h]
				if !found || s.start < next.start || (s.start == next.start && s.end < next.end) {
					next, found = s, true
				}
			}
		}
		if !found {
			break
		}
		for _, i := range c.done {
			v := int32(none)
			if h := c.heads[i]; h < len(c.reduced[i]) {
				if s := c.reduced[i][h]; s.start == next.start && s.end == next.end {
					v = s.label
					c.heads[i]++
				}
			}
			vals = append(vals, v)
		}
	}
	c.vals = vals
	c.count(set, vals, d, true)
	for p, pr := range c.pairs {
		if c.col[pr[0]] >= 0 && c.col[pr[1]] >= 0 {
			c.match.overlap(&set.pairs[p], c.reduced[pr[0]], c.reduced[pr[1]])
		}
	}
}

// count adds a unit table of d columns to set. With skipNone, units that
// every layer concerned gave NONE (O) are left out.
func (c *Computer) count(set *unitSet, vals []int32, d int, skipNone bool) {
	all := d == len(c.layers)
	m := &set.multi
	m.docs++
	if all {
		m.fleissDocs++
	}
	for u := 0; u+d <= len(vals); u += d {
		row := vals[u : u+d]
		if skipNone && allNone(row) {
			continue
		}
		m.add(row, all)
	}
	for p, pr := range c.pairs {
		ca, cb := c.col[pr[0]], c.col[pr[1]]
		if ca < 0 || cb < 0 {
			continue
		}
		acc := &set.pairs[p]
		acc.docs++
		k := acc.conf.k
		for u := 0; u+d <= len(vals); u += d {
			a, b := vals[u+ca], vals[u+cb]
			if skipNone && a == none && b == none {
				continue
			}
			acc.conf.v[int(a)*k+int(b)]++
			acc.units++
		}
	}
}

func allNone(row []int32) bool {
	for _, v := range row {
		if v != none {
			return false
		}
	}
	return true
}

// tokenUnits labels every token for each finishing layer and
// counts the tokens, with and without those all layers tagged O.
func (c *Computer) tokenUnits(target *sets, toks []annotate.Token) {
	d := len(c.done)
	vals := slices.Grow(c.vals[:0], len(toks)*d)[:len(toks)*d]
	clear(vals)
	for k, i := range c.done {
		best := slices.Grow(c.best[:0], len(toks))[:len(toks)]
		clear(best)
		for _, s := range c.reduced[i] {
			t := sort.Search(len(toks), func(t int) bool { return toks[t].End > s.start })
			for ; t < len(toks) && toks[t].Start < s.end; t++ {
				ov := min(toks[t].End, s.end) - max(toks[t].Start, s.start)
				if ov > best[t] { // ties keep the span that starts first
					best[t] = ov
					vals[t*d+k] = s.label
				}
			}
		}
		c.best = best
	}
	c.vals = vals
	c.count(&target.tokens, vals, d, false)
	c.count(&target.tokensNoO, vals, d, true)
}
