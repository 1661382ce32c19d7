package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// damagedProject writes a project of 300 documents with work on them,
// does what before asks to it, then overwrites one page in the middle of
// its documents with garbage, as a failing disk or a bad copy would.
func damagedProject(t *testing.T, before ...func(*Store)) string {
	t.Helper()
	ctx := context.Background()
	s, path := openTemp(t)
	im, _ := s.NewImporter(ctx)
	for i := range 300 {
		text := fmt.Sprintf("خبر رقم %d عن تونس. ", i) + strings.Repeat("نص طويل ", 200)
		if _, _, err := im.Add(annotate.NewDocument(fmt.Sprint("doc-", i), text, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 300; id += 3 {
		s.AddSpan(ctx, annotate.Span{DocID: id, Layer: "amina", Start: 0, End: 3, Label: "PERSON"})
		s.SetStatus(ctx, id, "amina", annotate.Done)
	}
	s.AddComment(ctx, annotate.Comment{DocID: 2, Layer: "amina", Text: "هل هذا اسم؟"})
	for _, f := range before {
		f(s)
	}
	s.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	page := int64(4096)
	at := fi.Size() / 2 / page * page
	if _, err := f.WriteAt([]byte(strings.Repeat("\xff\x00garbage", 512)), at); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// TestDamagedProjectRefused: a damaged project is refused when it opens,
// with the reason, instead of failing later in the middle of an export.
func TestDamagedProjectRefused(t *testing.T) {
	path := damagedProject(t)
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		if _, err := Open(context.Background(), path, opts); !errors.Is(err, annotate.ErrDamaged) {
			t.Errorf("open %+v: %v, want it refused as damaged", opts, err)
		}
	}
	problems, err := Check(context.Background(), path)
	if err != nil || len(problems) == 0 {
		t.Errorf("check found nothing wrong: %v %v", problems, err)
	}
}

// TestSalvage copies what can be read of a damaged project into a new,
// sound one, and lists what it could not.
func TestSalvage(t *testing.T) {
	ctx := context.Background()
	path := damagedProject(t)
	out := filepath.Join(t.TempDir(), "saved"+Ext)
	dst, err := Open(ctx, out, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Salvage(ctx, path, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst.Close()
	t.Logf("salvaged %d documents, %d spans, %d statuses, %d comments; lost %d: %v",
		sum.Documents, sum.Spans, sum.Statuses, sum.Comments, len(sum.Lost), sum.Lost)
	if sum.Documents < 250 || sum.Documents >= 300 || len(sum.Lost) == 0 {
		t.Errorf("salvaged %d documents with %d losses: one page of documents should be lost, the rest kept", sum.Documents, len(sum.Lost))
	}
	if sum.Spans < 80 || sum.Statuses < 80 || sum.Comments != 1 {
		t.Errorf("salvaged %d spans, %d statuses, %d comments", sum.Spans, sum.Statuses, sum.Comments)
	}
	if problems, err := Check(ctx, out); err != nil || len(problems) > 0 {
		t.Errorf("the salvaged project is not sound: %v %v", problems, err)
	}
	s, err := Open(ctx, out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.EachDocument(ctx, nil, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		if d.SHA256 != annotate.Hash(d.Text) || !strings.HasPrefix(d.Text, "خبر رقم") {
			t.Errorf("document %s came back wrong", d.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoUpgradeBeforeTheCheck: a large file of an older schema, opened
// with its check left to the caller, is checked before it is upgraded:
// damaged, it is refused, and nothing is written to it.
func TestNoUpgradeBeforeTheCheck(t *testing.T) {
	path := damagedProject(t, func(s *Store) { beforePacks(t, s) })
	defer func(n int64) { CheckNowBelow = n }(CheckNowBelow)
	CheckNowBelow = 0 // every file counts as large
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{CheckLater: true})
	if err == nil {
		s.Close()
	}
	if !errors.Is(err, annotate.ErrDamaged) {
		t.Errorf("a damaged file of an older schema opened to be upgraded: %v", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("the damaged file was written")
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Errorf("the damaged file's log holds %d bytes", fi.Size())
	}
}

// TestCheckLater: a large file opened with the check left to the caller
// opens at once, says it is not checked yet, and Check finds the damage.
func TestCheckLater(t *testing.T) {
	path := damagedProject(t)
	defer func(n int64) { CheckNowBelow = n }(CheckNowBelow)
	CheckNowBelow = 0 // every file counts as large
	s, err := Open(context.Background(), path, Options{CheckLater: true})
	if err != nil {
		t.Fatalf("open with the check left for later: %v", err)
	}
	defer s.Close()
	if s.Checked() {
		t.Error("a large file says it was checked")
	}
	if err := s.Check(context.Background()); !errors.Is(err, annotate.ErrDamaged) {
		t.Errorf("the later check: %v", err)
	}
}
