package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/postgres/pgtest"
	"github.com/qalam-annotate/qalam/annotate/stores"
)

func runTeamEnv(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errb, Open: stores.Open, Team: stores.Team{}})
	return code, out.String(), errb.String()
}

// TestTeamCommands makes a team project from the command line, adds a
// member, and runs the file commands on its URL: import, stats, merge of
// a project file in, a copy out to a file, export from both.
func TestTeamCommands(t *testing.T) {
	u := pgtest.NewDatabase(t)
	code, out, errs := runTeamEnv(t, "team", "init", "--db", u)
	if code != ExitOK || !strings.Contains(out, "applied migration 001_init.sql") {
		t.Fatalf("team init: %d %q %s", code, out, errs)
	}
	amina := pgtest.Role(t, "amina")
	t.Cleanup(func() { pgtest.Exec(t, u, "DROP OWNED BY "+amina, "DROP ROLE IF EXISTS "+amina) })
	code, out, errs = runTeamEnv(t, "team", "add", "--db", u, "--annotator", amina)
	if code != ExitOK || !strings.Contains(out, "created login role "+amina) || !strings.Contains(out, "password of "+amina+": ") {
		t.Fatalf("team add: %d %q %s", code, out, errs)
	}
	for _, args := range [][]string{
		{"team"}, {"team", "init"}, {"team", "init", "--db", "x.qalam"}, {"team", "add", "--db", u},
		{"team", "add", "--db", u, "--annotator", "a", "--reviewer", "b"}, {"team", "init", "--db", u, "--annotator", "a"},
	} {
		if code, _, _ := runTeamEnv(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
	}

	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "ستيف ويتكوف في واشنطن")
	write(t, filepath.Join(dir, "b.txt"), "ترامب في ألاسكا")
	code, out, errs = runTeamEnv(t, "import", "--db", u, dir)
	if code != ExitOK || !strings.Contains(out, "imported 2") {
		t.Fatalf("import: %d %q %s", code, out, errs)
	}
	// A project file's layer goes into the team project, once.
	file := annotatorProject(t, "bilal", 0, 11, "PERSON")
	code, out, errs = runTeamEnv(t, "merge", "--db", u, file)
	if code != ExitOK || !strings.Contains(out, "layers bilal;") || !strings.Contains(out, "0 new documents") {
		t.Fatalf("merge in: %d %q %s", code, out, errs)
	}
	if code, out, _ = runTeamEnv(t, "merge", "--db", u, file); code != ExitOK || !strings.Contains(out, "unchanged bilal") {
		t.Errorf("merge in again: %d %q", code, out)
	}
	code, out, errs = runTeamEnv(t, "stats", "--db", u, "--json")
	if code != ExitOK || !strings.Contains(out, `"documents": 2`) || !strings.Contains(out, `"bilal"`) {
		t.Errorf("stats: %d %q %s", code, out, errs)
	}
	// A copy out to a file, for offline work, holds the documents and
	// layers; exports from both are the same.
	offline := filepath.Join(t.TempDir(), "offline.qalam")
	code, out, errs = runTeamEnv(t, "merge", "--db", offline, u)
	if code != ExitOK || !strings.Contains(out, "layers bilal;") || !strings.Contains(out, "2 new documents") {
		t.Fatalf("copy out: %d %q %s", code, out, errs)
	}
	exports := map[string]string{}
	for _, db := range []string{u, offline} {
		o := filepath.Join(t.TempDir(), "out.jsonl")
		if code, _, errs := runTeamEnv(t, "export", "--db", db, "--format", "jsonl", "--layer", "bilal", "-o", o); code != ExitOK {
			t.Fatalf("export from %s: %d %s", db, code, errs)
		}
		b, err := os.ReadFile(o)
		if err != nil {
			t.Fatal(err)
		}
		exports[db] = string(b)
	}
	if exports[u] != exports[offline] || !strings.Contains(exports[u], "ستيف ويتكوف") {
		t.Errorf("exports differ:\nteam:\n%s\nfile:\n%s", exports[u], exports[offline])
	}
	// Work done offline comes back beside the team's, never over it.
	off, err := stores.Open(context.Background(), offline, annotate.OpenExisting)
	if err != nil {
		t.Fatal(err)
	}
	d, err := off.DocumentByHash(context.Background(), annotate.Hash("ستيف ويتكوف في واشنطن"))
	if err == nil {
		_, err = off.AddSpan(context.Background(), annotate.Span{DocID: d.ID, Layer: "bilal", Start: 15, End: 21, Label: "PLACE"})
	}
	off.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runTeamEnv(t, "merge", "--db", u, offline); code != ExitRejected || !strings.Contains(errs, "layer bilal already exists here with different content") {
		t.Errorf("merge back over a changed layer: %d %s", code, errs)
	}
	if code, out, errs := runTeamEnv(t, "merge", "--db", u, "--as", "bilal=bilal-offline", offline); code != ExitOK || !strings.Contains(out, "layers bilal-offline;") {
		t.Errorf("merge back beside: %d %q %s", code, out, errs)
	}
	// amina, connected as herself, cannot change the labels.
	aminaURL := pgtest.WithDatabase(t, u, pgtest.Database(t, u), amina)
	if code, _, errs := runTeamEnv(t, "labels", "--db", aminaURL, "add", "ORG"); code != ExitRejected || !strings.Contains(errs, "read-only") {
		t.Errorf("amina adding a label: %d %s", code, errs)
	}
	if code, out, _ := runTeamEnv(t, "labels", "--db", aminaURL); code != ExitOK || !strings.Contains(out, "PERSON") {
		t.Errorf("amina listing labels: %d %q", code, out)
	}
	s, err := stores.Open(context.Background(), aminaURL, annotate.OpenExisting)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if strings.Contains(s.Location(), "password") {
		t.Errorf("location %s", s.Location())
	}
}
