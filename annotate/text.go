package annotate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Text errors returned by CleanText; callers add the file (and line) name.
var (
	ErrEmptyText   = errors.New("empty text")
	ErrBinaryText  = errors.New("binary data, not text")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// CleanText turns received bytes into a document text: the UTF-8 byte order
// mark is removed and nothing else is changed. It refuses empty input (or
// input of white space only), binary data and invalid UTF-8, saying where
// the first bad byte is.
func CleanText(b []byte) (string, error) {
	b = bytes.TrimPrefix(b, utf8BOM)
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmptyText
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return "", fmt.Errorf("%w (NUL byte at byte %d)", ErrBinaryText, i)
	}
	if !utf8.Valid(b) {
		off := firstInvalidUTF8(b)
		line := 1 + bytes.Count(b[:off], []byte{'\n'})
		return "", fmt.Errorf("%w: byte 0x%02X at line %d, byte offset %d", ErrInvalidUTF8, b[off], line, off)
	}
	return string(b), nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// Hash is the hex SHA-256 of a document's text, which identifies the
// document across projects and imports.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// RuneLen is a text's length in code points, the unit of every offset.
func RuneLen(text string) int { return utf8.RuneCountInString(text) }

// Slice returns text[start:end] in code points. It returns false when the
// range is not inside the text.
func Slice(text string, start, end int) (string, bool) {
	if start < 0 || end < start {
		return "", false
	}
	i, b0, b1 := 0, -1, -1
	for bi := range text {
		if i == start {
			b0 = bi
		}
		if i == end {
			b1 = bi
			break
		}
		i++
	}
	if b0 < 0 && i == start {
		b0 = len(text)
	}
	if b1 < 0 && i == end {
		b1 = len(text)
	}
	if b0 < 0 || b1 < 0 {
		return "", false
	}
	return text[b0:b1], true
}
