package annotate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
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
// mark is removed and nothing else is changed. It refuses what CheckText
// refuses.
func CleanText(b []byte) (string, error) {
	s := string(bytes.TrimPrefix(b, utf8BOM))
	if err := CheckText(s); err != nil {
		return "", err
	}
	return s, nil
}

// CheckText refuses what cannot be a document's text: nothing but white
// space, invalid UTF-8, and binary data (NUL and the other C0 control
// characters but tab, line feed and carriage return, and DEL: UTF-16 read
// as UTF-8 is full of them), saying where the first bad byte is. The C1
// controls (U+0080 to U+009F) are kept: real corpora hold them where
// Windows-1252 was decoded as Latin-1, and UTF-16 cannot produce them.
func CheckText(s string) error {
	if strings.TrimSpace(s) == "" {
		return ErrEmptyText
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Errorf("%w (NUL byte at %s)", ErrBinaryText, where(s, i))
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Errorf("%w: byte 0x%02X at %s", ErrInvalidUTF8, s[i], where(s, i))
		case (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f:
			return fmt.Errorf("%w (control character U+%04X at %s)", ErrBinaryText, r, where(s, i))
		}
	}
	return nil
}

// where names byte offset i of s by its line and offset.
func where(s string, i int) string {
	return fmt.Sprintf("line %d, byte offset %d", 1+strings.Count(s[:i], "\n"), i)
}

// Hash is the hex SHA-256 of a document's text, which identifies the
// document across projects and imports.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// RuneLen is a text's length in code points, the unit of every offset.
func RuneLen(text string) int { return utf8.RuneCountInString(text) }

// Head is the start of text: its first n code points, or all of it when
// it is shorter.
func Head(text string, n int) string {
	i := 0
	for range max(n, 0) {
		if i >= len(text) {
			return text
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return text[:i]
}

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
