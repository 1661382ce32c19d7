package export

// Acceptance tests against the shared corpora (../shared/corpora; see its
// SOURCES.md). Each test skips, saying so, when the corpora are absent.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/sqlite"
	"github.com/qalam-annotate/qalam/internal/shared"
)

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "p"+sqlite.Ext), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// importInto imports paths into s and commits.
func importInto(t testing.TB, s *sqlite.Store, opts ImportOptions, paths ...string) (ImportSummary, []string) {
	t.Helper()
	ctx := context.Background()
	ai, err := s.NewAnnotationImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	sum, err := Import(ctx, ai, opts, paths, func(p Problem) { problems = append(problems, p.Error()) }, nil)
	if err != nil {
		ai.Abort()
		t.Fatal(err)
	}
	if err := ai.Close(); err != nil {
		t.Fatal(err)
	}
	return sum, problems
}

func exportFrom(t testing.TB, s Source, opts Options) (Summary, []string) {
	t.Helper()
	var problems []string
	opts.Report = func(p Problem) { problems = append(problems, p.Error()) }
	sum, err := Export(context.Background(), s, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum, problems
}

// readAnn reads the T lines of a brat .ann file, independently of the
// decoder, as sorted "LABEL START END\tTEXT" strings without duplicates.
func readAnn(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.SplitN(strings.TrimRight(line, "\r"), "\t", 3)
		if len(f) < 2 || !strings.HasPrefix(f[0], "T") {
			continue
		}
		s := f[1]
		if len(f) == 3 {
			s += "\t" + f[2]
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// MEDDOCAN (250 Spanish clinical cases, unsorted .ann lines): import,
// export brat, and every document has the same text and spans.
func TestCorpusBratMEDDOCAN(t *testing.T) {
	dir := shared.Path(t, "corpora/brat/PlanTL-SPACCC_MEDDOCAN/corpus/dev/brat")
	s := openStore(t)
	sum, problems := importInto(t, s, ImportOptions{Format: "brat", Layer: "ali", NewLabels: true}, dir)
	if len(problems) > 0 {
		t.Fatalf("%d problems, first %s", len(problems), problems[0])
	}
	if sum.Records != 250 || sum.DocumentsAdded != 250 {
		t.Errorf("imported %+v, want 250 documents", sum)
	}
	out := filepath.Join(t.TempDir(), "brat")
	esum, eprob := exportFrom(t, s, Options{Format: "brat", Output: out, Layer: "ali"})
	if len(eprob) > 0 || esum.Documents != 250 {
		t.Errorf("export: %+v, problems %q", esum, eprob)
	}
	anns, _ := filepath.Glob(filepath.Join(dir, "*.ann"))
	docs, spans, mismatches, boms := 0, 0, 0, 0
	for _, ann := range anns {
		name := strings.TrimSuffix(filepath.Base(ann), ".ann")
		want, got := readAnn(t, ann), readAnn(t, filepath.Join(out, name+".ann"))
		wt, _ := os.ReadFile(strings.TrimSuffix(ann, ".ann") + ".txt")
		gt, _ := os.ReadFile(filepath.Join(out, name+".txt"))
		if strings.HasPrefix(string(wt), "\ufeff") {
			// The text is stored without its byte order mark, which the
			// original offsets count.
			boms++
			wt = wt[3:]
			want = shiftAnn(t, want, -1)
		}
		docs++
		spans += len(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			mismatches++
			t.Errorf("%s: spans differ:\n got %q\nwant %q", name, got, want)
		}
		if string(wt) != string(gt) {
			mismatches++
			t.Errorf("%s: text differs", name)
		}
	}
	if docs != 250 || spans != 5801 || sum.Spans != spans {
		t.Errorf("compared %d documents, %d spans (%d stored); SOURCES.md counts 250 and 5801", docs, spans, sum.Spans)
	}
	if boms != 7 {
		t.Errorf("%d texts start with a byte order mark, want 7", boms)
	}
	t.Logf("MEDDOCAN: %d documents, %d spans compared after import and brat export (%d texts had a byte order mark their offsets counted), %d mismatches", docs, spans, boms, mismatches)
}

// shiftAnn moves "LABEL START END\tTEXT" spans by d.
func shiftAnn(t *testing.T, spans []string, d int) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		head, text, _ := strings.Cut(s, "\t")
		var label string
		var start, end int
		if _, err := fmt.Sscan(head, &label, &start, &end); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		out[i] = fmt.Sprintf("%s %d %d\t%s", label, start+d, end+d, text)
	}
	sort.Strings(out)
	return out
}

// Every brat file of the corpora (CoNLL-2002 and Bosque converted to
// brat, the Finnish treebank, BioNLP with nested spans, events and
// relations, NCBI, the tutorials with empty .ann files, dkpro's test
// files): no span text disagrees with its text; what is refused is a
// discontinuous span, an .ann without its .txt, or a type name too long
// for a label; and an export and import again give the same spans.
func TestCorpusBratAll(t *testing.T) {
	root := shared.Path(t, "corpora/brat")
	s := openStore(t)
	sum, problems := importInto(t, s, ImportOptions{Format: "brat", Layer: "ali", NewLabels: true}, root)
	kinds := map[string]int{}
	for _, p := range problems {
		switch {
		case strings.Contains(p, "discontinuous span"):
			kinds["discontinuous"]++
		case strings.Contains(p, "its text: ") && strings.Contains(p, "no such file"):
			kinds["no .txt"]++
		case strings.Contains(p, "cannot be added: label name"):
			kinds["label name"]++
		default:
			t.Errorf("unexpected problem: %s", p)
		}
	}
	if kinds["discontinuous"] != 2 || sum.Records < 400 || sum.Spans < 15000 || sum.Incomplete != 3 {
		t.Errorf("imported %+v; problems %v", sum, kinds)
	}
	out := filepath.Join(t.TempDir(), "brat")
	// Documents with a refused span were stored in progress.
	esum, eprob := exportFrom(t, s, Options{Format: "brat", Output: out, Layer: "ali", IncludeUnfinished: true})
	s2 := openStore(t)
	sum2, problems2 := importInto(t, s2, ImportOptions{Format: "brat", Layer: "ali", NewLabels: true}, out)
	if len(eprob)+len(problems2) > 0 || sum2.Spans != sum.Spans || esum.Spans != sum.Spans {
		t.Errorf("export %+v, import again %+v (%q %q); first import stored %d spans", esum, sum2, eprob, problems2, sum.Spans)
	}
	t.Logf("brat: %d .ann files, %d documents, %d spans; refused %v; skipped %v; export and import again: %d spans", sum.Files, sum.Records, sum.Spans, kinds, sum.Skipped, sum2.Spans)
}

type corpusRow struct {
	Text   string `json:"text"`
	Answer string `json:"answer"`
	Spans  []struct {
		Start, End int
		Label      string
	} `json:"spans"`
}

// Prodigy's fashion_brands_eval.jsonl has emoji before spans: after import
// and export every span's text is the document's text at its code-point
// offsets, the spans are the file's, and with --offsets utf16 the offsets
// index the text as JavaScript does.
func TestCorpusProdigyEmoji(t *testing.T) {
	path := shared.Path(t, "corpora/prodigy/explosion-projects/tutorials/ner_fashion_brands/assets/fashion_brands_eval.jsonl")
	want := map[string][]string{}
	emoji := 0
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r corpusRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Answer != "accept" {
			continue
		}
		set := map[string]bool{}
		for _, s := range r.Spans {
			set[fmt.Sprintf("%d %d %s", s.Start, s.End, s.Label)] = true
		}
		want[r.Text] = sortedKeys(set)
		if len(utf16.Encode([]rune(r.Text))) != len([]rune(r.Text)) {
			emoji++
		}
	}
	f.Close()

	s := openStore(t)
	if _, problems := importInto(t, s, ImportOptions{Format: "jsonl", Layer: "ali", NewLabels: true}, path); len(problems) > 0 {
		t.Fatalf("import problems: %q", problems)
	}
	dir := t.TempDir()
	cp, u16 := filepath.Join(dir, "cp.jsonl"), filepath.Join(dir, "u16.jsonl")
	exportFrom(t, s, Options{Format: "jsonl", Output: cp, Layer: "ali"})
	exportFrom(t, s, Options{Format: "jsonl", Output: u16, Layer: "ali", Offsets: annotate.UTF16})

	type row struct {
		Text  string `json:"text"`
		Spans []struct {
			Start, End int
			Label      string
		} `json:"spans"`
		Meta struct {
			Offsets string `json:"offsets"`
		} `json:"meta"`
	}
	read := func(p string) []row {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var rows []row
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r row
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		return rows
	}
	cpRows, u16Rows := read(cp), read(u16)
	if len(cpRows) != len(want) || len(u16Rows) != len(want) {
		t.Fatalf("%d and %d rows exported, want %d", len(cpRows), len(u16Rows), len(want))
	}
	spans, moved, bad := 0, 0, 0
	for i, r := range cpRows {
		if r.Meta.Offsets != "codepoints" || u16Rows[i].Meta.Offsets != "utf16" {
			t.Fatalf("row %d states offsets %q and %q", i, r.Meta.Offsets, u16Rows[i].Meta.Offsets)
		}
		set := map[string]bool{}
		units := utf16.Encode([]rune(r.Text))
		for j, sp := range r.Spans {
			spans++
			set[fmt.Sprintf("%d %d %s", sp.Start, sp.End, sp.Label)] = true
			text, ok := annotate.Slice(r.Text, sp.Start, sp.End)
			js := u16Rows[i].Spans[j]
			if !ok || js.End > len(units) || string(utf16.Decode(units[js.Start:js.End])) != text {
				bad++
				t.Errorf("row %d span %d: code points give %q, UTF-16 [%d,%d) does not", i, j, text, js.Start, js.End)
			}
			if js.Start != sp.Start {
				moved++
			}
		}
		if got := sortedKeys(set); strings.Join(got, ";") != strings.Join(want[r.Text], ";") {
			bad++
			t.Errorf("row %d: spans %q, the file has %q", i, got, want[r.Text])
		}
	}
	if spans != 238 || emoji < 16 || moved == 0 {
		t.Errorf("%d spans, %d texts with characters beyond the BMP, %d spans whose UTF-16 offsets differ", spans, emoji, moved)
	}
	t.Logf("fashion_brands: %d documents (%d with emoji), %d spans: all match by code points; %d spans have other UTF-16 offsets, all match JavaScript indexing; %d mismatches", len(cpRows), emoji, spans, moved, bad)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// conllTokens reads "token TAG" lines (any spaces or tabs) into sentences,
// independently of the decoder.
func conllTokens(t *testing.T, path string) (sents [][][2]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cur [][2]string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
			if len(cur) > 0 {
				sents = append(sents, cur)
				cur = nil
			}
		case f[0] == "-DOCSTART-":
		default:
			cur = append(cur, [2]string{f[0], f[len(f)-1]})
		}
	}
	if len(cur) > 0 {
		sents = append(sents, cur)
	}
	return sents
}

// ANERcorp's test split (CoNLL, B/I-PERS/LOC/ORG/MISC): import, export
// conll, and the tokens and tags come back. The file is IOB2 with some
// I- tags that open an entity (after O, another type, or a sentence break
// added after a full stop); IOB2 writes those B-.
func TestCorpusANERcorp(t *testing.T) {
	path := shared.Path(t, "corpora/arabic/ANERcorp-CamelLab/Data/ANERCorp_CamelLab_test.txt")
	s := openStore(t)
	sum, problems := importInto(t, s, ImportOptions{Format: "conll", Layer: "ali", NewLabels: true}, path)
	if len(problems) > 0 || sum.Records != 1 {
		t.Fatalf("import: %+v, problems %q", sum, problems)
	}
	out := filepath.Join(t.TempDir(), "out.conll")
	if _, eprob := exportFrom(t, s, Options{Format: "conll", Output: out, Layer: "ali"}); len(eprob) > 0 {
		t.Errorf("export problems: %q", eprob)
	}
	src, got := conllTokens(t, path), conllTokens(t, out)
	if len(got) != len(src) {
		t.Fatalf("%d sentences back, want %d", len(got), len(src))
	}
	tokens, normalised, mismatches := 0, 0, 0
	for i := range src {
		if len(got[i]) != len(src[i]) {
			t.Fatalf("sentence %d: %d tokens, want %d", i, len(got[i]), len(src[i]))
		}
		prev := "O"
		for j, tok := range src[i] {
			tokens++
			want := tok[1]
			if strings.HasPrefix(want, "I-") && (prev == "O" || prev[2:] != want[2:]) {
				want = "B-" + want[2:] // IOB2: an entity starts with B-
				normalised++
			}
			prev = tok[1]
			if got[i][j] != [2]string{tok[0], want} {
				mismatches++
				if mismatches < 10 {
					t.Errorf("sentence %d token %d: %q, want %q", i, j, got[i][j], [2]string{tok[0], want})
				}
			}
		}
	}
	if tokens != 25008 {
		t.Errorf("%d tokens; the README counts 25,008", tokens)
	}
	t.Logf("ANERcorp test: %d sentences, %d tokens compared; %d I- tags opening an entity written B-; %d mismatches", len(src), tokens, normalised, mismatches)
}

// ANERcorp as distributed has no blank lines: one malformed line must
// cost that line alone, never the 25,008 tokens around it, and every bad
// line is reported with its number.
func TestCorpusANERcorpBadLines(t *testing.T) {
	raw, err := os.ReadFile(shared.Path(t, "corpora/arabic/ANERcorp-CamelLab/Data/ANERCorp_CamelLab_test.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	// Three bad lines: one column, an unknown tag, an empty token.
	bad := map[int]string{100: "ولبنان", 20000: "القاهرة X-LOC Y", 24000: "\tO"}
	var b strings.Builder
	n := 0
	for i, l := range lines {
		if extra, ok := bad[i]; ok {
			b.WriteString(extra + "\n")
			n++
		}
		b.WriteString(l + "\n")
	}
	path := filepath.Join(t.TempDir(), "ANERcorp")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	sum, problems := importInto(t, s, ImportOptions{Format: "conll", Layer: "ali", NewLabels: true}, path)
	if sum.Records != 1 || sum.Rejected != 3 || len(problems) != 3 {
		t.Fatalf("import: %+v, problems %q", sum, problems)
	}
	for i, want := range []int{101, 20002, 24003} {
		if !strings.Contains(problems[i], fmt.Sprintf(`ANERcorp":%d:`, want)) || !strings.Contains(problems[i], "the line is left out") {
			t.Errorf("problem %d %q does not name line %d", i, problems[i], want)
		}
	}
	tokens := 0
	s.EachDocument(context.Background(), []string{"ali"}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		tokens += len(strings.Fields(d.Text))
		return nil
	})
	if tokens != 25008 {
		t.Errorf("%d tokens imported, want all 25,008", tokens)
	}
}

// Every doccano, Label Studio and spaCy/Prodigy example imports, or is
// refused with a message that names the problem.
func TestCorpusExamples(t *testing.T) {
	root := shared.Path(t, "corpora")
	tests := []struct {
		path                  string
		docs, spans, rejected int
		skipped               string // a reason counted in Skipped
		messages              []string
	}{
		{"doccano/doccano-doccano/backend/data_import/pipeline/examples/sequence_labeling/example.jsonl", 3, 3, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/pipeline/examples/sequence_labeling/example.txt", 1, 4, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/pipeline/examples/relation_extraction/example.jsonl", 1, 4, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/pipeline/examples/intent_detection/example.jsonl", 2, 3, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/example.conll", 1, 2, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/example.jsonl", 2, 1, 1, "", []string{`example.jsonl":3: document "example:3": no "text"`}},
		{"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/labeling.invalid.conll", 1, 5, 1, "", []string{`labeling.invalid.conll":1: document "labeling.invalid": 3 columns where the file has 2: the line is left out`}},
		{"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/labeling.trailing.conll", 1, 2, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/example_overlapping.jsonl", 1, 1, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/tests/data/intent/example.jsonl", 4, 2, 1, "", []string{`example.jsonl":5: document "example:5": no "text"`}},
		{"doccano/doccano-doccano/backend/data_import/tests/data/relation_extraction/example.jsonl", 1, 4, 0, "", nil},
		// UTF-16 with a byte order mark is decoded: a CSV named on its
		// own is plain text, an article.
		{"doccano/doccano-doccano/backend/data_import/tests/data/example.utf16.csv", 1, 0, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_import/tests/data/text_classification/example.xlsx", 0, 0, 1, "", []string{"no Documents sheet"}},
		{"doccano/doccano-doccano/backend/data_import/tests/data/text_classification/example_one_column_no_header.xlsx", 0, 0, 1, "", []string{"no Documents sheet"}},
		{"doccano/doccano-doccano/backend/data_import/tests/data/text_classification/example.invalid.2.xlsx", 0, 0, 1, "", []string{"no Documents sheet"}},
		{"doccano/doccano-doccano/backend/data_export/pipeline/examples/sequence_labeling/example.jsonl", 3, 4, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl", 1, 4, 0, "", nil},
		{"doccano/doccano-doccano/backend/data_export/pipeline/examples/intent_detection/example.jsonl", 2, 3, 0, "", nil},
		{"doccano/doccano-doccano-legacy-c7359510/frontend/static/formats/sequence_labeling/upload/example.jsonl", 2, 0, 1, "", []string{`example.jsonl":1: document "example:1": malformed JSON: invalid character '.'`}},
		{"doccano/doccano-doccano-legacy-c7359510/frontend/static/formats/sequence_labeling/upload/example.conll.txt", 1, 4, 0, "", nil},
		{"doccano/doccano-doccano-legacy-c7359510/frontend/static/formats/sequence_labeling/download/example.jsonl", 3, 0, 3, "", []string{"label 2 is a number (a label id of the tool that wrote it), not a name"}},
		{"doccano/doccano-doccano-legacy-c7359510/frontend/static/formats/sequence_labeling/download/example_text.jsonl", 3, 3, 2, "", []string{"span [11,17) MISC is outside the text (14 code points)"}},
		// Predictions go in as suggestions.
		{"labelstudio/HumanSignal-label-studio-frontend/examples/named_entity/tasks.json", 1, 1, 0, "", nil},
		{"labelstudio/HumanSignal-label-studio-frontend/examples/named_entity/annotations/1.json", 1, 1, 0, "", nil},
		{"labelstudio/HumanSignal-label-studio-frontend/examples/rich_text_plain/tasks.json", 1, 0, 1, "", []string{`the file says "February 22", the text there is " supporters"`}},
		{"labelstudio/HumanSignal-label-studio-frontend/examples/rich_text_plain/annotations/1.json", 1, 0, 1, "", []string{`span [343,354) Date: the file says "February 22", the text there is " supporters"`}},
		{"labelstudio/HumanSignal-label-studio-frontend/examples/html_document/tasks.json", 1, 0, 0, "", nil},
		{"labelstudio/HumanSignal-label-studio-frontend/examples/html_document/annotations/1.json", 1, 0, 3, "", []string{"HTML labels (hypertextlabels) point into the page by XPath"}},
		{"prodigy/explosion-prodigy-recipes/example-datasets/annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl", 372, 303, 0, `Prodigy "ignore" answers`, nil},
		{"prodigy/explosion-prodigy-recipes/example-datasets/annotated_reddit-PRODUCT-ner.jsonl", 438, 436, 0, `Prodigy "reject" answers`, nil},
		{"prodigy/explosion-prodigy-recipes/example-datasets/bio_events.jsonl", 129, 422, 0, "", nil},
		{"prodigy/explosion-prodigy-recipes/example-datasets/news_headlines.jsonl", 200, 0, 0, "", nil},
		{"prodigy/explosion-projects/tutorials/ner_fashion_brands/assets/fashion_brands_eval.jsonl", 500, 238, 0, "", nil},
		{"prodigy/explosion-projects/tutorials/ner_drugs/assets/drugs_eval.jsonl", 500, 362, 0, "", nil},
		{"prodigy/explosion-projects/tutorials/ner_tweets/assets/test_annotated.jsonl", 517, 241, 2, `Prodigy "ignore" answers`, []string{`test_annotated.jsonl":286: document "test_annotated:286": empty text`}},
		{"prodigy/explosion-projects/tutorials/rel_component/assets/annotations.jsonl", 149, 466, 0, "", nil},
		{"prodigy/explosion-projects/pipelines/ner_demo/assets/train.json", 2, 3, 0, "", nil},
		{"prodigy/explosion-projects/pipelines/ner_demo/assets/dev.json", 2, 2, 0, "", nil},
		{"prodigy/explosion-projects/pipelines/spancat_demo/assets/train.json", 3, 4, 0, "", nil},
		{"prodigy/explosion-projects/pipelines/spancat_demo/assets/dev.json", 2, 2, 0, "", nil},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.path, "/", "_"), func(t *testing.T) {
			path := filepath.Join(root, filepath.FromSlash(tc.path))
			s := openStore(t)
			sum, problems := importInto(t, s, ImportOptions{Format: Auto, Layer: "ali", NewLabels: true}, path)
			if sum.Records != tc.docs || sum.Spans != tc.spans || sum.Rejected != tc.rejected {
				t.Errorf("%d documents, %d spans, %d rejected; want %d, %d, %d\n%s", sum.Records, sum.Spans, sum.Rejected, tc.docs, tc.spans, tc.rejected, strings.Join(problems, "\n"))
			}
			if tc.skipped != "" && sum.Skipped[tc.skipped] == 0 {
				t.Errorf("nothing skipped as %q: %v", tc.skipped, sum.Skipped)
			}
			all := strings.Join(problems, "\n")
			for _, m := range tc.messages {
				if !strings.Contains(all, m) {
					t.Errorf("no problem says %q:\n%s", m, all)
				}
			}
			if tc.rejected > 0 && len(problems) == 0 {
				t.Error("rejected without a message")
			}
		})
	}
}

// The CoNLL variants of the corpora import (or are refused line by line),
// and their tokens and spans survive a CoNLL export: the property CoNLL
// in, CoNLL out.
func TestCorpusCoNLLVariants(t *testing.T) {
	files := []string{
		"conll/flairNLP-flair/tests/resources/tasks/column_corpus_options/eng.train",
		"conll/flairNLP-flair/tests/resources/tasks/column_with_whitespaces/eng.train",
		"conll/flairNLP-flair/tests/resources/tasks/fashion/eng.train",
		"conll/flairNLP-flair/tests/resources/tasks/span_labels/span_third.txt",
		"conll/flairNLP-flair/tests/resources/tasks/trivial/trivial_bioes/train.txt",
		"conll/flairNLP-flair/tests/resources/tasks/ner_german_germeval/NER-de-train.tsv",
		"conll/flairNLP-flair/tests/resources/tasks/conllu/train.conllup",
		"conll/davidsbatista-NER-datasets/WNUT17/emerging.dev.conll",
		"conll/davidsbatista-NER-datasets/GermEval2014/NER-de-dev.tsv",
		"conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line-conll2003.iob",
		"conll/explosion-spaCy/extra/example_data/ner_example_data/ner-sent-per-line.iob",
		"conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line-conll2003.json",
		"conll/chakki-works-seqeval/tests/data/ground_truth.txt",
		"arabic/AQMAR/aqmar/articles/Damascus.txt",
		"arabic/SinaLab-ArabicNER-Wojood-sample/data/test.txt",
		"arabic/New-Languages-for-NLP-classical-arabic/3_inception_ner_snd/0597IbnJawzi.Mawducat.ShamAY0034138_3_ner.conll",
	}
	root := shared.Path(t, "corpora")
	for _, rel := range files {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			path := filepath.Join(root, filepath.FromSlash(rel))
			s := openStore(t)
			sum, problems := importInto(t, s, ImportOptions{Format: Auto, Layer: "ali", NewLabels: true}, path)
			if sum.Records == 0 || sum.Spans == 0 {
				t.Fatalf("nothing imported: %+v\n%s", sum, strings.Join(problems, "\n"))
			}
			for _, p := range problems {
				t.Logf("reported: %s", p)
			}
			// Export and import again into a fresh project: the same
			// spans over the same tokens.
			out := filepath.Join(t.TempDir(), "out.conll")
			_, eprob := exportFrom(t, s, Options{Format: "conll", Output: out, Layer: "ali"})
			s2 := openStore(t)
			sum2, _ := importInto(t, s2, ImportOptions{Format: "conll", Layer: "ali", NewLabels: true}, out)
			nested := len(eprob) // overlapping spans cannot be written in one tag column
			if sum2.Spans+nested < sum.Spans || sum2.Records != sum.Records {
				t.Errorf("after conll export: %d documents, %d spans (%d left out as overlapping); before %d, %d", sum2.Records, sum2.Spans, nested, sum.Records, sum.Spans)
			}
			t.Logf("%s: %d documents, %d spans, %d refused; conll round trip %d spans (%d nested spans reported)", rel, sum.Records, sum.Spans, sum.Rejected, sum2.Spans, nested)
		})
	}
}
