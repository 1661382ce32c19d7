package annotate

import (
	"context"
	"errors"
	"time"
)

// Errors every store returns (wrapped) so callers can tell cases apart.
var (
	ErrNotFound      = errors.New("not found")
	ErrLabelInUse    = errors.New("label in use")
	ErrNothingToUndo = errors.New("nothing to undo")
	ErrNothingToRedo = errors.New("nothing to redo")
	// ErrReplayFailed: an edit could not be undone or redone; it left the
	// history, so that undo goes on with the edit before it.
	ErrReplayFailed = errors.New("it could not be replayed and left the edit history")
	// ErrNoProject: there is no project where one was to be opened.
	ErrNoProject = errors.New("no project there")
	// ErrNotProject: the file is not a Qalam project.
	ErrNotProject = errors.New("not a Qalam project")
	// ErrDamaged: the project file is damaged.
	ErrDamaged = errors.New("the project file is damaged")
	// ErrStorage: the project could not be written (a full disk, a
	// failing one).
	ErrStorage = errors.New("the project could not be written")
	// ErrBusy: another program holds the project for writing longer than
	// an edit waits.
	ErrBusy = errors.New("the project is busy: another program (a merge or an import?) is writing to it")
	// ErrReadOnly: the project cannot be written.
	ErrReadOnly = errors.New("the project is read-only")
	// ErrOldSchema: the project was made by an earlier version, and opened
	// to read only, which cannot bring it up to date.
	ErrOldSchema = errors.New("the project was made by an earlier version of Qalam")
)

// DocSummary is one row of the document list.
type DocSummary struct {
	ID      int64
	Name    string
	Length  int    // code points
	Status  Status // of the layer asked for; Todo when never touched
	Flagged bool
	Spans   int // in the layer asked for
}

// DocQuery selects documents for the list, for one layer's point of view.
type DocQuery struct {
	Layer  string
	Status Status // "" for any
	Search string // full-text query, "" for none
	// Queue limits the list to the documents assigned to Layer, when it
	// has an assignment.
	Queue  bool
	Offset int
	Limit  int // 0 for no limit
}

// LayerStats counts one layer's work.
type LayerStats struct {
	Kind   LayerKind      `json:"kind"`
	Spans  int            `json:"spans"`
	Labels map[string]int `json:"labels"`
	Status map[Status]int `json:"status"`
}

// Stats summarises a project.
type Stats struct {
	Documents int                    `json:"documents"`
	Layers    map[string]*LayerStats `json:"layers"`
	// Labels counts spans per label over all layers.
	Labels map[string]int `json:"labels"`
}

// SpanCount is how many spans of one label one layer holds.
type SpanCount struct {
	Layer, Label string
	Spans        int
}

// StatsReader is what NewStats reads from a store.
type StatsReader interface {
	CountDocuments(ctx context.Context) (int, error)
	Layers(ctx context.Context) ([]Layer, error)
	CountStatus(ctx context.Context, layer string) (map[Status]int, error)
	Labels(ctx context.Context) (LabelSet, error)
}

// NewStats summarises a project from what r reads and from counts, its
// spans per layer and label (which a store counts in one query). Every
// label and every layer r lists has its entry, zero or not; the spans of
// layers r does not list count only in the labels' totals.
func NewStats(ctx context.Context, r StatsReader, counts []SpanCount) (*Stats, error) {
	st := &Stats{Layers: map[string]*LayerStats{}, Labels: map[string]int{}}
	var err error
	if st.Documents, err = r.CountDocuments(ctx); err != nil {
		return nil, err
	}
	layers, err := r.Layers(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range layers {
		ls := &LayerStats{Kind: l.Kind, Labels: map[string]int{}}
		if ls.Status, err = r.CountStatus(ctx, l.Name); err != nil {
			return nil, err
		}
		st.Layers[l.Name] = ls
	}
	labels, err := r.Labels(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		st.Labels[l.Name] = 0
	}
	for _, c := range counts {
		if ls := st.Layers[c.Layer]; ls != nil {
			ls.Labels[c.Label] += c.Spans
			ls.Spans += c.Spans
		}
		st.Labels[c.Label] += c.Spans
	}
	return st, nil
}

// Edit is one undoable change, as recorded in the edit log.
type Edit struct {
	ID    int64
	DocID int64
	Layer string
	// What the change did, for menus and messages: "add span", "delete span",
	// "relabel span", "set status", ...
	Kind string
}

// LayerDoc is one layer's work on one document.
type LayerDoc struct {
	Status  Status
	Flagged bool
	Updated time.Time // when the status was last set; zero when never
	Spans   []Span
	// Keys, read instead of Spans with ReadKeys, are the spans' keys in
	// text order (by start, then end).
	Keys []SpanKey
	// Comments are the layer's notes on the document, oldest first.
	Comments []Comment
}

// Reading says what EachDocument reads of each document besides its
// layers' statuses and comments.
type Reading uint8

const (
	// ReadSpans reads each layer's spans whole, and no text.
	ReadSpans Reading = 0
	// ReadText reads each document's text too; Text is empty otherwise.
	ReadText Reading = 1 << 0
	// ReadKeys reads of each layer's work only what a measure of it
	// needs: its status, and its spans as their keys alone
	// (LayerDoc.Keys). Spans is left nil, and so are Flagged, Updated
	// and Comments. A span's range and label are 32 bytes, the whole
	// span 80, and a reader that needs nothing more (agreement, over
	// millions of spans) reads faster so: a tenth faster again without
	// the times of the statuses.
	ReadKeys Reading = 1 << 1
)

// ToKeys leaves of each layer's work what EachDocument gives with
// ReadKeys: its status, and its spans as keys (for stores that read
// spans whole, in text order).
func (d *AnnotatedDoc) ToKeys() {
	for _, l := range d.Layers {
		l.Keys = make([]SpanKey, len(l.Spans))
		for i, sp := range l.Spans {
			l.Keys[i] = sp.Key()
		}
		*l = LayerDoc{Status: l.Status, Keys: l.Keys}
	}
}

// AnnotatedDoc is a document with the work of some of its layers; a layer
// that never touched the document is absent.
type AnnotatedDoc struct {
	Document
	Layers map[string]*LayerDoc
}

// Layer returns the named layer's work, or an empty todo one.
func (d *AnnotatedDoc) Layer(name string) *LayerDoc {
	if l := d.Layers[name]; l != nil {
		return l
	}
	return &LayerDoc{Status: Todo}
}

// SalvageSummary counts what was copied out of a damaged project, and
// says what could not be.
type SalvageSummary struct {
	Documents, Spans, Statuses, Comments int
	Lost                                 []string // what could not be read, one line each
}
