package bidi

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Unicode's conformance files for UAX #9 (Unicode 15). Debian ships them
// in the unicode-data package; UNICODE_DATA names another folder.
func unicodeFile(t *testing.T, name string) *os.File {
	t.Helper()
	dir := os.Getenv("UNICODE_DATA")
	if dir == "" {
		dir = "/usr/share/unicode"
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Skipf("%s is absent (%v): install Debian's unicode-data or set UNICODE_DATA to a folder holding it", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sample holds one character of each Bidi_Class, for BidiTest.txt, which
// lists classes rather than characters. None of them is a bracket.
var sample = map[string]rune{
	"L": 'a', "R": 0x05D0, "AL": 0x0627, "EN": '1', "ES": '+', "ET": '$',
	"AN": 0x0661, "CS": ',', "NSM": 0x0300, "BN": 0x00AD, "B": 0x2029,
	"S": '\t', "WS": ' ', "ON": '!', "LRE": 0x202A, "LRO": 0x202D,
	"RLE": 0x202B, "RLO": 0x202E, "PDF": 0x202C, "LRI": 0x2066,
	"RLI": 0x2067, "FSI": 0x2068, "PDI": 0x2069,
}

// expected is what a test case gives: a level per character (-1 where it
// says x, for characters rule X9 removes) and the visual order of the
// others.
type expected struct {
	levels []int
	order  []int // nil when the case gives none
}

// check resolves text as one paragraph and line and compares levels and
// order with want. It returns a description of the first difference, or "".
func check(text []rune, level int, wantPara int, want expected) string {
	p := Resolve(text, level, 0)
	if wantPara >= 0 && int(p.Level) != wantPara {
		return fmt.Sprintf("paragraph level %d, want %d", p.Level, wantPara)
	}
	levels := p.LineLevels(0, len(text), nil)
	var kept []uint8
	var index []int
	bad := false
	for i, l := range levels {
		w := want.levels[i]
		if w < 0 {
			if !removedByX9(p.Classes[i]) {
				return fmt.Sprintf("character %d (%s) has level x, but X9 keeps it", i, p.Classes[i])
			}
			continue
		}
		if int(l) != w {
			bad = true
		}
		kept = append(kept, l)
		index = append(index, i)
	}
	if bad {
		return fmt.Sprintf("levels %s, want %s", showLevels(levels, want.levels), showWant(want.levels))
	}
	if want.order == nil {
		return ""
	}
	order := Reorder(kept, nil)
	got := make([]int, len(order))
	for v, k := range order {
		got[v] = index[k]
	}
	if fmt.Sprint(got) != fmt.Sprint(want.order) {
		return fmt.Sprintf("order %v, want %v", got, want.order)
	}
	return ""
}

func showLevels(got []uint8, want []int) string {
	f := make([]string, len(got))
	for i, l := range got {
		if want[i] < 0 {
			f[i] = "x"
		} else {
			f[i] = strconv.Itoa(int(l))
		}
	}
	return strings.Join(f, " ")
}

func showWant(want []int) string {
	f := make([]string, len(want))
	for i, l := range want {
		if l < 0 {
			f[i] = "x"
		} else {
			f[i] = strconv.Itoa(l)
		}
	}
	return strings.Join(f, " ")
}

func parseLevels(s string) ([]int, error) {
	fs := strings.Fields(s)
	out := make([]int, len(fs))
	for i, f := range fs {
		if f == "x" {
			out[i] = -1
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func parseOrder(s string) ([]int, error) {
	fs := strings.Fields(s)
	out := make([]int, len(fs))
	for i, f := range fs {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// failures collects the failing cases of one file and reports the first
// few in full, so that a regression does not print half a million lines.
type failures struct {
	t     *testing.T
	n     int
	cases int
}

func (f *failures) add(format string, args ...any) {
	f.n++
	if f.n <= 20 {
		f.t.Errorf(format, args...)
	}
}

func (f *failures) report(file string) {
	if f.n > 20 {
		f.t.Errorf("%s: %d more failures not shown", file, f.n-20)
	}
	f.t.Logf("%s: %d of %d cases pass", file, f.cases-f.n, f.cases)
}

// TestBidiTest runs every case of BidiTest.txt: each sequence of classes
// in each paragraph direction its bit set names, levels and order.
func TestBidiTest(t *testing.T) {
	t.Parallel()
	sc := bufio.NewScanner(unicodeFile(t, "BidiTest.txt"))
	fails := failures{t: t}
	var want expected
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var err error
		switch {
		case strings.HasPrefix(line, "@Levels:"):
			want.levels, err = parseLevels(strings.TrimPrefix(line, "@Levels:"))
		case strings.HasPrefix(line, "@Reorder:"):
			want.order, err = parseOrder(strings.TrimPrefix(line, "@Reorder:"))
		case strings.HasPrefix(line, "@"):
		default:
			input, bits, ok := strings.Cut(line, ";")
			if !ok {
				t.Fatalf("BidiTest.txt:%d: no bit set in %q", lineNo, line)
			}
			classes := strings.Fields(input)
			set, err := strconv.ParseUint(strings.TrimSpace(bits), 16, 8)
			if err != nil {
				t.Fatalf("BidiTest.txt:%d: %v", lineNo, err)
			}
			if len(classes) != len(want.levels) {
				t.Fatalf("BidiTest.txt:%d: %d classes for %d levels", lineNo, len(classes), len(want.levels))
			}
			text := make([]rune, len(classes))
			for i, c := range classes {
				r, ok := sample[c]
				if !ok {
					t.Fatalf("BidiTest.txt:%d: unknown class %s", lineNo, c)
				}
				text[i] = r
			}
			for _, d := range []struct {
				bit   uint64
				level int
				name  string
			}{{1, -1, "auto"}, {2, 0, "LTR"}, {4, 1, "RTL"}} {
				if set&d.bit == 0 {
					continue
				}
				fails.cases++
				if msg := check(text, d.level, -1, want); msg != "" {
					fails.add("BidiTest.txt:%d: %s, paragraph %s: %s", lineNo, input, d.name, msg)
				}
			}
		}
		if err != nil {
			t.Fatalf("BidiTest.txt:%d: %v", lineNo, err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if fails.cases == 0 {
		t.Fatal("BidiTest.txt held no cases")
	}
	fails.report("BidiTest.txt")
}

// TestBidiCharacterTest runs every case of BidiCharacterTest.txt: real
// characters (bracket pairs among them), paragraph level, levels and
// order.
func TestBidiCharacterTest(t *testing.T) {
	t.Parallel()
	sc := bufio.NewScanner(unicodeFile(t, "BidiCharacterTest.txt"))
	fails := failures{t: t}
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ";")
		if len(f) != 5 {
			t.Fatalf("BidiCharacterTest.txt:%d: %d fields", lineNo, len(f))
		}
		var text []rune
		for _, h := range strings.Fields(f[0]) {
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				t.Fatalf("BidiCharacterTest.txt:%d: %v", lineNo, err)
			}
			text = append(text, rune(v))
		}
		level := -1
		switch strings.TrimSpace(f[1]) {
		case "0":
			level = 0
		case "1":
			level = 1
		}
		para, err1 := strconv.Atoi(strings.TrimSpace(f[2]))
		levels, err2 := parseLevels(f[3])
		order, err3 := parseOrder(f[4])
		for _, err := range []error{err1, err2, err3} {
			if err != nil {
				t.Fatalf("BidiCharacterTest.txt:%d: %v", lineNo, err)
			}
		}
		if len(levels) != len(text) {
			t.Fatalf("BidiCharacterTest.txt:%d: %d levels for %d characters", lineNo, len(levels), len(text))
		}
		fails.cases++
		if msg := check(text, level, para, expected{levels, order}); msg != "" {
			fails.add("BidiCharacterTest.txt:%d: %s (paragraph %s): %s", lineNo, strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), msg)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if fails.cases == 0 {
		t.Fatal("BidiCharacterTest.txt held no cases")
	}
	fails.report("BidiCharacterTest.txt")
}
