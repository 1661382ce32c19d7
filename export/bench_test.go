package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qalam-annotate/qalam/annotate"
)

// The benchmarks export one million spans (100,000 documents of ten spans)
// and, in the same run, write the same records with a bare loop: for JSONL
// encoding/json through a bufio.Writer, for xlsx excelize's StreamWriter
// alone. They report both times and their ratio.

const (
	benchDocs  = 100_000
	benchSpans = 10 // per document
)

// benchTemplate is one of the texts benchmark documents cycle through,
// with its spans (ten, on whole tokens) and its tokens.
type benchTemplate struct {
	doc    annotate.Document
	spans  []annotate.Span
	tokens []annotate.Token
	tok    *docTokens
}

var (
	benchOnce      sync.Once
	benchTemplates []benchTemplate
)

func templates() []benchTemplate {
	benchOnce.Do(func() {
		words := []string{"قال", "ستيف", "ويتكوف", "في", "واشنطن", "يوم", "الجمعة", "(رويترز)", "إن", "المحادثات", "مع", "روسيا",
			"مستمرة", "وأضاف", "أن", "الرئيس", "دونالد", "ترامب", "سيلتقي", "Reuters", "Moscow", "2025", "٥", "ديسمبر", "،", "."}
		for t := range 16 {
			var text []byte
			for i := range 60 {
				if i > 0 {
					text = append(text, ' ')
				}
				text = append(text, words[(i*7+t*3)%len(words)]...)
			}
			d := annotate.NewDocument("", string(text), nil)
			toks := annotate.Tokenize(d.Text)
			var spans []annotate.Span
			for k := range benchSpans {
				first := k * len(toks) / benchSpans
				last := first + (k+t)%2
				spans = append(spans, annotate.Span{Start: toks[first].Start, End: toks[last].End, Label: annotate.DefaultLabels()[k%3].Name, Layer: "ali"})
			}
			benchTemplates = append(benchTemplates, benchTemplate{doc: d, spans: spans, tokens: toks, tok: newDocTokens(d, TokensSplit, false)})
		}
	})
	return benchTemplates
}

// genSource makes its documents as they are read, so the benchmark's own
// data takes no memory.
type genSource struct{ n int }

func (g genSource) Labels(context.Context) (annotate.LabelSet, error) {
	return annotate.DefaultLabels(), nil
}
func (g genSource) CountDocuments(context.Context) (int, error) { return g.n, nil }
func (g genSource) Layers(context.Context) ([]annotate.Layer, error) {
	return []annotate.Layer{{Name: "ali", Kind: annotate.AnnotatorLayer}}, nil
}

func (g genSource) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	ts := templates()
	for i := range g.n {
		t := ts[i%len(ts)]
		d := &annotate.AnnotatedDoc{Document: t.doc, Layers: map[string]*annotate.LayerDoc{"ali": {Status: annotate.Done, Spans: t.spans}}}
		d.ID, d.Name = int64(i+1), "doc-"+strconv.Itoa(i)
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// The records of the bare JSONL loop: what the jsonl format writes.
type bareToken struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	ID    int    `json:"id"`
	WS    bool   `json:"ws"`
}

type bareSpan struct {
	Start      int    `json:"start"`
	End        int    `json:"end"`
	TokenStart int    `json:"token_start"`
	TokenEnd   int    `json:"token_end"`
	Label      string `json:"label"`
}

type bareMeta struct {
	Document string `json:"document"`
	Layer    string `json:"layer"`
	Offsets  string `json:"offsets"`
}

type bareRecord struct {
	Text   string      `json:"text"`
	Tokens []bareToken `json:"tokens"`
	Spans  []bareSpan  `json:"spans"`
	Answer string      `json:"answer"`
	Meta   bareMeta    `json:"meta"`
}

// bareJSONL writes the records with encoding/json; the tokens and the
// spans' token indexes of each template are computed before timing.
func bareJSONL(b *testing.B, path string, recs []bareRecord) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range benchDocs {
		r := recs[i%len(recs)]
		r.Meta.Document = "doc-" + strconv.Itoa(i)
		if err := enc.Encode(&r); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

func bareRecords() []bareRecord {
	var recs []bareRecord
	for _, t := range templates() {
		r := bareRecord{Text: t.doc.Text, Answer: "accept", Meta: bareMeta{Layer: "ali", Offsets: "codepoints"}}
		for i, k := range t.tokens {
			r.Tokens = append(r.Tokens, bareToken{k.Text, k.Start, k.End, i, k.SpaceAfter})
		}
		for _, s := range t.spans {
			a := align(t.tokens, s.Start, s.End)
			r.Spans = append(r.Spans, bareSpan{s.Start, s.End, a.first, a.last, s.Label})
		}
		recs = append(recs, r)
	}
	return recs
}

func report(b *testing.B, qalam, bare time.Duration, n int) {
	loops := float64(b.N)
	q, bb := qalam.Seconds()/loops, bare.Seconds()/loops
	b.ReportMetric(q, "qalam-s/op")
	b.ReportMetric(bb, "bare-s/op")
	b.ReportMetric(q/bb, "ratio")
	b.ReportMetric(float64(benchDocs*benchSpans)/q, "spans/s")
	_ = n
}

// BenchmarkJSONL exports a million spans to jsonl, tokenizing every
// document (annotate.Tokenize) as a real export does, beside the bare loop,
// which is given each template's tokens ready.
func BenchmarkJSONL(b *testing.B) {
	dir := b.TempDir()
	recs := bareRecords()
	var qalam, bare time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Export(context.Background(), genSource{benchDocs}, Options{Format: "jsonl", Output: filepath.Join(dir, "q.jsonl"), Layer: "ali"}, nil); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		bareJSONL(b, filepath.Join(dir, "bare.jsonl"), recs)
		qalam, bare = qalam+t1.Sub(t0), bare+time.Since(t1)
	}
	report(b, qalam, bare, benchDocs)
}

// BenchmarkJSONLEncoder is the jsonl encoder alone, given each document's
// tokens as the bare loop is: the cost of writing, without segmentation.
func BenchmarkJSONLEncoder(b *testing.B) {
	dir := b.TempDir()
	recs := bareRecords()
	var qalam, bare time.Duration
	for b.Loop() {
		t0 := time.Now()
		f, _ := os.Create(filepath.Join(dir, "q.jsonl"))
		enc, _ := JSONL.NewEncoder(f, EncodeOptions{})
		ts := templates()
		for i := range benchDocs {
			t := ts[i%len(ts)]
			d := &Doc{Document: t.doc, tok: t.tok, Layers: []LayerWork{{Name: "ali", Status: annotate.Done, Spans: t.spans}}}
			d.ID, d.Name = int64(i+1), "doc-"+strconv.Itoa(i)
			if err := enc.Encode(d); err != nil {
				b.Fatal(err)
			}
		}
		enc.Close()
		f.Close()
		t1 := time.Now()
		bareJSONL(b, filepath.Join(dir, "bare.jsonl"), recs)
		qalam, bare = qalam+t1.Sub(t0), bare+time.Since(t1)
	}
	report(b, qalam, bare, benchDocs)
}

// bareXLSX writes the Documents and Spans rows of the xlsx format with a
// StreamWriter and nothing else: no styles, filters or frozen panes.
func bareXLSX(b *testing.B, path string) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", sheetDocuments)
	f.NewSheet(sheetSpans)
	docs, _ := f.NewStreamWriter(sheetDocuments)
	spans, _ := f.NewStreamWriter(sheetSpans)
	docs.SetRow("A1", []any{colDocID, colDocument, "status: ali", "spans", "length (codepoints)", colSHA, colMeta, colText})
	spans.SetRow("A1", []any{colDocID, colDocument, colLayer, "start (codepoints)", "end (codepoints)", colLabel, colText, "left context", "right context"})
	ts := templates()
	row, sr := make([]any, 0, 9), 1
	var byteAt []int
	for i := range benchDocs {
		t := ts[i%len(ts)]
		name := "doc-" + strconv.Itoa(i)
		row = append(row[:0], int64(i+1), name, "done", len(t.spans), t.doc.Length, t.doc.SHA256, nil, t.doc.Text)
		if err := docs.SetRow("A"+strconv.Itoa(i+2), row); err != nil {
			b.Fatal(err)
		}
		byteAt = runeOffsets(byteAt[:0], t.doc.Text)
		n := len(byteAt) - 1
		sl := func(s, e int) string { return t.doc.Text[byteAt[max(s, 0)]:byteAt[min(e, n)]] }
		for _, s := range t.spans {
			sr++
			row = append(row[:0], int64(i+1), name, "ali", s.Start, s.End, s.Label, sl(s.Start, s.End), sl(s.Start-40, s.Start), sl(s.End, s.End+40))
			if err := spans.SetRow("A"+strconv.Itoa(sr), row); err != nil {
				b.Fatal(err)
			}
		}
	}
	docs.Flush()
	spans.Flush()
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
}

// BenchmarkXLSX exports a million spans to xlsx beside the bare
// StreamWriter loop.
func BenchmarkXLSX(b *testing.B) {
	dir := b.TempDir()
	var qalam, bare time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Export(context.Background(), genSource{benchDocs}, Options{Format: "xlsx", Output: filepath.Join(dir, "q.xlsx"), Layer: "ali"}, nil); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		bareXLSX(b, filepath.Join(dir, "bare.xlsx"))
		qalam, bare = qalam+t1.Sub(t0), bare+time.Since(t1)
	}
	report(b, qalam, bare, benchDocs)
}

// BenchmarkXLSXMemory exports a million spans to xlsx alone and reports
// the peak of the Go heap (sampled every 5 ms) and of the whole process'
// resident memory so far (VmHWM, Linux). Run it alone for the process
// figure: go test -run '^$' -bench 'XLSXMemory$' -benchtime 1x.
func BenchmarkXLSXMemory(b *testing.B) {
	dir := b.TempDir()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.HeapInuse + ms.StackInuse; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	for b.Loop() {
		if _, err := Export(context.Background(), genSource{benchDocs}, Options{Format: "xlsx", Output: filepath.Join(dir, "q.xlsx"), Layer: "ali"}, nil); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "peak-rss-MB")
	}
	fi, _ := os.Stat(filepath.Join(dir, "q.xlsx"))
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
}

// vmHWM is the process' peak resident set size in bytes, 0 when unknown.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	var kb int64
	for _, line := range splitLines(string(b)) {
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}

func splitLines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\n' {
			i++
		}
		out = append(out, s[:i])
		if i < len(s) {
			i++
		}
		s = s[i:]
	}
	return out
}
