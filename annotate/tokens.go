package annotate

import (
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/segmenter"
)

// Token is a word, a number or a single punctuation mark or symbol of a
// text, at code-point offsets.
type Token struct {
	Start, End int
	Text       string
	// SpaceAfter reports whether white space follows the token.
	SpaceAfter bool
	// SentenceEnd marks the last token of a sentence: a full stop, question
	// or exclamation mark (Arabic ones too) followed by space, or the last
	// token before a line break.
	SentenceEnd bool
}

// Tokenize splits text by Unicode word segmentation (UAX #29): words and
// numbers are tokens, every other non-space character cluster (punctuation,
// symbols, emoji) is a token of its own, white space separates tokens.
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
	gaps := func(from, to int) {
		for i := from; i < to; {
			if unicode.IsSpace(runes[i]) || isInvisibleControl(runes[i]) {
				i++
				continue
			}
			j := i + 1
			for j < to && isExtend(runes[j]) {
				j++
			}
			emit(i, j)
			i = j
		}
	}
	// words segments runes[from:to] by UAX #29.
	words := func(from, to int) {
		seg.Init(runes[from:to])
		pos := from
		for it := seg.WordIterator(); it.Next(); {
			w := it.Word()
			start := from + w.Offset
			gaps(pos, start)
			emit(start, start+len(w.Text))
			pos = start + len(w.Text)
		}
		gaps(pos, to)
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
				gaps(i, a)
				emit(a, b)
				gaps(b, j)
			} else {
				words(i, j)
			}
			i = j
		}
	}
	for i := range toks {
		end := toks[i].End
		next := len(runes)
		if i+1 < len(toks) {
			next = toks[i+1].Start
		}
		toks[i].SpaceAfter = end < next
		lineBreak := false
		for _, r := range runes[end:next] {
			if r == '\n' || r == '\r' || r == '\u2029' {
				lineBreak = true
			}
		}
		last := runes[end-1]
		toks[i].SentenceEnd = lineBreak || i == len(toks)-1 ||
			(toks[i].SpaceAfter && isSentenceFinal(last))
	}
	return toks
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

func isExtend(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me) || r == '\u200d' || r == '\ufe0f' || (r >= 0x1f3fb && r <= 0x1f3ff) // skin tones
}

// isInvisibleControl is true for format characters that are not tokens of
// their own: bidi marks and controls, zero width joiners, the BOM.
func isInvisibleControl(r rune) bool { return unicode.Is(unicode.Cf, r) }

func isSentenceFinal(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', '۔', '…', '。':
		return true
	}
	return false
}
