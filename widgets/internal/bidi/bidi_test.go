package bidi

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func levelsString(l []uint8) string {
	var b strings.Builder
	for i, v := range l {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, v)
	}
	return b.String()
}

func TestResolve(t *testing.T) {
	const (
		lre = "\u202a"
		rle = "\u202b"
		pdf = "\u202c"
		rlo = "\u202e"
		lri = "\u2066"
		rli = "\u2067"
		fsi = "\u2068"
		pdi = "\u2069"
		rlm = "\u200f"
	)
	tests := []struct {
		name  string
		text  string
		level int // -1 auto
		para  uint8
		want  string // levels after L1 for the whole line
	}{
		{"latin", "ab c", -1, 0, "0 0 0 0"},
		{"arabic", "اب ج", -1, 1, "1 1 1 1"},
		{"no strong falls back", "1 - 2", -1, 0, "0 0 0 0 0"},
		{"forced rtl", "ab", 1, 1, "2 2"},
		{"european number after arabic letter becomes AN", "ab (رو) 5 c", -1, 0, "0 0 0 0 1 1 0 0 2 0 0"},
		{"number in rtl", "و 12 ز", -1, 1, "1 1 2 2 1 1"},
		{"latin in rtl with brackets", "ق (ab) ل", -1, 1, "1 1 1 2 2 1 1 1"},
		{"brackets take context", "ق a(b) ل", -1, 1, "1 1 2 2 2 2 1 1"},
		{"trailing space to paragraph level", "ab ق ", -1, 0, "0 0 0 1 0"},
		{"tab takes the paragraph level", "ق\tق", -1, 1, "1 1 1"},
		{"digits after an arabic letter are arabic numbers", "ق 1.5% ل", -1, 1, "1 1 2 2 2 1 1 1"},
		{"rlm is strong", "a !" + rlm, -1, 0, "0 0 0 1"},
		{"embedding", "a" + rle + "b" + pdf + "c", -1, 0, "0 0 2 2 0"},
		{"override", "a" + rlo + "bc" + pdf, -1, 0, "0 0 1 1 0"},
		{"isolate", "ق " + lri + "a ق" + pdi + " ل", -1, 1, "1 1 1 2 2 3 1 1 1"},
		{"first strong isolate skips isolate content", fsi + "ق" + pdi + "a", -1, 0, "0 1 0 0"},
		{"paragraph level skips isolates", rli + "a" + pdi + "ق", -1, 1, "1 4 1 1"},
		{"unmatched pdi", "a" + pdi + "b", -1, 0, "0 0 0"},
		{"embedding inside isolate closed by pdi", lri + "a" + rle + "b" + pdi + "c", -1, 0, "0 2 2 4 0 0"},
		{"nsm after bracket", "ق (a)\u064b ل", -1, 1, "1 1 1 2 1 1 1 1"},
		{"arabic number", "١٢ ab", -1, 0, "2 2 0 0 0"},
		{"em dash between numbers", "ق 8 – 25", -1, 1, "1 1 2 1 1 1 2 2"},
		// sos of the run after an embedding comes from embedding levels,
		// not from levels resolved before (BidiCharacterTest.txt line 160)
		{"numbers after an embedding", "\u05d0" + lre + "\u05d1" + pdf + " 1 2", 0, 0, "1 1 3 3 0 0 0 0"},
		{"numbers after an rtl embedding", "a" + rle + "b" + pdf + " 1 2", 0, 0, "0 0 2 2 1 2 1 2"},
		{"mark at the start of an embedding", "١" + rle + "\u0300", 0, 0, "2 2 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := []rune(tc.text)
			p := Resolve(rs, tc.level, 0)
			if p.Level != tc.para {
				t.Errorf("paragraph level %d, want %d", p.Level, tc.para)
			}
			if got := levelsString(p.LineLevels(0, len(rs), nil)); got != tc.want {
				t.Errorf("levels %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFirstStrongFallback(t *testing.T) {
	p := Resolve([]rune("- 5"), -1, 1)
	if p.Level != 1 {
		t.Fatalf("level %d, want the fallback 1", p.Level)
	}
	if l, ok := FirstStrong([]rune("5 ق")); !ok || l != 1 {
		t.Fatalf("FirstStrong = %d, %v", l, ok)
	}
}

func TestReorder(t *testing.T) {
	tests := []struct {
		levels []uint8
		want   []int
	}{
		{[]uint8{0, 0, 0}, []int{0, 1, 2}},
		{[]uint8{1, 1, 1}, []int{2, 1, 0}},
		{[]uint8{1, 2, 2, 1}, []int{3, 1, 2, 0}},
		{[]uint8{0, 1, 1, 2, 2, 1, 0}, []int{0, 5, 3, 4, 2, 1, 6}},
		{[]uint8{1, 3, 3, 2, 1}, []int{4, 2, 1, 3, 0}},
	}
	for _, tc := range tests {
		if got := Reorder(tc.levels, nil); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("Reorder(%v) = %v, want %v", tc.levels, got, tc.want)
		}
	}
}

// TestAgainstFriBidi compares the resolved levels of every line of the
// shared corpora with GNU FriBidi's (fribidi --levels). It needs the
// fribidi command and ../shared/corpora beside the repository.
func TestAgainstFriBidi(t *testing.T) {
	if _, err := exec.LookPath("fribidi"); err != nil {
		t.Skip("fribidi not installed (Debian package libfribidi-bin); the layout package's golden test covers the corpus without it")
	}
	root := filepath.Join("..", "..", "..", "..", "shared")
	files := []string{
		"corpora/plaintext/ud-sentences/ar_en_pud_mixed_bidi.txt",
		"corpora/plaintext/ud-sentences/he_iahltwiki_dev_sentences.txt",
		"samples/reuters-ar-2025-12-05.txt",
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Logf("skipping %s: %v (../shared is absent on this machine)", f, err)
			continue
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		cmd := exec.Command("fribidi", "--nobreak", "--novisual", "--levels")
		cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			want = append(want, strings.TrimSpace(sc.Text()))
		}
		if len(want) != len(lines) {
			t.Fatalf("%s: fribidi gave %d lines for %d", f, len(want), len(lines))
		}
		agree := 0
		for i, l := range lines {
			rs := []rune(l)
			got := levelsString(Resolve(rs, -1, 0).LineLevels(0, len(rs), nil))
			if got == want[i] {
				agree++
				continue
			}
			t.Errorf("%s line %d %q:\n got %s\nwant %s", f, i+1, l, got, want[i])
		}
		t.Logf("%s: %d of %d lines agree with FriBidi", f, agree, len(lines))
	}
}
