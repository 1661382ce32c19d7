package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/jsonstream"
)

// The keys an export adds to a record's meta, and an import takes back out.
const (
	metaDocument = "document"
	metaLayer    = "layer"
	metaOffsets  = "offsets"
)

// appendMeta appends a JSON object that names the document, the layer and
// the offset unit, followed by the document's own meta keys (sorted).
func appendMeta(b []byte, d *annotate.Document, layer string, unit annotate.OffsetUnit) []byte {
	b = append(b, `{"document":`...)
	b = appendString(b, d.Name)
	if layer != "" {
		b = append(b, `,"layer":`...)
		b = appendString(b, layer)
	}
	if unit != "" {
		b = append(b, `,"offsets":`...)
		b = appendString(b, string(unit))
	}
	if len(d.Meta) > 0 {
		var m map[string]json.RawMessage
		if json.Unmarshal(d.Meta, &m) == nil {
			keys := make([]string, 0, len(m))
			for k := range m {
				if k != metaDocument && k != metaLayer && k != metaOffsets {
					keys = append(keys, k)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				b = append(b, ',')
				b = appendString(b, k)
				b = append(b, ':')
				b = appendCompact(b, m[k])
			}
		}
	}
	return append(b, '}')
}

func appendCompact(b []byte, raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return append(b, "null"...)
	}
	return append(b, buf.Bytes()...)
}

// recordMeta is what an import reads from a record's meta.
type recordMeta struct {
	name  string
	layer string
	unit  annotate.OffsetUnit
	rest  json.RawMessage // the meta without the keys an export adds; nil when empty
}

// readMeta takes an export's keys out of a meta object. A meta that is not
// an object is an error; keys of other meanings (an "offsets" that is not
// a unit) stay in rest.
func readMeta(raw json.RawMessage) (recordMeta, error) {
	var rm recordMeta
	if len(raw) == 0 || string(raw) == "null" {
		return rm, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return rm, errors.New(`"meta" is not a JSON object`)
	}
	var s string
	if v, ok := m[metaDocument]; ok && json.Unmarshal(v, &s) == nil {
		rm.name = s
		delete(m, metaDocument)
	}
	if v, ok := m[metaLayer]; ok && json.Unmarshal(v, &s) == nil {
		rm.layer = s
		delete(m, metaLayer)
	}
	if v, ok := m[metaOffsets]; ok && json.Unmarshal(v, &s) == nil {
		if u, err := annotate.ParseOffsetUnit(s); err == nil {
			rm.unit = u
			delete(m, metaOffsets)
		}
	}
	if len(m) > 0 {
		rm.rest, _ = json.Marshal(m)
	}
	return rm, nil
}

// idName turns a JSON id (a string or a number) into a name.
func idName(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// parseSpanList reads a list of spans in any of the shapes found in the
// wild: triples [start, end, "LABEL"] (doccano, spaCy, flair), objects
// {"start_offset", "end_offset", "label"} (doccano) or {"start", "end",
// "label"[, "text"]} (Prodigy). A malformed element is a problem of the
// record, the others are kept.
func parseSpanList(rec *Record, raw json.RawMessage, key string) []Span {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		rec.problem(rec.Line, "%q is not a list of spans", key)
		return nil
	}
	spans := make([]Span, 0, len(elems))
	for i, e := range elems {
		sp, err := parseSpan(e)
		if err != nil {
			rec.problem(rec.Line, "%s[%d]: %v", key, i, err)
			continue
		}
		spans = append(spans, sp)
	}
	return spans
}

type spanObject struct {
	Start       *json.Number    `json:"start"`
	End         *json.Number    `json:"end"`
	StartOffset *json.Number    `json:"start_offset"`
	EndOffset   *json.Number    `json:"end_offset"`
	Label       json.RawMessage `json:"label"`
	Text        *string         `json:"text"`
}

func parseSpan(raw json.RawMessage) (Span, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return Span{}, errors.New("empty span")
	}
	switch raw[0] {
	case '[':
		var t []json.RawMessage
		if err := json.Unmarshal(raw, &t); err != nil || len(t) != 3 {
			return Span{}, fmt.Errorf("want [start, end, label], found %s", clip(string(raw), 60))
		}
		start, err1 := offset(t[0])
		end, err2 := offset(t[1])
		if err := errors.Join(err1, err2); err != nil {
			return Span{}, err
		}
		label, err := labelName(t[2])
		return Span{Start: start, End: end, Label: label}, err
	case '{':
		var o spanObject
		if err := json.Unmarshal(raw, &o); err != nil {
			return Span{}, fmt.Errorf("malformed span object: %v", err)
		}
		s, e := o.Start, o.End
		if s == nil && e == nil {
			s, e = o.StartOffset, o.EndOffset
		}
		if s == nil || e == nil {
			return Span{}, fmt.Errorf("span object without start and end: %s", clip(string(raw), 60))
		}
		start, err1 := number(*s)
		end, err2 := number(*e)
		if err := errors.Join(err1, err2); err != nil {
			return Span{}, err
		}
		label, err := labelName(o.Label)
		sp := Span{Start: start, End: end, Label: label}
		if o.Text != nil {
			sp.Text, sp.HasText = *o.Text, true
		}
		return sp, err
	}
	return Span{}, fmt.Errorf("a span is a [start, end, label] list or an object, found %s", clip(string(raw), 40))
}

func offset(raw json.RawMessage) (int, error) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("offset %s is not a number", clip(string(raw), 20))
	}
	return number(n)
}

func number(n json.Number) (int, error) {
	i, err := strconv.ParseInt(string(n), 10, 0)
	if err != nil {
		return 0, fmt.Errorf("offset %s is not a whole number", n)
	}
	return int(i), nil
}

func labelName(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return "", fmt.Errorf("label %s is a number (a label id of the tool that wrote it), not a name", n)
	}
	return "", fmt.Errorf("label %s is not a string", clip(string(raw), 20))
}

// appendString appends s as a JSON string. Text is UTF-8 already;
// control characters, quotes and backslashes are escaped, and so are
// U+2028 and U+2029, which JavaScript reads as line breaks.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, `\u00`...)
				b = append(b, hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == '\u2028' || r == '\u2029' || (r == utf8.RuneError && n == 1) {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = append(b, hex[r&0xF])
			}
			i += n
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hex = "0123456789abcdef"

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

func clip(s string, n int) string { return jsonstream.Clip(s, n) }

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// spanFields are the fields that hold spans in the formats Qalam reads,
// with the format that reads each.
var spanFields = []struct{ key, format string }{
	{"spans", "jsonl"}, {"label", "doccano"}, {"labels", "doccano"}, {"entities", "doccano"},
	{"column_label", "doccano"}, {"ner_tags", "hf"}, {"ner", "hf"},
}

// unreadSpans refuses a record of format that came out without spans
// while it holds span-like data in a field the format does not read (a
// doccano file read with --format jsonl), naming the field and the format
// that reads it, rather than import it as a document without entities.
func unreadSpans(rec *Record, raw json.RawMessage, format string) {
	if rec.Err != nil || rec.Skip != "" || len(rec.Spans) > 0 || len(rec.Predictions) > 0 {
		return
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil {
		return
	}
	for _, f := range spanFields {
		v, ok := keys[f.key]
		if f.format == format || !ok || isCategoryList(v) {
			continue
		}
		var l []json.RawMessage
		if json.Unmarshal(v, &l) != nil || len(l) == 0 {
			continue
		}
		rec.Err = fmt.Errorf("%q holds spans, which --format %s does not read (--format %s does): the record is left out rather than stored without entities", f.key, format, f.format)
		return
	}
}
