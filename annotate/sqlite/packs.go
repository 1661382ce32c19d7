package sqlite

import (
	"fmt"
	"slices"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// Span packs: each layer's spans on a document in one row of span_packs,
// kept equal to the spans table by triggers (migration 006). Readers of
// whole layers read packs: a tenth of the rows, and one column each.

// origins maps an origin's first letter, as a pack holds it, to the origin.
var origins = func() [256]annotate.Origin {
	var t [256]annotate.Origin
	for _, o := range []annotate.Origin{annotate.Manual, annotate.Imported, annotate.Propagated, annotate.Suggested} {
		t[o[0]] = o
	}
	return t
}()

// unpackSpans appends to dst the spans of pack, a layer's on document
// docID: "start,end,label_id,o,id" joined by ";". Label ids are named by
// labels.
func unpackSpans(dst []annotate.Span, pack string, docID int64, layer string, labels map[int64]string) ([]annotate.Span, error) {
	if pack == "" || pack[len(pack)-1] == ';' {
		return dst, badPack(docID, layer, pack)
	}
	dst = slices.Grow(dst, strings.Count(pack, ";")+1)
	for i := 0; i < len(pack); {
		var f [5]int64
		var origin annotate.Origin
		for k := range f {
			if k == 3 {
				if i >= len(pack) {
					return dst, badPack(docID, layer, pack)
				}
				origin = origins[pack[i]]
				i++
			} else {
				start := i
				for i < len(pack) && pack[i] >= '0' && pack[i] <= '9' {
					f[k] = f[k]*10 + int64(pack[i]-'0')
					i++
				}
				if i == start {
					return dst, badPack(docID, layer, pack)
				}
			}
			want := byte(',')
			if k == 4 {
				want = ';'
			}
			if i < len(pack) && pack[i] != want || i == len(pack) && k < 4 {
				return dst, badPack(docID, layer, pack)
			}
			i++
		}
		label, ok := labels[f[2]]
		if !ok || origin == "" {
			return dst, badPack(docID, layer, pack)
		}
		dst = append(dst, annotate.Span{ID: f[4], DocID: docID, Layer: layer, Start: int(f[0]), End: int(f[1]), Label: label, Origin: origin})
	}
	return dst, nil
}

func badPack(docID int64, layer, pack string) error {
	if len(pack) > 80 {
		pack = pack[:80] + "…"
	}
	return fmt.Errorf("%w: the packed spans of layer %s on document %d cannot be read: %q", annotate.ErrDamaged, layer, docID, pack)
}
