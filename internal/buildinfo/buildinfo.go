// Package buildinfo tells which Qalam this is: its version, set by the
// build (make sets it from git describe), and the Go and Fyne versions it
// was built with, read from the binary's own build information.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set by the build:
//
//	go build -ldflags '-X github.com/qalam-annotate/qalam/internal/buildinfo.Version=0.1.0'
var Version = "dev"

const fynePath = "fyne.io/fyne/v2"

// Info is what `qalam version` prints and Help → About shows.
type Info struct {
	Version  string // Qalam's
	Go       string // go1.26.8
	Fyne     string // v2.7.1, or "" when the binary does not contain Fyne
	Platform string // linux/amd64
}

// Read returns this binary's Info.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return FromBuildInfo(Version, bi)
}

// FromBuildInfo makes an Info from a version and a binary's build
// information (nil when it has none). Without a version set by the build,
// the module version is used when the binary was built from a tagged
// module (go install ...@v1.2.0), else "dev".
func FromBuildInfo(version string, bi *debug.BuildInfo) Info {
	in := Info{Version: version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi == nil {
		return in
	}
	in.Go = bi.GoVersion
	if (in.Version == "" || in.Version == "dev") && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		in.Version = bi.Main.Version
	}
	for _, m := range bi.Deps {
		if m.Path != fynePath {
			continue
		}
		if m.Replace != nil {
			m = m.Replace
		}
		in.Fyne = m.Version
	}
	return in
}

// String is one line per fact:
//
//	qalam 0.1.0
//	Go go1.26.8 linux/amd64
//	Fyne v2.7.1
func (in Info) String() string {
	s := fmt.Sprintf("qalam %s\nGo %s %s\n", in.Version, in.Go, in.Platform)
	if in.Fyne != "" {
		s += "Fyne " + in.Fyne + "\n"
	}
	return s
}
