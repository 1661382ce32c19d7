package cli

import (
	"runtime"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/internal/buildinfo"
)

func TestVersion(t *testing.T) {
	old := buildinfo.Version
	buildinfo.Version = "0.1.0+62.g3350744"
	t.Cleanup(func() { buildinfo.Version = old })
	code, out, _ := run(t, "version")
	lines := strings.Split(out, "\n")
	if code != ExitOK || len(lines) < 2 || lines[0] != "qalam 0.1.0+62.g3350744" || lines[1] != "Go "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("exit %d, output %q", code, out)
	}
}
