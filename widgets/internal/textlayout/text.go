package textlayout

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// Para is one paragraph: the text [Start, End) and the offset Next where
// the following paragraph starts (after the separator).
type Para struct {
	Start, End, Next int
}

// Direction is the base direction of a document's paragraphs.
type Direction int

const (
	// Auto takes each paragraph's direction from its first strong
	// character (UAX #9 P2–P3); a paragraph without one takes the
	// direction of the document's first strong character.
	Auto Direction = iota
	// LTR forces every paragraph left to right.
	LTR
	// RTL forces every paragraph right to left.
	RTL
)

func (d Direction) String() string {
	switch d {
	case LTR:
		return "LTR"
	case RTL:
		return "RTL"
	}
	return "Auto"
}

// markEvery is the distance in code points between two entries of
// docText.marks.
const markEvery = 1024

// docText is a document's text, kept as the UTF-8 string it came as
// (a []rune would take more than twice the memory), with what maps code
// points to bytes: the paragraphs and the byte offset of every
// markEvery-th code point.
//
// Each byte that is not a UTF-8 continuation byte starts a code point, so
// for valid UTF-8 the offsets are those of []rune(text); in invalid UTF-8
// an undecodable sequence reads as U+FFFD.
type docText struct {
	s string
	n int // code points
	// starts holds where each paragraph's text starts: 4 bytes a
	// paragraph rather than a Para's 24. Its separator runs to the next
	// one's start, and is one code point long, or two where crlf has the
	// paragraph's bit (CR LF). Texts are limited to 2^31 code points.
	starts []int32
	crlf   []uint64
	marks  []int // marks[j]: byte offset of code point j*markEvery
}

// numParas returns the number of paragraphs (at least one).
func (t *docText) numParas() int { return len(t.starts) }

// para returns paragraph i.
func (t *docText) para(i int) Para {
	if i+1 == len(t.starts) { // the last, which no separator ends
		return Para{Start: int(t.starts[i]), End: t.n, Next: t.n}
	}
	next := int(t.starts[i+1])
	end := next - 1
	if w := i / 64; w < len(t.crlf) {
		end -= int(t.crlf[w] >> (i % 64) & 1)
	}
	return Para{Start: int(t.starts[i]), End: end, Next: next}
}

// allParas returns every paragraph.
func (t *docText) allParas() []Para {
	out := make([]Para, len(t.starts))
	for i := range out {
		out[i] = t.para(i)
	}
	return out
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// hasZero reports whether a byte of x is zero.
func hasZero(x uint64) bool { return (x-ones)&^x&highs != 0 }

// load64 reads 8 bytes of s at i, little endian.
func load64(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// indexText finds the paragraphs of s and counts its code points in one
// pass. Paragraphs are split at LF, CR LF, CR, NEL (U+0085), the
// information separators U+001C–U+001E and U+2029 (Bidi_Class B); there
// is always at least one. It reads eight bytes at a time where they hold
// no separator and no mark is due: separators are ASCII controls below
// 0x20 or start with the bytes C2 (NEL) or E2 (U+2029).
func indexText(s string) docText {
	t := docText{s: s}
	np := strings.Count(s, "\n") + 1
	t.starts = make([]int32, 0, np)
	t.marks = make([]int, 0, len(s)/markEvery+1)
	n, start := 0, 0
	for i := 0; i < len(s); {
		if m := n % markEvery; i+8 <= len(s) && m != 0 && m <= markEvery-8 {
			x := load64(s, i)
			// no byte below 0x20, none C2 or E2 (which differ in bit 5)
			if (x-0x20*ones)&^x&highs == 0 && !hasZero(x&(0xdf*ones)^0xc2*ones) {
				n += 8 - bits.OnesCount64(x&^(x<<1)&highs) // bytes 10xxxxxx continue a code point
				i += 8
				continue
			}
		}
		b := s[i]
		if b&0xc0 == 0x80 {
			i++
			continue
		}
		if n%markEvery == 0 {
			t.marks = append(t.marks, i)
		}
		n++
		next := n // where the next paragraph starts
		switch {
		case b == '\n' || b == 0x1c || b == 0x1d || b == 0x1e:
		case b == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				if n%markEvery == 0 {
					t.marks = append(t.marks, i)
				}
				n++
				next = n
				w := len(t.starts) / 64
				for len(t.crlf) <= w {
					t.crlf = append(t.crlf, 0)
				}
				t.crlf[w] |= 1 << (len(t.starts) % 64)
			}
		case b == 0xc2 && strings.HasPrefix(s[i:], "\u0085"), b == 0xe2 && strings.HasPrefix(s[i:], "\u2029"):
		default:
			i++
			continue
		}
		t.starts = append(t.starts, int32(start))
		start = next
		i++
	}
	t.n = n
	t.starts = append(t.starts, int32(start))
	return t
}

// byteOf returns the byte offset of code point off (len(s) at the end).
func (t *docText) byteOf(off int) int {
	if off >= t.n {
		return len(t.s)
	}
	b := t.marks[off/markEvery]
	for k := off % markEvery; k > 0; k-- {
		b++
		for b < len(t.s) && t.s[b]&0xc0 == 0x80 {
			b++
		}
	}
	return b
}

// slice returns the text of code points [start, end).
func (t *docText) slice(start, end int) string {
	if start >= end {
		return ""
	}
	return t.s[t.byteOf(start):t.byteOf(end)]
}

// decode appends the code points [start, end) to dst.
func (t *docText) decode(dst []rune, start, end int) []rune {
	s := t.s
	b := t.byteOf(start)
	for k := start; k < end; k++ {
		r, size := utf8.DecodeRuneInString(s[b:])
		b += size
		for b < len(s) && s[b]&0xc0 == 0x80 {
			b++
		}
		dst = append(dst, r)
	}
	return dst
}
