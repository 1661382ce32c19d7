package sqlite

import (
	"fmt"

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

// labelNames names label ids: labelNames[id].
type labelNames []string

// set names label id; ids are small, and a bigger one is left unnamed
// (its spans then read as damage).
func (l *labelNames) set(id int64, name string) {
	if id >= 0 && id < 1<<16 {
		*l = append(*l, make(labelNames, max(0, int(id)+1-len(*l)))...)
		(*l)[id] = name
	}
}

// name is the label numbered id, false when there is none.
func (l labelNames) name(id int64) (string, bool) {
	if id < 0 || id >= int64(len(l)) || l[id] == "" {
		return "", false
	}
	return l[id], true
}

// unpackSpans appends to dst the spans of pack, a layer's on document
// docID: "start,end,label_id,o,id" joined by ";".
func unpackSpans(dst []annotate.Span, pack string, docID int64, layer string, labels labelNames) ([]annotate.Span, error) {
	if pack == "" || pack[len(pack)-1] == ';' {
		return dst, badPack(docID, layer, pack)
	}
	// number reads the digits at i and the separator after them.
	i := 0
	number := func(sep byte) (int64, bool) {
		from, n := i, int64(0)
		for ; i < len(pack) && pack[i]-'0' <= 9; i++ {
			n = n*10 + int64(pack[i]-'0')
		}
		if i == from || i-from > 18 {
			return 0, false
		}
		if i < len(pack) {
			if pack[i] != sep {
				return 0, false
			}
			i++
		} else if sep != ';' {
			return 0, false
		}
		return n, true
	}
	for i < len(pack) {
		start, ok1 := number(',')
		end, ok2 := number(',')
		labelID, ok3 := number(',')
		if !ok1 || !ok2 || !ok3 || i+1 >= len(pack) || pack[i+1] != ',' {
			return dst, badPack(docID, layer, pack)
		}
		origin := origins[pack[i]]
		i += 2
		id, ok4 := number(';')
		label, ok5 := labels.name(labelID)
		if !ok4 || !ok5 || origin == "" {
			return dst, badPack(docID, layer, pack)
		}
		dst = append(dst, annotate.Span{ID: id, DocID: docID, Layer: layer, Start: int(start), End: int(end), Label: label, Origin: origin})
	}
	return dst, nil
}

func badPack(docID int64, layer, pack string) error {
	if len(pack) > 80 {
		pack = pack[:80] + "…"
	}
	return fmt.Errorf("%w: the packed spans of layer %s on document %d cannot be read: %q", annotate.ErrDamaged, layer, docID, pack)
}
