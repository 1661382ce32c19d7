package export

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// renderRecord gives a record on one line: where, name, the text's start,
// the spans with the text at their offsets (code points), and what else it
// carries.
func renderRecord(rec *Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "L%d %s:", rec.Line, rec.Name)
	if rec.Err != nil {
		fmt.Fprintf(&b, " ERR %v", rec.Err)
		return b.String()
	}
	if rec.Skip != "" {
		fmt.Fprintf(&b, " SKIP %s", rec.Skip)
		return b.String()
	}
	fmt.Fprintf(&b, " %q", clip(rec.Text, 24))
	if rec.Unit != "" {
		fmt.Fprintf(&b, " unit=%s", rec.Unit)
	}
	if rec.Layer != "" {
		fmt.Fprintf(&b, " layer=%s", rec.Layer)
	}
	if !rec.Annotated {
		b.WriteString(" unannotated")
	}
	for _, s := range spanStrings(rec.Text, rec.Spans) {
		b.WriteString(" " + s)
	}
	if len(rec.Predictions) > 0 {
		fmt.Fprintf(&b, " predictions=%s", strings.Join(spanStrings(rec.Text, rec.Predictions), ","))
	}
	for _, s := range rec.Spans {
		if s.HasText {
			sub := s.Text
			b.WriteString(" claims=" + fmt.Sprintf("%q", sub))
		}
	}
	for _, p := range rec.Problems {
		fmt.Fprintf(&b, " PROBLEM(L%d %v)", p.Line, p.Err)
	}
	var ign []string
	for k, n := range rec.Ignored {
		ign = append(ign, fmt.Sprintf("%s=%d", k, n))
	}
	sort.Strings(ign)
	if len(ign) > 0 {
		b.WriteString(" ignored[" + strings.Join(ign, ",") + "]")
	}
	if len(rec.Meta) > 0 {
		b.WriteString(" meta=" + string(rec.Meta))
	}
	return b.String()
}

func TestDecoders(t *testing.T) {
	tests := []struct {
		name   string
		format *Format
		in     string
		text   string // brat
		want   []string
	}{
		{"prodigy rows", JSONL, `{"text":"Uber’s Lesson","spans":[{"start":0,"end":4,"label":"ORG","text":"Uber"}],"answer":"accept","meta":{"source":"NYT"}}
{"text":"This was taken at MX.","spans":[{"start":18,"end":20,"label":"PRODUCT"}],"answer":"reject"}
{"text":"ignored","answer":"ignore"}
{"text":"😂 Allen Edmonds","spans":[{"start":3,"end":16,"label":"BRAND"}],"meta":{"document":"reddit-1","layer":"ali","offsets":"utf16"}}
{"spans":[]}
`, "", []string{
			`L1 in:1: "Uber’s Lesson" ORG[0,4)Uber claims="Uber" meta={"source":"NYT"}`,
			`L2 in:2: SKIP Prodigy "reject" answers`,
			`L3 in:3: SKIP Prodigy "ignore" answers`,
			// UTF-16 offsets are converted by the import, not the decoder:
			// as code points [3,16) is past the end.
			`L4 reddit-1: "😂 Allen Edmonds" unit=utf16 layer=ali BRAND[3,16)`,
			`L5 in:5: ERR no "text"`,
		}},
		{"spacy pairs", JSONL, `[["Who is Shaka Khan?", {"entities": [[7, 17, "PERSON"]]}],
 ["I like London.", {"entities": [[7, 13, "LOC"], [7, "x", "LOC"]]}]]`, "", []string{
			`L1 in:1: "Who is Shaka Khan?" PERSON[7,17)Shaka Khan`,
			`L2 in:2: "I like London." LOC[7,13)London PROBLEM(L2 entities[1]: offset "x" is not a number)`,
		}},
		{"spacy v2 json", JSONL, `[{"id":0,"paragraphs":[{"sentences":[{"tokens":[{"orth":"When","ner":"O"},{"orth":"Sebastian","ner":"B-PERSON"},{"orth":"Thrun","ner":"L-PERSON"}]},{"tokens":[{"orth":"Google","ner":"U-ORG"},{"orth":".","ner":"O"}]}]}]}]`, "", []string{
			`L1 in#0: "When Sebastian Thrun\nGoo…" unit=codepoints ORG[21,27)Google PERSON[5,20)Sebastian Thrun meta={"text_from":"tokens"}`,
		}},
		{"doccano variants", Doccano, `{"text": "EU rejects German call", "label": [[0, 2, "ORG"], [11, 17, "MISC"]], "meta": {"wikiPageID": 1}}
{"text": "Peter Blackburn", "labels": [[0, 15, "PERSON"]], "id": 2}
{"text": "Google was founded", "entities": [{"id": 0, "start_offset": 0, "end_offset": 6, "label": "ORG"}], "relations": []}
{"column_data": "President Obama", "column_label": [[10, 15, "PERSON"]]}
{"id": 101319, "data": "This is New Berlin", "label": [[8, 18, "LOC"]], "metadata": [["from", 123]]}
{"id": 1, "text": "EU rejects ...", "annotations": [{"id": 1, "label": 2, "start_offset": 0, "end_offset": 2, "user": 1}]}
{"text": "exampleA", "label": ["positive"]}
{"label": [[0, 1, "PER"]]}
{"text": "exampleD"}
{"text": "EU", "labels": [ [0, 2, "ORG"], ... ]}
`, "", []string{
			`L1 in:1: "EU rejects German call" MISC[11,17)German ORG[0,2)EU meta={"wikiPageID":1}`,
			`L2 2: "Peter Blackburn" PERSON[0,15)Peter Blackburn`,
			`L3 in:3: "Google was founded" ORG[0,6)Google`,
			`L4 in:4: "President Obama" PERSON[10,15)Obama`,
			`L5 101319: "This is New Berlin" LOC[8,18)New Berlin`,
			`L6 1: "EU rejects ..." PROBLEM(L6 annotations[0]: label 2 is a number (a label id of the tool that wrote it), not a name)`,
			`L7 in:7: ERR "label" holds categories (text classification), not spans`,
			`L8 in:8: ERR no "text" (nor "data" or "column_data") string`,
			`L9 in:9: "exampleD"`,
			`L10 in:10: ERR malformed JSON: invalid character '.' looking for beginning of value`,
		}},
		{"hugging face", HF, `{"id": "s1", "tokens": ["EU", "rejects", "German", "call"], "ner_tags": ["B-ORG", "O", "B-MISC", "O"]}
{"id": 7, "tokens": ["Peter", "", "Blackburn"], "ner_tags": ["B-PER", "O", "I-PER"]}
{"tokens": ["a"], "ner_tags": [3]}
{"tokens": ["a", "b"], "ner_tags": ["O"]}
`, "", []string{
			`L1 s1: "EU rejects German call" unit=codepoints MISC[11,17)German ORG[0,2)EU meta={"text_from":"tokens"}`,
			`L2 7: "Peter Blackburn" unit=codepoints PER[0,15)Peter Blackburn meta={"text_from":"tokens"}`,
			`L3 in:3: ERR tag 0 is the label id 3: give the dataset's label names (--tag-names O,B-PER,I-PER,…, or its dataset_info.json beside the file)`,
			`L4 in:4: ERR 2 tokens but 1 tags`,
		}},
		{"conll two columns", CoNLL, "EU\tB-ORG\nrejects\tO\nGerman\tB-MISC\n\nPeter\tB-PER\nBlackburn\tI-PER\n\n\n-DOCSTART-\tO\n\nNew Berlin\tB-LOC\n", "", []string{
			`L1 in:1: "EU rejects German\nPeter …" unit=codepoints MISC[11,17)German ORG[0,2)EU PER[18,33)Peter Blackburn meta={"text_from":"tokens"}`,
			`L11 in:11: "New Berlin" unit=codepoints LOC[0,10)New Berlin meta={"text_from":"tokens"}`,
		}},
		{"conll one document", CoNLL, "WORD\tTAG\nThis\tO\nis\tO\nNew Berlin\tLOC\n", "", []string{
			`L2 in: "This is New Berlin" unit=codepoints LOC[8,18)New Berlin ignored[header lines=1] meta={"text_from":"tokens"}`,
		}},
		{"conll 2003", CoNLL, "-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n", "", []string{
			`L3 in: "EU rejects German" unit=codepoints MISC[11,17)German ORG[0,2)EU meta={"text_from":"tokens"}`,
		}},
		{"germeval nested", CoNLL, "#\thttp://de.wikipedia.org/wiki/Toyota\t[2009-08-13]\t\n1\tDie\tO\tO\n2\tToyota\tB-ORG\tO\n3\tMotor\tI-ORG\tO\n4\tin\tO\tO\n5\tJapan\tB-ORG\tB-LOC\n", "", []string{
			`L2 in: "Die Toyota Motor in Japa…" unit=codepoints LOC[20,25)Japan ORG[20,25)Japan ORG[4,16)Toyota Motor ignored[comment lines=1] meta={"text_from":"tokens"}`,
		}},
		{"wojood multi-label", CoNLL, "محكمة B-ORG\nحكومة I-ORG B-ORG\nفلسطين I-ORG I-ORG B-GPE\nصادر O\n", "", []string{
			`L1 in: "محكمة حكومة فلسطين صادر" unit=codepoints GPE[12,18)فلسطين ORG[0,18)محكمة حكومة فلسطين ORG[6,18)حكومة فلسطين meta={"text_from":"tokens"}`,
		}},
		{"conll bad line", CoNLL, "SOCCERO SOCCERO SOCCERO\n-\tO\nJAPAN\tB-LOC\n\nNadim\tB-PER\nLadki\tI-PER\n", "", []string{
			`L1 in: "- JAPAN\nNadim Ladki" unit=codepoints LOC[2,7)JAPAN PER[8,19)Nadim Ladki PROBLEM(L1 3 columns where the file has 2: the line is left out) meta={"text_from":"tokens"}`,
		}},
		{"conll BIOES and columns", CoNLL, "From _ _ O\nNurse _ _ B-Brand\nRatched _ _ E-Brand\ndress _ _ S-Product\n", "", []string{
			`L1 in: "From Nurse Ratched dress" unit=codepoints Brand[5,18)Nurse Ratched Product[19,24)dress meta={"text_from":"tokens"}`,
		}},
		{"conll whitespace column", CoNLL, "It O +\nGerman B-LOC -\n- O -\n", "", []string{
			`L1 in: "It German -" unit=codepoints LOC[3,9)German meta={"text_from":"tokens"}`,
		}},
		{"conll sentence per line", CoNLL, "When|WRB|O Sebastian|NNP|B-PERSON Thrun|NNP|I-PERSON\nGoogle|NNP|B-ORG\n", "", []string{
			`L1 in: "When Sebastian Thrun\nGoo…" unit=codepoints ORG[21,27)Google PERSON[5,20)Sebastian Thrun meta={"text_from":"tokens"}`,
		}},
		{"conll bom, feff line, space lines", CoNLL, "\ufeffa\tB-X\n\ufeff\nb\tO\n \nc\tS-Y\n", "", []string{
			`L1 in: "a\nb\nc" unit=codepoints X[0,1)a Y[4,5)c meta={"text_from":"tokens"}`,
		}},
		{"conll no layout", CoNLL, "one\ntwo\n", "", []string{
			`L0 in: ERR the lines have 1 column(s): want a token and a tag`,
		}},
		{"brat", Brat, "T2\tPLACE 19 25\tواشنطن\nR1\tOrigin Arg1:T1 Arg2:T2\nT1\tPERSON 4 15\tستيف ويتكوف\n#1\tAnnotatorNotes T1\tnote\nT3\tToken 5 7;8 9\tis a\nA1\tNeg T1\nE1\tMERGE:T2\nT4\tLong-Type 0 3\tقال\nX bad\nT5\tPLACE 1 x\tx",
			"قال ستيف ويتكوف في واشنطن", []string{
				`L0 in: "قال ستيف ويتكوف في واشنط…" Long-Type[0,3)قال PERSON[4,15)ستيف ويتكوف PLACE[19,25)واشنطن claims="واشنطن" claims="ستيف ويتكوف" claims="قال" PROBLEM(L5 T3 Token [5 7;8 9]: discontinuous span (2 fragments); Qalam spans are continuous, so it is left out) PROBLEM(L9 not a brat annotation line: X bad) PROBLEM(L10 T5: offsets "1 x" are not numbers) ignored[brat # lines=1,brat A lines=1,brat E lines=1,brat R lines=1]`,
			}},
		{"label studio", LabelStudio, `[
  {"id": 1, "data": {"ner": "Donald Trump said"},
   "annotations": [{"result": [
      {"id": "a", "type": "labels", "to_name": "text", "value": {"start": 0, "end": 12, "text": "Donald Trump", "labels": ["PER"]}},
      {"id": "b", "type": "choices", "value": {"choices": ["x"]}}]},
     {"was_cancelled": true, "result": []}],
   "predictions": [{"result": [{"id": "p", "type": "labels", "value": {"start": 7, "end": 12, "labels": ["PER"]}}]}]},
  {"data": {"text": "<div>Michael</div>"}, "annotations": [{"result": [{"id": "h", "type": "hypertextlabels", "value": {"startOffset": 0, "endOffset": 7, "start": "/div[1]", "end": "/div[1]", "hypertextlabels": ["Person"]}}]}]},
  {"data": {"a": "x", "b": "y"}, "annotations": []},
  {"data": {"text": "Only predictions"}, "predictions": [{"result": [{"id": "q", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["X", "Y"]}}]}]}
]`, "", []string{
			`L2 1: "Donald Trump said" PER[0,12)Donald Trump predictions=PER[7,12)Trump claims="Donald Trump" ignored[Label Studio "choices" results=1,cancelled Label Studio annotations=1]`,
			`L8 in:8: "<div>Michael</div>" PROBLEM(L8 result h: HTML labels (hypertextlabels) point into the page by XPath, not into a text; left out)`,
			`L9 in:9: ERR cannot tell which "data" key holds the text: a, b (the results name none of them)`,
			`L10 in:10: "Only predictions" unannotated predictions=X[0,4)Only,Y[0,4)Only`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := "in.jsonl"
			if tc.format == Brat || (tc.format == CoNLL && !strings.Contains(tc.name, "two columns") && !strings.Contains(tc.name, "no layout")) {
				file = "in"
			}
			recs, err := decodeAll(t, tc.format, tc.in, DecodeOptions{File: file, Text: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, renderRecord(r))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d records, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("record %d:\n got %s\nwant %s", i, got[i], tc.want[i])
				}
			}
		})
	}
}
