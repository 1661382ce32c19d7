package sqlite

import (
	"errors"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

func TestFTSQuery(t *testing.T) {
	for _, c := range []struct {
		in, module, want string
		err              error
	}{
		{"مصر", "fts5", `"مصر"`, nil},
		{"  مُصْر   تونس ", "fts4", `"مصر" "تونس"`, nil},
		{"تون*", "fts5", `"تون"*`, nil},
		{"تون*", "fts4", `تون*`, nil},
		{`"وزير الخارجية" أمريكا`, "fts5", `"وزير الخارجيه" "امريكا"`, nil},
		{`AND OR`, "fts5", `"and" "or"`, nil},
		{` "" * ,`, "fts5", "", annotate.ErrBadQuery},
	} {
		got, err := ftsQuery(c.in, c.module)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("ftsQuery(%q, %s) = %q, %v; want %q, %v", c.in, c.module, got, err, c.want, c.err)
		}
	}
}
