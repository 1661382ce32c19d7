package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// Tests of the data-loss defects a careless or unlucky click caused (each
// reproduced before its fix).

// topEntry returns the entry of the top dialog whose placeholder or text
// matches pick.
func topEntry(t *testing.T, ws *Workspace, pick func(*widget.Entry) bool) *widget.Entry {
	t.Helper()
	var e *widget.Entry
	walk(ws.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Entry); ok && pick(x) && e == nil {
			e = x
		}
	})
	if e == nil {
		t.Fatal("no such entry in the dialog")
	}
	return e
}

// anyEntry picks, for topEntry, the dialog's first entry.
func anyEntry(*widget.Entry) bool { return true }

// TestNoSaveDialogCreatesFiles: Fyne's save dialog creates (and so
// empties) the chosen file before anything is confirmed; no part of the
// app may use it.
func TestNoSaveDialogCreatesFiles(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"NewFileSave", "ShowFileSave", "storage.Writer"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s uses %s, which creates the file it is given at once", f, bad)
			}
		}
	}
}

// TestExportNeverReplacesWithoutAsking: the export dialog refuses the open
// project and any other project file, asks before replacing a file, and
// leaves it as it was when the answer is no; an error shows inside the
// dialog, which stays open with what was typed.
func TestExportNeverReplacesWithoutAsking(t *testing.T) {
	ws, _ := newSample(t)
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	shortcut(ws, ctrlEnter)
	dir := t.TempDir()
	existing := filepath.Join(dir, "notes.jsonl")
	os.WriteFile(existing, []byte("precious\n"), 0o644)
	other := filepath.Join(dir, "other.qalam")
	os.WriteFile(other, []byte("SQLite format 3\x00 and the rest of a project"), 0o644)

	ws.exportDialog()
	dialogTop := ws.Window.Canvas().Overlays().Top()
	to := topEntry(t, ws, func(e *widget.Entry) bool { return strings.HasPrefix(e.PlaceHolder, "a file") })
	for _, c := range []struct{ path, says string }{
		{ws.Store.Location(), "is the project open in this window"},
		{other, "is a project (an SQLite file)"},
		{filepath.Join(dir, "missing", "out.jsonl"), "There is no folder"},
	} {
		to.SetText(c.path)
		tapButton(t, ws, "Export")
		if ws.Window.Canvas().Overlays().Top() != dialogTop || !overlayHas(ws, c.says) {
			t.Errorf("export to %s: the dialog does not say %q", c.path, c.says)
		}
		if to.Text != c.path {
			t.Errorf("the path typed was lost: %q", to.Text)
		}
	}
	if n, err := ws.Store.CountDocuments(context.Background()); err != nil || n != 6 {
		t.Errorf("the project after the attempts: %d documents, %v", n, err)
	}
	if b, _ := os.ReadFile(other); !strings.HasPrefix(string(b), "SQLite format 3") {
		t.Error("another project was written over")
	}
	to.SetText(existing)
	tapButton(t, ws, "Export")
	if !overlayHas(ws, "notes.jsonl exists") {
		t.Fatal("no question before replacing an existing file")
	}
	tapButton(t, ws, "No")
	ws.jobs.Wait()
	if b, _ := os.ReadFile(existing); string(b) != "precious\n" {
		t.Errorf("declining emptied or replaced the file: %q", b)
	}
	tapButton(t, ws, "Export")
	tapButton(t, ws, "Yes")
	ws.jobs.Wait()
	if b, _ := os.ReadFile(existing); !strings.Contains(string(b), "ترامب") {
		t.Errorf("the export did not replace the file: %q", b)
	}
}

// TestNewProjectOverAnExistingOne: File → New project on the name of an
// existing project offers to open it; replacing it takes a second answer
// that says how many documents go.
func TestNewProjectOverAnExistingOne(t *testing.T) {
	ws, _ := newSample(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "project"+project.Ext)
	s, err := testOpen(context.Background(), path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := s.NewImporter(context.Background())
	im.Add(annotate.NewDocument("a", "نص أول", nil))
	im.Add(annotate.NewDocument("b", "نص ثان", nil))
	im.Close()
	s.Close()

	ws.newProject()
	topEntry(t, ws, func(e *widget.Entry) bool { return e.Text == ws.defaultFolder() }).SetText(dir)
	tapButton(t, ws, "Create")
	if !overlayHas(ws, "project.qalam is a project already, with 2 documents") {
		t.Fatal("creating over an existing project did not say what is there")
	}
	tapButton(t, ws, "Open it")
	ws.jobs.Wait()
	if n, _ := ws.Store.CountDocuments(context.Background()); n != 2 || !project.SameFile(ws.Store.Location(), path) {
		t.Errorf("opened %s with %d documents", ws.Store.Location(), n)
	}
	ws.openProject("", project.Existing) // back on the sample
	ws.jobs.Wait()
	ws.newProject()
	topEntry(t, ws, func(e *widget.Entry) bool { return e.Text == ws.defaultFolder() }).SetText(dir)
	tapButton(t, ws, "Create")
	tapButton(t, ws, "Replace it…")
	if !overlayHas(ws, "deletes its 2 documents") {
		t.Fatal("replacing does not say what is lost")
	}
	tapButton(t, ws, "No")
	again, err := testOpen(context.Background(), path, project.Existing)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := again.CountDocuments(context.Background()); n != 2 {
		t.Errorf("declining to replace left %d documents", n)
	}
	again.Close()
}

// TestAppOpensDespiteABadProject: a project that cannot be opened (here
// not a project at all) does not keep the app from starting: the window
// shows the sample project and says what is wrong with which file.
func TestAppOpensDespiteABadProject(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	bad := filepath.Join(t.TempDir(), "bad.qalam")
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	failing := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
		if location == bad {
			return nil, errors.New("database disk image is malformed")
		}
		return testOpen(ctx, location, mode)
	}
	ws, err := Open(a, failing, bad)
	if err != nil {
		t.Fatal(err)
	}
	ws.jobs.Wait()
	t.Cleanup(func() { ws.Window.Close() })
	if !overlayHas(ws, "Qalam could not open "+bad) || !overlayHas(ws, "malformed") {
		t.Error("the window does not say which project failed and why")
	}
	if n, _ := ws.Store.CountDocuments(context.Background()); n != 6 {
		t.Errorf("the window shows %d documents, want the sample's 6", n)
	}
	if got := a.Preferences().String(prefProject); got == bad {
		t.Error("the bad project is remembered as the one open last")
	}
}

// TestReadOnlyProject: a project that cannot be written (its folder
// cannot) opens read-only: the title says so, documents can be read, and
// an edit is refused with the reason and the way out.
func TestReadOnlyProject(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared"+project.Ext)
	s, err := testOpen(ctx, path, project.Create)
	if err != nil {
		t.Fatal(err)
	}
	im, _ := s.NewImporter(ctx)
	im.Add(annotate.NewDocument("a", "ستيف ويتكوف في واشنطن", nil))
	im.Close()
	s.Close()
	readOnlyFolder := func(ctx context.Context, location string, mode annotate.OpenMode) (annotate.Store, error) {
		if location == path && !mode.IsReadOnly() {
			return nil, fmt.Errorf("open project %s: %w: the folder %s cannot be written", path, annotate.ErrReadOnly, filepath.Dir(path))
		}
		return testOpen(ctx, location, mode)
	}
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amira")
	ws, err := Open(a, readOnlyFolder, path)
	if err != nil {
		t.Fatal(err)
	}
	ws.jobs.Wait()
	t.Cleanup(func() { ws.Window.Close() })
	if ws.Window.Title() != "shared — Qalam (amira) (read-only)" || ws.doc.ID == 0 {
		t.Errorf("title %q, document %d", ws.Window.Title(), ws.doc.ID)
	}
	selectText(ws, 0, 4)
	test.Type(ws.ui.view, "1")
	if !strings.Contains(ws.ui.message.Text, "No edit is possible: ") || !strings.Contains(ws.ui.message.Text, "cannot be written") ||
		!strings.Contains(ws.ui.message.Text, "Save a copy") {
		t.Errorf("status %q", ws.ui.message.Text)
	}
	if sp, _ := ws.Store.Spans(ctx, ws.doc.ID, "amira"); len(sp) != 0 {
		t.Errorf("a span went into a read-only project: %v", sp)
	}
}

// TestLabelRenamedElsewhere: a label renamed by the command line while the
// window is open: the key press that meets the old name says what
// happened and brings the new labels in; the next one labels.
func TestLabelRenamedElsewhere(t *testing.T) {
	ws, _ := newSample(t)
	ctx := context.Background()
	other, err := testOpen(ctx, ws.Store.Location(), project.Existing)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.RenameLabel(ctx, "PERSON", "PER"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	s, e := find(t, ws, "ترامب", 0)
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	if !strings.Contains(ws.ui.message.Text, "the labels were changed elsewhere") {
		t.Errorf("status %q", ws.ui.message.Text)
	}
	if _, ok := ws.labels.Find("PER"); !ok {
		t.Fatalf("the label bar still has %v", ws.labels)
	}
	selectText(ws, s, e)
	test.Type(ws.ui.view, "1")
	if len(ws.spans) != 1 || ws.spans[0].Label != "PER" {
		t.Errorf("spans %+v after the second press", ws.spans)
	}
}
