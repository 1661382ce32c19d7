package export

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/internal/jsonstream"
)

// jsonlEncoder writes spaCy/Prodigy JSON Lines: one line per document and
// layer,
//
//	{"text":…, "tokens":[{"text","start","end","id","ws"}],
//	 "spans":[{"start","end","token_start","token_end","label"}],
//	 "answer":"accept", "meta":{"document","layer","offsets",…}}
//
// token_end is inclusive, as Prodigy writes it.
type jsonlEncoder struct {
	w    *bufio.Writer
	opts EncodeOptions
	buf  []byte
	ids  []int // the id each token of a record is written with
}

func newJSONLEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	return &jsonlEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: o}, nil
}

func (e *jsonlEncoder) Encode(d *Doc) error {
	unit := e.opts.unit()
	conv := offsetConverter(d.Text, unit)
	for li := range d.Layers {
		lw := &d.Layers[li]
		o := e.opts
		o.Unit = UnitDocument // a record per document: no rows
		lt := o.cut(d, lw)
		byteAt := d.tok.byteAt
		b := e.buf[:0]
		b = append(b, `{"text":`...)
		b = appendString(b, d.Text)
		b = append(b, `,"tokens":[`...)
		// spaCy's tokens: each is followed by one space or none
		// ("ws"), and any other white space between them is a token
		// of its own, so that a Doc made of the words and spaces has
		// the record's text.
		id := 0
		ids := slices.Grow(e.ids[:0], len(lt.toks))[:len(lt.toks)]
		e.ids = ids
		tok := func(start, end int, ws bool) {
			if id > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"text":`...)
			b = appendString(b, d.Text[byteAt[start]:byteAt[end]])
			b = append(b, `,"start":`...)
			b = appendInt(b, conv(start))
			b = append(b, `,"end":`...)
			b = appendInt(b, conv(end))
			b = append(b, `,"id":`...)
			b = appendInt(b, id)
			b = append(b, `,"ws":`...)
			b = strconv.AppendBool(b, ws)
			b = append(b, '}')
			id++
		}
		// gap writes the white space from..to as a token.
		gap := func(from, to int) {
			if from < to {
				tok(from, to, false)
			}
		}
		for i, t := range lt.toks {
			if i == 0 {
				gap(0, t.Start)
			}
			ids[i] = id
			next := len(byteAt) - 1
			if i+1 < len(lt.toks) {
				next = lt.toks[i+1].Start
			}
			ws := t.End < next && d.Text[byteAt[t.End]] == ' '
			tok(t.Start, t.End, ws)
			from := t.End
			if ws {
				from++
			}
			gap(from, next)
		}
		if len(lt.toks) == 0 {
			gap(0, len(byteAt)-1)
		}
		b = append(b, `],"spans":[`...)
		for i, sp := range lt.spans {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"start":`...)
			b = appendInt(b, conv(sp.Start))
			b = append(b, `,"end":`...)
			b = appendInt(b, conv(sp.End))
			b = append(b, `,"token_start":`...)
			b = appendInt(b, ids[sp.first])
			b = append(b, `,"token_end":`...)
			b = appendInt(b, ids[sp.last])
			b = append(b, `,"label":`...)
			b = appendString(b, sp.Label)
			b = append(b, '}')
		}
		b = append(b, `],"answer":"accept","meta":`...)
		b = appendMeta(b, &d.Document, lw.Name, unit)
		b = append(b, '}', '\n')
		e.buf = b
		if _, err := e.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (e *jsonlEncoder) Close() error { return e.w.Flush() }

// offsetConverter converts code points of text to unit.
func offsetConverter(text string, unit annotate.OffsetUnit) func(int) int {
	if unit == annotate.CodePoints || unit == "" {
		return func(i int) int { return i }
	}
	return annotate.NewOffsetMap(text, unit).From
}

// jsonDecoder reads records from JSON values with a function per format.
type jsonDecoder struct {
	jr     *jsonstream.Reader
	file   string
	stem   string
	format string
	opts   DecodeOptions
	parse  func(rec *Record, raw json.RawMessage, o DecodeOptions)
}

func newJSONDecoder(r io.Reader, o DecodeOptions, format string, parse func(*Record, json.RawMessage, DecodeOptions)) *jsonDecoder {
	return &jsonDecoder{jr: jsonstream.NewReader(r), file: o.File, stem: stem(o), format: format, opts: o, parse: parse}
}

func (d *jsonDecoder) Next() (*Record, error) {
	v, err := d.jr.Next()
	if err != nil {
		return nil, err
	}
	rec := &Record{File: d.file, Line: v.Line, Name: defaultName(d.stem, v.Line)}
	if v.Err != nil {
		rec.Err = v.Err
		return rec, nil
	}
	if err := jsonstream.CheckUTF8(v.Raw, v.Line); err != nil {
		rec.Err = err
		return rec, nil
	}
	d.parse(rec, v.Raw, d.opts)
	unreadSpans(rec, v.Raw, d.format)
	return rec, nil
}

// stem is what names the documents of a file that its records do not
// name: DecodeOptions.Name, else the file's base name without its
// extension ("input" without a file).
func stem(o DecodeOptions) string {
	switch {
	case o.Name != "":
		return o.Name
	case o.File == "":
		return "input"
	}
	return articles.Name(filepath.Base(o.File), 0)
}

// defaultName names a document that its record does not name: the stem,
// and the line of a file of several records ("news:3"), as the article
// reader does.
func defaultName(stem string, line int) string {
	if line > 0 {
		return stem + ":" + strconv.Itoa(line)
	}
	return stem
}

func newJSONLDecoder(r io.Reader, o DecodeOptions) Decoder {
	return newJSONDecoder(r, o, "jsonl", parseJSONLRecord)
}

// prodigyRow is a Prodigy or spaCy JSONL row.
type prodigyRow struct {
	Text       *string         `json:"text"`
	Spans      json.RawMessage `json:"spans"`
	Answer     *string         `json:"answer"`
	Meta       json.RawMessage `json:"meta"`
	ID         json.RawMessage `json:"id"`
	Name       *string         `json:"name"`
	Paragraphs json.RawMessage `json:"paragraphs"`
	Label      json.RawMessage `json:"label"`
}

// parseJSONLRecord reads a Prodigy row, a spaCy [text, {"entities": …}]
// pair or a spaCy v2 JSON document.
func parseJSONLRecord(rec *Record, raw json.RawMessage, _ DecodeOptions) {
	if raw[0] == '[' {
		parseSpacyPair(rec, raw)
		return
	}
	var row prodigyRow
	if err := json.Unmarshal(raw, &row); err != nil {
		rec.Err = fmt.Errorf("not a Prodigy row: %v", err)
		return
	}
	if row.Paragraphs != nil && row.Text == nil {
		parseSpacyV2(rec, row.ID, row.Paragraphs)
		return
	}
	if row.Text == nil {
		rec.Err = errors.New(`no "text"`)
		return
	}
	rec.Text = *row.Text
	if name := idName(row.ID); name != "" {
		rec.Name = name
	}
	if row.Name != nil && *row.Name != "" {
		rec.Name = *row.Name
	}
	if !setMeta(rec, row.Meta) {
		return
	}
	if len(row.Label) > 0 && row.Label[0] == '"' && row.Spans == nil {
		rec.Err = fmt.Errorf(`"label" is a category (%s) and there are no spans: this is text classification, not named entities`, clip(string(row.Label), 40))
		return
	}
	if row.Answer != nil && *row.Answer != "accept" {
		rec.Skip = fmt.Sprintf("Prodigy %q answers", *row.Answer)
		return
	}
	rec.Annotated = true
	rec.Spans = parseSpanList(rec, row.Spans, "spans")
}

// setMeta applies a record's meta: the document name, offset unit and the
// document's own meta. It refuses a meta that is not an object.
func setMeta(rec *Record, raw json.RawMessage) bool {
	rm, err := readMeta(raw)
	if err != nil {
		rec.Err = err
		return false
	}
	if rm.name != "" {
		rec.Name = rm.name
	}
	rec.Unit = rm.unit
	rec.Layer = rm.layer
	rec.Meta = rm.rest
	return true
}

// parseSpacyPair reads spaCy's simple training format,
// ["text", {"entities": [[start, end, "LABEL"], …]}].
func parseSpacyPair(rec *Record, raw json.RawMessage) {
	var pair []json.RawMessage
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		rec.Err = errors.New(`not a spaCy ["text", {"entities": [...]}] pair`)
		return
	}
	if err := json.Unmarshal(pair[0], &rec.Text); err != nil {
		rec.Err = errors.New(`the first element of a spaCy pair is not a text`)
		return
	}
	var ann struct {
		Entities json.RawMessage `json:"entities"`
	}
	if err := json.Unmarshal(pair[1], &ann); err != nil {
		rec.Err = errors.New(`the second element of a spaCy pair is not an object`)
		return
	}
	rec.Annotated = true
	rec.Spans = parseSpanList(rec, ann.Entities, "entities")
}

// parseSpacyV2 reads a document of spaCy v2's JSON training format:
// paragraphs of sentences of tokens with BILUO "ner" tags. Its text is
// rebuilt from the tokens.
func parseSpacyV2(rec *Record, id json.RawMessage, raw json.RawMessage) {
	var paras []struct {
		Sentences []struct {
			Tokens []struct {
				Orth string `json:"orth"`
				NER  string `json:"ner"`
			} `json:"tokens"`
		} `json:"sentences"`
	}
	if err := json.Unmarshal(raw, &paras); err != nil {
		rec.Err = fmt.Errorf(`"paragraphs" is not spaCy v2's paragraphs: %v`, err)
		return
	}
	if name := idName(id); name != "" {
		rec.Name = stem(DecodeOptions{File: rec.File}) + "#" + name
	}
	var tt tokenText
	for _, p := range paras {
		for _, s := range p.Sentences {
			words := make([]string, len(s.Tokens))
			tags := make([]tag, len(s.Tokens))
			for i, t := range s.Tokens {
				words[i] = t.Orth
				tg, err := parseTag(t.NER, false)
				if err != nil {
					rec.problem(rec.Line, "token %q: %v; read as O", t.Orth, err)
					tg = tag{prefix: 'O'}
				}
				tags[i] = tg
			}
			if len(words) == 0 {
				continue
			}
			tt.sentence(words)
			si := len(tt.starts) - 1
			for _, ts := range decodeTags(tags) {
				start, end := tt.span(si, ts)
				rec.Spans = append(rec.Spans, Span{Start: start, End: end, Label: ts.label})
			}
		}
	}
	rec.Text = tt.String()
	rec.Unit = annotate.CodePoints
	rec.Meta = tokensMeta()
	rec.Annotated = true
}

// jsonlShape tells whether a JSON value looks like a Prodigy/spaCy record.
func jsonlShape(keys map[string]json.RawMessage) bool {
	for _, k := range []string{"spans", "answer", "_input_hash", "_task_hash", "paragraphs"} {
		if _, ok := keys[k]; ok {
			return true
		}
	}
	if t, ok := keys["tokens"]; ok && strings.HasPrefix(strings.TrimLeft(string(t), " \t\r\n["), "{") {
		return true
	}
	return false
}
