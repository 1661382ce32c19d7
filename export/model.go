package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// Source is what Export reads: a project. *sqlite.Store is one.
type Source interface {
	Labels(ctx context.Context) (annotate.LabelSet, error)
	Layers(ctx context.Context) ([]annotate.Layer, error)
	CountDocuments(ctx context.Context) (int, error)
	// EachDocument calls fn for every document in a stable order, with the
	// spans and statuses of the named layers; see sqlite.Store.EachDocument.
	EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error
}

// Sink is what Import writes to: an import into a project, opened by the
// caller and committed (or aborted) by the caller once Import returns.
// *sqlite.AnnotationImporter is one.
type Sink interface {
	// Labels is the project's label set, with the labels added so far.
	Labels() (annotate.LabelSet, error)
	// AddLabel adds a label the project lacks.
	AddLabel(name string) error
	// Document returns the project's document with doc's text, adding doc
	// when there is none; added tells which.
	Document(doc annotate.Document) (annotate.Document, bool, error)
	// Add stores spans in layer on a document and sets the layer's status
	// there unless status is ""; it returns how many spans were new.
	Add(docID int64, layer string, spans []annotate.Span, status annotate.Status) (int, error)
}

// DocumentFinder is a Sink that can find a document by the SHA-256 of its
// text: an xlsx whose text a spreadsheet changed attaches to its document
// by the hash the sheet states. *sqlite.AnnotationImporter is one.
type DocumentFinder interface {
	DocumentBySHA256(sha string) (annotate.Document, bool, error)
}

// Doc is one document as an encoder receives it: the document and the work
// of the exported layers on it, in the order the layers were asked for.
type Doc struct {
	annotate.Document
	Layers []LayerWork
	// tok holds what the token formats need (see Doc.tokens); Export
	// fills it ahead, on other goroutines.
	tok *docTokens
}

// LayerWork is one layer's spans on a document, sorted by start, then by
// end.
type LayerWork struct {
	Name   string
	Status annotate.Status
	Spans  []annotate.Span
}

// Encoder writes documents in one format.
type Encoder interface {
	// Encode writes one document with the work of each of its layers.
	Encode(d *Doc) error
	// Close finishes the output (a closing bracket, the last sheets); it
	// does not close the writer the encoder was made with.
	Close() error
}

// EncodeOptions are what every encoder is made with.
type EncodeOptions struct {
	// Offsets is the unit of the offsets written: code points (the
	// default), UTF-16 code units or UTF-8 bytes.
	Offsets annotate.OffsetUnit
	// Labels is the project's label set (colours for xlsx).
	Labels annotate.LabelSet
	// Layers names every layer the export will give, in order (xlsx
	// status columns and agreement, brat subfolders).
	Layers []string
	// Context is how many code points of context the xlsx Spans sheet
	// shows on each side of a span; 0 means 40.
	Context int
	// Tokens is TokensSplit ("" too) or TokensWords; Unit is
	// UnitSentence ("" too) or UnitDocument; Sep is the CoNLL column
	// separator, SepSpace ("" too) or SepTab.
	Tokens, Unit, Sep string
	// Report receives what an encoder left out, such as a span that
	// overlaps another in CoNLL; nil drops it.
	Report func(Problem)
	// Note counts what an encoder changed on purpose (see NoteTrimmed);
	// nil drops it.
	Note func(kind string, n int)
}

func (o EncodeOptions) report(p Problem) {
	if o.Report != nil {
		o.Report(p)
	}
}

func (o EncodeOptions) note(kind string, n int) {
	if o.Note != nil && n > 0 {
		o.Note(kind, n)
	}
}

// fileLabels returns what labels become in formats that split at white
// space (see fileLabel), counting each label it changes once.
func (o EncodeOptions) fileLabels() func(string) string {
	seen := map[string]string{}
	return func(l string) string {
		v, ok := seen[l]
		if !ok {
			v = fileLabel(l)
			seen[l] = v
			if v != l {
				o.note(NoteLabels, 1)
			}
		}
		return v
	}
}

// cut tokenizes one layer's work as the options ask and counts its notes.
func (o EncodeOptions) cut(d *Doc, lw *LayerWork) *layerTokens {
	lt := cut(d, lw, o.Tokens, o.Unit, o.report)
	for k, n := range lt.notes {
		o.note(k, n)
	}
	return lt
}

func (o EncodeOptions) unit() annotate.OffsetUnit {
	if o.Offsets == "" {
		return annotate.CodePoints
	}
	return o.Offsets
}

// Span is a span as a file gives it, before it is checked against the
// document: offsets in the record's unit, the label, and the text the file
// says the span covers (HasText false when it says nothing).
type Span struct {
	Start, End int
	Label      string
	Text       string
	HasText    bool
	// Loose compares Text with line breaks of the document read as
	// single spaces (brat writes a span over a line break so).
	Loose bool
	// Line is the span's own line (brat, CoNLL, xlsx), 0 when it is the
	// record's; File, when not "", is where that line is (an xlsx sheet).
	Line int
	File string
	// Layer is the layer the file says the span belongs to (xlsx rows,
	// Label Studio annotations, a JSONL record's meta), "" when it says
	// none; ImportOptions.FromLayer selects by it.
	Layer string
}

// Record is one document read from a file.
type Record struct {
	File string // the file it came from
	Line int    // the line it starts on (the row of a sheet), 0 for none
	Name string // the document's name
	Text string
	Meta json.RawMessage
	// Layer is the layer the file says the spans belong to (the meta of
	// a JSONL record an export wrote), "" when it says none; a span's own
	// Layer comes first.
	Layer string
	// Unit is the unit of the offsets of Spans and Predictions; ""
	// means the import's default (ImportOptions.Offsets).
	Unit annotate.OffsetUnit
	// Spans are an annotator's spans; Annotated tells whether the record
	// holds an annotator's judgement of the document at all (a row with
	// no spans is one: the annotator found no entity).
	Spans     []Span
	Annotated bool
	// Layers names the layers whose judgement the record holds when it
	// holds several (Label Studio's annotators); without it an
	// annotated record is the judgement of Layer.
	Layers []string
	// Statuses are the layers' statuses the file states (xlsx), by
	// layer; "" for a layer without work on the document. Without them
	// an annotated record is finished work.
	Statuses map[string]annotate.Status
	// Predictions are a model's spans (Label Studio predictions): stored
	// only when importing suggestions.
	Predictions []Span
	// SHA256, when not "", is the hash the file says the text has (the
	// xlsx sha256 column) where the text read does not have it: the
	// document is the project's of that hash.
	SHA256 string
	// Notes count what was changed on purpose, by kind (NoteLineBreaks).
	Notes map[string]int
	// Skip, when not "", leaves the record out on purpose (a Prodigy
	// "reject"); the import counts it by this reason.
	Skip string
	// Err refuses the record.
	Err error
	// Problems are parts of the record the decoder refused, such as a
	// discontinuous brat span or a malformed CoNLL line.
	Problems []Problem
	// Ignored counts parts of the record left out by design, by kind
	// ("brat R lines", "Label Studio choices").
	Ignored map[string]int
}

func (r *Record) ignore(what string, n int) {
	if n == 0 {
		return
	}
	if r.Ignored == nil {
		r.Ignored = map[string]int{}
	}
	r.Ignored[what] += n
}

func (r *Record) problem(line int, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{File: r.File, Line: line, Doc: r.Name, Err: fmt.Errorf(format, args...)})
}

// Decoder reads records from a file.
type Decoder interface {
	// Next returns the next record, or io.EOF after the last. A record
	// that cannot be used comes back with Err set and reading goes on; an
	// error from Next itself means the rest of the file cannot be read.
	Next() (*Record, error)
}

// DecodeOptions are what every decoder is made with.
type DecodeOptions struct {
	// File names the input in problems.
	File string
	// Name names the documents of records that give no name, followed
	// by ":" and their line in files of several records (see
	// articles.Name); "" takes File's base name without its extension.
	Name string
	// Text is the document's text, for formats whose annotations come
	// apart from it (brat: the decoder reads the .ann file).
	Text string
	// TagNames are the names of a dataset's label ids, for Hugging Face
	// rows whose tags are ids.
	TagNames []string
}

// Problem is something an import or export could not do as asked: a
// refused record, span or line, or a span an export could not write
// exactly. It names where: the file and line, or the document.
type Problem struct {
	File  string
	Line  int
	Doc   string
	Layer string
	Err   error
}

func (p Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		// Quoted, so that a name with a line break cannot fake a line
		// of the report.
		b.WriteString(strconv.Quote(p.File))
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	}
	if p.Doc != "" {
		fmt.Fprintf(&b, "document %q", p.Doc)
		if p.Layer != "" {
			fmt.Fprintf(&b, " (layer %s)", p.Layer)
		}
		b.WriteString(": ")
	}
	if p.Err != nil {
		b.WriteString(p.Err.Error())
	}
	return b.String()
}

func (p Problem) Unwrap() error { return p.Err }

// FolderWriter creates the files of a folder format (brat).
type FolderWriter interface {
	// Create makes a file at name, a slash-separated path inside the
	// folder whose parent folders are created as needed.
	Create(name string) (io.WriteCloser, error)
}
