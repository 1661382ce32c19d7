package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/project"
)

func runImport(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("import")
	quiet := fs.Bool("quiet", false, "print only problems and the summary")
	paths, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(paths) == 0 {
		return usageError(env, "import: give at least one file or folder")
	}
	s, ok := openProject(ctx, env, *db)
	if !ok {
		return ExitUsage
	}
	defer s.Close()

	var bar *progressBar
	if env.Terminal && !*quiet {
		_, total := articles.Size(paths)
		bar = newProgressBar(env.Stderr, total)
	}
	report := func(it articles.Item) {
		bar.clear()
		if it.Err != nil {
			fmt.Fprintf(env.Stderr, "rejected %s: %v\n", it.Where(), it.Err)
		} else if !*quiet {
			fmt.Fprintf(env.Stderr, "skipped %s: not a .txt or .jsonl file\n", it.Path)
		}
	}
	sum, err := project.Import(ctx, s, paths, report, bar.set)
	bar.clear()
	fmt.Fprintf(env.Stdout, "imported %d, duplicates %d, rejected %d, skipped %d\n", sum.Imported, sum.Duplicates, sum.Rejected, sum.Skipped)
	if err != nil {
		return fail(env, err)
	}
	if sum.Rejected > 0 {
		return ExitRejected
	}
	return ExitOK
}

// progressBar draws one line on a terminal, at most ten times a second.
// A nil bar draws nothing.
type progressBar struct {
	w     io.Writer
	total int64
	mu    sync.Mutex
	last  time.Time
	shown bool
}

func newProgressBar(w io.Writer, total int64) *progressBar {
	return &progressBar{w: w, total: max(total, 1)}
}

func (b *progressBar) set(done int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now := time.Now(); now.Sub(b.last) >= 100*time.Millisecond || done >= b.total {
		b.last = now
		frac := min(float64(done)/float64(b.total), 1)
		const width = 40
		n := int(frac * width)
		fmt.Fprintf(b.w, "\r[%s%s] %3.0f%% %s", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, mib(done))
		b.shown = true
	}
}

func (b *progressBar) clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprint(b.w, "\r\033[K")
		b.shown = false
		b.last = time.Time{}
	}
}

func mib(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
