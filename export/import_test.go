package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"encoding/json"
	"errors"
	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/articles"
	"io"
	"slices"
	"syscall"
	"time"
)

// The SQLite store is what Export and Import are written against.
var (
	_ Source         = (*sqlite.Store)(nil)
	_ Sink           = (*sqlite.AnnotationImporter)(nil)
	_ DocumentFinder = (*sqlite.AnnotationImporter)(nil)
	_ DocumentFinder = (*memSink)(nil)
)

// memSink is an import target in memory with the store's rules: documents
// matched by text, identical spans stored once.
type memSink struct {
	labels annotate.LabelSet
	docs   []annotate.Document
	bySHA  map[string]int64
	spans  map[int64]map[string][]annotate.Span
	status map[int64]map[string]annotate.Status
}

func newMemSink() *memSink {
	return &memSink{labels: annotate.DefaultLabels(), bySHA: map[string]int64{},
		spans: map[int64]map[string][]annotate.Span{}, status: map[int64]map[string]annotate.Status{}}
}

func (m *memSink) Labels() (annotate.LabelSet, error) { return m.labels, nil }

func (m *memSink) AddLabel(name string) error {
	set := append(append(annotate.LabelSet(nil), m.labels...), annotate.Label{Name: name})
	if err := set.Validate(); err != nil {
		return err
	}
	m.labels = set
	return nil
}

func (m *memSink) Document(d annotate.Document) (annotate.Document, bool, error) {
	if id, ok := m.bySHA[d.SHA256]; ok {
		return m.docs[id-1], false, nil
	}
	d.ID = int64(len(m.docs) + 1)
	m.docs = append(m.docs, d)
	m.bySHA[d.SHA256] = d.ID
	return d, true, nil
}

func (m *memSink) DocumentBySHA256(sha string) (annotate.Document, bool, error) {
	if id, ok := m.bySHA[sha]; ok {
		return m.docs[id-1], true, nil
	}
	return annotate.Document{}, false, nil
}

func (m *memSink) Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error) {
	if m.spans[docID] == nil {
		m.spans[docID] = map[string][]annotate.Span{}
		m.status[docID] = map[string]annotate.Status{}
	}
	n := 0
	for _, s := range spans {
		if _, ok := m.labels.Find(s.Label); !ok {
			return n, fmt.Errorf("%w %q", annotate.ErrUnknownLabel, s.Label)
		}
		dup := false
		for _, h := range m.spans[docID][layer] {
			dup = dup || (h.Start == s.Start && h.End == s.End && h.Label == s.Label)
		}
		if !dup {
			m.spans[docID][layer] = append(m.spans[docID][layer], s)
			n++
		}
	}
	if status != "" {
		m.status[docID][layer] = status
	}
	return n, nil
}

// dump renders what the sink holds.
func (m *memSink) dump() string {
	var b strings.Builder
	for _, d := range m.docs {
		fmt.Fprintf(&b, "%s %q", d.Name, clip(d.Text, 20))
		layers := make([]string, 0)
		for l := range m.spans[d.ID] {
			layers = append(layers, l)
		}
		for l := range m.status[d.ID] {
			if _, ok := m.spans[d.ID][l]; !ok {
				layers = append(layers, l)
			}
		}
		sort.Strings(layers)
		for _, l := range layers {
			fmt.Fprintf(&b, " | %s(%s)", l, m.status[d.ID][l])
			var ss []string
			for _, s := range m.spans[d.ID][l] {
				sub, _ := annotate.Slice(d.Text, s.Start, s.End)
				ss = append(ss, fmt.Sprintf("%s[%d,%d)%s/%s", s.Label, s.Start, s.End, sub, s.Origin))
			}
			sort.Strings(ss)
			if len(ss) > 0 {
				b.WriteString(" " + strings.Join(ss, " "))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runImport(t *testing.T, sink *memSink, opts ImportOptions, paths ...string) (ImportSummary, []string) {
	t.Helper()
	var problems []string
	sum, err := Import(context.Background(), sink, opts, paths, func(p Problem) { problems = append(problems, p.Error()) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum, problems
}

func TestImportChecksSpans(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.jsonl": `{"text":"😂 Allen Edmonds in واشنطن","spans":[{"start":2,"end":15,"label":"PERSON","text":"Allen Edmonds"},{"start":19,"end":25,"label":"PLACE","text":"واشنطن"},{"start":2,"end":7,"label":"PERSON","text":"Edmon"},{"start":20,"end":40,"label":"PLACE"},{"start":5,"end":5,"label":"PLACE"},{"start":2,"end":7,"label":"BRAND"},{"start":8,"end":15,"label":"BRAND"},{"start":2,"end":15,"label":"New\u202eLabel"}]}
{"text":"😂 Allen","spans":[{"start":3,"end":8,"label":"PERSON","text":"Allen"},{"start":1,"end":8,"label":"PERSON"}],"meta":{"offsets":"utf16"}}
{"text":"   "}
`,
	})
	sink := newMemSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: "jsonl", Layer: "ali"}, filepath.Join(dir, "a.jsonl"))
	want := []string{
		`a.jsonl":1: document "a:1": span [2,7) PERSON: the file says "Edmon", the text there is "Allen"`,
		`a.jsonl":1: document "a:1": span [20,40) PLACE is outside the text (25 code points)`,
		`a.jsonl":1: document "a:1": span [5,5) PLACE is outside the text (25 code points)`,
		`a.jsonl":1: document "a:1": label "BRAND" is not in the project: 2 span(s) left out (add the label, or import with --new-labels)`,
		`a.jsonl":1: document "a:1": label "New\u202eLabel" is not in the project: 1 span(s) left out (add the label, or import with --new-labels)`,
		`a.jsonl":2: document "a:2": span [1,8) PERSON: the utf16 offsets fall outside the text or inside a character`,
		`a.jsonl":3: document "a:3": empty text`,
	}
	for i := range max(len(want), len(problems)) {
		if i >= len(want) || i >= len(problems) || !strings.HasSuffix(problems[i], want[i]) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
			break
		}
	}
	if sum.Rejected != 8 || sum.Spans != 3 || sum.Records != 2 || sum.DocumentsAdded != 2 || sum.Incomplete != 2 {
		t.Errorf("summary %+v", sum)
	}
	// Some spans of both documents were refused: they are not finished
	// work.
	wantDump := `a:1 "😂 Allen Edmonds in و…" | ali(in_progress) PERSON[2,15)Allen Edmonds/imported PLACE[19,25)واشنطن/imported
a:2 "😂 Allen" | ali(in_progress) PERSON[2,7)Allen/imported
`
	if got := sink.dump(); got != wantDump {
		t.Errorf("stored:\n%s\nwant:\n%s", got, wantDump)
	}

	// Again, with --new-labels and as suggestions: documents match, labels
	// come, a name a label cannot have is refused per span.
	sum, problems = runImport(t, sink, ImportOptions{Format: "jsonl", Layer: annotate.Suggestion, NewLabels: true}, filepath.Join(dir, "a.jsonl"))
	if sum.DocumentsMatched != 2 || sum.DocumentsAdded != 0 || strings.Join(sum.LabelsAdded, ",") != "BRAND" || sum.Spans != 5 {
		t.Errorf("second import: %+v", sum)
	}
	if !strings.Contains(strings.Join(problems, "\n"), `label "New\u202eLabel" cannot be added: label name "New\u202eLabel": want 1 to 64 characters, with no control, format or separator characters`) {
		t.Errorf("problems do not name the bad label: %q", problems)
	}
	if got := sink.dump(); !strings.Contains(got, "suggestion() BRAND[2,7)Allen/suggested BRAND[8,15)Edmonds/suggested") {
		t.Errorf("suggestions not stored as such:\n%s", got)
	}

	// Into ali again: the spans of BRAND, a label now, come; the rest is
	// there already. And once more: nothing new.
	for _, want := range [][2]int{{2, 3}, {0, 5}} {
		sum, _ = runImport(t, sink, ImportOptions{Format: "jsonl", Layer: "ali"}, filepath.Join(dir, "a.jsonl"))
		if sum.Spans != want[0] || sum.SpansExisting != want[1] {
			t.Errorf("reimport stored %d spans (%d already there), want %d (%d)", sum.Spans, sum.SpansExisting, want[0], want[1])
		}
	}
}

func TestImportAutoFolder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"brat/doc1.txt":        "قال ستيف ويتكوف في واشنطن",
		"brat/doc1.ann":        "T1\tPERSON 4 15\tستيف ويتكوف\nT2\tPLACE 19 25\tواشنطن\n",
		"brat/alone.txt":       "نص بلا تعليقات",
		"brat/annotation.conf": "[entities]\nPERSON\n",
		"data/doccano.jsonl":   `{"text": "Peter Blackburn", "label": [[0, 15, "PERSON"]]}` + "\n",
		"data/articles.jsonl":  `{"text": "مقال أول", "id": 3}` + "\n" + `{"text": "مقال ثان"}` + "\n",
		"data/ner.conll":       "Peter\tB-PERSON\nBlackburn\tI-PERSON\n",
		"data/plain.txt":       "An article of plain text.",
		"data/tasks.json":      `[{"data": {"text": "Peter Blackburn"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 5, "labels": ["PERSON"]}}]}]}]`,
		"data/hf.jsonl":        `{"tokens": ["in", "Paris"], "ner_tags": ["O", "B-PLACE"]}` + "\n",
		"data/unknown.bin":     "\x00\x01\x02",
	})
	sink := newMemSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, filepath.Join(dir, "brat"), filepath.Join(dir, "data"))
	if len(problems) > 0 {
		t.Errorf("problems: %q", problems)
	}
	// The doccano row, the CoNLL sentence and the Label Studio task share
	// their text: one document, named after the first file read, with the
	// spans of all three.
	want := `alone "نص بلا تعليقات"
doc1 "قال ستيف ويتكوف في و…" | ali(done) PERSON[4,15)ستيف ويتكوف/imported PLACE[19,25)واشنطن/imported
3 "مقال أول"
articles:2 "مقال ثان"
doccano:1 "Peter Blackburn" | ali(done) PERSON[0,15)Peter Blackburn/imported PERSON[0,5)Peter/imported
hf:1 "in Paris" | ali(done) PLACE[3,8)Paris/imported
plain "An article of plain …"
`
	if got := sink.dump(); got != want {
		t.Errorf("stored:\n%s\nwant:\n%s", got, want)
	}
	if sum.Records != 9 || sum.Files != 8 {
		t.Errorf("%d records from %d files, want 9 from 8", sum.Records, sum.Files)
	}
	// annotation.conf and unknown.bin.
	if sum.Skipped["files of no known format"] != 2 || len(sum.Skipped) != 1 {
		t.Errorf("skipped %v", sum.Skipped)
	}
}

func TestImportFromLayer(t *testing.T) {
	// An xlsx export of two layers, read back one layer at a time.
	out := filepath.Join(t.TempDir(), "all.xlsx")
	if _, err := Export(context.Background(), fixture(), Options{Format: "xlsx", Output: out, Layer: AllLayers}, nil); err != nil {
		t.Fatal(err)
	}
	for _, layer := range []string{"ali", "sara"} {
		sink := newMemSink()
		sink.AddLabel("ORG")
		sum, problems := runImport(t, sink, ImportOptions{Format: "xlsx", Layer: layer, FromLayer: layer}, out)
		if len(problems) > 0 {
			t.Fatalf("problems: %q", problems)
		}
		// sara's work on the emoji document is in progress: not exported.
		want := map[string]int{"ali": 12, "sara": 3}[layer]
		if sum.Spans != want {
			t.Errorf("%s: %d spans, want %d (summary %+v)", layer, sum.Spans, want, sum)
		}
	}
}

// The statuses an xlsx export states come back with its spans.
func TestImportStatusesFromXLSX(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sara.xlsx")
	exportFrom(t, fixture(), Options{Format: "xlsx", Output: out, Layer: AllLayers, IncludeUnfinished: true})
	sink := newMemSink()
	sink.AddLabel("ORG")
	runImport(t, sink, ImportOptions{Format: "xlsx", Layer: "sara", FromLayer: "sara"}, out)
	want := `politics/reuters-1 "قال ستيف ويتكوف في و…" | sara(done) ORG[76,83)وولمارت/imported PERSON[4,15)ستيف ويتكوف/imported PLACE[19,25)واشنطن/imported
../emoji "😂 Allen Edmonds 👞 be…" | sara(in_progress) ORG[2,15)Allen Edmonds/imported
../emoji "EU rejects German ca…"
CON "خبر بلا كيانات." | sara(done)
`
	if got := sink.dump(); got != want {
		t.Errorf("stored:\n%s\nwant:\n%s", got, want)
	}
}

func TestImportRefusesGoldAndBadOptions(t *testing.T) {
	for _, opts := range []ImportOptions{{Format: "jsonl", Layer: annotate.Gold}, {Format: "nope", Layer: "ali"}, {Format: "jsonl", Layer: "a,b"}} {
		if _, err := Import(context.Background(), newMemSink(), opts, nil, nil, nil); err == nil {
			t.Errorf("%+v accepted", opts)
		}
	}
	sink := newMemSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, filepath.Join(t.TempDir(), "missing.jsonl"))
	if sum.Rejected != 1 || len(problems) != 1 || !strings.Contains(problems[0], "no such file") {
		t.Errorf("missing file: %+v %q", sum, problems)
	}
}

// --format auto does not depend on a buffer size: a JSONL whose first
// record is larger than any buffer is recognised by that record.
func TestDetectLargeFirstRecord(t *testing.T) {
	long := strings.Repeat("قال ستيف ويتكوف في واشنطن. ", 6000) // about 300 KB
	dir := writeFiles(t, map[string]string{
		"big.jsonl": `{"text":"` + long + `","spans":[{"start":4,"end":15,"label":"PERSON"}]}` + "\n" +
			`{"text":"ستيف","spans":[{"start":0,"end":4,"label":"PERSON"}]}` + "\n",
	})
	if len(long) < 1<<18 {
		t.Fatalf("the record is only %d bytes", len(long))
	}
	sink := newMemSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, filepath.Join(dir, "big.jsonl"))
	if len(problems) > 0 || sum.Records != 2 || sum.Spans != 2 {
		t.Errorf("%+v %q", sum, problems)
	}
}

// Detect says why when it cannot decide, and refuses text classification.
func TestDetectRefuses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"prodigy textcat", `{"text":"Good food","label":"new-dataset","answer":"accept","_input_hash":1}` + "\n", `this is text classification, not named entities`},
		{"unknown records", `{"sentence":"x","tags":[1]}` + "\n", `cannot tell the format of these JSON records (keys sentence, tags): give --format`},
		{"binary", "abc\x00def", "binary data"},
		{"empty", "\n\n", "the file is empty"},
	}
	for _, tc := range tests {
		f, _, err := Detect("in.jsonl", strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Detect = %q, %v; want an error saying %q", tc.name, f, err, tc.want)
		}
	}
	// What Detect read is given back whole.
	in := strings.Repeat("word O\n", 50000)
	f, r, err := Detect("x.conll", strings.NewReader(in))
	b, _ := io.ReadAll(r)
	if f != CoNLL.Name || err != nil || string(b) != in {
		t.Errorf("Detect = %q %v, and gives back %d of %d bytes", f, err, len(b), len(in))
	}
}

// Only regular files are read: a named pipe in a folder is refused by name
// (never waited on), and so is a device named on its own.
func TestImportSkipsSpecialFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.jsonl": `{"text":"ستيف","spans":[{"start":0,"end":4,"label":"PERSON"}]}` + "\n",
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "b.txt"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan struct{})
	var sum ImportSummary
	var problems []string
	go func() {
		defer close(done)
		sum, problems = runImport(t, newMemSink(), ImportOptions{Format: Auto, Layer: "ali"}, dir, "/dev/zero")
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("import hangs on a named pipe")
	}
	all := strings.Join(problems, "\n")
	if sum.Spans != 1 || !strings.Contains(all, `b.txt": not a regular file (a named pipe)`) || !strings.Contains(all, `"/dev/zero": not a regular file (a device)`) {
		t.Errorf("%+v\n%s", sum, all)
	}
}

// A file of plain articles gets the same document names, ids in the meta
// and .json handling whether `qalam import` (the article reader) or an
// annotation import with --format auto reads it.
func TestArticleNamesAgree(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"news.jsonl":     `{"text":"أول"}` + "\n" + `{"text":"ثان","id":7,"meta":{"k":1}}` + "\n",
		"sub/more.json":  `[{"text":"ثالث"},` + "\n" + `{"text":"رابع","name":"four"}]`,
		"sub/plain.txt":  "خامس",
		"sub/other.TXT":  "سادس",
		"sub/skip.bin":   "\x00",
		"sub/.hidden.tx": "x",
	})
	var fromArticles []string
	r := &articles.Reader{}
	r.Read(context.Background(), []string{dir}, func(it articles.Item) error {
		if it.Err == nil {
			fromArticles = append(fromArticles, fmt.Sprintf("%s %s %s", it.Doc.Name, it.Doc.Text, it.Doc.Meta))
		}
		return nil
	})
	sink := newMemSink()
	runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, dir)
	var fromImport []string
	for _, d := range sink.docs {
		fromImport = append(fromImport, fmt.Sprintf("%s %s %s", d.Name, d.Text, d.Meta))
	}
	sort.Strings(fromArticles)
	sort.Strings(fromImport)
	want := []string{"7 ثان {\"id\":7,\"k\":1}", "four رابع ", "news:1 أول ", "sub/more:1 ثالث ", "sub/other سادس ", "sub/plain خامس "}
	if !slices.Equal(fromArticles, want) || !slices.Equal(fromImport, want) {
		t.Errorf("article reader %q\nannotation import %q\nwant %q", fromArticles, fromImport, want)
	}
}

// Label Studio: each annotation goes into its annotator's layer, so two
// people's work on a task stays apart; predictions become suggestions,
// cancelled annotations are counted; --layer for such a file is refused
// before anything is stored, naming the ways out.
func TestLabelStudioAnnotators(t *testing.T) {
	text := "زار ستيف ولبنان"
	task := `[{"id": 1, "data": {"text": "` + text + `"},
  "annotations": [
    {"completed_by": 1, "result": [{"type": "labels", "value": {"start": 10, "end": 15, "text": "لبنان", "labels": ["LOC"]}}]},
    {"completed_by": {"id": 2, "email": "b@example.com"}, "result": [{"type": "labels", "value": {"start": 10, "end": 15, "labels": ["ORG"]}}, {"type": "labels", "value": {"start": 4, "end": 8, "labels": ["PER"]}}]},
    {"completed_by": {"id": 3, "username": "c"}, "was_cancelled": true, "result": []}
  ],
  "predictions": [{"model_version": "m1", "result": [{"type": "labels", "value": {"start": 4, "end": 8, "labels": ["PER"]}}]}]
}]`
	path := filepath.Join(writeFiles(t, map[string]string{"tasks.json": task}), "tasks.json")
	newSink := func() *memSink {
		s := newMemSink()
		for _, l := range []string{"LOC", "ORG", "PER"} {
			s.AddLabel(l)
		}
		return s
	}

	sink := newSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto}, path)
	got := sink.dump()
	for _, w := range []string{"1(done) LOC[10,15)لبنان/imported", "b@example.com(done) ORG[10,15)لبنان/imported PER[4,8)ستيف/imported", "suggestion() PER[4,8)ستيف/suggested"} {
		if !strings.Contains(got, w) {
			t.Errorf("stored:\n%s\nlacks %s", got, w)
		}
	}
	if len(problems) > 0 || sum.Skipped["cancelled Label Studio annotations"] != 1 {
		t.Errorf("%+v %q", sum, problems)
	}

	// --layer would merge two people's work: refused, nothing stored.
	sink = newSink()
	_, err := Import(context.Background(), sink, ImportOptions{Format: LabelStudio.Name, Layer: "ali"}, []string{path}, nil, nil)
	if !errors.Is(err, ErrUsage) || !strings.Contains(fmt.Sprint(err), "several annotators on one document (1, b@example.com on line 1)") || !strings.Contains(fmt.Sprint(err), "--from-layer NAME") || len(sink.docs) != 0 {
		t.Errorf("--layer on a file of several annotators: %v; stored %d documents", err, len(sink.docs))
	}
	// ... unless --from-layer takes one of them.
	sink = newSink()
	runImport(t, sink, ImportOptions{Format: LabelStudio.Name, Layer: "ali", FromLayer: "b@example.com"}, path)
	if got := sink.dump(); !strings.Contains(got, "ali(done) ORG[10,15)لبنان/imported PER[4,8)ستيف/imported") || strings.Contains(got, "LOC") {
		t.Errorf("--from-layer b@example.com stored:\n%s", got)
	}
}

// The Label Studio export writes an annotation per layer with its
// completed_by, ground_truth true for gold alone; imported without
// --layer, the annotators' layers come back apart.
func TestLabelStudioExportLayers(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ls.json")
	exportFrom(t, fixture(), Options{Format: "labelstudio", Output: out, Layer: AllLayers})
	b, _ := os.ReadFile(out)
	var tasks []struct {
		Annotations []struct {
			Layer       string
			CompletedBy map[string]string `json:"completed_by"`
			GroundTruth bool              `json:"ground_truth"`
		}
	}
	if err := json.Unmarshal(b, &tasks); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, task := range tasks {
		for _, a := range task.Annotations {
			n++
			if a.CompletedBy["username"] != a.Layer || a.GroundTruth != (a.Layer == annotate.Gold) {
				t.Errorf("annotation of %s: completed_by %v, ground_truth %v", a.Layer, a.CompletedBy, a.GroundTruth)
			}
		}
	}
	if n != 7 {
		t.Errorf("%d annotations", n)
	}
	sink := newMemSink()
	sink.labels = fixture().labels
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto}, out)
	got := sink.dump()
	if !strings.Contains(got, "ali(done) ORG[77,83)ولمارت/imported") || !strings.Contains(got, "sara(done) ORG[76,83)وولمارت/imported") {
		t.Errorf("stored:\n%s", got)
	}
	if sum.Rejected != 1 || !strings.Contains(strings.Join(problems, "\n"), "gold is what reviewers adjudicate here") {
		t.Errorf("gold: %+v %q", sum, problems)
	}
}

// Hugging Face rows: transformers' fixtures name their keys words and ner;
// tags may be ids, read with the dataset's label names (given, or from
// its dataset_info.json).
func TestHFKeysAndIDs(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"fixture/sample.json":        `{"words": ["CHICAGO", "AT", "ATLANTA"], "ner": ["B-ORG", "O", "B-LOC"]}` + "\n",
		"ids/train.jsonl":            `{"tokens": ["EU", "rejects", "German", "call"], "ner_tags": [3, 0, 7, 0]}` + "\n",
		"ids/dataset_info.json":      `{"features": {"tokens": {"feature": {"dtype": "string"}}, "ner_tags": {"feature": {"names": ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"], "_type": "ClassLabel"}}}}`,
		"bare/train.jsonl":           `{"tokens": ["EU"], "ner_tags": [3]}` + "\n",
		"doccano-as-jsonl/a.jsonl":   `{"text": "Peter Blackburn", "label": [[0, 15, "PER"]]}` + "\n",
		"prodigy-as-doccano/a.jsonl": `{"text": "Peter Blackburn", "spans": [{"start": 0, "end": 15, "label": "PER"}]}` + "\n",
	})
	sink := newMemSink()
	for _, l := range []string{"ORG", "LOC", "MISC", "PER"} {
		sink.AddLabel(l)
	}
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, filepath.Join(dir, "fixture"), filepath.Join(dir, "ids"))
	got := sink.dump()
	if len(problems) > 0 || !strings.Contains(got, "LOC[11,18)ATLANTA/imported ORG[0,7)CHICAGO") || !strings.Contains(got, "MISC[11,17)German/imported ORG[0,2)EU") {
		t.Errorf("%+v %q\n%s", sum, problems, got)
	}
	_, problems = runImport(t, newMemSink(), ImportOptions{Format: "hf", Layer: "ali"}, filepath.Join(dir, "bare"))
	if len(problems) != 1 || !strings.Contains(problems[0], "give the dataset's label names") {
		t.Errorf("ids without names: %q", problems)
	}
	_, problems = runImport(t, newMemSink(), ImportOptions{Format: "hf", Layer: "ali", TagNames: []string{"O", "B-PER", "I-PER", "B-ORG"}}, filepath.Join(dir, "bare"))
	if len(problems) != 1 || !strings.Contains(problems[0], `label "ORG" is not in the project`) {
		t.Errorf("ids with names: %q", problems)
	}

	// Span-like data in a field the chosen format does not read is
	// reported, naming the field and the format that reads it.
	for _, tc := range []struct{ dir, format, want string }{
		{"doccano-as-jsonl", "jsonl", `"label" holds spans, which --format jsonl does not read (--format doccano does)`},
		{"prodigy-as-doccano", "doccano", `"spans" holds spans, which --format doccano does not read (--format jsonl does)`},
	} {
		sink := newMemSink()
		sum, problems := runImport(t, sink, ImportOptions{Format: tc.format, Layer: "ali"}, filepath.Join(dir, tc.dir))
		if sum.Records != 0 || len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
			t.Errorf("%s as %s: %+v %q", tc.dir, tc.format, sum, problems)
		}
	}
}
