// Package articles reads articles to annotate from .txt files, JSONL files
// and folders, one by one, so memory does not grow with the corpus. Bad
// input is reported per file (and per line for JSONL) beside the good
// input, never instead of it.
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
	"unicode/utf8"

	"github.com/qalam-annotate/qalam/annotate"
)

// Item is one article read, or one piece of input refused (Err set).
type Item struct {
	Path string // the file
	Line int    // the line of a JSONL file, 0 for a whole file
	Doc  annotate.Document
	Err  error
}

// Where names the input: "file" or "file:line".
func (it Item) Where() string {
	if it.Line > 0 {
		return it.Path + ":" + strconv.Itoa(it.Line)
	}
	return it.Path
}

// Kind tells how a file is read.
func Kind(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt":
		return "txt"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}

// Reader walks files and folders.
type Reader struct {
	// Skipped is called for each file in a folder that is neither .txt
	// nor .jsonl.
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
			if info, err := d.Info(); err == nil {
				files++
				size += info.Size()
			}
			return nil
		})
	}
	return files, size
}

// Read calls fn for every article and every refused input under paths, in
// walk order. A path given by name is read whatever its extension (as
// JSONL when it ends so, as text otherwise); inside folders only .txt and
// .jsonl files are read, recursively. It stops early only when fn returns
// an error or ctx is done.
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
			return r.readFile(ctx, path, filepath.ToSlash(rel), fn)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Reader) readFile(ctx context.Context, path, name string, fn func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if Kind(path) == "jsonl" {
		return r.readJSONL(ctx, path, fn)
	}
	b, err := os.ReadFile(path)
	r.advance(int64(len(b)))
	if err != nil {
		return fn(Item{Path: path, Err: err})
	}
	text, err := annotate.CleanText(b)
	if err != nil {
		return fn(Item{Path: path, Err: err})
	}
	if strings.EqualFold(filepath.Ext(name), ".txt") {
		name = name[:len(name)-4]
	}
	return fn(Item{Path: path, Doc: annotate.NewDocument(name, text, nil)})
}

func (r *Reader) advance(n int64) {
	r.done += n
	if r.Progress != nil {
		r.Progress(r.done)
	}
}

// jsonlRecord is one line of an articles JSONL file.
type jsonlRecord struct {
	Text *string         `json:"text"`
	ID   json.RawMessage `json:"id"`
	Name *string         `json:"name"`
	Meta json.RawMessage `json:"meta"`
}

func (r *Reader) readJSONL(ctx context.Context, path string, fn func(Item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fn(Item{Path: path, Err: err})
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	for line := 1; ; line++ {
		raw, err := br.ReadBytes('\n')
		r.advance(int64(len(raw)))
		if len(raw) > 0 {
			if line == 1 {
				raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
			}
			if it, ok := parseJSONLine(raw, path, line, base); ok {
				if err := fn(it); err != nil {
					return err
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fn(Item{Path: path, Line: line, Err: err})
		}
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
}

// parseJSONLine reads one line; ok is false for a blank line.
func parseJSONLine(raw []byte, path string, line int, base string) (Item, bool) {
	it := Item{Path: path, Line: line}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return it, false
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD without a word.
	if !utf8.Valid(raw) {
		_, err := annotate.CleanText(raw)
		it.Err = err
		return it, true
	}
	var rec jsonlRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		it.Err = fmt.Errorf("malformed JSON: %w", err)
		return it, true
	}
	if rec.Text == nil {
		it.Err = errors.New(`no "text" field`)
		return it, true
	}
	text, err := annotate.CleanText([]byte(*rec.Text))
	if err != nil {
		it.Err = fmt.Errorf(`"text": %w`, err)
		return it, true
	}
	name := base + ":" + strconv.Itoa(line)
	var id string
	if len(rec.ID) > 0 && string(rec.ID) != "null" {
		if err := json.Unmarshal(rec.ID, &id); err != nil {
			id = string(rec.ID) // a number or another JSON value
		}
		name = id
	}
	if rec.Name != nil && *rec.Name != "" {
		name = *rec.Name
	}
	meta, err := mergeMeta(rec.Meta, rec.ID)
	if err != nil {
		it.Err = err
		return it, true
	}
	it.Doc = annotate.NewDocument(name, text, meta)
	return it, true
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
