// Package articles reads articles to annotate from .txt files, JSON files
// (JSON Lines, one array, or pretty-printed records with a "text" field)
// and folders, one by one, so memory does not grow with the corpus. Bad
// input is reported per file (and per record for JSON) beside the good
// input, never instead of it.
//
// It is the one reader of plain articles: `qalam import`, the app's import
// and annotation imports that meet plain articles (export.Import) all read
// through it, so a file's documents get the same names and metadata
// whichever way it came in. It also opens every file an import reads
// (Open): regular files only, at most MaxFileSize bytes, decoded from
// UTF-16 when a byte order mark says so.
package articles

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/jsonstream"
)

// Item is one article read, or one piece of input refused (Err set).
type Item struct {
	Path string // the file
	Line int    // the line of a JSON record, 0 for a whole file
	Doc  annotate.Document
	Err  error
}

// Where names the input: "file" or "file:line", the file quoted.
func (it Item) Where() string {
	if it.Line > 0 {
		return strconv.Quote(it.Path) + ":" + strconv.Itoa(it.Line)
	}
	return strconv.Quote(it.Path)
}

// Kind tells how a file is read: "txt", "json" (.json, .jsonl, .ndjson),
// or "" for files folders do not offer.
func Kind(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt":
		return "txt"
	case ".json", ".jsonl", ".ndjson":
		return "json"
	}
	return ""
}

// Name is the name of the documents of a file: rel, its path inside the
// folder imported (or its base name when the file was named itself),
// without its extension, followed by ":" and the line for a record of a
// JSON file that names none (news:3).
func Name(rel string, line int) string {
	name := strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel))
	if line > 0 {
		name += ":" + strconv.Itoa(line)
	}
	return name
}

// MaxFileSize is the most one file may hold: larger ones are refused
// whole, saying so, rather than read into memory (a JSON file of articles
// can be split into several).
const MaxFileSize = 256 << 20

// ErrNotRegular and ErrTooLarge refuse a file Open does not read.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// CheckFile refuses what Open would not read: anything but a regular file
// (a folder, a named pipe, a device such as /dev/zero, a socket) and a
// file over MaxFileSize.
func CheckFile(fi fs.FileInfo) error {
	m := fi.Mode()
	if !m.IsRegular() {
		what := "a folder"
		switch {
		case m&fs.ModeNamedPipe != 0:
			what = "a named pipe"
		case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
			what = "a device"
		case m&fs.ModeSocket != 0:
			what = "a socket"
		case !m.IsDir():
			what = "a special file"
		}
		return fmt.Errorf("%w (%s): not read", ErrNotRegular, what)
	}
	if fi.Size() > MaxFileSize {
		return fmt.Errorf("%w: %d MB, more than the %d MB read from one file (split it)", ErrTooLarge, fi.Size()>>20, MaxFileSize>>20)
	}
	return nil
}

// File is a file opened by Open: its text as UTF-8.
type File struct {
	r    io.Reader
	f    *os.File
	Size int64 // bytes on disk
	// OnRead, when set, is told after each read how many bytes of text
	// have been read so far (for progress).
	OnRead func(read int64)
	read   int64
}

func (f *File) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if f.OnRead != nil {
		f.read += int64(n)
		f.OnRead(f.read)
	}
	return n, err
}

func (f *File) Close() error { return f.f.Close() }

// Open opens a file to import after CheckFile. A UTF-8 byte order mark is
// left for the reader of each format; a UTF-16 one (files saved by Windows
// editors) has the file decoded to UTF-8, refusing unpaired surrogates. It
// never reads more than MaxFileSize bytes, even from a file that grows.
func Open(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := CheckFile(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	lim := &limitReader{r: f, left: MaxFileSize}
	// A buffer the size of the file, up to 64 KB: an article is a few
	// kilobytes, and 64 KB for each of ten thousand files was a third of
	// an import's time spent clearing memory.
	br := bufio.NewReaderSize(lim, int(min(fi.Size()+512, 64<<10)))
	file := &File{r: br, f: f, Size: fi.Size()}
	head, _ := br.Peek(2)
	var order binaryOrder
	switch {
	case bytes.Equal(head, []byte{0xFF, 0xFE}):
		order = littleEndian
	case bytes.Equal(head, []byte{0xFE, 0xFF}):
		order = bigEndian
	default:
		return file, nil
	}
	b, err := io.ReadAll(br)
	if err != nil {
		f.Close()
		return nil, err
	}
	text, err := decodeUTF16(b[2:], order)
	if err != nil {
		f.Close()
		return nil, err
	}
	file.r = bytes.NewReader(text)
	return file, nil
}

// limitReader refuses to read past left bytes.
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		if n, _ := l.r.Read(p[:min(len(p), 1)]); n > 0 {
			return 0, fmt.Errorf("%w: it grew past the %d MB read from one file", ErrTooLarge, MaxFileSize>>20)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

type binaryOrder int

const (
	littleEndian binaryOrder = iota
	bigEndian
)

// decodeUTF16 turns UTF-16 into UTF-8, refusing an odd length and
// unpaired surrogates, which have no UTF-8.
func decodeUTF16(b []byte, order binaryOrder) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("%w: UTF-16 with an odd number of bytes", annotate.ErrInvalidUTF8)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if order == littleEndian {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		switch {
		case utf16.IsSurrogate(r) && i+1 < len(u) && r < 0xDC00 && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF:
			r = utf16.DecodeRune(r, rune(u[i+1]))
			i++
		case utf16.IsSurrogate(r):
			return nil, fmt.Errorf("%w: an unpaired UTF-16 surrogate at byte offset %d", annotate.ErrInvalidUTF8, 2+2*i)
		}
		out = append(out, string(r)...)
	}
	return out, nil
}

// Reader walks files and folders.
type Reader struct {
	// Skipped is called for each file in a folder that is not a .txt or
	// JSON file.
	Skipped func(path string)
	// Progress is called with the number of bytes read so far.
	Progress func(done int64)

	done int64
}

// Size counts what Read will read: files and their bytes, for a progress
// bar. Files that Read would skip are not counted.
func Size(paths []string) (files int, size int64) {
	for _, p := range paths {
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || (path != p && Kind(path) == "") {
				return nil
			}
			if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
				files++
				size += info.Size()
			}
			return nil
		})
	}
	return files, size
}

// Read calls fn for every article and every refused input under paths, in
// walk order. A path given by name is read whatever its extension (as JSON
// when it ends so, as text otherwise); inside folders only .txt and JSON
// files are read, recursively. Anything but a regular file is refused, and
// so is a file over MaxFileSize. It stops early only when fn returns an
// error or ctx is done.
func (r *Reader) Read(ctx context.Context, paths []string, fn func(Item) error) error {
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			if err := fn(Item{Path: root, Err: err}); err != nil {
				return err
			}
			continue
		}
		if !info.IsDir() {
			if err := r.readFile(ctx, root, filepath.Base(root), fn); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fn(Item{Path: path, Err: err})
			}
			if d.IsDir() {
				return ctx.Err()
			}
			if Kind(path) == "" {
				if r.Skipped != nil {
					r.Skipped(path)
				}
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			return r.readFile(ctx, path, rel, fn)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) readFile(ctx context.Context, path, rel string, fn func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := Open(path)
	if err != nil {
		return fn(Item{Path: path, Err: err})
	}
	defer f.Close()
	if r.Progress != nil {
		f.OnRead = func(n int64) { r.Progress(r.done + n) }
	}
	err = Parse(ctx, path, rel, f, fn)
	r.done += f.Size
	if r.Progress != nil {
		r.Progress(r.done)
	}
	return err
}

// Parse reads the articles of one file from r (opened by Open): a JSON
// file's records when path ends in .json, .jsonl or .ndjson, else the
// whole file as one text. rel names its documents (see Name). It stops
// early only when fn returns an error or ctx is done; a read error is an
// Item.
func Parse(ctx context.Context, path, rel string, r io.Reader, fn func(Item) error) error {
	if Kind(path) != "json" {
		b, err := io.ReadAll(r)
		if err != nil {
			return fn(Item{Path: path, Err: err})
		}
		text, err := annotate.CleanText(b)
		if err != nil {
			return fn(Item{Path: path, Err: err})
		}
		return fn(Item{Path: path, Doc: annotate.NewDocument(Name(rel, 0), text, nil)})
	}
	jr := jsonstream.NewReader(r)
	for n := 1; ; n++ {
		v, err := jr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fn(Item{Path: path, Line: v.Line, Err: err})
		}
		if err := fn(parseRecord(v, path, rel)); err != nil {
			return err
		}
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// record is one article of a JSON file.
type record struct {
	Text *string         `json:"text"`
	ID   json.RawMessage `json:"id"`
	Name *string         `json:"name"`
	Meta json.RawMessage `json:"meta"`
}

// parseRecord reads {"text", "id"?, "name"?, "meta"?}: the document is
// named by "name", else "id", else the file and line, and "id" is kept
// in its meta.
func parseRecord(v jsonstream.Value, path, rel string) Item {
	it := Item{Path: path, Line: v.Line}
	if v.Err != nil {
		it.Err = v.Err
		return it
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD without a word.
	if err := jsonstream.CheckUTF8(v.Raw, v.Line); err != nil {
		it.Err = err
		return it
	}
	var rec record
	if err := json.Unmarshal(v.Raw, &rec); err != nil {
		it.Err = fmt.Errorf("malformed JSON: %w", err)
		return it
	}
	if rec.Text == nil {
		it.Err = errors.New(`no "text" field`)
		return it
	}
	if err := annotate.CheckText(*rec.Text); err != nil {
		it.Err = fmt.Errorf(`"text": %w`, err)
		return it
	}
	name := Name(rel, v.Line)
	if len(rec.ID) > 0 && string(rec.ID) != "null" {
		var id string
		if err := json.Unmarshal(rec.ID, &id); err != nil {
			id = string(bytes.TrimSpace(rec.ID)) // a number or another JSON value
		}
		name = id
	}
	if rec.Name != nil && *rec.Name != "" {
		name = *rec.Name
	}
	meta, err := mergeMeta(rec.Meta, rec.ID)
	if err != nil {
		it.Err = err
		return it
	}
	it.Doc = annotate.NewDocument(name, *rec.Text, meta)
	return it
}

// mergeMeta keeps the "meta" object as received and records the "id" in
// it, so that exports can give both back.
func mergeMeta(meta, id json.RawMessage) (json.RawMessage, error) {
	if len(meta) == 0 || string(meta) == "null" {
		if len(id) == 0 || string(id) == "null" {
			return nil, nil
		}
		return json.Marshal(map[string]json.RawMessage{"id": id})
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(meta, &m); err != nil {
		return nil, errors.New(`"meta" is not a JSON object`)
	}
	if len(id) > 0 && string(id) != "null" {
		if _, taken := m["id"]; !taken {
			m["id"] = id
			return json.Marshal(m)
		}
	}
	return meta, nil
}
