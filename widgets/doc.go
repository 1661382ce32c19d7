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
// (Unicode word segmentation); hold Ctrl while pressing for character
// precision, e.g. to leave out a clitic (و، ف، ب، ل، ك، ال).
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
// PrepareText indexes a text on any goroutine, for SetPreparedText; a
// window's first frame can show a text prepared meanwhile, or a long
// one's start while the rest is read, through SetPendingText.
//
// # BidiLabel
//
// BidiLabel shows one line of text wherever document text, names or
// labels a user typed appear outside the article: list rows, captions,
// the status bar, dialogs. Fyne's own labels shape Arabic but do not
// reorder it, so "5000 دولار" loses its space and "دولار. $5,000" comes
// out scrambled; BidiLabel lays the text out with the article view's
// engine and shows them as the article does (and as GNU FriBidi orders
// them).
//
//	l := widgets.NewBidiLabel(span.Text)
//	l.Truncation = fyne.TextTruncateEllipsis // in a list row: MinSize holds only "…"
//	l.Alignment = fyne.TextAlignLeading      // the paragraph's start: right for Arabic
//	l.TextStyle.Bold = true                  // Amiri Bold
//	l.Importance = widget.HighImportance     // colours as widget.Label's
//	l.SetText(other)
//
// The text is its own paragraph, isolated from the interface around it
// as if wrapped in U+2068 … U+2069: its direction is that of its first
// strong character (left to right when it has none) unless Direction
// sets one. Inside a longer message, wrap the quoted part with Isolate so
// that it keeps its own direction and leaves the words around it in
// place:
//
//	l.SetText("Span " + widgets.Isolate(span.Text) + " marked PLACE")
//
// The label is one line high (paragraph separators show as spaces). Text
// wider than the label is cut at its logical end, between glyph
// clusters, and the ellipsis goes where the paragraph ends: at the left
// edge of a right-to-left line, the right edge of a left-to-right one.
// MinSize asks for the whole text unless Truncation is set
// (TextTruncateEllipsis: room for "…"; TextTruncateClip: cut without
// "…"). Its height is the theme's inner padding around one line of the
// font, as for a widget.Label in Qalam's Amiri theme.
//
// With Wrapping set (fyne.TextWrapWord) the label is a block of text
// instead: broken between words into as many lines as its width needs,
// each paragraph of the text in its own direction and aligned to its
// start edge, and MinSize asks for the height of those lines; for long
// messages (a status line, a dialog's sentence) that quote document text.
//
// Labels share their layout work: one shaper and glyph cache per text
// size and weight, the 1,024 texts laid out last kept for lists that
// show them again; each label keeps its own line and painted image until
// its text, size, style, colour or width change.
package widgets
