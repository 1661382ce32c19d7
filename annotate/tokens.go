package annotate

import (
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/segmenter"
	"github.com/rivo/uniseg"
)

// Token is a word, a number or a single punctuation mark or symbol of a
// text, at code-point offsets.
type Token struct {
	Start, End int
	Text       string
	// SpaceAfter reports whether white space follows the token.
	SpaceAfter bool
}

// Tokenize splits text by Unicode word segmentation (UAX #29): words and
// numbers are tokens, every other non-space grapheme cluster (punctuation,
// a symbol, an emoji with its modifiers, an emoji ZWJ sequence such as
// 👨‍👩‍👧, a flag) is a token of its own, white space separates tokens.
// Harakat and tatweel stay inside their word.
func Tokenize(text string) []Token {
	return tokenize(text, true)
}

// tokenize is Tokenize; fast lets it skip the segmenter for white-space
// separated chunks that are plainly one word (see plainWord), which is
// most of the text in alphabetic scripts and gives the same tokens.
func tokenize(text string, fast bool) []Token {
	runes := []rune(text)
	var seg segmenter.Segmenter
	var toks []Token
	// Tokens come in text order, so a cursor turns code points into byte
	// offsets, and a token's text is a substring of text, not a copy.
	cur, curByte := 0, 0
	toByte := func(i int) int {
		for ; cur < i; cur++ {
			curByte += utf8.RuneLen(runes[cur])
		}
		return curByte
	}
	valid := utf8.ValidString(text) // else []rune has U+FFFD where bytes were
	emit := func(s, e int) {
		if !valid {
			toks = append(toks, Token{Start: s, End: e, Text: string(runes[s:e])})
			return
		}
		b := toByte(s)
		toks = append(toks, Token{Start: s, End: e, Text: text[b:toByte(e)]})
	}
	// Clusters between words become tokens one grapheme at a time.
	skip := func(r rune) bool { return unicode.IsSpace(r) || isInvisibleControl(r) }
	// words segments runes[from:to] by UAX #29: its words, and the
	// grapheme clusters between them.
	words := func(from, to int) {
		seg.Init(runes[from:to])
		wi := seg.WordIterator()
		wordStart, wordEnd := -1, -1
		nextWord := func() {
			if wi.Next() {
				w := wi.Word()
				wordStart, wordEnd = from+w.Offset, from+w.Offset+len(w.Text)
			} else {
				wordStart, wordEnd = to, to
			}
		}
		nextWord()
		for gi := seg.GraphemeIterator(); gi.Next(); {
			g := gi.Grapheme()
			gs, ge := from+g.Offset, from+g.Offset+len(g.Text)
			if gs >= wordEnd && wordStart < to {
				nextWord()
			}
			switch {
			case gs == wordStart:
				emit(wordStart, wordEnd)
			case gs > wordStart && gs < wordEnd:
				// inside the word
			default:
				// A mark after a space is a cluster of its own that
				// starts with the space: the token is the mark.
				for gs < ge && skip(runes[gs]) {
					gs++
				}
				for ge > gs && skip(runes[ge-1]) {
					ge--
				}
				if gs < ge {
					emit(gs, ge)
				}
			}
		}
	}
	if !fast {
		words(0, len(runes))
	} else {
		for i := 0; i < len(runes); {
			if unicode.IsSpace(runes[i]) {
				i++
				continue
			}
			j := i
			for j < len(runes) && !unicode.IsSpace(runes[j]) {
				j++
			}
			// Punctuation before and after a plain word cannot join it
			// (nothing follows it inside the chunk for rules WB6, WB7,
			// WB11 and WB12 to apply).
			a, b := i, j
			for a < b && isPlainPunct(runes[a]) {
				a++
			}
			for b > a && isPlainPunct(runes[b-1]) {
				b--
			}
			if a < b && plainWord(runes[a:b]) {
				// Plain punctuation is one code point per cluster.
				for k := i; k < a; k++ {
					emit(k, k+1)
				}
				emit(a, b)
				for k := b; k < j; k++ {
					emit(k, k+1)
				}
			} else {
				words(i, j)
			}
			i = j
		}
	}
	for i := range toks {
		next := len(runes)
		if i+1 < len(toks) {
			next = toks[i+1].Start
		}
		toks[i].SpaceAfter = toks[i].End < next
	}
	return toks
}

// SentenceEnds returns the code-point offsets where the sentences of text
// end, by Unicode sentence segmentation (UAX #29): after a line break, and
// after a full stop, question or exclamation mark (؟ and ۔ too) that ends
// a sentence, with the spaces that follow it. Abbreviations (U.S. officials)
// and decimals (3.5) stay inside their sentence. The last offset is the
// text's length.
func SentenceEnds(text string) []int {
	var ends []int
	cp, state := 0, -1
	for len(text) > 0 {
		var s string
		s, text, state = uniseg.FirstSentenceInString(text, state)
		cp += utf8.RuneCountInString(s)
		ends = append(ends, cp)
	}
	return ends
}

// plainWord reports whether w is one UAX #29 word with nothing around it:
// a letter or digit, then letters, digits and combining marks only, all
// below U+0800 (Latin, Greek, Cyrillic, Hebrew, Arabic, ...), where every
// letter has Word_Break ALetter or Hebrew_Letter and every digit Numeric,
// so rules WB4, WB5 and WB8 to WB10 join them all.
func plainWord(w []rune) bool {
	for i, r := range w {
		if r >= 0x800 {
			return false
		}
		switch lowClass[r] {
		case lowAlnum:
		case lowMark:
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Classes of the code points below U+0800, looked up once.
const (
	lowOther = iota
	lowAlnum // a letter or a decimal digit
	lowMark  // a nonspacing mark (harakat, accents)
	lowPunct // punctuation but the apostrophe, see isPlainPunct
)

var lowClass = func() (t [0x800]uint8) {
	for r := range rune(len(t)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			t[r] = lowAlnum
		case unicode.Is(unicode.Mn, r):
			t[r] = lowMark
		case unicode.IsPunct(r) && r != '\'':
			t[r] = lowPunct
		}
	}
	return t
}()

// isPlainPunct is punctuation that never joins a word next to it at the
// edge of a chunk; the apostrophe can (WB7a: a Hebrew letter × ').
func isPlainPunct(r rune) bool { return r < 0x800 && lowClass[r] == lowPunct }

// isInvisibleControl is true for format characters that are not tokens of
// their own: bidi marks and controls, zero width joiners, the BOM.
func isInvisibleControl(r rune) bool { return unicode.Is(unicode.Cf, r) }
