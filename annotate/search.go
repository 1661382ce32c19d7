package annotate

import (
	"errors"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search rules every store shares, so that a query finds the same
// documents on each of them.
//
// Text is folded by Fold before it is indexed or compared: harakat,
// tatweel and invisible format characters removed, alef forms as ا, ى as
// ي, ة as ه, Latin letters lower-cased and without accents. A store
// indexes, per document, the folded words of its name and text in order
// (SearchBody). A query word finds the word itself and the word with
// Arabic proclitics attached (و ف ب ك ل ال and their combinations; the
// word keeps at least two letters): مصر finds مصر, ومصر and بمصر; ومصر
// finds only ومصر. A word ending in * is a prefix; "quoted words" are a
// phrase, whose first word may carry proclitics too; terms are ANDed
// (ParseQuery, Forms, MatchesQuery).

// ErrBadQuery is returned for a search query with no word in it.
var ErrBadQuery = errors.New("search query has no words")

// IsHaraka reports whether r is an Arabic diacritic or tatweel: what
// search and "label all occurrences" ignore.
func IsHaraka(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r >= 0x0610 && r <= 0x061A:
		return true
	case r == 0x0640: // tatweel
		return true
	}
	return false
}

// foldRune folds one rune for search, or returns -1 to drop it.
func foldRune(r rune) rune {
	if r = foldArabic(r); r < 0 {
		return r
	}
	r = unicode.ToLower(r)
	if 0xC0 <= r && r < 0x250 {
		return latinBase[r-0xC0]
	}
	return r
}

// foldArabic is search's folding without lower-casing: what names are
// compared with (FindOccurrences, Matcher), where Apple is not apple.
func foldArabic(r rune) rune {
	if IsHaraka(r) || unicode.Is(unicode.Cf, r) {
		return -1
	}
	return foldLetter(r)
}

// foldLetter folds the Arabic letters search does not tell apart: alef
// with hamza, madda or wasla is alef, ى is ي, ة is ه.
func foldLetter(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ى':
		return 'ي'
	case 'ة':
		return 'ه'
	}
	return r
}

// latinBase maps the Latin letters U+00C0 to U+024F to their letter
// without accents (é → e), where Unicode decomposes them so.
var latinBase = func() (t [0x250 - 0xC0]rune) {
	for i := range t {
		r := rune(0xC0 + i)
		t[i] = r
		d := []rune(norm.NFD.String(string(r)))
		if len(d) > 1 && d[0] < 0x80 {
			base := true
			for _, m := range d[1:] {
				base = base && unicode.Is(unicode.Mn, m)
			}
			if base {
				t[i] = d[0]
			}
		}
	}
	return t
}()

// Fold folds text the way search compares it: harakat, tatweel and
// invisible format characters removed, alef forms as ا, ى as ي, ة as ه,
// letters lower-cased, Latin letters without their accents.
func Fold(text string) string {
	return strings.Map(foldRune, text)
}

// SearchWords splits folded text into words: runs of letters and digits.
func SearchWords(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// proclitics are the letter sequences that can be attached in front of an
// Arabic word, longest first: a conjunction (و ف), then a preposition
// (ب ك ل), then the article (ال); ل + ال is written لل. Folded (no hamza).
var proclitics = []string{
	"وبال", "وكال", "فبال", "فكال", "ولل", "فلل",
	"وال", "فال", "بال", "كال", "لل",
	"ال", "وب", "وك", "ول", "فب", "فك", "فل",
	"و", "ف", "ب", "ك", "ل",
}

// SearchBody is what a store's index holds for a document's name and
// text: its folded words in order, each followed by a space
// (SearchWords(Fold(text)), in one pass over the text: it runs over
// whole corpora).
func SearchBody(text string) string {
	return string(AppendSearchBody(make([]byte, 0, len(text)+1), text))
}

// AppendSearchBody appends SearchBody(text) to dst. The bodies of a name
// and a text appended one after the other are the body of both, joined
// by a line break.
func AppendSearchBody(dst []byte, text string) []byte {
	inWord := false
	for i := 0; i < len(text); {
		// ASCII and the Arabic letters, most of any text, are read and
		// written as bytes.
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				if inWord {
					dst = append(dst, ' ')
					inWord = false
				}
				continue
			}
			dst = append(dst, c)
			inWord = true
			continue
		}
		if (c == 0xD8 || c == 0xD9) && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			// U+0600 to U+067F
			if r := rune(c&0x1F)<<6 | rune(text[i+1]&0x3F); 0x0621 <= r && r <= 0x063A || 0x0641 <= r && r <= 0x064A {
				r = foldLetter(r)
				dst = append(dst, byte(0xC0|r>>6), byte(0x80|r&0x3F))
				inWord = true
				i += 2
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		f := foldFast(r)
		switch {
		case f < 0:
			// dropped: harakat, tatweel, format characters
		case isWordChar(f):
			dst = utf8.AppendRune(dst, f)
			inWord = true
		case inWord:
			dst = append(dst, ' ')
			inWord = false
		}
	}
	if inWord {
		dst = append(dst, ' ')
	}
	return dst
}

// Forms are the indexed words a folded query word w finds: w, and, when w
// is an Arabic word of two letters or more, w with each combination of
// proclitics in front.
func Forms(w string) []string {
	out := []string{w}
	if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Arabic, r) && atLeastTwoRunes(w) {
		for _, p := range proclitics {
			out = append(out, p+w)
		}
	}
	return out
}

// foldFast is foldRune with the common cases (ASCII and the Arabic
// letters) decided without Unicode's tables.
func foldFast(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case 0x0621 <= r && r <= 0x063A, 0x0641 <= r && r <= 0x064A:
		return foldLetter(r)
	}
	return foldRune(r)
}

// isWordChar is the test of SearchWords (a letter or a digit), with the
// common cases decided without Unicode's tables.
func isWordChar(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case 0x0621 <= r && r <= 0x063A, 0x0641 <= r && r <= 0x064A:
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func atLeastTwoRunes(s string) bool {
	_, n := utf8.DecodeRuneInString(s)
	return n > 0 && n < len(s)
}

// QueryTerm is one term of a parsed search query: one folded word, or a
// phrase of several; Prefix makes the last word a prefix.
type QueryTerm struct {
	Words  []string
	Phrase bool
	Prefix bool
}

// ParseQuery reads what a user typed into the search box: words (ANDed),
// "quoted phrases", and a trailing * for a prefix. It returns ErrBadQuery
// when no word is left.
func ParseQuery(q string) ([]QueryTerm, error) {
	var terms []QueryTerm
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			if ws := SearchWords(Fold(part)); len(ws) > 0 {
				terms = append(terms, QueryTerm{Words: ws, Phrase: true})
			}
			continue
		}
		for _, f := range strings.Fields(part) {
			prefix := strings.HasSuffix(f, "*")
			ws := SearchWords(Fold(f))
			for k, w := range ws {
				terms = append(terms, QueryTerm{Words: []string{w}, Prefix: prefix && k == len(ws)-1})
			}
		}
	}
	if len(terms) == 0 {
		return nil, ErrBadQuery
	}
	return terms, nil
}

// ValidSearch reports whether q can be searched for (it has a word).
func ValidSearch(q string) error {
	_, err := ParseQuery(q)
	return err
}

// MatchesQuery reports whether a document whose SearchBody is body
// matches the parsed query, as a full-text index of its words does: each
// term's words stand one after the other among the body's words, the
// first of them in one of its Forms.
func MatchesQuery(body string, terms []QueryTerm) bool {
	seq := strings.Fields(body)
	for _, t := range terms {
		forms := t.forms()
		found := false
		for i := range seq {
			if found = t.at(seq, i, forms); found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// forms are the word sequences the term finds: its words, the first of
// them in each of its Forms.
func (t QueryTerm) forms() [][]string {
	var out [][]string
	for _, first := range Forms(t.Words[0]) {
		out = append(out, append([]string{first}, t.Words[1:]...))
	}
	return out
}

// at reports whether one of the term's forms stands at seq[i:].
func (t QueryTerm) at(seq []string, i int, forms [][]string) bool {
	for _, words := range forms {
		if i+len(words) <= len(seq) && phraseAt(seq[i:], words, t.Prefix) {
			return true
		}
	}
	return false
}

// phraseAt reports whether seq starts with phrase's words, the last of
// them a prefix when prefix is set.
func phraseAt(seq, phrase []string, prefix bool) bool {
	for k, w := range phrase {
		if !wordMatches(seq[k], w, prefix && k == len(phrase)-1) {
			return false
		}
	}
	return true
}

func wordMatches(w, want string, prefix bool) bool {
	if prefix {
		return strings.HasPrefix(w, want)
	}
	return w == want
}

// --- occurrences -----------------------------------------------------------

// Occurrence is a place where a string occurs in a text as a whole word,
// or with Arabic proclitics attached in front of it (Proclitic says which,
// as written; Start and End then cover the string without them).
// Offsets are code points.
type Occurrence struct {
	Start, End int
	Proclitic  string
}

// isWordRune is true for the characters that continue a word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 0x0640
}

// FindOccurrences returns the occurrences of needle in text, in text
// order, by the rules of Matcher: Arabic folded as search folds it
// (harakat, tatweel and invisible marks ignored on both sides, alef
// forms, ى and ة compared as ا, ي and ه) but case kept; a match is a
// whole word, or a word whose front is a combination of proclitics
// (و ف ب ك ل ال) followed by needle.
func FindOccurrences(text, needle string) []Occurrence {
	var m Matcher
	if m.Add(needle) < 0 {
		return nil
	}
	found := m.Find(text)
	if len(found) == 0 {
		return nil
	}
	out := make([]Occurrence, len(found))
	for i, f := range found {
		out[i] = f.Occurrence
	}
	return out
}

// Matcher finds many names in a text in one pass, each by the rules of
// FindOccurrences: label-all-occurrences and the recommender share it.
// The zero value is empty and ready to use; it is not safe for
// concurrent use while names are added.
type Matcher struct {
	names []matcherName
	index map[string]int // folded name → its index
	// byWord holds, under a name's first folded word, the names that
	// start with it; loose holds the names that start with a character
	// outside words (a bracket), which are looked for anywhere.
	byWord map[string][]int
	loose  []int
}

type matcherName struct {
	folded   string
	runes    int
	lastWord bool // its last character continues a word: the text's word must end there
}

// Match is an occurrence of the name Add numbered Name.
type Match struct {
	Occurrence
	Name int
}

// Add adds a name and returns its number: the same number for names that
// fold alike, -1 for a name with nothing to find.
func (m *Matcher) Add(name string) int {
	folded := strings.Map(foldArabic, name)
	if folded == "" {
		return -1
	}
	if i, ok := m.index[folded]; ok {
		return i
	}
	// A copy: name can be a slice of a long text (what was labelled in
	// an article), which a slice kept here would keep alive whole.
	folded = strings.Clone(folded)
	if m.index == nil {
		m.index, m.byWord = map[string]int{}, map[string][]int{}
	}
	last, _ := utf8.DecodeLastRuneInString(folded)
	first, _ := utf8.DecodeRuneInString(folded)
	i := len(m.names)
	m.names = append(m.names, matcherName{folded: folded, runes: utf8.RuneCountInString(folded), lastWord: isWordRune(last)})
	m.index[folded] = i
	if !isWordRune(first) {
		m.loose = append(m.loose, i)
		return i
	}
	w := folded
	if end := strings.IndexFunc(folded, func(r rune) bool { return !isWordRune(r) }); end >= 0 {
		w = folded[:end]
	}
	m.byWord[w] = append(m.byWord[w], i)
	return i
}

// Len is the number of names added (folded alike counted once).
func (m *Matcher) Len() int { return len(m.names) }

// foldedText is a text folded by foldArabic, with the way back.
type foldedText struct {
	s  string // the folded text
	r  []rune // its runes
	by []int  // by[i]: byte offset in s of rune i; by[len(r)] = len(s)
	at []int  // at[i]: code-point offset in the original of rune i
}

func foldText(text string) foldedText {
	var b strings.Builder
	b.Grow(len(text))
	f := foldedText{r: make([]rune, 0, len(text)/2), by: make([]int, 0, len(text)/2+1), at: make([]int, 0, len(text)/2)}
	cp := 0
	for _, r := range text {
		if fr := foldArabic(r); fr >= 0 {
			f.by = append(f.by, b.Len())
			f.at = append(f.at, cp)
			f.r = append(f.r, fr)
			b.WriteRune(fr)
		}
		cp++
	}
	f.s = b.String()
	f.by = append(f.by, len(f.s))
	return f
}

// Find returns the occurrences of every name in text, ordered by start,
// longer first at the same start. Occurrences of different names (and
// of one name with several words) may overlap.
func (m *Matcher) Find(text string) []Match {
	if len(m.names) == 0 {
		return nil
	}
	f := foldText(text)
	var tr []rune // the original text, when a proclitic is to be shown
	var out []Match
	add := func(name, i, k int) {
		j := i + m.names[name].runes
		start, end := f.at[i], f.at[j-1]+1
		if tr == nil {
			tr = []rune(text)
		}
		for end < len(tr) && IsHaraka(tr[end]) {
			end++ // the last letter's harakat belong to the match
		}
		o := Match{Occurrence: Occurrence{Start: start, End: end}, Name: name}
		if k < i {
			o.Proclitic = string(tr[f.at[k]:start])
		}
		out = append(out, o)
	}
	// tryAt matches the names whose first word is the rest of the word
	// [k, e) from i on.
	tryAt := func(i, k, e int) {
		for _, n := range m.byWord[f.s[f.by[i]:f.by[e]]] {
			nm := m.names[n]
			j := i + nm.runes
			if j > len(f.r) || !strings.HasPrefix(f.s[f.by[i]:], nm.folded) {
				continue
			}
			if nm.lastWord && j < len(f.r) && isWordRune(f.r[j]) {
				continue // the word goes on
			}
			add(n, i, k)
		}
	}
	for k := 0; k < len(f.r); k++ {
		if !isWordRune(f.r[k]) || k > 0 && isWordRune(f.r[k-1]) {
			continue
		}
		e := k + 1
		for e < len(f.r) && isWordRune(f.r[e]) {
			e++
		}
		tryAt(k, k, e)
		word := f.s[f.by[k]:f.by[e]]
		for _, p := range proclitics {
			if len(p) < len(word) && strings.HasPrefix(word, p) {
				tryAt(k+utf8.RuneCountInString(p), k, e)
			}
		}
	}
	for _, n := range m.loose {
		nm := m.names[n]
		for from := 0; ; {
			at := strings.Index(f.s[from:], nm.folded)
			if at < 0 {
				break
			}
			i := sort.SearchInts(f.by, from+at)
			if j := i + nm.runes; !nm.lastWord || j == len(f.r) || !isWordRune(f.r[j]) {
				add(n, i, i)
			}
			_, size := utf8.DecodeRuneInString(f.s[from+at:])
			from += at + size
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Start != out[b].Start {
			return out[a].Start < out[b].Start
		}
		return out[a].End > out[b].End
	})
	return out
}

// DocOccurrence is an occurrence in a document of the corpus.
type DocOccurrence struct {
	DocID   int64
	DocName string
	Text    string // the document's text, shared by its occurrences
	Occurrence
}
