package textlayout

// Para is one paragraph: the text [Start, End) and the offset Next where
// the following paragraph starts (after the separator).
type Para struct {
	Start, End, Next int
}

// SplitParagraphs splits text at paragraph separators: LF, CR LF, CR,
// NEL (U+0085), the information separators U+001C–U+001E and U+2029
// (Bidi_Class B). The result always has at least one paragraph.
func SplitParagraphs(text []rune) []Para {
	var out []Para
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n', '\r', 0x85, 0x1c, 0x1d, 0x1e, 0x2029:
			next := i + 1
			if text[i] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
			out = append(out, Para{Start: start, End: i, Next: next})
			start = next
			i = next - 1
		}
	}
	out = append(out, Para{Start: start, End: len(text), Next: len(text)})
	return out
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
