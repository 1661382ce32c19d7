package modelserver

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// The names of the labelling config sent to a Label Studio backend: a
// <Labels name="label" toName="text"> over <Text name="text"
// value="$text">, as Qalam's Label Studio export writes.
const (
	lsFromName = "label"
	lsToName   = "text"
)

// labelConfig writes the labelling config for a project's labels.
func labelConfig(labels []string) string {
	var b strings.Builder
	b.WriteString(`<View>` + "\n" + `  <Labels name="` + lsFromName + `" toName="` + lsToName + `">` + "\n")
	for _, l := range labels {
		b.WriteString(`    <Label value="`)
		xml.EscapeText(&b, []byte(l))
		b.WriteString(`"/>` + "\n")
	}
	b.WriteString(`  </Labels>` + "\n" + `  <Text name="` + lsToName + `" value="$` + lsToName + `"/>` + "\n" + `</View>`)
	return b.String()
}

type lsRequest struct {
	Tasks       []lsTask       `json:"tasks"`
	LabelConfig string         `json:"label_config"`
	Project     string         `json:"project"`
	Params      map[string]any `json:"params"`
}

type lsTask struct {
	ID   int               `json:"id"`
	Data map[string]string `json:"data"`
}

// lsPrediction is one prediction: its results are the spans.
type lsPrediction struct {
	Result []struct {
		Type  string `json:"type"`
		Value struct {
			Start  *json.Number `json:"start"`
			End    *json.Number `json:"end"`
			Text   *string      `json:"text"`
			Labels []string     `json:"labels"`
		} `json:"value"`
	} `json:"result"`
}

// predictLabelStudio sends one task to POST /predict and reads the
// prediction made for it. A backend answers {"results": [...]} with one
// prediction per task (a list of them, for backends that make several),
// or an empty list when it found nothing.
func (c *Client) predictLabelStudio(ctx context.Context, text string, labels []string) ([]rawSpan, error) {
	req := lsRequest{
		Tasks:       []lsTask{{ID: 1, Data: map[string]string{lsToName: text}}},
		LabelConfig: labelConfig(labels),
		Project:     "qalam",
		Params:      map[string]any{"context": nil},
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	answer, err := c.do(ctx, http.MethodPost, c.cfg.URL+"/predict", body)
	if err != nil {
		return nil, err
	}
	var resp map[string]json.RawMessage // {"results": null} is read as nothing found
	var results []json.RawMessage
	err = json.Unmarshal(answer, &resp)
	raw, ok := resp["results"]
	if err != nil || !ok || json.Unmarshal(raw, &results) != nil {
		return nil, c.nonsense(`POST /predict answered %s, not {"results": [...]}`, excerpt(answer))
	}
	if len(results) > 1 {
		return nil, c.nonsense("POST /predict answered %d predictions for one task", len(results))
	}
	var preds []lsPrediction
	for _, r := range results {
		if t := bytes.TrimSpace(r); len(t) > 0 && t[0] == '[' {
			// Several predictions for the task: the first is taken.
			var several []lsPrediction
			if err := json.Unmarshal(r, &several); err != nil {
				return nil, c.nonsense("a prediction is %s, not {\"result\": [...]}", excerpt(r))
			}
			preds = append(preds, several[:min(len(several), 1)]...)
			continue
		}
		var one lsPrediction
		if err := json.Unmarshal(r, &one); err != nil {
			return nil, c.nonsense("a prediction is %s, not {\"result\": [...]}", excerpt(r))
		}
		preds = append(preds, one)
	}
	var out []rawSpan
	for _, p := range preds {
		for _, r := range p.Result {
			if r.Type != "labels" {
				continue // choices, ratings: not spans
			}
			v := r.Value
			if v.Start == nil || v.End == nil {
				return nil, c.nonsense("a result has no start and end")
			}
			start, err1 := v.Start.Int64()
			end, err2 := v.End.Int64()
			if err1 != nil || err2 != nil {
				return nil, c.nonsense("a result's offsets %s, %s are not whole numbers", v.Start, v.End)
			}
			if len(v.Labels) == 0 {
				return nil, c.nonsense("result [%d,%d) has no label", start, end)
			}
			for _, l := range v.Labels {
				out = append(out, rawSpan{start: int(start), end: int(end), label: l, text: v.Text})
			}
		}
	}
	return out, nil
}
