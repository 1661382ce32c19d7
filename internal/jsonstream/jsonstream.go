// Package jsonstream reads the JSON values of a file one after another,
// with the line each starts on, whatever the layout: JSON Lines, values
// pretty-printed over several lines, or one top-level array of values
// (read element by element, so a large array is not held in memory). The
// article reader and the annotation formats share it.
package jsonstream

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Reader reads the JSON values of a file.
//
// A malformed value does not end the file: in JSON Lines it is its line;
// in pretty-printed files it runs to where its brackets close, or, when a
// string breaks at a line end, to the next line that starts a value at
// the first column. It comes back with err set, and reading goes on.
type Reader struct {
	r    *bufio.Reader
	line int // line of the next byte

	started   bool
	array     bool // inside a top-level array of records
	arrayDone bool
	elements  int
	// oneLine is decided by the first value: values are one per line
	// (JSON Lines), so a value must end on the line it starts on.
	oneLine, decided bool

	buf []byte
}

// Value is one value read: its bytes and the line it starts on, or why it
// is malformed (Err). Raw is valid until the next call of Next.
type Value struct {
	Raw  []byte
	Line int
	Err  error
}

// NewReader reads values from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), line: 1}
}

// ErrTruncated is the error of a value the file ends inside.
var ErrTruncated = errors.New("the file ends inside a JSON value")

// Next returns the next value, io.EOF after the last, or another error
// when the rest of the file cannot be read (an I/O error, or a top-level
// array that breaks off).
func (j *Reader) Next() (Value, error) {
	if !j.started {
		j.started = true
		if b, err := j.r.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
			j.r.Discard(3)
		}
		if err := j.skipSpace(); err != nil {
			return Value{}, err
		}
		if j.isRecordArray() {
			j.r.ReadByte()
			j.array = true
			j.oneLine, j.decided = false, true
		}
	}
	if j.array {
		return j.nextElement()
	}
	if err := j.skipSpace(); err != nil {
		return Value{}, err
	}
	return j.scan()
}

// isRecordArray tells a file that is one array of records from a file
// of spaCy's [text, {...}] rows: the first element of a record array is
// not a string.
func (j *Reader) isRecordArray() bool {
	for n := 1; n <= j.r.Size(); n++ {
		b, err := j.r.Peek(n)
		if len(b) == 0 || b[0] != '[' {
			return false
		}
		if len(b) < n {
			return err == nil
		}
		switch c := b[n-1]; {
		case n == 1 || c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if err != nil {
				return false
			}
			continue
		default:
			return c != '"'
		}
	}
	return true
}

func (j *Reader) nextElement() (Value, error) {
	if j.arrayDone {
		if err := j.skipSpace(); err != nil {
			return Value{}, err
		}
		return Value{}, fmt.Errorf("line %d: data after the end of the top-level array", j.line)
	}
	if err := j.skipSpace(); err == io.EOF {
		return Value{}, fmt.Errorf("line %d: %w (the top-level array is not closed)", j.line, ErrTruncated)
	} else if err != nil {
		return Value{}, err
	}
	c, _ := j.r.ReadByte()
	switch {
	case c == ']':
		j.arrayDone = true
		if err := j.skipSpace(); err != nil {
			return Value{}, err
		}
		return Value{}, fmt.Errorf("line %d: data after the end of the top-level array", j.line)
	case c == ',' && j.elements > 0:
		if err := j.skipSpace(); err == io.EOF {
			return Value{}, fmt.Errorf("line %d: %w (the top-level array is not closed)", j.line, ErrTruncated)
		} else if err != nil {
			return Value{}, err
		}
	case j.elements == 0:
		j.r.UnreadByte()
	default:
		return Value{}, fmt.Errorf("line %d: want , or ] between the elements of the top-level array, found %q", j.line, c)
	}
	j.elements++
	v, err := j.scan()
	if err == nil && v.Err != nil && errors.Is(v.Err, ErrTruncated) {
		return v, fmt.Errorf("line %d: %w", v.Line, v.Err)
	}
	return v, err
}

// skipSpace skips white space; it returns io.EOF at the end of the file.
func (j *Reader) skipSpace() error {
	for {
		c, err := j.r.ReadByte()
		if err != nil {
			return err
		}
		switch c {
		case '\n':
			j.line++
		case ' ', '\t', '\r':
		default:
			j.r.UnreadByte()
			return nil
		}
	}
}

// scan reads one value that starts at the next byte, which is not space.
func (j *Reader) scan() (Value, error) {
	v := Value{Line: j.line}
	j.buf = j.buf[:0]
	first, _ := j.r.ReadByte()
	j.buf = append(j.buf, first)
	if first != '{' && first != '[' {
		// Not an object or array: the rest of its line goes with it.
		if err := j.restOfLine(); err != nil && err != io.EOF {
			return v, err
		}
		v.Raw = j.buf
		v.Err = fmt.Errorf("not a JSON object or array: %s", Clip(string(bytes.TrimSpace(j.buf)), 40))
		return v, nil
	}
	depth, inString, escaped := 1, false, false
	for depth > 0 {
		c, err := j.r.ReadByte()
		if err == io.EOF {
			v.Raw, v.Err = j.buf, ErrTruncated
			j.decide(v.Line)
			return v, nil
		}
		if err != nil {
			return v, err
		}
		if c == '\n' {
			j.line++
			if inString || (j.oneLine && j.decided) {
				// A string cannot hold a raw line break, and a JSON Lines
				// value ends with its line: the value is broken here.
				v.Raw = j.buf
				v.Err = fmt.Errorf("the JSON value breaks off at the end of line %d", j.line-1)
				if !j.oneLine || !j.decided {
					j.resync()
				}
				j.decide(v.Line)
				return v, nil
			}
		}
		j.buf = append(j.buf, c)
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
		}
	}
	j.decide(v.Line)
	v.Raw = j.buf
	if !json.Valid(v.Raw) {
		var x any
		err := json.Unmarshal(v.Raw, &x)
		v.Err = fmt.Errorf("malformed JSON: %v", err)
	}
	return v, nil
}

// decide fixes the layout from the first value: one per line when it
// fitted on its line.
func (j *Reader) decide(startLine int) {
	if !j.decided {
		j.decided = true
		j.oneLine = j.line == startLine
	}
}

// resync skips to the next line that starts with { or [ at its first
// column, so a broken pretty-printed value does not become many.
func (j *Reader) resync() {
	for {
		b, err := j.r.Peek(1)
		if err != nil || b[0] == '{' || b[0] == '[' {
			return
		}
		if err := j.restOfLine(); err != nil {
			return
		}
	}
}

// restOfLine consumes up to and including the next line break.
func (j *Reader) restOfLine() error {
	for {
		c, err := j.r.ReadByte()
		if err != nil {
			return err
		}
		if c == '\n' {
			j.line++
			return nil
		}
	}
}

// CheckUTF8 refuses a value with invalid UTF-8, which encoding/json would
// turn into U+FFFD without a word; it names the line of the bad byte.
func CheckUTF8(raw []byte, line int) error {
	if utf8.Valid(raw) {
		return nil
	}
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n <= 1 {
			return fmt.Errorf("invalid UTF-8: byte 0x%02X at line %d", raw[i], line+bytes.Count(raw[:i], []byte{'\n'}))
		}
		i += n
	}
	return nil
}

// Clip cuts s to n code points, with an ellipsis when it cut.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}
