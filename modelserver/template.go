package modelserver

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
)

// holdsPlaceholder reports whether a JSON value holds TextPlaceholder as
// a string somewhere.
func holdsPlaceholder(v any) bool {
	switch x := v.(type) {
	case string:
		return x == TextPlaceholder
	case map[string]any:
		for _, e := range x {
			if holdsPlaceholder(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if holdsPlaceholder(e) {
				return true
			}
		}
	}
	return false
}

// fill puts text wherever v holds TextPlaceholder as a string.
func fill(v any, text string) any {
	switch x := v.(type) {
	case string:
		if x == TextPlaceholder {
			return text
		}
	case map[string]any:
		for k, e := range x {
			x[k] = fill(e, text)
		}
	case []any:
		for i, e := range x {
			x[i] = fill(e, text)
		}
	}
	return v
}

// predictTemplate POSTs the body with the text in it and reads the
// spans from the answer by the configured names.
func (c *Client) predictTemplate(ctx context.Context, text string) ([]rawSpan, error) {
	var body any
	if err := json.Unmarshal([]byte(c.cfg.Body), &body); err != nil {
		return nil, err
	}
	req, err := json.Marshal(fill(body, text))
	if err != nil {
		return nil, err
	}
	answer, err := c.do(ctx, http.MethodPost, c.cfg.URL, req)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(answer)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, c.nonsense("its answer is not JSON: %s", excerpt(answer))
	}
	where := "the answer"
	if c.cfg.List != "" {
		where = c.cfg.List
		for _, k := range strings.Split(c.cfg.List, ".") {
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, c.nonsense("%q: the answer has no object holding %q: %s", c.cfg.List, k, excerpt(answer))
			}
			if v, ok = obj[k]; !ok {
				return nil, c.nonsense("the answer has no field %q (of %q): %s", k, c.cfg.List, excerpt(answer))
			}
		}
	}
	list, ok := v.([]any)
	if v == nil {
		ok = true // null: nothing found
	}
	if !ok {
		return nil, c.nonsense("%s is not a list of spans: %s", where, excerpt(answer))
	}
	out := make([]rawSpan, 0, len(list))
	for i, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, c.nonsense("span %d of %s is not an object", i+1, where)
		}
		label, ok := obj[c.cfg.LabelField].(string)
		if !ok || label == "" {
			return nil, c.nonsense("span %d has no %q (a label)", i+1, c.cfg.LabelField)
		}
		start, ok1 := whole(obj[c.cfg.StartField])
		end, ok2 := whole(obj[c.cfg.EndField])
		if !ok1 || !ok2 {
			return nil, c.nonsense("span %d (%s) has no whole numbers %q and %q", i+1, label, c.cfg.StartField, c.cfg.EndField)
		}
		out = append(out, rawSpan{start: start, end: end, label: label})
	}
	return out, nil
}

// whole reads a JSON number that is a whole number.
func whole(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := n.Int64(); err == nil {
		return int(i), true
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) {
		return 0, false
	}
	return int(f), true
}
