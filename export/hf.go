package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	return newJSONDecoder(r, o, parseHFRecord)
}

// parseHFRecord reads {"tokens": [...], "ner_tags": [...]}: the text is
// the tokens joined by spaces.
func parseHFRecord(rec *Record, raw json.RawMessage) {
	var row struct {
		ID      json.RawMessage   `json:"id"`
		Tokens  *[]string         `json:"tokens"`
		NERTags []json.RawMessage `json:"ner_tags"`
	}
	if err := json.Unmarshal(raw, &row); err != nil || row.Tokens == nil {
		rec.Err = errors.New(`not a Hugging Face row: want "tokens", a list of strings, and "ner_tags"`)
		return
	}
	if name := idName(row.ID); name != "" {
		rec.Name = name
	}
	toks := *row.Tokens
	if len(row.NERTags) != len(toks) {
		rec.Err = fmt.Errorf("%d tokens but %d ner_tags", len(toks), len(row.NERTags))
		return
	}
	words := make([]string, 0, len(toks))
	keep := make([]tag, 0, len(toks))
	for i, raw := range row.NERTags {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			rec.Err = fmt.Errorf("ner_tags[%d] is %s, not a tag name: write the tags as strings (a dataset's ClassLabel int2str gives them)", i, clip(string(raw), 20))
			return
		}
		t, err := parseTag(s, true)
		if err != nil {
			rec.problem(rec.Line, "ner_tags[%d]: %v; read as O", i, err)
			t = tag{prefix: 'O'}
		}
		if toks[i] == "" {
			continue // an empty token has no place in the text
		}
		words = append(words, toks[i])
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

// hfShape tells whether a JSON object looks like a Hugging Face row.
func hfShape(keys map[string]json.RawMessage) bool {
	_, t := keys["tokens"]
	_, n := keys["ner_tags"]
	return t && n
}
