// Package modelserver asks a model server over HTTP for the names in a
// document, with either of two protocols their projects document:
//
//   - Label Studio's ML backend (label-studio-ml-backend): GET /health
//     answers {"status": "UP"}; POST /predict takes {"tasks": [{"data":
//     {"text": …}}], "label_config": …} and answers {"results": [{"result":
//     [{"type": "labels", "value": {"start", "end", "labels": [...]}}]}]},
//     one prediction per task. Offsets are Python string offsets (code
//     points) unless set otherwise.
//   - A template, as doccano's auto-labelling "Custom REST Request": the
//     text is POSTed inside a JSON body wherever the body holds the string
//     "{{ text }}", and the spans are read from the answer with field
//     names and an offset unit (code points, UTF-16 or bytes) one sets.
//
// A server that is down, slow past the timeout or answers anything but
// its protocol gives one error (ErrDown or ErrNonsense) that says so, and
// no spans at all: an answer is taken whole or not at all. Answers are
// cached per document text and server.
package modelserver

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// Protocol names how a server is spoken to.
type Protocol string

const (
	LabelStudio Protocol = "labelstudio"
	Template    Protocol = "template"
)

// ParseProtocol accepts a protocol's name.
func ParseProtocol(s string) (Protocol, error) {
	switch p := Protocol(strings.ToLower(s)); p {
	case LabelStudio, Template:
		return p, nil
	case "label-studio", "ls":
		return LabelStudio, nil
	}
	return "", fmt.Errorf("unknown protocol %q (want labelstudio or template)", s)
}

// The defaults of a Config.
const (
	DefaultTimeout = 30 * time.Second
	DefaultBody    = `{"text": "{{ text }}"}`
	// TextPlaceholder is where a template body takes the text.
	TextPlaceholder = "{{ text }}"
)

// Config says where a model server is and how to read it.
type Config struct {
	URL      string // the server's address: http://localhost:9090
	Protocol Protocol
	// Timeout bounds each request (DefaultTimeout when 0).
	Timeout time.Duration
	// Offsets is the unit of the offsets the server answers with (code
	// points when empty).
	Offsets annotate.OffsetUnit
	// Headers are sent with every request (an API key).
	Headers map[string]string

	// Template protocol: Body is the JSON sent (DefaultBody when empty),
	// the text put wherever it holds TextPlaceholder as a string. List is
	// the dotted path of the list of spans in the answer ("" for the
	// answer itself); LabelField, StartField and EndField name each
	// span's fields ("label", "start_offset" and "end_offset", doccano's
	// names, when empty).
	Body                             string
	List                             string
	LabelField, StartField, EndField string
}

// Span is a name the server found: offsets in code points, the label as
// the server names it.
type Span struct {
	Start, End int
	Label      string
}

// Errors a request fails with; test with errors.Is.
var (
	// ErrDown: the server could not be reached, or did not answer in time.
	ErrDown = errors.New("the model server does not answer")
	// ErrNonsense: the server answered, but not as its protocol says.
	ErrNonsense = errors.New("the model server's answer is not what its protocol says")
)

// Error is what a request to a server failed with: a sentence for
// people, which wraps ErrDown or ErrNonsense.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

// Client speaks to one model server. It is safe for concurrent use.
type Client struct {
	cfg   Config
	http  *http.Client
	cache *Cache
}

// New checks a configuration and returns a client for it; answers are
// kept in cache (nil: none).
func New(cfg Config, cache *Cache) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("model server address %q: want http://host:port", cfg.URL)
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if cfg.Protocol == "" {
		cfg.Protocol = LabelStudio
	}
	if _, err := ParseProtocol(string(cfg.Protocol)); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Offsets == "" {
		cfg.Offsets = annotate.CodePoints
	}
	if _, err := annotate.ParseOffsetUnit(string(cfg.Offsets)); err != nil {
		return nil, err
	}
	if cfg.Protocol == Template {
		if cfg.Body == "" {
			cfg.Body = DefaultBody
		}
		var body any
		if err := json.Unmarshal([]byte(cfg.Body), &body); err != nil {
			return nil, fmt.Errorf("template body: not JSON: %v", err)
		}
		if !holdsPlaceholder(body) {
			return nil, fmt.Errorf("template body %s: no %q string where the text would go", cfg.Body, TextPlaceholder)
		}
		cfg.LabelField = cmp.Or(cfg.LabelField, "label")
		cfg.StartField = cmp.Or(cfg.StartField, "start_offset")
		cfg.EndField = cmp.Or(cfg.EndField, "end_offset")
	}
	return &Client{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout}, cache: cache}, nil
}

// Config is the client's configuration, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// Source names the server in messages and in a suggestion's source.
func (c *Client) Source() string { return c.cfg.URL }

// Check asks whether the server is up: Label Studio's GET /health, or,
// for a template server, a request with a short text.
func (c *Client) Check(ctx context.Context) error {
	if c.cfg.Protocol == Template {
		_, err := c.predict(ctx, "Qalam", nil)
		return err
	}
	body, err := c.do(ctx, http.MethodGet, c.cfg.URL+"/health", nil)
	if err != nil {
		return err
	}
	var h struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &h); err != nil || h.Status != "UP" {
		return c.nonsense("GET /health answered %s, not {\"status\": \"UP\"}", excerpt(body))
	}
	return nil
}

// Predict asks the server for the names in text; labels are the
// project's (Label Studio backends read them from the labelling config).
// The answer is checked whole: offsets inside the text, and equal to the
// text the server says they cover, when it says.
func (c *Client) Predict(ctx context.Context, text string, labels []string) ([]Span, error) {
	key := cacheKey{url: c.cfg.URL, sha: annotate.Hash(text)}
	if spans, ok := c.cache.get(key); ok {
		return spans, nil
	}
	spans, err := c.predict(ctx, text, labels)
	if err != nil {
		return nil, err
	}
	c.cache.put(key, spans)
	return spans, nil
}

func (c *Client) predict(ctx context.Context, text string, labels []string) ([]Span, error) {
	var raw []rawSpan
	var err error
	if c.cfg.Protocol == Template {
		raw, err = c.predictTemplate(ctx, text)
	} else {
		raw, err = c.predictLabelStudio(ctx, text, labels)
	}
	if err != nil {
		return nil, err
	}
	return c.convert(text, raw)
}

// rawSpan is a span as the server wrote it.
type rawSpan struct {
	start, end int
	label      string
	text       *string // the text the server says it covers, when it says
}

// convert turns the server's offsets into code points and checks them.
func (c *Client) convert(text string, raw []rawSpan) ([]Span, error) {
	m := annotate.NewOffsetMap(text, c.cfg.Offsets)
	n := annotate.RuneLen(text)
	out := make([]Span, 0, len(raw))
	for _, r := range raw {
		start, ok1 := m.To(r.start)
		end, ok2 := m.To(r.end)
		if !ok1 || !ok2 || start >= end || end > n {
			return nil, c.nonsense("span [%d,%d) %s is not inside the text (%d %s)", r.start, r.end, r.label, m.From(n), c.cfg.Offsets)
		}
		if r.text != nil {
			if got, _ := annotate.Slice(text, start, end); got != *r.text {
				return nil, c.nonsense("span [%d,%d) %s says it covers %q but the text there is %q: are its offsets %s?",
					r.start, r.end, r.label, *r.text, got, otherUnits(c.cfg.Offsets))
			}
		}
		out = append(out, Span{Start: start, End: end, Label: r.label})
	}
	return out, nil
}

func otherUnits(u annotate.OffsetUnit) string {
	var others []string
	for _, o := range []annotate.OffsetUnit{annotate.CodePoints, annotate.UTF16, annotate.Bytes} {
		if o != u {
			others = append(others, string(o))
		}
	}
	return strings.Join(others, " or ")
}

// do sends a request and returns the body of a 2xx answer.
func (c *Client) do(ctx context.Context, method, u string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range c.cfg.Headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var timeout interface{ Timeout() bool }
		if errors.As(err, &timeout) && timeout.Timeout() {
			return nil, &Error{ErrDown, fmt.Sprintf("The model server at %s did not answer within %s.", c.cfg.URL, c.cfg.Timeout)}
		}
		return nil, &Error{ErrDown, fmt.Sprintf("The model server at %s does not answer (%v). Is it running?", c.cfg.URL, rootCause(err))}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, &Error{ErrDown, fmt.Sprintf("The model server at %s broke off its answer (%v).", c.cfg.URL, err)}
	}
	if resp.StatusCode/100 != 2 {
		return nil, c.nonsense("%s %s answered %s%s", method, strings.TrimPrefix(u, c.cfg.URL), resp.Status, detail(b))
	}
	return b, nil
}

// rootCause is the innermost error: "connection refused" rather than
// the whole chain of what was being done.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// detail is what an error answer says, when it says something short.
func detail(b []byte) string {
	var e struct {
		Detail string `json:"detail"`
		Error  string `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil {
		if d := cmp.Or(e.Detail, e.Error); d != "" {
			return ": " + firstLine(d)
		}
	}
	if len(b) > 0 {
		return ": " + excerpt(b)
	}
	return ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func excerpt(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	if s == "" {
		return "nothing"
	}
	return s
}

func (c *Client) nonsense(format string, args ...any) error {
	what := "a Label Studio ML backend"
	if c.cfg.Protocol == Template {
		what = "the template"
	}
	detail := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(detail, "?") && !strings.HasSuffix(detail, ".") {
		detail += "."
	}
	return &Error{ErrNonsense, fmt.Sprintf("The model server at %s answered, but not as %s would: %s", c.cfg.URL, what, detail)}
}

// --- the cache -------------------------------------------------------------

// Cache keeps servers' answers per document text and server address, so
// that asking again costs nothing. It is safe for concurrent use.
type Cache struct {
	mu  sync.Mutex
	max int
	m   map[cacheKey][]Span
	seq []cacheKey // oldest first
}

type cacheKey struct{ url, sha string }

// NewCache keeps the answers for up to max documents (the oldest go).
func NewCache(max int) *Cache { return &Cache{max: max, m: map[cacheKey][]Span{}} }

func (c *Cache) get(k cacheKey) ([]Span, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[k]
	return s, ok
}

func (c *Cache) put(k cacheKey, s []Span) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		c.seq = append(c.seq, k)
	}
	c.m[k] = s
	for len(c.seq) > c.max {
		delete(c.m, c.seq[0])
		c.seq = c.seq[1:]
	}
}
