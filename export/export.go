package export

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/qalam-annotate/qalam/annotate"
)

// Layer choices of Options.Layer besides a layer's name.
const (
	AllLayers = "all"
)

// Options choose what Export writes.
type Options struct {
	Format string // a format name (see Lookup)
	// Output is the file (the folder for brat) to write. It is written
	// under a temporary name beside it and renamed once complete, so a
	// failed export never leaves part of a file under this name.
	Output string
	// Layer is a layer's name, "gold", or "all" (every annotator layer
	// and gold; not suggestions). "" picks the project's only layer and
	// is an error when there are several. A document is written for a
	// layer only where that layer has work: "gold" gives no record for a
	// document nobody adjudicated.
	Layer string
	// IncludeUnfinished also writes a layer's work on documents it has not
	// marked done (in progress, or todo with spans); skipped documents are
	// never written.
	IncludeUnfinished bool
	// Offsets is the unit of the offsets written (code points when "").
	Offsets annotate.OffsetUnit
	// Split divides the documents at random, reproducibly for a Seed,
	// into parts written to separate outputs (see PartPath).
	Split []Part
	Seed  uint64
	// Context is the xlsx context width in code points (40 when 0).
	Context int
	// Tokens is how the token formats (jsonl, hf, conll) cut tokens:
	// TokensSplit (the default) or TokensWords. Unit is what a row of hf
	// and a block of CoNLL holds: UnitSentence (the default) or
	// UnitDocument. Sep is CoNLL's column separator: SepSpace (the
	// default) or SepTab.
	Tokens, Unit, Sep string
	// Stdout receives the export when Output is "-" (line formats only).
	Stdout io.Writer
	// Report receives each span an encoder left out; it is called from
	// the goroutine that called Export.
	Report func(Problem)
	// Ready, when set, is asked once the outputs are complete, before they
	// take their names; its error abandons the export (the command line
	// checks a large project's file meanwhile).
	Ready func() error
}

// ToStdout is the Output that writes to Options.Stdout.
const ToStdout = "-"

// Part is one part of a split and its share of the documents.
type Part struct {
	Name  string
	Share float64
}

// ParseSplit reads "train=0.8,dev=0.1,test=0.1". Shares must be positive
// and add up to 1.
func ParseSplit(s string) ([]Part, error) {
	var parts []Part
	sum := 0.0
	for item := range strings.SplitSeq(s, ",") {
		name, share, ok := strings.Cut(strings.TrimSpace(item), "=")
		f, err := strconv.ParseFloat(share, 64)
		if !ok || err != nil || f <= 0 || name == "" || safeName(name, "") != name {
			return nil, fmt.Errorf("split %q: want NAME=SHARE,... such as train=0.8,dev=0.1,test=0.1", s)
		}
		for _, p := range parts {
			if p.Name == name {
				return nil, fmt.Errorf("split %q: %s is named twice", s, name)
			}
		}
		parts = append(parts, Part{name, f})
		sum += f
	}
	if math.Abs(sum-1) > 1e-6 {
		return nil, fmt.Errorf("split %q: the shares add up to %g, not 1", s, sum)
	}
	return parts, nil
}

// PartPath is where a part of a split goes: out.jsonl gives
// out.train.jsonl; a folder format's parts are subfolders.
func PartPath(output string, f *Format, part string) string {
	if f.Folder {
		return filepath.Join(output, part)
	}
	ext := filepath.Ext(output)
	return strings.TrimSuffix(output, ext) + "." + part + ext
}

// Summary counts what an export wrote.
type Summary struct {
	Documents int            // documents written (with at least one layer)
	Records   int            // document × layer records
	Spans     int            // spans written
	Problems  int            // problems reported: what was left out
	Notes     map[string]int // what was changed on purpose, by kind (see NoteTrimmed)
	Parts     map[string]int // documents per part of a split
	Files     []string       // what was written
}

// ChooseLayers resolves Options.Layer against the project's layers.
func ChooseLayers(ctx context.Context, src Source, choice string) ([]string, error) {
	layers, err := src.Layers(ctx)
	if err != nil {
		return nil, err
	}
	var names, usable []string
	for _, l := range layers {
		names = append(names, l.Name)
		if l.Kind != annotate.SuggestionLayer {
			usable = append(usable, l.Name)
		}
	}
	switch choice {
	case AllLayers:
		if len(usable) == 0 {
			return nil, usageError("the project has no annotations yet")
		}
		return usable, nil
	case "":
		switch len(usable) {
		case 0:
			return nil, usageError("the project has no annotations yet")
		case 1:
			return usable, nil
		}
		return nil, usageError("the project has several layers (%s): choose one, gold or all", strings.Join(usable, ", "))
	}
	if !slices.Contains(names, choice) {
		if choice == annotate.Gold {
			return nil, usageError("the project has no gold layer yet: nothing has been adjudicated")
		}
		return nil, usageError("no layer %q (the project has %s)", choice, strings.Join(names, ", "))
	}
	return []string{choice}, nil
}

// work picks the layers of d an export writes.
func work(d *annotate.AnnotatedDoc, layers []string, unfinished bool) []LayerWork {
	var out []LayerWork
	for _, name := range layers {
		l := d.Layers[name]
		if l == nil || l.Status == annotate.Skipped || (l.Status != annotate.Done && !unfinished) {
			continue
		}
		if l.Status == annotate.Todo && len(l.Spans) == 0 {
			continue
		}
		out = append(out, LayerWork{Name: name, Status: l.Status, Spans: l.Spans})
	}
	return out
}

// output is one file or folder being written under a temporary name.
type output struct {
	final, tmp string
	file       *os.File
	enc        Encoder
	docs       int
}

// Export writes the project's documents in a format. progress, when not
// nil, is called with the documents read so far and their total, from the
// goroutine that called Export. Documents are read in pages and written as
// they come, so memory does not grow with the project; for the token
// formats, documents are tokenized ahead on every CPU.
//
// Errors are of the kinds ErrUsage (the options), ErrWrite (the output)
// and ErrNothingToExport, or come from the project; on any error nothing
// is left under the output's name that was not there before.
func Export(ctx context.Context, src Source, opts Options, progress func(done, total int)) (Summary, error) {
	var sum Summary
	f, err := Lookup(opts.Format)
	if err != nil {
		return sum, &kindError{ErrUsage, err}
	}
	if err := checkOptions(f, &opts); err != nil {
		return sum, err
	}
	layers, err := ChooseLayers(ctx, src, opts.Layer)
	if err != nil {
		return sum, err
	}
	labels, err := src.Labels(ctx)
	if err != nil {
		return sum, err
	}
	total, err := src.CountDocuments(ctx)
	if err != nil {
		return sum, err
	}

	partOf := map[int64]int{}
	if len(opts.Split) > 0 {
		if partOf, err = assignParts(ctx, src, layers, opts); err != nil {
			return sum, err
		}
	}

	report := func(p Problem) {
		sum.Problems++
		if opts.Report != nil {
			opts.Report(p)
		}
	}
	note := func(kind string, n int) {
		if sum.Notes == nil {
			sum.Notes = map[string]int{}
		}
		sum.Notes[kind] += n
	}
	eo := EncodeOptions{Offsets: opts.Offsets, Labels: labels, Layers: layers, Context: opts.Context,
		Tokens: opts.Tokens, Unit: opts.Unit, Sep: opts.Sep, Report: report, Note: note}
	outs, folderTmp, err := openOutputs(f, opts, eo)
	cleanup := func() {
		for _, o := range outs {
			if o.file != nil {
				o.file.Close()
				os.Remove(o.tmp)
			}
		}
		if folderTmp != "" {
			os.RemoveAll(folderTmp)
		}
	}
	if err != nil {
		cleanup()
		return sum, err
	}

	done := 0
	encode := func(d *Doc, part int) error {
		done++
		if progress != nil {
			progress(done, total)
		}
		if d == nil {
			return nil
		}
		o := outs[part]
		if err := o.enc.Encode(d); err != nil {
			return writeError(o.final, err)
		}
		o.docs++
		sum.Documents++
		sum.Records += len(d.Layers)
		for _, lw := range d.Layers {
			sum.Spans += len(lw.Spans)
		}
		return nil
	}
	tokens := ""
	if f.Tokens {
		tokens = cmp.Or(opts.Tokens, TokensSplit)
	}
	sentences := f != JSONL && opts.Unit != UnitDocument
	err = pipeline(ctx, src, layers, opts.IncludeUnfinished, tokens, sentences, partOf, len(opts.Split) > 0, encode)
	for _, o := range outs {
		if cerr := o.enc.Close(); err == nil {
			err = writeError(o.final, cerr)
		}
	}
	if err == nil && sum.Documents == 0 {
		err = nothingDone(ctx, src, layers, opts, total)
	}
	if err == nil && opts.Ready != nil {
		err = opts.Ready()
	}
	if err != nil {
		cleanup()
		return sum, err
	}
	if err := commitOutputs(outs, folderTmp, opts.Output); err != nil {
		cleanup()
		return sum, writeError(opts.Output, err)
	}
	if len(opts.Split) > 0 {
		sum.Parts = map[string]int{}
		for i, p := range opts.Split {
			sum.Parts[p.Name] = outs[i].docs
		}
	}
	for _, o := range outs {
		sum.Files = append(sum.Files, o.final)
	}
	if f.Folder {
		sum.Files = []string{opts.Output}
	}
	return sum, nil
}

// checkOptions refuses what cannot be carried out before anything is
// read or written: unknown values, standard output for a format that is
// not written line by line, and an output that is a project (or another
// SQLite database), a folder for a file format, or in a missing folder.
func checkOptions(f *Format, opts *Options) error {
	if opts.Output == "" {
		return usageError("no output file")
	}
	if opts.Offsets == "" {
		opts.Offsets = annotate.CodePoints
	}
	if opts.Tokens != "" && opts.Tokens != TokensSplit && opts.Tokens != TokensWords {
		return usageError("tokens %q: want split or words", opts.Tokens)
	}
	if opts.Unit != "" && opts.Unit != UnitSentence && opts.Unit != UnitDocument {
		return usageError("unit %q: want sentence or document", opts.Unit)
	}
	if opts.Sep != "" && opts.Sep != SepSpace && opts.Sep != SepTab {
		return usageError("separator %q: want space or tab", opts.Sep)
	}
	if opts.Output == ToStdout {
		switch {
		case f.Folder || f == XLSX:
			return usageError("%s is not written line by line: give a file with -o, not -", f.Name)
		case len(opts.Split) > 0:
			return usageError("a split writes several files: give a file name with -o, not -")
		case opts.Stdout == nil:
			return usageError("no standard output to write to")
		}
		return nil
	}
	finals := []string{opts.Output}
	if len(opts.Split) > 0 && !f.Folder {
		finals = finals[:0]
		for _, p := range opts.Split {
			finals = append(finals, PartPath(opts.Output, f, p.Name))
		}
	}
	for _, final := range finals {
		if isSQLite(final) {
			return usageError("%s is a SQLite database (a Qalam project?): an export never replaces it; choose another output", final)
		}
		fi, err := os.Stat(final)
		switch {
		case err == nil && fi.IsDir() && !f.Folder:
			return usageError("%s is a folder: %s writes a file", final, f.Name)
		case err == nil && !fi.IsDir() && f.Folder:
			return usageError("%s is a file: %s writes a folder", final, f.Name)
		}
		if dir := filepath.Dir(final); !isDir(dir) {
			return writeError(final, os.ErrNotExist)
		}
	}
	if f.Folder {
		return checkFolder(opts.Output)
	}
	return nil
}

// isSQLite reports whether the file at path starts like a SQLite database.
func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	return string(head[:n]) == "SQLite format 3\x00"
}

// nothingDone explains an export that found nothing to write.
func nothingDone(ctx context.Context, src Source, layers []string, opts Options, total int) error {
	what := "layer " + layers[0]
	if len(layers) > 1 {
		what = "layers " + strings.Join(layers, ", ")
	}
	if opts.IncludeUnfinished {
		return &kindError{ErrNothingToExport, fmt.Errorf("0 of %d documents have work in %s: nothing was written", total, what)}
	}
	done := 0
	err := src.EachDocument(ctx, layers, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		if len(work(d, layers, true)) > 0 {
			done++
		}
		return nil
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("0 of %d documents are done in %s: nothing was written", total, what)
	if done > 0 {
		msg += fmt.Sprintf(" (%d have work in progress: --include-unfinished exports it)", done)
	} else {
		msg += " (--include-unfinished also exports work in progress)"
	}
	return &kindError{ErrNothingToExport, errors.New(msg)}
}

// checkFolder refuses to replace a folder that holds files.
func checkFolder(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return writeError(out, err)
	}
	if len(entries) > 0 {
		return usageError("output folder %s exists and is not empty", out)
	}
	return nil
}

// The temporary name of an output: a dot, its name, the process id and a
// random number: ".out.jsonl.1234.5678.tmp". One whose process has ended
// is what a killed export left, which the next export to the same folder
// removes.
var tmpName = regexp.MustCompile(`^\..+\.([0-9]+)\.[0-9]+\.tmp$`)

func tmpPattern(base string) string {
	return "." + base + "." + strconv.Itoa(os.Getpid()) + ".*.tmp"
}

// removeStale removes the temporary outputs that exports killed before
// they finished left in dir.
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := tmpName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

func openOutputs(f *Format, opts Options, eo EncodeOptions) ([]*output, string, error) {
	if opts.Output == ToStdout {
		enc, err := f.NewEncoder(opts.Stdout, eo)
		if err != nil {
			return nil, "", err
		}
		return []*output{{final: ToStdout, enc: enc}}, "", nil
	}
	names := []string{""}
	if len(opts.Split) > 0 {
		names = names[:0]
		for _, p := range opts.Split {
			names = append(names, p.Name)
		}
	}
	var outs []*output
	if f.Folder {
		dir, base := filepath.Split(opts.Output)
		removeStale(dirOr(dir))
		tmp, err := os.MkdirTemp(dirOr(dir), tmpPattern(base))
		if err != nil {
			return nil, "", writeError(opts.Output, err)
		}
		for _, n := range names {
			root := tmp
			if n != "" {
				root = filepath.Join(tmp, n)
			}
			enc, err := f.NewFolderEncoder(&dirWriter{root: root}, eo)
			if err != nil {
				return outs, tmp, err
			}
			outs = append(outs, &output{final: filepath.Join(opts.Output, n), enc: enc})
		}
		return outs, tmp, nil
	}
	for _, n := range names {
		final := opts.Output
		if n != "" {
			final = PartPath(opts.Output, f, n)
		}
		dir, base := filepath.Split(final)
		removeStale(dirOr(dir))
		file, err := os.CreateTemp(dirOr(dir), tmpPattern(base))
		if err != nil {
			return outs, "", writeError(final, err)
		}
		o := &output{final: final, tmp: file.Name(), file: file}
		outs = append(outs, o)
		if o.enc, err = f.NewEncoder(file, eo); err != nil {
			return outs, "", err
		}
	}
	return outs, "", nil
}

func dirOr(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// commitOutputs gives the finished outputs their names.
func commitOutputs(outs []*output, folderTmp, final string) error {
	if folderTmp != "" {
		os.Chmod(folderTmp, 0o755)
		if err := os.Remove(final); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return os.Rename(folderTmp, final)
	}
	for _, o := range outs {
		if o.file == nil {
			continue // standard output
		}
		if err := o.file.Sync(); err != nil {
			return err
		}
		if err := o.file.Close(); err != nil {
			return err
		}
		o.file = nil
		os.Chmod(o.tmp, 0o644)
		if err := os.Rename(o.tmp, o.final); err != nil {
			os.Remove(o.tmp)
			return err
		}
	}
	return nil
}

// dirWriter creates files under root.
type dirWriter struct{ root string }

func (w *dirWriter) Create(name string) (io.WriteCloser, error) {
	clean := path.Clean(name)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") || path.IsAbs(clean) {
		return nil, fmt.Errorf("file name %q leaves the output folder", name)
	}
	p := filepath.Join(w.root, filepath.FromSlash(clean))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}

// assignParts splits the documents that will be written: sorted by the
// SHA-256 of their text (so the same documents split alike in any
// project), shuffled by the seed, and cut by the shares, the largest
// remainders rounding up.
func assignParts(ctx context.Context, src Source, layers []string, opts Options) (map[int64]int, error) {
	type key struct {
		sha string
		id  int64
	}
	var docs []key
	err := src.EachDocument(ctx, layers, annotate.ReadSpans, func(d *annotate.AnnotatedDoc) error {
		if len(work(d, layers, opts.IncludeUnfinished)) > 0 {
			docs = append(docs, key{d.SHA256, d.ID})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].sha < docs[j].sha })
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	counts := partCounts(len(docs), opts.Split)
	out := make(map[int64]int, len(docs))
	i := 0
	for p, n := range counts {
		for range n {
			out[docs[i].id] = p
			i++
		}
	}
	return out, nil
}

// partCounts divides n by the shares: floors, then one more to the parts
// with the largest remainders (the earlier part on a tie).
func partCounts(n int, parts []Part) []int {
	counts := make([]int, len(parts))
	rem := make([]float64, len(parts))
	left := n
	for i, p := range parts {
		exact := float64(n) * p.Share
		counts[i] = int(math.Floor(exact + 1e-9))
		rem[i] = exact - float64(counts[i])
		left -= counts[i]
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for i := 0; left > 0; i = (i + 1) % len(parts) {
		counts[order[i]]++
		left--
	}
	return counts
}

// pipeline reads documents and hands them, in order, to encode on the
// calling goroutine: nil for a document with nothing to write (so progress
// counts it). With tokens, workers tokenize documents ahead.
func pipeline(ctx context.Context, src Source, layers []string, unfinished bool, tokens string, sentences bool, partOf map[int64]int, split bool, encode func(*Doc, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		doc   *Doc
		part  int
		ready chan struct{}
	}
	ordered := make(chan *job, 256)
	var toTokenize chan *job
	var wg sync.WaitGroup
	if tokens != "" {
		toTokenize = make(chan *job, 256)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range toTokenize {
					j.doc.tok = newDocTokens(j.doc.Document, tokens, sentences)
					close(j.ready)
				}
			}()
		}
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		if toTokenize != nil {
			defer close(toTokenize)
		}
		readErr <- src.EachDocument(ctx, layers, annotate.ReadText, func(ad *annotate.AnnotatedDoc) error {
			j := &job{}
			if lw := work(ad, layers, unfinished); len(lw) > 0 {
				part, ok := partOf[ad.ID]
				if split && !ok {
					lw = nil // not in the split: added since it was made
				}
				if lw != nil {
					j.doc = &Doc{Document: ad.Document, Layers: lw}
					j.part = part
				}
			}
			if j.doc != nil && toTokenize != nil {
				j.ready = make(chan struct{})
				select {
				case toTokenize <- j:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			select {
			case ordered <- j:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var err error
	for j := range ordered {
		if err != nil {
			continue // drain
		}
		if j.ready != nil {
			<-j.ready
		}
		if err = encode(j.doc, j.part); err != nil {
			cancel()
		}
	}
	wg.Wait()
	if rerr := <-readErr; err == nil {
		err = rerr
	}
	return err
}
