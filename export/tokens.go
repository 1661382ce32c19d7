package export

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/annotate"
)

// metaTextFrom is the key of a document's meta that says its text was
// rebuilt from tokens (CoNLL, Hugging Face, spaCy v2 JSON); its value is
// metaFromTokens. Such a document keeps those tokens on export: its text is
// split at spaces and line breaks, not by word segmentation, which would
// split again a token such as "الأمر؛".
const (
	metaTextFrom   = "text_from"
	metaFromTokens = "tokens"
)

// Tokens returns the tokens of a document as the token formats write them:
// annotate.Tokenize (Unicode word segmentation, punctuation its own token)
// for a text as received; for a text rebuilt from tokens, the tokens it was
// built from (the text split at spaces, a line break ending a sentence).
func Tokens(d annotate.Document) []annotate.Token {
	if fromTokens(d.Meta) {
		return whitespaceTokens(d.Text)
	}
	return annotate.Tokenize(d.Text)
}

func fromTokens(meta json.RawMessage) bool {
	if len(meta) == 0 || !strings.Contains(string(meta), metaTextFrom) {
		return false
	}
	var m struct {
		TextFrom string `json:"text_from"`
	}
	return json.Unmarshal(meta, &m) == nil && m.TextFrom == metaFromTokens
}

// whitespaceTokens splits text at ASCII spaces, tabs and line breaks; a
// line break ends a sentence.
func whitespaceTokens(text string) []annotate.Token {
	var toks []annotate.Token
	cp, start, startByte := 0, -1, 0
	for i, r := range text {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if start >= 0 {
				toks = append(toks, annotate.Token{Start: start, End: cp, Text: text[startByte:i]})
				start = -1
			}
			if n := len(toks); n > 0 {
				toks[n-1].SpaceAfter = true
				if r == '\n' || r == '\r' {
					toks[n-1].SentenceEnd = true
				}
			}
		} else if start < 0 {
			start, startByte = cp, i
		}
		cp++
	}
	if start >= 0 {
		toks = append(toks, annotate.Token{Start: start, End: cp, Text: text[startByte:]})
	}
	if n := len(toks); n > 0 {
		toks[n-1].SentenceEnd = true
	}
	return toks
}

// alignment is where a span falls among tokens.
type alignment struct {
	first, last int  // tokens the span overlaps, inclusive; first > last when none
	exact       bool // the span starts at first's start and ends at last's end
}

// align finds the tokens [start, end) overlaps.
func align(toks []annotate.Token, start, end int) alignment {
	first := sort.Search(len(toks), func(i int) bool { return toks[i].End > start })
	last := sort.Search(len(toks), func(i int) bool { return toks[i].Start >= end }) - 1
	a := alignment{first: first, last: last}
	a.exact = first <= last && toks[first].Start == start && toks[last].End == end
	return a
}

// misaligned describes a span whose edges are not token edges; then says
// what the output does about it.
func misaligned(d *Doc, sp annotate.Span, a alignment, then string) error {
	text, _ := annotate.Slice(d.Text, sp.Start, sp.End)
	if a.first > a.last {
		return fmt.Errorf("span [%d,%d) %s %q covers no token: %s", sp.Start, sp.End, sp.Label, text, then)
	}
	var where []string
	if t := d.Tokens[a.first]; t.Start != sp.Start {
		where = append(where, fmt.Sprintf("starts inside token %q [%d,%d)", t.Text, t.Start, t.End))
	}
	if t := d.Tokens[a.last]; t.End != sp.End {
		where = append(where, fmt.Sprintf("ends inside token %q [%d,%d)", t.Text, t.Start, t.End))
	}
	return fmt.Errorf("span [%d,%d) %s %q %s: %s", sp.Start, sp.End, sp.Label, text, strings.Join(where, " and "), then)
}

// iob2 tags the tokens of d for one layer's spans: B-LABEL on a span's
// first token, I-LABEL on the others, O elsewhere. A span whose edges fall
// inside tokens tags those tokens whole and is reported; a span that
// overlaps one tagged before it is left out and reported.
func iob2(d *Doc, lw *LayerWork, report func(Problem)) []string {
	tags := make([]string, len(d.Tokens))
	for i := range tags {
		tags[i] = "O"
	}
	spans := lw.Spans
	// Outer spans first: by start, longer first.
	if !sort.SliceIsSorted(spans, func(i, j int) bool { return byStartLongest(spans[i], spans[j]) }) {
		spans = append([]annotate.Span(nil), spans...)
		sort.SliceStable(spans, func(i, j int) bool { return byStartLongest(spans[i], spans[j]) })
	}
	for _, sp := range spans {
		a := align(d.Tokens, sp.Start, sp.End)
		if !a.exact {
			if a.first > a.last {
				report(Problem{Doc: d.Name, Layer: lw.Name, Err: misaligned(d, sp, a, "left out of the tags")})
				continue
			}
			report(Problem{Doc: d.Name, Layer: lw.Name, Err: misaligned(d, sp, a, "its tokens are tagged whole")})
		}
		free := true
		for i := a.first; i <= a.last; i++ {
			free = free && tags[i] == "O"
		}
		if !free {
			text, _ := annotate.Slice(d.Text, sp.Start, sp.End)
			report(Problem{Doc: d.Name, Layer: lw.Name, Err: fmt.Errorf("span [%d,%d) %s %q overlaps another span: left out of the tags", sp.Start, sp.End, sp.Label, text)})
			continue
		}
		tags[a.first] = "B-" + sp.Label
		for i := a.first + 1; i <= a.last; i++ {
			tags[i] = "I-" + sp.Label
		}
	}
	return tags
}

func byStartLongest(a, b annotate.Span) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	return a.End > b.End
}

// A tag read from a token format.
type tag struct {
	prefix byte // 'B', 'I', 'E', 'S' (L and U read as E and S), or 'O'
	label  string
}

var strictTagRE = regexp.MustCompile(`^(O|[BIESLU]-\S+|\S+-[BIESLU])$`)

// parseTag reads IOB1, IOB2, BIOES/BILOU tags, with the prefix before
// (B-PER) or after (PER-B) the label. A bare label (PER) reads as I-PER
// when bare is true (the IO scheme of two-column files), and is refused
// otherwise. spaCy's "-" (missing) reads as O.
func parseTag(s string, bare bool) (tag, error) {
	if s == "O" || s == "-" || s == "" {
		return tag{prefix: 'O'}, nil
	}
	if len(s) > 2 && s[1] == '-' && strings.IndexByte("BIESLU", s[0]) >= 0 {
		return tag{prefix: normPrefix(s[0]), label: s[2:]}, nil
	}
	if n := len(s); n > 2 && s[n-2] == '-' && strings.IndexByte("BIESLU", s[n-1]) >= 0 {
		return tag{prefix: normPrefix(s[n-1]), label: s[:n-2]}, nil
	}
	if bare && utf8.ValidString(s) {
		return tag{prefix: 'I', label: s}, nil
	}
	return tag{}, fmt.Errorf("%q is not a tag (want O, B-LABEL, I-LABEL, E-LABEL or S-LABEL)", s)
}

func normPrefix(p byte) byte {
	switch p {
	case 'L':
		return 'E'
	case 'U':
		return 'S'
	}
	return p
}

// tokenSpan is a span over tokens, inclusive.
type tokenSpan struct {
	first, last int
	label       string
}

// decodeTags turns one sentence's tags into spans. It reads IOB1, IOB2 and
// BIOES alike: B and S start an entity, I continues one of the same label
// (or starts one, as IOB1 and lenient IOB2 readers do), E and S end it.
func decodeTags(tags []tag) []tokenSpan {
	var out []tokenSpan
	open := -1 // index in out of the entity still open
	for i, t := range tags {
		switch t.prefix {
		case 'O':
			open = -1
			continue
		case 'B', 'S':
			open = -1
		case 'I', 'E':
			if open >= 0 && out[open].label != t.label {
				open = -1
			}
		}
		if open < 0 {
			out = append(out, tokenSpan{first: i, last: i, label: t.label})
			open = len(out) - 1
		} else {
			out[open].last = i
		}
		if t.prefix == 'E' || t.prefix == 'S' {
			open = -1
		}
	}
	return out
}

// tokenText builds a document's text from its sentences of tokens: tokens
// joined by single spaces, sentences by line breaks. It returns the text
// and each token's code-point start (the end is start + its length).
type tokenText struct {
	b      strings.Builder
	cp     int
	starts [][]int
	ends   [][]int
}

func (t *tokenText) sentence(tokens []string) {
	if len(t.starts) > 0 {
		t.b.WriteByte('\n')
		t.cp++
	}
	starts := make([]int, len(tokens))
	ends := make([]int, len(tokens))
	for i, tok := range tokens {
		if i > 0 {
			t.b.WriteByte(' ')
			t.cp++
		}
		starts[i] = t.cp
		t.b.WriteString(tok)
		t.cp += utf8.RuneCountInString(tok)
		ends[i] = t.cp
	}
	t.starts = append(t.starts, starts)
	t.ends = append(t.ends, ends)
}

// span gives the code-point offsets of tokens first..last of sentence s.
func (t *tokenText) span(s int, ts tokenSpan) (int, int) {
	return t.starts[s][ts.first], t.ends[s][ts.last]
}

func (t *tokenText) String() string { return t.b.String() }

func tokensMeta() json.RawMessage {
	return json.RawMessage(`{"` + metaTextFrom + `":"` + metaFromTokens + `"}`)
}
