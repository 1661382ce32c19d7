//go:build cgo

package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// TestDamagedProjectInTheApp: a damaged project file opens its window (the
// check reads it whole in the background), then is closed with a message
// that names it and the way out, and the sample project is shown; no edit
// reaches the damaged file meanwhile.
func TestDamagedProjectInTheApp(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "damaged"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := s.NewImporter(ctx)
	for i := range 300 {
		im.Add(annotate.NewDocument(fmt.Sprint(i), strings.Repeat("خبر طويل عن تونس ", 100)+fmt.Sprint(i), nil))
	}
	im.Close()
	s.Close()
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	fi, _ := f.Stat()
	f.WriteAt([]byte(strings.Repeat("\xff\x00garbage", 512)), fi.Size()/2/4096*4096)
	f.Close()

	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	ws, err := Open(a, testOpen, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Window.Close() })
	ws.jobs.Wait()
	if !overlayHas(ws, "Qalam could not open "+path) || !overlayHas(ws, "damaged") || !overlayHas(ws, "--salvage") {
		t.Error("the window does not say the project is damaged and how to salvage it")
	}
	if project.SameFile(ws.Store.Location(), path) {
		t.Error("the damaged project is still open")
	}
}

// TestCopyOfTheProjectFile: a copy of the .qalam file made by hand while
// the app is open holds the edits once the annotator moved on to another
// document; File → Save a copy writes one file that holds everything.
func TestCopyOfTheProjectFile(t *testing.T) {
	ctx := context.Background()
	ws, _ := newSample(t)
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	doc := ws.doc.ID
	spansInCopy := func(file string) int {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cp := filepath.Join(t.TempDir(), "copy"+project.Ext)
		os.WriteFile(cp, b, 0o644)
		c, err := testOpen(ctx, cp, project.ReadOnly)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		sp, _ := c.Spans(ctx, doc, "amira")
		return len(sp)
	}
	shortcut(ws, ctrlEnter) // done, and on to the next document
	if n := spansInCopy(ws.Store.Location()); n != 1 {
		t.Errorf("a copy of the file after moving on holds %d spans, want 1", n)
	}
	ws.saveCopyDialog()
	dir := t.TempDir()
	topEntry(t, ws, func(e *widget.Entry) bool { return e.Text == ws.defaultFolder() }).SetText(dir)
	tapButton(t, ws, "Save the copy")
	saved := filepath.Join(dir, "sample-amira"+project.Ext)
	if n := spansInCopy(saved); n != 1 {
		t.Errorf("the saved copy holds %d spans, want 1", n)
	}
	ws.saveCopyDialog()
	topEntry(t, ws, func(e *widget.Entry) bool { return e.Text == ws.defaultFolder() }).SetText(dir)
	tapButton(t, ws, "Save the copy")
	if !overlayHas(ws, "exists: a copy goes to a new file") {
		t.Error("a second copy over the first was not refused")
	}
}

// TestEditWhileTheProjectIsBusy: while another program holds the project
// for writing, a label key does not freeze the window: the edit waits in
// the background, the status bar says so, a second edit waits behind it,
// and both are saved, in order, once the project is free; none is lost.
func TestEditWhileTheProjectIsBusy(t *testing.T) {
	ctx := context.Background()
	ws, _ := newSample(t)
	other, err := testOpen(ctx, ws.Store.Location(), project.Existing)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	hold, err := other.NewAnnotationImporter(ctx) // holds the write lock until Close
	if err != nil {
		t.Fatal(err)
	}
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	if !strings.Contains(ws.ui.message.Text, "the project is busy") || len(ws.spans) != 0 {
		t.Fatalf("while busy: status %q, %d spans shown", ws.ui.message.Text, len(ws.spans))
	}
	s2, e2 := find(t, ws, "ويتكوف", 0)
	selectText(ws, s2, e2)
	test.Type(ws.ui.view, "2")
	if !strings.Contains(ws.ui.message.Text, "Saving 2 edits") {
		t.Errorf("a second edit while busy: %q", ws.ui.message.Text)
	}
	if err := hold.Close(); err != nil {
		t.Fatal(err)
	}
	ws.jobs.Wait()
	sp, _ := ws.Store.Spans(ctx, ws.doc.ID, "amira")
	if len(sp) != 2 || len(ws.spans) != 2 {
		t.Fatalf("after the project was free: %d spans stored, %d shown", len(sp), len(ws.spans))
	}
	if !strings.HasPrefix(unisolated(ws.ui.message.Text), "Labelled PLACE") {
		t.Errorf("status %q", ws.ui.message.Text)
	}
}

// TestReopensWhereItWas: the window opens on the document last open in
// the project; when that document is not in it (the file was replaced), on
// the first unfinished one.
func TestReopensWhereItWas(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := s.NewImporter(ctx)
	var ids []int64
	for i := range 3 {
		id, _, _ := im.Add(annotate.NewDocument(fmt.Sprint("doc", i), fmt.Sprint("خبر رقم ", i), nil))
		ids = append(ids, id)
	}
	im.Close()
	s.SetStatus(ctx, ids[0], "amira", annotate.Done)
	s.Close()

	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	ws := openWS(t, a, path)
	if ws.doc.ID != ids[1] {
		t.Fatalf("a new window shows %q, want the first unfinished doc1", ws.doc.Name)
	}
	ws.openDocument(ids[2])
	ws.Window.Close()
	ws = openWS(t, a, path)
	if ws.doc.ID != ids[2] {
		t.Errorf("reopened on %q, want doc2, open when the window closed", ws.doc.Name)
	}
	ws.Window.Close()
	a.Preferences().SetInt(prefLastDoc+ws.Store.Location(), 999)
	ws = openWS(t, a, path)
	if ws.doc.ID != ids[1] {
		t.Errorf("with the last document gone, reopened on %q, want doc1", ws.doc.Name)
	}
}
