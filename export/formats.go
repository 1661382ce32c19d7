package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qalam-annotate/qalam/internal/jsonstream"
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

// Detect names the format of a file from its name and its content: a
// format name or Articles. It reads from r as far as it needs, whole
// records whatever their size, and returns a reader that gives the whole
// content again. It says why when it cannot tell, and refuses what is not
// named entities (a text classification file).
//
//   - .xlsx (or a zip) is xlsx, .ann is brat;
//   - JSON is judged by its first records: a "data" object is Label
//     Studio, "tokens" with "ner_tags" (or "words" with "ner") Hugging
//     Face, "spans", Prodigy hashes, token objects, a [text, {...}] pair or
//     spaCy v2 "paragraphs" jsonl, a text with "label", "labels",
//     "entities" (or their older names) doccano, and records with nothing
//     but a text (and "id", "name", "meta") are articles; a Prodigy record
//     whose "label" is a category and that has no spans is text
//     classification, refused;
//   - other text is CoNLL when at least 80% of its first 200 non-blank
//     lines hold a token and a tag, and articles otherwise; binary data is
//     refused.
func Detect(path string, r io.Reader) (string, io.Reader, error) {
	rec := &recorder{r: r}
	replay := func() io.Reader { return io.MultiReader(bytes.NewReader(rec.buf), r) }
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return XLSX.Name, r, nil
	case ".ann":
		return Brat.Name, r, nil
	}
	br := bufio.NewReader(rec)
	if head, _ := br.Peek(4); bytes.Equal(head, []byte("PK\x03\x04")) {
		return XLSX.Name, replay(), nil
	}
	// The first byte that is not white space (or a byte order mark).
	first := byte(0)
	for {
		c, err := br.ReadByte()
		if err != nil {
			break
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB || c == 0xBF {
			continue
		}
		first = c
		break
	}
	// Each judge reads from the start again, and what it reads past
	// what was read before is recorded too.
	again := func() io.Reader {
		seen := rec.buf[:len(rec.buf):len(rec.buf)]
		return io.MultiReader(bytes.NewReader(seen), rec)
	}
	if first == '{' || first == '[' {
		f, err := detectJSON(again())
		if f != "" || err != nil {
			return f, replay(), err
		}
	}
	f, err := detectText(again())
	return f, replay(), err
}

// recorder keeps what is read through it.
type recorder struct {
	r   io.Reader
	buf []byte
}

func (c *recorder) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// detectJSON judges a JSON file by its first 50 records; "" and no error
// when they are not JSON records at all.
func detectJSON(r io.Reader) (string, error) {
	jr := jsonstream.NewReader(r)
	plain, objects, textcat := 0, 0, ""
	var keysSeen []string
	for range 50 {
		v, err := jr.Next()
		if err != nil || v.Err != nil {
			break
		}
		if v.Raw[0] == '[' {
			return JSONL.Name, nil // a spaCy [text, {...}] pair
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(v.Raw, &keys) != nil {
			break
		}
		objects++
		if cat := textcatLabel(keys); cat != "" {
			textcat = cat
			continue
		}
		switch {
		case labelStudioShape(keys):
			return LabelStudio.Name, nil
		case hfShape(keys):
			return HF.Name, nil
		case jsonlShape(keys):
			return JSONL.Name, nil
		case doccanoShape(keys):
			return Doccano.Name, nil
		}
		if articleShape(keys) {
			plain++
		} else if keysSeen == nil {
			for k := range keys {
				keysSeen = append(keysSeen, k)
			}
		}
	}
	switch {
	case textcat != "":
		return "", fmt.Errorf(`the records hold a category ("label": %s) and no spans: this is text classification, not named entities`, textcat)
	case plain > 0:
		return Articles, nil
	case objects > 0:
		sort.Strings(keysSeen)
		return "", fmt.Errorf("cannot tell the format of these JSON records (keys %s): give --format", strings.Join(keysSeen, ", "))
	}
	return "", nil
}

// textcatLabel returns the category of a Prodigy text classification
// record ({"text", "label": "…", "answer"}, no spans), "" for others.
func textcatLabel(keys map[string]json.RawMessage) string {
	l, ok := keys["label"]
	if !ok || len(l) == 0 || l[0] != '"' {
		return ""
	}
	if _, spans := keys["spans"]; spans {
		return ""
	}
	_, answer := keys["answer"]
	_, hash := keys["_input_hash"]
	if !answer && !hash {
		return ""
	}
	return clip(string(l), 40)
}

// detectText judges a text file by its first 200 non-blank lines.
func detectText(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var lines []string
	for len(lines) < 200 {
		line, err := br.ReadString('\n')
		if strings.IndexByte(line, 0) >= 0 {
			return "", errors.New("binary data, not text: give --format")
		}
		if l := strings.TrimRight(line, "\r\n"); !isBlank(l) {
			lines = append(lines, l)
		}
		if err != nil {
			break
		}
	}
	if len(lines) == 0 {
		return "", errors.New("the file is empty")
	}
	if conllShape(lines) {
		return CoNLL.Name, nil
	}
	return Articles, nil
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
