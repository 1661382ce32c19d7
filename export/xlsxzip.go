package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on what an xlsx import unzips: a workbook is a zip, and a small
// one can hold an entry of gigabytes (a zip bomb). The entries Qalam needs
// may hold at most xlsxEntryLimit bytes each and xlsxTotalLimit together;
// the others are never read.
const (
	xlsxEntryLimit = 512 << 20
	xlsxTotalLimit = 1 << 30
)

// xlsxNeeded tells the entries of a workbook that reading its sheets
// needs; the rest (pictures, printer settings, document properties,
// anything else a zip can carry) is left unread.
func xlsxNeeded(name string) bool {
	switch strings.ToLower(name) {
	case "[content_types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedstrings.xml", "xl/styles.xml":
		return true
	}
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "xl/worksheets/") && path.Ext(n) == ".xml" && !strings.Contains(n[len("xl/worksheets/"):], "/")
}

// slimWorkbook checks a workbook and returns a copy with only the entries
// xlsxNeeded keeps (copied compressed, not unzipped). It refuses, naming
// the entry and its sheet, an entry over the limits and XML that does not
// parse to its end (a workbook cut short): such a workbook is refused
// whole, never read in part.
func slimWorkbook(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("not an xlsx workbook: %w", err)
	}
	var keep []*zip.File
	var total uint64
	for _, f := range zr.File {
		if !xlsxNeeded(f.Name) {
			continue
		}
		if f.UncompressedSize64 > xlsxEntryLimit {
			return nil, fmt.Errorf("the workbook's %s unzips to %d MB, more than the %d MB Qalam reads from one part of a workbook: refused", f.Name, f.UncompressedSize64>>20, xlsxEntryLimit>>20)
		}
		total += f.UncompressedSize64
		if total > xlsxTotalLimit {
			return nil, fmt.Errorf("the workbook's sheets unzip to more than %d MB, more than Qalam reads: refused", xlsxTotalLimit>>20)
		}
		keep = append(keep, f)
	}
	sheets := sheetNames(zr)
	for _, f := range keep {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".xml") && !strings.HasSuffix(strings.ToLower(f.Name), ".rels") {
			continue
		}
		if err := wellFormed(f); err != nil {
			what := f.Name
			if s, ok := sheets[f.Name]; ok {
				what = fmt.Sprintf("the %s sheet (%s)", s, f.Name)
			}
			return nil, fmt.Errorf("%s is cut short or damaged (%v): the workbook is refused whole", what, err)
		}
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range keep {
		if err := zw.Copy(f); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// wellFormed reads an XML entry to its end: every element closed, no
// syntax error, not more bytes than the zip says it holds.
func wellFormed(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	depth, root := 0, false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 || !root {
				return errors.New("the XML ends before its last element closes")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			root = true
		case xml.EndElement:
			depth--
		}
	}
}

// sheetNames maps a workbook's worksheet entries to their sheets' names,
// as far as its workbook.xml and relationships say.
func sheetNames(zr *zip.Reader) map[string]string {
	read := func(name string, v any) {
		for _, f := range zr.File {
			if f.Name == name && f.UncompressedSize64 < 16<<20 {
				if rc, err := f.Open(); err == nil {
					xml.NewDecoder(rc).Decode(v)
					rc.Close()
				}
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	read("xl/workbook.xml", &wb)
	read("xl/_rels/workbook.xml.rels", &rels)
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				t := strings.TrimPrefix(r.Target, "/")
				if !strings.HasPrefix(t, "xl/") {
					t = "xl/" + t
				}
				out[t] = s.Name
			}
		}
	}
	return out
}
