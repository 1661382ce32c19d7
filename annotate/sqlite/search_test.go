package sqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestFTSQuery(t *testing.T) {
	forms := func(module, rest, star string, words ...string) string {
		var out []string
		for _, w := range words {
			var fs []string
			for _, f := range annotate.Forms(w) {
				if module == "fts4" && star != "" {
					fs = append(fs, f+"*")
				} else {
					fs = append(fs, `"`+f+rest+`"`+star)
				}
			}
			out = append(out, "("+strings.Join(fs, " OR ")+")")
		}
		return strings.Join(out, " AND ")
	}
	for _, c := range []struct {
		in, module, want string
		err              error
	}{
		{"مصر", "fts5", forms("fts5", "", "", "مصر"), nil},
		{"  مُصْر   تونس ", "fts4", forms("fts4", "", "", "مصر", "تونس"), nil},
		{"تون*", "fts5", forms("fts5", "", "*", "تون"), nil},
		{"تون*", "fts4", forms("fts4", "", "*", "تون"), nil},
		{`"وزير الخارجية"`, "fts5", forms("fts5", " الخارجيه", "", "وزير"), nil},
		{`AND OR`, "fts5", `"and" AND "or"`, nil},
		{` "" * ,`, "fts5", "", annotate.ErrBadQuery},
	} {
		got, err := ftsQuery(c.in, c.module)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ftsQuery(%q, %s) = %q, %v; want %q, %v", c.in, c.module, got, err, c.want, c.err)
		}
	}
	if got, _ := ftsQuery("مصر", "fts5"); !strings.Contains(got, `"ومصر" OR `) || !strings.Contains(got, `"بمصر"`) {
		t.Errorf("the forms with proclitics are missing: %s", got)
	}
}
