package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/qalam-annotate/qalam", Version: "(devel)"},
		Deps: []*debug.Module{
			{Path: "github.com/mattn/go-sqlite3", Version: "v1.14.53"},
			{Path: "fyne.io/fyne/v2", Version: "v2.7.1"},
		},
	}
	for _, c := range []struct {
		name, version string
		main          string
		replace       *debug.Module
		want          Info
	}{
		{"set by the build", "0.1.0+62.g3350744", "(devel)", nil, Info{"0.1.0+62.g3350744", "go1.26.8", "v2.7.1", ""}},
		{"go install of a tag", "dev", "v0.2.0", nil, Info{"v0.2.0", "go1.26.8", "v2.7.1", ""}},
		{"plain go build", "dev", "(devel)", nil, Info{"dev", "go1.26.8", "v2.7.1", ""}},
		{"replaced Fyne", "1.0.0", "(devel)", &debug.Module{Path: "../fyne", Version: ""}, Info{"1.0.0", "go1.26.8", "", ""}},
		{"replaced by a version", "1.0.0", "(devel)", &debug.Module{Path: "fyne.io/fyne/v2", Version: "v2.7.2"}, Info{"1.0.0", "go1.26.8", "v2.7.2", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := *bi
			b.Main.Version = c.main
			b.Deps = []*debug.Module{bi.Deps[0], {Path: bi.Deps[1].Path, Version: bi.Deps[1].Version, Replace: c.replace}}
			got := FromBuildInfo(c.version, &b)
			got.Platform = ""
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	in := Info{Version: "0.1.0", Go: "go1.26.8", Fyne: "v2.7.1", Platform: "linux/amd64"}
	if got, want := in.String(), "qalam 0.1.0\nGo go1.26.8 linux/amd64\nFyne v2.7.1\n"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	in.Fyne = ""
	if strings.Contains(in.String(), "Fyne") {
		t.Errorf("a binary without Fyne names it: %q", in.String())
	}
}

// The test binary has build information; its Go version is the running one.
func TestRead(t *testing.T) {
	in := Read()
	if in.Go == "" || in.Platform == "" || in.Version == "" {
		t.Errorf("incomplete: %+v", in)
	}
}
