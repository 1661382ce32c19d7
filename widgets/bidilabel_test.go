package widgets

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets/internal/bidi"
	"github.com/qalam-annotate/qalam/widgets/internal/textlayout"
)

// newLabelApp starts a test app in the light theme.
func newLabelApp(t testing.TB) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(lightTheme)
}

// labelLine returns the line l shows in a text area width wide (the
// label's width less its padding).
func labelLine(l *BidiLabel, width float32) *textlayout.SingleLine {
	l.Resize(fyne.NewSize(width+2*l.padding(), l.MinSize().Height))
	return l.fit(width)
}

// visualText returns the text of ln's clusters from left to right, each
// cluster's code points in logical order: a right-to-left word comes out
// reversed, as FriBidi prints a visual string (without mirroring).
func visualText(ln *textlayout.SingleLine) string {
	var b strings.Builder
	for _, c := range ln.Clusters() {
		b.WriteString(string(ln.Text[c[0]:c[1]]))
	}
	return b.String()
}

func reversed(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}

// The examples: what Fyne's labels scramble comes out as in the
// article view and as FriBidi orders it.
func TestBidiLabelExamples(t *testing.T) {
	newLabelApp(t)
	tests := []struct {
		text string
		dir  TextDirection
		want string // visual, left to right
	}{
		{"5000 دولار", DirectionAuto, reversed("دولار") + " 5000"},
		{"دولار. $5,000", DirectionAuto, "5,000$ ." + reversed("دولار")},
		{"5000 دولار", DirectionLTR, "5000 " + reversed("دولار")},
		{"Span " + Isolate("5000 دولار") + " marked PLACE", DirectionAuto,
			"Span \u2068" + reversed("دولار") + " 5000\u2069 marked PLACE"},
		{"Span 5000 دولار marked PLACE", DirectionAuto, "Span 5000 " + reversed("دولار") + " marked PLACE"},
	}
	for _, tc := range tests {
		l := NewBidiLabel(tc.text)
		l.Direction = tc.dir
		ln := labelLine(l, 1000)
		if ln.Cut {
			t.Errorf("%q was cut in 1000 px", tc.text)
		}
		if got := visualText(ln); got != tc.want {
			t.Errorf("%q: shows %q, want %q", tc.text, got, tc.want)
		}
	}
}

// Isolate's marks take no room.
func TestIsolateIsInvisible(t *testing.T) {
	newLabelApp(t)
	plain := labelLine(NewBidiLabel("Span 5000 marked"), 1000)
	isolated := labelLine(NewBidiLabel("Span "+Isolate("5000")+" marked"), 1000)
	if d := isolated.Width - plain.Width; d < -0.01 || d > 0.01 {
		t.Fatalf("isolating marks add %.2f px", d)
	}
}

// A text that does not fit is cut at its logical end; the ellipsis stands
// at the paragraph's end edge: the left in right-to-left text, the right
// in left-to-right text.
func TestBidiLabelEllipsis(t *testing.T) {
	newLabelApp(t)
	tests := []struct {
		name, text string
		dir        TextDirection
		width      float32
		level      uint8
	}{
		{"rtl", "عبد الفتاح السيسي رئيس جمهورية مصر العربية", DirectionAuto, 100, 1},
		{"rtl ending in latin", "التقى السيسي Donald Trump في واشنطن", DirectionAuto, 110, 1},
		{"rtl ending in a number", "ارتفع السعر إلى 5000 دولار أمريكي", DirectionAuto, 95, 1},
		{"ltr", "Abdel Fattah al-Sisi met Donald Trump in Washington", DirectionAuto, 120, 0},
		{"ltr ending in arabic", "The envoy Steve Witkoff (المبعوث الخاص ستيف ويتكوف)", DirectionAuto, 210, 0},
		{"forced rtl", "Abdel Fattah al-Sisi met Donald Trump", DirectionRTL, 120, 1},
	}
	for _, tc := range tests {
		l := NewBidiLabel(tc.text)
		l.Direction = tc.dir
		ln := labelLine(l, tc.width)
		shown := string(ln.Text)
		kept, ok := strings.CutSuffix(shown, ellipsis)
		if !ok || !ln.Cut || !strings.HasPrefix(tc.text, kept) || kept == "" {
			t.Errorf("%s: shows %q in %.0f px: not a logical start of the text and the ellipsis", tc.name, shown, tc.width)
			continue
		}
		if ln.Width > tc.width || ln.Level != tc.level {
			t.Errorf("%s: width %.1f in %.0f px, level %d", tc.name, ln.Width, tc.width, ln.Level)
		}
		cs := ln.Clusters()
		end := cs[len(cs)-1] // the rightmost cluster
		if tc.level == 1 {
			end = cs[0]
		}
		if string(ln.Text[end[0]:end[1]]) != ellipsis {
			t.Errorf("%s: %q stands at the paragraph's end, not the ellipsis (visual %q)", tc.name, string(ln.Text[end[0]:end[1]]), visualText(ln))
		}
		if tc.level == 1 && ln.Runs[0].X != 0 || tc.level == 0 && ln.Runs[len(ln.Runs)-1].X+float32(ln.Runs[len(ln.Runs)-1].Out.Advance)/64 < ln.Width-0.01 {
			t.Errorf("%s: the ellipsis run is not at the line's edge", tc.name)
		}
		// A text that fits is shown whole.
		if whole := labelLine(l, labelLine(l, 5000).Width); whole.Cut || string(whole.Text) != tc.text {
			t.Errorf("%s: shows %q at its own width", tc.name, string(whole.Text))
		}
	}
}

func TestBidiLabelClip(t *testing.T) {
	newLabelApp(t)
	l := NewBidiLabel("عبد الفتاح السيسي رئيس جمهورية مصر العربية")
	l.Truncation = fyne.TextTruncateClip
	ln := labelLine(l, 100)
	if shown := string(ln.Text); strings.Contains(shown, ellipsis) || !strings.HasPrefix(l.Text, shown) || shown == "" {
		t.Fatalf("clipped shows %q", shown)
	}
}

func TestBidiLabelSeparators(t *testing.T) {
	newLabelApp(t)
	l := NewBidiLabel("سطر أول\nسطر ثان\r\nthird\u2029fourth")
	ln := labelLine(l, 1000)
	if got, want := string(ln.Text), "سطر أول سطر ثان  third fourth"; got != want {
		t.Fatalf("shows %q, want %q", got, want)
	}
}

func TestBidiLabelMinSize(t *testing.T) {
	newLabelApp(t)
	text := "عبد الفتاح السيسي رئيس جمهورية مصر العربية"
	l := NewBidiLabel(text)
	pad := theme.InnerPadding()
	full := labelLine(NewBidiLabel(text), 5000).Width
	min := l.MinSize()
	if min.Width != full+2*pad {
		t.Errorf("MinSize width %.2f, want the text's %.2f and padding", min.Width, full+2*pad)
	}
	if h := lineSetterFor(int(theme.TextSize()), false).LineHeight() + 2*pad; min.Height != h {
		t.Errorf("MinSize height %.2f, want %.2f", min.Height, h)
	}
	l.Truncation = fyne.TextTruncateEllipsis
	l.Refresh()
	ell := l.MinSize()
	if ell.Width <= 2*pad || ell.Width > 2*pad+20 || ell.Height != min.Height {
		t.Errorf("with an ellipsis MinSize %v, want room for the ellipsis only", ell)
	}
	l.Truncation = fyne.TextTruncateClip
	l.Refresh()
	if clip := l.MinSize(); clip.Width != 2*pad {
		t.Errorf("clipped MinSize %v, want the padding only", clip)
	}
	// Amiri Bold's Arabic letters are as wide as Regular's; its Latin
	// letters are wider.
	latin := NewBidiLabel("Abdel Fattah al-Sisi")
	regular := latin.MinSize()
	latin.TextStyle.Bold = true
	latin.Refresh()
	if bold := latin.MinSize(); bold.Width <= regular.Width {
		t.Errorf("bold MinSize %v, regular %v", bold, regular)
	}
	l.Truncation = fyne.TextTruncateOff
	l.SetText("")
	if empty := l.MinSize(); empty.Width != 2*pad || empty.Height != min.Height {
		t.Errorf("empty MinSize %v", empty)
	}
}

// Lines are laid out once per text, and painted once per size and colour.
func TestBidiLabelCaches(t *testing.T) {
	newLabelApp(t)
	l := NewBidiLabel("دولار. $5,000")
	w := test.NewTempWindow(t, l)
	w.Resize(fyne.NewSize(200, 60))
	r := test.WidgetRenderer(l).(*bidiLabelRenderer)
	full := l.full
	img := r.generate(200, 60)
	painted := r.painted
	l.Refresh()
	l.MinSize()
	r.Layout(l.Size())
	if l.full != full {
		t.Fatal("refreshing with the same text laid it out again")
	}
	if again := r.generate(200, 60); again != img || r.painted != painted {
		t.Fatal("painting the same label again did not reuse the image")
	}
	l.Importance = widget.DangerImportance
	l.Refresh()
	r.generate(200, 60)
	if r.painted.col == painted.col || l.full != full {
		t.Fatal("a new colour was not painted, or laid the text out again")
	}
	l.SetText("دولار")
	if l.MinSize(); l.full == full {
		t.Fatal("a new text was not laid out")
	}
}

// inkBounds returns the horizontal extent of the pixels darker than the
// background in img.
func inkBounds(img image.Image) (x0, x1 int) {
	b := img.Bounds()
	x0, x1 = b.Max.X, b.Min.X-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				x0, x1 = min(x0, x), max(x1, x)
			}
		}
	}
	return x0, x1
}

func TestBidiLabelAlignment(t *testing.T) {
	newLabelApp(t)
	const width = 400
	pad := int(theme.InnerPadding())
	for _, text := range []string{"عبد الفتاح السيسي", "Abdel Fattah al-Sisi"} {
		rtl := strings.HasPrefix(text, "ع")
		for _, align := range []fyne.TextAlign{fyne.TextAlignLeading, fyne.TextAlignCenter, fyne.TextAlignTrailing} {
			l := NewBidiLabel(text)
			l.Alignment = align
			w := test.NewTempWindow(t, l)
			w.SetPadded(false)
			w.Resize(fyne.NewSize(width, l.MinSize().Height))
			x0, x1 := inkBounds(w.Canvas().Capture())
			left := x0 - pad
			right := width - pad - 1 - x1
			var ok bool
			switch {
			case align == fyne.TextAlignCenter:
				ok = left-right < 4 && right-left < 4
			case (align == fyne.TextAlignLeading) != rtl:
				ok = left < 3 && right > 100
			default:
				ok = right < 3 && left > 100
			}
			if !ok {
				t.Errorf("%q aligned %d: ink %d–%d in %d px", text, align, x0, x1, width)
			}
		}
	}
}

// On a canvas of scale 2 the label is painted at device resolution: its
// ink is twice as wide, not a blurred enlargement.
func TestBidiLabelScale(t *testing.T) {
	newLabelApp(t)
	var widths [2]int
	for i, scale := range []float32{1, 2} {
		l := NewBidiLabel("5000 دولار")
		w := test.NewTempWindow(t, l)
		w.SetPadded(false)
		w.Canvas().(test.WindowlessCanvas).SetScale(scale)
		w.Resize(l.MinSize())
		img := w.Canvas().Capture()
		if got, want := img.Bounds().Dx(), int(l.MinSize().Width*scale); got < want-1 || got > want+1 {
			t.Fatalf("scale %v: capture %d px wide, want %d", scale, got, want)
		}
		x0, x1 := inkBounds(img)
		widths[i] = x1 - x0
	}
	if d := widths[1] - 2*widths[0]; d < -3 || d > 3 {
		t.Fatalf("ink %d px at scale 1, %d at scale 2", widths[0], widths[1])
	}
}

func TestBidiLabelMasters(t *testing.T) {
	rows := func() fyne.CanvasObject {
		mk := func(s string, f func(*BidiLabel)) fyne.CanvasObject {
			l := NewBidiLabel(s)
			if f != nil {
				f(l)
			}
			return l
		}
		ellipsize := func(l *BidiLabel) { l.Truncation = fyne.TextTruncateEllipsis }
		return container.NewVBox(
			mk("5000 دولار", nil),
			mk("دولار. $5,000", nil),
			mk("Abdel Fattah al-Sisi", nil),
			mk("عبد الفتاح السيسي رئيس جمهورية مصر العربية يلتقي Donald Trump في واشنطن", ellipsize),
			mk("The envoy Steve Witkoff (المبعوث الخاص ستيف ويتكوف) met Rustem Umerov", ellipsize),
			mk("عبد الفتاح السيسي", func(l *BidiLabel) { l.Alignment = fyne.TextAlignTrailing }),
			mk("عبد الفتاح السيسي", func(l *BidiLabel) { l.Alignment = fyne.TextAlignCenter; l.TextStyle.Bold = true }),
			mk("JA-technology-15-20161201716 · 0", ellipsize),
			mk("الوثيقة "+Isolate("Reuters (رويترز)")+" أنجزت", func(l *BidiLabel) { l.Importance = widget.HighImportance }),
		)
	}
	for _, tc := range []struct {
		name string
		dark bool
	}{{"bidilabel_rows.png", false}, {"bidilabel_rows_dark.png", true}} {
		t.Run(tc.name, func(t *testing.T) {
			newLabelApp(t)
			if tc.dark {
				fyne.CurrentApp().Settings().SetTheme(darkTheme)
			}
			w := test.NewTempWindow(t, rows())
			w.Resize(fyne.NewSize(300, 420))
			assertImage(t, tc.name, w.Canvas().Capture())
		})
	}
}

// --- FriBidi ----------------------------------------------------------------

// The order of what a label shows, for the seed article's lines cut to
// label length and for mixed strings whole and cut, must be GNU FriBidi's
// for the same text and paragraph direction. FriBidi's maps are in
// testdata/bidilabel_fribidi.golden with the text they were made for, so
// the test runs without fribidi; go test ./widgets -update rewrites them
// with it.

const bidiLabelGolden = "testdata/bidilabel_fribidi.golden"

var labelMixed = []string{
	"5000 دولار",
	"دولار. $5,000",
	"Abdel Fattah al-Sisi عبد الفتاح السيسي",
	"عبد الفتاح السيسي (Abdel Fattah al-Sisi)",
	"واشنطن 5 ديسمبر (رويترز) -",
	"JA-technology-15-20161201716 · 0",
	"مصر 2025-12-05",
	"نسبة 1.5% من 300,000",
	"«القاهرة» و\"الجيزة\"",
	"ABC (مصر) DEF",
	"قال: [Reuters] نعم",
	"٣ أيام من 5 ديسمبر",
	"PERSON عبد الفتاح السيسي",
	"email: info@reuters.com الرسالة",
	"ستيف ويتكوف - Steve Witkoff - 2025",
	"Span " + Isolate("5000 دولار") + " marked PLACE",
	"الوثيقة " + Isolate("Reuters (رويترز)") + " أنجزت",
	"שלום עולם 123 hello",
	"(1) البند الأول",
	"The envoy Steve Witkoff (المبعوث الخاص ستيف ويتكوف) met Rustem Umerov on December 5, 2025 in ميامي.",
}

type labelCase struct {
	name  string
	text  string
	width float32
}

func labelCases(t *testing.T) []labelCase {
	var cases []labelCase
	for i, line := range strings.Split(strings.TrimRight(seedText(t), "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cases = append(cases, labelCase{fmt.Sprintf("seed line %d", i+1), line, 260})
	}
	for i, s := range labelMixed {
		cases = append(cases, labelCase{fmt.Sprintf("mixed %d whole", i+1), s, 5000})
		cases = append(cases, labelCase{fmt.Sprintf("mixed %d cut", i+1), s, 90})
	}
	return cases
}

// labelOrders returns the line's visual order of its clusters (each named
// by its first visible code point) and the same clusters in the order of
// FriBidi's logical-to-visual map. Invisible format characters (isolates,
// embeddings, boundary neutrals) are left out of both.
func labelOrders(ln *textlayout.SingleLine, ltov []int) (widget, fribidi []int, err error) {
	n := len(ln.Text)
	if len(ltov) != n {
		return nil, nil, fmt.Errorf("map of %d positions for %d code points", len(ltov), n)
	}
	visible := func(r rune) bool {
		c := bidi.ClassOf(r)
		return c != bidi.BN && c < bidi.LRE
	}
	clusterOf := make([]int, n)
	for i := range clusterOf {
		clusterOf[i] = -1
	}
	for _, c := range ln.Clusters() {
		first := -1
		for r := c[0]; r < c[1]; r++ {
			if visible(ln.Text[r]) {
				first = r
				break
			}
		}
		if first < 0 {
			continue
		}
		widget = append(widget, first)
		for r := c[0]; r < c[1]; r++ {
			clusterOf[r] = first
		}
	}
	vtol := make([]int, n)
	for logical, visual := range ltov {
		vtol[visual] = logical
	}
	for _, logical := range vtol {
		c := clusterOf[logical]
		if c < 0 || !visible(ln.Text[logical]) {
			continue
		}
		if len(fribidi) == 0 || fribidi[len(fribidi)-1] != c {
			fribidi = append(fribidi, c)
		}
	}
	return widget, fribidi, nil
}

type labelGolden struct {
	shown string
	level uint8
	ltov  []int
}

// friBidiLTOV runs fribidi over texts, each in the direction given.
func friBidiLTOV(t *testing.T, texts []string, levels []uint8) [][]int {
	out := make([][]int, len(texts))
	for _, dir := range []uint8{0, 1} {
		var batch []string
		var at []int
		for i, s := range texts {
			if levels[i] == dir {
				batch = append(batch, s)
				at = append(at, i)
			}
		}
		if len(batch) == 0 {
			continue
		}
		flag := "--ltr"
		if dir == 1 {
			flag = "--rtl"
		}
		for _, m := range runFriBidi(t, batch, flag) {
			out[at[0]] = parseInts(m)
			at = at[1:]
		}
	}
	return out
}

func TestBidiLabelMatchesFriBidi(t *testing.T) {
	newLabelApp(t)
	cases := labelCases(t)
	lines := make([]*textlayout.SingleLine, len(cases))
	for i, c := range cases {
		lines[i] = labelLine(NewBidiLabel(c.text), c.width)
	}
	if *update {
		if _, err := exec.LookPath("fribidi"); err != nil {
			t.Fatal("-update needs fribidi (Debian package libfribidi-bin)")
		}
		texts := make([]string, len(cases))
		levels := make([]uint8, len(cases))
		for i, ln := range lines {
			texts[i], levels[i] = string(ln.Text), ln.Level
		}
		var buf bytes.Buffer
		for i, m := range friBidiLTOV(t, texts, levels) {
			fmt.Fprintf(&buf, "%s\t%s\t%d\t%s\n", cases[i].name, strconv.Quote(texts[i]), levels[i], strings.Trim(fmt.Sprint(m), "[]"))
		}
		if err := os.WriteFile(bidiLabelGolden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden := map[string]labelGolden{}
	b, err := os.ReadFile(bidiLabelGolden)
	if err != nil {
		t.Fatalf("%v (go test ./widgets -update writes it; it needs fribidi)", err)
	}
	for _, row := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(row, "\t")
		shown, err := strconv.Unquote(f[1])
		if len(f) != 4 || err != nil {
			t.Fatalf("bad golden row %q", row)
		}
		golden[f[0]] = labelGolden{shown, uint8(f[2][0] - '0'), parseInts(f[3])}
	}
	agree := 0
	for i, c := range cases {
		ln := lines[i]
		g, ok := golden[c.name]
		if !ok || g.shown != string(ln.Text) || g.level != ln.Level {
			t.Errorf("%s: shows %q at level %d; the golden file has %q at %d (run with -update)", c.name, string(ln.Text), ln.Level, g.shown, g.level)
			continue
		}
		w, f, err := labelOrders(ln, g.ltov)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if fmt.Sprint(w) != fmt.Sprint(f) {
			t.Errorf("%s %q:\nlabel   %v\nfribidi %v", c.name, string(ln.Text), w, f)
			continue
		}
		agree++
	}
	t.Logf("%d of %d labels in FriBidi's visual order", agree, len(cases))
}

// --- benchmarks ---------------------------------------------------------------

// rowTexts returns n list-row texts: stretches of 3 to 40 code points of
// the seed article, as a span list or an occurrences preview shows.
func rowTexts(b *testing.B, n int) []string {
	seed := []rune(strings.ReplaceAll(seedText(b), "\n", " "))
	out := make([]string, n)
	for k := range out {
		start := k * 131 % (len(seed) - 40)
		out[k] = string(seed[start : start+3+k*7%38])
	}
	return out
}

// BenchmarkBidiLabelRows creates 1,000 labels with different texts and
// lays each out as a 280-pixel list row: MinSize, Resize, and the paint of
// its raster. Each round starts without shared line setters, so it
// includes loading the font's tables and rasterising its glyphs.
func BenchmarkBidiLabelRows(b *testing.B) {
	newLabelApp(b)
	texts := rowTexts(b, 1000)
	size := fyne.NewSize(280, 40)
	for b.Loop() {
		lineSetters.m = nil
		for _, s := range texts {
			l := NewBidiLabel(s)
			l.Truncation = fyne.TextTruncateEllipsis
			r := test.WidgetRenderer(l).(*bidiLabelRenderer)
			l.MinSize()
			l.Resize(size)
			r.generate(280, 40)
		}
	}
}

// BenchmarkFyneLabelRows is BenchmarkBidiLabelRows with Fyne's own label,
// for comparison: its text is measured (shaped) but painted later by the
// driver, so this is less work than the bidi label's.
func BenchmarkFyneLabelRows(b *testing.B) {
	newLabelApp(b)
	texts := rowTexts(b, 1000)
	size := fyne.NewSize(280, 40)
	for b.Loop() {
		for _, s := range texts {
			l := widget.NewLabel(s)
			l.Truncation = fyne.TextTruncateEllipsis
			test.WidgetRenderer(l)
			l.MinSize()
			l.Resize(size)
		}
	}
}

// BenchmarkBidiLabelSetText is one list row reused for another text, as
// a scrolled list does, never one laid out recently.
func BenchmarkBidiLabelSetText(b *testing.B) {
	newLabelApp(b)
	texts := rowTexts(b, 4*1024)
	l := NewBidiLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	r := test.WidgetRenderer(l).(*bidiLabelRenderer)
	l.Resize(fyne.NewSize(280, 40))
	k := 0
	for b.Loop() {
		l.SetText(texts[k%len(texts)])
		l.MinSize()
		r.Layout(l.Size())
		r.generate(280, 40)
		k++
	}
}

// A wrapped label breaks its text between words into as many lines as its
// width needs; its MinSize asks for their height, and a container that
// narrows it gives it the taller height. Each line is right-aligned in
// an Arabic paragraph.
func TestBidiLabelWrapping(t *testing.T) {
	newLabelApp(t)
	text := "عبد الفتاح السيسي رئيس جمهورية مصر العربية يلتقي Donald Trump في واشنطن يوم 5 ديسمبر"
	l := NewBidiLabel(text)
	l.Wrapping = fyne.TextWrapWord
	one := NewBidiLabel("x").MinSize().Height
	box := container.NewVBox(l)
	w := test.NewTempWindow(t, box)
	w.SetPadded(false)
	// The driver lays a container out again once a child's MinSize
	// changed; the test canvas does it when asked.
	resize := func(width, height float32) {
		w.Resize(fyne.NewSize(width, height))
		box.Refresh()
	}
	resize(2000, 200)
	if h := l.Size().Height; h != one {
		t.Errorf("wide: %.1f px high, want one line's %.1f", h, one)
	}
	resize(160, 400)
	lineH := lineSetterFor(int(theme.TextSize()), false).LineHeight()
	if h := l.Size().Height; h < one+2*lineH {
		t.Fatalf("160 px wide: %.1f px high, want at least three lines", h)
	}
	if got, want := l.MinSize().Height, l.Size().Height; got != want {
		t.Errorf("MinSize height %.1f, size %.1f", got, want)
	}
	img := w.Canvas().Capture()
	pad := int(theme.InnerPadding())
	// The first line's ink ends at the right padding: right-aligned.
	first := img.(*image.NRGBA).SubImage(image.Rect(0, pad, 160, pad+int(lineH))).(*image.NRGBA)
	if _, x1 := inkBounds(first); x1 < 160-pad-4 {
		t.Errorf("the first line's ink ends at x %d in 160 px: not right-aligned", x1)
	}
	// Every word is shown: the lines hold the whole text.
	tl := l.layoutWrapped(160 - 2*l.padding())
	var shown strings.Builder
	for i := range tl.Paragraphs() {
		for _, ln := range tl.Lines(i) {
			shown.WriteString(string(tl.Text()[ln.Start:ln.End]))
		}
	}
	if shown.String() != text {
		t.Errorf("the lines hold %q", shown.String())
	}
}

// With FixedAlignment, leading is the left edge and trailing the right
// one, for Arabic and English alike.
func TestBidiLabelFixedAlignment(t *testing.T) {
	newLabelApp(t)
	const width = 400
	pad := int(theme.InnerPadding())
	for _, text := range []string{"عبد الفتاح السيسي", "Abdel Fattah al-Sisi"} {
		for _, align := range []fyne.TextAlign{fyne.TextAlignLeading, fyne.TextAlignTrailing} {
			l := NewBidiLabel(text)
			l.Alignment, l.FixedAlignment = align, true
			w := test.NewTempWindow(t, l)
			w.SetPadded(false)
			w.Resize(fyne.NewSize(width, l.MinSize().Height))
			x0, x1 := inkBounds(w.Canvas().Capture())
			left, right := x0-pad, width-pad-1-x1
			if align == fyne.TextAlignLeading && (left > 3 || right < 100) || align == fyne.TextAlignTrailing && (right > 3 || left < 100) {
				t.Errorf("%q aligned %d: ink %d–%d in %d px", text, align, x0, x1, width)
			}
		}
	}
}
