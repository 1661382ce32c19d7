package export

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qalam-annotate/qalam/annotate"
)

// TestGolden exports the fixture in every format and compares the output,
// and the problems reported, with golden files.
func TestGolden(t *testing.T) {
	tests := []struct {
		name, format, layer string
		offsets             annotate.OffsetUnit
		unfinished          bool
	}{
		{"jsonl-all.jsonl", "jsonl", "all", "", false},
		{"jsonl-ali-utf16.jsonl", "jsonl", "ali", annotate.UTF16, false},
		{"doccano-ali.jsonl", "doccano", "ali", "", false},
		{"doccano-sara-unfinished-bytes.jsonl", "doccano", "sara", annotate.Bytes, true},
		{"hf-gold.jsonl", "hf", "gold", "", false},
		{"conll-ali.conll", "conll", "ali", "", false},
		{"brat-all", "brat", "all", "", false},
		{"labelstudio-all.json", "labelstudio", "all", "", false},
		{"xlsx-all.xlsx", "xlsx", "all", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), tc.name)
			var problems []string
			sum, err := Export(context.Background(), fixture(), Options{Format: tc.format, Output: out, Layer: tc.layer,
				Offsets: tc.offsets, IncludeUnfinished: tc.unfinished,
				Report: func(p Problem) { problems = append(problems, p.Error()) }}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Problems != len(problems) {
				t.Errorf("summary counts %d problems, %d reported", sum.Problems, len(problems))
			}
			var got string
			if tc.format == "xlsx" {
				got = dumpWorkbook(t, out)
			} else {
				got = readOutput(t, out)
			}
			got += fmt.Sprintf("--- %d documents, %d records, %d spans; problems:\n%s\n", sum.Documents, sum.Records, sum.Spans, strings.Join(problems, "\n"))
			golden(t, tc.name+".golden", got)
		})
	}
}

// dumpWorkbook lists every sheet's cells, row by row.
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "=== %s\n", sheet)
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			fmt.Fprintf(&b, "%q\n", r)
		}
	}
	return b.String()
}
