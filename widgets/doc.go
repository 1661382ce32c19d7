// Package widgets holds Qalam's custom Fyne widgets.
//
// # ArticleView
//
// ArticleView shows one article for annotation: Arabic, English and mixed
// text, shaped and ordered with the Unicode Bidirectional Algorithm, with
// spans drawn as coloured backgrounds so letters keep joining across a
// span's edge. Offsets are code points into the text (Go: index into
// []rune), end exclusive, as everywhere in Qalam.
//
//	v := widgets.NewArticleView()
//	v.SetText(doc.Text)
//	v.SetDirection(widgets.DirectionAuto) // or DirectionLTR / DirectionRTL
//	v.SetSpans([]widgets.SpanMark{{ID: 7, Start: 151, End: 162, Color: red}})
//	v.SetSelectedSpan(7)            // outline span 7; 0 clears
//	v.OnSelectionChanged = func(start, end int) { ... }
//	v.OnSpanTapped = func(id int64) { ... }
//	v.OnTypedKey = func(ev *fyne.KeyEvent) { ... } // keys the view leaves
//	v.OnTypedRune = func(r rune) { ... }           // label hotkeys 1, 2, 3 ...
//	v.OnShortcut = func(s fyne.Shortcut) { ... }   // shortcuts it leaves
//	start, end := v.Selection()
//	v.SetSelection(start, end)
//	v.ScrollToOffset(off)
//	v.SetTextSize(18)
//
// The view scrolls itself (wheel, scroll bar, Page Up/Down) and draws only
// what is visible; do not wrap it in container.Scroll.
//
// Mouse: a drag selects what it passes over on screen, in whole words
// (Unicode word segmentation); hold Alt or Ctrl while pressing for
// character precision, e.g. to leave out a clitic (و، ف، ب، ل، ك، ال).
// In mixed text the selection is the logical range around what was passed
// over: from the right edge of "5000" in an Arabic line, a drag to the left
// over the number and "دولار" selects both. A double click selects a word, Shift+click
// extends the selection, and a click on a span reports it through
// OnSpanTapped (clicking again where spans overlap cycles through them).
//
// Keyboard, once focused: arrows move the caret (Left/Right follow the
// paragraph's direction, so Left moves forward in Arabic); Shift+arrows
// move the selection's moving edge by one character and Ctrl+Shift+arrows
// by one word; Alt+Shift+arrows (Ctrl+Alt+Shift for words) move the other
// edge. Home/End go to the line's ends, Ctrl+Home/End to the document's,
// Ctrl+A selects everything and Ctrl+C copies the selection. Every other
// key, rune and shortcut goes to OnTypedKey, OnTypedRune and OnShortcut
// (shortcuts go to the window's canvas when OnShortcut is nil).
//
// Text is laid out by widgets/internal/textlayout (testable without a
// window) in the bundled Amiri font, and the visible region is painted
// into one raster. The work is proportional to what is shown: a 100 MB
// article or a megabyte without a line break opens as fast as a page.
package widgets
