package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

// annotatorProject makes a project with one article and one span in layer.
func annotatorProject(t *testing.T, layer string, start, end int, label string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), layer+".qalam")
	s, err := stores.Open(ctx, path, annotate.OpenCreate)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	im, _ := s.NewImporter(ctx)
	id, _, _ := im.Add(annotate.NewDocument("a", "ستيف ويتكوف في واشنطن", nil))
	im.Close()
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: id, Layer: layer, Start: start, End: end, Label: label}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, id, layer, annotate.Done); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMergeCommand(t *testing.T) {
	review := filepath.Join(t.TempDir(), "review.qalam")
	a := annotatorProject(t, "amina", 0, 11, "PERSON")
	b := annotatorProject(t, "bilal", 15, 21, "PLACE")
	code, out, errs := run(t, "merge", "--db", review, a, b)
	if code != ExitOK || !strings.Contains(out, "layers amina;") || !strings.Contains(out, "layers bilal;") {
		t.Fatalf("merge: %d %q %s", code, out, errs)
	}
	code, out, _ = run(t, "merge", "--db", review, a, b)
	if code != ExitOK || !strings.Contains(out, "layers none; unchanged amina; 0 new documents, 0 spans") {
		t.Errorf("second merge: %d %q", code, out)
	}
	other := annotatorProject(t, "amina", 15, 21, "PLACE")
	code, _, errs = run(t, "merge", "--db", review, other)
	if code != ExitRejected || !strings.Contains(errs, "layer amina already exists here with different content") {
		t.Errorf("conflict: %d %s", code, errs)
	}
	code, out, _ = run(t, "merge", "--db", review, "--as", "amina=amina-2", other)
	if code != ExitOK || !strings.Contains(out, "layers amina-2;") {
		t.Errorf("renamed: %d %q", code, out)
	}
	for _, args := range [][]string{{"merge", "--db", review}, {"merge", a}, {"merge", "--db", review, review}, {"merge", "--db", review, "--as", "x", a}} {
		if code, _, _ := run(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

func TestAssignCommand(t *testing.T) {
	db := annotatorProject(t, "amina", 0, 11, "PERSON")
	code, out, errs := run(t, "assign", "--db", db, "--annotators", "amina, bilal", "--overlap", "1", "--seed", "3")
	if code != ExitOK || out != "1 documents, 1 shared by all\namina\t1\nbilal\t1\n" {
		t.Errorf("%d %q %s", code, out, errs)
	}
	if code, _, _ := run(t, "assign", "--db", db); code != ExitUsage {
		t.Errorf("no annotators: exit %d", code)
	}
	if code, _, _ := run(t, "assign", "--db", db, "--annotators", "a", "--overlap", "2"); code != ExitUsage {
		t.Errorf("overlap 2: exit %d", code)
	}
}
