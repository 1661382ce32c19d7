package project

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/stores"
	"github.com/qalam-annotate/qalam/export"
)

// The crash test: a process importing, editing or exporting is killed
// with SIGKILL at a random moment, as a power cut or `kill -9` would, and
// the project must be sound (PRAGMA integrity_check) and hold everything
// the process had reported saved, and an export must be whole or absent.
// The test binary runs itself as that process (QALAM_CRASH_WORKER).

func TestMain(m *testing.M) {
	if mode := os.Getenv("QALAM_CRASH_WORKER"); mode != "" {
		os.Exit(crashWorker(mode, os.Getenv("QALAM_CRASH_PROJECT"), os.Getenv("QALAM_CRASH_ARG")))
	}
	os.Exit(m.Run())
}

// editOp is the k-th edit of the worker's sequence, the same in the
// worker and in the test that checks what it left.
func editOp(k int) (label string, del bool) {
	labels := []string{"PERSON", "PLACE", "EVENT"}
	return labels[k%3], k%4 == 3
}

// crashWorker does the work of one mode and prints "saved N" after each
// step the store committed.
func crashWorker(mode, path, arg string) int {
	ctx := context.Background()
	s, err := stores.Open(ctx, path, annotate.OpenCreate)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	out := bufio.NewWriter(os.Stdout)
	saved := func(n int) {
		fmt.Fprintf(out, "saved %d\n", n)
		out.Flush()
	}
	switch mode {
	case "import":
		if _, err := Import(ctx, s, []string{arg}, nil, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		saved(0)
	case "edit":
		doc, _ := strconv.ParseInt(arg, 10, 64)
		var last annotate.Span
		for k := 0; ; k++ {
			label, del := editOp(k)
			if del {
				err = s.DeleteSpans(ctx, doc, "crash", last.ID)
			} else {
				// Each edit has a place of its own: spans never overlap.
				last, err = s.AddSpan(ctx, annotate.Span{DocID: doc, Layer: "crash", Start: 3 * k, End: 3*k + 1 + k%2, Label: label})
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			saved(k)
		}
	case "export":
		for k := 0; ; k++ {
			if _, err := export.Export(ctx, s, export.Options{Format: "jsonl", Output: arg, Layer: "crash", IncludeUnfinished: true}, nil); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			saved(k)
		}
	}
	return 0
}

// killed runs the worker and kills it after a random delay up to most;
// it returns the last step the worker reported saved (-1: none).
func killed(t *testing.T, rng *rand.Rand, mode, path, arg string, most time.Duration) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QALAM_CRASH_WORKER="+mode, "QALAM_CRASH_PROJECT="+path, "QALAM_CRASH_ARG="+arg)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	last := -1
	lines := make(chan int)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "saved ")); err == nil {
				lines <- n
			}
		}
		close(lines)
	}()
	deadline := time.After(time.Duration(rng.Int64N(int64(most))))
	for {
		select {
		case n, ok := <-lines:
			if !ok {
				cmd.Wait()
				if cmd.ProcessState.ExitCode() > 0 {
					t.Fatalf("the %s worker failed: %s", mode, stderr.String())
				}
				return last
			}
			last = n
		case <-deadline:
			cmd.Process.Signal(syscall.SIGKILL)
			for n := range lines {
				last = n // reported before it died
			}
			cmd.Wait()
			return last
		}
	}
}

// sound checks the project file with SQLite's integrity_check.
func sound(t *testing.T, path string) {
	t.Helper()
	problems, err := stores.Check(context.Background(), path)
	if err != nil || len(problems) > 0 {
		t.Fatalf("after the kill the project is not sound: %v %v", problems, err)
	}
}

func TestCrashDuringImport(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	dir := t.TempDir()
	const n = 4000
	for i := range n {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("%05d.txt", i)), []byte(strings.Repeat("خبر عن تونس ", 30)+strconv.Itoa(i)), 0o644)
	}
	for round := range 4 {
		path := filepath.Join(t.TempDir(), "p.qalam")
		killed(t, rng, "import", path, dir, time.Second)
		if _, err := os.Stat(path); err != nil {
			continue // killed before the project was made
		}
		ctx := context.Background()
		// Killed as the project was being made, before its first
		// transaction, the file holds nothing (SQLite's header at most):
		// no project yet, which the store takes for none and the import
		// below makes there.
		if _, err := stores.Check(ctx, path); !errors.Is(err, annotate.ErrNoProject) {
			sound(t, path)
		}
		s, err := stores.Open(ctx, path, annotate.OpenCreate)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		kept := 0
		err = s.EachDocument(ctx, nil, annotate.ReadText, func(d *annotate.AnnotatedDoc) error {
			kept++
			if d.SHA256 != annotate.Hash(d.Text) {
				t.Errorf("round %d: document %s is not whole", round, d.Name)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Importing again brings in exactly what is missing.
		sum, err := Import(ctx, s, []string{dir}, nil, nil)
		total, _ := s.CountDocuments(ctx)
		s.Close()
		if err != nil || sum.Imported != n-kept || sum.Duplicates != kept || total != n {
			t.Errorf("round %d: %d kept, then %+v (%v), %d in all", round, kept, sum, err, total)
		}
	}
}

func TestCrashDuringEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	ctx := context.Background()
	for round := range 6 {
		path := filepath.Join(t.TempDir(), "p.qalam")
		s, err := stores.Open(ctx, path, annotate.OpenCreate)
		if err != nil {
			t.Fatal(err)
		}
		im, _ := s.NewImporter(ctx)
		// Room for 7,000 edits, many more than 1.5 s allows.
		doc, _, _ := im.Add(annotate.NewDocument("d", strings.Repeat("ستيف ويتكوف في واشنطن ", 1000), nil))
		im.Close()
		s.Close()
		last := killed(t, rng, "edit", path, strconv.FormatInt(doc, 10), 1500*time.Millisecond)
		sound(t, path)
		s, err = stores.Open(ctx, path, annotate.OpenExisting)
		if err != nil {
			t.Fatal(err)
		}
		spans, err := s.Spans(ctx, doc, "crash")
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		// What the edits up to the last reported, or one more (committed
		// but not reported before the kill), leave.
		want := func(k int) int {
			n := 0
			for i := 0; i <= k; i++ {
				if _, del := editOp(i); del {
					n--
				} else {
					n++
				}
			}
			return n
		}
		if len(spans) != want(last) && len(spans) != want(last+1) {
			t.Errorf("round %d: %d spans after %d edits reported saved, want %d (or %d)", round, len(spans), last+1, want(last), want(last+1))
		}
	}
}

func TestCrashDuringExport(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, uint64(time.Now().UnixNano())))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.qalam")
	s, err := stores.Open(ctx, path, annotate.OpenCreate)
	if err != nil {
		t.Fatal(err)
	}
	ai, _ := s.NewAnnotationImporter(ctx)
	for i := range 3000 {
		d, _, _ := ai.Document(annotate.NewDocument(strconv.Itoa(i), "ستيف ويتكوف في واشنطن "+strconv.Itoa(i), nil))
		ai.Add(d.ID, "crash", []annotate.Span{{Start: 0, End: 11, Label: "PERSON"}}, annotate.Done)
	}
	ai.Close()
	s.Close()
	out := filepath.Join(t.TempDir(), "out.jsonl")
	for round := range 5 {
		killed(t, rng, "export", path, out, 2*time.Second)
		b, err := os.ReadFile(out)
		if os.IsNotExist(err) {
			continue // killed before the first export was complete
		}
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(string(b), "\n"); lines != 3000 {
			t.Errorf("round %d: the export holds %d lines of 3000: a part of a file under its name", round, lines)
		}
	}
	sound(t, path)
}
