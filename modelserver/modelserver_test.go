package modelserver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/modelserver/modelservertest"
)

var projectLabels = []string{"PERSON", "PLACE", "EVENT"}

const arabic = "قال ترامب لرويترز إن موسكو ستستضيف القمة، وإن ترامب سيزور موسكو 🇷🇺 قريباً."

func newClient(t *testing.T, cfg Config, cache *Cache) *Client {
	t.Helper()
	c, err := New(cfg, cache)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// texts writes spans as "LABEL:text".
func texts(text string, spans []Span) []string {
	var out []string
	for _, sp := range spans {
		s, _ := annotate.Slice(text, sp.Start, sp.End)
		out = append(out, sp.Label+":"+s)
	}
	return out
}

func TestLabelStudioBackend(t *testing.T) {
	b := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER", "موسكو": "LOC", "رويترز": "ORG", "🇷🇺": "MISC"}}
	srv := httptest.NewServer(b)
	defer srv.Close()
	c := newClient(t, Config{URL: srv.URL + "/", Protocol: LabelStudio}, nil)
	ctx := context.Background()
	if err := c.Check(ctx); err != nil {
		t.Fatal(err)
	}
	spans, err := c.Predict(ctx, arabic, projectLabels)
	if err != nil {
		t.Fatal(err)
	}
	got := texts(arabic, spans)
	for _, want := range []string{"PER:ترامب", "LOC:موسكو", "ORG:رويترز", "MISC:🇷🇺"} {
		if !containsN(got, want, map[bool]int{true: 2, false: 1}[want == "PER:ترامب" || want == "LOC:موسكو"]) {
			t.Errorf("%q missing from %q", want, got)
		}
	}
	config, _ := b.LastConfig.Load().(string)
	for _, l := range projectLabels {
		if !strings.Contains(config, `<Label value="`+l+`"/>`) {
			t.Errorf("the labelling config lacks %s:\n%s", l, config)
		}
	}
	m := Mapping{"PER": "PERSON", "LOC": "PLACE", "ORG": ""}
	set := annotate.DefaultLabels()
	if u := m.Unknown(spans, set); !reflect.DeepEqual(u, []string{"MISC"}) {
		t.Errorf("unknown labels %v", u)
	}
	skipped := map[string]int{}
	mapped := texts(arabic, m.Apply(spans, set, skipped))
	if len(mapped) != 4 || !containsN(mapped, "PERSON:ترامب", 2) || !containsN(mapped, "PLACE:موسكو", 2) ||
		!reflect.DeepEqual(skipped, map[string]int{"ORG": 1, "MISC": 1}) {
		t.Errorf("mapped %q, skipped %v", mapped, skipped)
	}
}

func containsN(list []string, s string, n int) bool {
	k := 0
	for _, x := range list {
		if x == s {
			k++
		}
	}
	return k == n
}

// TestLabelStudioExamples reads the answers label-studio-ml-backend's own
// tests expect of its spaCy and Hugging Face NER examples.
func TestLabelStudioExamples(t *testing.T) {
	for _, c := range []struct {
		name, text, answer string
		want               []string
	}{
		{"spacy example", "Katy Perry and Pharrell have the same taste in Apple Watches http://t.co/k6k3SdwShP",
			`{"results": [{"model_version": "SpacyMLBackend-v0.0.1", "result": [
				{"from_name": "ner_tags", "to_name": "text", "type": "labels", "value": {"end": 10, "labels": ["PERSON"], "start": 0, "text": "Katy Perry"}},
				{"from_name": "ner_tags", "to_name": "text", "type": "labels", "value": {"end": 23, "labels": ["ORG"], "start": 15, "text": "Pharrell"}},
				{"from_name": "ner_tags", "to_name": "text", "type": "labels", "value": {"end": 83, "labels": ["PRODUCT"], "start": 47, "text": "Apple Watches http://t.co/k6k3SdwShP"}}],
				"score": 0.0}]}`,
			[]string{"PERSON:Katy Perry", "ORG:Pharrell", "PRODUCT:Apple Watches http://t.co/k6k3SdwShP"}},
		{"huggingface_ner example", "President Obama is speaking at 3pm today in New York.",
			`{"results": [{"model_version": "HuggingFaceNER-v0.0.1", "result": [
				{"from_name": "ner", "score": 0.9974774718284607, "to_name": "text", "type": "labels", "value": {"end": 15, "labels": ["PER"], "start": 10}},
				{"from_name": "ner", "score": 0.9994751214981079, "to_name": "text", "type": "labels", "value": {"end": 52, "labels": ["LOC"], "start": 44}}],
				"score": 0.9984762966632843}]}`,
			[]string{"PER:Obama", "LOC:New York"}},
		{"several predictions for the task: the first", "Obama",
			`{"results": [[{"result": [{"type": "labels", "value": {"start": 0, "end": 5, "labels": ["PER"]}}]}, {"result": []}]]}`,
			[]string{"PER:Obama"}},
		{"nothing found", "nothing", `{"results": []}`, nil},
		{"a choice is no span", "Obama",
			`{"results": [{"result": [{"type": "choices", "value": {"choices": ["Positive"]}}, {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["PER"]}}]}]}`,
			[]string{"PER:Obama"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(modelservertest.Replay(200, c.answer))
			defer srv.Close()
			spans, err := newClient(t, Config{URL: srv.URL}, nil).Predict(context.Background(), c.text, []string{"PERSON"})
			if err != nil {
				t.Fatal(err)
			}
			if got := texts(c.text, spans); !reflect.DeepEqual(got, c.want) {
				t.Errorf("read %q, want %q", got, c.want)
			}
		})
	}
}

// TestOneClearMessage: a server that is down, too slow or answering
// nonsense fails with one error that says which, and gives no spans.
func TestOneClearMessage(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	for _, c := range []struct {
		name   string
		url    string
		answer http.Handler
		cfg    Config
		want   error
		says   string
	}{
		{name: "down", url: downURL, want: ErrDown, says: "connection refused"},
		{name: "too slow", url: slow.URL, cfg: Config{Timeout: 100 * time.Millisecond}, want: ErrDown, says: "did not answer within 100ms"},
		{name: "a web page", answer: modelservertest.Replay(200, "<html><body>Welcome to nginx!</body></html>"), want: ErrNonsense, says: `not {"results": [...]}`},
		{name: "no results", answer: modelservertest.Replay(200, `{"predictions": []}`), want: ErrNonsense, says: `not {"results": [...]}`},
		{name: "the backend failed", answer: modelservertest.Replay(500, `{"status": 500, "detail": "KeyError: 'text'\nTraceback…"}`), want: ErrNonsense, says: "500 Internal Server Error: KeyError: 'text'"},
		{name: "outside the text", answer: modelservertest.Replay(200, `{"results": [{"result": [{"type": "labels", "value": {"start": 3, "end": 99, "labels": ["PER"]}}]}]}`),
			want: ErrNonsense, says: "not inside the text"},
		{name: "offsets in another unit", answer: modelservertest.Replay(200, `{"results": [{"result": [{"type": "labels", "value": {"start": 4, "end": 9, "text": "ترامب", "labels": ["PER"]}}]}]}`),
			cfg: Config{Offsets: annotate.Bytes}, want: ErrNonsense, says: "are its offsets codepoints or utf16?"},
		{name: "no label", answer: modelservertest.Replay(200, `{"results": [{"result": [{"type": "labels", "value": {"start": 0, "end": 3, "labels": []}}]}]}`),
			want: ErrNonsense, says: "has no label"},
		{name: "two predictions for one task", answer: modelservertest.Replay(200, `{"results": [{"result": []}, {"result": []}]}`), want: ErrNonsense, says: "2 predictions"},
		{name: "template: not a list", cfg: Config{Protocol: Template, List: "entities"}, answer: modelservertest.Replay(200, `{"entities": {"a": 1}}`),
			want: ErrNonsense, says: "entities is not a list of spans"},
		{name: "template: no such field", cfg: Config{Protocol: Template, List: "Entities"}, answer: modelservertest.Replay(200, `{"entities": []}`),
			want: ErrNonsense, says: `no field "Entities"`},
		{name: "template: fractional offsets", cfg: Config{Protocol: Template}, answer: modelservertest.Replay(200, `[{"label": "PER", "start_offset": 0.5, "end_offset": 3}]`),
			want: ErrNonsense, says: "whole numbers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := c.url
			if c.answer != nil {
				srv := httptest.NewServer(c.answer)
				defer srv.Close()
				url = srv.URL
			}
			cfg := c.cfg
			cfg.URL = url
			spans, err := newClient(t, cfg, nil).Predict(context.Background(), arabic, projectLabels)
			if !errors.Is(err, c.want) || spans != nil {
				t.Fatalf("got %v, %v; want %v", spans, err, c.want)
			}
			if !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), url) {
				t.Errorf("the message %q does not say %q and where", err, c.says)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("the message has more than one line: %q", err)
			}
		})
	}
	if err := newClient(t, Config{URL: downURL}, nil).Check(context.Background()); !errors.Is(err, ErrDown) {
		t.Errorf("health of a server that is down: %v", err)
	}
	wrongHealth := httptest.NewServer(modelservertest.Replay(200, `{"status": "DOWN"}`))
	defer wrongHealth.Close()
	if err := newClient(t, Config{URL: wrongHealth.URL}, nil).Check(context.Background()); !errors.Is(err, ErrNonsense) {
		t.Errorf("a health that is not UP: %v", err)
	}
}

// TestTemplate calls REST models as doccano's Custom REST Request does:
// the text put in the body where it says {{ text }}, the spans read with
// the field names and offset unit set.
func TestTemplate(t *testing.T) {
	names := map[string]string{"ترامب": "PERSON", "موسكو": "LOCATION", "🇷🇺": "FLAG"}
	want := []string{"PERSON:ترامب", "LOCATION:موسكو", "PERSON:ترامب", "LOCATION:موسكو", "FLAG:🇷🇺"}
	sorted := func(s []string) []string {
		out := append([]string(nil), s...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	}
	doccano := func(spans []modelservertest.Found) any { // [{"label", "start_offset", "end_offset"}], doccano's own names
		var out []any
		for _, f := range spans {
			out = append(out, map[string]any{"label": f.Label, "start_offset": f.Start, "end_offset": f.End})
		}
		return out
	}
	comprehend := func(spans []modelservertest.Found) any { // Amazon Comprehend's DetectEntities answer
		var out []any
		for _, f := range spans {
			out = append(out, map[string]any{"Type": f.Label, "BeginOffset": f.Start, "EndOffset": f.End, "Score": 0.97})
		}
		return map[string]any{"Entities": out, "LanguageCode": "ar"}
	}
	for _, c := range []struct {
		name      string
		textField string
		unit      string
		answer    func([]modelservertest.Found) any
		cfg       Config
	}{
		{"doccano's names, code points", "text", "codepoints", doccano, Config{}},
		{"Comprehend's answer, UTF-16", "Text", "utf16", comprehend,
			Config{Body: `{"Text": "{{ text }}", "LanguageCode": "ar"}`, List: "Entities", LabelField: "Type", StartField: "BeginOffset", EndField: "EndOffset", Offsets: annotate.UTF16}},
		{"nested list, bytes", "doc", "bytes", func(s []modelservertest.Found) any {
			return map[string]any{"result": map[string]any{"spans": doccano(s)}}
		},
			Config{Body: `{"doc": "{{ text }}", "options": {"lang": "ar"}}`, List: "result.spans", Offsets: annotate.Bytes}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(modelservertest.Template(names, c.textField, c.unit, c.answer))
			defer srv.Close()
			cfg := c.cfg
			cfg.URL, cfg.Protocol = srv.URL, Template
			cl := newClient(t, cfg, nil)
			if err := cl.Check(context.Background()); err != nil {
				t.Fatal(err)
			}
			spans, err := cl.Predict(context.Background(), arabic, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := texts(arabic, spans); !reflect.DeepEqual(sorted(got), sorted(want)) {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
	for _, body := range []string{`{"text": "{{text}}"}`, `not json`} {
		if _, err := New(Config{URL: "http://localhost:1", Protocol: Template, Body: body}, nil); err == nil {
			t.Errorf("body %s accepted", body)
		}
	}
	for _, u := range []string{"localhost:9090", "ftp://x", ""} {
		if _, err := New(Config{URL: u}, nil); err == nil {
			t.Errorf("address %q accepted", u)
		}
	}
}

func TestCache(t *testing.T) {
	b := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER"}}
	srv := httptest.NewServer(b)
	defer srv.Close()
	other := &modelservertest.LabelStudio{Names: map[string]string{"ترامب": "PER"}}
	srv2 := httptest.NewServer(other)
	defer srv2.Close()
	cache := NewCache(2)
	ctx := context.Background()
	c := newClient(t, Config{URL: srv.URL}, cache)
	for range 3 {
		if _, err := c.Predict(ctx, arabic, projectLabels); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.Requests.Load(); n != 1 {
		t.Errorf("one text asked %d times", n)
	}
	if _, err := newClient(t, Config{URL: srv2.URL}, cache).Predict(ctx, arabic, projectLabels); err != nil || other.Requests.Load() != 1 {
		t.Errorf("another server's answer came from the cache: %v", err)
	}
	c.Predict(ctx, "نص آخر ترامب", projectLabels)
	c.Predict(ctx, arabic, projectLabels) // the oldest went
	if n := b.Requests.Load(); n != 3 {
		t.Errorf("requests after the cache was full: %d", n)
	}
}
