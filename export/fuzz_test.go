package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/shared"
)

// Each decoder is fuzzed with the read → write → read property: whatever
// it accepts from arbitrary input, once imported, exports and imports
// again to the same documents and spans. It must never panic or loop.

// corpusSeeds adds the start of shared corpus files as seeds (when the
// corpora are present; fuzzing then starts from real files).
func corpusSeeds(f *testing.F, rels ...string) {
	dir := shared.Dir()
	if dir == "" {
		return
	}
	for _, rel := range rels {
		b, err := os.ReadFile(filepath.Join(dir, "corpora", filepath.FromSlash(rel)))
		if err != nil {
			continue
		}
		if len(b) > 16<<10 {
			b = b[:16<<10]
		}
		f.Add(b)
	}
}

// importFile imports one file (a brat .ann with its text) into a new sink.
func importFile(t *testing.T, format *Format, path string) (*memSink, []string) {
	t.Helper()
	sink := newMemSink()
	var problems []string
	_, err := Import(context.Background(), sink, ImportOptions{Format: format.Name, Layer: "ali", NewLabels: true}, []string{path},
		func(p Problem) { problems = append(problems, p.Error()) }, nil)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sink, problems
}

// sinkSource turns what a sink holds into a source of one layer, done.
func sinkSource(s *memSink) *memSource {
	m := &memSource{labels: s.labels}
	for _, d := range s.docs {
		ad := &annotate.AnnotatedDoc{Document: d, Layers: map[string]*annotate.LayerDoc{}}
		ad.ID = int64(len(m.docs) + 1)
		spans := append([]annotate.Span(nil), s.spans[d.ID]["ali"]...)
		sort.Slice(spans, func(i, j int) bool { return spanLess(spans[i], spans[j]) })
		if _, ok := s.status[d.ID]["ali"]; ok || len(spans) > 0 {
			ad.Layers["ali"] = &annotate.LayerDoc{Status: annotate.Done, Spans: spans}
		}
		m.docs = append(m.docs, ad)
	}
	return m
}

// views describes each document and its spans, over tokens for the token
// formats; for those, spans that overlap one before them are dropped, as
// one tag column cannot hold them (and the export reports them).
func views(m *memSource, tokens bool) []string {
	var out []string
	for _, d := range m.docs {
		l := d.Layers["ali"]
		if l == nil {
			continue
		}
		spans := l.Spans
		if tokens {
			spans = append([]annotate.Span(nil), spans...)
			slices.SortStableFunc(spans, byStartLongest)
			toks := Tokens(d.Document)
			taken := make([]bool, len(toks))
			var keep []annotate.Span
			for _, s := range spans {
				a := align(toks, s.Start, s.End)
				free := a.first <= a.last
				for i := a.first; i <= a.last && free; i++ {
					free = !taken[i]
				}
				if free {
					for i := a.first; i <= a.last; i++ {
						taken[i] = true
					}
					keep = append(keep, s)
				}
			}
			if len(toks) == 0 {
				continue // nothing to write a token of
			}
			out = append(out, tokenView(d.Document, keep))
		} else {
			out = append(out, charView(d.Text, spans))
		}
	}
	sort.Strings(out)
	return out
}

func fuzzRoundTrip(t *testing.T, format *Format, data []byte, name string, text []byte) {
	dir := t.TempDir()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if text != nil {
		if err := os.WriteFile(bratText(path), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := importFile(t, format, path)
	src := sinkSource(first)
	if layers, _ := src.Layers(context.Background()); len(layers) == 0 {
		return // nothing annotated
	}
	out := filepath.Join(dir, "out", "export"+strings.Join(format.Extensions[:min(1, len(format.Extensions))], ""))
	os.MkdirAll(filepath.Dir(out), 0o755)
	if format.Folder {
		out = filepath.Join(dir, "out", "export")
	}
	if _, err := Export(context.Background(), src, Options{Format: format.Name, Output: out, Layer: "ali"}, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	second, problems := importFile(t, format, out)
	if len(problems) > 0 {
		t.Fatalf("importing the export: %q", problems)
	}
	want, got := views(src, format.Tokens), views(sinkSource(second), format.Tokens)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("read → write → read differs:\nfirst  %q\nsecond %q", want, got)
	}
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"text":"😂 Allen Edmonds","spans":[{"start":2,"end":15,"label":"BRAND","text":"Allen Edmonds"}],"meta":{"offsets":"utf16"}}`))
	f.Add([]byte(`[["Who is Shaka Khan?", {"entities": [[7, 17, "PERSON"]]}]]`))
	f.Add([]byte(`[{"id":0,"paragraphs":[{"sentences":[{"tokens":[{"orth":"When","ner":"O"},{"orth":"Thrun","ner":"U-PERSON"}]}]}]}]`))
	f.Add([]byte("{\"text\":\"a\",\"answer\":\"reject\"}\n{\"text\": \"broken\n"))
	corpusSeeds(f, "prodigy/explosion-projects/tutorials/ner_fashion_brands/assets/fashion_brands_eval.jsonl",
		"prodigy/explosion-prodigy-recipes/example-datasets/annotated_reddit-PRODUCT-ner.jsonl",
		"prodigy/explosion-projects/pipelines/ner_demo/assets/train.json",
		"conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, JSONL, data, "in.jsonl", nil) })
}

func FuzzDoccano(f *testing.F) {
	f.Add([]byte(`{"text": "EU rejects German call", "label": [[0, 2, "ORG"], [11, 17, "MISC"]], "meta": {"id": 1}}`))
	f.Add([]byte(`{"text": "Google", "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"}]}`))
	f.Add([]byte("{\"column_data\": \"قال ستيف\", \"column_label\": [[4, 8, \"PERSON\"]]}\n{\"text\": \"x\", \"labels\": [ [0, 1, \"A\"], ... ]}"))
	corpusSeeds(f, "doccano/doccano-doccano/backend/data_import/tests/data/intent/example.jsonl",
		"doccano/doccano-doccano/backend/data_export/pipeline/examples/relation_extraction/example.jsonl",
		"doccano/doccano-doccano-legacy-c7359510/frontend/static/formats/sequence_labeling/download/example.jsonl",
		"conll/flairNLP-flair/tests/resources/tasks/jsonl/train.jsonl")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, Doccano, data, "in.jsonl", nil) })
}

func FuzzHF(f *testing.F) {
	f.Add([]byte(`{"id": "s1", "tokens": ["EU", "rejects", "German"], "ner_tags": ["B-ORG", "O", "B-MISC"]}`))
	f.Add([]byte(`{"tokens": ["قال", "ستيف", "ويتكوف"], "ner_tags": ["O", "B-PERSON", "E-PERSON"]}` + "\n" + `{"tokens": ["a"], "ner_tags": [3]}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, HF, data, "in.jsonl", nil) })
}

func FuzzCoNLL(f *testing.F) {
	f.Add([]byte("EU\tB-ORG\nrejects\tO\n\n-DOCSTART-\tO\n\nNew Berlin\tB-LOC\n"))
	f.Add([]byte("#\tcomment\n1\tToyota\tB-ORG\tO\n2\tJapan\tB-ORG\tB-LOC\n"))
	f.Add([]byte("محكمة B-ORG\nحكومة I-ORG B-ORG\nفلسطين I-ORG I-ORG B-GPE\n"))
	f.Add([]byte("When|WRB|O Sebastian|NNP|B-PERSON\n"))
	corpusSeeds(f, "arabic/ANERcorp-CamelLab/Data/ANERCorp_CamelLab_test.txt",
		"conll/davidsbatista-NER-datasets/WNUT17/emerging.dev.conll",
		"conll/davidsbatista-NER-datasets/GermEval2014/NER-de-dev.tsv",
		"conll/flairNLP-flair/tests/resources/tasks/column_corpus_options/eng.train",
		"conll/explosion-spaCy/extra/example_data/ner_example_data/ner-token-per-line-conll2003.iob",
		"doccano/doccano-doccano/backend/data_import/tests/data/sequence_labeling/labeling.invalid.conll",
		"arabic/SinaLab-ArabicNER-Wojood-sample/data/test.txt")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, CoNLL, data, "in.conll", nil) })
}

func FuzzBrat(f *testing.F) {
	f.Add([]byte("T1\tPERSON 4 15\tستيف ويتكوف\nR1\tOrigin Arg1:T1 Arg2:T1\nT2\tToken 5 7;8 9\tis a\n"), []byte("قال ستيف ويتكوف في واشنطن"))
	f.Add([]byte("T1\tX 0 2\tab"), []byte("\ufeffab\r\ncd"))
	if dir := shared.Dir(); dir != "" {
		base := filepath.Join(dir, "corpora", "brat")
		for _, rel := range []string{"PlanTL-SPACCC_MEDDOCAN/corpus/dev/brat/S0004-06142006000600015-1", "dkpro-core-io-brat/dkpro-core-io-brat-asl/src/test/resources/brat/document1",
			"nlplab-brat/example-data/corpora/TDT/TDT-sample-doc", "dkpro-core-io-brat/dkpro-core-io-brat-asl/src/test/resources/brat/document0c"} {
			ann, err1 := os.ReadFile(filepath.Join(base, rel+".ann"))
			txt, err2 := os.ReadFile(filepath.Join(base, rel+".txt"))
			if err1 == nil && err2 == nil {
				f.Add(ann, txt)
			}
		}
	}
	f.Fuzz(func(t *testing.T, ann, txt []byte) { fuzzRoundTrip(t, Brat, ann, "in.ann", txt) })
}

func FuzzLabelStudio(f *testing.F) {
	f.Add([]byte(`[{"id": 1, "data": {"ner": "Donald Trump said"}, "annotations": [{"result": [{"id": "a", "type": "labels", "to_name": "text", "value": {"start": 0, "end": 12, "text": "Donald Trump", "labels": ["PER"]}}]}], "predictions": [{"result": []}]}]`))
	f.Add([]byte(`{"data": {"text": "<div>x</div>"}, "annotations": [{"result": [{"type": "hypertextlabels", "value": {}}]}]}`))
	corpusSeeds(f, "labelstudio/HumanSignal-label-studio-frontend/examples/named_entity/annotations/1.json",
		"labelstudio/HumanSignal-label-studio-frontend/examples/rich_text_plain/annotations/1.json",
		"labelstudio/HumanSignal-label-studio-frontend/examples/named_entity/tasks.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, LabelStudio, data, "in.json", nil) })
}

func FuzzXLSX(f *testing.F) {
	var buf bytes.Buffer
	m := fixture()
	enc, err := XLSX.NewEncoder(&buf, EncodeOptions{Labels: m.labels, Layers: []string{"ali"}})
	if err != nil {
		f.Fatal(err)
	}
	m.EachDocument(context.Background(), nil, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		if l := d.Layers["ali"]; l != nil {
			return enc.Encode(&Doc{Document: d.Document, Layers: []LayerWork{{Name: "ali", Status: l.Status, Spans: l.Spans}}})
		}
		return nil
	})
	if err := enc.Close(); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04 not a workbook"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRoundTrip(t, XLSX, data, "in.xlsx", nil) })
}
