package annotate

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// MergeConflictError lists the layers a merge refused because the target
// already holds different work under the same name.
type MergeConflictError struct {
	Source string
	Layers []string
}

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("%s: layer %s already exists here with different content; nothing was merged (bring it in under another name with --as %s=NEWNAME)",
		e.Source, strings.Join(e.Layers, ", "), e.Layers[0])
}

// MergeSummary counts what a merge brought in.
type MergeSummary struct {
	Documents int      // documents the target lacked
	Layers    []string // layers copied (by their name in the target)
	Unchanged []string // layers the target already held identically
	Spans     int
	Statuses  int
	Comments  int
	Labels    []string // labels the target lacked
}

// Line says in one line what a merge of the project called name did.
func (sum MergeSummary) Line(name string) string {
	if len(sum.Layers) == 0 {
		return fmt.Sprintf("%s: nothing new; layers %s are here already, unchanged", name, orNone(sum.Unchanged))
	}
	s := fmt.Sprintf("%s: layers %s; %d new documents, %d spans, %d statuses, %d comments", name,
		orNone(sum.Layers), sum.Documents, sum.Spans, sum.Statuses, sum.Comments)
	if len(sum.Unchanged) > 0 {
		s += "; unchanged " + orNone(sum.Unchanged)
	}
	if len(sum.Labels) > 0 {
		s += "; new labels " + orNone(sum.Labels)
	}
	return s
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// MergeTarget is what a merge writes to.
type MergeTarget interface {
	DocumentReader
	Bulk
	AddLabel(ctx context.Context, l Label) error
}

// Merge brings the layers of the project src into into: documents are
// matched by their text (those missing are added), then each layer's
// spans, statuses, flags and comments are copied. A layer into holds with
// the same content is left as it is, so merging twice changes nothing; a
// layer into holds with different content is refused (a
// *MergeConflictError) and no layer is written. rename maps src's layer
// names to the names they take in into.
//
// The layers are loaded under staging names in transactions of a few
// hundred documents, so that people annotating in into meanwhile wait
// little, and appear at once, whole, when everything is loaded; a merge
// that fails or is cancelled leaves no part of a layer behind (the
// documents it added stay, as articles: merging again finds them).
func Merge(ctx context.Context, into MergeTarget, src DocumentReader, srcName string, rename map[string]string) (MergeSummary, error) {
	var sum MergeSummary
	layers, err := src.Layers(ctx)
	if err != nil {
		return sum, fmt.Errorf("merge %s: read its layers: %w", srcName, err)
	}
	for from := range rename {
		if !slices.ContainsFunc(layers, func(l Layer) bool { return l.Name == from }) {
			return sum, fmt.Errorf("%s has no layer %q to rename", srcName, from)
		}
	}
	target := func(name string) string {
		if to, ok := rename[name]; ok {
			return to
		}
		return name
	}
	var theirNames, ourNames []string
	for _, l := range layers {
		to := target(l.Name)
		if err := ValidateLayerName(to); err != nil {
			return sum, err
		}
		if KindOf(to) != l.Kind {
			return sum, fmt.Errorf("layer %s cannot be renamed to %s: the two are of different kinds", l.Name, to)
		}
		theirNames, ourNames = append(theirNames, l.Name), append(ourNames, to)
	}
	theirs, err := layerDigests(ctx, src, theirNames)
	if err != nil {
		return sum, fmt.Errorf("merge %s: read layers %s: %w", srcName, orNone(theirNames), err)
	}
	ours, err := layerDigests(ctx, into, ourNames)
	if err != nil {
		return sum, fmt.Errorf("merge %s: read layers %s here: %w", srcName, orNone(ourNames), err)
	}
	copyLayers := []string{} // source names; empty, not nil: EachDocument then reads no layer
	var conflicts []string
	for i, from := range theirNames {
		switch to := ourNames[i]; {
		case ours[to] == theirs[from]:
			sum.Unchanged = append(sum.Unchanged, to)
		case ours[to] == emptyDigest:
			copyLayers = append(copyLayers, from)
		default:
			conflicts = append(conflicts, from)
		}
	}
	if len(conflicts) > 0 {
		return sum, &MergeConflictError{Source: srcName, Layers: conflicts}
	}
	sort.Strings(sum.Unchanged)
	if len(copyLayers) == 0 {
		return sum, nil
	}
	if sum.Labels, err = mergeLabels(ctx, into, src); err != nil {
		return sum, fmt.Errorf("merge %s: labels: %w", srcName, err)
	}

	token := make([]byte, 6)
	rand.Read(token)
	staging := map[string]string{} // source layer → staging name
	publish := map[string]string{} // staging name → final name
	for _, l := range copyLayers {
		staging[l] = StagingName(target(l), hex.EncodeToString(token))
		publish[staging[l]] = target(l)
	}
	drop := func() {
		names := make([]string, 0, len(publish))
		for st := range publish {
			names = append(names, st)
		}
		into.DropLayers(context.WithoutCancel(ctx), names) //nolint:errcheck // the merge's error says more
	}
	im, err := into.NewAnnotationImporter(ctx)
	if err != nil {
		return sum, fmt.Errorf("merge %s: %w", srcName, err)
	}
	err = src.EachDocument(ctx, copyLayers, ReadText, func(d *AnnotatedDoc) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		doc, added, err := im.Document(d.Document)
		if err != nil {
			return fmt.Errorf("document %q: %w", d.Name, err)
		}
		if added {
			sum.Documents++
		}
		for name, ld := range d.Layers {
			layer := staging[name]
			n, err := im.Add(doc.ID, layer, ld.Spans, "")
			if err != nil {
				return fmt.Errorf("document %q, layer %s: %w", d.Name, name, err)
			}
			sum.Spans += n
			if ld.Status != Todo || ld.Flagged {
				if err := im.SetState(doc.ID, layer, DocState{Status: ld.Status, Flagged: ld.Flagged}, ld.Updated); err != nil {
					return fmt.Errorf("document %q, layer %s: %w", d.Name, name, err)
				}
				sum.Statuses++
			}
			for _, c := range ld.Comments {
				c.DocID, c.Layer = doc.ID, layer
				if err := im.AddComment(c); err != nil {
					return fmt.Errorf("document %q, layer %s: %w", d.Name, name, err)
				}
				sum.Comments++
			}
		}
		return nil
	})
	if err != nil {
		im.Abort()
		drop()
		return MergeSummary{}, fmt.Errorf("merge %s: %w", srcName, err)
	}
	if err := im.Close(); err != nil {
		drop()
		return MergeSummary{}, fmt.Errorf("merge %s: %w", srcName, err)
	}
	if err := into.PublishLayers(ctx, publish); err != nil {
		drop()
		return MergeSummary{}, fmt.Errorf("merge %s: %w", srcName, err)
	}
	for _, l := range copyLayers {
		sum.Layers = append(sum.Layers, target(l))
	}
	sort.Strings(sum.Layers)
	return sum, nil
}

// mergeLabels adds the labels of src that into lacks (a hotkey into
// uses already is left off) and returns their names.
func mergeLabels(ctx context.Context, into MergeTarget, src DocumentReader) ([]string, error) {
	ours, err := into.Labels(ctx)
	if err != nil {
		return nil, err
	}
	theirs, err := src.Labels(ctx)
	if err != nil {
		return nil, err
	}
	var added []string
	for _, l := range theirs {
		if _, ok := ours.Find(l.Name); ok {
			continue
		}
		if _, taken := ours.ByHotkey(l.Hotkey); taken {
			l.Hotkey = ""
		}
		if err := into.AddLabel(ctx, l); err != nil {
			return added, err
		}
		ours = append(ours, l)
		added = append(added, l.Name)
	}
	return added, nil
}

var emptyDigest = hex.EncodeToString(sha256.New().Sum(nil))

// LayerDigest is a hash of everything a layer holds, keyed by document
// text rather than by id so that two projects can be compared: its spans
// (positions and labels), statuses other than todo, flags and comments. A
// missing or empty layer has the digest of nothing.
func LayerDigest(ctx context.Context, s DocumentReader, layer string) (string, error) {
	digests, err := layerDigests(ctx, s, []string{layer})
	return digests[layer], err
}

// layerDigests is the LayerDigest of each of layers, read in one pass.
func layerDigests(ctx context.Context, s DocumentReader, layers []string) (map[string]string, error) {
	layers = slices.Compact(slices.Sorted(slices.Values(layers)))
	docs := make(map[string][][]byte, len(layers))
	if len(layers) > 0 {
		err := s.EachDocument(ctx, layers, ReadSpans, func(d *AnnotatedDoc) error {
			for _, name := range layers {
				if ld := d.Layers[name]; ld != nil && (len(ld.Spans) > 0 || len(ld.Comments) > 0 || ld.Status != Todo || ld.Flagged) {
					docs[name] = append(docs[name], docDigest(d.SHA256, ld))
				}
			}
			return ctx.Err()
		})
		if err != nil {
			return nil, err
		}
	}
	out := make(map[string]string, len(layers))
	for _, name := range layers {
		sums := docs[name]
		slices.SortFunc(sums, bytes.Compare)
		h := sha256.New()
		for _, d := range sums {
			h.Write(d)
		}
		out[name] = hex.EncodeToString(h.Sum(nil))
	}
	return out, nil
}

// docDigest is a hash of one layer's work on the document whose text
// has that SHA-256.
func docDigest(sha string, ld *LayerDoc) []byte {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%t\n", sha, ld.Status, ld.Flagged)
	spans := slices.Clone(ld.Spans)
	slices.SortFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		return strings.Compare(a.Label, b.Label)
	})
	for _, sp := range spans {
		fmt.Fprintf(h, "s\x00%d\x00%d\x00%s\n", sp.Start, sp.End, sp.Label)
	}
	texts := make([]string, len(ld.Comments))
	for i, c := range ld.Comments {
		texts[i] = c.Text
	}
	sort.Strings(texts)
	for _, t := range texts {
		fmt.Fprintf(h, "c\x00%s\n", t)
	}
	return h.Sum(nil)
}
