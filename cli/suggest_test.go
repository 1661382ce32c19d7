package cli

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
	"github.com/qalam-annotate/qalam/modelserver/modelservertest"
)

// suggestProject makes a project of three articles in which amina
// labelled the first.
func suggestProject(t *testing.T) (db string, ids []int64) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "p.qalam")
	write(t, filepath.Join(dir, "in", "a.txt"), "قال دونالد ترامب إن موسكو مستعدة")
	write(t, filepath.Join(dir, "in", "b.txt"), "وصل ترامب إلى موسكو وبموسكو ثلج")
	write(t, filepath.Join(dir, "in", "c.txt"), "لا أسماء هنا")
	if code, _, errs := run(t, "import", "--db", db, filepath.Join(dir, "in")); code != ExitOK {
		t.Fatalf("import: %d %s", code, errs)
	}
	ctx := context.Background()
	s, err := stores.Open(ctx, db, annotate.OpenExisting)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := s.DocumentPage(ctx, annotate.DocQuery{Layer: "amina"}, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range page {
		ids = append(ids, d.ID)
	}
	if _, err := s.AddSpans(ctx, ids[0], "amina", "label", []annotate.Span{{Start: 4, End: 16, Label: "PERSON"}, {Start: 20, End: 25, Label: "PLACE"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan(ctx, annotate.Span{DocID: ids[0], Layer: annotate.Gold, Start: 11, End: 16, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, ids[0], "amina", annotate.Done); err != nil {
		t.Fatal(err)
	}
	return db, ids
}

func openSuggestions(t *testing.T, db string, doc int64, layer string) []annotate.Span {
	t.Helper()
	s, err := stores.Open(context.Background(), db, annotate.OpenReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sg, err := s.Suggestions(context.Background(), doc, layer)
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func TestSuggestLearned(t *testing.T) {
	db, ids := suggestProject(t)
	code, out, errs := run(t, "suggest", "--db", db, "--layer", "amina", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `{"document":"b","suggestions":[{"start":4,"end":9,"label":"PERSON","text":"ترامب","source":"learned"},` +
		`{"start":14,"end":19,"label":"PLACE","text":"موسكو","source":"learned"},` +
		`{"start":22,"end":27,"label":"PLACE","text":"موسكو","source":"learned"}]}` + "\n"
	if out != want {
		t.Errorf("--json printed\n%s\nwant\n%s", out, want)
	}
	if !strings.Contains(errs, "suggested 3 names in 1 of 2 documents unfinished by amina (learned 3 names from amina and gold)") {
		t.Errorf("summary: %s", errs)
	}
	if got := openSuggestions(t, db, ids[1], "amina"); len(got) != 3 || got[0].Layer != annotate.OwnSuggestions("amina") {
		t.Errorf("stored: %+v", got)
	}
	if got := openSuggestions(t, db, ids[1], "bilal"); got != nil {
		t.Errorf("bilal sees amina's: %+v", got)
	}
	// Again: the same, nothing stored twice.
	if code, out2, _ := run(t, "suggest", "--db", db, "--layer", "amina", "--json"); code != ExitOK || out2 != out {
		t.Errorf("again: %d %s", code, out2)
	}
	if got := openSuggestions(t, db, ids[1], "amina"); len(got) != 3 {
		t.Errorf("stored again: %d", len(got))
	}
}

func TestSuggestSwitches(t *testing.T) {
	db, _ := suggestProject(t)
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--layer", "amina", "--switch", "off"}, ExitOK, "off for amina"},
		{[]string{"--layer", "amina"}, ExitRejected, "switched off for amina"},
		{[]string{"--layer", "amina", "--switch", "on"}, ExitOK, "on for amina"},
		{[]string{"--switch", "off"}, ExitOK, "off for the project"},
		{[]string{"--layer", "amina"}, ExitRejected, "switched off"},
		{[]string{"--layer", "amina", "--switch", "on"}, ExitOK, "off for the whole project"},
		{[]string{"--switch", "on"}, ExitOK, "on for the project"},
		{[]string{"--layer", "amina"}, ExitOK, "suggested"},
		{[]string{"--layer", "gold"}, ExitUsage, "never to gold"},
		{[]string{}, ExitUsage, "--layer NAME"},
		{[]string{"--switch", "maybe"}, ExitUsage, "want on or off"},
		{[]string{"--layer", "amina", "--map", "PER=PERSON"}, ExitUsage, "go with --server"},
	} {
		code, out, errs := run(t, append([]string{"suggest", "--db", db}, c.args...)...)
		if code != c.code || !strings.Contains(out+errs, c.says) {
			t.Errorf("suggest %v: exit %d, %q %q; want %d saying %q", c.args, code, out, errs, c.code, c.says)
		}
	}
}

func TestSuggestFromServer(t *testing.T) {
	db, ids := suggestProject(t)
	backend := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER", "موسكو": "LOC", "ثلج": "WEATHER"}}
	srv := httptest.NewServer(backend)
	defer srv.Close()
	code, out, errs := run(t, "suggest", "--db", db, "--layer", "amina", "--server", srv.URL, "--map", "PER=PERSON,LOC=PLACE", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("printed %q", out)
	}
	var line suggestionLine
	if err := json.Unmarshal([]byte(lines[0]), &line); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sg := range line.Suggestions {
		if sg.Source != srv.URL {
			t.Errorf("source %q", sg.Source)
		}
		got = append(got, sg.Label+":"+sg.Text)
	}
	if line.Document != "b" || !reflect.DeepEqual(got, []string{"PERSON:ترامب", "PLACE:موسكو", "PLACE:موسكو"}) {
		t.Errorf("printed %s %q", line.Document, got)
	}
	if !strings.Contains(errs, "left out: WEATHER (1); --map MODEL=PROJECT maps them") || !strings.Contains(errs, "answered for 2 of 2 documents: 3 new suggestions") {
		t.Errorf("summary: %s", errs)
	}
	// Model suggestions are everyone's.
	if got := openSuggestions(t, db, ids[1], "bilal"); len(got) != 3 || got[0].Layer != annotate.Suggestion {
		t.Errorf("bilal sees %+v", got)
	}

	srv.Close()
	code, _, errs = run(t, "suggest", "--db", db, "--layer", "amina", "--server", srv.URL)
	if code != ExitRejected || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "does not answer") {
		t.Errorf("server down: exit %d, %q", code, errs)
	}
	for _, args := range [][]string{
		{"--server", "localhost:9090"},
		{"--server", "http://x", "--protocol", "grpc"},
		{"--server", "http://x", "--map", "PER"},
		{"--server", "http://x", "--map", "PER=NOPE"},
		{"--server", "http://x", "--protocol", "template", "--body", `{"q": 1}`},
	} {
		if code, _, errs := run(t, append([]string{"suggest", "--db", db, "--layer", "amina"}, args...)...); code != ExitUsage {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
	}
}

func TestSuggestTemplateServer(t *testing.T) {
	db, ids := suggestProject(t)
	srv := httptest.NewServer(modelservertest.Template(map[string]string{"ترامب": "PERSON"}, "Text", "bytes", func(found []modelservertest.Found) any {
		var out []any
		for _, f := range found {
			out = append(out, map[string]any{"Type": f.Label, "BeginOffset": f.Start, "EndOffset": f.End})
		}
		return map[string]any{"Entities": out}
	}))
	defer srv.Close()
	code, _, errs := run(t, "suggest", "--db", db, "--layer", "amina", "--server", srv.URL, "--protocol", "template",
		"--body", `{"Text": "{{ text }}", "LanguageCode": "ar"}`, "--list", "Entities", "--label-field", "Type",
		"--start-field", "BeginOffset", "--end-field", "EndOffset", "--offsets", "bytes")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if got := openSuggestions(t, db, ids[1], "amina"); len(got) != 1 || got[0].Start != 4 || got[0].End != 9 {
		t.Errorf("stored %+v", got)
	}
}
