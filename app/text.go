package app

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets"
)

// How the window shows text. Fyne's labels shape Arabic but lay its
// direction runs out left to right, so anything that mixes directions is
// shown by a widgets.BidiLabel: document text and names, layer and label
// names (docLabel), and the interface's own sentences (uiLabel,
// message), which in Arabic hold numbers and names. A name quoted inside
// a sentence is isolated (quote) so that it keeps its own direction and
// leaves the sentence's words in place. Fyne's labels remain for the
// interface's plain words (button and menu texts, headings without
// numbers), which it shows right in either language.

// uiDirection is the paragraph direction of the interface's sentences.
func uiDirection() widgets.TextDirection {
	if rtl() {
		return widgets.DirectionRTL
	}
	return widgets.DirectionLTR
}

// uiLabel shows one line of the interface, in its direction, cut with an
// ellipsis when it does not fit.
func uiLabel(text string) *widgets.BidiLabel {
	l := widgets.NewBidiLabel(text)
	l.Direction = uiDirection()
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// message shows an interface sentence on as many lines as it needs.
func message(text string) *widgets.BidiLabel {
	l := widgets.NewBidiLabel(text)
	l.Direction = uiDirection()
	l.Wrapping = fyne.TextWrapWord
	return l
}

// docLabel shows document text or a name a user typed on one line, in
// the direction of its first strong character, cut at its logical end,
// and placed where the interface's lines start whatever its direction.
func docLabel(text string) *widgets.BidiLabel {
	l := widgets.NewBidiLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	l.FixedAlignment = true
	l.Alignment = leading()
	return l
}

// quote isolates document text or a name inside an interface sentence.
func quote(s string) string { return widgets.Isolate(s) }

// atWidth lays its objects out, centred, w wide or as wide as there is
// room for when that is less, and asks for the height they need at the
// width they were last given: for blocks of wrapped text, whose height
// depends on their width. It asks for no width: it never widens a window.
type atWidth struct {
	w, last float32
}

func newAtWidth(w float32, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&atWidth{w: w}, objs...)
}

func (a *atWidth) width() float32 {
	if a.last > 0 {
		return min(a.w, a.last)
	}
	return a.w
}

func (a *atWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	w := a.width()
	for _, o := range objs {
		if o.Size().Width != w {
			o.Resize(fyne.NewSize(w, max(o.Size().Height, o.MinSize().Height)))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h)
}

func (a *atWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	a.last = size.Width
	w := a.width()
	for _, o := range objs {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// labelButton is a button whose text is a BidiLabel drawn over it: for a
// text that quotes a name or a number (Fyne draws a button's own text
// in one direction).
func labelButton(l *widgets.BidiLabel, tapped func()) (fyne.CanvasObject, *widget.Button) {
	b := widget.NewButton("", tapped)
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(b, l), b
}

// names lists names a user typed (layers, labels) in a sentence, each
// isolated, with the language's list separator.
func names(list []string) string {
	q := make([]string, len(list))
	for i, n := range list {
		q[i] = quote(n)
	}
	return strings.Join(q, lang.X("list.separator", ", "))
}

// fyneLine joins the parts of a line for a widget Fyne draws. Fyne
// resolves a line's bidi levels but lays its direction runs out in their
// logical order, left to right: a line of Arabic words alone shows
// right, but one that mixes them with a number or a Latin name does not.
// In Arabic the parts are given in the order they stand from the left,
// after a LEFT-TO-RIGHT MARK that makes the line left to right: each part
// then shows in its own direction where it should. Each part must be of
// one direction (Arabic words, or a number, or a Latin word), without
// punctuation at its ends.
func fyneLine(parts ...string) string {
	if !rtl() {
		return strings.Join(parts, " ")
	}
	parts = slices.Clone(parts)
	slices.Reverse(parts)
	return "\u200e" + strings.Join(parts, " ")
}
