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
//
// The package passes every case of Unicode's conformance files for UAX #9
// (BidiTest.txt and BidiCharacterTest.txt, Unicode 15): levels, paragraph
// levels and order. Characters that rule X9 removes get a level too (see
// Paragraph.Levels), so that a caller can shape every character.
package bidi

import (
	"sort"
	"strconv"
	"sync"

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

var classNames = [...]string{
	L: "L", R: "R", AL: "AL", EN: "EN", ES: "ES", ET: "ET", AN: "AN", CS: "CS",
	NSM: "NSM", BN: "BN", B: "B", S: "S", WS: "WS", ON: "ON", LRE: "LRE",
	LRO: "LRO", RLE: "RLE", RLO: "RLO", PDF: "PDF", LRI: "LRI", RLI: "RLI",
	FSI: "FSI", PDI: "PDI",
}

// String returns the class's short name, as the Unicode data files write it.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "Class(" + strconv.Itoa(int(c)) + ")"
}

var fromX = [...]Class{
	xbidi.L: L, xbidi.R: R, xbidi.EN: EN, xbidi.ES: ES, xbidi.ET: ET, xbidi.AN: AN,
	xbidi.CS: CS, xbidi.B: B, xbidi.S: S, xbidi.WS: WS, xbidi.ON: ON, xbidi.BN: BN,
	xbidi.NSM: NSM, xbidi.AL: AL, xbidi.Control: ON,
	xbidi.LRO: LRO, xbidi.RLO: RLO, xbidi.LRE: LRE, xbidi.RLE: RLE, xbidi.PDF: PDF,
	xbidi.LRI: LRI, xbidi.RLI: RLI, xbidi.FSI: FSI, xbidi.PDI: PDI,
}

// ClassOf returns the Bidi_Class of r.
func ClassOf(r rune) Class {
	if r >= 0 && r < rune(len(lowClass)) {
		return lowClass[r]
	}
	return lookupClass(r)
}

func lookupClass(r rune) Class {
	p, _ := xbidi.LookupRune(r)
	c := p.Class()
	if int(c) < len(fromX) {
		return fromX[c]
	}
	return ON
}

// lowClass holds the classes of Latin, Greek, Cyrillic, Hebrew and Arabic
// (U+0000–U+08FF), the text Qalam shows most, so that they need no trie
// lookup.
var lowClass [0x900]Class

func init() {
	for r := range rune(len(lowClass)) {
		lowClass[r] = lookupClass(r)
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

// explicitClass reports the classes that rules X1–X9 act on: embeddings,
// overrides, isolates and boundary neutrals. A paragraph without them has
// one level run at the paragraph level.
func explicitClass(c Class) bool { return c == BN || c >= LRE }

// maxDepth is the deepest explicit embedding level (BD2).
const maxDepth = 125

// Paragraph is the resolved bidi state of one paragraph.
type Paragraph struct {
	// Level is the paragraph embedding level: 0 (LTR) or 1 (RTL).
	Level uint8
	// Levels holds each code point's resolved level after rules I1–I2,
	// before the per-line rule L1. Characters that rule X9 removes
	// (embedding and override controls, boundary neutrals) take the level
	// of the character before them, or the paragraph level at its start.
	Levels []uint8
	// Classes holds each code point's original Bidi_Class.
	Classes []Class
}

// FirstStrong applies rules P2–P3 to text: it returns 0 for a paragraph
// whose first strong character (skipping isolated content) is L, 1 for R or
// AL, and ok false when there is no strong character.
func FirstStrong(text []rune) (level uint8, ok bool) { return firstStrongOf(text, ClassOf) }

// firstStrong is FirstStrong over classes[start:end].
func firstStrong(classes []Class, start, end int) (uint8, bool) {
	return firstStrongOf(classes[start:end], func(c Class) Class { return c })
}

// firstStrongOf is FirstStrong over xs, whose Bidi_Class class gives.
func firstStrongOf[T rune | Class](xs []T, class func(T) Class) (uint8, bool) {
	depth := 0
	for _, x := range xs {
		switch c := class(x); {
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
	p := Paragraph{Classes: make([]Class, n), Levels: make([]uint8, n)}
	explicit := false
	for i, r := range text {
		c := ClassOf(r)
		p.Classes[i] = c
		explicit = explicit || explicitClass(c)
	}
	switch level {
	case 0, 1:
		p.Level = uint8(level)
	default:
		if l, ok := firstStrong(p.Classes, 0, n); ok {
			p.Level = l
		} else {
			p.Level = fallback & 1
		}
	}
	if n == 0 {
		return p
	}
	r := resolvers.Get().(*resolver)
	r.reset(text, p)
	r.hasExplicit = explicit
	if explicit {
		r.matchIsolates()
		r.explicit()
	} else {
		for i := range r.levels {
			r.levels[i] = p.Level
		}
	}
	r.runSequences()
	r.implicit()
	r.text, r.orig, r.levels = nil, nil, nil
	resolvers.Put(r)
	return p
}

// resolver holds the state of one resolution; its buffers are reused
// across paragraphs (resolvers).
type resolver struct {
	text   []rune
	orig   []Class // original classes
	types  []Class // classes as the rules change them
	levels []uint8 // embedding levels (X1–X8), then resolved levels (I1–I2)
	para   uint8
	// matchPDI[i] is the index of the PDI matching the isolate initiator
	// at i, or -1; matchInit is the reverse (BD9).
	matchPDI, matchInit []int
	hasExplicit         bool // classes that X1–X9 act on are present
	hasIsolates         bool

	stack   []status
	runs    []levelRun
	seq     []int   // indexes of the current isolating run sequence
	t       []Class // the sequence's types
	openers []opener
	pairs   []bracketPair
}

var resolvers = sync.Pool{New: func() any { return new(resolver) }}

func (r *resolver) reset(text []rune, p Paragraph) {
	n := len(text)
	r.text, r.orig, r.levels, r.para = text, p.Classes, p.Levels, p.Level
	r.types = grow(r.types, n)
	copy(r.types, p.Classes)
	r.hasIsolates = false
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// matchIsolates pairs isolate initiators with their PDIs (BD9).
func (r *resolver) matchIsolates() {
	n := len(r.orig)
	r.matchPDI = grow(r.matchPDI, n)
	r.matchInit = grow(r.matchInit, n)
	open := r.seq[:0] // initiators not yet matched
	for i, c := range r.orig {
		r.matchPDI[i], r.matchInit[i] = -1, -1
		switch {
		case isIsolateInitiator(c):
			open = append(open, i)
			r.hasIsolates = true
		case c == PDI && len(open) > 0:
			j := open[len(open)-1]
			open = open[:len(open)-1]
			r.matchPDI[j], r.matchInit[i] = i, j
		case c == B:
			open = open[:0]
		}
	}
	r.seq = open[:0]
}

type status struct {
	level    uint8
	override Class // ON for none, L or R
	isolate  bool
}

func nextOdd(l uint8) uint8 { return (l + 1) | 1 }

func nextEven(l uint8) uint8 { return (l + 2) &^ 1 }

// explicit applies X1–X8, setting the embedding level of every character
// (characters X9 removes included, though their level does not count) and
// the type of those under an override.
func (r *resolver) explicit() {
	stack := append(r.stack[:0], status{level: r.para, override: ON})
	overflowIsolates, overflowEmbeddings, validIsolates := 0, 0, 0
	for i, c := range r.orig {
		last := stack[len(stack)-1]
		switch c {
		case RLE, LRE, RLO, LRO: // X2–X5
			r.levels[i] = last.level
			nl := nextEven(last.level)
			if c == RLE || c == RLO {
				nl = nextOdd(last.level)
			}
			if nl <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				ov := ON
				switch c {
				case RLO:
					ov = R
				case LRO:
					ov = L
				}
				stack = append(stack, status{level: nl, override: ov})
			} else if overflowIsolates == 0 {
				overflowEmbeddings++
			}
		case RLI, LRI, FSI: // X5a–X5c
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
			nl := nextEven(last.level)
			if rtl {
				nl = nextOdd(last.level)
			}
			if nl <= maxDepth && overflowIsolates == 0 && overflowEmbeddings == 0 {
				validIsolates++
				stack = append(stack, status{level: nl, override: ON, isolate: true})
			} else {
				overflowIsolates++
			}
		case PDI: // X6a
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
		case PDF: // X7
			r.levels[i] = last.level
			if overflowIsolates > 0 {
			} else if overflowEmbeddings > 0 {
				overflowEmbeddings--
			} else if !last.isolate && len(stack) >= 2 {
				stack = stack[:len(stack)-1]
			}
		case B: // X8
			r.levels[i] = r.para
			stack = append(stack[:0], status{level: r.para, override: ON})
			overflowIsolates, overflowEmbeddings, validIsolates = 0, 0, 0
		case BN: // removed by X9
			r.levels[i] = last.level
		default: // X6
			r.levels[i] = last.level
			if last.override != ON {
				r.types[i] = last.override
			}
		}
	}
	r.stack = stack[:0]
}

// levelRun is a level run (BD7) over the characters X9 keeps: its first
// and last kept characters are at start and end-1; characters X9 removed
// may lie between.
type levelRun struct{ start, end int }

// runSequences applies X9 and X10: it splits the paragraph into level
// runs, chains them into isolating run sequences (BD13) and resolves the
// types of each (W1–W7, N0–N2). The levels are still the embedding
// levels: implicit turns them into resolved levels afterwards, so that
// every sequence finds its neighbours' embedding levels for sos and eos.
func (r *resolver) runSequences() {
	if !r.hasExplicit {
		// One level run at the paragraph level, one sequence.
		r.resolveSequence(nil)
		return
	}
	runs := r.runs[:0]
	cur := levelRun{-1, -1}
	for i, c := range r.orig {
		if removedByX9(c) {
			continue
		}
		if cur.start >= 0 && r.levels[i] != r.levels[cur.start] {
			runs = append(runs, cur)
			cur.start = -1
		}
		if cur.start < 0 {
			cur.start = i
		}
		cur.end = i + 1
	}
	if cur.start >= 0 {
		runs = append(runs, cur)
	}
	r.runs = runs
	for k, run := range runs {
		if r.hasIsolates && r.orig[run.start] == PDI && r.matchInit[run.start] >= 0 {
			continue // it continues the sequence of its initiator
		}
		seq := r.seq[:0]
		for {
			for i := run.start; i < run.end; i++ {
				if !removedByX9(r.orig[i]) {
					seq = append(seq, i)
				}
			}
			last := run.end - 1
			if !r.hasIsolates || !isIsolateInitiator(r.orig[last]) || r.matchPDI[last] < 0 {
				break
			}
			pdi := r.matchPDI[last]
			k += sort.Search(len(runs)-k, func(j int) bool { return runs[k+j].start >= pdi })
			if k == len(runs) || runs[k].start != pdi {
				break
			}
			run = runs[k]
		}
		r.seq = seq
		r.resolveSequence(seq)
	}
}

// neighbourLevel returns the embedding level of the character X9 keeps
// before (dir -1) or after (dir +1) index i, or the paragraph level.
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

// resolveSequence applies W1–W7 and N0–N2 to one isolating run sequence,
// given by the indexes of its characters, leaving the resolved types in
// r.types. A nil seq stands for the whole paragraph, resolved in place.
func (r *resolver) resolveSequence(seq []int) {
	n := len(r.orig)
	first, lastIdx := 0, n-1
	t := r.types
	if seq != nil {
		n = len(seq)
		first, lastIdx = seq[0], seq[n-1]
		t = grow(r.t, n)
		r.t = t
		for k, i := range seq {
			t[k] = r.types[i]
		}
	}
	level := r.levels[first]
	sos := dirOf(max(level, r.neighbourLevel(first, -1)))
	after := r.para
	if !isIsolateInitiator(r.orig[lastIdx]) {
		after = r.neighbourLevel(lastIdx, +1)
	}
	eos := dirOf(max(level, after))

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
		case L, R:
			lastStrong = t[k]
		case AL:
			lastStrong = AL
			t[k] = R
		case EN:
			if lastStrong == AL {
				t[k] = AN
			}
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
	// W6, W7
	lastStrong = sos
	for k := range t {
		switch t[k] {
		case ES, ET, CS:
			t[k] = ON
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
		if before == afterT {
			set = before
		}
		for j := k; j < end; j++ {
			t[j] = set
		}
		k = end - 1
	}
	for k, i := range seq {
		r.types[i] = t[k]
	}
}

// index returns the paragraph index of the k-th character of seq (see
// resolveSequence).
func index(seq []int, k int) int {
	if seq == nil {
		return k
	}
	return seq[k]
}

// implicit applies I1–I2 to the characters X9 keeps, and gives those it
// removed the level of the character before them (or the paragraph
// level), as section 5.2 of UAX #9 suggests.
func (r *resolver) implicit() {
	prev := r.para
	for i, c := range r.orig {
		if removedByX9(c) {
			r.levels[i] = prev
			continue
		}
		l := r.levels[i]
		if l%2 == 0 {
			switch r.types[i] {
			case R:
				l++
			case AN, EN:
				l += 2
			}
		} else {
			switch r.types[i] {
			case L, EN, AN:
				l++
			}
		}
		r.levels[i] = l
		prev = l
	}
}

// MaxBracketStack is the depth of BD16's stack of opening brackets.
const MaxBracketStack = 63

type opener struct {
	pos   int  // index into the sequence
	close rune // the closing bracket that matches it
}

type bracketPair struct{ open, close int }

// CanonicalBracket maps the angle brackets U+2329/U+232A to their
// canonical equivalents U+3008/U+3009, as BD16 compares them, so that
// either closes the other.
func CanonicalBracket(r rune) rune {
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
	// BD16: pair the brackets whose type is still ON.
	stack, pairs := r.openers[:0], r.pairs[:0]
	defer func() { r.openers, r.pairs = stack[:0], pairs[:0] }()
	for k := range t {
		if t[k] != ON {
			continue
		}
		ch := r.text[index(seq, k)]
		p, _ := xbidi.LookupRune(ch)
		if !p.IsBracket() {
			continue
		}
		if p.IsOpeningBracket() {
			if len(stack) == MaxBracketStack {
				break
			}
			m, _ := unicodedata.LookupMirrorChar(ch)
			stack = append(stack, opener{k, CanonicalBracket(m)})
			continue
		}
		c := CanonicalBracket(ch)
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
	sort.Slice(pairs, func(a, b int) bool { return pairs[a].open < pairs[b].open })
	o := L
	if e == L {
		o = R
	}
	for _, pr := range pairs {
		foundE, foundO := false, false
		for k := pr.open + 1; k < pr.close && !foundE; k++ {
			switch strongOf(t[k]) {
			case e:
				foundE = true
			case o:
				foundO = true
			}
		}
		var set Class
		switch {
		case foundE: // N0 b
			set = e
		case foundO: // N0 c
			ctx := sos
			for k := pr.open - 1; k >= 0; k-- {
				if s := strongOf(t[k]); s != ON {
					ctx = s
					break
				}
			}
			set = e
			if ctx == o {
				set = o
			}
		default: // N0 d
			continue
		}
		for _, k := range [2]int{pr.open, pr.close} {
			t[k] = set
			// Marks (NSM before W1) that follow the bracket take its type.
			for j := k + 1; j < len(t) && r.orig[index(seq, j)] == NSM; j++ {
				t[j] = set
			}
		}
	}
}

// LineLevels returns the levels of the line text[start:end] of p after rule
// L1: segment and paragraph separators, and white space (with isolate
// formatting characters and characters X9 removed) before them or at the
// end of the line, go back to the paragraph level. dst is reused if large
// enough.
func (p Paragraph) LineLevels(start, end int, dst []uint8) []uint8 {
	n := end - start
	dst = grow(dst, n)
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
	dst = grow(dst, n)
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
