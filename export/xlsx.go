package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/agreement"
)

// Sheet and column names of the xlsx format; the decoder finds columns by
// these header names.
const (
	sheetDocuments = "Documents"
	sheetSpans     = "Spans"
	sheetLabels    = "Labels"
	sheetAgreement = "Agreement"

	colDocID    = "doc id"
	colDocument = "document"
	colLayer    = "layer"
	colLabel    = "label"
	colText     = "text"
	colMeta     = "meta"
	colSHA      = "sha256"
	// statusPrefix heads a Documents column per layer: "status: ali".
	statusPrefix = "status: "

	// maxCell is the most UTF-16 code units a spreadsheet cell holds; a
	// longer text goes on in the cells to its right.
	maxCell = 32767
)

// xlsxEncoder writes a workbook with excelize's StreamWriter, so rows go to
// a temporary file, not to memory: sheets Documents (one row per
// document), Spans (one row per span, with context), Labels, and
// Agreement when two or more annotators' layers are exported.
type xlsxEncoder struct {
	w     io.Writer
	opts  EncodeOptions
	f     *excelize.File
	docs  *excelize.StreamWriter
	spans *excelize.StreamWriter
	// spanSheet is the Spans sheet being written, the spanSheets-th.
	spanSheet  string
	spanSheets int
	spanHeader []string
	st         *xlsxStyles
	layers     []string
	docRow     int
	spRow      int
	counts     map[string]int // spans per label
	agree      *agreement.Computer
	agreeL     []string
	row        []any
	cells      []excelize.Cell
	ncell      int
	byteAt     []int
}

// str makes a text cell in e.cells and returns a pointer to it, which
// SetRow takes without boxing a Cell per cell.
func (e *xlsxEncoder) str(s string) *excelize.Cell { return e.cell(e.st.str(s)) }

func (e *xlsxEncoder) cell(c excelize.Cell) *excelize.Cell {
	if e.ncell == len(e.cells) {
		e.cells = append(e.cells, excelize.Cell{})
		e.cells = e.cells[:cap(e.cells)]
	}
	e.cells[e.ncell] = c
	e.ncell++
	return &e.cells[e.ncell-1]
}

func newXLSXEncoder(w io.Writer, o EncodeOptions) (Encoder, error) {
	f := excelize.NewFile()
	e := &xlsxEncoder{w: w, opts: o, f: f, layers: o.Layers, counts: map[string]int{}}
	if err := e.start(); err != nil {
		f.Close()
		return nil, err
	}
	return e, nil
}

func (e *xlsxEncoder) start() error {
	f := e.f
	if err := f.SetSheetName("Sheet1", sheetDocuments); err != nil {
		return err
	}
	for _, s := range []string{sheetSpans, sheetLabels} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	var err error
	if e.st, err = newXLSXStyles(f, e.opts.Labels); err != nil {
		return err
	}
	for _, l := range e.layers {
		if annotate.KindOf(l) == annotate.AnnotatorLayer {
			e.agreeL = append(e.agreeL, l)
		}
	}
	if len(e.agreeL) >= 2 {
		names := make([]string, len(e.opts.Labels))
		for i, l := range e.opts.Labels {
			names[i] = l.Name
		}
		if e.agree, err = agreement.NewComputer(e.agreeL, agreement.Options{Labels: names}); err != nil {
			return err
		}
	}

	unit := e.opts.unit()
	docHeader := []string{colDocID, colDocument}
	for _, l := range e.layers {
		docHeader = append(docHeader, statusPrefix+l)
	}
	docHeader = append(docHeader, "spans", "length ("+string(annotate.CodePoints)+")", colSHA, colMeta, colText)
	spanHeader := []string{colDocID, colDocument, colLayer, "start (" + string(unit) + ")", "end (" + string(unit) + ")", colLabel, colText, "left context", "right context"}
	if e.docs, err = e.stream(sheetDocuments, docHeader, map[string]float64{colDocument: 28, colSHA: 16, colMeta: 20, colText: 80}); err != nil {
		return err
	}
	e.spanHeader = spanHeader
	if e.spans, err = e.stream(sheetSpans, spanHeader, spanWidths); err != nil {
		return err
	}
	e.spanSheet, e.spanSheets = sheetSpans, 1
	e.docRow, e.spRow = 1, 1
	return nil
}

// stream opens a sheet for streaming with a frozen, bold header row.
func (e *xlsxEncoder) stream(sheet string, header []string, widths map[string]float64) (*excelize.StreamWriter, error) {
	sw, err := e.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, h := range header {
		if w, ok := widths[h]; ok {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	row := make([]any, len(header))
	for i, h := range header {
		row[i] = excelize.Cell{StyleID: e.st.header, Value: h}
	}
	return sw, sw.SetRow("A1", row)
}

func (e *xlsxEncoder) Encode(d *Doc) error {
	unit := e.opts.unit()
	conv := offsetConverter(d.Text, unit)
	ctx := e.opts.Context
	if ctx <= 0 {
		ctx = 40
	}
	e.byteAt = runeOffsets(e.byteAt[:0], d.Text)
	nRunes := len(e.byteAt) - 1
	slice := func(s, t int) string { return d.Text[e.byteAt[max(s, 0)]:e.byteAt[min(t, nRunes)]] }

	// Documents: one row. Text cells are pointers into e.cells, which
	// SetRow reads before the next row reuses them.
	e.ncell = 0
	row := e.row[:0]
	row = append(row, d.ID, e.str(d.Name))
	total := 0
	for _, lw := range d.Layers {
		total += len(lw.Spans)
	}
	for _, l := range e.layers {
		var st any
		for _, lw := range d.Layers {
			if lw.Name == l {
				st = string(lw.Status)
			}
		}
		row = append(row, st)
	}
	row = append(row, total, d.Length, d.SHA256)
	if len(d.Meta) > 0 {
		row = append(row, e.str(string(d.Meta)))
	} else {
		row = append(row, nil)
	}
	for _, chunk := range cellChunks(d.Text) {
		row = append(row, e.str(chunk))
	}
	e.docRow++
	if err := e.docs.SetRow("A"+strconv.Itoa(e.docRow), row); err != nil {
		return err
	}

	// Spans: one row each.
	for _, lw := range d.Layers {
		for _, sp := range lw.Spans {
			e.counts[sp.Label]++
			e.ncell = 0
			label := e.cell(e.st.label(sp.Label))
			row = append(row[:0], d.ID, e.str(d.Name), e.str(lw.Name), conv(sp.Start), conv(sp.End),
				label, e.str(slice(sp.Start, sp.End)),
				e.str(slice(sp.Start-ctx, sp.Start)), e.str(slice(sp.End, sp.End+ctx)))
			if e.spRow == maxSheetRows {
				if err := e.nextSpansSheet(); err != nil {
					return err
				}
			}
			e.spRow++
			if err := e.spans.SetRow("A"+strconv.Itoa(e.spRow), row); err != nil {
				return err
			}
		}
	}
	e.row = row

	if e.agree != nil {
		ad := agreement.Doc{ID: d.ID, Name: d.Name, Layers: map[string]agreement.LayerDoc{}}
		for _, lw := range d.Layers {
			ad.Layers[lw.Name] = agreement.LayerDoc{Done: lw.Status == annotate.Done, Spans: lw.Spans}
		}
		if err := e.agree.Add(ad); err != nil {
			return err
		}
	}
	return nil
}

// maxSheetRows is the most rows a sheet holds (Excel's limit, header
// included); a variable so that tests can reach it.
var maxSheetRows = excelize.TotalRows

var spanWidths = map[string]float64{colDocument: 28, colText: 28, "left context": 40, "right context": 40}

// nextSpansSheet ends a full Spans sheet and goes on in the next, "Spans
// 2", "Spans 3", ..., with the same header.
func (e *xlsxEncoder) nextSpansSheet() error {
	if err := e.finishStream(e.spanSheet, e.spans, 9, e.spRow); err != nil {
		return err
	}
	e.spanSheets++
	e.spanSheet = sheetSpans + " " + strconv.Itoa(e.spanSheets)
	if _, err := e.f.NewSheet(e.spanSheet); err != nil {
		return err
	}
	var err error
	e.spans, err = e.stream(e.spanSheet, e.spanHeader, spanWidths)
	e.spRow = 1
	e.opts.note(NoteSpansSheets, 1)
	return err
}

// runeOffsets is annotate.RuneOffsets into a reused slice.
func runeOffsets(idx []int, text string) []int {
	for i := range text {
		idx = append(idx, i)
	}
	return append(idx, len(text))
}

// cellChunks cuts a text into pieces a cell can hold, at code point
// boundaries.
func cellChunks(s string) []string {
	if len(s) <= maxCell { // bytes >= UTF-16 units
		return []string{s}
	}
	var out []string
	start, units := 0, 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if units+n > maxCell {
			out = append(out, s[start:i])
			start, units = i, 0
		}
		units += n
	}
	return append(out, s[start:])
}

func (e *xlsxEncoder) Close() error {
	defer e.f.Close()
	if err := e.finishStream(sheetDocuments, e.docs, 7+len(e.layers), e.docRow); err != nil {
		return err
	}
	if err := e.finishStream(e.spanSheet, e.spans, 9, e.spRow); err != nil {
		return err
	}
	if err := e.writeLabels(); err != nil {
		return err
	}
	if e.agree != nil {
		if _, err := e.f.NewSheet(sheetAgreement); err != nil {
			return err
		}
		if err := writeAgreement(e.f, e.st, e.agree.Report()); err != nil {
			return err
		}
	}
	// Documents, the workbook's first sheet, is its active one from the
	// start. (SetActiveSheet would read every streamed sheet back into
	// memory to unselect it.)
	// excelize's Write builds the whole zip in a bytes.Buffer first; its
	// zip writer hook lets the zip go straight to the output instead, so
	// memory does not grow with the workbook. (Only a sheet past 4 GB
	// would miss excelize's zip64 header fix-up, which reads that buffer.)
	e.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(e.w) })
	return e.f.Write(io.Discard)
}

// finishStream adds the header's filter over the rows written and ends
// the stream.
func (e *xlsxEncoder) finishStream(sheet string, sw *excelize.StreamWriter, cols, rows int) error {
	last, _ := excelize.CoordinatesToCellName(cols, max(rows, 2))
	if err := e.f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return err
	}
	return sw.Flush()
}

func (e *xlsxEncoder) writeLabels() error {
	f := e.f
	rows := [][]any{{cell(e.st.header, colLabel), cell(e.st.header, "colour"), cell(e.st.header, "hotkey"), cell(e.st.header, "spans")}}
	seen := map[string]bool{}
	for _, l := range e.opts.Labels {
		seen[l.Name] = true
		rows = append(rows, []any{e.st.label(l.Name), l.Color, l.Hotkey, e.counts[l.Name]})
	}
	for name, n := range e.counts { // labels no longer in the set
		if !seen[name] {
			rows = append(rows, []any{e.st.label(name), nil, nil, n})
		}
	}
	if err := setRows(f, sheetLabels, rows); err != nil {
		return err
	}
	f.SetColWidth(sheetLabels, "A", "A", 24)
	if err := f.SetPanes(sheetLabels, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(sheetLabels, "A1:D"+strconv.Itoa(max(len(rows), 2)), nil)
}

func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// setRows writes a small sheet cell by cell (not streamed), with the
// styles of Cell values.
func setRows(f *excelize.File, sheet string, rows [][]any) error {
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			ref, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			style := 0
			if cl, ok := v.(excelize.Cell); ok {
				style, v = cl.StyleID, cl.Value
			}
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				return err
			}
			if style != 0 {
				if err := f.SetCellStyle(sheet, ref, ref, style); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// writeAgreement writes the agreement report: the overall figures, the
// pairs and the figures per label. An undefined figure is an empty cell
// with the reason beside it.
func writeAgreement(f *excelize.File, st *xlsxStyles, r *agreement.Report) error {
	var rows [][]any
	add := func(cells ...any) { rows = append(rows, cells) }
	h := func(names ...string) {
		c := make([]any, len(names))
		for i, n := range names {
			c[i] = cell(st.header, n)
		}
		add(c...)
	}
	val := func(v agreement.Value) any {
		if !v.Defined {
			return nil
		}
		return v.Value
	}
	add("Agreement over span units between the layers " + strings.Join(r.Layers, ", ") + " (documents each marked done); see the documentation of annotate/agreement.")
	add()
	h("measure", "value", "documents", "units", "note")
	add("Krippendorff's alpha", val(r.KrippendorffAlpha), r.Documents, r.Units, r.KrippendorffAlpha.Reason)
	add("Fleiss' kappa", val(r.FleissKappa), r.FleissDocuments, r.FleissUnits, r.FleissKappa.Reason)
	add()
	h("layer A", "layer B", "documents", "units", "Cohen's kappa", "F1 exact", "F1 overlap", "F1 exact, unlabelled", "F1 overlap, unlabelled", "note")
	for _, p := range r.Pairs {
		var notes []string
		for _, v := range []agreement.Value{p.CohenKappa, p.F1Exact, p.F1Overlap} {
			if !v.Defined && v.Reason != "" {
				notes = append(notes, v.Reason)
			}
		}
		add(st.str(p.A), st.str(p.B), p.Documents, p.Units, val(p.CohenKappa), val(p.F1Exact), val(p.F1Overlap),
			val(p.F1ExactUnlabeled), val(p.F1OverlapUnlabeled), strings.Join(notes, "; "))
	}
	add()
	h("label", "Krippendorff's alpha", "Fleiss' kappa")
	for _, l := range r.Labels {
		m := r.PerLabel[l]
		if m == nil {
			continue
		}
		add(st.label(l), val(m.KrippendorffAlpha), val(m.FleissKappa))
	}
	if err := setRows(f, sheetAgreement, rows); err != nil {
		return err
	}
	return f.SetColWidth(sheetAgreement, "A", "B", 22)
}

// xlsxStyles holds the workbook's cell styles: a header, text cells left
// to right and right to left, each also with a quote prefix (for text
// that starts like a formula), and a fill per label.
type xlsxStyles struct {
	f      *excelize.File
	header int
	text   [2][2]int // [rtl][quote]
	labels map[string]int
	colors map[string]string
}

func newXLSXStyles(f *excelize.File, labels annotate.LabelSet) (*xlsxStyles, error) {
	st := &xlsxStyles{f: f, labels: map[string]int{}, colors: map[string]string{}}
	var err error
	st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDDDDD"}},
		Border: []excelize.Border{{Type: "bottom", Color: "#888888", Style: 1}}})
	if err != nil {
		return nil, err
	}
	for rtl := range 2 {
		for quote := range 2 {
			if rtl+quote == 0 {
				continue // plain text needs no style: s="0", written as nothing
			}
			if st.text[rtl][quote], err = st.newText(rtl == 1, quote == 1, ""); err != nil {
				return nil, err
			}
		}
	}
	for _, l := range labels {
		st.colors[l.Name] = l.Color
	}
	return st, nil
}

// newText makes a text style. A quoted style has the text number format
// and Excel's quotePrefix flag (which excelize's Style does not expose,
// hence the change to the style sheet it builds): a spreadsheet shows the
// cell as text and keeps it text when it is edited, never as a formula.
func (st *xlsxStyles) newText(rtl, quote bool, fill string) (int, error) {
	s := &excelize.Style{}
	if rtl {
		s.Alignment = &excelize.Alignment{ReadingOrder: 2, Horizontal: "right"}
	}
	if quote {
		s.NumFmt = 49 // "@", text
	}
	if fill != "" {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}}
		s.Font = &excelize.Font{Color: contrast(fill)}
	}
	id, err := st.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	if quote {
		xfs := st.f.Styles.CellXfs
		if xfs == nil || id >= len(xfs.Xf) {
			return 0, errors.New("xlsx: cannot set the quote prefix of a cell style")
		}
		t := true
		xfs.Xf[id].QuotePrefix = &t
	}
	return id, nil
}

// contrast picks black or white text for a fill colour.
func contrast(hex string) string {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		return "#000000"
	}
	r, g, b := float64(v>>16&0xff), float64(v>>8&0xff), float64(v&0xff)
	if 0.299*r+0.587*g+0.114*b > 150 {
		return "#000000"
	}
	return "#FFFFFF"
}

// str makes a text cell: right to left when its first strong character is,
// quote-prefixed when it starts like a formula.
func (st *xlsxStyles) str(s string) excelize.Cell {
	return excelize.Cell{StyleID: st.text[b2i(isRTL(s))][b2i(formulaLike(s))], Value: s}
}

// label makes a label's cell, filled with the label's colour.
func (st *xlsxStyles) label(name string) excelize.Cell {
	id, ok := st.labels[name]
	if !ok {
		id = st.str(name).StyleID
		if color := st.colors[name]; color != "" {
			if fill, err := st.newText(isRTL(name), formulaLike(name), color); err == nil {
				id = fill
			}
		}
		st.labels[name] = id
	}
	return excelize.Cell{StyleID: id, Value: name}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// formulaLike is true for text a spreadsheet would take for a formula
// (or that CSV exports turn into one): starting with =, +, -, @, a tab or
// a carriage return.
func formulaLike(s string) bool {
	return s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0
}

// isRTL reports whether the first strong character of s is right to left
// (Arabic, Hebrew, Syriac, Thaana, N'Ko script letters).
func isRTL(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				return false
			}
			continue
		}
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return true
		}
		if unicode.IsLetter(r) {
			return false
		}
	}
	return false
}

// xlsxDecoder reads back a workbook this package wrote: the Documents
// sheet gives each document's text (continued in the cells right of the
// text column) and the Spans sheet its spans, matched by doc id. The
// workbook is held in memory.
type xlsxDecoder struct {
	r    io.Reader
	file string
	stem string
	recs []*Record
	err  error
	read bool
}

func newXLSXDecoder(r io.Reader, o DecodeOptions) Decoder {
	return &xlsxDecoder{r: r, file: o.File, stem: stem(o)}
}

func (d *xlsxDecoder) Next() (*Record, error) {
	if !d.read {
		d.read = true
		d.err = d.load()
	}
	if d.err != nil {
		err := d.err
		d.err = io.EOF
		if err == io.EOF {
			return nil, err
		}
		return nil, err
	}
	if len(d.recs) == 0 {
		return nil, io.EOF
	}
	rec := d.recs[0]
	d.recs[0] = nil
	d.recs = d.recs[1:]
	return rec, nil
}

func (d *xlsxDecoder) load() error {
	b, err := io.ReadAll(d.r)
	if err != nil {
		return err
	}
	if b, err = slimWorkbook(b); err != nil {
		return err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: xlsxTotalLimit, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return fmt.Errorf("not an xlsx workbook: %w", err)
	}
	defer f.Close()
	byID := map[string]*Record{}
	err = eachRow(f, sheetDocuments, []string{colDocID, colText}, func(n int, col map[string]int, cells []string) error {
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(cells) {
				return cells[i]
			}
			return ""
		}
		id := get(colDocID)
		rec := &Record{File: d.file + "#" + sheetDocuments, Line: n, Name: get(colDocument), Unit: annotate.CodePoints, Annotated: true}
		if rec.Name == "" {
			rec.Name = defaultName(d.stem, n)
		}
		if i := col[colText]; i < len(cells) {
			rec.Text = strings.Join(cells[i:], "")
		}
		if m := get(colMeta); m != "" {
			rec.Meta = []byte(m)
		}
		if sha := get(colSHA); sha != "" && annotate.Hash(rec.Text) != sha {
			// A spreadsheet that saved the workbook again may have
			// changed the text: LibreOffice writes \r\n as \n.
			restored := strings.ReplaceAll(rec.Text, "\n", "\r\n")
			if !strings.Contains(rec.Text, "\r") && annotate.Hash(restored) == sha {
				rec.Text = restored
				rec.Notes = map[string]int{NoteLineBreaks: 1}
			} else {
				rec.SHA256 = sha
			}
		}
		for h, i := range col {
			if layer, ok := strings.CutPrefix(h, statusPrefix); ok && i < len(cells) {
				if rec.Statuses == nil {
					rec.Statuses = map[string]annotate.Status{}
				}
				st, err := annotate.ParseStatus(cells[i])
				if cells[i] != "" && err != nil {
					rec.problem(n, "%s row %d: %v", sheetDocuments, n, err)
					continue
				}
				rec.Statuses[layer] = st // "" where the layer has no work
			}
		}
		// The layers with work here, in the order of their columns.
		for i := range cells {
			for h, c := range col {
				if layer, ok := strings.CutPrefix(h, statusPrefix); ok && c == i && rec.Statuses[layer] != "" {
					rec.Layers = append(rec.Layers, layer)
				}
			}
		}
		switch {
		case id == "":
			rec.Err = errors.New("no doc id")
		case byID[id] != nil:
			rec.Err = fmt.Errorf("doc id %s is on an earlier row too", id)
		default:
			byID[id] = rec
		}
		d.recs = append(d.recs, rec)
		return nil
	})
	if err != nil {
		return err
	}
	// Spans, and the sheets it goes on in (Spans 2, ...) past a sheet's
	// last row.
	found := false
	for _, sheet := range f.GetSheetList() {
		if sheet != sheetSpans && !strings.HasPrefix(sheet, sheetSpans+" ") {
			continue
		}
		found = true
		where := d.file + "#" + sheet
		err := eachRow(f, sheet, []string{colDocID, colLabel}, func(n int, col map[string]int, cells []string) error {
			get := func(name string) (string, bool) {
				if i, ok := col[name]; ok && i < len(cells) {
					return cells[i], true
				}
				return "", false
			}
			problem := func(rec *Record, format string, args ...any) {
				rec.Problems = append(rec.Problems, Problem{File: where, Line: n, Doc: rec.Name, Err: fmt.Errorf(format, args...)})
			}
			id, _ := get(colDocID)
			rec := byID[id]
			if rec == nil {
				if len(d.recs) == 0 {
					d.recs = append(d.recs, &Record{File: d.file, Name: d.stem, Err: errors.New("the Documents sheet is empty")})
				}
				problem(d.recs[0], "doc id %q is not on the Documents sheet", id)
				return nil
			}
			sp := Span{Line: n, File: where}
			sp.Label, _ = get(colLabel)
			sp.Text, sp.HasText = get(colText)
			sp.Layer, _ = get(colLayer)
			var s, e string
			var unit annotate.OffsetUnit
			for name, i := range col {
				if strings.HasPrefix(name, "start (") && i < len(cells) {
					s, unit = cells[i], headerUnit(name)
				}
				if strings.HasPrefix(name, "end (") && i < len(cells) {
					e = cells[i]
				}
			}
			var err1, err2 error
			sp.Start, err1 = strconv.Atoi(s)
			sp.End, err2 = strconv.Atoi(e)
			if err1 != nil || err2 != nil {
				problem(rec, "offsets %q and %q are not whole numbers", s, e)
				return nil
			}
			if unit == "" {
				problem(rec, "the header does not say the offsets' unit")
				return nil
			}
			rec.Unit = unit
			rec.Spans = append(rec.Spans, sp)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if !found {
		return fmt.Errorf("no %s sheet: this reads workbooks written by qalam export --format xlsx", sheetSpans)
	}
	return nil
}

func headerUnit(h string) annotate.OffsetUnit {
	_, u, _ := strings.Cut(h, "(")
	unit, err := annotate.ParseOffsetUnit(strings.TrimSuffix(u, ")"))
	if err != nil {
		return ""
	}
	return unit
}

// eachRow calls fn for every row after the header of a sheet, with the
// columns by header name; it refuses a sheet without the named columns.
func eachRow(f *excelize.File, sheet string, need []string, fn func(n int, col map[string]int, cells []string) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("no %s sheet: this reads workbooks written by qalam export --format xlsx", sheet)
	}
	defer rows.Close()
	var col map[string]int
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("%s row %d: %w", sheet, n, err)
		}
		if col == nil {
			col = map[string]int{}
			for i, h := range cells {
				if _, dup := col[h]; !dup {
					col[h] = i
				}
			}
			for _, c := range need {
				if _, ok := col[c]; !ok {
					return fmt.Errorf("the %s sheet has no %q column", sheet, c)
				}
			}
			continue
		}
		if len(cells) == 0 {
			continue
		}
		if err := fn(n, col, cells); err != nil {
			return err
		}
	}
	if col == nil {
		return fmt.Errorf("the %s sheet is empty", sheet)
	}
	return rows.Error()
}
