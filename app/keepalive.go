package app

import (
	"context"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne's desktop driver knows which window an object is in from a cache
// whose entries expire a minute after they were last looked up. A window
// that repaints at least every 50 seconds is never walked to keep its
// entries alive (a repaint counts as a walk), yet a repaint renews only
// the entries it adds, not those it finds: an object that never asks for
// its canvas itself (a Select nobody touched) expires, and a cache clean
// that another window's repaint triggers removes it. Until its own window
// repaints, the driver knows no canvas for it, and a click opens its
// pop-up on none: the Agreement window's "Measure" dropdown crashed so,
// after a minute of adjudicating in the other window (Select.showPopUp,
// NewPopUpMenu with a nil canvas; FYNE_CACHE=20s makes it happen in half
// a minute). Entries (their right-click menu) and tabs do the same.
//
// keepCanvases looks every object of every window up in that cache more
// often than entries expire, which renews them, and has a window repaint
// when one of its objects was removed already, which adds it back.

// keepEvery is how often the windows' objects are looked up: a third of
// the cache's lifetime (one minute, or FYNE_CACHE).
func keepEvery() time.Duration {
	life := time.Minute
	if d, err := time.ParseDuration(os.Getenv("FYNE_CACHE")); err == nil && d > 0 {
		life = d
	}
	return life / 3
}

// canvasOf is the driver's canvas for o (tests replace it).
var canvasOf = func(o fyne.CanvasObject) fyne.Canvas {
	return fyne.CurrentApp().Driver().CanvasForObject(o)
}

// keepCanvases keeps the app's windows' objects known to the driver
// until ctx ends.
func keepCanvases(ctx context.Context, a fyne.App) {
	every := keepEvery()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fyne.Do(func() {
					for _, w := range a.Driver().AllWindows() {
						keepWindow(w)
					}
				})
			}
		}
	}()
}

// keepWindow looks every object of w up, and has w repaint when one is
// unknown; it reports whether one was.
func keepWindow(w fyne.Window) bool {
	c := w.Canvas()
	if c == nil || c.Content() == nil {
		return false
	}
	lost := false
	visit := func(o fyne.CanvasObject) {
		if canvasOf(o) == nil {
			lost = true
		}
	}
	walkObjects(c.Content(), visit)
	for _, o := range c.Overlays().List() {
		walkObjects(o, visit)
	}
	if lost {
		c.Refresh(c.Content())
	}
	return lost
}

// walkObjects visits o and the objects it holds that the app put there:
// through containers, splits, scrolls, tabs, pop-ups (dialogs), cards,
// and forms (rows of lists hold nothing that asks for its canvas).
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case *container.Split:
		kids = []fyne.CanvasObject{x.Leading, x.Trailing}
	case *container.Scroll:
		kids = []fyne.CanvasObject{x.Content}
	case *container.AppTabs:
		for _, it := range x.Items {
			kids = append(kids, it.Content)
		}
	case *widget.PopUp:
		kids = []fyne.CanvasObject{x.Content}
	case *widget.Card:
		kids = []fyne.CanvasObject{x.Content}
	case *widget.Form:
		for _, it := range x.Items {
			kids = append(kids, it.Widget)
		}
	}
	for _, k := range kids {
		walkObjects(k, visit)
	}
}
