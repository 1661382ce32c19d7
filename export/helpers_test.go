package export

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// memSource is a project in memory.
type memSource struct {
	labels annotate.LabelSet
	docs   []*annotate.AnnotatedDoc
	err    error // returned by EachDocument after the first document
}

func (m *memSource) Labels(context.Context) (annotate.LabelSet, error) { return m.labels, nil }
func (m *memSource) CountDocuments(context.Context) (int, error)       { return len(m.docs), nil }

func (m *memSource) Layers(context.Context) ([]annotate.Layer, error) {
	seen := map[string]bool{}
	var out []annotate.Layer
	for _, d := range m.docs {
		for name := range d.Layers {
			if !seen[name] {
				seen[name] = true
				out = append(out, annotate.Layer{Name: name, Kind: annotate.KindOf(name)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Kind == annotate.GoldLayer) != (out[j].Kind == annotate.GoldLayer) {
			return out[i].Kind == annotate.GoldLayer
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func (m *memSource) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	for i, d := range m.docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i == 1 && m.err != nil {
			return m.err
		}
		c := &annotate.AnnotatedDoc{Document: d.Document, Layers: map[string]*annotate.LayerDoc{}}
		if read&annotate.ReadText == 0 {
			c.Text = ""
		}
		for name, l := range d.Layers {
			if len(layers) == 0 || slices.Contains(layers, name) {
				c.Layers[name] = l
			}
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// addDoc adds a document; spans are given per layer as "LABEL:start:end".
func (m *memSource) addDoc(name, text string, meta string, layers map[string]annotate.Status, spans map[string][]string) *annotate.AnnotatedDoc {
	var raw json.RawMessage
	if meta != "" {
		raw = json.RawMessage(meta)
	}
	d := &annotate.AnnotatedDoc{Document: annotate.NewDocument(name, text, raw), Layers: map[string]*annotate.LayerDoc{}}
	d.ID = int64(len(m.docs) + 1)
	for l, st := range layers {
		d.Layers[l] = &annotate.LayerDoc{Status: st}
	}
	for l, ss := range spans {
		ld := d.Layers[l]
		if ld == nil {
			ld = &annotate.LayerDoc{Status: annotate.Todo}
			d.Layers[l] = ld
		}
		for _, s := range ss {
			var sp annotate.Span
			parts := strings.Split(s, ":")
			fmt.Sscan(parts[1], &sp.Start)
			fmt.Sscan(parts[2], &sp.End)
			sp.Label, sp.Layer, sp.DocID, sp.Origin = parts[0], l, d.ID, annotate.Manual
			ld.Spans = append(ld.Spans, sp)
		}
		sort.Slice(ld.Spans, func(i, j int) bool { return spanLess(ld.Spans[i], ld.Spans[j]) })
	}
	m.docs = append(m.docs, d)
	return d
}

// spanAt finds the code-point span of the n-th occurrence (from 1) of
// sub in text, as "LABEL:start:end".
func spanAt(text, sub string, n int, label string) string {
	r := []rune(text)
	s := []rune(sub)
	for i := 0; i+len(s) <= len(r); i++ {
		if string(r[i:i+len(s)]) == sub {
			if n--; n == 0 {
				return fmt.Sprintf("%s:%d:%d", label, i, i+len(s))
			}
		}
	}
	panic("no " + sub)
}

// fixture is a small project with the cases exports must get right:
// Arabic with a span edge inside a token (و written onto a name), emoji
// before spans (UTF-16 offsets differ), text that starts like a formula,
// names that are not safe file names, two annotators and gold.
func fixture() *memSource {
	m := &memSource{labels: annotate.DefaultLabels()}
	m.labels = append(m.labels, annotate.Label{Name: "ORG", Color: "#f58231"})
	t1 := "قال ستيف ويتكوف في واشنطن يوم الجمعة (رويترز) إن المحادثات مستمرة.\nوأضاف أن وولمارت ربحت 5% في دبي."
	m.addDoc("politics/reuters-1", t1, `{"source":"reuters","id":7}`,
		map[string]annotate.Status{"ali": annotate.Done, "sara": annotate.Done, annotate.Gold: annotate.Done},
		map[string][]string{
			"ali":         {spanAt(t1, "ستيف ويتكوف", 1, "PERSON"), spanAt(t1, "واشنطن", 1, "PLACE"), spanAt(t1, "ولمارت", 1, "ORG"), spanAt(t1, "دبي", 1, "PLACE")},
			"sara":        {spanAt(t1, "ستيف ويتكوف", 1, "PERSON"), spanAt(t1, "واشنطن", 1, "PLACE"), spanAt(t1, "وولمارت", 1, "ORG")},
			annotate.Gold: {spanAt(t1, "ستيف ويتكوف", 1, "PERSON"), spanAt(t1, "واشنطن", 1, "PLACE"), spanAt(t1, "وولمارت", 1, "ORG")},
		})
	t2 := "😂 Allen Edmonds 👞 beat =SUM(1,2) and -Nike- at @Gap, said \"Ann\"\tO'Neil."
	m.addDoc("../emoji", t2, "",
		map[string]annotate.Status{"ali": annotate.Done, "sara": annotate.InProgress},
		map[string][]string{
			"ali":  {spanAt(t2, "Allen Edmonds", 1, "ORG"), spanAt(t2, "=SUM(1,2)", 1, "EVENT"), spanAt(t2, "Nike", 1, "ORG"), spanAt(t2, "@Gap", 1, "ORG"), spanAt(t2, "Ann", 1, "PERSON")},
			"sara": {spanAt(t2, "Allen Edmonds", 1, "ORG")},
		})
	t3 := "EU rejects German call to boycott British lamb ."
	m.addDoc("../emoji", t3, `{"text_from":"tokens"}`,
		map[string]annotate.Status{"ali": annotate.Done, "sara": annotate.Skipped},
		map[string][]string{"ali": {spanAt(t3, "EU", 1, "ORG"), spanAt(t3, "German", 1, "PLACE"), spanAt(t3, "British", 1, "PLACE")}})
	t4 := "خبر بلا كيانات."
	m.addDoc("CON", t4, "", map[string]annotate.Status{"ali": annotate.Done, "sara": annotate.Done}, nil)
	t5 := "Not touched by anyone."
	m.addDoc("untouched", t5, "", nil, nil)
	return m
}

// readOutput reads what an export wrote: a file, or a folder as a listing
// of its files with their contents.
func readOutput(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.IsDir() {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var b strings.Builder
	filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(path, p)
		c, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "=== %s\n%s", filepath.ToSlash(rel), c)
		if len(c) > 0 && c[len(c)-1] != '\n' {
			b.WriteString("\n")
		}
		return nil
	})
	return b.String()
}

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got %q\nwant %q\n(go test -update rewrites it)", name, i+1, clip(g, 300), clip(w, 300))
			}
		}
	}
}

// decodeAll reads every record of r in format f.
func decodeAll(t testing.TB, f *Format, r string, o DecodeOptions) ([]*Record, error) {
	t.Helper()
	dec := f.NewDecoder(strings.NewReader(r), o)
	var recs []*Record
	for {
		rec, err := dec.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return recs, nil
			}
			return recs, err
		}
		recs = append(recs, rec)
		if len(recs) > 1e6 {
			t.Fatal("decoder does not end")
		}
	}
}

// spanStrings renders spans as "LABEL[start,end)text" with text from doc.
func spanStrings(text string, spans []Span) []string {
	var out []string
	for _, s := range spans {
		sub, _ := annotate.Slice(text, s.Start, s.End)
		out = append(out, fmt.Sprintf("%s[%d,%d)%s", s.Label, s.Start, s.End, sub))
	}
	sort.Strings(out)
	return out
}
