// Package memstore is the store contract (annotate.Store) held in memory:
// a project without a database, for tests of what runs on the contract
// (the app's logic above all) without cgo. It passes the same conformance
// suite (annotate/storetest) as the project file store.
//
// Several stores opened at one location share one project, as two
// connections to one file do; closing a store keeps the project, so
// opening it again is a restart.
package memstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// Projects holds projects by location, like a folder of project files.
type Projects struct {
	mu       sync.Mutex
	projects map[string]*project
}

// NewProjects returns an empty set of projects.
func NewProjects() *Projects { return &Projects{projects: map[string]*project{}} }

// Open opens the project at location as mode allows (the signature of
// project.OpenFunc).
func (ps *Projects) Open(_ context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.projects[location]
	if p == nil {
		if !mode.Creates() {
			return nil, fmt.Errorf("open project %s: %w", location, annotate.ErrNoProject)
		}
		p = newProject()
		ps.projects[location] = p
	}
	return newStore(p, location, mode.IsReadOnly()), nil
}

// New returns a store on a new, empty project.
func New() annotate.Store { return newStore(newProject(), "memory", false) }

// Store is one open handle on a project.
type Store struct {
	annotate.Editing
	p        *project
	location string
	readOnly bool
}

var _ annotate.Store = (*Store)(nil)

func newStore(p *project, location string, readOnly bool) *Store {
	s := &Store{p: p, location: location, readOnly: readOnly}
	s.Editing = annotate.Editing{Store: s}
	return s
}

// --- the project -------------------------------------------------------------

type span struct {
	id         int64
	start, end int
	label      int64
	origin     annotate.Origin
}

type state struct {
	annotate.DocState
	updated time.Time
}

type layer struct {
	name     string
	spans    map[int64][]span // by document, in text order
	states   map[int64]state
	comments map[int64][]annotate.Comment
	rejected map[int64]map[int64]bool // document → suggestion span ids
	assigned map[int64]bool           // nil: no assignment
}

func newLayer(name string) *layer {
	return &layer{name: name, spans: map[int64][]span{}, states: map[int64]state{},
		comments: map[int64][]annotate.Comment{}, rejected: map[int64]map[int64]bool{}}
}

type labelRow struct {
	id int64
	annotate.Label
}

// op is one change of an edit, with what reverses it.
type op struct {
	kind         string // insert, delete, update, status, reject, restore
	span, before span
	status, was  state
	hadStatus    bool  // status: was there a status before
	suggestion   int64 // reject, restore: the suggestion's span id
}

type edit struct {
	id      int64
	layer   string
	doc     int64
	kind    string
	ops     []op
	undone  bool
	settled []annotate.Stretch
}

type project struct {
	mu           sync.Mutex
	docs         []annotate.Document // in import order (ascending ids)
	byHash       map[string]int64
	byID         map[int64]int
	bodies       map[int64]string // search bodies of indexed documents
	indexedUpto  int64
	labels       []labelRow
	allowOverlap bool
	settings     map[string]string
	layers       map[string]*layer
	edits        []*edit
	next         struct{ doc, span, label, edit, comment int64 }
}

func newProject() *project {
	p := &project{byHash: map[string]int64{}, byID: map[int64]int{}, bodies: map[int64]string{},
		layers: map[string]*layer{}, allowOverlap: true, settings: map[string]string{}}
	for _, l := range annotate.DefaultLabels() {
		p.next.label++
		p.labels = append(p.labels, labelRow{p.next.label, l})
	}
	return p
}

func (p *project) labelSet() annotate.LabelSet {
	out := make(annotate.LabelSet, len(p.labels))
	for i, l := range p.labels {
		out[i] = l.Label
	}
	return out
}

func (p *project) labelID(name string) (int64, bool) {
	for _, l := range p.labels {
		if l.Name == name {
			return l.id, true
		}
	}
	return 0, false
}

func (p *project) labelName(id int64) string {
	for _, l := range p.labels {
		if l.id == id {
			return l.Name
		}
	}
	return ""
}

func (p *project) doc(id int64) (annotate.Document, bool) {
	i, ok := p.byID[id]
	if !ok {
		return annotate.Document{}, false
	}
	return p.docs[i], true
}

// layer returns the named layer, making it when create is set.
func (p *project) layer(name string, create bool) (*layer, error) {
	if l := p.layers[name]; l != nil || !create {
		return l, nil
	}
	if err := annotate.ValidateNewLayer(name); err != nil {
		return nil, err
	}
	l := newLayer(name)
	p.layers[name] = l
	return l, nil
}

func (p *project) toSpan(sp span, doc int64, layer string) annotate.Span {
	return annotate.Span{ID: sp.id, DocID: doc, Layer: layer, Start: sp.start, End: sp.end, Label: p.labelName(sp.label), Origin: sp.origin}
}

func (p *project) spansOf(l *layer, doc int64) []annotate.Span {
	if l == nil {
		return nil
	}
	var out []annotate.Span
	for _, sp := range l.spans[doc] {
		out = append(out, p.toSpan(sp, doc, l.name))
	}
	return out
}

func sortSpans(spans []span) {
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.id, b.id))
	})
}

// endUndo forgets the edits of a layer on a document whose work an import
// changed.
func (p *project) endUndo(layer string, doc int64) {
	p.edits = slices.DeleteFunc(p.edits, func(e *edit) bool { return e.layer == layer && e.doc == doc })
}

// --- Project -------------------------------------------------------------------

// Location is where the store was opened.
func (s *Store) Location() string { return s.location }

// ReadOnly reports whether the store was opened to read only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close leaves the project as it is, for the next Open.
func (s *Store) Close() error { return nil }

// lock locks the project for a read.
func (s *Store) lock() func() {
	s.p.mu.Lock()
	return s.p.mu.Unlock
}

// write locks the project for a change, refusing one on a read-only store.
func (s *Store) write(what string) (func(), error) {
	if s.readOnly {
		return nil, fmt.Errorf("%s: %w", what, annotate.ErrReadOnly)
	}
	return s.lock(), nil
}

// Stats counts documents, spans per label and layer, statuses.
func (s *Store) Stats(ctx context.Context) (*annotate.Stats, error) {
	unlock := s.lock()
	var counts []annotate.SpanCount
	for name, l := range s.p.layers {
		if annotate.IsStaging(name) {
			continue
		}
		n := map[int64]int{}
		for _, spans := range l.spans {
			for _, sp := range spans {
				n[sp.label]++
			}
		}
		for label, c := range n {
			counts = append(counts, annotate.SpanCount{Layer: name, Label: s.p.labelName(label), Spans: c})
		}
	}
	unlock()
	return annotate.NewStats(ctx, s, counts)
}

func (p *project) countStatus(l *layer) map[annotate.Status]int {
	out := map[annotate.Status]int{annotate.Todo: len(p.docs)}
	if l == nil {
		return out
	}
	for _, st := range l.states {
		if st.Status != annotate.Todo {
			out[st.Status]++
			out[annotate.Todo]--
		}
	}
	return out
}

// --- DocumentReader ------------------------------------------------------------

func notFound(what string) error { return fmt.Errorf("%s: %w", what, annotate.ErrNotFound) }

// Document returns one document with its text.
func (s *Store) Document(ctx context.Context, id int64) (annotate.Document, error) {
	defer s.lock()()
	d, ok := s.p.doc(id)
	if !ok {
		return d, notFound(fmt.Sprintf("document %d", id))
	}
	return d, nil
}

// DocumentByHash returns the document whose text has that SHA-256.
func (s *Store) DocumentByHash(ctx context.Context, sha string) (annotate.Document, error) {
	defer s.lock()()
	id, ok := s.p.byHash[sha]
	if !ok {
		return annotate.Document{}, notFound("document " + sha)
	}
	d, _ := s.p.doc(id)
	return d, nil
}

// TextSize is the size in bytes of document id's text.
func (s *Store) TextSize(ctx context.Context, id int64) (int, error) {
	defer s.lock()()
	d, ok := s.p.doc(id)
	if !ok {
		return 0, notFound(fmt.Sprintf("document %d", id))
	}
	return len(d.Text), nil
}

// TextHead is the start of document id's text: its first n code points.
func (s *Store) TextHead(ctx context.Context, id int64, n int) (string, error) {
	defer s.lock()()
	d, ok := s.p.doc(id)
	if !ok {
		return "", notFound(fmt.Sprintf("document %d", id))
	}
	return annotate.Head(d.Text, n), nil
}

// CountDocuments is the number of documents.
func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	defer s.lock()()
	return len(s.p.docs), nil
}

// CountStatus counts a layer's documents per status.
func (s *Store) CountStatus(ctx context.Context, layer string) (map[annotate.Status]int, error) {
	defer s.lock()()
	return s.p.countStatus(s.p.layers[layer]), nil
}

// matching lists the documents q selects (its Status honoured unless
// anyStatus), bringing the search index up to date first.
func (p *project) matching(q annotate.DocQuery, anyStatus bool) ([]annotate.Document, error) {
	var terms []annotate.QueryTerm
	if strings.TrimSpace(q.Search) != "" {
		var err error
		if terms, err = annotate.ParseQuery(q.Search); err != nil {
			return nil, err
		}
		p.index(0)
	}
	l := p.layers[q.Layer]
	var out []annotate.Document
	for _, d := range p.docs {
		st := annotate.DocState{Status: annotate.Todo}
		if l != nil {
			if x, ok := l.states[d.ID]; ok {
				st = x.DocState
			}
		}
		if !anyStatus && q.Status != "" && st.Status != q.Status {
			continue
		}
		if q.Queue && l != nil && l.assigned != nil && !l.assigned[d.ID] {
			continue
		}
		if terms != nil && !annotate.MatchesQuery(p.bodies[d.ID], terms) {
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

func (p *project) summary(d annotate.Document, layer string) annotate.DocSummary {
	sum := annotate.DocSummary{ID: d.ID, Name: d.Name, Length: d.Length, Status: annotate.Todo}
	if l := p.layers[layer]; l != nil {
		if st, ok := l.states[d.ID]; ok {
			sum.Status, sum.Flagged = st.Status, st.Flagged
		}
		sum.Spans = len(l.spans[d.ID])
	}
	return sum
}

// DocumentPage returns a page of the documents q selects.
func (s *Store) DocumentPage(ctx context.Context, q annotate.DocQuery, after int64, skip, limit int) ([]annotate.DocSummary, error) {
	defer s.lock()()
	docs, err := s.p.matching(q, false)
	if err != nil {
		return nil, err
	}
	var out []annotate.DocSummary
	for _, d := range docs {
		if d.ID <= after {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, s.p.summary(d, q.Layer))
	}
	return out, nil
}

// CountMatching counts the documents q selects.
func (s *Store) CountMatching(ctx context.Context, q annotate.DocQuery) (int, error) {
	defer s.lock()()
	docs, err := s.p.matching(q, false)
	return len(docs), err
}

// NextUnfinished returns the next document q's layer has not finished.
func (s *Store) NextUnfinished(ctx context.Context, q annotate.DocQuery, after int64) (int64, bool, error) {
	defer s.lock()()
	docs, err := s.p.matching(q, true)
	if err != nil {
		return 0, false, err
	}
	l := s.p.layers[q.Layer]
	unfinished := func(d annotate.Document) bool {
		if l == nil {
			return true
		}
		st := l.states[d.ID].Status
		return st != annotate.Done && st != annotate.Skipped
	}
	for _, pass := range []func(int64) bool{func(id int64) bool { return id > after }, func(id int64) bool { return id < after }} {
		for _, d := range docs {
			if pass(d.ID) && unfinished(d) {
				return d.ID, true, nil
			}
		}
	}
	return 0, false, nil
}

// DocumentIndex is the position of document id in the list q selects.
func (s *Store) DocumentIndex(ctx context.Context, q annotate.DocQuery, id int64) (int, error) {
	defer s.lock()()
	docs, err := s.p.matching(q, false)
	if err != nil {
		return 0, err
	}
	for i, d := range docs {
		if d.ID == id {
			return i, nil
		}
	}
	return -1, nil
}

// layerNames resolves EachDocument's layers argument.
func (p *project) layerNames(layers []string) []string {
	if layers != nil {
		return layers
	}
	var out []string
	for name := range p.layers {
		if !annotate.IsStaging(name) {
			out = append(out, name)
		}
	}
	return out
}

func (p *project) annotated(d annotate.Document, names []string, read annotate.Reading) *annotate.AnnotatedDoc {
	ad := &annotate.AnnotatedDoc{Document: d, Layers: map[string]*annotate.LayerDoc{}}
	if read&annotate.ReadText == 0 {
		ad.Text = ""
	}
	for _, name := range names {
		l := p.layers[name]
		if l == nil {
			continue
		}
		st, hasState := l.states[d.ID]
		spans, comments := l.spans[d.ID], l.comments[d.ID]
		if !hasState && len(spans) == 0 && len(comments) == 0 {
			continue
		}
		ld := &annotate.LayerDoc{Status: annotate.Todo, Spans: p.spansOf(l, d.ID), Comments: slices.Clone(comments)}
		if hasState {
			ld.Status, ld.Flagged, ld.Updated = st.Status, st.Flagged, st.updated
		}
		ad.Layers[name] = ld
	}
	if read&annotate.ReadKeys != 0 {
		ad.ToKeys()
	}
	return ad
}

// EachDocument calls fn for every document in import order.
func (s *Store) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	const page = 512
	for after := 0; ; after += page {
		unlock := s.lock()
		names := s.p.layerNames(layers)
		var batch []*annotate.AnnotatedDoc
		for i := after; i < len(s.p.docs) && i < after+page; i++ {
			batch = append(batch, s.p.annotated(s.p.docs[i], names, read))
		}
		unlock()
		if len(batch) == 0 {
			return nil
		}
		for _, d := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(d); err != nil {
				return err
			}
		}
	}
}

// Layers lists the layers, gold first.
func (s *Store) Layers(ctx context.Context) ([]annotate.Layer, error) {
	defer s.lock()()
	var out []annotate.Layer
	for name := range s.p.layers {
		if !annotate.IsStaging(name) {
			out = append(out, annotate.Layer{Name: name, Kind: annotate.KindOf(name)})
		}
	}
	slices.SortFunc(out, func(a, b annotate.Layer) int {
		return cmp.Or(-cmp.Compare(boolInt(a.Kind == annotate.GoldLayer), boolInt(b.Kind == annotate.GoldLayer)), strings.Compare(a.Name, b.Name))
	})
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Status is a layer's status on a document and its flag.
func (s *Store) Status(ctx context.Context, docID int64, layer string) (annotate.Status, bool, error) {
	defer s.lock()()
	if l := s.p.layers[layer]; l != nil {
		if st, ok := l.states[docID]; ok {
			return st.Status, st.Flagged, nil
		}
	}
	return annotate.Todo, false, nil
}

// Spans returns a layer's spans on a document in text order.
func (s *Store) Spans(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	defer s.lock()()
	return s.p.spansOf(s.p.layers[layer], docID), nil
}

// Comments lists the notes on a document, oldest first.
func (s *Store) Comments(ctx context.Context, docID int64) ([]annotate.Comment, error) {
	defer s.lock()()
	var out []annotate.Comment
	for _, l := range s.p.layers {
		if !annotate.IsStaging(l.name) {
			out = append(out, l.comments[docID]...)
		}
	}
	slices.SortFunc(out, func(a, b annotate.Comment) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Suggestions returns the suggestions on a document still open for layer.
func (s *Store) Suggestions(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	defer s.lock()()
	l := s.p.layers[layer]
	var out []annotate.Span
	for _, name := range annotate.SuggestionLayers(layer) {
		sl := s.p.layers[name]
		if sl == nil {
			continue
		}
		for _, sp := range sl.spans[docID] {
			if l != nil && l.rejected[docID][sp.id] {
				continue
			}
			if l != nil && slices.ContainsFunc(l.spans[docID], func(m span) bool {
				return m.start == sp.start && m.end == sp.end && m.label == sp.label
			}) {
				continue
			}
			out = append(out, s.p.toSpan(sp, docID, name))
		}
	}
	slices.SortStableFunc(out, annotate.CompareSpans)
	return out, nil
}

// suggestion finds a span of a suggestion layer on a document.
func (p *project) suggestion(docID, id int64) (annotate.Span, bool) {
	for name, l := range p.layers {
		if annotate.KindOf(name) != annotate.SuggestionLayer || annotate.IsStaging(name) {
			continue
		}
		if i := slices.IndexFunc(l.spans[docID], func(sp span) bool { return sp.id == id }); i >= 0 {
			return p.toSpan(l.spans[docID][i], docID, name), true
		}
	}
	return annotate.Span{}, false
}

// RejectedSuggestions returns the suggestions layer rejected on a
// document, or on every document when docID is 0.
func (s *Store) RejectedSuggestions(ctx context.Context, docID int64, layer string) ([]annotate.Span, error) {
	defer s.lock()()
	l := s.p.layers[layer]
	if l == nil {
		return nil, nil
	}
	var out []annotate.Span
	for doc, ids := range l.rejected {
		if docID != 0 && doc != docID {
			continue
		}
		for id := range ids {
			if sp, ok := s.p.suggestion(doc, id); ok {
				out = append(out, sp)
			}
		}
	}
	slices.SortFunc(out, func(a, b annotate.Span) int {
		return cmp.Or(cmp.Compare(a.DocID, b.DocID), annotate.CompareSpans(a, b))
	})
	return out, nil
}

func (p *project) settled(doc int64) map[int64][]annotate.Stretch {
	out := map[int64][]annotate.Stretch{}
	for _, e := range p.edits {
		if e.layer == annotate.Gold && !e.undone && (doc == 0 || e.doc == doc) {
			out[e.doc] = append(out[e.doc], e.settled...)
		}
	}
	for d, sts := range out {
		slices.SortFunc(sts, func(a, b annotate.Stretch) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
		})
		out[d] = slices.Compact(sts)
		if len(out[d]) == 0 {
			delete(out, d)
		}
	}
	return out
}

// Settled lists the stretches of a document gold's live edits settled.
func (s *Store) Settled(ctx context.Context, docID int64) ([]annotate.Stretch, error) {
	defer s.lock()()
	return s.p.settled(docID)[docID], nil
}

// AllSettled gives the settled stretches of every document.
func (s *Store) AllSettled(ctx context.Context) (map[int64][]annotate.Stretch, error) {
	defer s.lock()()
	return s.p.settled(0), nil
}

// Assigned reports whether layer has an assignment.
func (s *Store) Assigned(ctx context.Context, layer string) (bool, error) {
	defer s.lock()()
	l := s.p.layers[layer]
	return l != nil && len(l.assigned) > 0, nil
}

// AllowOverlap reports whether spans of one layer may overlap.
func (s *Store) AllowOverlap(ctx context.Context) (bool, error) {
	defer s.lock()()
	return s.p.allowOverlap, nil
}

// Labels returns the label set in display order.
func (s *Store) Labels(ctx context.Context) (annotate.LabelSet, error) {
	defer s.lock()()
	return s.p.labelSet(), nil
}

// LabelUsage counts the spans that carry a label.
func (s *Store) LabelUsage(ctx context.Context, name string) (int, error) {
	defer s.lock()()
	return s.p.labelUsage(name), nil
}

func (p *project) labelUsage(name string) int {
	id, ok := p.labelID(name)
	if !ok {
		return 0
	}
	n := 0
	for _, l := range p.layers {
		for _, spans := range l.spans {
			for _, sp := range spans {
				if sp.label == id {
					n++
				}
			}
		}
	}
	return n
}

// --- Editor and Undoer -------------------------------------------------------

// editTx is an open edit: it works on copies of the layer's spans and
// status on the document, which replace the originals when it succeeds.
type editTx struct {
	p        *project
	layer    string
	doc      int64
	spans    []span
	st       state
	hasSt    bool
	rejected map[int64]bool // suggestion ids
	ops      []op
	settled  []annotate.Stretch
}

// Edit runs fn as one edit of layer on document docID: all or nothing.
func (s *Store) Edit(ctx context.Context, layer string, docID int64, kind string, fn func(annotate.LayerEdit) error) error {
	unlock, err := s.write(kind)
	if err != nil {
		return err
	}
	defer unlock()
	p := s.p
	l, err := p.layer(layer, false)
	if err != nil {
		return err
	}
	e := &editTx{p: p, layer: layer, doc: docID, rejected: map[int64]bool{}}
	if l != nil {
		e.spans = slices.Clone(l.spans[docID])
		e.st, e.hasSt = l.states[docID]
		maps.Copy(e.rejected, l.rejected[docID])
	}
	if err := fn(e); err != nil {
		return err
	}
	if len(e.ops) == 0 {
		return nil
	}
	if l, err = p.layer(layer, true); err != nil {
		return err
	}
	l.spans[docID] = e.spans
	if e.hasSt {
		l.states[docID] = e.st
	}
	l.rejected[docID] = e.rejected
	p.edits = slices.DeleteFunc(p.edits, func(x *edit) bool { return x.layer == layer && x.doc == docID && x.undone })
	p.next.edit++
	p.edits = append(p.edits, &edit{id: p.next.edit, layer: layer, doc: docID, kind: kind, ops: e.ops, settled: e.settled})
	return nil
}

func (e *editTx) Rules() (annotate.SpanRules, error) {
	d, ok := e.p.doc(e.doc)
	if !ok {
		return annotate.SpanRules{}, notFound(fmt.Sprintf("document %d", e.doc))
	}
	return annotate.SpanRules{TextLen: d.Length, Labels: e.p.labelSet(), AllowOverlap: e.p.allowOverlap}, nil
}

func (e *editTx) Spans() ([]annotate.Span, error) {
	if _, err := e.Rules(); err != nil {
		return nil, err
	}
	out := make([]annotate.Span, len(e.spans))
	for i, sp := range e.spans {
		out[i] = e.p.toSpan(sp, e.doc, e.layer)
	}
	return out, nil
}

func (e *editTx) row(sp annotate.Span) (span, error) {
	id, ok := e.p.labelID(sp.Label)
	if !ok {
		return span{}, fmt.Errorf("%w %q for span [%d,%d)", annotate.ErrUnknownLabel, sp.Label, sp.Start, sp.End)
	}
	if sp.Origin == "" {
		sp.Origin = annotate.Manual
	}
	return span{id: sp.ID, start: sp.Start, end: sp.End, label: id, origin: sp.Origin}, nil
}

func (e *editTx) Insert(sp annotate.Span) (annotate.Span, error) {
	if _, err := e.Rules(); err != nil {
		return sp, err
	}
	r, err := e.row(sp)
	if err != nil {
		return sp, err
	}
	e.p.next.span++
	r.id = e.p.next.span
	e.spans = append(e.spans, r)
	sortSpans(e.spans)
	e.ops = append(e.ops, op{kind: "insert", span: r})
	return e.p.toSpan(r, e.doc, e.layer), nil
}

func (e *editTx) find(id int64) (int, error) {
	if i := slices.IndexFunc(e.spans, func(sp span) bool { return sp.id == id }); i >= 0 {
		return i, nil
	}
	return -1, notFound(fmt.Sprintf("span %d", id))
}

func (e *editTx) Delete(id int64) error {
	i, err := e.find(id)
	if err != nil {
		return err
	}
	e.ops = append(e.ops, op{kind: "delete", span: e.spans[i]})
	e.spans = slices.Delete(e.spans, i, i+1)
	return nil
}

func (e *editTx) Update(sp annotate.Span) error {
	i, err := e.find(sp.ID)
	if err != nil {
		return err
	}
	r, err := e.row(sp)
	if err != nil {
		return err
	}
	e.ops = append(e.ops, op{kind: "update", span: r, before: e.spans[i]})
	e.spans[i] = r
	sortSpans(e.spans)
	return nil
}

func (e *editTx) State() (annotate.DocState, bool, error) {
	if !e.hasSt {
		return annotate.DocState{Status: annotate.Todo}, false, nil
	}
	return e.st.DocState, true, nil
}

func (e *editTx) SetState(st annotate.DocState) error {
	if _, err := e.Rules(); err != nil {
		return err
	}
	next := state{DocState: st, updated: time.Now()}
	e.ops = append(e.ops, op{kind: "status", status: next, was: e.st, hadStatus: e.hasSt})
	e.st, e.hasSt = next, true
	return nil
}

func (e *editTx) Settle(stretches []annotate.Stretch) { e.settled = append(e.settled, stretches...) }

func (e *editTx) Rejected() ([]int64, error) {
	return slices.Sorted(maps.Keys(e.rejected)), nil
}

func (e *editTx) SetRejected(id int64, rejected bool) error {
	if _, ok := e.p.suggestion(e.doc, id); !ok {
		return notFound(fmt.Sprintf("suggestion %d", id))
	}
	if e.rejected[id] == rejected {
		return nil
	}
	o := op{kind: "restore", suggestion: id}
	if rejected {
		o.kind = "reject"
		e.rejected[id] = true
	} else {
		delete(e.rejected, id)
	}
	e.ops = append(e.ops, o)
	return nil
}

// Undo reverses the newest live edit of layer on a document.
func (s *Store) Undo(ctx context.Context, layer string, docID int64) (annotate.Edit, error) {
	return s.replay(layer, docID, true)
}

// Redo applies again the edit Undo reversed last.
func (s *Store) Redo(ctx context.Context, layer string, docID int64) (annotate.Edit, error) {
	return s.replay(layer, docID, false)
}

func (s *Store) replay(layer string, docID int64, undo bool) (annotate.Edit, error) {
	ed := annotate.Edit{DocID: docID, Layer: layer}
	unlock, err := s.write("undo")
	if err != nil {
		return ed, err
	}
	defer unlock()
	p := s.p
	var target *edit
	for _, e := range p.edits {
		if e.layer != layer || e.doc != docID {
			continue
		}
		if undo && !e.undone {
			target = e // the newest live one
		}
		if !undo && e.undone && target == nil {
			target = e // the oldest undone one
		}
	}
	if target == nil {
		if undo {
			return ed, annotate.ErrNothingToUndo
		}
		return ed, annotate.ErrNothingToRedo
	}
	l, _ := p.layer(layer, true)
	spans := slices.Clone(l.spans[docID])
	st, hasSt := l.states[docID]
	rejected := maps.Clone(l.rejected[docID])
	if rejected == nil {
		rejected = map[int64]bool{}
	}
	apply := func(o op, reverse bool) {
		switch {
		case o.kind == "insert" && !reverse, o.kind == "delete" && reverse:
			spans = append(spans, o.span)
			sortSpans(spans)
		case o.kind == "delete" && !reverse, o.kind == "insert" && reverse:
			spans = slices.DeleteFunc(spans, func(sp span) bool { return sp.id == o.span.id })
		case o.kind == "update":
			to := o.span
			if reverse {
				to = o.before
			}
			for i := range spans {
				if spans[i].id == to.id {
					spans[i] = to
				}
			}
			sortSpans(spans)
		case o.kind == "status":
			if reverse {
				st, hasSt = o.was, o.hadStatus
			} else {
				st, hasSt = o.status, true
			}
		case o.kind == "reject" && !reverse, o.kind == "restore" && reverse:
			if _, ok := p.suggestion(docID, o.suggestion); ok { // a suggestion that is gone stays gone
				rejected[o.suggestion] = true
			}
		case o.kind == "restore" && !reverse, o.kind == "reject" && reverse:
			delete(rejected, o.suggestion)
		}
	}
	if undo {
		for i := len(target.ops) - 1; i >= 0; i-- {
			apply(target.ops[i], true)
		}
	} else {
		for _, o := range target.ops {
			apply(o, false)
		}
	}
	l.spans[docID] = spans
	if hasSt {
		l.states[docID] = st
	} else {
		delete(l.states, docID)
	}
	l.rejected[docID] = rejected
	target.undone = undo
	ed.ID, ed.Kind = target.id, target.kind
	return ed, nil
}

// --- Annotations -------------------------------------------------------------

// AddComment leaves a note on a document for a layer.
func (s *Store) AddComment(ctx context.Context, c annotate.Comment) (annotate.Comment, error) {
	unlock, err := s.write("add comment")
	if err != nil {
		return c, err
	}
	defer unlock()
	if _, ok := s.p.doc(c.DocID); !ok {
		return c, notFound(fmt.Sprintf("document %d", c.DocID))
	}
	l, err := s.p.layer(c.Layer, true)
	if err != nil {
		return c, err
	}
	s.p.next.comment++
	c.ID = s.p.next.comment
	if c.Created.IsZero() {
		c.Created = time.Now()
	}
	l.comments[c.DocID] = append(l.comments[c.DocID], c)
	return c, nil
}

// --- Settings ----------------------------------------------------------------

// Setting returns the value kept under key, "" when none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	defer s.lock()()
	return s.p.settings[key], nil
}

// SetSetting keeps value under key; "" removes it.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	unlock, err := s.write("change a setting")
	if err != nil {
		return err
	}
	defer unlock()
	if value == "" {
		delete(s.p.settings, key)
	} else {
		s.p.settings[key] = value
	}
	return nil
}

// --- LabelEditor -----------------------------------------------------------------

// AddLabel adds a label at the end of the set.
func (s *Store) AddLabel(ctx context.Context, l annotate.Label) error {
	unlock, err := s.write("add label")
	if err != nil {
		return err
	}
	defer unlock()
	return s.p.addLabel(l)
}

func (p *project) addLabel(l annotate.Label) error {
	l, err := p.labelSet().NewLabel(l)
	if err != nil {
		return err
	}
	p.next.label++
	p.labels = append(p.labels, labelRow{p.next.label, l})
	return nil
}

// UpdateLabel changes the label called name into l.
func (s *Store) UpdateLabel(ctx context.Context, name string, l annotate.Label) error {
	unlock, err := s.write("update label")
	if err != nil {
		return err
	}
	defer unlock()
	set, err := s.p.labelSet().Replace(name, l)
	if err != nil {
		return err
	}
	for i := range s.p.labels {
		s.p.labels[i].Label = set[i]
	}
	return nil
}

// DeleteLabel removes a label, moving its spans to relabelTo when given.
func (s *Store) DeleteLabel(ctx context.Context, name, relabelTo string) error {
	unlock, err := s.write("delete label")
	if err != nil {
		return err
	}
	defer unlock()
	p := s.p
	id, ok := p.labelID(name)
	if !ok {
		return notFound("label " + name)
	}
	if used := p.labelUsage(name); used > 0 {
		if relabelTo == "" {
			return fmt.Errorf("label %s is used by %d spans: %w", name, used, annotate.ErrLabelInUse)
		}
		to, ok := p.labelID(relabelTo)
		if !ok || to == id {
			return fmt.Errorf("relabel to %s: %w", relabelTo, annotate.ErrNotFound)
		}
		for _, l := range p.layers {
			for doc, spans := range l.spans {
				for i := range spans {
					if spans[i].label == id {
						spans[i].label = to
					}
				}
				l.spans[doc] = spans
			}
		}
	}
	p.labels = slices.DeleteFunc(p.labels, func(l labelRow) bool { return l.id == id })
	return nil
}

// SetAllowOverlap changes whether spans of one layer may overlap.
func (s *Store) SetAllowOverlap(ctx context.Context, allow bool) error {
	unlock, err := s.write("set overlap")
	if err != nil {
		return err
	}
	defer unlock()
	s.p.allowOverlap = allow
	return nil
}

// --- Searcher ------------------------------------------------------------------

// index adds up to limit of the documents the index lacks (all of them
// when limit is 0), in import order, and says how many it added.
func (p *project) index(limit int) int {
	n := 0
	for _, d := range p.docs {
		if d.ID <= p.indexedUpto {
			continue
		}
		if limit > 0 && n == limit {
			break
		}
		p.bodies[d.ID] = annotate.SearchBody(d.Name + "\n" + d.Text)
		p.indexedUpto = d.ID
		n++
	}
	return n
}

// SearchIndexState reports how many documents the index lacks.
func (s *Store) SearchIndexState(ctx context.Context) (missing, total int, err error) {
	defer s.lock()()
	for _, d := range s.p.docs {
		if d.ID > s.p.indexedUpto {
			missing++
		}
	}
	return missing, len(s.p.docs), nil
}

// IndexForSearch adds the documents the index lacks, 250 at a time;
// cancelling ctx stops between batches.
func (s *Store) IndexForSearch(ctx context.Context, progress func(done, todo int)) error {
	missing, _, _ := s.SearchIndexState(ctx)
	for done := 0; done < missing; {
		if err := ctx.Err(); err != nil {
			return err
		}
		unlock := s.lock()
		n := s.p.index(250)
		unlock()
		if n == 0 {
			break
		}
		done += n
		if progress != nil {
			progress(done, missing)
		}
	}
	return nil
}

// CorpusOccurrences finds needle in the documents other than except.
func (s *Store) CorpusOccurrences(ctx context.Context, needle string, except int64, limit int) ([]annotate.DocOccurrence, bool, error) {
	words := annotate.SearchWords(annotate.Fold(needle))
	if len(words) == 0 {
		return nil, false, nil
	}
	defer s.lock()()
	s.p.index(0)
	terms := []annotate.QueryTerm{{Words: words, Phrase: true}}
	var occ []annotate.DocOccurrence
	for _, d := range s.p.docs {
		if d.ID == except || !annotate.MatchesQuery(s.p.bodies[d.ID], terms) {
			continue
		}
		for _, o := range annotate.FindOccurrences(d.Text, needle) {
			if limit > 0 && len(occ) >= limit {
				return occ, true, nil
			}
			occ = append(occ, annotate.DocOccurrence{DocID: d.ID, DocName: d.Name, Text: d.Text, Occurrence: o})
		}
	}
	return occ, false, nil
}

// --- Assigner ----------------------------------------------------------------------

// Assign shares the documents among annotators (annotate.PlanAssignment).
func (s *Store) Assign(ctx context.Context, annotators []string, overlap float64, seed uint64) (annotate.AssignSummary, error) {
	unlock, err := s.write("assign")
	if err != nil {
		return annotate.AssignSummary{}, err
	}
	defer unlock()
	ids := make([]int64, len(s.p.docs))
	for i, d := range s.p.docs {
		ids[i] = d.ID
	}
	plan, sum, err := annotate.PlanAssignment(ids, annotators, overlap, seed)
	if err != nil {
		return sum, err
	}
	for _, a := range annotators {
		l, err := s.p.layer(a, true)
		if err != nil {
			return sum, err
		}
		l.assigned = map[int64]bool{}
		for _, id := range plan[a] {
			l.assigned[id] = true
		}
	}
	return sum, nil
}

// --- Bulk ------------------------------------------------------------------------------

// NewImporter starts adding articles; each is stored as it is added.
func (s *Store) NewImporter(ctx context.Context) (annotate.DocumentImporter, error) {
	if s.readOnly {
		return nil, fmt.Errorf("import: %w", annotate.ErrReadOnly)
	}
	return &importer{s: s}, nil
}

type importer struct {
	s     *Store
	added int
}

func (im *importer) Add(d annotate.Document) (int64, bool, error) {
	defer im.s.lock()()
	id, added, err := im.s.p.addDocument(d)
	if added {
		im.added++
	}
	return id, added, err
}

func (im *importer) Committed() int { return im.added }

func (im *importer) Close() error { return nil }
func (im *importer) Abort()       {}

func (p *project) addDocument(d annotate.Document) (int64, bool, error) {
	if d.SHA256 == "" {
		d = annotate.NewDocument(d.Name, d.Text, d.Meta)
	}
	if id, ok := p.byHash[d.SHA256]; ok {
		return id, false, nil
	}
	p.next.doc++
	d.ID = p.next.doc
	p.byHash[d.SHA256] = d.ID
	p.byID[d.ID] = len(p.docs)
	p.docs = append(p.docs, d)
	return d.ID, true, nil
}

// NewAnnotationImporter starts adding others' annotations.
func (s *Store) NewAnnotationImporter(ctx context.Context) (annotate.AnnotationImporter, error) {
	if s.readOnly {
		return nil, fmt.Errorf("import: %w", annotate.ErrReadOnly)
	}
	return &annotationImporter{s: s}, nil
}

type annotationImporter struct{ s *Store }

func (ai *annotationImporter) Labels() (annotate.LabelSet, error) {
	defer ai.s.lock()()
	return ai.s.p.labelSet(), nil
}

func (ai *annotationImporter) AddLabel(name string) error {
	defer ai.s.lock()()
	return ai.s.p.addLabel(annotate.Label{Name: name})
}

func (ai *annotationImporter) Document(doc annotate.Document) (annotate.Document, bool, error) {
	defer ai.s.lock()()
	id, added, err := ai.s.p.addDocument(doc)
	if err != nil {
		return doc, false, err
	}
	d, _ := ai.s.p.doc(id)
	return d, added, nil
}

func (ai *annotationImporter) Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error) {
	defer ai.s.lock()()
	p := ai.s.p
	l, err := p.layer(layer, true)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, sp := range spans {
		label, ok := p.labelID(sp.Label)
		if !ok {
			return added, fmt.Errorf("%w %q", annotate.ErrUnknownLabel, sp.Label)
		}
		if slices.ContainsFunc(l.spans[docID], func(x span) bool { return x.start == sp.Start && x.end == sp.End && x.label == label }) {
			continue
		}
		origin := sp.Origin
		if origin == "" {
			origin = annotate.Imported
		}
		p.next.span++
		l.spans[docID] = append(l.spans[docID], span{id: p.next.span, start: sp.Start, end: sp.End, label: label, origin: origin})
		added++
	}
	sortSpans(l.spans[docID])
	if status != "" {
		st := l.states[docID]
		st.Status, st.updated = status, time.Now()
		l.states[docID] = st
	}
	if added > 0 || status != "" {
		p.endUndo(layer, docID)
	}
	return added, nil
}

func (ai *annotationImporter) SetState(docID int64, layer string, st annotate.DocState, updated time.Time) error {
	defer ai.s.lock()()
	l, err := ai.s.p.layer(layer, true)
	if err != nil {
		return err
	}
	l.states[docID] = state{DocState: st, updated: updated}
	ai.s.p.endUndo(layer, docID)
	return nil
}

func (ai *annotationImporter) AddComment(c annotate.Comment) error {
	defer ai.s.lock()()
	l, err := ai.s.p.layer(c.Layer, true)
	if err != nil {
		return err
	}
	ai.s.p.next.comment++
	c.ID = ai.s.p.next.comment
	l.comments[c.DocID] = append(l.comments[c.DocID], c)
	return nil
}

func (ai *annotationImporter) Close() error { return nil }
func (ai *annotationImporter) Abort()       {}

// PublishLayers gives staging layers their names.
func (s *Store) PublishLayers(ctx context.Context, names map[string]string) error {
	unlock, err := s.write("publish layers")
	if err != nil {
		return err
	}
	defer unlock()
	p := s.p
	for _, staging := range slices.Sorted(maps.Keys(names)) {
		from := p.layers[staging]
		if from == nil {
			continue
		}
		name := names[staging]
		delete(p.layers, staging)
		to := p.layers[name]
		if to == nil {
			from.name = name
			for _, cs := range from.comments {
				for i := range cs {
					cs[i].Layer = name
				}
			}
			p.layers[name] = from
			continue
		}
		for doc, spans := range from.spans {
			to.spans[doc] = append(to.spans[doc], spans...)
			sortSpans(to.spans[doc])
		}
		maps.Copy(to.states, from.states)
		for doc, cs := range from.comments {
			for _, c := range cs {
				c.Layer = name
				to.comments[doc] = append(to.comments[doc], c)
			}
		}
	}
	return nil
}

// DropLayers removes staging layers.
func (s *Store) DropLayers(ctx context.Context, staging []string) error {
	unlock, err := s.write("drop layers")
	if err != nil {
		return err
	}
	defer unlock()
	for _, name := range staging {
		delete(s.p.layers, name)
	}
	return nil
}
