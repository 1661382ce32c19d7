package export

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// blockingSource gives one document, then waits for ever: an export
// stopped in the middle.
type blockingSource struct{ *memSource }

func (b blockingSource) EachDocument(ctx context.Context, layers []string, read annotate.Reading, fn func(*annotate.AnnotatedDoc) error) error {
	if err := b.memSource.EachDocument(ctx, layers, read, fn); err != nil || read&annotate.ReadText == 0 {
		return err
	}
	<-ctx.Done()
	select {}
}

// TestHelperExportForever is run by TestKilledExportCleanedUp in a process
// of its own, which it kills.
func TestHelperExportForever(t *testing.T) {
	out := os.Getenv("QALAM_EXPORT_FOREVER")
	if out == "" {
		t.Skip("run by TestKilledExportCleanedUp")
	}
	Export(context.Background(), blockingSource{fixture()}, Options{Format: "jsonl", Output: out, Layer: "ali"}, nil)
}

// An export killed with SIGKILL leaves its temporary file; the next export
// to the same folder removes it (and leaves a running export's alone).
func TestKilledExportCleanedUp(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperExportForever$")
	cmd.Env = append(os.Environ(), "QALAM_EXPORT_FOREVER="+out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var tmp []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(tmp) == 0; time.Sleep(20 * time.Millisecond) {
		tmp, _ = filepath.Glob(filepath.Join(dir, ".out.jsonl.*.tmp"))
	}
	if len(tmp) != 1 {
		cmd.Process.Kill()
		t.Fatalf("the helper wrote no temporary file: %q", tmp)
	}
	// A running export's file stays.
	exportFrom(t, fixture(), Options{Format: "jsonl", Output: filepath.Join(dir, "other.jsonl"), Layer: "ali"})
	if _, err := os.Stat(tmp[0]); err != nil {
		t.Errorf("a running export's temporary file was removed: %v", err)
	}
	cmd.Process.Kill() // SIGKILL: no clean-up runs
	cmd.Wait()
	if _, err := os.Stat(tmp[0]); err != nil {
		t.Fatalf("the killed export left nothing to clean: %v", err)
	}
	exportFrom(t, fixture(), Options{Format: "jsonl", Output: filepath.Join(dir, "again.jsonl"), Layer: "ali"})
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) != 0 {
		t.Errorf("left behind: %q", left)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "again.jsonl other.jsonl" {
		t.Errorf("folder holds %q", names)
	}
}
