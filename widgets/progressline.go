package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// ProgressLine is a line of text with a bar beside it. (A ProgressBar's
// own text is drawn on the primary colour, which light themes make hard
// to read.) Put Object() in a container.
type ProgressLine struct {
	label *widget.Label
	bar   *widget.ProgressBar
	box   fyne.CanvasObject
}

// NewProgressLine returns an empty line.
func NewProgressLine() *ProgressLine {
	p := &ProgressLine{label: widget.NewLabel(""), bar: widget.NewProgressBar()}
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.bar.TextFormatter = func() string { return "" }
	size := fyne.NewSize(220, p.label.MinSize().Height*0.6)
	p.box = container.NewBorder(nil, nil, nil, container.NewCenter(container.NewGridWrap(size, p.bar)), p.label)
	return p
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
