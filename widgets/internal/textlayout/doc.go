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
// The work done is proportional to what is shown, not to the document.
// The text stays the UTF-8 string it came as, indexed once (paragraphs,
// and the byte offset of every 1024th code point); paragraph heights are
// kept with their sums by blocks in a Fenwick tree (heights.go), estimated
// from their length until laid out.
// A paragraph is laid out the first time it is needed. One longer than a
// few thousand code points is cut into pieces of about 256 code points,
// at places where a piece shapes, segments, breaks lines and resolves
// bidi levels as the whole paragraph would (see cutParagraph), and its
// pieces are shaped and its lines laid out only where the view reaches
// (see lines.go). Shaping results stay cached until the text, the
// direction or the font size change (a change of width only re-wraps), or
// until they are evicted: beyond about 64,000 code points shaped, the
// pieces painted longest ago are dropped, and shaped again, the same, when
// they come back into view. A View keeps its top anchored to a line, so
// that estimates above it becoming exact never move what is shown.
package textlayout
