package agreement

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the report as aligned plain-text tables. Undefined
// figures show as n/a[k], and the notes at the end give reason k.
func (r *Report) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	t := &tableWriter{w: bw, notes: map[string]int{}}
	t.report(r)
	if t.err != nil {
		return t.err
	}
	return bw.Flush()
}

type tableWriter struct {
	w     *bufio.Writer
	tw    *tabwriter.Writer
	buf   bytes.Buffer // the current table, before trailing blanks go
	cols  int          // cells in the current table's header
	notes map[string]int
	order []string
	err   error
}

func (t *tableWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// table starts an aligned block with the given header cells.
func (t *tableWriter) table(header ...string) {
	t.buf.Reset()
	t.tw = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	t.cols = len(header)
	t.row(header...)
}

// row writes cells, padded to the header's width so that the columns of
// shorter rows stay aligned.
func (t *tableWriter) row(cells ...string) {
	for len(cells) < t.cols {
		cells = append(cells, "")
	}
	if t.err == nil {
		_, t.err = io.WriteString(t.tw, strings.Join(cells, "\t")+"\t\n")
	}
}

func (t *tableWriter) end() {
	if t.err == nil {
		t.err = t.tw.Flush()
	}
	for line := range strings.Lines(t.buf.String()) {
		t.printf("%s\n", strings.TrimRight(line, " \n"))
	}
	t.printf("\n")
}

// v formats a figure, or n/a with a note number for its reason.
func (t *tableWriter) v(x Value) string {
	if x.Defined {
		return strconv.FormatFloat(x.Value, 'f', 3, 64)
	}
	if x == (Value{}) {
		return ""
	}
	n, ok := t.notes[x.Reason]
	if !ok {
		t.order = append(t.order, x.Reason)
		n = len(t.order)
		t.notes[x.Reason] = n
	}
	return fmt.Sprintf("n/a[%d]", n)
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

func (t *tableWriter) report(r *Report) {
	t.printf("Agreement of %s\n", strings.Join(r.Layers, ", "))
	t.printf("Documents read: %d; finished by at least two layers: %d; by all %d: %d.\n",
		r.DocumentsRead, r.Documents, len(r.Layers), r.FleissDocuments)
	if len(r.Labels) > 0 {
		t.printf("Labels: %s.\n", strings.Join(r.Labels, ", "))
	}
	for _, l := range r.Layers {
		if n := r.Conflicts[l]; n > 0 {
			t.printf("Layer %s has %s with two labels; the label first in byte order was kept.\n", l, plural(n, "position"))
		}
	}
	t.printf("\nSpan units (a unit is a position some layer marked; a finished layer without a span there gives %s)\n", None)
	t.multi(r.Measures)
	t.pairs(r.Pairs, true)

	if len(r.Labels) > 0 {
		t.printf("Per label (that label against all other values; F1 over that label's spans)\n")
		t.table("label", "layers", "units", "documents", "alpha", "Fleiss", "Cohen", "F1 exact", "F1 overlap", "F1 exact unlab.", "F1 overlap unlab.")
		for _, l := range r.Labels {
			m := r.PerLabel[l]
			if m == nil {
				continue
			}
			t.row(l, "all", itoa(m.Units), itoa(m.Documents), t.v(m.KrippendorffAlpha), t.v(m.FleissKappa))
			for _, p := range m.Pairs {
				t.row("", p.A+" / "+p.B, itoa(p.Units), itoa(p.Documents), "", "", t.v(p.CohenKappa),
					t.v(p.F1Exact), t.v(p.F1Overlap), t.v(p.F1ExactUnlabeled), t.v(p.F1OverlapUnlabeled))
			}
		}
		t.end()
	}
	for _, p := range r.Pairs {
		t.confusion(r.Confusion[p.A+","+p.B], "span units")
	}

	if tk := r.Tokens; tk != nil {
		for _, s := range []struct {
			name string
			m    *TokenMeasures
		}{{"with O", &tk.WithO}, {"without O (tokens every layer concerned tagged O left out)", &tk.WithoutO}} {
			t.printf("Tokens, %s\n", s.name)
			t.multi(s.m.Measures)
			t.pairs(s.m.Pairs, false)
			if len(s.m.PerLabel) > 0 {
				t.table("label", "layers", "units", "documents", "alpha", "Fleiss", "Cohen")
				for _, l := range r.Labels {
					m := s.m.PerLabel[l]
					if m == nil {
						continue
					}
					t.row(l, "all", itoa(m.Units), itoa(m.Documents), t.v(m.KrippendorffAlpha), t.v(m.FleissKappa))
					for _, p := range m.Pairs {
						t.row("", p.A+" / "+p.B, itoa(p.Units), itoa(p.Documents), "", "", t.v(p.CohenKappa))
					}
				}
				t.end()
			}
		}
		if tk.DocumentsWithoutText > 0 {
			t.printf("%d documents had no text and are not in the token figures.\n\n", tk.DocumentsWithoutText)
		}
		for _, p := range r.Pairs {
			t.confusion(tk.WithO.Confusion[p.A+","+p.B], "tokens")
		}
	}

	if len(r.PerDocument) > 0 {
		t.printf("Per document (span units)\n")
		header := []string{"id", "name", "done", "units", "alpha", "Fleiss"}
		for _, p := range r.Pairs {
			header = append(header, p.A+"/"+p.B+" kappa", p.A+"/"+p.B+" F1 overlap")
		}
		t.table(header...)
		for _, d := range r.PerDocument {
			cells := []string{strconv.FormatInt(d.ID, 10), d.Name, strings.Join(d.Done, ","), itoa(d.Units),
				t.v(d.KrippendorffAlpha), t.v(d.FleissKappa)}
			byName := map[string]Pair{}
			for _, p := range d.Pairs {
				byName[p.A+","+p.B] = p
			}
			for _, p := range r.Pairs {
				q := byName[p.A+","+p.B]
				if q.Documents == 0 {
					cells = append(cells, "-", "-")
					continue
				}
				cells = append(cells, t.v(q.CohenKappa), t.v(q.F1Overlap))
			}
			t.row(cells...)
		}
		t.end()
	}

	if len(t.order) > 0 {
		t.printf("Notes\n")
		for i, reason := range t.order {
			t.printf("[%d] %s\n", i+1, reason)
		}
	}
}

func (t *tableWriter) multi(m Measures) {
	t.table("", "value", "units", "documents")
	t.row("Krippendorff's alpha", t.v(m.KrippendorffAlpha), itoa(m.Units), itoa(m.Documents))
	t.row("Fleiss' kappa", t.v(m.FleissKappa), itoa(m.FleissUnits), itoa(m.FleissDocuments))
	t.end()
}

func (t *tableWriter) pairs(ps []Pair, f1 bool) {
	if len(ps) == 0 {
		return
	}
	if f1 {
		t.table("layers", "units", "documents", "Cohen's kappa", "F1 exact", "F1 overlap", "F1 exact unlab.", "F1 overlap unlab.")
	} else {
		t.table("layers", "units", "documents", "Cohen's kappa")
	}
	for _, p := range ps {
		cells := []string{p.A + " / " + p.B, itoa(p.Units), itoa(p.Documents), t.v(p.CohenKappa)}
		if f1 {
			cells = append(cells, t.v(p.F1Exact), t.v(p.F1Overlap), t.v(p.F1ExactUnlabeled), t.v(p.F1OverlapUnlabeled))
		}
		t.row(cells...)
	}
	t.end()
}

func (t *tableWriter) confusion(c *Confusion, what string) {
	if c == nil {
		return
	}
	t.printf("Confusion, %s: %s in rows, %s in columns\n", what, c.A, c.B)
	t.table(append([]string{""}, c.Labels...)...)
	for i, l := range c.Labels {
		cells := []string{l}
		for _, n := range c.Counts[i] {
			cells = append(cells, itoa(n))
		}
		t.row(cells...)
	}
	t.end()
}
