// Package assets holds what Qalam ships inside its binary: the Amiri fonts
// (SIL OFL 1.1, see fonts/OFL.txt), the icon (drawn by icongen, its source)
// and the sample articles of the default project (see
// samples/ATTRIBUTION.md), with the licences Help → About shows.
package assets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed fonts/Amiri-Regular.ttf
var AmiriRegular []byte

//go:embed fonts/Amiri-Bold.ttf
var AmiriBold []byte

//go:embed icon.png
var Icon []byte

// AmiriLicence is the Amiri fonts' licence (SIL OFL 1.1), with their
// copyright; the OFL asks for it to travel with the fonts.
//
//go:embed fonts/OFL.txt
var AmiriLicence string

// ANTLicence is the Apache License 2.0, under which the ANT corpus, and so
// five of the sample articles, is distributed.
//
//go:embed samples/LICENSE-ANT-Apache-2.0.txt
var ANTLicence string

//go:embed samples
var samples embed.FS

// Sample is one bundled article.
type Sample struct {
	Name string // file name without .txt
	Text []byte
}

// Samples returns the bundled sample articles, the Reuters article first.
func Samples() []Sample {
	entries, _ := fs.ReadDir(samples, "samples")
	var out []Sample
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".txt") || strings.HasPrefix(e.Name(), "LICENSE") {
			continue
		}
		b, err := samples.ReadFile(path.Join("samples", e.Name()))
		if err != nil {
			continue
		}
		out = append(out, Sample{Name: strings.TrimSuffix(e.Name(), ".txt"), Text: b})
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.HasPrefix(out[i].Name, "reuters") && !strings.HasPrefix(out[j].Name, "reuters")
	})
	return out
}
