package export

import (
	"bufio"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/annotate"
)

// bratEncoder writes brat standoff: per document NAME.txt, the text as
// stored, and NAME.ann, one "T1\tLABEL START END\tTEXT" line per span in
// text order. With several layers each gets a subfolder named after it.
// Names are made safe for every file system and unique (see safeName).
type bratEncoder struct {
	dir    FolderWriter
	opts   EncodeOptions
	layers map[string]*nameSet // per subfolder
	perDir bool                // one subfolder per layer
	label  func(string) string
	buf    []byte
	byteAt []int // the byte offset of each code point of the text
}

func newBratEncoder(dir FolderWriter, o EncodeOptions) (Encoder, error) {
	return &bratEncoder{dir: dir, opts: o, layers: map[string]*nameSet{}, perDir: len(o.Layers) > 1, label: o.fileLabels()}, nil
}

func (e *bratEncoder) Encode(d *Doc) error {
	unit := e.opts.unit()
	conv := offsetConverter(d.Text, unit)
	e.byteAt = runeOffsets(e.byteAt[:0], d.Text)
	for _, lw := range d.Layers {
		folder := ""
		if e.perDir {
			folder = safeName(lw.Name, "layer") + "/"
		}
		names := e.layers[folder]
		if names == nil {
			names = &nameSet{taken: map[string]bool{}}
			e.layers[folder] = names
		}
		name := folder + names.unique(safeName(d.Name, "document"))
		// A text that starts with U+FEFF would lose it to the byte
		// order mark readers remove: it gets a mark of its own, which
		// the offsets count, as brat's do.
		txt, shift := []byte(d.Text), 0
		if strings.HasPrefix(d.Text, "\ufeff") {
			txt, shift = append(append([]byte(nil), utf8BOM...), d.Text...), 1
		}
		if err := e.write(name+".txt", txt); err != nil {
			return err
		}
		spans := lw.Spans
		if !sort.SliceIsSorted(spans, func(i, j int) bool { return spanLess(spans[i], spans[j]) }) {
			spans = append([]annotate.Span(nil), spans...)
			sort.SliceStable(spans, func(i, j int) bool { return spanLess(spans[i], spans[j]) })
		}
		b := e.buf[:0]
		for i, sp := range spans {
			text := d.Text[e.byteAt[sp.Start]:e.byteAt[sp.End]]
			b = append(b, 'T')
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, '\t')
			b = append(b, e.label(sp.Label)...)
			b = append(b, ' ')
			b = appendInt(b, conv(sp.Start)+shift)
			b = append(b, ' ')
			b = appendInt(b, conv(sp.End)+shift)
			b = append(b, '\t')
			b = append(b, lineBreaksAsSpaces(text)...)
			b = append(b, '\n')
		}
		e.buf = b
		if err := e.write(name+".ann", b); err != nil {
			return err
		}
	}
	return nil
}

func (e *bratEncoder) write(name string, b []byte) error {
	w, err := e.dir.Create(name)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func (e *bratEncoder) Close() error { return nil }

func spanLess(a, b annotate.Span) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	if a.End != b.End {
		return a.End < b.End
	}
	return a.Label < b.Label
}

// lineBreaksAsSpaces turns each line break (\r\n, \n, \r) into one space,
// as brat writes the text of a span that crosses lines.
func lineBreaksAsSpaces(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// nameSet hands out names unique regardless of case (for file systems
// that ignore it).
type nameSet struct{ taken map[string]bool }

func (s *nameSet) unique(name string) string {
	cand := name
	for i := 2; s.taken[strings.ToLower(cand)]; i++ {
		cand = name + "-" + strconv.Itoa(i)
	}
	s.taken[strings.ToLower(cand)] = true
	return cand
}

// maxNameBytes is the most bytes safeName leaves: file systems hold 255
// per name, which leaves room for a "-2" that keeps it unique and the
// extension.
const maxNameBytes = 200

// safeName makes a document name usable as a file name on Linux, macOS and
// Windows: path separators, control characters and the characters Windows
// forbids become "_", leading dots and spaces and trailing dots and spaces
// go (so no ".." and no hidden files), the name is cut to maxNameBytes
// bytes (at a character's edge), and Windows' reserved device names get a
// "_". An empty result is def.
func safeName(name, def string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '/' || r == '\\' || r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			b.WriteByte('_')
		case unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimLeft(b.String(), ". ")
	s = strings.TrimRight(s, ". ")
	if len(s) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimRight(s[:cut], ". ")
	}
	if s == "" {
		return def
	}
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s = "_" + s
	}
	return s
}

// bratDecoder reads one .ann file against its text (DecodeOptions.Text).
type bratDecoder struct {
	r    *bufio.Reader
	file string
	name string
	text string
	done bool
}

func newBratDecoder(r io.Reader, o DecodeOptions) Decoder {
	return &bratDecoder{r: bufio.NewReader(r), file: o.File, name: stem(o), text: o.Text}
}

// Next returns the document with the spans of its T lines. A discontinuous
// span (START END;START END) is reported and left out; relations (R),
// events (E), attributes (A, M), normalizations (N), equivalences (*) and
// notes (#) are counted and skipped.
func (d *bratDecoder) Next() (*Record, error) {
	if d.done {
		return nil, io.EOF
	}
	d.done = true
	rec := &Record{File: d.file, Name: d.name, Text: d.text, Annotated: true}
	for n := 1; ; n++ {
		line, err := d.r.ReadString('\n')
		if line == "" && err != nil {
			if err != io.EOF {
				return nil, err
			}
			break
		}
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !utf8.ValidString(line) {
			rec.problem(n, "invalid UTF-8")
			continue
		}
		switch line[0] {
		case 'T':
			d.textBound(rec, n, line)
		case 'R', 'E', 'A', 'M', 'N', '#', '*':
			rec.ignore("brat "+line[:1]+" lines", 1)
		default:
			rec.problem(n, "not a brat annotation line: %s", clip(line, 40))
		}
	}
	return rec, nil
}

func (d *bratDecoder) textBound(rec *Record, n int, line string) {
	id, rest, ok := strings.Cut(line, "\t")
	if !ok {
		rec.problem(n, "%s: no tab after the id", clip(line, 40))
		return
	}
	typeAndOffsets, text, hasText := strings.Cut(rest, "\t")
	typ, offsets, ok := strings.Cut(typeAndOffsets, " ")
	if !ok || typ == "" {
		rec.problem(n, "%s: want TYPE START END", id)
		return
	}
	frags := strings.Split(offsets, ";")
	if len(frags) > 1 {
		rec.problem(n, "%s %s [%s]: discontinuous span (%d fragments); Qalam spans are continuous, so it is left out", id, typ, offsets, len(frags))
		return
	}
	f := strings.Fields(frags[0])
	if len(f) != 2 {
		rec.problem(n, "%s: offsets %q are not START END", id, offsets)
		return
	}
	start, err1 := strconv.Atoi(f[0])
	end, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		rec.problem(n, "%s: offsets %q are not numbers", id, offsets)
		return
	}
	rec.Spans = append(rec.Spans, Span{Start: start, End: end, Label: typ, Text: text, HasText: hasText, Loose: true, Line: n})
}

// bratText is the .txt beside an .ann file.
func bratText(ann string) string { return strings.TrimSuffix(ann, filepath.Ext(ann)) + ".txt" }
