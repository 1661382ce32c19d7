package widgets

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

// The visual order of each line, laid out wide enough not to wrap, must be
// the order GNU FriBidi gives (fribidi --ltov). FriBidi's maps live in
// testdata/fribidi_ltov.golden (numbers only), so the comparison runs
// without fribidi; go test ./widgets -update regenerates them with it.

const friBidiGolden = "testdata/fribidi_ltov.golden"

type bidiSource struct {
	name string
	path string // relative to the package directory; "" for the seed article
}

var bidiSources = []bidiSource{
	{"ar_en_pud_mixed_bidi", filepath.Join("..", "..", "shared", "corpora", "plaintext", "ud-sentences", "ar_en_pud_mixed_bidi.txt")},
	{"reuters-ar-2025-12-05", ""},
}

func sourceLines(t *testing.T, src bidiSource) ([]string, bool) {
	var text string
	if src.path == "" {
		text = seedText(t)
	} else {
		b, err := os.ReadFile(src.path)
		if err != nil {
			return nil, false
		}
		text = string(b)
	}
	return strings.Split(strings.TrimRight(text, "\n"), "\n"), true
}

// runFriBidi returns fribidi's logical-to-visual map of each line, with
// the options flags besides.
func runFriBidi(t *testing.T, lines []string, flags ...string) []string {
	cmd := exec.Command("fribidi", append([]string{"--nobreak", "--novisual", "--ltov"}, flags...)...)
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fribidi: %v", err)
	}
	var maps []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		maps = append(maps, strings.TrimSpace(sc.Text()))
	}
	if len(maps) != len(lines) {
		t.Fatalf("fribidi gave %d maps for %d lines", len(maps), len(lines))
	}
	return maps
}

func readGolden(t *testing.T) map[string][]string {
	b, err := os.ReadFile(friBidiGolden)
	if err != nil {
		t.Fatalf("%v (go test ./widgets -update writes it; it needs fribidi)", err)
	}
	out := map[string][]string{}
	var cur string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if name, ok := strings.CutPrefix(l, "# "); ok {
			cur = name
			out[cur] = []string{}
			continue
		}
		out[cur] = append(out[cur], l)
	}
	return out
}

func parseInts(s string) []int {
	var out []int
	for _, f := range strings.Fields(s) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

// clusterOrders returns, for one line laid out alone, the widget's visual
// order of its grapheme boxes (each named by its first code point) and the
// same boxes in the order FriBidi's map gives. FriBidi orders code points;
// a box (a letter with its harakat, say) is one unit on screen, so
// consecutive code points of one box count once.
func clusterOrders(l *textlayout.Layout, line string, ltov []int) (widget, fribidi []int, err error) {
	l.SetText(line)
	lines := l.Lines(0)
	if len(lines) != 1 {
		return nil, nil, fmt.Errorf("wrapped into %d lines", len(lines))
	}
	n := len([]rune(line))
	if len(ltov) != n {
		return nil, nil, fmt.Errorf("map of %d positions for %d code points", len(ltov), n)
	}
	boxOf := make([]int, n)
	for _, b := range l.Boxes(0, 0) {
		widget = append(widget, b.Start)
		for r := b.Start; r < b.End; r++ {
			boxOf[r] = b.Start
		}
	}
	vtol := make([]int, n)
	for logical, visual := range ltov {
		vtol[visual] = logical
	}
	for _, logical := range vtol {
		b := boxOf[logical]
		if len(fribidi) == 0 || fribidi[len(fribidi)-1] != b {
			fribidi = append(fribidi, b)
		}
	}
	return widget, fribidi, nil
}

func TestVisualOrderMatchesFriBidi(t *testing.T) {
	if *update {
		if _, err := exec.LookPath("fribidi"); err != nil {
			t.Fatal("-update needs fribidi (Debian package libfribidi-bin)")
		}
		var buf bytes.Buffer
		for _, src := range bidiSources {
			lines, ok := sourceLines(t, src)
			if !ok {
				t.Fatalf("%s is needed to regenerate the golden file", src.path)
			}
			fmt.Fprintf(&buf, "# %s\n", src.name)
			for _, m := range runFriBidi(t, lines) {
				fmt.Fprintln(&buf, m)
			}
		}
		if err := os.WriteFile(friBidiGolden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden := readGolden(t)
	l := textlayout.New(16, 1e7)
	for _, src := range bidiSources {
		t.Run(src.name, func(t *testing.T) {
			lines, ok := sourceLines(t, src)
			if !ok {
				t.Skipf("%s is absent (the shared corpora lie beside the repository); skipping it", src.path)
			}
			maps := golden[src.name]
			if len(maps) != len(lines) {
				t.Fatalf("golden file has %d maps for %d lines; run with -update", len(maps), len(lines))
			}
			agree := 0
			for i, line := range lines {
				w, f, err := clusterOrders(l, line, parseInts(maps[i]))
				if err != nil {
					t.Errorf("line %d: %v", i+1, err)
					continue
				}
				if fmt.Sprint(w) == fmt.Sprint(f) {
					agree++
					continue
				}
				t.Errorf("line %d %q:\nwidget  %v\nfribidi %v", i+1, line, w, f)
			}
			t.Logf("%s: %d of %d lines in FriBidi's visual order", src.name, agree, len(lines))
		})
	}
}
