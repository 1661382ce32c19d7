package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// ProgressLine is a line of text with a bar beside it. (A ProgressBar's
// own text is drawn on the primary colour, which light themes make hard
// to read.) The text is a BidiLabel, so that it may quote names and
// numbers in either direction. Put Object() in a container.
type ProgressLine struct {
	label *BidiLabel
	bar   *widget.ProgressBar
	box   *fyne.Container
	size  fyne.Size
}

// NewProgressLine returns an empty line.
func NewProgressLine() *ProgressLine {
	p := &ProgressLine{label: NewBidiLabel(""), bar: widget.NewProgressBar()}
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.bar.TextFormatter = func() string { return "" }
	p.size = fyne.NewSize(220, p.label.MinSize().Height*0.6)
	p.box = container.NewBorder(nil, nil, nil, nil)
	p.SetDirection(DirectionAuto)
	return p
}

// SetDirection sets the text's paragraph direction; in a right-to-left
// one the line starts at the right and the bar stands at its left.
func (p *ProgressLine) SetDirection(d TextDirection) {
	p.label.Direction = d
	bar := container.NewCenter(container.NewGridWrap(p.size, p.bar))
	if d == DirectionRTL {
		p.box.Layout = layout.NewBorderLayout(nil, nil, bar, nil)
	} else {
		p.box.Layout = layout.NewBorderLayout(nil, nil, nil, bar)
	}
	p.box.Objects = []fyne.CanvasObject{p.label, bar}
	p.box.Refresh()
}

// Object is what to lay out.
func (p *ProgressLine) Object() fyne.CanvasObject { return p.box }

// Set shows text, and done of total on the bar.
func (p *ProgressLine) Set(text string, done, total int) {
	p.label.SetText(text)
	p.bar.Max = float64(max(total, 1))
	p.bar.SetValue(float64(min(done, max(total, 1))))
	p.bar.Refresh()
}

// Text is the line shown.
func (p *ProgressLine) Text() string { return p.label.Text }
