//go:build !race

package export

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// An export of 1,048,576 span rows, one more than a sheet holds, goes on in
// a second Spans sheet instead of failing with "row number exceeds maximum
// limit". (Slow: not with -short, nor under the race detector.)
func TestXLSXMillionSpans(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million spans")
	}
	n := (maxSheetRows + benchSpans - 1) / benchSpans // documents of ten spans
	out := filepath.Join(t.TempDir(), "m.xlsx")
	sum, err := Export(context.Background(), genSource{n}, Options{Format: "xlsx", Output: out, Layer: "ali"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Spans < maxSheetRows || sum.Notes[NoteSpansSheets] != 1 {
		t.Errorf("%d spans, notes %v", sum.Spans, sum.Notes)
	}
	fi, _ := os.Stat(out)
	t.Logf("%d spans in %d MB", sum.Spans, fi.Size()>>20)
}
