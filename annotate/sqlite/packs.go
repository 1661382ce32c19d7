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

// unpack appends the spans of pack, a layer's on document docID
// ("start,end,label_id,o,id" joined by ";"), to spans, or their keys
// alone to keys when asKeys. Thirty million spans pass here when a
// million documents are compared, so the figures are read by hand
// (digits), in place.
func unpack(spans []annotate.Span, keys []annotate.SpanKey, asKeys bool, pack string, docID int64, layer string, labels labelNames) ([]annotate.Span, []annotate.SpanKey, error) {
	n := len(pack)
	for i := 0; ; {
		// start, end and label_id, each followed by a comma.
		var f [3]int64
		for k := range f {
			from := i
			if f[k], i = digits(pack, i); i == from || i-from > 18 || i == n || pack[i] != ',' {
				return spans, keys, badPack(docID, layer, pack)
			}
			i++
		}
		// The origin's letter, a comma, then the span's id.
		if i+2 >= n || pack[i+1] != ',' {
			return spans, keys, badPack(docID, layer, pack)
		}
		origin := origins[pack[i]]
		i += 2
		from := i
		var id int64
		id, i = digits(pack, i)
		label, ok := labels.name(f[2])
		if i == from || i-from > 18 || origin == "" || !ok {
			return spans, keys, badPack(docID, layer, pack)
		}
		if asKeys {
			keys = append(keys, annotate.SpanKey{Start: int(f[0]), End: int(f[1]), Label: label})
		} else {
			spans = append(spans, annotate.Span{ID: id, DocID: docID, Layer: layer, Start: int(f[0]), End: int(f[1]), Label: label, Origin: origin})
		}
		if i == n {
			return spans, keys, nil
		}
		if pack[i] != ';' || i+1 == n {
			return spans, keys, badPack(docID, layer, pack)
		}
		i++
	}
}

// digits reads the decimal digits of pack from i: their value, and where
// they end.
func digits(pack string, i int) (int64, int) {
	v := int64(0)
	for ; i < len(pack) && pack[i]-'0' <= 9; i++ {
		v = v*10 + int64(pack[i]-'0')
	}
	return v, i
}

func badPack(docID int64, layer, pack string) error {
	if len(pack) > 80 {
		pack = pack[:80] + "…"
	}
	return fmt.Errorf("%w: the packed spans of layer %s on document %d cannot be read: %q", annotate.ErrDamaged, layer, docID, pack)
}
