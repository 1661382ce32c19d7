package export

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
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

// How the token formats cut tokens (Options.Tokens).
const (
	// TokensSplit, the default, splits a word wherever a span starts or
	// ends inside it, so every span starts on a token's start and ends on
	// a token's end (و then لبنان B-PLACE).
	TokensSplit = "split"
	// TokensWords keeps white-space words whole and tags every word a
	// span touches (ولبنان B-PLACE), the convention of ANERcorp, AQMAR
	// and Wojood; the spans it widens are counted.
	TokensWords = "words"
)

// What a row of the token formats holds (Options.Unit).
const (
	UnitSentence = "sentence" // one row (a CoNLL block) per sentence, the default
	UnitDocument = "document" // one row per document
)

// Notes counts what an export changed on purpose, by kind (Summary.Notes):
// the output is complete, these say how it differs from the spans as
// stored.
const (
	NoteTrimmed = "spans trimmed of white space at their edges"
	NoteWidened = "spans widened to whole words"
	NoteSplit   = "words split at a span's edge"
	NoteLabels  = "labels written with _ for white space"
	// NoteSpansSheets counts the sheets Spans goes on in (Spans 2, ...)
	// past the 1,048,575 rows a sheet holds.
	NoteSpansSheets = "more Spans sheets past a sheet's last row"
	// NoteLineBreaks counts the xlsx texts whose \r\n a spreadsheet
	// turned into \n, given back by the SHA-256 the sheet states.
	NoteLineBreaks = "texts whose line breaks a spreadsheet changed, restored"
)

// Tokens returns the tokens of a document as the token formats write them
// before spans cut them: annotate.Tokenize (Unicode word segmentation,
// punctuation its own token) for a text as received; for a text rebuilt
// from tokens, the tokens it was built from (the text split at white space).
func Tokens(d annotate.Document) []annotate.Token {
	if fromTokens(d.Meta) {
		return whitespaceTokens(d.Text)
	}
	return annotate.Tokenize(d.Text)
}

// sentenceEnds gives the code-point offsets where a document's sentences
// end: its line breaks for a text rebuilt from tokens (a sentence per
// line), annotate.SentenceEnds otherwise.
func sentenceEnds(d annotate.Document) []int {
	if !fromTokens(d.Meta) {
		return annotate.SentenceEnds(d.Text)
	}
	var ends []int
	cp := 0
	for _, r := range d.Text {
		cp++
		if r == '\n' {
			ends = append(ends, cp)
		}
	}
	return append(ends, cp)
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

// isSpace is white space as the readers of token formats split at:
// Unicode's, and the separators U+001C to U+001F, which Python's
// str.split() splits at too.
func isSpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

// whitespaceTokens splits text at white space.
func whitespaceTokens(text string) []annotate.Token {
	var toks []annotate.Token
	cp, start, startByte := 0, -1, 0
	for i, r := range text {
		if isSpace(r) {
			if start >= 0 {
				toks = append(toks, annotate.Token{Start: start, End: cp, Text: text[startByte:i]})
				start = -1
			}
			if n := len(toks); n > 0 {
				toks[n-1].SpaceAfter = true
			}
		} else if start < 0 {
			start, startByte = cp, i
		}
		cp++
	}
	if start >= 0 {
		toks = append(toks, annotate.Token{Start: start, End: cp, Text: text[startByte:]})
	}
	return toks
}

// docTokens are what the token formats need of a document, computed once
// (ahead, on other goroutines, by Export): its tokens before spans cut
// them, where its sentences end, and the byte offset of each code point.
type docTokens struct {
	mode   string
	tokens []annotate.Token
	ends   []int
	byteAt []int
}

// newDocTokens segments a document; sentences tells whether its sentences
// are needed (they are found on first need otherwise).
func newDocTokens(d annotate.Document, mode string, sentences bool) *docTokens {
	dt := &docTokens{mode: mode, byteAt: annotate.RuneOffsets(d.Text)}
	if sentences {
		dt.ends = sentenceEnds(d)
	}
	if mode == TokensWords {
		dt.tokens = whitespaceTokens(d.Text)
	} else {
		dt.tokens = Tokens(d)
	}
	return dt
}

// tokens returns d's docTokens, computing them when Export did not.
func (d *Doc) tokens(mode string) *docTokens {
	if mode == "" {
		mode = TokensSplit
	}
	if d.tok == nil || d.tok.mode != mode {
		d.tok = newDocTokens(d.Document, mode, false)
	}
	return d.tok
}

// tokSpan is a span as a token format writes it: on whole tokens, first
// to last inclusive.
type tokSpan struct {
	annotate.Span
	first, last int
}

// layerTokens is one layer's work on a document cut into tokens: the
// tokens (split at the spans' edges, or whole words), the spans on them,
// and the rows (sentences, never cut inside a span).
type layerTokens struct {
	toks  []annotate.Token
	spans []tokSpan // sorted by start, longer first
	rows  []int     // the first token of each row, then len(toks)
	notes map[string]int
}

func (lt *layerTokens) note(kind string, n int) {
	if n > 0 {
		if lt.notes == nil {
			lt.notes = map[string]int{}
		}
		lt.notes[kind] += n
	}
}

// cut tokenizes one layer's work for a token format. Spans lose the white
// space (and invisible format characters) at their edges; then either the
// tokens are split at the spans' edges (TokensSplit) or the spans widened
// to whole words (TokensWords). A span of nothing but white space is left
// out and reported. unit is UnitSentence or UnitDocument.
func cut(d *Doc, lw *LayerWork, mode, unit string, report func(Problem)) *layerTokens {
	dt := d.tokens(mode)
	text, byteAt := d.Text, dt.byteAt
	runeAt := func(cp int) rune {
		r, _ := utf8.DecodeRuneInString(text[byteAt[cp]:])
		return r
	}
	edge := func(r rune) bool { return isSpace(r) || unicode.Is(unicode.Cf, r) }
	// The spans are trimmed into lt.spans; their tokens are found once
	// the tokens are cut.
	lt := &layerTokens{spans: make([]tokSpan, 0, len(lw.Spans))}
	for _, sp := range lw.Spans {
		s, e := sp.Start, sp.End
		if s < 0 || e > len(byteAt)-1 || s >= e {
			report(Problem{Doc: d.Name, Layer: lw.Name, Err: fmt.Errorf("span [%d,%d) %s is outside the text: left out", sp.Start, sp.End, sp.Label)})
			continue
		}
		for s < e && edge(runeAt(s)) {
			s++
		}
		for e > s && edge(runeAt(e-1)) {
			e--
		}
		if s == e {
			report(Problem{Doc: d.Name, Layer: lw.Name, Err: fmt.Errorf("span [%d,%d) %s %q holds only white space: left out", sp.Start, sp.End, sp.Label, text[byteAt[sp.Start]:byteAt[sp.End]])})
			continue
		}
		if s != sp.Start || e != sp.End {
			lt.note(NoteTrimmed, 1)
		}
		sp.Start, sp.End = s, e
		lt.spans = append(lt.spans, tokSpan{Span: sp})
	}
	spans := lt.spans
	toks := dt.tokens
	if mode == TokensWords {
		for i := range spans {
			a := align(toks, spans[i].Start, spans[i].End)
			if a.first > a.last || a.exact {
				continue
			}
			spans[i].Start, spans[i].End = min(spans[i].Start, toks[a.first].Start), max(spans[i].End, toks[a.last].End)
			lt.note(NoteWidened, 1)
		}
	} else {
		var n int
		toks, n = splitTokens(toks, spans, text, byteAt)
		lt.note(NoteSplit, n)
	}
	lt.toks = toks
	slices.SortStableFunc(spans, func(a, b tokSpan) int { return byStartLongest(a.Span, b.Span) })
	lt.spans = spans[:0]
	for _, sp := range spans {
		a := align(toks, sp.Start, sp.End)
		if a.first > a.last {
			report(Problem{Doc: d.Name, Layer: lw.Name, Err: fmt.Errorf("span [%d,%d) %s %q covers no token: left out", sp.Start, sp.End, sp.Label, text[byteAt[sp.Start]:byteAt[sp.End]])})
			continue
		}
		sp.first, sp.last = a.first, a.last
		lt.spans = append(lt.spans, sp)
	}
	lt.rows = append(lt.rows, 0)
	if unit != UnitDocument {
		if dt.ends == nil {
			dt.ends = sentenceEnds(d.Document)
		}
		// A row may not end inside a span: join[i] > 0 keeps tokens i and
		// i+1 in one row.
		join := make([]int, len(toks)+1)
		for _, sp := range lt.spans {
			join[sp.first]++
			join[sp.last]--
		}
		inside, e := 0, 0
		for i := 0; i+1 < len(toks); i++ {
			inside += join[i]
			for e < len(dt.ends) && dt.ends[e] < toks[i].End {
				e++
			}
			// A sentence ends between tokens i and i+1.
			if e < len(dt.ends) && dt.ends[e] <= toks[i+1].Start && inside == 0 {
				lt.rows = append(lt.rows, i+1)
			}
		}
	}
	lt.rows = append(lt.rows, len(toks))
	return lt
}

// splitTokens cuts tokens wherever a span starts or ends inside one; it
// returns the tokens and how many cuts it made. The piece before a cut has
// no space after it.
func splitTokens(toks []annotate.Token, spans []tokSpan, text string, byteAt []int) ([]annotate.Token, int) {
	cuts := make([]int, 0, 2*len(spans))
	for _, sp := range spans {
		cuts = append(cuts, sp.Start, sp.End)
	}
	sort.Ints(cuts)
	var out []annotate.Token // nil until a token is cut: toks as they are
	n, c := 0, 0
	for i, t := range toks {
		for c < len(cuts) && cuts[c] <= t.Start {
			c++
		}
		if c == len(cuts) || cuts[c] >= t.End {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make([]annotate.Token, i, len(toks)+len(cuts))
			copy(out, toks)
		}
		for c < len(cuts) && cuts[c] < t.End {
			at := cuts[c]
			out = append(out, annotate.Token{Start: t.Start, End: at, Text: text[byteAt[t.Start]:byteAt[at]]})
			t.Start, t.Text = at, text[byteAt[at]:byteAt[t.End]]
			n++
			for c < len(cuts) && cuts[c] <= at {
				c++
			}
		}
		out = append(out, t)
	}
	if out == nil {
		return toks, 0
	}
	return out, n
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

// iob2 tags the tokens for a layer's spans: B-LABEL on a span's first
// token, I-LABEL on the others, O elsewhere. A span that overlaps one
// tagged before it (an outer span comes first) is left out and reported.
// label turns a label into what the file holds.
func (lt *layerTokens) iob2(d *Doc, layer string, label func(string) string, report func(Problem)) []string {
	tags := make([]string, len(lt.toks))
	for i := range tags {
		tags[i] = "O"
	}
	for _, sp := range lt.spans {
		free := true
		for i := sp.first; i <= sp.last && free; i++ {
			free = tags[i] == "O"
		}
		if !free {
			report(Problem{Doc: d.Name, Layer: layer, Err: fmt.Errorf("span [%d,%d) %s %q overlaps another span: left out of the tags", sp.Start, sp.End, sp.Label, d.Text[d.tok.byteAt[sp.Start]:d.tok.byteAt[sp.End]])})
			continue
		}
		l := label(sp.Label)
		tags[sp.first] = "B-" + l
		for i := sp.first + 1; i <= sp.last; i++ {
			tags[i] = "I-" + l
		}
	}
	return tags
}

// fileLabel is a label as a format that splits at white space writes it
// (CoNLL, brat): white space, control and format characters become _.
func fileLabel(name string) string {
	if !strings.ContainsFunc(name, badLabelRune) {
		return name
	}
	return strings.Map(func(r rune) rune {
		if badLabelRune(r) {
			return '_'
		}
		return r
	}, name)
}

func badLabelRune(r rune) bool {
	return isSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// byStartLongest orders spans by start, the longer first (a cmp function).
func byStartLongest(a, b annotate.Span) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
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
