package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
)

// Auto is the ImportOptions.Format that recognises each file's format
// (see Detect).
const Auto = "auto"

// ImportOptions choose how Import reads files and where it stores them.
type ImportOptions struct {
	Format string // a format name, or Auto
	// Layer receives the spans: an annotator's name (the spans become
	// that layer's finished work: origin imported, status done; in
	// progress when some of the document's spans were refused) or
	// annotate.Suggestion (spans to accept or reject: origin suggested, no
	// status). Label Studio predictions are read only into suggestions.
	Layer string
	// FromLayer, when set, keeps only the spans a file assigns to that
	// layer (xlsx rows, Label Studio annotations and JSONL records written
	// by an export of several layers); spans a file assigns to no layer
	// are kept.
	FromLayer string
	// NewLabels adds the labels the project lacks instead of refusing
	// their spans.
	NewLabels bool
	// Offsets is the unit of offsets in files that do not state theirs
	// (code points when ""); an export's meta states it.
	Offsets annotate.OffsetUnit
	// TagNames are the label names of Hugging Face rows whose tags are
	// ids; without them, a dataset_info.json beside the file gives them.
	TagNames []string
}

// ImportSummary counts what an import did.
type ImportSummary struct {
	Files            int
	Records          int // documents read
	DocumentsAdded   int
	DocumentsMatched int // already in the project: the spans were attached
	Spans            int // spans stored
	SpansExisting    int // spans the layer had already
	Rejected         int // records, spans and lines refused (each reported)
	// Incomplete counts the documents stored in progress, not done,
	// because some of their spans were refused.
	Incomplete  int
	Skipped     map[string]int
	Notes       map[string]int // what was changed on purpose, by kind
	LabelsAdded []string
}

// String is the summary line.
func (s ImportSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "documents %d (new %d, matched %d), spans %d (already there %d), rejected %d",
		s.Records, s.DocumentsAdded, s.DocumentsMatched, s.Spans, s.SpansExisting, s.Rejected)
	if s.Incomplete > 0 {
		fmt.Fprintf(&b, ", left in progress %d", s.Incomplete)
	}
	if len(s.Skipped) > 0 {
		keys := make([]string, 0, len(s.Skipped))
		for k := range s.Skipped {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(", skipped")
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, " %d %s", s.Skipped[k], k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Notes)) {
		fmt.Fprintf(&b, ", %d %s", s.Notes[k], k)
	}
	if len(s.LabelsAdded) > 0 {
		fmt.Fprintf(&b, ", new labels %s", strings.Join(s.LabelsAdded, " "))
	}
	return b.String()
}

func (s *ImportSummary) note(kind string, n int) {
	if s.Notes == nil {
		s.Notes = map[string]int{}
	}
	s.Notes[kind] += n
}

func (s *ImportSummary) skip(why string, n int) {
	if n == 0 {
		return
	}
	if s.Skipped == nil {
		s.Skipped = map[string]int{}
	}
	s.Skipped[why] += n
}

// input is one file to read (with its brat text when it is an .ann).
type input struct {
	path   string
	rel    string // its path inside the folder imported, or its base name: what names its documents
	format string // a format name, Articles, or "" to detect
	size   int64
	direct bool // named on the command line, not found in a folder
}

// Import reads annotation files into dst: files named in paths, and the
// files of folders (those with the format's extensions; every file with
// Auto; for brat each NAME.ann with its NAME.txt, and a NAME.txt alone as
// a document without annotations). Each document is matched by its text
// (added when the project lacks it) and its spans are checked: a span
// outside the text, a span whose text differs from the document's at its
// offsets, and a span of a label the project lacks (unless NewLabels) are
// reported and left out, and the rest of the document goes in. report gets
// every refused record, span or line; progress the bytes read and their
// total. Both are called from the goroutine that called Import.
//
// The caller opens dst and, once Import returns, commits it (or aborts on
// error). An error return means the import could not go on (a store error,
// ctx cancelled); refused input is not an error.
func Import(ctx context.Context, dst Sink, opts ImportOptions, paths []string, report func(Problem), progress func(done, total int64)) (ImportSummary, error) {
	var sum ImportSummary
	if opts.Format == "" {
		opts.Format = Auto
	}
	var format *Format
	if opts.Format != Auto {
		var err error
		if format, err = Lookup(opts.Format); err != nil {
			return sum, err
		}
	}
	if opts.Layer != "" {
		if err := annotate.ValidateLayerName(opts.Layer); err != nil {
			return sum, &kindError{ErrUsage, err}
		}
	}
	if opts.Layer == annotate.Gold {
		return sum, usageError("import into gold is refused: gold is what reviewers adjudicate; import into an annotator's layer")
	}
	if opts.Offsets == "" {
		opts.Offsets = annotate.CodePoints
	}
	if report == nil {
		report = func(Problem) {}
	}
	im := &importer{dst: dst, opts: opts, sum: &sum, report: report, labels: map[string]bool{}, failed: map[string]error{}}
	set, err := dst.Labels()
	if err != nil {
		return sum, err
	}
	for _, l := range set {
		im.labels[l.Name] = true
	}

	inputs, total := im.collect(paths, format)
	if opts.Layer != "" && opts.Layer != annotate.Suggestion && opts.FromLayer == "" {
		if err := im.oneAnnotator(inputs); err != nil {
			return sum, err
		}
	}
	var done int64
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		err := im.file(ctx, in, func(n int64) {
			if progress != nil {
				progress(done+n, total)
			}
		})
		done += in.size
		if progress != nil {
			progress(done, total)
		}
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

type importer struct {
	dst    Sink
	opts   ImportOptions
	sum    *ImportSummary
	report func(Problem)
	labels map[string]bool
	failed map[string]error // labels AddLabel refused
}

func (im *importer) reject(p Problem) {
	im.sum.Rejected++
	im.report(p)
}

// collect lists the files to read: only regular files, each at most
// articles.MaxFileSize bytes; others are reported by name.
func (im *importer) collect(paths []string, format *Format) ([]input, int64) {
	var inputs []input
	var total int64
	add := func(in input) {
		fi, err := os.Stat(in.path)
		if err == nil {
			err = articles.CheckFile(fi)
		}
		if err != nil {
			im.reject(Problem{File: in.path, Err: err})
			return
		}
		in.size = fi.Size()
		total += in.size
		inputs = append(inputs, in)
	}
	name := ""
	if format != nil {
		name = format.Name
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			im.reject(Problem{File: root, Err: err})
			continue
		}
		if !info.IsDir() {
			if ext := strings.ToLower(filepath.Ext(root)); (name == Brat.Name || name == "") && ext == ".txt" && exists(bratAnn(root)) {
				root = bratAnn(root)
			}
			add(input{path: root, rel: filepath.Base(root), format: name, direct: true})
			continue
		}
		var files []string
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				im.reject(Problem{File: p, Err: err})
				return nil
			}
			if !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				files = append(files, p)
			}
			return nil
		})
		anns := map[string]bool{}
		for _, p := range files {
			if strings.EqualFold(filepath.Ext(p), ".ann") {
				anns[bratText(p)] = true
			}
		}
		for _, p := range files {
			ext := strings.ToLower(filepath.Ext(p))
			brat := name == Brat.Name || name == ""
			rel, _ := filepath.Rel(root, p)
			switch {
			case brat && ext == ".txt" && anns[p]:
				// read with its .ann
			case brat && ext == ".ann":
				add(input{path: p, rel: rel, format: Brat.Name})
			case name == Brat.Name && ext == ".txt":
				add(input{path: p, rel: rel, format: Articles}) // a text without annotations
			case name == Brat.Name:
				im.sum.skip("files that are not .ann or .txt", 1)
			case name == "":
				add(input{path: p, rel: rel})
			case slices.Contains(format.Extensions, ext):
				add(input{path: p, rel: rel, format: name})
			default:
				im.sum.skip("files of other extensions", 1)
			}
		}
	}
	return inputs, total
}

func bratAnn(txt string) string { return strings.TrimSuffix(txt, filepath.Ext(txt)) + ".ann" }

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// file reads one input.
func (im *importer) file(ctx context.Context, in input, tick func(int64)) error {
	f, err := articles.Open(in.path)
	if err != nil {
		im.reject(Problem{File: in.path, Err: err})
		return nil
	}
	defer f.Close()
	f.OnRead = tick
	var src io.Reader = f
	format := in.format
	if format == "" {
		format, src, err = Detect(in.path, src)
		if err != nil {
			if in.direct {
				im.reject(Problem{File: in.path, Err: err})
			} else {
				im.sum.skip("files of no known format", 1)
			}
			return nil
		}
		if format == Articles && !in.direct && articles.Kind(in.path) == "" {
			im.sum.skip("files of no known format", 1)
			return nil
		}
	}
	im.sum.Files++
	if format == Articles {
		return articles.Parse(ctx, in.path, in.rel, src, func(it articles.Item) error {
			rec := &Record{File: in.path, Line: it.Line, Name: it.Doc.Name, Text: it.Doc.Text, Meta: it.Doc.Meta, Err: it.Err}
			if it.Err != nil {
				rec.Name = articles.Name(in.rel, it.Line)
			}
			return im.record(rec)
		})
	}
	fm, _ := Lookup(format)
	o := DecodeOptions{File: in.path, Name: articles.Name(in.rel, 0), TagNames: im.opts.TagNames}
	if fm == HF && len(o.TagNames) == 0 {
		o.TagNames = datasetTagNames(filepath.Dir(in.path))
	}
	bom := false
	if fm == Brat {
		txt := bratText(in.path)
		tf, err := articles.Open(txt)
		var b []byte
		if err == nil {
			b, err = io.ReadAll(tf)
			tf.Close()
		}
		if err != nil {
			im.reject(Problem{File: in.path, Err: fmt.Errorf("its text: %w", err)})
			return nil
		}
		bom = bytes.HasPrefix(b, utf8BOM)
		if o.Text, err = annotate.CleanText(b); err != nil && !errors.Is(err, annotate.ErrEmptyText) {
			im.reject(Problem{File: txt, Err: err})
			return nil
		}
	}
	dec := fm.NewDecoder(src, o)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := dec.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			im.reject(Problem{File: in.path, Err: err})
			return nil
		}
		if bom {
			bomShift(rec)
		}
		if err := im.record(rec); err != nil {
			return err
		}
	}
}

// bomShift moves the spans of a brat document whose .txt starts with a
// byte order mark: the text is stored without the mark, and brat (reading
// the file in Python) counts it, so the offsets are one more than Qalam's.
// When the .ann's span texts say otherwise (they match without the
// shift), the offsets are left as they are.
func bomShift(rec *Record) {
	shifted, kept := 0, 0
	for _, sp := range rec.Spans {
		if !sp.HasText {
			continue
		}
		if t, ok := annotate.Slice(rec.Text, sp.Start-1, sp.End-1); ok && lineBreaksAsSpaces(t) == sp.Text {
			shifted++
		}
		if t, ok := annotate.Slice(rec.Text, sp.Start, sp.End); ok && lineBreaksAsSpaces(t) == sp.Text {
			kept++
		}
	}
	if kept > shifted {
		return
	}
	for i := range rec.Spans {
		rec.Spans[i].Start--
		rec.Spans[i].End--
	}
}

// record stores one record.
func (im *importer) record(rec *Record) error {
	sum := im.sum
	for k, n := range rec.Ignored {
		sum.skip(k, n)
	}
	for _, p := range rec.Problems {
		if p.File == "" {
			p.File = rec.File
		}
		if p.Doc == "" {
			p.Doc = rec.Name
		}
		im.reject(p)
	}
	where := Problem{File: rec.File, Line: rec.Line, Doc: rec.Name}
	if rec.Err != nil {
		where.Err = rec.Err
		im.reject(where)
		return nil
	}
	if rec.Skip != "" {
		sum.skip(rec.Skip, 1)
		return nil
	}
	// A text from a JSON field keeps a leading U+FEFF: the file's
	// offsets count it.
	if err := annotate.CheckText(rec.Text); err != nil {
		where.Err = err
		im.reject(where)
		return nil
	}
	for k, n := range rec.Notes {
		sum.note(k, n)
	}
	if rec.SHA256 != "" && rec.SHA256 != annotate.Hash(rec.Text) {
		var found annotate.Document
		has := false
		if f, ok := im.dst.(DocumentFinder); ok {
			var err error
			if found, has, err = f.DocumentBySHA256(rec.SHA256); err != nil {
				return err
			}
		}
		if !has {
			where.Err = errors.New("the text is not the one its sha256 column names (was it changed in a spreadsheet?), and the project has no document of that SHA-256 to read its spans against: import the workbook into the project it came from")
			im.reject(where)
			return nil
		}
		where.Err = fmt.Errorf("the text differs from that of document %q, which its sha256 column names (was it changed in a spreadsheet?): the project's text is kept, the spans are read against it", found.Name)
		im.reject(where)
		where.Err = nil
		rec.Text = found.Text
	}
	sum.Records++
	doc, added, err := im.dst.Document(annotate.NewDocument(rec.Name, rec.Text, rec.Meta))
	if err != nil {
		return err
	}
	if added {
		sum.DocumentsAdded++
	} else {
		sum.DocumentsMatched++
	}

	// Each span goes to a layer: the one asked for, or (without one) the
	// annotator the file names for it; predictions are suggestions.
	type part struct {
		layer    string
		origin   annotate.Origin
		status   annotate.Status
		spans    []annotate.Span
		rejected bool
	}
	var parts []*part
	byLayer := map[string]*part{}
	refused := map[string]bool{} // layers refused, reported once
	partFor := func(fileLayer string, prediction bool) *part {
		layer, err := im.target(fileLayer)
		if prediction {
			layer, err = annotate.Suggestion, nil
		}
		if err != nil {
			if err != errOtherLayer && !refused[fileLayer] {
				refused[fileLayer] = true
				p := where
				p.Err = err
				im.reject(p)
			}
			return nil
		}
		if pt := byLayer[layer]; pt != nil {
			return pt
		}
		pt := &part{layer: layer, origin: annotate.Imported}
		if layer == annotate.Suggestion {
			pt.origin = annotate.Suggested
		}
		byLayer[layer] = pt
		parts = append(parts, pt)
		return pt
	}
	// The layers that judged the document (a judgement may hold no span:
	// the annotator found no entity) are done, unless the file says how
	// far each got.
	if rec.Annotated {
		judged := rec.Layers
		if len(judged) == 0 {
			judged = []string{rec.Layer}
		}
		for _, l := range judged {
			if pt := partFor(l, false); pt != nil && pt.layer != annotate.Suggestion {
				pt.status = annotate.Done
			}
		}
	}
	for _, pt := range parts {
		if st, ok := im.fileStatus(rec, pt.layer); ok {
			pt.status = st
		}
	}

	unit := rec.Unit
	if unit == "" {
		unit = im.opts.Offsets
	}
	var om *annotate.OffsetMap
	if unit != annotate.CodePoints {
		om = annotate.NewOffsetMap(rec.Text, unit)
	}
	byteAt := annotate.RuneOffsets(rec.Text)
	unknown := map[string][]int{} // label → lines (or offsets) of its spans
	var unknownOrder []string
	var unknownParts []*part
	spans := func(list []Span, prediction bool) {
		for _, sp := range list {
			p := where
			if sp.Line > 0 {
				p.Line = sp.Line
			}
			if sp.File != "" {
				p.File = sp.File
			}
			layer := sp.Layer
			if layer == "" {
				layer = rec.Layer
			}
			pt := partFor(layer, prediction)
			if pt == nil {
				if im.opts.FromLayer != "" && !prediction {
					sum.skip("spans of other layers (--from-layer)", 1)
				}
				continue
			}
			start, end := sp.Start, sp.End
			if om != nil {
				var ok1, ok2 bool
				start, ok1 = om.To(sp.Start)
				end, ok2 = om.To(sp.End)
				if !ok1 || !ok2 {
					p.Err = fmt.Errorf("span [%d,%d) %s: the %s offsets fall outside the text or inside a character", sp.Start, sp.End, sp.Label, unit)
					im.reject(p)
					pt.rejected = true
					continue
				}
			}
			if start < 0 || start >= end || end > len(byteAt)-1 {
				p.Err = fmt.Errorf("span [%d,%d) %s is outside the text (%d code points)", sp.Start, sp.End, sp.Label, len(byteAt)-1)
				im.reject(p)
				pt.rejected = true
				continue
			}
			if sp.HasText {
				got := rec.Text[byteAt[start]:byteAt[end]]
				if got != sp.Text && !(sp.Loose && lineBreaksAsSpaces(got) == sp.Text) {
					p.Err = fmt.Errorf("span [%d,%d) %s: the file says %q, the text there is %q", sp.Start, sp.End, sp.Label, clip(sp.Text, 60), clip(got, 60))
					im.reject(p)
					pt.rejected = true
					continue
				}
			}
			if !im.known(sp.Label) {
				if _, seen := unknown[sp.Label]; !seen {
					unknownOrder = append(unknownOrder, sp.Label)
				}
				unknown[sp.Label] = append(unknown[sp.Label], p.Line)
				unknownParts = append(unknownParts, pt)
				sum.Rejected++
				continue
			}
			pt.spans = append(pt.spans, annotate.Span{Start: start, End: end, Label: sp.Label, Origin: pt.origin})
		}
	}
	spans(rec.Spans, false)
	spans(rec.Predictions, true)
	for _, pt := range unknownParts {
		pt.rejected = true
	}
	for _, l := range unknownOrder {
		lines := unknown[l]
		p := where
		var at []string
		for i, n := range lines {
			if i == 8 {
				at = append(at, "…")
				break
			}
			if n > 0 && n != rec.Line {
				at = append(at, strconv.Itoa(n))
			}
		}
		msg := fmt.Sprintf("label %q is not in the project: %d span(s) left out (add the label, or import with --new-labels)", l, len(lines))
		if err := im.failed[l]; err != nil {
			msg = fmt.Sprintf("%v: %d span(s) left out", err, len(lines))
		}
		if len(at) > 0 {
			msg += "; lines " + strings.Join(at, ", ")
		}
		p.Err = errors.New(msg)
		im.report(p)
	}
	incomplete := false
	for _, pt := range parts {
		if pt.status == annotate.Done && (pt.rejected || len(rec.Problems) > 0) {
			// Part of the annotator's work did not come in: the
			// document is not finished work, which exports and
			// agreement would take as complete.
			pt.status = annotate.InProgress
			incomplete = true
		}
		if len(pt.spans) == 0 && pt.status == "" {
			continue
		}
		n, err := im.dst.Add(doc.ID, pt.layer, pt.spans, pt.status)
		if err != nil {
			return err
		}
		sum.Spans += n
		sum.SpansExisting += len(pt.spans) - n
	}
	if incomplete {
		sum.Incomplete++
	}
	return nil
}

// oneAnnotator refuses, before anything is stored, to put the work of
// several annotators of one document into one layer: a Label Studio file
// whose tasks hold annotations by different people (or a workbook of
// several layers) cannot go into ImportOptions.Layer without FromLayer.
func (im *importer) oneAnnotator(inputs []input) error {
	for _, in := range inputs {
		if in.format != "" && in.format != LabelStudio.Name && in.format != XLSX.Name {
			continue
		}
		switch strings.ToLower(filepath.Ext(in.path)) {
		case ".json", ".jsonl", ".ndjson", ".xlsx":
		default:
			if in.format == "" {
				continue // neither Label Studio's nor a workbook
			}
		}
		f, err := articles.Open(in.path)
		if err != nil {
			continue // reported when read
		}
		var src io.Reader = f
		format := in.format
		if format == "" {
			format, src, err = Detect(in.path, f)
		}
		if err == nil && (format == LabelStudio.Name || format == XLSX.Name) {
			fm, _ := Lookup(format)
			dec := fm.NewDecoder(src, DecodeOptions{File: in.path})
			for {
				rec, err := dec.Next()
				if err != nil {
					break
				}
				if len(rec.Layers) > 1 {
					f.Close()
					return usageError("%q: it holds the work of several annotators on one document (%s on line %d): --layer %s would merge them into one layer; import without --layer to give each annotator a layer of their own, or with --from-layer NAME to take one",
						in.path, strings.Join(rec.Layers, ", "), rec.Line, im.opts.Layer)
				}
			}
		}
		f.Close()
	}
	return nil
}

// errOtherLayer is target's answer for work FromLayer leaves out.
var errOtherLayer = errors.New("another layer")

// target is the layer that receives work a file gives to fileLayer ("" for
// none): ImportOptions.Layer when set, else fileLayer itself.
func (im *importer) target(fileLayer string) (string, error) {
	if im.opts.FromLayer != "" && fileLayer != "" && fileLayer != im.opts.FromLayer {
		return "", errOtherLayer
	}
	if im.opts.Layer != "" {
		return im.opts.Layer, nil
	}
	switch {
	case fileLayer == "":
		return "", errors.New("the file names no annotator for this work: import it with --layer NAME (or --suggest)")
	case fileLayer == annotate.Gold:
		return "", errors.New("the file's gold work is left out: gold is what reviewers adjudicate here; import it into an annotator's layer with --from-layer gold --layer NAME")
	case annotate.KindOf(fileLayer) == annotate.SuggestionLayer:
		return fileLayer, nil
	}
	if err := annotate.ValidateLayerName(fileLayer); err != nil {
		return "", fmt.Errorf("the file's annotator %q cannot name a layer (%v): import with --layer NAME", fileLayer, err)
	}
	return fileLayer, nil
}

// fileStatus is the status a file states for the work stored in layer:
// that of the layer itself when the file's layers keep their names, else
// of FromLayer, or of the file's only layer.
func (im *importer) fileStatus(rec *Record, layer string) (annotate.Status, bool) {
	if len(rec.Statuses) == 0 || layer == annotate.Suggestion {
		return "", false
	}
	if im.opts.Layer == "" {
		st, ok := rec.Statuses[layer]
		return st, ok
	}
	if im.opts.FromLayer != "" {
		st, ok := rec.Statuses[im.opts.FromLayer]
		return st, ok
	}
	if len(rec.Statuses) == 1 {
		for _, st := range rec.Statuses {
			return st, true
		}
	}
	return "", false
}

// known reports whether the project has the label, adding it with
// NewLabels.
func (im *importer) known(label string) bool {
	if im.labels[label] {
		return true
	}
	if !im.opts.NewLabels || im.failed[label] != nil {
		return false
	}
	if err := im.dst.AddLabel(label); err != nil {
		im.failed[label] = fmt.Errorf("label %q cannot be added: %v", label, err)
		return false
	}
	im.labels[label] = true
	im.sum.LabelsAdded = append(im.sum.LabelsAdded, label)
	return true
}
