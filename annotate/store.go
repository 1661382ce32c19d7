package annotate

import (
	"context"
	"time"
)

// The store contract: what a project store (annotate/sqlite, or a team
// store on a database server) provides, in small interfaces named for what
// their callers do. The rules that keep the data consistent live in this
// package (editing.go, adjudicate.go, search.go, assign.go), so a store
// only stores and queries; annotate/storetest checks that a store keeps
// the contract.
//
// Every error a store returns names the operation and the object it was
// about, and wraps ErrNotFound, ErrOverlap, ... where one of those is the
// reason, so callers can tell cases apart with errors.Is.

// OpenMode says what opening a project may do: OpenExisting, or some of
// the other flags.
type OpenMode int

const (
	// OpenExisting opens a project that exists, to read and write.
	OpenExisting OpenMode = 0
	// OpenCreate opens a project, making a new one when there is none.
	OpenCreate OpenMode = 1 << iota
	// OpenReadOnly opens a project that exists, to read only.
	OpenReadOnly
	// OpenCheckLater leaves the check of a large file's soundness, which
	// reads it whole, to the caller (Checker), so that a window can show
	// first.
	OpenCheckLater
)

// Creates reports whether m may make a new project.
func (m OpenMode) Creates() bool { return m&OpenCreate != 0 }

// IsReadOnly reports whether m opens to read only.
func (m OpenMode) IsReadOnly() bool { return m&OpenReadOnly != 0 }

// ChecksLater reports whether m leaves the soundness check to the caller.
func (m OpenMode) ChecksLater() bool { return m&OpenCheckLater != 0 }

// FileStore is a store kept in one file that a user may copy.
type FileStore interface {
	// Checkpoint moves what is committed into the project file itself (a
	// WAL keeps the last edits beside it), so that a copy of the file made
	// now is complete.
	Checkpoint(ctx context.Context) error
	// SaveCopy writes the whole project, compacted, to a new file at path.
	SaveCopy(ctx context.Context, path string) error
}

// Checker is a store whose file can be damaged.
type Checker interface {
	// Check reads the file whole and returns an error wrapping ErrDamaged
	// when it is damaged.
	Check(ctx context.Context) error
	// Checked reports whether the file was found sound: when it opened,
	// or by Check.
	Checked() bool
}

// Store is an open project, as the app and the command line hold it.
type Store interface {
	Project
	DocumentReader
	Editor
	Undoer
	SpanEditor
	Annotations
	Settings
	LabelEditor
	Searcher
	Assigner
	Bulk
}

// Project is what every store says about itself.
type Project interface {
	// Location names the project for people: a file's path, or a
	// server's address without its password.
	Location() string
	// Stats counts documents, spans per label and layer, statuses.
	Stats(ctx context.Context) (*Stats, error)
	Close() error
}

// DocumentReader reads the corpus and each layer's progress on it.
type DocumentReader interface {
	Document(ctx context.Context, id int64) (Document, error)
	DocumentByHash(ctx context.Context, sha string) (Document, error)
	// TextSize is the size in bytes of document id's text, told without
	// reading the text, which may be a hundred megabytes.
	TextSize(ctx context.Context, id int64) (int, error)
	// TextHead is the start of document id's text: its first n code
	// points, or the whole text when it is shorter. It reads about what
	// it returns, not the whole text: a window shows the start of a
	// long document while the rest is read.
	TextHead(ctx context.Context, id int64, n int) (string, error)
	CountDocuments(ctx context.Context) (int, error)
	// CountStatus counts a layer's documents per status; documents the
	// layer never touched count as todo.
	CountStatus(ctx context.Context, layer string) (map[Status]int, error)
	// DocumentPage returns up to limit documents (0: all) of those q
	// selects (its Offset and Limit ignored) whose id is above after,
	// skipping the first skip of them, in import order.
	DocumentPage(ctx context.Context, q DocQuery, after int64, skip, limit int) ([]DocSummary, error)
	// CountMatching counts the documents q selects.
	CountMatching(ctx context.Context, q DocQuery) (int, error)
	// NextUnfinished returns the first document after the one with id
	// after, in import order and wrapping round, that q's layer has not
	// finished and q selects (its Status ignored); never after itself.
	NextUnfinished(ctx context.Context, q DocQuery, after int64) (id int64, ok bool, err error)
	// DocumentIndex is the position of document id in the list q
	// selects, or -1 when q leaves it out.
	DocumentIndex(ctx context.Context, q DocQuery, id int64) (int, error)
	// EachDocument calls fn for every document in import order, with the
	// spans and statuses of the named layers: all layers when layers is
	// nil, none when it is empty but not nil. read says whether texts are
	// read, and spans whole or as keys. It reads in pages, so memory does
	// not grow with the project.
	EachDocument(ctx context.Context, layers []string, read Reading, fn func(*AnnotatedDoc) error) error
	// Layers lists the project's layers, gold first.
	Layers(ctx context.Context) ([]Layer, error)
	// Status is a layer's status on a document (todo when never set) and
	// whether the document is flagged.
	Status(ctx context.Context, docID int64, layer string) (Status, bool, error)
	// Spans returns a layer's spans on one document in text order.
	Spans(ctx context.Context, docID int64, layer string) ([]Span, error)
	// Comments lists the notes on a document, oldest first.
	Comments(ctx context.Context, docID int64) ([]Comment, error)
	// Suggestions returns the spans, on a document, of the suggestion
	// layers layer sees (SuggestionLayers) that are still open for it: not
	// rejected by it and not already in it (same range and label), in
	// text order; each span's Layer names its suggestion layer.
	Suggestions(ctx context.Context, docID int64, layer string) ([]Span, error)
	// RejectedSuggestions returns the suggestions layer rejected on
	// document docID (on every document when docID is 0), by document and
	// in text order; each span's Layer names its suggestion layer.
	RejectedSuggestions(ctx context.Context, docID int64, layer string) ([]Span, error)
	// Settled lists the stretches of a document that gold's live edits
	// settled, in text order; AllSettled those of every document.
	Settled(ctx context.Context, docID int64) ([]Stretch, error)
	AllSettled(ctx context.Context) (map[int64][]Stretch, error)
	// Assigned reports whether layer has an assignment (a queue).
	Assigned(ctx context.Context, layer string) (bool, error)
	// AllowOverlap reports whether spans of one layer may overlap.
	AllowOverlap(ctx context.Context) (bool, error)
	Labels(ctx context.Context) (LabelSet, error)
	// LabelUsage counts the spans, in all layers, that carry a label.
	LabelUsage(ctx context.Context, name string) (int, error)
}

// Editor runs edits: each is one transaction on one layer of one
// document, logged so that Undo reverses it. The editing rules
// (SpanEditor) are built on it.
type Editor interface {
	// Edit runs fn as one edit of layer on document docID, described by
	// kind ("add span", ...): all of what fn did, or nothing when fn or
	// the commit fails. An edit that changed nothing is not logged. A new
	// edit ends what could be redone in that layer and document.
	Edit(ctx context.Context, layer string, docID int64, kind string, fn func(LayerEdit) error) error
}

// LayerEdit is one open edit: the store's side of the editing rules.
type LayerEdit interface {
	// Rules are what new spans of this layer on this document are
	// checked against; the error wraps ErrNotFound when the document
	// does not exist.
	Rules() (SpanRules, error)
	// Spans are the layer's spans on the document as the edit has left
	// them so far, in text order.
	Spans() ([]Span, error)
	// Insert stores a new span (its ID is ignored) and returns it with
	// the id it was given; ids are never reused.
	Insert(sp Span) (Span, error)
	// Delete removes the layer's span with that id.
	Delete(id int64) error
	// Update changes the layer's span with sp.ID to sp.
	Update(sp Span) error
	// State is the layer's status and flag on the document; ok is false
	// when never set.
	State() (st DocState, ok bool, err error)
	SetState(st DocState) error
	// Settle remembers stretches as settled by this edit (adjudication):
	// undoing the edit unsettles them.
	Settle(stretches []Stretch)
	// Rejected lists, by id, the suggestions (spans of suggestion layers
	// on this document) this layer has rejected.
	Rejected() ([]int64, error)
	// SetRejected rejects the suggestion id for this layer (hides it) or,
	// with rejected false, takes the rejection back; the error wraps
	// ErrNotFound when id is no suggestion on this document. Undoing the
	// edit reverses it; undoing it once the suggestion is gone does
	// nothing.
	SetRejected(id int64, rejected bool) error
}

// DocState is one layer's status on a document, and its flag.
type DocState struct {
	Status  Status
	Flagged bool
}

// Undoer replays the edit log.
type Undoer interface {
	// Undo reverses the newest live edit of layer on document docID
	// (ErrNothingToUndo when none).
	Undo(ctx context.Context, layer string, docID int64) (Edit, error)
	// Redo applies again the edit Undo reversed last (ErrNothingToRedo).
	Redo(ctx context.Context, layer string, docID int64) (Edit, error)
}

// SpanEditor is every user edit: the rules of editing.go over an Editor.
// Stores provide it by embedding Editing.
type SpanEditor interface {
	AddSpan(ctx context.Context, sp Span) (Span, error)
	AddSpans(ctx context.Context, docID int64, layer, kind string, spans []Span) ([]Span, error)
	ReplaceSpans(ctx context.Context, docID int64, layer, kind string, remove []int64, add []Span) ([]Span, error)
	DeleteSpans(ctx context.Context, docID int64, layer string, ids ...int64) error
	UpdateSpan(ctx context.Context, sp Span) error
	RelabelSpan(ctx context.Context, docID int64, layer string, id int64, label string) error
	SetStatus(ctx context.Context, docID int64, layer string, status Status) error
	SetFlag(ctx context.Context, docID int64, layer string, flagged bool) error
	AcceptSuggestions(ctx context.Context, docID int64, layer, label string, ids ...int64) ([]Span, error)
	RejectSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) error
	RestoreSuggestions(ctx context.Context, docID int64, layer string, ids ...int64) (int, error)
	Settle(ctx context.Context, docID int64, decisions []Decision, finish bool) error
}

// Annotations is what is kept beside the spans and is not undone:
// comments.
type Annotations interface {
	AddComment(ctx context.Context, c Comment) (Comment, error)
}

// Settings keeps a project's settings that the domain defines (whether
// the recommender proposes, per project and per annotator), as strings
// under keys of its choosing; a store keeps its own settings apart.
type Settings interface {
	// Setting returns the value kept under key, "" when none.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting keeps value under key; "" removes it.
	SetSetting(ctx context.Context, key, value string) error
}

// LabelEditor changes the project's label set and settings (a project
// administrator's work).
type LabelEditor interface {
	// AddLabel adds a label at the end of the set; a missing colour is
	// taken from the palette.
	AddLabel(ctx context.Context, l Label) error
	// UpdateLabel changes the label called name into l; spans follow.
	UpdateLabel(ctx context.Context, name string, l Label) error
	RenameLabel(ctx context.Context, old, new string) error
	// DeleteLabel removes a label; one in use is refused (ErrLabelInUse)
	// unless relabelTo names another label, which its spans then take.
	DeleteLabel(ctx context.Context, name, relabelTo string) error
	SetAllowOverlap(ctx context.Context, allow bool) error
}

// Searcher searches the corpus with the rules of search.go.
type Searcher interface {
	// SearchIndexState reports how many documents the search index lacks
	// and how many the project has.
	SearchIndexState(ctx context.Context) (missing, total int, err error)
	// IndexForSearch adds the documents the index lacks, in short
	// transactions; progress gets the documents done and to do.
	// Cancelling ctx stops between batches; what was indexed stays.
	IndexForSearch(ctx context.Context, progress func(done, todo int)) error
	// CorpusOccurrences finds needle (see FindOccurrences) in the
	// documents other than except, in import order; it stops after limit
	// occurrences (0: no limit) and then reports more.
	CorpusOccurrences(ctx context.Context, needle string, except int64, limit int) (occ []DocOccurrence, more bool, err error)
}

// Assigner shares documents out among annotators (see PlanAssignment).
type Assigner interface {
	Assign(ctx context.Context, annotators []string, overlap float64, seed uint64) (AssignSummary, error)
}

// Bulk brings work in from outside, bypassing the edit log.
type Bulk interface {
	// NewImporter starts adding articles.
	NewImporter(ctx context.Context) (DocumentImporter, error)
	// NewAnnotationImporter starts adding others' annotations.
	NewAnnotationImporter(ctx context.Context) (AnnotationImporter, error)
	// PublishLayers gives staging layers (StagingName) their names, all
	// in one transaction: a layer is loaded under a staging name, which no
	// reader lists, in as many transactions as it takes, then appears
	// whole at once. A name that exists already receives the staging
	// layer's work.
	PublishLayers(ctx context.Context, names map[string]string) error
	// DropLayers removes staging layers and all they hold.
	DropLayers(ctx context.Context, staging []string) error
}

// DocumentImporter adds documents in batches of transactions. Documents
// whose text is already in the project are skipped.
type DocumentImporter interface {
	// Add stores d unless a document with the same text exists; it
	// returns the document's id and whether it was new.
	Add(d Document) (id int64, added bool, err error)
	// Committed counts the documents added whose transaction committed:
	// those stored for sure, when a later one failed.
	Committed() int
	// Close commits what is left; Abort rolls back the batch not yet
	// committed (earlier batches stay).
	Close() error
	Abort()
}

// AnnotationImporter stores annotations brought from other tools or
// projects: documents matched by their text (added when missing), spans
// into layers. It is not a user edit and is not in the undo log; storing
// a span the layer already has changes nothing.
type AnnotationImporter interface {
	// Labels is the label set as the import sees it (with labels added).
	Labels() (LabelSet, error)
	// AddLabel adds a label the project lacks, coloured from the palette.
	AddLabel(name string) error
	// Document returns the project's document with doc's text, adding doc
	// when there is none; added tells which.
	Document(doc Document) (Document, bool, error)
	// Add stores spans (validated by the caller) in layer on document
	// docID and sets the layer's status there unless status is ""; it
	// returns how many spans were new.
	Add(docID int64, layer string, spans []Span, status Status) (int, error)
	// SetState sets a layer's status and flag on a document as of a time
	// (merging keeps when work was done).
	SetState(docID int64, layer string, st DocState, updated time.Time) error
	// AddComment keeps a comment with its time.
	AddComment(c Comment) error
	// Close commits; Abort rolls back what was not committed.
	Close() error
	Abort()
}
