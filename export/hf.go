package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/qalam-annotate/qalam/annotate"
)

// hfEncoder writes Hugging Face token classification JSONL: one line per
// sentence (or document, with UnitDocument) and layer, {"id":…,
// "tokens":[…], "ner_tags":["B-PERSON", "O", …]} with IOB2 tags as
// strings. A sentence's id is its document's name, "#" and its number.
type hfEncoder struct {
	w    *bufio.Writer
	opts EncodeOptions
	buf  []byte
}

func newHFEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	return &hfEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: o}, nil
}

func (e *hfEncoder) Encode(d *Doc) error {
	for li := range d.Layers {
		lt := e.opts.cut(d, &d.Layers[li])
		tags := lt.iob2(d, d.Layers[li].Name, identity, e.opts.report)
		for r := 0; r+1 < len(lt.rows); r++ {
			from, to := lt.rows[r], lt.rows[r+1]
			if from == to {
				continue
			}
			b := e.buf[:0]
			b = append(b, `{"id":`...)
			if e.opts.Unit == UnitDocument {
				b = appendString(b, d.Name)
			} else {
				b = appendString(b, d.Name+"#"+strconv.Itoa(r+1))
			}
			b = append(b, `,"tokens":[`...)
			for i := from; i < to; i++ {
				if i > from {
					b = append(b, ',')
				}
				b = appendString(b, lt.toks[i].Text)
			}
			b = append(b, `],"ner_tags":[`...)
			for i := from; i < to; i++ {
				if i > from {
					b = append(b, ',')
				}
				b = appendString(b, tags[i])
			}
			b = append(b, ']', '}', '\n')
			e.buf = b
			if _, err := e.w.Write(b); err != nil {
				return err
			}
		}
	}
	return nil
}

func identity(s string) string { return s }

func (e *hfEncoder) Close() error { return e.w.Flush() }

func newHFDecoder(r io.Reader, o DecodeOptions) Decoder {
	return newJSONDecoder(r, o, "hf", parseHFRecord)
}

// parseHFRecord reads {"tokens": [...], "ner_tags": [...]} (or "words"
// and "ner", as transformers' fixtures have them): the text is the tokens
// joined by spaces. Tags are names (B-PER) or, with the dataset's label
// names (DecodeOptions.TagNames), their ids.
func parseHFRecord(rec *Record, raw json.RawMessage, o DecodeOptions) {
	var row struct {
		ID      json.RawMessage   `json:"id"`
		Tokens  *[]string         `json:"tokens"`
		Words   *[]string         `json:"words"`
		NERTags []json.RawMessage `json:"ner_tags"`
		NER     []json.RawMessage `json:"ner"`
	}
	if err := json.Unmarshal(raw, &row); err != nil || (row.Tokens == nil && row.Words == nil) {
		rec.Err = errors.New(`not a Hugging Face row: want "tokens" (or "words"), a list of strings, and "ner_tags" (or "ner")`)
		return
	}
	if name := idName(row.ID); name != "" {
		rec.Name = name
	}
	toks, tags := row.Tokens, row.NERTags
	if toks == nil {
		toks = row.Words
	}
	if tags == nil {
		tags = row.NER
	}
	if len(tags) != len(*toks) {
		rec.Err = fmt.Errorf("%d tokens but %d tags", len(*toks), len(tags))
		return
	}
	words := make([]string, 0, len(*toks))
	keep := make([]tag, 0, len(*toks))
	for i, raw := range tags {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			id, err := strconv.Atoi(string(raw))
			switch {
			case err != nil:
				rec.Err = fmt.Errorf("tag %d is %s, neither a tag name nor a label id", i, clip(string(raw), 20))
				return
			case len(o.TagNames) == 0:
				rec.Err = fmt.Errorf("tag %d is the label id %d: give the dataset's label names (--tag-names O,B-PER,I-PER,…, or its dataset_info.json beside the file)", i, id)
				return
			case id < 0 || id >= len(o.TagNames):
				rec.Err = fmt.Errorf("tag %d is the label id %d, and there are %d label names", i, id, len(o.TagNames))
				return
			}
			s = o.TagNames[id]
		}
		t, err := parseTag(s, true)
		if err != nil {
			rec.problem(rec.Line, "tag %d: %v; read as O", i, err)
			t = tag{prefix: 'O'}
		}
		if (*toks)[i] == "" {
			continue // an empty token has no place in the text
		}
		words = append(words, (*toks)[i])
		keep = append(keep, t)
	}
	if len(words) == 0 {
		rec.Err = errors.New("no tokens")
		return
	}
	var tt tokenText
	tt.sentence(words)
	for _, ts := range decodeTags(keep) {
		start, end := tt.span(0, ts)
		rec.Spans = append(rec.Spans, Span{Start: start, End: end, Label: ts.label})
	}
	rec.Text = tt.String()
	rec.Unit = annotate.CodePoints
	rec.Meta = tokensMeta()
	rec.Annotated = true
}

// datasetTagNames reads the label names of a Hugging Face dataset's
// dataset_info.json (written by save_to_disk) in dir: the names of the
// ClassLabel feature "ner_tags" or "ner"; nil when there is none.
func datasetTagNames(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "dataset_info.json"))
	if err != nil {
		return nil
	}
	var info struct {
		Features map[string]struct {
			Feature struct {
				Names []string `json:"names"`
			} `json:"feature"`
		} `json:"features"`
	}
	if json.Unmarshal(b, &info) != nil {
		return nil
	}
	for _, k := range []string{"ner_tags", "ner"} {
		if f, ok := info.Features[k]; ok && len(f.Feature.Names) > 0 {
			return f.Feature.Names
		}
	}
	return nil
}

// hfShape tells whether a JSON object looks like a Hugging Face row.
func hfShape(keys map[string]json.RawMessage) bool {
	_, t := keys["tokens"]
	_, n := keys["ner_tags"]
	_, w := keys["words"]
	_, r := keys["ner"]
	return (t && n) || (w && r)
}
