// Package textlayout lays out a document of right-to-left, left-to-right
// and mixed text for the article view, without any window: it splits
// paragraphs, resolves bidi levels (widgets/internal/bidi), segments runs by
// script and face, shapes them with HarfBuzz (go-text/typesetting), wraps
// lines, reorders runs, maps pixels to code points and back, computes the
// rectangles behind a range of text, and paints the visible part of the
// document into an image.
//
// Offsets are code points into the document text (an index into []rune),
// end exclusive. Coordinates are logical pixels: x from the left edge of
// the text area, y from the top of the document.
//
// Paragraphs are shaped and wrapped lazily, the first time they are
// needed; shaping results stay cached until the text, the direction or the
// font size change, and a change of width only re-wraps. The height of a
// paragraph not yet laid out is estimated from its length.
package textlayout
