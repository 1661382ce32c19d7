package widgets

import "fyne.io/fyne/v2"

// RevealLayout lays objects out with Inner and, when their size changed
// (a window opened or was resized, which wraps text again), calls Reveal:
// to scroll article views back to what the user was looking at.
type RevealLayout struct {
	Inner  fyne.Layout
	Reveal func()
	size   fyne.Size
}

// MinSize is Inner's.
func (l *RevealLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return l.Inner.MinSize(objects)
}

// Layout lays out with Inner, then reveals when the size changed.
func (l *RevealLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.Inner.Layout(objects, size)
	if size != l.size {
		l.size = size
		if l.Reveal != nil {
			l.Reveal()
		}
	}
}
