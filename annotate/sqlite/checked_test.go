package sqlite

import (
	"context"
	"errors"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/storetest"
)

// TestSoundRemembered: a large file found sound is not checked again
// while unchanged, or once Qalam, knowing it sound, wrote it and closed
// it; written otherwise, touched back to its old time, or damaged, it is
// checked again.
func TestSoundRemembered(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the change time is read on Linux only")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	defer func(n int64) { CheckNowBelow = n }(CheckNowBelow)
	CheckNowBelow = 0 // every file counts as large
	ctx := context.Background()
	s, path := openTemp(t)
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: storetest.AddDoc(t, s, "a", "علي في تونس"), Layer: "amina", Start: 0, End: 3, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	open := func() *Store {
		t.Helper()
		s, err := Open(ctx, path, Options{ReadOnly: true, CheckLater: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	if !open().Checked() {
		t.Fatal("a file Qalam made, checked and closed is checked again")
	}
	forgetSound(path) // as for another user, whose cache is not this one
	s = open()
	if s.Checked() {
		t.Fatal("a large file never checked says it was")
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// Every open connection gives the WAL its owner again, as root.
	for range 3 {
		if s := open(); !s.Checked() {
			t.Fatal("a large file found sound, unchanged since, is checked again")
		} else if _, err := s.Labels(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Touched back to its own times: the change time still moved.
	fi, _ := os.Stat(path)
	time.Sleep(10 * time.Millisecond)
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if open().Checked() {
		t.Fatal("a file whose change time moved is taken as checked")
	}
	s = open()
	if err := s.Check(ctx); err != nil || !open().Checked() {
		t.Fatalf("checked again: %v", err)
	}
	// Written by Qalam, which knew it sound: while it is open, and after
	// a crash, it is checked again; closed, it is known sound, as what
	// changed was written by SQLite alone.
	w, err := Open(ctx, path, Options{CheckLater: true})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Checked() {
		t.Fatal("a writer of a file known sound checks it again")
	}
	if _, err := w.AddSpan(ctx, annotate.Span{DocID: 1, Layer: "amina", Start: 4, End: 6, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	if open().Checked() {
		t.Fatal("a file written since, by a writer still open (or killed), is taken as checked")
	}
	w.Close()
	if !open().Checked() {
		t.Fatal("a file Qalam wrote and closed, which it knew sound, is checked again")
	}
	// Changed by another program since: checked again.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(make([]byte, 4096))
	f.Close()
	if open().Checked() {
		t.Fatal("a file written by another program since is taken as checked")
	}
	// Written and closed by Qalam which did not know it sound: checked
	// again, as what was there before is not known.
	if w, err = Open(ctx, path, Options{CheckLater: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddSpan(ctx, annotate.Span{DocID: 1, Layer: "amina", Start: 7, End: 9, Label: "PLACE"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if open().Checked() {
		t.Fatal("a file written by a Qalam that had not checked it is taken as checked")
	}
	// Damaged: found so, and forgotten.
	bad := damagedProject(t)
	s, err = Open(ctx, bad, Options{ReadOnly: true, CheckLater: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(ctx); !errors.Is(err, annotate.ErrDamaged) {
		t.Fatalf("the damaged file: %v", err)
	}
	if knownSound(bad) {
		t.Error("a damaged file is remembered as sound")
	}
}
