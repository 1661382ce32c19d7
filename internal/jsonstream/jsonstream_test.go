package jsonstream

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestJSONReader(t *testing.T) {
	type val struct {
		line int
		ok   bool
	}
	tests := []struct {
		name    string
		in      string
		want    []val
		wantErr string // of the last next(), "" for io.EOF
	}{
		{"jsonl", "{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n", []val{{1, true}, {2, true}, {4, true}}, ""},
		{"no final newline", "{\"a\":1}\n{\"a\":2}", []val{{1, true}, {2, true}}, ""},
		{"crlf and bom", "\ufeff{\"a\":1}\r\n{\"a\":2}\r\n", []val{{1, true}, {2, true}}, ""},
		{"broken string line", "{\"text\": \"a\"}\n{\"text\": \"broken\n{\"text\": \"b\", \"id\": 2}\n", []val{{1, true}, {2, false}, {3, true}}, ""},
		{"first line broken", "{\"text\": \"broken\n{\"text\": \"b\"}\n", []val{{1, false}, {2, true}}, ""},
		{"unclosed object in jsonl", "{\"a\":1}\n{\"a\":[1,2}\n{\"a\":3}\n", []val{{1, true}, {2, false}, {3, true}}, ""},
		{"legacy doccano ellipsis", "{\"text\": \"EU\", \"labels\": [ [0, 2, \"ORG\"], ... ]}\n{\"text\": \"Peter\", \"labels\": []}\n", []val{{1, false}, {2, true}}, ""},
		{"pretty printed", "{\n  \"text\": \"a\",\n  \"x\": [\n    1\n  ]\n}\n{\n  \"text\": \"b\"\n}\n", []val{{1, true}, {7, true}}, ""},
		{"array of objects", "[\n  {\"a\": 1},\n  {\n    \"a\": 2\n  }\n]\n", []val{{2, true}, {3, true}}, ""},
		{"empty array", " [ ] ", nil, ""},
		{"array of pairs", "[[\"text\", {\"entities\": []}], [\"more\", {}]]", []val{{1, true}, {1, true}}, ""},
		{"pair per line", "[\"text\", {\"entities\": []}]\n[\"more\", {}]\n", []val{{1, true}, {2, true}}, ""},
		{"bad element in array", "[{\"a\":1},\n{\"a\": ...},\n{\"a\":3}]", []val{{1, true}, {2, false}, {3, true}}, ""},
		{"truncated array", "[{\"a\":1},\n{\"a\":", []val{{1, true}}, "the file ends inside a JSON value"},
		{"unclosed array", "[{\"a\":1}\n", []val{{1, true}}, "the top-level array is not closed"},
		{"data after array", "[{\"a\":1}]\n{\"b\":2}", []val{{1, true}}, "data after the end of the top-level array"},
		{"missing comma", "[{\"a\":1} {\"a\":2}]", []val{{1, true}}, "want , or ]"},
		{"scalar line", "{\"a\":1}\n42\n{\"a\":3}\n", []val{{1, true}, {2, false}, {3, true}}, ""},
		{"two values on a line", "{\"a\":1}{\"a\":2}\n", []val{{1, true}, {1, true}}, ""},
		{"braces in strings", "{\"a\":\"}{][\\\"\"}\n{\"b\":1}\n", []val{{1, true}, {2, true}}, ""},
		{"truncated last line", "{\"a\":1}\n{\"a\":", []val{{1, true}, {2, false}}, ""},
		{"empty", "", nil, ""},
		{"spaces", " \n\t\n", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jr := NewReader(strings.NewReader(tc.in))
			var got []val
			var err error
			for range 100 {
				var v Value
				v, err = jr.Next()
				if err != nil {
					break
				}
				ok := v.Err == nil
				if ok && !json.Valid(v.Raw) {
					t.Errorf("value at line %d is not valid JSON: %q", v.Line, v.Raw)
				}
				got = append(got, val{v.Line, ok})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("values %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("value %d: %v, want %v (all: %v)", i, got[i], tc.want[i], got)
				}
			}
			switch {
			case tc.wantErr == "" && err != io.EOF:
				t.Errorf("ended with %v, want EOF", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("ended with %v, want an error saying %q", err, tc.wantErr)
			}
		})
	}
}

func TestCheckUTF8(t *testing.T) {
	if err := CheckUTF8([]byte("{\"a\":\n\"\xff\"}"), 10); err == nil || !strings.Contains(err.Error(), "line 11") {
		t.Errorf("got %v, want invalid UTF-8 at line 11", err)
	}
	if err := CheckUTF8([]byte(`{"a":"قلم"}`), 1); err != nil {
		t.Error(err)
	}
}
