package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// doccanoEncoder writes doccano's sequence-labelling JSONL: one line per
// document and layer, {"text":…, "label":[[start, end, "LABEL"], …],
// "meta":{"document","layer","offsets",…}}.
type doccanoEncoder struct {
	w    *bufio.Writer
	opts EncodeOptions
	buf  []byte
}

func newDoccanoEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	return &doccanoEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: o}, nil
}

func (e *doccanoEncoder) Encode(d *Doc) error {
	unit := e.opts.unit()
	conv := offsetConverter(d.Text, unit)
	for _, lw := range d.Layers {
		b := e.buf[:0]
		b = append(b, `{"text":`...)
		b = appendString(b, d.Text)
		b = append(b, `,"label":[`...)
		for i, sp := range lw.Spans {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendInt(b, conv(sp.Start))
			b = append(b, ',')
			b = appendInt(b, conv(sp.End))
			b = append(b, ',')
			b = appendString(b, sp.Label)
			b = append(b, ']')
		}
		b = append(b, `],"meta":`...)
		b = appendMeta(b, &d.Document, lw.Name, unit)
		b = append(b, '}', '\n')
		e.buf = b
		if _, err := e.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (e *doccanoEncoder) Close() error { return e.w.Flush() }

func newDoccanoDecoder(r io.Reader, o DecodeOptions) Decoder {
	return newJSONDecoder(r, o, "doccano", parseDoccanoRecord)
}

// The keys doccano rows have held their text and spans under, over the
// versions: "text" (export), "data" (flair's JSONL), "column_data" (the
// import dialog's column names); "label" (export), "labels" (before
// 2022), "entities" (triples in intent detection, objects in relation
// extraction), "column_label", and "annotations" (the old download format,
// with label ids).
var (
	doccanoTextKeys  = []string{"text", "data", "column_data"}
	doccanoLabelKeys = []string{"label", "labels", "entities", "column_label", "annotations"}
)

func parseDoccanoRecord(rec *Record, raw json.RawMessage, o DecodeOptions) {
	var row map[string]json.RawMessage
	if err := json.Unmarshal(raw, &row); err != nil {
		rec.Err = errors.New("not a doccano row (a JSON object)")
		return
	}
	found := false
	for _, k := range doccanoTextKeys {
		if v, ok := row[k]; ok && json.Unmarshal(v, &rec.Text) == nil {
			found = true
			break
		}
	}
	if !found {
		rec.Err = errors.New(`no "text" (nor "data" or "column_data") string`)
		return
	}
	if name := idName(row["id"]); name != "" {
		rec.Name = name
	}
	if !setMeta(rec, row["meta"]) {
		return
	}
	rec.Annotated = true
	for _, k := range doccanoLabelKeys {
		v, ok := row[k]
		if !ok {
			continue
		}
		if isCategoryList(v) {
			rec.Err = fmt.Errorf("%q holds categories (text classification), not spans", k)
			return
		}
		rec.Spans = parseSpanList(rec, v, k)
		return
	}
}

// isCategoryList is true for ["positive", …]: doccano's text
// classification labels.
func isCategoryList(raw json.RawMessage) bool {
	var l []json.RawMessage
	if json.Unmarshal(raw, &l) != nil || len(l) == 0 {
		return false
	}
	first := bytes.TrimSpace(l[0])
	return len(first) > 0 && first[0] == '"'
}

// doccanoShape tells whether a JSON object looks like a doccano row.
func doccanoShape(keys map[string]json.RawMessage) bool {
	text := false
	for _, k := range doccanoTextKeys {
		if v, ok := keys[k]; ok && len(v) > 0 && v[0] == '"' {
			text = true
		}
	}
	if !text {
		return false
	}
	for _, k := range doccanoLabelKeys {
		if _, ok := keys[k]; ok {
			return true
		}
	}
	return false
}
