package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// labelStudioEncoder writes Label Studio tasks, a JSON array with one
// task per document and one annotation per layer:
//
//	{"id":1, "data":{"text":…}, "meta":{"document","offsets",…},
//	 "annotations":[{"layer":…, "result":[{"id","from_name":"label",
//	   "to_name":"text","type":"labels",
//	   "value":{"start","end","text","labels":["LABEL"]}}]}]}
//
// It suits a labelling config <Labels name="label" toName="text"> over
// <Text name="text" value="$text">.
type labelStudioEncoder struct {
	w      *bufio.Writer
	opts   EncodeOptions
	n      int
	buf    []byte
	byteAt []int // the byte offset of each code point of the text
}

func newLabelStudioEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	return &labelStudioEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: o}, nil
}

func (e *labelStudioEncoder) Encode(d *Doc) error {
	unit := e.opts.unit()
	conv := offsetConverter(d.Text, unit)
	e.byteAt = runeOffsets(e.byteAt[:0], d.Text)
	b := e.buf[:0]
	if e.n == 0 {
		b = append(b, "[\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	e.n++
	b = append(b, `{"id":`...)
	b = appendInt(b, e.n)
	b = append(b, `,"data":{"text":`...)
	b = appendString(b, d.Text)
	b = append(b, `},"meta":`...)
	b = appendMeta(b, &d.Document, "", unit)
	b = append(b, `,"annotations":[`...)
	for li, lw := range d.Layers {
		if li > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"layer":`...)
		b = appendString(b, lw.Name)
		b = append(b, `,"completed_by":{`...)
		if strings.Contains(lw.Name, "@") {
			b = append(b, `"email":`...)
		} else {
			b = append(b, `"username":`...)
		}
		b = appendString(b, lw.Name)
		b = append(b, `},"ground_truth":`...)
		b = strconv.AppendBool(b, lw.Name == annotate.Gold)
		b = append(b, `,"was_cancelled":false,"result":[`...)
		for i, sp := range lw.Spans {
			text := d.Text[e.byteAt[sp.Start]:e.byteAt[sp.End]]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":"s`...)
			b = appendInt(b, i+1)
			b = append(b, `","from_name":"label","to_name":"text","type":"labels","value":{"start":`...)
			b = appendInt(b, conv(sp.Start))
			b = append(b, `,"end":`...)
			b = appendInt(b, conv(sp.End))
			b = append(b, `,"text":`...)
			b = appendString(b, text)
			b = append(b, `,"labels":[`...)
			b = appendString(b, sp.Label)
			b = append(b, `]}}`...)
		}
		b = append(b, `]}`...)
	}
	b = append(b, `]}`...)
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

func (e *labelStudioEncoder) Close() error {
	if e.n == 0 {
		e.w.WriteString("[")
	}
	e.w.WriteString("\n]\n")
	return e.w.Flush()
}

func newLabelStudioDecoder(r io.Reader, o DecodeOptions) Decoder {
	return newJSONDecoder(r, o, "labelstudio", parseLabelStudioTask)
}

type lsResult struct {
	ID       string          `json:"id"`
	Type     string          `json:"type"`
	ToName   string          `json:"to_name"`
	FromName string          `json:"from_name"`
	Value    json.RawMessage `json:"value"`
}

type lsAnnotation struct {
	Result       []lsResult      `json:"result"`
	WasCancelled bool            `json:"was_cancelled"`
	CompletedBy  json.RawMessage `json:"completed_by"`
	Layer        string          `json:"layer"` // written by this package
}

// annotator names whose work an annotation is: the layer this package
// wrote, else completed_by's email, username or id (Label Studio exports
// the user's id, or an object with them); "" when it names nobody.
func (a lsAnnotation) annotator() string {
	if a.Layer != "" {
		return a.Layer
	}
	raw := bytes.TrimSpace(a.CompletedBy)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] != '{' {
		return idName(raw)
	}
	var u struct {
		Email    string          `json:"email"`
		Username string          `json:"username"`
		ID       json.RawMessage `json:"id"`
	}
	json.Unmarshal(raw, &u)
	switch {
	case u.Email != "":
		return u.Email
	case u.Username != "":
		return u.Username
	}
	return idName(u.ID)
}

// parseLabelStudioTask reads a task: its text is the data key the results
// point at (to_name), else "text", else the task's only string.
func parseLabelStudioTask(rec *Record, raw json.RawMessage, o DecodeOptions) {
	var task struct {
		ID          json.RawMessage            `json:"id"`
		Data        map[string]json.RawMessage `json:"data"`
		Meta        json.RawMessage            `json:"meta"`
		Annotations []lsAnnotation             `json:"annotations"`
		Completions []lsAnnotation             `json:"completions"` // before Label Studio 1.0
		Predictions []lsAnnotation             `json:"predictions"`
	}
	if err := json.Unmarshal(raw, &task); err != nil || task.Data == nil {
		rec.Err = errors.New(`not a Label Studio task: want a "data" object`)
		return
	}
	if name := idName(task.ID); name != "" {
		rec.Name = name
	}
	if !setMeta(rec, task.Meta) {
		return
	}
	anns := append(task.Annotations, task.Completions...)
	toName := ""
	for _, group := range [][]lsAnnotation{anns, task.Predictions} {
		for _, a := range group {
			for _, r := range a.Result {
				if toName == "" && r.ToName != "" {
					toName = r.ToName
				}
			}
		}
	}
	var err error
	if rec.Text, err = lsText(task.Data, toName); err != nil {
		rec.Err = err
		return
	}
	for _, a := range anns {
		if a.WasCancelled {
			rec.ignore("cancelled Label Studio annotations", 1)
			continue
		}
		rec.Annotated = true
		who := a.annotator()
		if !slices.Contains(rec.Layers, who) {
			rec.Layers = append(rec.Layers, who)
		}
		for _, sp := range lsSpans(rec, a.Result) {
			sp.Layer = who
			rec.Spans = append(rec.Spans, sp)
		}
	}
	for _, p := range task.Predictions {
		rec.Predictions = append(rec.Predictions, lsSpans(rec, p.Result)...)
	}
}

func lsText(data map[string]json.RawMessage, toName string) (string, error) {
	var s string
	for _, k := range []string{toName, "text"} {
		if v, ok := data[k]; ok && k != "" && json.Unmarshal(v, &s) == nil {
			return s, nil
		}
	}
	var keys []string
	for k, v := range data {
		if json.Unmarshal(v, &s) == nil {
			keys = append(keys, k)
		}
	}
	switch len(keys) {
	case 0:
		return "", errors.New(`the task's "data" holds no text`)
	case 1:
		json.Unmarshal(data[keys[0]], &s)
		return s, nil
	}
	sort.Strings(keys)
	return "", fmt.Errorf(`cannot tell which "data" key holds the text: %s (the results name none of them)`, strings.Join(keys, ", "))
}

func lsSpans(rec *Record, results []lsResult) []Span {
	var spans []Span
	for _, r := range results {
		switch r.Type {
		case "labels":
		case "hypertextlabels":
			rec.problem(rec.Line, "result %s: HTML labels (hypertextlabels) point into the page by XPath, not into a text; left out", r.ID)
			continue
		default:
			rec.ignore(fmt.Sprintf("Label Studio %q results", r.Type), 1)
			continue
		}
		var v struct {
			Start  *json.Number `json:"start"`
			End    *json.Number `json:"end"`
			Text   *string      `json:"text"`
			Labels []string     `json:"labels"`
		}
		if err := json.Unmarshal(r.Value, &v); err != nil || v.Start == nil || v.End == nil {
			rec.problem(rec.Line, "result %s: no start and end offsets", r.ID)
			continue
		}
		start, err1 := number(*v.Start)
		end, err2 := number(*v.End)
		if err := errors.Join(err1, err2); err != nil {
			rec.problem(rec.Line, "result %s: %v", r.ID, err)
			continue
		}
		if len(v.Labels) == 0 {
			rec.problem(rec.Line, "result %s [%d,%d): no label", r.ID, start, end)
			continue
		}
		for _, l := range v.Labels {
			sp := Span{Start: start, End: end, Label: l}
			if v.Text != nil {
				sp.Text, sp.HasText = *v.Text, true
			}
			spans = append(spans, sp)
		}
	}
	return spans
}

// labelStudioShape tells whether a JSON object looks like a task.
func labelStudioShape(keys map[string]json.RawMessage) bool {
	d, ok := keys["data"]
	return ok && len(d) > 0 && d[0] == '{'
}
