// Package bidi resolves the embedding levels of a paragraph with the Unicode
// Bidirectional Algorithm (UAX #9): paragraph level (P2–P3), explicit
// embeddings, overrides and isolates (X1–X10), weak types (W1–W7), paired
// brackets (N0), neutrals (N1–N2), implicit levels (I1–I2), the per-line
// reset of trailing white space (L1) and reordering (L2).
//
// Character classes come from golang.org/x/text/unicode/bidi, whose
// algorithm is unfinished; its data tables are complete. Bracket pairs come
// from the Bidi_Mirroring_Glyph property (go-text/typesetting), which pairs
// every bracket of BidiBrackets.txt.
package bidi

import (
	xbidi "golang.org/x/text/unicode/bidi"

	"github.com/go-text/typesetting/unicodedata"
)

// Class is a Unicode Bidi_Class value.
type Class uint8

// The Bidi_Class values.
const (
	L Class = iota
	R
	AL
	EN
	ES
	ET
	AN
	CS
	NSM
	BN
	B
	S
	WS
	ON
	LRE
	LRO
	RLE
	RLO
	PDF
	LRI
	RLI
	FSI
	PDI
)

var fromX = [...]Class{
	xbidi.L: L, xbidi.R: R, xbidi.EN: EN, xbidi.ES: ES, xbidi.ET: ET, xbidi.AN: AN,
	xbidi.CS: CS, xbidi.B: B, xbidi.S: S, xbidi.WS: WS, xbidi.ON: ON, xbidi.BN: BN,
	xbidi.NSM: NSM, xbidi.AL: AL, xbidi.Control: ON,
	xbidi.LRO: LRO, xbidi.RLO: RLO, xbidi.LRE: LRE, xbidi.RLE: RLE, xbidi.PDF: PDF,
	xbidi.LRI: LRI, xbidi.RLI: RLI, xbidi.FSI: FSI, xbidi.PDI: PDI,
}

// ClassOf returns the Bidi_Class of r.
func ClassOf(r rune) Class {
	if r < 0x80 {
		return asciiClass[r]
	}
	p, _ := xbidi.LookupRune(r)
	c := p.Class()
	if int(c) < len(fromX) {
		return fromX[c]
	}
	return ON
}

var asciiClass [0x80]Class

func init() {
	for r := rune(0); r < 0x80; r++ {
		p, _ := xbidi.LookupRune(r)
		asciiClass[r] = fromX[p.Class()]
	}
}

// IsStrong reports whether c is L, R or AL.
func (c Class) IsStrong() bool { return c == L || c == R || c == AL }

func isIsolateInitiator(c Class) bool { return c == LRI || c == RLI || c == FSI }

// removedByX9 reports classes that rule X9 takes out of the resolution.
func removedByX9(c Class) bool {
	switch c {
	case LRE, RLE, LRO, RLO, PDF, BN:
		return true
	}
	return false
}

const maxDepth = 125

// Paragraph is the resolved bidi state of one paragraph.
type Paragraph struct {
	// Level is the paragraph embedding level: 0 (LTR) or 1 (RTL).
	Level uint8
	// Levels holds each code point's resolved level after rules I1–I2,
	// before the per-line rule L1.
	Levels []uint8
	// Classes holds each code point's original Bidi_Class.
	Classes []Class
}

// FirstStrong applies rules P2–P3 to text: it returns 0 for a paragraph
// whose first strong character (skipping isolated content) is L, 1 for R or
// AL, and ok false when there is no strong character.
func FirstStrong(text []rune) (level uint8, ok bool) {
	classes := make([]Class, len(text))
	for i, r := range text {
		classes[i] = ClassOf(r)
	}
	return firstStrong(classes, 0, len(classes))
}

func firstStrong(classes []Class, start, end int) (uint8, bool) {
	depth := 0
	for i := start; i < end; i++ {
		switch c := classes[i]; {
		case isIsolateInitiator(c):
			depth++
		case c == PDI:
			if depth > 0 {
				depth--
			}
		case c == B:
			return 0, false
		case depth == 0 && c == L:
			return 0, true
		case depth == 0 && (c == R || c == AL):
			return 1, true
		}
	}
	return 0, false
}

// Resolve runs the algorithm over one paragraph. level is 0 or 1 to force
// the paragraph level, or -1 to find it with P2–P3, using fallback when the
// paragraph has no strong character.
func Resolve(text []rune, level int, fallback uint8) Paragraph {
	n := len(text)
	classes := make([]Class, n)
	for i, r := range text {
		classes[i] = ClassOf(r)
	}
	p := Paragraph{Classes: classes, Levels: make([]uint8, n)}
	switch level {
	case 0, 1:
		p.Level = uint8(level)
	default:
		if l, ok := firstStrong(classes, 0, n); ok {
			p.Level = l
		} else {
			p.Level = fallback & 1
		}
	}
	if n == 0 {
		return p
	}
	r := resolver{text: text, orig: classes, types: make([]Class, n), levels: p.Levels, para: p.Level}
	copy(r.types, classes)
	r.matchIsolates()
	r.explicit()
	r.runSequences()
	r.fillRemoved()
	return p
}

type resolver struct {
	text   []rune
	orig   []Class // original classes
	types  []Class // classes as the rules change them
	levels []uint8
	para   uint8
	// matchPDI[i] is the index of the PDI matching the isolate initiator
	// at i, or -1; matchInit is the reverse.
	matchPDI, matchInit []int
}

// matchIsolates pairs isolate initiators with their PDIs (BD9).
func (r *resolver) matchIsolates() {
	n := len(r.orig)
	r.matchPDI = make([]int, n)
	r.matchInit = make([]int, n)
	var stack []int
	for i, c := range r.orig {
		r.matchPDI[i], r.matchInit[i] = -1, -1
		switch {
		case isIsolateInitiator(c):
			stack = append(stack, i)
		case c == PDI && len(stack) > 0:
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			r.matchPDI[j], r.matchInit[i] = i, j
		}
	}
}

type status struct {
	level    uint8
	override Class // ON for none, L or R
	isolate  bool
}

func nextOdd(l uint8) uint8 {
	if l%2 == 0 {
		return l + 1
	}
	return l + 2
}

func nextEven(l uint8) uint8 {
	if l%2 == 0 {
		return l + 2
	}
	return l + 1
}

// explicit applies X1–X8.
func (r *resolver) explicit() {
	stack := []status{{level: r.para, override: ON}}
	overflowIsolates, overflowEmbeddings, validIsolates := 0, 0, 0
	for i, c := range r.orig {
		last := stack[len(stack)-1]
		switch c {
		case RLE, LRE, RLO, LRO:
			r.levels[i] = last.level
			var nl uint8
			if c == RLE || c == RLO {
				nl = nextOdd(last.level)
			} else {
				nl = nextEven(last.level)
			}
			if nl <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				ov := ON
				if c == RLO {
					ov = R
				} else if c == LRO {
					ov = L
				}
				stack = append(stack, status{level: nl, override: ov})
			} else if overflowIsolates == 0 {
				overflowEmbeddings++
			}
		case RLI, LRI, FSI:
			r.levels[i] = last.level
			if last.override != ON {
				r.types[i] = last.override
			}
			rtl := c == RLI
			if c == FSI {
				end := r.matchPDI[i]
				if end < 0 {
					end = len(r.orig)
				}
				l, _ := firstStrong(r.orig, i+1, end)
				rtl = l == 1
			}
			var nl uint8
			if rtl {
				nl = nextOdd(last.level)
			} else {
				nl = nextEven(last.level)
			}
			if nl <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				validIsolates++
				stack = append(stack, status{level: nl, override: ON, isolate: true})
			} else {
				overflowIsolates++
			}
		case PDI:
			if overflowIsolates > 0 {
				overflowIsolates--
			} else if validIsolates > 0 {
				overflowEmbeddings = 0
				for !stack[len(stack)-1].isolate {
					stack = stack[:len(stack)-1]
				}
				stack = stack[:len(stack)-1]
				validIsolates--
			}
			last = stack[len(stack)-1]
			r.levels[i] = last.level
			if last.override != ON {
				r.types[i] = last.override
			}
		case PDF:
			r.levels[i] = last.level
			if overflowIsolates > 0 {
			} else if overflowEmbeddings > 0 {
				overflowEmbeddings--
			} else if !last.isolate && len(stack) >= 2 {
				stack = stack[:len(stack)-1]
			}
		case B:
			r.levels[i] = r.para
		case BN:
			r.levels[i] = last.level
		default:
			r.levels[i] = last.level
			if last.override != ON {
				r.types[i] = last.override
			}
		}
	}
}

// runSequences applies X10 and resolves each isolating run sequence.
func (r *resolver) runSequences() {
	// Level runs over the characters X9 keeps.
	var runs [][]int
	var cur []int
	lastLevel := -1
	for i, c := range r.orig {
		if removedByX9(c) {
			continue
		}
		if int(r.levels[i]) != lastLevel && cur != nil {
			runs = append(runs, cur)
			cur = nil
		}
		cur = append(cur, i)
		lastLevel = int(r.levels[i])
	}
	if cur != nil {
		runs = append(runs, cur)
	}
	// Which run starts at each index.
	runAt := make(map[int]int, len(runs))
	for k, run := range runs {
		runAt[run[0]] = k
	}
	for _, run := range runs {
		first := run[0]
		if r.orig[first] == PDI && r.matchInit[first] >= 0 {
			continue // continues the sequence of its initiator
		}
		seq := append([]int(nil), run...)
		for {
			lastIdx := seq[len(seq)-1]
			if !isIsolateInitiator(r.orig[lastIdx]) || r.matchPDI[lastIdx] < 0 {
				break
			}
			k, ok := runAt[r.matchPDI[lastIdx]]
			if !ok {
				break
			}
			seq = append(seq, runs[k]...)
		}
		r.resolveSequence(seq)
	}
}

// neighbourLevel returns the level of the kept character before (dir -1) or
// after (dir +1) index i, or the paragraph level.
func (r *resolver) neighbourLevel(i, dir int) uint8 {
	for j := i + dir; j >= 0 && j < len(r.orig); j += dir {
		if !removedByX9(r.orig[j]) {
			return r.levels[j]
		}
	}
	return r.para
}

func dirOf(level uint8) Class {
	if level%2 == 1 {
		return R
	}
	return L
}

// strongOf maps a resolved type to L or R for N0–N2 (numbers count as R),
// or ON when it is neither.
func strongOf(c Class) Class {
	switch c {
	case L:
		return L
	case R, AL, EN, AN:
		return R
	}
	return ON
}

func isNI(c Class) bool {
	switch c {
	case B, S, WS, ON, LRI, RLI, FSI, PDI:
		return true
	}
	return false
}

func (r *resolver) resolveSequence(seq []int) {
	level := r.levels[seq[0]]
	sos := dirOf(max(level, r.neighbourLevel(seq[0], -1)))
	lastIdx := seq[len(seq)-1]
	var after uint8
	if isIsolateInitiator(r.orig[lastIdx]) {
		after = r.para
	} else {
		after = r.neighbourLevel(lastIdx, +1)
	}
	eos := dirOf(max(level, after))
	n := len(seq)
	t := make([]Class, n)
	for k, i := range seq {
		t[k] = r.types[i]
	}

	// W1
	prev := sos
	for k := range t {
		if t[k] == NSM {
			if k > 0 && (isIsolateInitiator(t[k-1]) || t[k-1] == PDI) {
				t[k] = ON
			} else {
				t[k] = prev
			}
		}
		prev = t[k]
	}
	// W2, W3
	lastStrong := sos
	for k := range t {
		switch t[k] {
		case L, R, AL:
			lastStrong = t[k]
		case EN:
			if lastStrong == AL {
				t[k] = AN
			}
		}
	}
	for k := range t {
		if t[k] == AL {
			t[k] = R
		}
	}
	// W4
	for k := 1; k+1 < n; k++ {
		switch t[k] {
		case ES:
			if t[k-1] == EN && t[k+1] == EN {
				t[k] = EN
			}
		case CS:
			if t[k-1] == t[k+1] && (t[k-1] == EN || t[k-1] == AN) {
				t[k] = t[k-1]
			}
		}
	}
	// W5
	for k := 0; k < n; k++ {
		if t[k] != ET {
			continue
		}
		e := k
		for e < n && t[e] == ET {
			e++
		}
		if (k > 0 && t[k-1] == EN) || (e < n && t[e] == EN) {
			for j := k; j < e; j++ {
				t[j] = EN
			}
		}
		k = e - 1
	}
	// W6
	for k := range t {
		switch t[k] {
		case ES, ET, CS:
			t[k] = ON
		}
	}
	// W7
	lastStrong = sos
	for k := range t {
		switch t[k] {
		case L, R:
			lastStrong = t[k]
		case EN:
			if lastStrong == L {
				t[k] = L
			}
		}
	}
	e := dirOf(level)
	r.resolveBrackets(seq, t, sos, e)
	// N1, N2
	for k := 0; k < n; k++ {
		if !isNI(t[k]) {
			continue
		}
		end := k
		for end < n && isNI(t[end]) {
			end++
		}
		before := sos
		if k > 0 {
			before = strongOf(t[k-1])
		}
		afterT := eos
		if end < n {
			afterT = strongOf(t[end])
		}
		set := e
		if before == afterT && before != ON {
			set = before
		}
		for j := k; j < end; j++ {
			t[j] = set
		}
		k = end - 1
	}
	// I1, I2
	for k, i := range seq {
		l := r.levels[i]
		if l%2 == 0 {
			switch t[k] {
			case R:
				l++
			case AN, EN:
				l += 2
			}
		} else {
			switch t[k] {
			case L, EN, AN:
				l++
			}
		}
		r.levels[i] = l
		r.types[i] = t[k]
	}
}

const maxBracketStack = 63

type bracketPair struct{ open, close int }

func canonicalBracket(r rune) rune {
	switch r {
	case 0x2329:
		return 0x3008
	case 0x232A:
		return 0x3009
	}
	return r
}

// resolveBrackets applies N0 to one isolating run sequence.
func (r *resolver) resolveBrackets(seq []int, t []Class, sos, e Class) {
	type opener struct {
		pos   int
		close rune
	}
	var stack []opener
	var pairs []bracketPair
	for k, i := range seq {
		if t[k] != ON {
			continue
		}
		ch := r.text[i]
		p, _ := xbidi.LookupRune(ch)
		if !p.IsBracket() {
			continue
		}
		if p.IsOpeningBracket() {
			if len(stack) == maxBracketStack {
				break
			}
			m, _ := unicodedata.LookupMirrorChar(ch)
			stack = append(stack, opener{k, canonicalBracket(m)})
			continue
		}
		c := canonicalBracket(ch)
		for s := len(stack) - 1; s >= 0; s-- {
			if stack[s].close == c {
				pairs = append(pairs, bracketPair{stack[s].pos, k})
				stack = stack[:s]
				break
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	// Sort by opening position (insertion sort: pairs are few).
	for a := 1; a < len(pairs); a++ {
		for b := a; b > 0 && pairs[b].open < pairs[b-1].open; b-- {
			pairs[b], pairs[b-1] = pairs[b-1], pairs[b]
		}
	}
	o := L
	if e == L {
		o = R
	}
	for _, pr := range pairs {
		foundE, foundO := false, false
		for k := pr.open + 1; k < pr.close; k++ {
			switch strongOf(t[k]) {
			case e:
				foundE = true
			case o:
				foundO = true
			}
		}
		var set Class
		switch {
		case foundE:
			set = e
		case foundO:
			ctx := sos
			for k := pr.open - 1; k >= 0; k-- {
				if s := strongOf(t[k]); s != ON {
					ctx = s
					break
				}
			}
			if ctx == o {
				set = o
			} else {
				set = e
			}
		default:
			continue
		}
		for _, k := range [2]int{pr.open, pr.close} {
			t[k] = set
			for j := k + 1; j < len(seq) && r.orig[seq[j]] == NSM; j++ {
				t[j] = set
			}
		}
	}
}

// fillRemoved gives the characters X9 removed the level of the character
// before them (or the paragraph level), as section 5.2 suggests.
func (r *resolver) fillRemoved() {
	prev := r.para
	for i, c := range r.orig {
		if removedByX9(c) {
			r.levels[i] = prev
			continue
		}
		prev = r.levels[i]
	}
}

// LineLevels returns the levels of the line text[start:end] of p after rule
// L1: segment and paragraph separators, and white space (with isolate
// formatting characters and characters X9 removed) before them or at the
// end of the line, go back to the paragraph level. dst is reused if large
// enough.
func (p Paragraph) LineLevels(start, end int, dst []uint8) []uint8 {
	n := end - start
	if cap(dst) < n {
		dst = make([]uint8, n)
	}
	dst = dst[:n]
	copy(dst, p.Levels[start:end])
	trailing := true // inside white space that runs to the line end or to S/B
	for k := n - 1; k >= 0; k-- {
		switch c := p.Classes[start+k]; {
		case c == S || c == B:
			dst[k] = p.Level
			trailing = true
		case c == WS || isIsolateInitiator(c) || c == PDI || removedByX9(c):
			if trailing {
				dst[k] = p.Level
			}
		default:
			trailing = false
		}
	}
	return dst
}

// Reorder applies L2 to levels: it returns, for each visual position from
// left to right, the index of the item shown there. dst is reused if large
// enough.
func Reorder(levels []uint8, dst []int) []int {
	n := len(levels)
	if cap(dst) < n {
		dst = make([]int, n)
	}
	dst = dst[:n]
	var hi, loOdd uint8 = 0, 255
	for k, l := range levels {
		dst[k] = k
		hi = max(hi, l)
		if l%2 == 1 {
			loOdd = min(loOdd, l)
		}
	}
	for lv := hi; lv >= loOdd && lv > 0; lv-- {
		for k := 0; k < n; {
			if levels[dst[k]] < lv {
				k++
				continue
			}
			e := k
			for e < n && levels[dst[e]] >= lv {
				e++
			}
			for a, b := k, e-1; a < b; a, b = a+1, b-1 {
				dst[a], dst[b] = dst[b], dst[a]
			}
			k = e
		}
	}
	return dst
}
