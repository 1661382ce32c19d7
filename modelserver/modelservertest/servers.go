// Package modelservertest runs model servers that follow the protocols
// of package modelserver as their projects document them, for tests: a
// Label Studio ML backend and a REST model called through a template.
// None needs the network beyond the loopback.
package modelservertest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// LabelStudio is a Label Studio ML backend as label_studio_ml/api.py runs
// one (label-studio-ml-backend at d02cedf): GET /health and GET / answer
// {"status": "UP", "model_class": …}; POST /predict reads {"tasks",
// "label_config", "project", "params"}, finds the <Labels> over <Text>
// in the labelling config (LabelInterface.get_first_tag_occurence) and
// answers {"results": [prediction, ...]}, one prediction per task that
// has results (the examples' model.py skip the others); an exception
// becomes HTTP 500 {"status": 500, "detail": "Class: message"}. Its model
// is a dictionary: each name found in a task's text (Python str offsets,
// code points) is a result, as the spaCy example's are.
type LabelStudio struct {
	Names    map[string]string // name → the model's label
	Requests atomic.Int32      // POST /predict requests served
	// LastConfig is the labelling config of the last request (a string).
	LastConfig atomic.Value
}

func (b *LabelStudio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && (r.URL.Path == "/health" || r.URL.Path == "/"):
		writeJSON(w, 200, map[string]any{"status": "UP", "model_class": "DictionaryNER"})
	case r.Method == http.MethodPost && r.URL.Path == "/predict":
		b.Requests.Add(1)
		results, err := b.predict(r)
		if err != nil {
			writeJSON(w, 500, map[string]any{"status": 500, "detail": err.Error(), "request": map[string]any{}})
			return
		}
		writeJSON(w, 200, map[string]any{"results": results})
	default:
		http.NotFound(w, r)
	}
}

func (b *LabelStudio) predict(r *http.Request) ([]any, error) {
	var req struct {
		Tasks []struct {
			Data map[string]any `json:"data"`
		} `json:"tasks"`
		LabelConfig string         `json:"label_config"`
		Project     string         `json:"project"`
		Params      map[string]any `json:"params"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return nil, fmt.Errorf("BadRequest: %v", err)
	}
	b.LastConfig.Store(req.LabelConfig)
	fromName, toName, value, err := firstTagOccurrence(req.LabelConfig)
	if err != nil {
		return nil, err
	}
	var results []any
	for _, task := range req.Tasks {
		text, ok := task.Data[value].(string)
		if !ok {
			return nil, fmt.Errorf("KeyError: '%s'", value)
		}
		var result []any
		for name, label := range b.Names {
			for from := 0; ; {
				i := strings.Index(text[from:], name)
				if i < 0 {
					break
				}
				start := utf8.RuneCountInString(text[:from+i])
				end := start + utf8.RuneCountInString(name)
				result = append(result, map[string]any{
					"from_name": fromName, "to_name": toName, "type": "labels",
					"value": map[string]any{"start": start, "end": end, "text": name, "labels": []string{label}},
				})
				from += i + len(name)
			}
		}
		if len(result) > 0 {
			results = append(results, map[string]any{"result": result, "score": 0.0, "model_version": "DictionaryNER-v0.0.1"})
		}
	}
	return results, nil
}

// firstTagOccurrence finds, as LabelInterface does, the first <Labels>
// whose toName is a <Text>, and that Text's value without its "$".
func firstTagOccurrence(config string) (fromName, toName, value string, err error) {
	var view struct {
		Labels []struct {
			Name   string `xml:"name,attr"`
			ToName string `xml:"toName,attr"`
			Label  []struct {
				Value string `xml:"value,attr"`
			} `xml:"Label"`
		} `xml:"Labels"`
		Text []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"Text"`
	}
	if err := xml.Unmarshal([]byte(config), &view); err != nil {
		return "", "", "", fmt.Errorf("LabelStudioXMLSyntaxErrorSentryIgnored: %v", err)
	}
	for _, l := range view.Labels {
		for _, t := range view.Text {
			if t.Name == l.ToName {
				return l.Name, t.Name, strings.TrimPrefix(t.Value, "$"), nil
			}
		}
	}
	return "", "", "", fmt.Errorf("ValueError: No control tag of type Labels found in label config")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Replay answers every request with one fixed body.
func Replay(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

// Found is a name a Template server found: its label and offsets.
type Found struct {
	Label      string
	Start, End int
}

// Template is a REST model a doccano "Custom REST Request" calls: it
// reads the text from the JSON body's field textField and answers the
// names it knows in the shape answer makes of them, offsets counted in
// unit (codepoints, utf16 or bytes).
func Template(names map[string]string, textField, unit string, answer func([]Found) any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "POST JSON", http.StatusMethodNotAllowed)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		text, _ := body[textField].(string)
		var spans []Found
		for name, label := range names {
			for from := 0; ; {
				i := strings.Index(text[from:], name)
				if i < 0 {
					break
				}
				start, end := offset(text, from+i, unit), offset(text, from+i+len(name), unit)
				spans = append(spans, Found{label, start, end})
				from += i + len(name)
			}
		}
		writeJSON(w, 200, answer(spans))
	})
}

// offset counts byte offset b of text in unit.
func offset(text string, b int, unit string) int {
	switch unit {
	case "bytes":
		return b
	case "utf16":
		return len(utf16.Encode([]rune(text[:b])))
	}
	return utf8.RuneCountInString(text[:b])
}
