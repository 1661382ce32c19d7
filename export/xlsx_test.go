package export

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/shared"
)

// zipPart reads one part of an xlsx file.
func zipPart(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == name {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			return string(b)
		}
	}
	t.Fatalf("%s has no %s", path, name)
	return ""
}

func TestXLSXSheetFeatures(t *testing.T) {
	out := filepath.Join(t.TempDir(), "all.xlsx")
	exportFrom(t, fixture(), Options{Format: "xlsx", Output: out, Layer: AllLayers})
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "Documents,Spans,Labels,Agreement" {
		t.Errorf("sheets %s", got)
	}
	for _, sheet := range []string{sheetDocuments, sheetSpans, sheetLabels} {
		p, err := f.GetPanes(sheet)
		if err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", sheet, p, err)
		}
	}
	workbook := zipPart(t, out, "xl/workbook.xml")
	for _, want := range []string{`Documents&#39;!$A$1:$J$5`, `Spans&#39;!$A$1:$I$19`, `Labels&#39;!$A$1:$D$5`} {
		if !strings.Contains(workbook, want) || !strings.Contains(workbook, "_xlnm._FilterDatabase") {
			t.Errorf("no filter over %s in workbook.xml", want)
		}
	}
	// Cell styles: find the style of a few cells and check the xf.
	styles := zipPart(t, out, "xl/styles.xml")
	xfs := regexp.MustCompile(`(?s)<cellXfs[^>]*>(.*?)</cellXfs>`).FindStringSubmatch(styles)[1]
	xfList := regexp.MustCompile(`<xf [^>]*?(/>|>.*?</xf>)`).FindAllString(xfs, -1)
	styleOf := func(sheet, cell string) string {
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil || id >= len(xfList) {
			t.Fatalf("%s!%s: style %d, %v", sheet, cell, id, err)
		}
		return xfList[id]
	}
	cellWith := func(sheet, text string) string {
		rows, _ := f.GetRows(sheet)
		for r, row := range rows {
			for c, v := range row {
				if v == text {
					ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
					return ref
				}
			}
		}
		t.Fatalf("%s has no cell %q", sheet, text)
		return ""
	}
	for _, formula := range []string{"=SUM(1,2)", "@Gap"} {
		if xf := styleOf(sheetSpans, cellWith(sheetSpans, formula)); !strings.Contains(xf, `quotePrefix="true"`) {
			t.Errorf("%q is not quote-prefixed: %s", formula, xf)
		}
	}
	if xf := styleOf(sheetSpans, cellWith(sheetSpans, "Nike")); strings.Contains(xf, "quotePrefix") {
		t.Errorf("plain text is quote-prefixed: %s", xf)
	}
	if xf := styleOf(sheetSpans, cellWith(sheetSpans, "واشنطن")); !strings.Contains(xf, `readingOrder="2"`) {
		t.Errorf("Arabic cell not right to left: %s", xf)
	}
	if xf := styleOf(sheetSpans, cellWith(sheetSpans, "Allen Edmonds")); strings.Contains(xf, `readingOrder`) {
		t.Errorf("Latin cell right to left: %s", xf)
	}
	// The formula text is a string cell, not a formula.
	if fm, _ := f.GetCellFormula(sheetSpans, cellWith(sheetSpans, "=SUM(1,2)")); fm != "" {
		t.Errorf("a span text became the formula %q", fm)
	}
	// Label cells carry the label's colour.
	id, _ := f.GetCellStyle(sheetLabels, cellWith(sheetLabels, "ORG"))
	st, err := f.GetStyle(id)
	if err != nil || len(st.Fill.Color) == 0 || !strings.EqualFold(st.Fill.Color[0], "F58231") {
		t.Errorf("ORG label fill %+v %v", st.Fill, err)
	}
}

// Texts that a cell cannot hold as is: longer than 32,767 characters,
// with \r\n line ends, tabs, leading and trailing spaces, and text that
// looks like an xlsx escape.
func TestXLSXTextRoundTrip(t *testing.T) {
	m := &memSource{labels: annotate.DefaultLabels()}
	long := strings.Repeat("قال ستيف ويتكوف في واشنطن 😂. ", 2500) // 75,000 code points
	texts := []string{
		long,
		"  line one\r\nline two\twith a tab _x0041_ and _x005F_x0041_  ",
		"=HYPERLINK(\"http://x\")",
	}
	for i, text := range texts {
		m.addDoc("d"+string(rune('0'+i)), text, "", map[string]annotate.Status{"ali": annotate.Done},
			map[string][]string{"ali": {spanAt(text, []string{"واشنطن", "two", "HYPERLINK"}[i], 1, "PLACE")}})
	}
	out := filepath.Join(t.TempDir(), "t.xlsx")
	exportFrom(t, m, Options{Format: "xlsx", Output: out, Layer: "ali"})
	b, _ := os.ReadFile(out)
	recs, err := decodeAll(t, XLSX, string(b), DecodeOptions{File: "t.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(texts) {
		t.Fatalf("%d records", len(recs))
	}
	for i, r := range recs {
		if r.Err != nil || r.Text != texts[i] {
			t.Errorf("record %d: text of %d bytes comes back as %d bytes (%v): %q", i, len(texts[i]), len(r.Text), r.Err, clip(r.Text, 80))
			continue
		}
		if got := spanStrings(r.Text, r.Spans); len(got) != 1 || !strings.HasPrefix(got[0], "PLACE[") {
			t.Errorf("record %d spans %q", i, got)
		}
	}
}

// A workbook exported from a corpus reads back into the same spans, and
// LibreOffice opens it.
func TestXLSXCorpusRoundTrip(t *testing.T) {
	dir := shared.Path(t, "corpora/brat/PlanTL-SPACCC_MEDDOCAN/corpus/dev/brat")
	s := openStore(t)
	importInto(t, s, ImportOptions{Format: "brat", Layer: "ali", NewLabels: true}, dir)
	out := filepath.Join(t.TempDir(), "meddocan.xlsx")
	exportFrom(t, s, Options{Format: "xlsx", Output: out, Layer: "ali", Offsets: annotate.UTF16})
	s2 := openStore(t)
	sum, problems := importInto(t, s2, ImportOptions{Format: "xlsx", Layer: "ali", NewLabels: true}, out)
	if len(problems) > 0 || sum.Records != 250 {
		t.Fatalf("%+v %q", sum, problems)
	}
	want, got := storeSpans(t, s, "ali"), storeSpans(t, s2, "ali")
	if len(want) != 250 || len(got) != 250 {
		t.Fatalf("%d and %d documents", len(want), len(got))
	}
	n, bad := 0, 0
	for sha, w := range want {
		n += len(w)
		if strings.Join(got[sha], ";") != strings.Join(w, ";") {
			bad++
			t.Errorf("document %s: %q, want %q", sha[:8], got[sha], w)
		}
	}
	t.Logf("xlsx: %d documents, %d spans read back (offsets written in UTF-16 units); %d mismatches", len(want), n, bad)

	libreOfficeCSV(t, out, 5801)
	fix := filepath.Join(t.TempDir(), "fixture.xlsx")
	exportFrom(t, fixture(), Options{Format: "xlsx", Output: fix, Layer: AllLayers})
	csv := libreOfficeCSV(t, fix, 18)
	// Opened by a spreadsheet, formula-like text stays text.
	if csv != "" && (!strings.Contains(csv, "=SUM(1,2)") || !strings.Contains(csv, "واشنطن")) {
		t.Errorf("LibreOffice's CSV of the Spans sheet lacks the texts:\n%s", csv)
	}
}

// storeSpans lists a layer's spans per document SHA-256.
func storeSpans(t *testing.T, s Source, layer string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := s.EachDocument(context.Background(), []string{layer}, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
		var ss []string
		for _, sp := range d.Layer(layer).Spans {
			text, _ := annotate.Slice(d.Text, sp.Start, sp.End)
			ss = append(ss, fmt.Sprintf("%s [%d,%d) %s", sp.Label, sp.Start, sp.End, text))
		}
		out[d.SHA256] = ss
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// libreOfficeCSV converts the Spans sheet of an xlsx file with LibreOffice
// headless and checks it has a header and spans rows; it skips when
// LibreOffice is not installed.
func libreOfficeCSV(t *testing.T, xlsx string, spans int) string {
	t.Helper()
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Log("libreoffice not installed: the workbook is not opened by it")
		return ""
	}
	dir := t.TempDir()
	// 44,34,76: comma, double quote, UTF-8; sheet 2 is Spans.
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2", "--outdir", dir, xlsx)
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, outb)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(matches) != 1 {
		t.Fatalf("libreoffice wrote %q\n%s", matches, outb)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	csv := string(b)
	lines := strings.Count(strings.TrimSpace(csv), "\n") + 1
	if !strings.HasPrefix(csv, "doc id,document,layer,start (") || lines < spans+1 {
		t.Errorf("LibreOffice's CSV of Spans has %d lines, want at least %d, starting with the header:\n%s", lines, spans+1, clip(csv, 300))
	}
	return csv
}
