package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format is one interchange format: how to write it and how to read it.
type Format struct {
	Name        string
	Description string
	// Extensions are those of its files, with the dot; the first is the
	// one exports use. A folder format has none.
	Extensions []string
	// Folder is true when an export is a folder of files (brat).
	Folder bool
	// NewEncoder writes the format to w; nil for a folder format.
	NewEncoder func(w io.Writer, o EncodeOptions) (Encoder, error)
	// NewFolderEncoder writes a folder format.
	NewFolderEncoder func(dir FolderWriter, o EncodeOptions) (Encoder, error)
	// NewDecoder reads the format. For brat, r is one .ann file and
	// o.Text the text of its .txt.
	NewDecoder func(r io.Reader, o DecodeOptions) Decoder
	// Tokens is true for formats written token by token (their
	// encoders use Doc.Tokens, which exports fill in parallel).
	Tokens bool
}

// The formats.
var (
	JSONL = &Format{Name: "jsonl", Extensions: []string{".jsonl"}, Tokens: true,
		Description: `spaCy/Prodigy JSONL: {"text", "tokens", "spans", "meta"}; reads spaCy's [text, {"entities"}] and v2 JSON too`,
		NewEncoder:  newJSONLEncoder, NewDecoder: newJSONLDecoder}
	Doccano = &Format{Name: "doccano", Extensions: []string{".jsonl"},
		Description: `doccano JSONL: {"text", "label": [[start, end, "LABEL"], ...]}; reads "labels", "entities" and older keys too`,
		NewEncoder:  newDoccanoEncoder, NewDecoder: newDoccanoDecoder}
	HF = &Format{Name: "hf", Extensions: []string{".jsonl"}, Tokens: true,
		Description: `Hugging Face token classification JSONL: {"id", "tokens", "ner_tags"} with IOB2 tags`,
		NewEncoder:  newHFEncoder, NewDecoder: newHFDecoder}
	CoNLL = &Format{Name: "conll", Extensions: []string{".conll", ".iob", ".bio", ".tsv", ".txt"}, Tokens: true,
		Description: "CoNLL: a token and its IOB2 tag per line, sentences and -DOCSTART- documents; reads IOB, BIOES and several columns",
		NewEncoder:  newCoNLLEncoder, NewDecoder: newCoNLLDecoder}
	Brat = &Format{Name: "brat", Folder: true, Extensions: []string{".ann"},
		Description:      "brat standoff: a folder of NAME.txt and NAME.ann",
		NewFolderEncoder: newBratEncoder, NewDecoder: newBratDecoder}
	LabelStudio = &Format{Name: "labelstudio", Extensions: []string{".json"},
		Description: `Label Studio tasks (JSON): annotations[].result[] of type "labels"`,
		NewEncoder:  newLabelStudioEncoder, NewDecoder: newLabelStudioDecoder}
	XLSX = &Format{Name: "xlsx", Extensions: []string{".xlsx"},
		Description: "Excel workbook: sheets Documents, Spans, Labels (and Agreement)",
		NewEncoder:  newXLSXEncoder, NewDecoder: newXLSXDecoder}
)

// Formats lists every format.
var Formats = []*Format{JSONL, Doccano, HF, CoNLL, Brat, LabelStudio, XLSX}

var aliases = map[string]string{
	"prodigy": "jsonl", "spacy": "jsonl", "huggingface": "hf", "iob": "conll", "bio": "conll",
	"label-studio": "labelstudio", "ls": "labelstudio", "excel": "xlsx", "standoff": "brat",
}

// Lookup finds a format by name (or a common other name: prodigy, spacy,
// huggingface, iob, label-studio, excel).
func Lookup(name string) (*Format, error) {
	n := strings.ToLower(name)
	if a, ok := aliases[n]; ok {
		n = a
	}
	for _, f := range Formats {
		if f.Name == n {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", name, strings.Join(Names(), ", "))
}

// Names lists the formats' names.
func Names() []string {
	var out []string
	for _, f := range Formats {
		out = append(out, f.Name)
	}
	return out
}

// Articles is what Detect answers for plain articles: text files, and
// JSON records with only "text", "id", "name" and "meta".
const Articles = "articles"

// Detect names the format of a file from its name and its first bytes
// (head; 64 KB is plenty): a format name, Articles, or "" when it cannot
// tell.
//
//   - .xlsx (or a zip) is xlsx, .ann is brat;
//   - JSON is judged by its first records: a "data" object is Label
//     Studio, "tokens" with "ner_tags" Hugging Face, "spans", "answer",
//     Prodigy hashes, token objects, a [text, {...}] pair or spaCy v2
//     "paragraphs" jsonl, a text with "label", "labels", "entities" (or
//     their older names) doccano, and records with nothing but a text (and
//     "id", "name", "meta") are articles;
//   - other text is CoNLL when at least 80% of its first non-blank lines
//     hold a token and a tag, and articles otherwise.
func Detect(path string, head []byte) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return XLSX.Name
	case ".ann":
		return Brat.Name
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return XLSX.Name
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if f := detectJSON(head); f != "" {
			return f
		}
	}
	if len(trimmed) == 0 || bytes.IndexByte(head, 0) >= 0 {
		return ""
	}
	if conllShape(head) {
		return CoNLL.Name
	}
	return Articles
}

func detectJSON(head []byte) string {
	jr := newJSONReader(bytes.NewReader(head))
	plain := 0
	for range 50 {
		v, err := jr.next()
		if err != nil || v.err != nil {
			break
		}
		if v.raw[0] == '[' {
			return JSONL.Name // a spaCy [text, {...}] pair
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(v.raw, &keys) != nil {
			break
		}
		switch {
		case labelStudioShape(keys):
			return LabelStudio.Name
		case hfShape(keys):
			return HF.Name
		case jsonlShape(keys):
			return JSONL.Name
		case doccanoShape(keys):
			return Doccano.Name
		}
		if articleShape(keys) {
			plain++
		}
	}
	if plain > 0 {
		return Articles
	}
	return ""
}

// articleShape is true for {"text", "id"?, "name"?, "meta"?}.
func articleShape(keys map[string]json.RawMessage) bool {
	if t, ok := keys["text"]; !ok || len(t) == 0 || t[0] != '"' {
		return false
	}
	for k := range keys {
		switch k {
		case "text", "id", "name", "meta":
		default:
			return false
		}
	}
	return true
}
