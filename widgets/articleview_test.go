package widgets

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/qalam-annotate/qalam/assets"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func seedText(t testing.TB) string {
	t.Helper()
	s := assets.Samples()
	if len(s) == 0 || !strings.HasPrefix(s[0].Name, "reuters") {
		t.Fatal("the seed article is not among the bundled samples")
	}
	return string(s[0].Text)
}

// offsetsOf returns the code-point range of the n-th (0-based) occurrence
// of sub in text.
func offsetsOf(t testing.TB, text, sub string, n int) (int, int) {
	t.Helper()
	from := 0
	for {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			t.Fatalf("%q not found", sub)
		}
		if n == 0 {
			s := len([]rune(text[:from+i]))
			return s, s + len([]rune(sub))
		}
		n--
		from += i + len(sub)
	}
}

func newTestView(t *testing.T, text string, size fyne.Size) (*ArticleView, fyne.Window) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(lightTheme)
	v := NewArticleView()
	v.SetText(text)
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(size)
	return v, w
}

// pointOf returns the widget position of the middle of code point off's
// grapheme, at fraction f of its width from its left edge.
func pointOf(t *testing.T, v *ArticleView, off int, f float32) fyne.Position {
	t.Helper()
	rs := v.layout.Rects(off, off+1)
	if len(rs) == 0 {
		t.Fatalf("no rectangle for offset %d", off)
	}
	r := rs[0]
	pad := v.padding()
	return fyne.NewPos(pad+r.X0+f*(r.X1-r.X0), pad+(r.Y0+r.Y1)/2-v.view.Top())
}

func press(v *ArticleView, p fyne.Position, mod fyne.KeyModifier) {
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}, Button: desktop.MouseButtonPrimary, Modifier: mod})
}

func release(v *ArticleView, p fyne.Position) {
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}, Button: desktop.MouseButtonPrimary})
}

// drag simulates a real drag: a press, several moves, a release.
func drag(v *ArticleView, from, to fyne.Position, mod fyne.KeyModifier) {
	press(v, from, mod)
	const steps = 5
	for k := 1; k <= steps; k++ {
		p := fyne.NewPos(from.X+(to.X-from.X)*float32(k)/steps, from.Y+(to.Y-from.Y)*float32(k)/steps)
		v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: fyne.NewDelta((to.X-from.X)/steps, (to.Y-from.Y)/steps)})
	}
	v.DragEnd()
	release(v, to)
}

func TestDragSelectsName(t *testing.T) {
	text := seedText(t)
	v, _ := newTestView(t, text, fyne.NewSize(900, 600))
	s, e := offsetsOf(t, text, "ستيف ويتكوف", 0)
	// وويتكوف: the conjunction و is attached to the name
	ws, we := offsetsOf(t, text, "وويتكوف", 0)
	type at struct {
		off int
		f   float32 // fraction of the grapheme's width from its left edge
	}
	tests := []struct {
		name       string
		from, to   at
		mod        fyne.KeyModifier
		start, end int
	}{
		// Arabic reads from the right: the name's first letter is at its right end.
		{"right to left over the whole name", at{s, 0.9}, at{e - 1, 0.1}, 0, s, e},
		{"left to right over the whole name", at{e - 1, 0.1}, at{s, 0.9}, 0, s, e},
		{"from inside words snaps to the words", at{s + 2, 0.5}, at{e - 3, 0.5}, 0, s, e},
		{"one word", at{s + 1, 0.5}, at{s + 2, 0.5}, 0, s, s + 4},
		{"snapping keeps the clitic", at{ws + 1, 0.9}, at{we - 1, 0.1}, 0, ws, we},
		{"ctrl gives character precision without the clitic", at{ws + 1, 0.95}, at{we - 1, 0.05}, fyne.KeyModifierControl, ws + 1, we},
		{"alt does not (the menu bar takes it)", at{ws + 1, 0.95}, at{we - 1, 0.05}, fyne.KeyModifierAlt, ws, we},
		{"ctrl gives character precision too", at{s, 0.95}, at{s + 1, 0.05}, fyne.KeyModifierControl, s, s + 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [2]int
			calls := 0
			v.OnSelectionChanged = func(a, b int) { got = [2]int{a, b}; calls++ }
			v.SetSelection(0, 0)
			v.ScrollToOffset(tc.from.off)
			drag(v, pointOf(t, v, tc.from.off, tc.from.f), pointOf(t, v, tc.to.off, tc.to.f), tc.mod)
			a, b := v.Selection()
			if a != tc.start || b != tc.end {
				t.Fatalf("selection %d–%d %q, want %d–%d %q", a, b, string([]rune(text)[a:b]), tc.start, tc.end, string([]rune(text)[tc.start:tc.end]))
			}
			if calls == 0 || got != [2]int{a, b} {
				t.Fatalf("OnSelectionChanged last reported %v after %d calls", got, calls)
			}
		})
	}
}

func TestDragAcrossLinesAndDirections(t *testing.T) {
	text := "The talks in ميامي (فلوريدا) ended on 5 December.\nقال مسؤولون أمريكيون إن Steve Witkoff أجرى محادثات مثمرة"
	v, _ := newTestView(t, text, fyne.NewSize(700, 300))
	s, _ := offsetsOf(t, text, "talks", 0)
	_, e := offsetsOf(t, text, "Witkoff", 0)
	drag(v, pointOf(t, v, s+2, 0.5), pointOf(t, v, e-2, 0.5), 0)
	if a, b := v.Selection(); a != s || b != e {
		t.Fatalf("selection %d–%d, want %d–%d", a, b, s, e)
	}
	// and back up from the second paragraph into the Arabic of the first
	ms, _ := offsetsOf(t, text, "ميامي", 0)
	as, _ := offsetsOf(t, text, "أجرى", 0)
	drag(v, pointOf(t, v, as+1, 0.5), pointOf(t, v, ms+2, 0.5), 0)
	if a, b := v.Selection(); a != ms || b != as+4 {
		t.Fatalf("selection %d–%d, want %d–%d", a, b, ms, as+4)
	}
}

// TestDragFromNumberEdge starts drags on the outer edge of a number inside
// Arabic text: "5000" reads left to right inside a right-to-left line, so
// its visual right edge is its logical end. The selection must run from
// the edge under the pointer across what the pointer passed over, the
// number included.
func TestDragFromNumberEdge(t *testing.T) {
	text := "دفعت الشركة 5000 دولار للموظف في نهاية العام الماضي\nوقال المدير إن المبلغ سيصرف كاملا"
	v, _ := newTestView(t, text, fyne.NewSize(700, 300))
	n0, n1 := offsetsOf(t, text, "5000", 0)
	d0, d1 := offsetsOf(t, text, "دولار", 0)
	c0, _ := offsetsOf(t, text, "الشركة", 0)
	m0, m1 := offsetsOf(t, text, "المدير", 0)
	type at struct {
		off int
		f   float32
	}
	tests := []struct {
		name       string
		from, to   at
		mod        fyne.KeyModifier
		start, end int
	}{
		{"from the number's right edge leftwards over the currency", at{n1 - 1, 0.9}, at{d0 + 2, 0.5}, 0, n0, d1},
		{"from the number's left edge rightwards over the word before", at{n0, 0.1}, at{c0 + 2, 0.5}, 0, c0, n1},
		{"character precision keeps every digit passed over", at{n1 - 1, 0.95}, at{d1 - 1, 0.1}, fyne.KeyModifierControl, n0, d1},
		{"down to the next paragraph from the number's right edge", at{n1 - 1, 0.9}, at{m0 + 2, 0.5}, 0, n0, m1},
		{"within the number from its right edge", at{n1 - 1, 0.9}, at{n0 + 1, 0.4}, fyne.KeyModifierControl, n0 + 1, n1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v.SetSelection(0, 0)
			v.lastPress = v.lastPress.Add(-1e9)
			drag(v, pointOf(t, v, tc.from.off, tc.from.f), pointOf(t, v, tc.to.off, tc.to.f), tc.mod)
			a, b := v.Selection()
			if a != tc.start || b != tc.end {
				t.Fatalf("selection %d–%d %q, want %d–%d %q", a, b, string([]rune(text)[a:b]), tc.start, tc.end, string([]rune(text)[tc.start:tc.end]))
			}
		})
	}
}

func TestClicks(t *testing.T) {
	text := seedText(t)
	v, _ := newTestView(t, text, fyne.NewSize(900, 600))
	s, e := offsetsOf(t, text, "ويتكوف", 0)
	p := pointOf(t, v, s+2, 0.5)

	press(v, p, 0)
	release(v, p)
	if a, b := v.Selection(); a != b {
		t.Fatalf("a click selected %d–%d", a, b)
	}
	press(v, p, 0) // second press at once: double click
	release(v, p)
	if a, b := v.Selection(); a != s || b != e {
		t.Fatalf("double click selected %d–%d, want %d–%d", a, b, s, e)
	}
	// Shift+click extends to the next word
	n0, n1 := offsetsOf(t, text, "المبعوث", 0)
	q := pointOf(t, v, n0+3, 0.5)
	v.lastPress = v.lastPress.Add(-1e9) // no double click
	press(v, q, fyne.KeyModifierShift)
	release(v, q)
	if a, b := v.Selection(); a != s || b != n1 {
		t.Fatalf("shift+click selected %d–%d, want %d–%d", a, b, s, n1)
	}
}

func TestSpanClicks(t *testing.T) {
	text := seedText(t)
	v, _ := newTestView(t, text, fyne.NewSize(900, 600))
	s, e := offsetsOf(t, text, "ستيف ويتكوف", 0)
	red := color.NRGBA{0xe6, 0x19, 0x4b, 0x80}
	v.SetSpans([]SpanMark{{ID: 10, Start: s, End: e, Color: red}, {ID: 11, Start: s + 5, End: e, Color: red, Suggestion: true}})
	var tapped []int64
	v.OnSpanTapped = func(id int64) { tapped = append(tapped, id) }
	click := func(p fyne.Position) {
		v.lastPress = v.lastPress.Add(-1e9)
		press(v, p, 0)
		release(v, p)
	}
	click(pointOf(t, v, s+1, 0.5))
	click(pointOf(t, v, s+7, 0.5)) // where both overlap: innermost first
	click(pointOf(t, v, s+7, 0.5)) // again: cycles to the other
	click(pointOf(t, v, e+8, 0.5)) // no span there
	if got := tapped; len(got) != 3 || got[0] != 10 || got[1] != 11 || got[2] != 10 {
		t.Fatalf("tapped %v, want [10 11 10]", got)
	}
	if v.SelectedSpan() != 10 {
		t.Fatalf("selected span %d", v.SelectedSpan())
	}
	// a drag that starts on a span selects text and does not tap it
	drag(v, pointOf(t, v, s+1, 0.5), pointOf(t, v, s+7, 0.5), 0)
	if len(tapped) != 3 {
		t.Fatalf("a drag tapped a span: %v", tapped)
	}
}

type recordingClipboard struct{ content string }

func (c *recordingClipboard) Content() string        { return c.content }
func (c *recordingClipboard) SetContent(text string) { c.content = text }

func TestKeyboard(t *testing.T) {
	text := "قال ستيف ويتكوف إن\nThe talks were productive"
	s, e := offsetsOf(t, text, "ستيف ويتكوف", 0)
	en, _ := offsetsOf(t, text, "talks", 0)
	shiftKey := func(v *ArticleView, k fyne.KeyName) {
		v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		v.TypedKey(&fyne.KeyEvent{Name: k})
		v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	}
	short := func(k fyne.KeyName, m fyne.KeyModifier) func(*ArticleView) {
		return func(v *ArticleView) { v.TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: m}) }
	}
	tests := []struct {
		name       string
		anchor     int
		focus      int
		keys       []func(*ArticleView)
		start, end int
	}{
		{"left moves forward in arabic", s, s, []func(*ArticleView){func(v *ArticleView) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) }}, s + 1, s + 1},
		{"right moves forward in english", en, en, []func(*ArticleView){func(v *ArticleView) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight}) }}, en + 1, en + 1},
		{"shift+left extends by a character", s, s + 4, []func(*ArticleView){func(v *ArticleView) { shiftKey(v, fyne.KeyLeft) }}, s, s + 5},
		{"shift+right shrinks by a character", s, e, []func(*ArticleView){func(v *ArticleView) { shiftKey(v, fyne.KeyRight) }}, s, e - 1},
		{"ctrl+shift+left extends by a word", s, s + 4, []func(*ArticleView){short(fyne.KeyLeft, fyne.KeyModifierControl|fyne.KeyModifierShift)}, s, e},
		{"ctrl+shift+right shrinks by a word", s, e, []func(*ArticleView){short(fyne.KeyRight, fyne.KeyModifierControl|fyne.KeyModifierShift)}, s, s + 5},
		{"alt+shift+left moves the other edge", s - 1, e, []func(*ArticleView){short(fyne.KeyLeft, fyne.KeyModifierAlt|fyne.KeyModifierShift)}, s, e},
		{"ctrl+alt+shift+right moves the other edge by a word", s + 5, e, []func(*ArticleView){short(fyne.KeyRight, fyne.KeyModifierControl|fyne.KeyModifierAlt|fyne.KeyModifierShift)}, s, e},
		{"arrow collapses a selection", s, e, []func(*ArticleView){func(v *ArticleView) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft}) }}, e, e},
		{"end goes to the line end", s, s, []func(*ArticleView){func(v *ArticleView) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) }}, 18, 18},
		{"ctrl+end goes to the end", 0, 0, []func(*ArticleView){short(fyne.KeyEnd, fyne.KeyModifierControl)}, len([]rune(text)), len([]rune(text))},
		{"down goes to the next line", 2, 2, []func(*ArticleView){func(v *ArticleView) { v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) }}, -1, -1},
		{"select all", 3, 3, []func(*ArticleView){func(v *ArticleView) { v.TypedShortcut(&fyne.ShortcutSelectAll{}) }}, 0, len([]rune(text))},
	}
	v, _ := newTestView(t, text, fyne.NewSize(700, 300))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v.anchor, v.focus = tc.anchor, tc.focus
			for _, k := range tc.keys {
				k(v)
			}
			a, b := v.Selection()
			if tc.start < 0 {
				if a != b || a <= 18 {
					t.Fatalf("caret %d–%d, want on the second paragraph", a, b)
				}
				return
			}
			if a != tc.start || b != tc.end {
				t.Fatalf("selection %d–%d, want %d–%d", a, b, tc.start, tc.end)
			}
		})
	}

	// What the view does not handle goes to the app.
	var keys []fyne.KeyName
	var runes []rune
	var shortcuts []string
	v.OnTypedKey = func(ev *fyne.KeyEvent) { keys = append(keys, ev.Name) }
	v.OnTypedRune = func(r rune) { runes = append(runes, r) }
	v.OnShortcut = func(s fyne.Shortcut) { shortcuts = append(shortcuts, s.ShortcutName()) }
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(v, "12x")
	v.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierControl})
	v.TypedShortcut(&fyne.ShortcutUndo{})
	if len(keys) != 2 || keys[0] != fyne.KeyDelete || keys[1] != fyne.KeyReturn {
		t.Errorf("OnTypedKey got %v", keys)
	}
	if string(runes) != "12x" {
		t.Errorf("OnTypedRune got %q", string(runes))
	}
	if len(shortcuts) != 2 {
		t.Errorf("OnShortcut got %v", shortcuts)
	}
	// Copy puts the selected text on the clipboard.
	v.SetSelection(s, e)
	cb := &recordingClipboard{}
	v.TypedShortcut(&fyne.ShortcutCopy{Clipboard: cb})
	if cb.content != "ستيف ويتكوف" {
		t.Errorf("copied %q", cb.content)
	}
}

func TestScrolling(t *testing.T) {
	text := strings.Repeat(seedText(t), 20)
	v, _ := newTestView(t, text, fyne.NewSize(800, 400))
	if v.ScrollOffset() != 0 {
		t.Fatal("not at the top")
	}
	v.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -300)})
	if v.ScrollOffset() == 0 {
		t.Fatal("the wheel did not scroll")
	}
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	top1 := v.view.Top()
	v.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageUp})
	if d := top1 - v.view.Top(); d < 300 {
		t.Fatalf("page up moved %v", d)
	}
	off := len([]rune(text)) * 2 / 3
	v.ScrollToOffset(off)
	p := pointOf(t, v, off, 0.5)
	if p.Y < 0 || p.Y > 400 {
		t.Fatalf("offset %d at y %v after ScrollToOffset", off, p.Y)
	}
	// the scroll bar: a press on its track jumps, a drag moves
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(795, 5)}, Button: desktop.MouseButtonPrimary})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(795, 0)}})
	v.DragEnd()
	v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(795, 0)}, Button: desktop.MouseButtonPrimary})
	if v.view.Top() != 0 {
		t.Fatalf("top %v after dragging the bar to the top", v.view.Top())
	}
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(795, 399)}, Button: desktop.MouseButtonPrimary})
	v.DragEnd()
	if v.view.Top() < v.view.MaxTop()-1 {
		t.Fatalf("top %v after pressing the bar's bottom, want %v", v.view.Top(), v.view.MaxTop())
	}
}

func TestSpanEditsTouchNoLayout(t *testing.T) {
	text := strings.Repeat(seedText(t), 20)
	v, _ := newTestView(t, text, fyne.NewSize(800, 400))
	shaped := v.layout.Stats.Shaped
	red := color.NRGBA{0xe6, 0x19, 0x4b, 0x80}
	v.spans[1] = SpanMark{ID: 1, Start: 10, End: 20, Color: red}
	visible := v.applySpanChange([]SpanMark{v.spans[1]})
	far := len([]rune(text)) - 50
	v.spans[2] = SpanMark{ID: 2, Start: far, End: far + 5, Color: red}
	hidden := v.applySpanChange([]SpanMark{v.spans[2]})
	if !visible || hidden {
		t.Fatalf("redraw for a visible span %v, for a span off screen %v", visible, hidden)
	}
	v.SetSpans([]SpanMark{{ID: 3, Start: 30, End: 40, Color: red}})
	v.AddSpan(SpanMark{ID: 4, Start: 50, End: 60, Color: red})
	v.RemoveSpan(3)
	if got := v.Spans(); len(got) != 1 || got[0].ID != 4 {
		t.Fatalf("spans %v", got)
	}
	if v.layout.Stats.Shaped != shaped {
		t.Fatalf("span edits shaped %d paragraphs", v.layout.Stats.Shaped-shaped)
	}
}

// TestHugeParagraph opens a megabyte of text with no line break: the view
// shapes only what it shows, at the start and after a jump to the middle,
// and selecting and copying there work as anywhere.
func TestHugeParagraph(t *testing.T) {
	one := strings.ReplaceAll(seedText(t), "\n", " ")
	text := strings.Repeat(one, (1<<20)/len(one)+1)
	v, w := newTestView(t, text, fyne.NewSize(900, 600))
	w.Canvas().Capture()
	a, b := v.visibleRange()
	t.Logf("first paint: %d pieces, %d code points shaped, %d shown", v.layout.Stats.Shaped, v.layout.Stats.ShapedRunes, b-a)
	// What is shown, and at most a piece more at each end.
	if n := v.layout.Stats.ShapedRunes; n < b-a || n > (b-a)*3/2 {
		t.Fatalf("the first paint shaped %d code points, for %d shown", n, b-a)
	}
	// the name in the copy of the seed that holds the middle
	n := utf8.RuneCountInString(text)
	per := utf8.RuneCountInString(one)
	s0, e0 := offsetsOf(t, one, "ستيف ويتكوف", 0)
	base := n / 2 / per * per
	s, e := base+s0, base+e0
	shaped, runes := v.layout.Stats.Shaped, v.layout.Stats.ShapedRunes
	v.ScrollToOffset(s)
	w.Canvas().Capture()
	a, b = v.visibleRange()
	t.Logf("jump: %d pieces, %d code points shaped, %d shown", v.layout.Stats.Shaped-shaped, v.layout.Stats.ShapedRunes-runes, b-a)
	if d := v.layout.Stats.ShapedRunes - runes; d == 0 || d > (b-a)*3/2 {
		t.Fatalf("the jump shaped %d code points, for %d shown", d, b-a)
	}
	drag(v, pointOf(t, v, s, 0.9), pointOf(t, v, e-1, 0.1), 0)
	if a, b := v.Selection(); a != s || b != e {
		t.Fatalf("selection %d–%d, want %d–%d", a, b, s, e)
	}
	cb := &recordingClipboard{}
	v.TypedShortcut(&fyne.ShortcutCopy{Clipboard: cb})
	if cb.content != "ستيف ويتكوف" {
		t.Errorf("copied %q", cb.content)
	}
	if v.Text() != text {
		t.Error("Text() is not the text set")
	}
}

// --- rendering masters ----------------------------------------------------

func assertImage(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./widgets -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	same := b.Size() == want.Bounds().Size()
	if same {
		wb := want.Bounds()
		for y := 0; y < b.Dy() && same; y++ {
			for x := 0; x < b.Dx(); x++ {
				r1, g1, b1, a1 := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				r2, g2, b2, a2 := want.At(wb.Min.X+x, wb.Min.Y+y).RGBA()
				if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 || a1>>8 != a2>>8 {
					same = false
					break
				}
			}
		}
	}
	if !same {
		_ = os.MkdirAll(filepath.Join("testdata", "failed"), 0o755)
		if out, err := os.Create(filepath.Join("testdata", "failed", name)); err == nil {
			_ = png.Encode(out, img)
			out.Close()
		}
		t.Errorf("rendering differs from %s; see testdata/failed/%s", path, name)
	}
}

// Label colours of the default project, translucent.
var (
	person = color.NRGBA{0xe6, 0x19, 0x4b, 0x70}
	place  = color.NRGBA{0x3c, 0xb4, 0x4b, 0x70}
	event  = color.NRGBA{0x43, 0x63, 0xd8, 0x70}
)

// SeedSpans marks some persons, places and events of the seed article.
func seedSpans(t testing.TB, text string) []SpanMark {
	var out []SpanMark
	add := func(sub string, n int, c color.Color, sugg bool) {
		s, e := offsetsOf(t, text, sub, n)
		out = append(out, SpanMark{ID: int64(len(out) + 1), Start: s, End: e, Color: c, Suggestion: sugg})
	}
	add("أمريكا", 0, place, false)
	add("واشنطن", 0, place, false)
	add("رويترز", 0, event, true)
	add("ستيف ويتكوف", 0, person, false)
	add("ويتكوف", 0, person, false) // overlaps the full name
	add("دونالد ترامب", 0, person, false)
	add("رستم أوميروف", 0, person, false)
	add("ألاسكا", 0, place, false)
	add("جاريد كوشنر", 0, person, false)
	add("أندريه هناتوف", 0, person, false)
	add("أوكرانيا", 1, place, false)
	add("فلاديمير بوتين", 0, person, false)
	add("موسكو", 0, place, false)
	add("المحادثات في موسكو", 0, event, false)
	return out
}

func TestRenderMasters(t *testing.T) {
	seed := seedText(t)
	mixed := "قال المتحدث باسم البيت الأبيض John Kirby إن الاجتماع (الذي عقد في Miami يوم 5 ديسمبر) كان \"مثمرا\"، مضيفا أن 3 جولات أخرى ستعقد قبل نهاية العام في Geneva.\n" +
		"The envoy Steve Witkoff (المبعوث الخاص ستيف ويتكوف) met Rustem Umerov on December 5, 2025 in ميامي."
	english := "U.S. officials said on Friday that envoy Steve Witkoff held productive talks with Ukraine's chief negotiator Rustem Umerov over two days in Miami, and that more talks would take place on Saturday."
	wrapText := "والتقى ويتكوف وصهر الرئيس الأمريكي جاريد كوشنر مع أوميروف والجنرال أندريه هناتوف، رئيس أركان الجيش الأوكراني."
	tests := []struct {
		name  string
		text  string
		size  fyne.Size
		spans func() []SpanMark
		sel   int64
		dark  bool
	}{
		{"article_seed.png", seed, fyne.NewSize(900, 600), func() []SpanMark { return seedSpans(t, seed) }, 4, false},
		{"article_mixed.png", mixed, fyne.NewSize(640, 260), func() []SpanMark {
			s1, e1 := offsetsOf(t, mixed, "John Kirby", 0)
			s2, e2 := offsetsOf(t, mixed, "Miami", 0)
			s3, e3 := offsetsOf(t, mixed, "ستيف ويتكوف", 0)
			s4, e4 := offsetsOf(t, mixed, "ميامي", 0)
			return []SpanMark{{ID: 1, Start: s1, End: e1, Color: person}, {ID: 2, Start: s2, End: e2, Color: place}, {ID: 3, Start: s3, End: e3, Color: person}, {ID: 4, Start: s4, End: e4, Color: place}}
		}, 0, false},
		{"article_english.png", english, fyne.NewSize(480, 200), func() []SpanMark {
			s1, e1 := offsetsOf(t, english, "Steve Witkoff", 0)
			s2, e2 := offsetsOf(t, english, "Miami", 0)
			s3, e3 := offsetsOf(t, english, "Rustem Umerov", 0)
			return []SpanMark{{ID: 1, Start: s1, End: e1, Color: person}, {ID: 2, Start: s2, End: e2, Color: place}, {ID: 3, Start: s3, End: e3, Color: person, Suggestion: true}}
		}, 1, false},
		{"article_wrap_span.png", wrapText, fyne.NewSize(330, 170), func() []SpanMark {
			s, e := offsetsOf(t, wrapText, "جاريد كوشنر مع أوميروف والجنرال أندريه", 0)
			return []SpanMark{{ID: 1, Start: s, End: e, Color: event}}
		}, 1, false},
		{"article_seed_dark.png", seed, fyne.NewSize(700, 300), func() []SpanMark { return seedSpans(t, seed) }, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, w := newTestView(t, tc.text, tc.size)
			if tc.dark {
				fyne.CurrentApp().Settings().SetTheme(darkTheme)
			}
			v.SetSpans(tc.spans())
			v.SetSelectedSpan(tc.sel)
			assertImage(t, tc.name, w.Canvas().Capture())
		})
	}
}

// TestPendingText: a text given through SetPendingText is shown, without
// spans, by the first layout or paint after it is ready, and looks as
// SetText would show it; SetPreparedText with that text keeps it as the
// user has it, and SetPreparedText with another stops the wait.
func TestPendingText(t *testing.T) {
	seed := seedText(t)
	red := color.NRGBA{0xe6, 0x19, 0x4b, 0x80}
	v, w := newTestView(t, "an article shown before", fyne.NewSize(800, 400))
	v.SetSpans([]SpanMark{{ID: 1, Start: 3, End: 10, Color: red}})
	v.SetSelectedSpan(1)
	v.SetSelection(0, 2)
	w.Canvas().Capture()

	text := strings.Repeat(seed, 20)
	next := PrepareText(text)
	var ready bool
	asked := 0
	v.SetPendingText(func() (PreparedText, bool) {
		asked++
		return next, ready
	})
	w.Canvas().Capture()
	if asked == 0 || v.Text() != "an article shown before" || len(v.Spans()) != 1 {
		t.Fatalf("not ready: asked %d times, showing %q with %d spans", asked, v.Text(), len(v.Spans()))
	}
	// Ready: taken by the next layout (here a resize), once.
	ready = true
	w.Resize(fyne.NewSize(800, 401))
	if v.Text() != text {
		t.Fatal("the layout after the text was ready did not show it")
	}
	if len(v.Spans()) != 0 || v.SelectedSpan() != 0 {
		t.Errorf("the text taken shows %d spans, span %d outlined", len(v.Spans()), v.SelectedSpan())
	}
	if a, b := v.Selection(); a != 0 || b != 0 {
		t.Errorf("the text taken has %d–%d selected", a, b)
	}
	n := asked
	w.Resize(fyne.NewSize(800, 400))
	w.Canvas().Capture()
	if asked != n {
		t.Errorf("asked %d more times once the text was taken", asked-n)
	}
	// It looks as SetText shows it.
	_, ww := newTestView(t, text, fyne.NewSize(800, 400))
	if !sameImage(w.Canvas().Capture(), ww.Canvas().Capture()) {
		t.Error("the text taken is drawn otherwise than by SetText")
	}

	// The same text given again keeps its layout and scroll.
	v.ScrollToOffset(5000)
	top, shaped := v.view.Top(), v.layout.Stats.Shaped
	v.SetPreparedText(next)
	if v.view.Top() != top || v.layout.Stats.Shaped != shaped {
		t.Errorf("set again: top %v → %v, %d paragraphs shaped", top, v.view.Top(), v.layout.Stats.Shaped-shaped)
	}
	// Once given, another Indexed of the same text is a new text.
	v.SetPreparedText(PrepareText(text))
	if v.view.Top() != 0 {
		t.Errorf("a new text at top %v, want 0", v.view.Top())
	}

	// Taken by a paint, with no layout between.
	other := PrepareText(seed)
	v.SetPendingText(func() (PreparedText, bool) { return other, true })
	w.Canvas().Capture()
	if v.Text() != seed {
		t.Error("the paint after SetPendingText did not show the text ready")
	}

	// The start of a text, then the whole: the view stays where the
	// user took it, and keeps the selection.
	cut := strings.LastIndex(text[:len(text)/2], "\n") + 1
	head := PrepareText(text[:cut])
	v.SetPendingText(func() (PreparedText, bool) { return head, true })
	w.Canvas().Capture()
	if v.Text() != text[:cut] {
		t.Fatal("the start of the text was not shown")
	}
	v.ScrollToOffset(utf8.RuneCountInString(text[:cut]) / 2)
	v.SetSelection(4000, 4010)
	w.Canvas().Capture()
	off := v.ScrollOffset()
	a0, _ := v.visibleRange()
	v.SetPreparedText(next)
	w.Canvas().Capture()
	a1, _ := v.visibleRange()
	if v.Text() != text || v.ScrollOffset() != off || a1 != a0 {
		t.Errorf("the whole text after its start: %d bytes, top line at %d → %d, shown from %d → %d",
			len(v.Text()), off, v.ScrollOffset(), a0, a1)
	}
	if a, b := v.Selection(); a != 4000 || b != 4010 {
		t.Errorf("the whole text after its start: %d–%d selected, want 4000–4010", a, b)
	}

	// SetPreparedText ends the wait.
	asked = 0
	ready = false
	v.SetPendingText(func() (PreparedText, bool) {
		asked++
		return next, ready
	})
	v.SetText("chosen meanwhile")
	ready = true
	w.Resize(fyne.NewSize(800, 402))
	w.Canvas().Capture()
	if v.Text() != "chosen meanwhile" || asked != 0 {
		t.Errorf("after SetText: showing %d bytes, asked %d times", len(v.Text()), asked)
	}
}

// sameImage says whether a and b have the same pixels.
func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
