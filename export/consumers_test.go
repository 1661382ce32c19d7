package export

// Exports read back by the rules of the programs that consume them,
// written in Go from their documented behaviour and their code:
//
//   - transformers' legacy token-classification reader and Hugging Face
//     datasets' conll2003 script: a line starting with -DOCSTART- or a
//     blank line ends a sentence, others are split on ONE space, the token
//     is the first field and the tag the last;
//   - spaCy's convert (conll_ner_to_docs): documents are cut at the exact
//     text "-DOCSTART- -X- O O", sentences at blank lines, lines split at
//     any white space (Python's str.split());
//   - spaCy's Doc(words, spaces) and Doc.char_span(start, end) in its
//     default strict mode: a span is a Span only when it starts at a
//     token's start and ends at a token's end of a Doc whose text is the
//     record's.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/qalam-annotate/qalam/annotate"
)

// pySplit is Python's str.split() without arguments.
func pySplit(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) })
}

// oneSpaceSentences reads CoNLL as transformers' legacy reader and the
// conll2003 script do.
func oneSpaceSentences(conll string) [][][2]string {
	var sents [][][2]string
	var cur [][2]string
	for _, line := range strings.SplitAfter(conll, "\n") {
		if strings.HasPrefix(line, "-DOCSTART-") || line == "" || line == "\n" {
			if len(cur) > 0 {
				sents = append(sents, cur)
				cur = nil
			}
			continue
		}
		splits := strings.Split(line, " ")
		tag := "O"
		if len(splits) > 1 {
			tag = strings.TrimRight(splits[len(splits)-1], "\n")
		}
		cur = append(cur, [2]string{splits[0], tag})
	}
	if len(cur) > 0 {
		sents = append(sents, cur)
	}
	return sents
}

// spacyConvertDocs reads CoNLL as spaCy's conll_ner_to_docs does: the
// documents, each a list of sentences of (word, tag).
func spacyConvertDocs(t *testing.T, conll string) [][][][2]string {
	var docs [][][][2]string
	for _, doc := range strings.Split(strings.TrimSpace(conll), "-DOCSTART- -X- O O") {
		doc = strings.TrimSpace(doc)
		if doc == "" {
			continue
		}
		var sents [][][2]string
		for _, sent := range strings.Split(doc, "\n\n") {
			sent = strings.TrimSpace(sent)
			if sent == "" {
				continue
			}
			var words [][2]string
			for _, line := range strings.Split(sent, "\n") {
				if strings.TrimSpace(line) == "" {
					continue
				}
				cols := pySplit(line)
				if len(cols) < 2 {
					t.Fatalf("spaCy: the token-per-line NER file is not formatted correctly: %q", line)
				}
				words = append(words, [2]string{cols[0], cols[len(cols)-1]})
			}
			sents = append(sents, words)
		}
		docs = append(docs, sents)
	}
	return docs
}

// entities decodes IOB2 tags into "LABEL:first-last" over a sentence.
func entities(words [][2]string) []string {
	var tags []tag
	for _, w := range words {
		tg, _ := parseTag(w[1], false)
		tags = append(tags, tg)
	}
	var out []string
	for _, s := range decodeTags(tags) {
		var ws []string
		for _, w := range words[s.first : s.last+1] {
			ws = append(ws, w[0])
		}
		out = append(out, s.label+":"+strings.Join(ws, " "))
	}
	return out
}

// The CoNLL export read as transformers, datasets and spaCy read it gives
// every entity of the layer, with the token texts the spans cover; a tab
// separated export read by the one-space rule loses them all, which is
// why one space is the default.
func TestCoNLLAsConsumersReadIt(t *testing.T) {
	m := fixture()
	dir := t.TempDir()
	out := filepath.Join(dir, "ali.conll")
	exportFrom(t, m, Options{Format: "conll", Output: out, Layer: "ali"})
	b, _ := os.ReadFile(out)
	conll := string(b)

	// What the spans of ali cover, trimmed, in document order.
	var want []string
	for _, d := range m.docs {
		l := d.Layers["ali"]
		if l == nil || l.Status != annotate.Done {
			continue
		}
		for _, sp := range l.Spans {
			text, _ := annotate.Slice(d.Text, sp.Start, sp.End)
			want = append(want, sp.Label+":"+strings.Join(tokenList(Tokens(annotate.NewDocument("", text, d.Meta))).texts(), " "))
		}
	}

	var got []string
	for _, s := range oneSpaceSentences(conll) {
		got = append(got, entities(s)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("one-space readers find\n%q\nwant\n%q", got, want)
	}
	docs := spacyConvertDocs(t, conll)
	if len(docs) != 4 {
		t.Errorf("spaCy finds %d documents, want 4 (-DOCSTART- before each)", len(docs))
	}
	var spacy []string
	for _, d := range docs {
		for _, s := range d {
			spacy = append(spacy, entities(s)...)
		}
	}
	if !slices.Equal(spacy, want) {
		t.Errorf("spaCy finds\n%q\nwant\n%q", spacy, want)
	}
	if !strings.HasPrefix(conll, "-DOCSTART- -X- O O\n\n") {
		t.Errorf("the export does not start with -DOCSTART- -X- O O and a blank line: %q", clip(conll, 40))
	}

	tab := filepath.Join(dir, "tab.conll")
	exportFrom(t, m, Options{Format: "conll", Output: tab, Layer: "ali", Sep: SepTab})
	b, _ = os.ReadFile(tab)
	lost := 0
	for _, s := range oneSpaceSentences(string(b)) {
		lost += len(entities(s))
	}
	if lost != 0 {
		t.Errorf("a tab-separated file read by the one-space rule should show no entity, shows %d", lost)
	}
}

// texts lists the tokens' texts.
type tokenList []annotate.Token

func (l tokenList) texts() []string {
	var out []string
	for _, t := range l {
		out = append(out, t.Text)
	}
	return out
}

// spacyDoc is spaCy's Doc(vocab, words, spaces): its text and each
// token's character offset.
type spacyDoc struct {
	text  []rune
	idx   []int
	words []string
}

func newSpacyDoc(words []string, spaces []bool) spacyDoc {
	var d spacyDoc
	for i, w := range words {
		d.idx = append(d.idx, len(d.text))
		d.text = append(d.text, []rune(w)...)
		if spaces[i] {
			d.text = append(d.text, ' ')
		}
	}
	d.words = words
	return d
}

// charSpan is Doc.char_span(start, end) in strict mode: the tokens
// [first, last], or ok false (None).
func (d spacyDoc) charSpan(start, end int) (first, last int, ok bool) {
	first, last = -1, -1
	for i, x := range d.idx {
		if x == start {
			first = i
		}
		if x+len([]rune(d.words[i])) == end {
			last = i
		}
	}
	return first, last, first >= 0 && last >= first
}

// The JSONL export builds spaCy Docs whose text is the record's, and
// every span is a char_span of it, starting and ending on the tokens the
// record names: for the fixture, for every text of the Arabic sample, and
// for spans that leave out a proclitic or end before 's.
func TestJSONLAsSpacyReadsIt(t *testing.T) {
	m := fixture()
	text := "زار ولبنان وبمصر  مع Blue Smoke's فرقة\n\nثم 👨\u200d👩\u200d👧 🇸🇦."
	m.addDoc("proclitics", text, "", map[string]annotate.Status{"ali": annotate.Done}, map[string][]string{
		"ali": {spanAt(text, "لبنان", 1, "PLACE"), spanAt(text, "مصر", 1, "PLACE"), spanAt(text, "Blue Smoke", 1, "ORG"), spanAt(text, "👨\u200d👩\u200d👧 ", 1, "EVENT")},
	})
	out := filepath.Join(t.TempDir(), "ali.jsonl")
	exportFrom(t, m, Options{Format: "jsonl", Output: out, Layer: "ali"})
	b, _ := os.ReadFile(out)
	recs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec struct {
			Text   string `json:"text"`
			Tokens []struct {
				Text       string `json:"text"`
				Start, End int
				ID         int  `json:"id"`
				WS         bool `json:"ws"`
			} `json:"tokens"`
			Spans []struct {
				Start, End int
				TokenStart int `json:"token_start"`
				TokenEnd   int `json:"token_end"`
				Label      string
			} `json:"spans"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		recs++
		var words []string
		var spaces []bool
		for i, tok := range rec.Tokens {
			if tok.ID != i {
				t.Fatalf("token %d has id %d", i, tok.ID)
			}
			words = append(words, tok.Text)
			spaces = append(spaces, tok.WS)
		}
		doc := newSpacyDoc(words, spaces)
		if string(doc.text) != rec.Text {
			t.Errorf("Doc(words, spaces).text is %q, the record's text %q", string(doc.text), rec.Text)
			continue
		}
		for i, tok := range rec.Tokens {
			if doc.idx[i] != tok.Start || doc.idx[i]+len([]rune(tok.Text)) != tok.End {
				t.Errorf("token %q at [%d,%d), Doc puts it at %d", tok.Text, tok.Start, tok.End, doc.idx[i])
			}
		}
		for _, sp := range rec.Spans {
			first, last, ok := doc.charSpan(sp.Start, sp.End)
			if !ok || first != sp.TokenStart || last != sp.TokenEnd {
				t.Errorf("%q: char_span(%d, %d) %s = tokens %d-%d (ok %v); the record says %d-%d", clip(rec.Text, 20), sp.Start, sp.End, sp.Label, first, last, ok, sp.TokenStart, sp.TokenEnd)
			}
		}
		if strings.HasPrefix(rec.Text, "زار") {
			want := []string{"و", "لبنان", "وب", "مصر", "Smoke", "'s", "👨\u200d👩\u200d👧", "🇸🇦"}
			for _, w := range want {
				if !slices.Contains(words, w) {
					t.Errorf("no token %q in %q", w, words)
				}
			}
		}
	}
	if recs != 5 {
		t.Errorf("%d records", recs)
	}
	_ = fmt.Sprint
}

// The hf export read as Hugging Face datasets' JSON builder reads it: every
// line an object with the same keys, "tokens" and "ner_tags" lists of
// strings of one length, no token empty or holding white space, and tags
// valid IOB2 as seqeval checks them (an I- follows a B- or I- of its
// label); one row per sentence, so no row runs past its sentence.
func TestHFAsDatasetsReadIt(t *testing.T) {
	m := fixture()
	out := filepath.Join(t.TempDir(), "ali.jsonl")
	exportFrom(t, m, Options{Format: "hf", Output: out, Layer: "ali"})
	b, _ := os.ReadFile(out)
	rows := 0
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var row map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		if len(row) != 3 || row["id"] == nil {
			t.Errorf("keys %v", row)
		}
		var toks, tags []string
		if json.Unmarshal(row["tokens"], &toks) != nil || json.Unmarshal(row["ner_tags"], &tags) != nil || len(toks) != len(tags) {
			t.Fatalf("row %s", line)
		}
		var words [][2]string
		for i, tok := range toks {
			if tok == "" || len(pySplit(tok)) != 1 {
				t.Errorf("token %q", tok)
			}
			if strings.HasPrefix(tags[i], "I-") && (i == 0 || tags[i-1][2:] != tags[i][2:]) {
				t.Errorf("%q after %q is not IOB2", tags[i], tags[max(i-1, 0)])
			}
			words = append(words, [2]string{tok, tags[i]})
		}
		got = append(got, entities(words)...)
		rows++
	}
	if rows != 5 {
		t.Errorf("%d rows, want 5 (the first document has two sentences)", rows)
	}
	if len(got) != 12 {
		t.Errorf("entities %q", got)
	}
}
