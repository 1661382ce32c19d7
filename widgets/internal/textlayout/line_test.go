package textlayout

import (
	"image"
	"image/color"
	"strings"
	"testing"
)

// visual returns the text of ln's glyph clusters from left to right, each
// cluster's code points in logical order: a right-to-left word comes out
// reversed, as FriBidi prints a visual string (without mirroring).
func visual(ln *SingleLine) string {
	var b strings.Builder
	for _, c := range ln.Clusters() {
		b.WriteString(string(ln.Text[c[0]:c[1]]))
	}
	return b.String()
}

func rev(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

func TestLineSetterOrder(t *testing.T) {
	s := NewLineSetter(15, false)
	tests := []struct {
		text  string
		dir   Direction
		level uint8
		want  string
	}{
		// the span list's examples (issue 12), as FriBidi orders them
		{"5000 دولار", Auto, 1, rev("دولار") + " 5000"},
		{"دولار. $5,000", Auto, 1, "5,000$ ." + rev("دولار")},
		{"Reuters (رويترز) 2025", Auto, 0, "Reuters (" + rev("رويترز") + ") 2025"},
		{"5000 دولار", LTR, 0, "5000 " + rev("دولار")},
		{"abc", RTL, 1, "abc"},
		{"1 - 2", Auto, 0, "1 - 2"},
		{"سطر\nثان", Auto, 1, rev("سطر ثان")},
	}
	for _, tc := range tests {
		ln := s.Line([]rune(tc.text), tc.dir)
		if ln.Level != tc.level {
			t.Errorf("%q: level %d, want %d", tc.text, ln.Level, tc.level)
		}
		if got := visual(ln); got != tc.want {
			t.Errorf("%q %v: visual %q, want %q", tc.text, tc.dir, got, tc.want)
		}
		if ln.Cut {
			t.Errorf("%q: cut without a width", tc.text)
		}
	}
}

func TestLineSetterFit(t *testing.T) {
	s := NewLineSetter(15, false)
	tests := []struct {
		name, text string
		// The width given is that of room+"…" laid out alone; the line
		// shown must be want+"…".
		room, want string
	}{
		{"latin", "Abdel Fattah al-Sisi", "Abdel Fatt", "Abdel Fatt"},
		{"arabic", "عبد الفتاح السيسي رئيس مصر", "عبد الفتاح", "عبد الفتاح"},
		{"space at the cut is dropped", "عبد الفتاح السيسي رئيس مصر", "عبد الفتاح ", "عبد الفتاح"},
		{"numbers", "5000 دولار أمريكي في 2025", "5000 دولار", "5000 دولار"},
		{"latin in arabic", "قال Abdel Fattah al-Sisi اليوم", "قال Abdel", "قال Abdel"},
	}
	for _, tc := range tests {
		full := s.Line([]rune(tc.text), Auto)
		width := s.Line([]rune(tc.room+"…"), Auto).Width
		ln := s.Fit(full, width, "…")
		if !ln.Cut || ln.Width > width {
			t.Errorf("%s: cut %v, width %.1f for %.1f", tc.name, ln.Cut, ln.Width, width)
		}
		if got := string(ln.Text); got != tc.want+"…" {
			t.Errorf("%s: shows %q in %.1f px, want %q", tc.name, got, width, tc.want+"…")
		}
		// The ellipsis stands at the paragraph's end edge.
		v := visual(ln)
		if full.Level == 1 && !strings.HasPrefix(v, "…") || full.Level == 0 && !strings.HasSuffix(v, "…") {
			t.Errorf("%s: ellipsis not at the paragraph's end: %q", tc.name, v)
		}
		if got := s.Fit(full, full.Width, "…"); got != full {
			t.Errorf("%s: a line that fits exactly was cut", tc.name)
		}
	}
}

func TestLineSetterFitClosesIsolates(t *testing.T) {
	s := NewLineSetter(15, false)
	text := "Span \u2068عبد الفتاح السيسي رئيس جمهورية مصر العربية\u2069 marked"
	full := s.Line([]rune(text), Auto)
	ln := s.Fit(full, 120, "…")
	shown := string(ln.Text)
	if !strings.HasSuffix(shown, "\u2069…") {
		t.Fatalf("shows %q: the isolate is not closed before the ellipsis", shown)
	}
	if v := visual(ln); !strings.HasSuffix(v, "…") {
		t.Fatalf("visual %q: the ellipsis is not at the right end of a left-to-right line", v)
	}
	if ln.Width > 120 {
		t.Fatalf("width %.1f over 120", ln.Width)
	}
}

func TestLineSetterTiny(t *testing.T) {
	s := NewLineSetter(15, false)
	full := s.Line([]rune("مرحبا بالعالم"), Auto)
	if ln := s.Fit(full, 1, "…"); string(ln.Text) != "…" {
		t.Errorf("1 px shows %q, want the ellipsis alone", string(ln.Text))
	}
	if ln := s.Fit(full, 1, ""); len(ln.Text) != 0 {
		t.Errorf("1 px without ellipsis shows %q", string(ln.Text))
	}
	empty := s.Line(nil, Auto)
	if empty.Width != 0 || s.Fit(empty, 0, "…") != empty {
		t.Errorf("the empty line has width %.1f or was cut", empty.Width)
	}
}

func TestLineSetterCapped(t *testing.T) {
	s := NewLineSetter(15, false)
	long := []rune(strings.Repeat("ab ", MaxLineRunes))
	full := s.Line(long, Auto)
	if len(full.Text) != MaxLineRunes || !full.Cut {
		t.Fatalf("a text of %d code points laid out %d, cut %v", len(long), len(full.Text), full.Cut)
	}
	ln := s.Fit(full, 1e6, "…")
	if !strings.HasSuffix(string(ln.Text), "…") {
		t.Fatalf("a capped text shown without the ellipsis")
	}
}

func TestLineSetterKeepsRecentLines(t *testing.T) {
	s := NewLineSetter(15, false)
	first := s.Line([]rune("عبد الفتاح السيسي"), Auto)
	if s.Line([]rune("عبد الفتاح السيسي"), Auto) != first {
		t.Fatal("the same text was laid out again")
	}
	if s.Line([]rune("عبد الفتاح السيسي"), LTR) == first {
		t.Fatal("another direction gave the same line")
	}
	for k := range recentLines {
		s.Line([]rune(strings.Repeat("x", k%50)+string(rune('a'+k/50))), Auto)
	}
	if again := s.Line([]rune("عبد الفتاح السيسي"), Auto); again == first || visual(again) != visual(first) {
		t.Fatalf("after %d other texts the line was kept, or came out different", recentLines)
	}
}

func TestLineSetterBold(t *testing.T) {
	reg := NewLineSetter(15, false).Line([]rune("Abdel Fattah al-Sisi"), Auto)
	bold := NewLineSetter(15, true).Line([]rune("Abdel Fattah al-Sisi"), Auto)
	if bold.Width <= reg.Width {
		t.Fatalf("bold width %.1f, regular %.1f: the bold face is not used", bold.Width, reg.Width)
	}
}

func TestLineSetterPaint(t *testing.T) {
	s := NewLineSetter(15, false)
	ln := s.Line([]rune("دولار 5000"), Auto)
	h := int(s.LineHeight())
	img := image.NewRGBA(image.Rect(0, 0, 200, h))
	s.Paint(img, ln, 50, 0, 1, color.Black)
	minX, maxX := 200, -1
	for y := 0; y < h; y++ {
		for x := 0; x < 200; x++ {
			if img.RGBAAt(x, y).A > 0x80 {
				minX, maxX = min(minX, x), max(maxX, x)
			}
		}
	}
	if minX < 49 || maxX > 50+int(ln.Width)+1 || maxX-minX < int(ln.Width)-6 {
		t.Fatalf("ink spans x %d–%d, want about 50–%.0f", minX, maxX, 50+ln.Width)
	}
	// At scale 2 the same line covers twice the pixels.
	img2 := image.NewRGBA(image.Rect(0, 0, 400, 2*h))
	s.Paint(img2, ln, 0, 0, 2, color.Black)
	max2 := -1
	for y := 0; y < 2*h; y++ {
		for x := 0; x < 400; x++ {
			if img2.RGBAAt(x, y).A > 0x80 {
				max2 = max(max2, x)
			}
		}
	}
	if d := max2 - 2*(maxX-50); d < -3 || d > 3 {
		t.Fatalf("at scale 2 ink ends at %d, want about %d", max2, 2*(maxX-50))
	}
}
