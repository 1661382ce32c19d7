package app

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// book is a long Arabic text, longDocument bytes and a few more.
func book() string {
	return strings.Repeat("وصل الوفد إلى صفاقس أمس. ", longDocument/40+1)
}

// heldReads is a project whose reads of long documents wait until the
// test lets them go (or their context ends); each says it began.
type heldReads struct {
	annotate.Store
	began   chan int64
	release chan struct{}
}

func newHeldReads(s annotate.Store) *heldReads {
	return &heldReads{Store: s, began: make(chan int64, 8), release: make(chan struct{})}
}

func (s *heldReads) Document(ctx context.Context, id int64) (annotate.Document, error) {
	if n, err := s.Store.TextSize(ctx, id); err == nil && n >= longDocument {
		s.began <- id
		select {
		case <-s.release:
		case <-ctx.Done():
			return annotate.Document{}, ctx.Err()
		}
	}
	return s.Store.Document(ctx, id)
}

// labelsNoted notes when the window reads the project's labels, as it
// shows the project (setStore), and whether a document, or its start,
// was read before.
type labelsNoted struct {
	*heldReads
	shown, ahead *atomic.Bool
}

func (s *labelsNoted) Labels(ctx context.Context) (annotate.LabelSet, error) {
	s.shown.Store(true)
	return s.heldReads.Labels(ctx)
}

func (s *labelsNoted) Document(ctx context.Context, id int64) (annotate.Document, error) {
	if !s.shown.Load() {
		s.ahead.Store(true)
	}
	return s.heldReads.Document(ctx, id)
}

func (s *labelsNoted) TextHead(ctx context.Context, id int64, n int) (string, error) {
	if !s.shown.Load() {
		s.ahead.Store(true)
	}
	return s.heldReads.TextHead(ctx, id, n)
}

// returnsSoon runs f, and fails the test when it has not returned within
// 10 s: it waited for a read the test holds.
func returnsSoon(t *testing.T, what string, f func()) {
	t.Helper()
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		f()
	}()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s waited for a long document to be read", what)
	}
}

// heldRoom is the room the collector keeps for what it holds.
func heldRoom(c *collectorSettings) map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.held)
}

// TestLongDocumentInTheBackground: a long document is read in the
// background. The window keeps the document it showed, and answers,
// until the long one is read and shown; a document opened meanwhile
// wins over it, and opening it again does not read it twice. The
// collector has room for the text from the read until the view's room
// takes over, or the document is given up.
func TestLongDocumentInTheBackground(t *testing.T) {
	ws, _ := newSample(t)
	c := sessionCollector(t, 48<<20)
	first := ws.doc.ID
	text := book()
	long := addDocument(t, ws, "book", text)
	held := newHeldReads(ws.Store)
	ws.Store = held

	returnsSoon(t, "opening a long document", func() { ws.openDocument(long) })
	if got := <-held.began; got != long {
		t.Fatalf("read document %d, want %d", got, long)
	}
	ws.Window.Canvas().Capture()
	if ws.doc.ID != first || ws.ui.view.Text() != ws.doc.Text {
		t.Errorf("document %d shown while the long one is read (the view %d bytes), want %d, the one shown before",
			ws.doc.ID, len(ws.ui.view.Text()), first)
	}
	if msg := ws.ui.message.Text; msg != lang.L("Opening the document…") {
		t.Errorf("the status line says %q while the document is read", msg)
	}
	room := int64(len(text) + len(text)/16) // the text and the view's index of it, estimated
	if held := heldRoom(c); len(held) != 1 || slices.Collect(maps.Values(held))[0] != room {
		t.Errorf("the collector holds %v while the document is read, want room for it (%d)", held, room)
	}
	close(held.release)
	ws.jobs.Wait()
	room = int64(widgets.PrepareText(text).Bytes()) // what the view keeps
	if held := heldRoom(c); len(held) != 1 || held["article"] != room {
		t.Errorf("the collector holds %v once the document is shown, want the article's room (%d)", held, room)
	}
	if ws.doc.ID != long || ws.doc.Text != text || ws.ui.view.Text() != text {
		t.Fatalf("once read, document %d shown (%d bytes, the view %d), want %d (%d bytes)",
			ws.doc.ID, len(ws.doc.Text), len(ws.ui.view.Text()), long, len(text))
	}
	if msg := ws.ui.message.Text; msg != "" {
		t.Errorf("the status line still says %q", msg)
	}

	// Another document opened while the long one is read is the one shown.
	ws.openDocument(first)
	held.release = make(chan struct{})
	returnsSoon(t, "opening a long document", func() {
		ws.openDocument(long)
		ws.openDocument(long) // again: read once
	})
	<-held.began
	ws.openDocument(first)
	close(held.release)
	ws.jobs.Wait()
	if ws.doc.ID != first {
		t.Errorf("document %d shown, want %d, opened while the long one was read", ws.doc.ID, first)
	}
	if held := heldRoom(c); len(held) != 1 || held["article"] != int64(widgets.PrepareText(ws.doc.Text).Bytes()) {
		t.Errorf("the collector holds %v once the long document is given up, want the article's room", held)
	}
	if n := len(held.began); n != 0 {
		t.Errorf("the long document was read %d more times", n)
	}
}

// bookProject is a project whose one document is a book(), and its id.
func bookProject(t *testing.T) (path string, id int64) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "book"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	id = importDocument(t, s, "book", book())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, id
}

// openHeld opens the project at path in a new window, its reads of long
// documents held until release is closed, and fails the test if the
// window waits for them. ahead tells whether a document was read before
// the window read the project's labels, to show the project.
func openHeld(t *testing.T, path string, began chan int64, release chan struct{}) (ws *Workspace, ahead *atomic.Bool) {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	var shown atomic.Bool
	ahead = new(atomic.Bool)
	open := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
		s, err := testOpen(ctx, location, mode)
		if err != nil {
			return nil, err
		}
		return &labelsNoted{&heldReads{Store: s, began: began, release: release}, &shown, ahead}, nil
	}
	returnsSoon(t, "opening the project", func() {
		var err error
		if ws, err = OpenAs(a, open, path, ""); err != nil {
			t.Error(err)
		}
	})
	if ws == nil {
		t.FailNow()
	}
	t.Cleanup(func() {
		ws.Window.Close()
		ws.jobs.Wait()
	})
	return ws, ahead
}

// TestLongFirstDocument: as the app starts, a long first document is
// read ahead, while the window is built, and once; the window shows
// without waiting for it. Its first frame shows the document's start,
// and the whole is read once that frame is drawn, then shown where the
// start was.
func TestLongFirstDocument(t *testing.T) {
	wait := firstFrameWait
	firstFrameWait = time.Minute
	t.Cleanup(func() { firstFrameWait = wait })
	path, long := bookProject(t)
	began, release := make(chan int64, 8), make(chan struct{})
	ws, ahead := openHeld(t, path, began, release)
	ws.Window.Canvas().Capture() // the first frame
	if !ahead.Load() {
		t.Error("the document's start was read once the window showed the project, not ahead")
	}
	if ws.doc.ID != 0 {
		t.Errorf("document %d open before the first one is read", ws.doc.ID)
	}
	head := annotate.Head(book(), headRunes)
	if got := ws.ui.view.Text(); got != head {
		t.Errorf("the first frame shows %d bytes, want the document's start (%d bytes)", len(got), len(head))
	}
	if msg := ws.ui.message.Text; msg != lang.L("Opening the document…") {
		t.Errorf("the status line says %q while the document is read", msg)
	}
	if !ws.ui.doneButton.Disabled() || ws.guide.noDocument.Visible() {
		t.Errorf("while the document is read, Done is enabled: %v; the hint for an empty project shows: %v",
			!ws.ui.doneButton.Disabled(), ws.guide.noDocument.Visible())
	}
	select {
	case <-began:
		t.Fatal("the whole document was read before the first frame was drawn")
	case <-time.After(50 * time.Millisecond):
	}
	ws.App.Lifecycle().(interface{ OnStarted() func() }).OnStarted()() // as Fyne once it drew the frame
	if got := <-began; got != long {
		t.Fatalf("read document %d, want %d", got, long)
	}
	close(release)
	ws.jobs.Wait()
	if ws.doc.ID != long || ws.ui.view.Text() != book() || ws.ui.docTitle.Text != "book" {
		t.Errorf("once read, document %d shown (the view %d bytes, titled %q), want %d",
			ws.doc.ID, len(ws.ui.view.Text()), ws.ui.docTitle.Text, long)
	}
	if ws.ui.doneButton.Disabled() {
		t.Error("Done is disabled once the document is open")
	}
	if n := len(began); n != 0 {
		t.Errorf("the document was read %d more times", n)
	}
}

// TestLongFirstDocumentFails: the start of a document whose whole could
// not be read is not left shown as if it were open.
func TestLongFirstDocumentFails(t *testing.T) {
	ws, _ := newSample(t)
	long := addDocument(t, ws, "book", book())
	ws.showDocument(annotate.Document{}, widgets.PreparedText{})
	held := &failedReads{newHeldReads(ws.Store)}
	ws.Store = held
	ws.openDocument(long)
	<-held.began
	ws.Window.Canvas().Capture()
	if got := ws.ui.view.Text(); got != annotate.Head(book(), headRunes) {
		t.Errorf("the view shows %d bytes while the document is read, want its start", len(got))
	}
	close(held.release)
	ws.jobs.Wait()
	if ws.doc.ID != 0 || ws.ui.view.Text() != "" {
		t.Errorf("document %d, the view %d bytes, once it could not be read", ws.doc.ID, len(ws.ui.view.Text()))
	}
	if msg := ws.ui.message.Text; !strings.Contains(msg, "the disk went away") {
		t.Errorf("the status line says %q", msg)
	}
}

// failedReads fails every read of a long document once released.
type failedReads struct{ *heldReads }

func (s *failedReads) Document(ctx context.Context, id int64) (annotate.Document, error) {
	d, err := s.heldReads.Document(ctx, id)
	if err == nil && len(d.Text) >= longDocument {
		err = errors.New("the disk went away")
	}
	return d, err
}

// TestLongDocumentReadAhead: a long document already read ahead when it
// is opened is shown at once, and not read again.
func TestLongDocumentReadAhead(t *testing.T) {
	ws, _ := newSample(t)
	text := book()
	long := addDocument(t, ws, "book", text)
	held := newHeldReads(ws.Store)
	close(held.release)
	ws.Store = held
	ws.ahead = ws.readLong(ws.Store, long, len(text))
	<-ws.ahead.done
	ws.openDocument(long)
	if ws.doc.ID != long || ws.ui.view.Text() != text || ws.ui.message.Text != "" {
		t.Errorf("document %d shown at once (the view %d bytes, the status line %q), want %d (%d bytes)",
			ws.doc.ID, len(ws.ui.view.Text()), ws.ui.message.Text, long, len(text))
	}
	if n := len(held.began); n != 1 {
		t.Errorf("the document was read %d times", n)
	}
	if ws.ahead != nil {
		t.Error("the document read ahead is still kept")
	}
}
