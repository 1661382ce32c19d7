package annotate

import (
	"fmt"
	"unicode/utf8"
)

// OffsetUnit names how an offset counts positions in a text.
type OffsetUnit string

const (
	CodePoints OffsetUnit = "codepoints" // Go []rune, Python str: Qalam's own unit
	UTF16      OffsetUnit = "utf16"      // JavaScript string indexes
	Bytes      OffsetUnit = "bytes"      // UTF-8 bytes
)

// ParseOffsetUnit accepts the unit names used on the command line.
func ParseOffsetUnit(s string) (OffsetUnit, error) {
	switch OffsetUnit(s) {
	case CodePoints, UTF16, Bytes:
		return OffsetUnit(s), nil
	case "cp", "codepoint", "runes":
		return CodePoints, nil
	case "utf-16", "u16":
		return UTF16, nil
	case "utf8", "utf-8":
		return Bytes, nil
	}
	return "", fmt.Errorf("unknown offset unit %q (want codepoints, utf16 or bytes)", s)
}

// OffsetMap converts code-point offsets of one text to another unit and
// back. Building it is O(len(text)); each conversion is O(1) to the unit
// and O(log n) from it.
type OffsetMap struct {
	unit OffsetUnit
	// to[i] is the offset in unit of code point i; len(to) = runes+1.
	to []int
}

// NewOffsetMap prepares conversions between code points and unit for text.
func NewOffsetMap(text string, unit OffsetUnit) *OffsetMap {
	m := &OffsetMap{unit: unit}
	if unit == CodePoints {
		return m
	}
	m.to = make([]int, 0, len(text)+1)
	pos := 0
	for bi, r := range text {
		if unit == Bytes {
			pos = bi
		}
		m.to = append(m.to, pos)
		if unit == UTF16 {
			if r >= 0x10000 {
				pos += 2
			} else {
				pos++
			}
		}
	}
	if unit == Bytes {
		pos = len(text)
	}
	m.to = append(m.to, pos)
	return m
}

// Unit is the unit the map converts to.
func (m *OffsetMap) Unit() OffsetUnit { return m.unit }

// From converts a code-point offset to the map's unit.
func (m *OffsetMap) From(cp int) int {
	if m.unit == CodePoints || cp < 0 || cp >= len(m.to) {
		return cp
	}
	return m.to[cp]
}

// To converts an offset in the map's unit to code points. It returns false
// when the offset falls inside a code point (a byte in the middle of a
// UTF-8 sequence, or between the halves of a surrogate pair) or outside
// the text.
func (m *OffsetMap) To(off int) (int, bool) {
	if m.unit == CodePoints {
		return off, off >= 0
	}
	lo, hi := 0, len(m.to)-1
	for lo <= hi {
		mid := (lo + hi) / 2
		switch v := m.to[mid]; {
		case v == off:
			return mid, true
		case v < off:
			lo = mid + 1
		default:
			hi = mid - 1
		}
	}
	return 0, false
}

// RuneOffsets returns, for text, the byte index of every code point plus
// len(text) at the end: the table behind code-point slicing of long texts.
func RuneOffsets(text string) []int {
	idx := make([]int, 0, utf8.RuneCountInString(text)+1)
	for i := range text {
		idx = append(idx, i)
	}
	return append(idx, len(text))
}
