package annotate

import (
	"errors"
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantErr error
		errHas  string
	}{
		{"plain", "نص عربي\n", "نص عربي\n", nil, ""},
		{"bom removed, nothing else", "\ufeff  abc\r\n", "  abc\r\n", nil, ""},
		{"bom inside kept", "a\ufeffb", "a\ufeffb", nil, ""},
		{"empty", "", "", ErrEmptyText, ""},
		{"only bom and space", "\ufeff \n\t", "", ErrEmptyText, ""},
		{"latin-1 byte", "caf\xe9\nline2", "", ErrInvalidUTF8, "line 1"},
		{"invalid on line 3", "a\nb\n\xff", "", ErrInvalidUTF8, "line 3, byte offset 4"},
		{"binary", "PK\x03\x04\x00\x00", "", ErrBinaryText, "NUL byte at line 1, byte offset 4"},
		{"control character", "PK\x03\x04", "", ErrBinaryText, "control character U+0003 at line 1, byte offset 2"},
		{"NUL", "ab\x00", "", ErrBinaryText, "NUL byte at line 1, byte offset 2"},
		// UTF-16 read as UTF-8: Arabic letters become control
		// characters even where no byte is NUL.
		{"UTF-16 without a byte order mark", "'\x06D\x06", "", ErrBinaryText, "control character U+0006 at line 1, byte offset 1"},
		{"control characters but tab and line breaks", "a\tb\r\nc\x07", "", ErrBinaryText, "U+0007 at line 2, byte offset 6"},
		{"C1 controls are kept", "a\u0085b\u0096", "a\u0085b\u0096", nil, ""},
		{"DEL", "a\x7f", "", ErrBinaryText, "U+007F"},
		{"a real U+FFFD is text", "a\ufffdb", "a\ufffdb", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanText([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("err %q does not say %q", err, tt.errHas)
			}
			if got != tt.want {
				t.Errorf("text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSlice(t *testing.T) {
	text := "😂 ستيف ab"
	tests := []struct {
		s, e int
		want string
		ok   bool
	}{
		{0, 1, "😂", true},
		{2, 6, "ستيف", true},
		{7, 9, "ab", true},
		{9, 9, "", true},
		{0, 9, text, true},
		{8, 10, "", false},
		{-1, 2, "", false},
		{3, 2, "", false},
	}
	for _, tt := range tests {
		got, ok := Slice(text, tt.s, tt.e)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Slice(%d,%d) = %q,%v want %q,%v", tt.s, tt.e, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOffsetMap(t *testing.T) {
	text := "😂 Allen é"
	// code points: 😂=0 ' '=1 A=2 ... n=6 ' '=7 é=8, len 9
	u16 := NewOffsetMap(text, UTF16)
	b := NewOffsetMap(text, Bytes)
	tests := []struct{ cp, u16, bytes int }{{0, 0, 0}, {1, 2, 4}, {2, 3, 5}, {8, 9, 11}, {9, 10, 13}}
	for _, tt := range tests {
		if got := u16.From(tt.cp); got != tt.u16 {
			t.Errorf("utf16 From(%d) = %d, want %d", tt.cp, got, tt.u16)
		}
		if got := b.From(tt.cp); got != tt.bytes {
			t.Errorf("bytes From(%d) = %d, want %d", tt.cp, got, tt.bytes)
		}
		if got, ok := u16.To(tt.u16); !ok || got != tt.cp {
			t.Errorf("utf16 To(%d) = %d,%v want %d", tt.u16, got, ok, tt.cp)
		}
		if got, ok := b.To(tt.bytes); !ok || got != tt.cp {
			t.Errorf("bytes To(%d) = %d,%v want %d", tt.bytes, got, ok, tt.cp)
		}
	}
	if _, ok := u16.To(1); ok {
		t.Error("utf16 offset 1 is inside a surrogate pair but was accepted")
	}
	if _, ok := b.To(12); ok {
		t.Error("byte 12 is inside é but was accepted")
	}
}

func TestSpanValidate(t *testing.T) {
	labels := LabelSet(DefaultLabels())
	tests := []struct {
		span Span
		err  error
	}{
		{Span{Start: 0, End: 4, Label: "PERSON"}, nil},
		{Span{Start: 0, End: 11, Label: "PERSON"}, ErrSpanRange},
		{Span{Start: 3, End: 3, Label: "PERSON"}, ErrSpanRange},
		{Span{Start: -1, End: 3, Label: "PERSON"}, ErrSpanRange},
		{Span{Start: 0, End: 3, Label: "ORG"}, ErrUnknownLabel},
	}
	for _, tt := range tests {
		err := tt.span.Validate(10, labels)
		if !errors.Is(err, tt.err) {
			t.Errorf("%+v: err %v, want %v", tt.span, err, tt.err)
		}
	}
	if err := (Span{Start: 0, End: 11, Label: "PERSON"}).Validate(10, labels); !strings.Contains(err.Error(), "[0,11)") {
		t.Errorf("error %q does not name the span", err)
	}
}

func TestLabelSetValidate(t *testing.T) {
	if err := LabelSet(DefaultLabels()).Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []LabelSet{
		{{Name: "A\tB"}},
		{{Name: "A", Color: "red"}},
		{{Name: "A", Hotkey: "12"}},
		{{Name: "A"}, {Name: "A"}},
		{{Name: "A", Hotkey: "x"}, {Name: "B", Hotkey: "X"}},
	}
	for _, s := range bad {
		if err := s.Validate(); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}
