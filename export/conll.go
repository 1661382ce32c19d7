package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// CoNLL column separators (Options.Sep).
const (
	SepSpace = "space" // TOKEN TAG: what conlleval, Hugging Face's conll2003 script and spaCy read
	SepTab   = "tab"
)

// docStart is the line that starts each document: the one spaCy's convert
// recognises (and that Hugging Face's and conlleval's readers skip).
const docStart = "-DOCSTART- -X- O O\n\n"

// conllEncoder writes "TOKEN TAG" lines (one space, or a tab), a blank
// line after each sentence (never inside a span), and before each document
// the line "-DOCSTART- -X- O O" and a blank line.
type conllEncoder struct {
	w     *bufio.Writer
	opts  EncodeOptions
	sep   byte
	label func(string) string
}

func newCoNLLEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	sep := byte(' ')
	switch o.Sep {
	case "", SepSpace:
	case SepTab:
		sep = '\t'
	default:
		return nil, usageError("separator %q: want space or tab", o.Sep)
	}
	return &conllEncoder{w: bufio.NewWriterSize(w, 64<<10), opts: o, sep: sep, label: o.fileLabels()}, nil
}

func (e *conllEncoder) Encode(d *Doc) error {
	for li := range d.Layers {
		lt := e.opts.cut(d, &d.Layers[li])
		tags := lt.iob2(d, d.Layers[li].Name, e.label, e.opts.report)
		e.w.WriteString(docStart)
		for r := 0; r+1 < len(lt.rows); r++ {
			for i := lt.rows[r]; i < lt.rows[r+1]; i++ {
				e.w.WriteString(lt.toks[i].Text)
				e.w.WriteByte(e.sep)
				e.w.WriteString(tags[i])
				e.w.WriteByte('\n')
			}
			if lt.rows[r+1] > lt.rows[r] {
				e.w.WriteByte('\n')
			}
		}
	}
	return nil
}

func (e *conllEncoder) Close() error { return e.w.Flush() }

// conllLayout is how a CoNLL file's columns are read, decided from its
// first lines.
type conllLayout struct {
	sentencePerLine bool // spaCy's "word|POS|TAG word|POS|TAG …" lines
	index           bool // the first column numbers the tokens (CoNLL-U, GermEval)
	multi           bool // a varying number of tag columns, all read (Wojood)
	fields          int  // columns per line (fixed layouts)
	token           int  // the token's column
	tags            []int
	bare            bool // two columns: a bare label is a tag (IO scheme)
}

type conllLine struct {
	n    int
	text string
}

// conllDecoder reads CoNLL-style column files; see the package
// documentation for the variants and how their columns are told apart.
type conllDecoder struct {
	file   string
	stem   string // names its documents
	r      *bufio.Reader
	line   int
	eof    bool
	queue  []conllLine // lines read to decide the layout, not yet used
	layout *conllLayout
	err    error // the layout cannot be decided

	dataSeen  bool
	docStarts int
	doc       *conllDoc
	out       []*Record // records ready
	held      *Record   // the first document, named once the file's end shows whether it is the only one
	emitted   int
	ignored   map[string]int
}

// conllDoc is the document being read.
type conllDoc struct {
	line     int
	tt       tokenText
	spans    []Span
	problems []Problem
	// The sentence being read.
	words    []string
	tags     [][]tag // per token, its tags (one per tag column)
	lines    []int   // per token, its line
	anyWords bool
}

func newCoNLLDecoder(r io.Reader, o DecodeOptions) Decoder {
	return &conllDecoder{file: o.File, stem: stem(o), r: bufio.NewReaderSize(r, 64<<10), ignored: map[string]int{}}
}

func (d *conllDecoder) readLine() (conllLine, bool, error) {
	if d.eof {
		return conllLine{}, false, nil
	}
	s, err := d.r.ReadString('\n')
	if err == io.EOF {
		d.eof = true
		if s == "" {
			return conllLine{}, false, nil
		}
	} else if err != nil {
		return conllLine{}, false, err
	}
	d.line++
	s = strings.TrimRight(s, "\r\n")
	if d.line == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	return conllLine{n: d.line, text: s}, true, nil
}

// splitFields splits a line at tabs when it has one (a token may then hold
// spaces), otherwise at runs of spaces.
func splitFields(s string) []string {
	s = strings.TrimRight(s, " \t")
	if strings.IndexByte(s, '\t') >= 0 {
		return strings.Split(s, "\t")
	}
	var out []string
	for f := range strings.SplitSeq(s, " ") {
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}

func isBlank(s string) bool { return strings.Trim(s, " \t\r\ufeff") == "" }

var headerWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("word words token tokens text form tag tags ner label labels pos upos xpos id idx index lemma chunk bio iob entity entities class") {
		headerWords[w] = true
	}
}

func isHeader(fields []string) bool {
	if len(fields) < 2 {
		return false
	}
	for _, f := range fields {
		if !headerWords[strings.ToLower(f)] {
			return false
		}
	}
	return true
}

func isDocStart(fields []string) bool { return len(fields) > 0 && fields[0] == "-DOCSTART-" }

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && c != '-' && c != '.' {
			return false
		}
	}
	return s[0] != '-' && s[0] != '.'
}

// decide reads the first lines and decides the layout.
func (d *conllDecoder) decide() error {
	var cands [][]string
	header := true
	for len(d.queue) < 5000 && len(cands) < 500 {
		l, ok, err := d.readLine()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		d.queue = append(d.queue, l)
		if isBlank(l.text) || strings.HasPrefix(l.text, "#") {
			continue
		}
		f := splitFields(l.text)
		if isDocStart(f) {
			continue
		}
		if header && isHeader(f) {
			header = false
			continue
		}
		header = false
		cands = append(cands, f)
	}
	lay, err := decideLayout(cands)
	d.layout, d.err = lay, err
	return nil
}

func decideLayout(cands [][]string) (*conllLayout, error) {
	lay := &conllLayout{}
	if len(cands) == 0 {
		lay.fields, lay.token, lay.tags, lay.bare = 2, 0, []int{1}, true
		return lay, nil
	}
	spl := true
	for _, f := range cands {
		for _, w := range f {
			parts := strings.Split(w, "|")
			if len(parts) < 2 || !strictTagRE.MatchString(parts[len(parts)-1]) {
				spl = false
			}
		}
	}
	if spl {
		lay.sentencePerLine = true
		return lay, nil
	}
	lay.index = true
	for _, f := range cands {
		if len(f) < 3 || !isIndex(f[0]) {
			lay.index = false
			break
		}
	}
	if lay.index {
		lay.token = 1
	}
	count := map[int]int{}
	for _, f := range cands {
		count[len(f)]++
	}
	for n, c := range count {
		if c > count[lay.fields] || (c == count[lay.fields] && n > lay.fields) {
			lay.fields = n
		}
	}
	if len(count) > 1 && lay.fields > lay.token+1 {
		multi := true
		for _, f := range cands {
			if len(f) < lay.token+2 {
				multi = false
			}
			for _, v := range f[min(len(f), lay.token+1):] {
				multi = multi && strictTagRE.MatchString(v)
			}
		}
		if multi {
			lay.multi = true
			return lay, nil
		}
	}
	if lay.fields <= lay.token+1 {
		return nil, fmt.Errorf("the lines have %d column(s): want a token and a tag", lay.fields)
	}
	if lay.fields == lay.token+2 {
		lay.tags, lay.bare = []int{lay.token + 1}, true
		return lay, nil
	}
	var tagCols []int
	for c := lay.token + 1; c < lay.fields; c++ {
		all := true
		for _, f := range cands {
			if len(f) == lay.fields && !strictTagRE.MatchString(f[c]) {
				all = false
				break
			}
		}
		if all {
			tagCols = append(tagCols, c)
		}
	}
	switch {
	case len(tagCols) == 0:
		return nil, fmt.Errorf("none of the %d columns holds only tags (O, B-LABEL, I-LABEL, …)", lay.fields)
	case lay.index:
		lay.tags = tagCols // nested levels (GermEval), or the NER column of CoNLL-U
	default:
		lay.tags = tagCols[len(tagCols)-1:] // CoNLL-2003: POS, chunk, NER
	}
	return lay, nil
}

func (d *conllDecoder) Next() (*Record, error) {
	if d.layout == nil && d.err == nil {
		if err := d.decide(); err != nil {
			return nil, err
		}
		if d.err != nil {
			return &Record{File: d.file, Name: d.stem, Err: d.err}, nil
		}
	}
	if d.err != nil {
		return nil, io.EOF
	}
	for len(d.out) == 0 {
		var l conllLine
		if len(d.queue) > 0 {
			l, d.queue = d.queue[0], d.queue[1:]
		} else {
			var ok bool
			var err error
			if l, ok, err = d.readLine(); err != nil {
				return nil, err
			} else if !ok {
				d.endDocument()
				d.flushHeld(true)
				break
			}
		}
		d.feed(l)
	}
	if len(d.out) == 0 {
		return nil, io.EOF
	}
	rec := d.out[0]
	d.out = d.out[1:]
	return rec, nil
}

func (d *conllDecoder) feed(l conllLine) {
	if isBlank(l.text) {
		d.endSentence()
		return
	}
	f := splitFields(l.text)
	if isDocStart(f) {
		d.endDocument()
		d.docStarts++
		return
	}
	lay := d.layout
	if !d.dataSeen && isHeader(f) {
		d.ignored["header lines"]++
		return
	}
	if lay.sentencePerLine {
		d.dataSeen = true
		for _, w := range f {
			parts := strings.Split(w, "|")
			d.token(l.n, parts[0], parts[len(parts)-1:], errIf(len(parts) < 2, "%q is not word|…|TAG", w))
		}
		d.endSentence()
		return
	}
	ok := len(f) == lay.fields || (lay.multi && len(f) >= lay.token+2)
	if strings.HasPrefix(l.text, "#") && (!ok || !lay.strictTags(f)) {
		d.ignored["comment lines"]++
		return
	}
	if lay.index && strings.ContainsAny(f[0], "-.") {
		d.ignored["CoNLL-U multiword and empty-node lines"]++
		return
	}
	d.dataSeen = true
	if !ok {
		d.token(l.n, "", nil, fmt.Errorf("%d columns where the file has %d", len(f), lay.fields))
		return
	}
	var tags []string
	if lay.multi {
		tags = f[lay.token+1:]
	} else {
		for _, c := range lay.tags {
			tags = append(tags, f[c])
		}
	}
	d.token(l.n, f[lay.token], tags, nil)
}

// strictTags reports whether a line's tag columns hold tags proper (not
// bare labels): a line starting with # that does not is a comment.
func (lay *conllLayout) strictTags(f []string) bool {
	cols := lay.tags
	if lay.multi {
		cols = nil
		for c := lay.token + 1; c < len(f); c++ {
			cols = append(cols, c)
		}
	}
	for _, c := range cols {
		if c >= len(f) || !strictTagRE.MatchString(f[c]) {
			return false
		}
	}
	return true
}

func errIf(cond bool, format string, args ...any) error {
	if cond {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// token adds a token to the sentence being read. A line that should have
// been one (err set, or a tag that is not one) is left out alone and
// reported with its number: the rest of its sentence stays.
func (d *conllDecoder) token(line int, word string, tags []string, err error) {
	if d.doc == nil {
		d.doc = &conllDoc{line: line}
	}
	doc := d.doc
	if err == nil && word == "" {
		err = errors.New("empty token")
	}
	parsed := make([]tag, len(tags))
	for i, v := range tags {
		if err != nil {
			break
		}
		if parsed[i], err = parseTag(v, d.layout.bare); err != nil {
			err = fmt.Errorf("token %q: %v", word, err)
		}
	}
	if err != nil {
		doc.problems = append(doc.problems, Problem{File: d.file, Line: line, Err: fmt.Errorf("%v: the line is left out", err)})
		return
	}
	doc.words = append(doc.words, word)
	doc.tags = append(doc.tags, parsed)
	doc.lines = append(doc.lines, line)
}

func (d *conllDecoder) endSentence() {
	doc := d.doc
	if doc == nil || len(doc.words) == 0 {
		return
	}
	defer func() { doc.words, doc.tags, doc.lines = doc.words[:0], doc.tags[:0], doc.lines[:0] }()
	cols := 0
	for _, t := range doc.tags {
		cols = max(cols, len(t))
	}
	parsed := make([][]tag, cols)
	for c := range parsed {
		parsed[c] = make([]tag, len(doc.words))
		for i, t := range doc.tags {
			parsed[c][i] = tag{prefix: 'O'}
			if c < len(t) {
				parsed[c][i] = t[c]
			}
		}
	}
	doc.tt.sentence(doc.words)
	doc.anyWords = true
	si := len(doc.tt.starts) - 1
	for c := range parsed {
		for _, ts := range decodeTags(parsed[c]) {
			start, end := doc.tt.span(si, ts)
			doc.spans = append(doc.spans, Span{Start: start, End: end, Label: ts.label, Line: doc.lines[ts.first]})
		}
	}
}

func (d *conllDecoder) endDocument() {
	d.endSentence()
	doc := d.doc
	d.doc = nil
	if doc == nil {
		return
	}
	rec := &Record{File: d.file, Line: doc.line, Name: defaultName(d.stem, doc.line), Problems: doc.problems}
	if doc.anyWords {
		rec.Text = doc.tt.String()
		rec.Unit = annotate.CodePoints
		rec.Meta = tokensMeta()
		rec.Spans = doc.spans
		rec.Annotated = true
	} else {
		rec.Err = errors.New("no sentence of this document could be read")
	}
	for i := range rec.Problems {
		rec.Problems[i].Doc = rec.Name
	}
	d.flushHeld(false)
	if d.emitted == 0 && d.held == nil {
		d.held = rec
		return
	}
	d.push(rec)
}

// flushHeld releases the first document; at the end of a file that holds
// only it, it is named after the file alone.
func (d *conllDecoder) flushHeld(atEnd bool) {
	if d.held == nil {
		return
	}
	rec := d.held
	d.held = nil
	if atEnd && d.emitted == 0 {
		rec.Name = d.stem
		for i := range rec.Problems {
			rec.Problems[i].Doc = rec.Name
		}
	}
	d.push(rec)
}

func (d *conllDecoder) push(rec *Record) {
	for k, n := range d.ignored {
		rec.ignore(k, n)
	}
	clear(d.ignored)
	d.emitted++
	d.out = append(d.out, rec)
}

var bareLabelRE = regexp.MustCompile(`^[A-Z][A-Z0-9_.-]*$`)

// conllShape tells whether the first lines of a file look like CoNLL:
// most non-blank lines hold a token and a tag in their last columns.
func conllShape(lines []string) bool {
	data, tagged := 0, 0
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		if isBlank(l) || strings.HasPrefix(l, "#") {
			continue
		}
		f := splitFields(l)
		if isDocStart(f) || isHeader(f) {
			continue
		}
		data++
		switch {
		case len(f) == 2 && bareLabelRE.MatchString(f[1]):
			tagged++ // an IO file's bare label (LOC, YEAR)
		case len(f) >= 2 && len(f) <= 12:
			for _, v := range f[1:] {
				if strictTagRE.MatchString(v) {
					tagged++
					break
				}
			}
		case len(f) > 2 && strings.Contains(f[0], "|"):
			tagged++
		}
	}
	return data > 0 && tagged*10 >= data*8
}
