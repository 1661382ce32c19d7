package annotate

import (
	"context"
	"errors"
)

// A team store is a project that others change while it is open, on a
// server that can go away for a while. The app type-asserts these
// optional interfaces; a project file has neither.

// ErrOffline is wrapped by the errors of a store whose server cannot be
// reached. An edit that failed with it may or may not have been committed
// (the connection can drop while the commit is under way): read the
// document again once the store is back online.
var ErrOffline = errors.New("the team server cannot be reached")

// ChangeKind says what a Change is about.
type ChangeKind string

const (
	ChangedSpans       ChangeKind = "spans"       // a layer's spans on a document
	ChangedStatus      ChangeKind = "status"      // a layer's status or flag on a document
	ChangedSettled     ChangeKind = "settled"     // undo or redo in a layer (gold: what is settled)
	ChangedComments    ChangeKind = "comments"    // a comment on a document
	ChangedLabels      ChangeKind = "labels"      // the label set
	ChangedSettings    ChangeKind = "settings"    // a project setting (overlap)
	ChangedDocuments   ChangeKind = "documents"   // documents were added
	ChangedAssignments ChangeKind = "assignments" // the queues
	ChangedLayers      ChangeKind = "layers"      // layers were added, merged or renamed
	// Offline: the connection to the server is lost; the store reconnects
	// by itself. Online: it is back, and what changed meanwhile is not
	// known: read everything shown again.
	Offline ChangeKind = "offline"
	Online  ChangeKind = "online"
)

// Change is one change committed to a project, by anyone (the watcher's
// own edits included).
type Change struct {
	Kind ChangeKind
	// Layer is the layer changed; "" when the change is not a layer's or
	// its layer is not known.
	Layer string
	// DocID is the document changed; 0 when many changed at once, or the
	// change is not a document's.
	DocID int64
}

// Watcher is a store that tells of changes committed by others.
type Watcher interface {
	// Watch calls fn from a goroutine of its own for each change, in the
	// order they were committed, and with Offline and Online as the
	// connection to the server comes and goes, until ctx is cancelled.
	// It returns once it is listening.
	Watch(ctx context.Context, fn func(Change)) error
}

// Member is who a team store's user is: the layer they write, and
// whether they review (read every layer, write gold) or administer
// (labels, imports, assignments).
type Member struct {
	Name     string
	Reviewer bool
	Admin    bool
}

// Team is a store whose user is fixed by the server (their login), not
// chosen in the app.
type Team interface {
	Me(ctx context.Context) (Member, error)
}
