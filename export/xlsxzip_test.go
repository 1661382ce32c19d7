package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// rezip rewrites a workbook: each entry through edit (nil drops it), then
// the extra entries.
func rezip(t *testing.T, src string, edit func(name string, b []byte) []byte, extra func(zw *zip.Writer)) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if b = edit(f.Name, b); b == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	if extra != nil {
		extra(zw)
	}
	zw.Close()
	dst := filepath.Join(t.TempDir(), "edited.xlsx")
	os.WriteFile(dst, out.Bytes(), 0o644)
	return dst
}

// bomb adds an entry that unzips to 1 GiB of zeros from about a megabyte:
// a deflate stream of one block repeated (a compressor's sync-flushed
// block of zeros after zeros is the same bytes each time).
func bomb(t *testing.T, zw *zip.Writer, name string) {
	t.Helper()
	const chunk = 1 << 20
	zeros := make([]byte, chunk)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	var blocks [][]byte
	for range 3 {
		fw.Write(zeros)
		fw.Flush()
		blocks = append(blocks, append([]byte(nil), buf.Bytes()...))
		buf.Reset()
	}
	if !bytes.Equal(blocks[1], blocks[2]) {
		t.Skip("this compressor does not repeat its blocks: no cheap zip bomb")
	}
	fw.Close()
	final := buf.Bytes()
	var stream bytes.Buffer
	stream.Write(blocks[0])
	for range 1<<30/chunk - 1 {
		stream.Write(blocks[1])
	}
	stream.Write(final)
	crc := crc32.NewIEEE()
	for range 1 << 30 / chunk {
		crc.Write(zeros)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
}

func exportedWorkbook(t *testing.T) string {
	out := filepath.Join(t.TempDir(), "f.xlsx")
	exportFrom(t, fixture(), Options{Format: "xlsx", Output: out, Layer: AllLayers})
	return out
}

// A workbook whose Documents sheet is cut mid-XML is refused whole, the
// sheet named; nothing of it is stored.
func TestXLSXTruncatedRefused(t *testing.T) {
	src := exportedWorkbook(t)
	cut := rezip(t, src, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			return b[:len(b)/2]
		}
		return b
	}, nil)
	sink := newMemSink()
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, FromLayer: "ali", Layer: "ali"}, cut)
	if len(sink.docs) != 0 || sum.Rejected != 1 || !strings.Contains(strings.Join(problems, "\n"), "the Documents sheet (xl/worksheets/sheet1.xml) is cut short or damaged") {
		t.Errorf("%+v %q; %d documents stored", sum, problems, len(sink.docs))
	}
}

// A zip bomb: a 1 GiB entry is refused at once when Qalam needs it, and
// never unzipped when it does not; memory stays small either way.
func TestXLSXZipBomb(t *testing.T) {
	src := exportedWorkbook(t)
	keep := func(name string, b []byte) []byte { return b }
	unneeded := rezip(t, src, keep, func(zw *zip.Writer) { bomb(t, zw, "xl/media/image1.png") })
	needed := rezip(t, src, keep, func(zw *zip.Writer) { bomb(t, zw, "xl/worksheets/sheet9.xml") })
	if fi, _ := os.Stat(needed); fi.Size() > 8<<20 {
		t.Fatalf("the bomb is %d bytes", fi.Size())
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, problems := runImport(t, newMemSink(), ImportOptions{Format: Auto, Layer: "ali", FromLayer: "ali"}, needed)
	if len(problems) != 1 || !strings.Contains(problems[0], "xl/worksheets/sheet9.xml unzips to 1024 MB, more than the 512 MB") {
		t.Errorf("needed bomb: %q", problems)
	}
	sum, problems := runImport(t, newMemSink(), ImportOptions{Format: Auto, Layer: "ali", FromLayer: "ali", NewLabels: true}, unneeded)
	if len(problems) != 0 || sum.Records != 4 {
		t.Errorf("unneeded bomb: %+v %q", sum, problems)
	}
	runtime.ReadMemStats(&after)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the bombs took %v", d)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("reading the bombs allocated %d MB", alloc>>20)
	}
}

// Past a sheet's last row, spans go on in "Spans 2", "Spans 3", ...; the
// workbook reads back whole. (The limit is lowered here; the test of the
// real one, 1,048,575 rows, is TestXLSXMillionSpans.)
func TestXLSXSpansSheets(t *testing.T) {
	defer func(n int) { maxSheetRows = n }(maxSheetRows)
	maxSheetRows = 5
	m := fixture()
	out := filepath.Join(t.TempDir(), "f.xlsx")
	sum, _ := exportFrom(t, m, Options{Format: "xlsx", Output: out, Layer: AllLayers})
	if sum.Notes[NoteSpansSheets] != 4 {
		t.Errorf("notes %v", sum.Notes)
	}
	zr, _ := zip.OpenReader(out)
	names := sheetNames(&zr.Reader)
	zr.Close()
	var sheets []string
	for _, n := range names {
		sheets = append(sheets, n)
	}
	if !slicesContainsAll(sheets, "Spans", "Spans 2", "Spans 3", "Spans 4", "Spans 5") {
		t.Errorf("sheets %q", sheets)
	}
	sink := newMemSink()
	sink.labels = m.labels
	s, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali", FromLayer: "ali"}, out)
	if len(problems) > 0 || s.Spans != 12 {
		t.Errorf("%+v %q", s, problems)
	}
}

func slicesContainsAll(have []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// resave opens a workbook in LibreOffice and saves it again as xlsx, as a
// reviewer who edits a sheet does; it skips without LibreOffice.
func resave(t *testing.T, src string) string {
	t.Helper()
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		t.Skip("libreoffice not installed")
	}
	dir := t.TempDir()
	cmd := exec.Command(lo, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", dir, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	return filepath.Join(dir, filepath.Base(src))
}

// A workbook LibreOffice saved again (its \r\n become \n) is matched to its
// document by the sheet's hash, not added as a second copy: the line breaks
// are given back, and a text changed otherwise is reported, the project's
// kept.
func TestXLSXResavedByLibreOffice(t *testing.T) {
	m := &memSource{labels: annotate.DefaultLabels()}
	text := "سطر أول\r\nسطر ثان\r\nواشنطن"
	m.addDoc("crlf", text, "", map[string]annotate.Status{"ali": annotate.Done}, map[string][]string{"ali": {spanAt(text, "واشنطن", 1, "PLACE")}})
	out := filepath.Join(t.TempDir(), "crlf.xlsx")
	exportFrom(t, m, Options{Format: "xlsx", Output: out, Layer: "ali"})
	again := resave(t, out)

	sink := newMemSink()
	sink.labels = m.labels
	sink.Document(m.docs[0].Document)
	sum, problems := runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, again)
	if len(problems) > 0 || sum.DocumentsMatched != 1 || sum.DocumentsAdded != 0 || sum.Notes[NoteLineBreaks] != 1 || sum.Spans != 1 {
		t.Errorf("%+v %q", sum, problems)
	}

	// A text edited in the sheet: the document is found by its hash, the
	// change reported; without the document, the record is refused.
	edited := rezip(t, again, func(name string, b []byte) []byte {
		return bytes.ReplaceAll(b, []byte("سطر ثان"), []byte("سطر آخر"))
	}, nil)
	sum, problems = runImport(t, sink, ImportOptions{Format: Auto, Layer: "ali"}, edited)
	if sum.DocumentsAdded != 0 || sum.Spans+sum.SpansExisting != 1 || len(problems) != 1 || !strings.Contains(problems[0], `the text differs from that of document "crlf", which its sha256 column names`) {
		t.Errorf("edited text: %+v %q", sum, problems)
	}
	sum, problems = runImport(t, newMemSink(), ImportOptions{Format: Auto, Layer: "ali"}, edited)
	if sum.Records != 0 || len(problems) != 1 || !strings.Contains(problems[0], "the project has no document of that SHA-256") {
		t.Errorf("edited text, new project: %+v %q", sum, problems)
	}
}

// A bad row of a Spans sheet is named by that sheet and row.
func TestXLSXSpansErrorsNameTheSheet(t *testing.T) {
	src := exportedWorkbook(t)
	bad := rezip(t, src, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet2.xml" {
			// The first span's start becomes text.
			return bytes.Replace(b, []byte(`<c r="D2"><v>`), []byte(`<c r="D2" t="inlineStr"><is><t>x</t></is><v>`), 1)
		}
		return b
	}, nil)
	_, problems := runImport(t, newMemSink(), ImportOptions{Format: Auto, Layer: "ali", FromLayer: "ali", NewLabels: true}, bad)
	if !strings.Contains(strings.Join(problems, "\n"), `edited.xlsx#Spans":2: document "politics/reuters-1": offsets "x" and`) {
		t.Errorf("problems %q", problems)
	}
}
