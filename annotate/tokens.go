package annotate

import (
	"unicode"

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
	runes := []rune(text)
	var seg segmenter.Segmenter
	seg.Init(runes)
	var toks []Token
	emit := func(s, e int) {
		toks = append(toks, Token{Start: s, End: e, Text: string(runes[s:e])})
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
	pos := 0
	for it := seg.WordIterator(); it.Next(); {
		w := it.Word()
		gaps(pos, w.Offset)
		emit(w.Offset, w.Offset+len(w.Text))
		pos = w.Offset + len(w.Text)
	}
	gaps(pos, len(runes))
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
