package annotate

import (
	"strings"
	"testing"
)

func TestLabelNames(t *testing.T) {
	good := []string{"PERSON", "B", "FASHION BRAND", "مكان", "شخص معروف", "GPE-ORG", "de.tud.Org_1", strings.Repeat("x", 64), "a" + strings.Repeat(" ", 62) + "b"}
	bad := []string{"", " PERSON", "PERSON ", "A\tB", "A\nB", "A\u00a0B", "A\u2028B", "A\u202eB", "\u200fمكان", "A\x00", "A\u0085B", "A\ufeffB", strings.Repeat("x", 65)}
	for _, n := range good {
		if err := (Label{Name: n}).Validate(); err != nil {
			t.Errorf("%q refused: %v", n, err)
		}
	}
	for _, n := range bad {
		if err := (Label{Name: n}).Validate(); err == nil {
			t.Errorf("%q accepted", n)
		}
	}
}
