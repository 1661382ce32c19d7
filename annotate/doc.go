// Package annotate is Qalam's domain: documents, labels, layers, spans,
// statuses and comments, and the rules that keep them consistent.
//
// It imports neither Fyne nor database/sql. Offsets are Unicode code points
// (an index into []rune), end exclusive, everywhere in this package.
package annotate
