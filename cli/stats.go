package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/qalam-annotate/qalam/annotate"
)

func runStats(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("stats")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "stats: unexpected argument %q", rest[0])
	}
	s, code := openToRead(ctx, env, *db)
	if s == nil {
		return code
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err := s.Outcome(err); err != nil {
		return fail(env, err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(st); err != nil {
			return fail(env, err)
		}
		return ExitOK
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "%s in %s\n", plural(st.Documents, "document", "documents"), s.Location())
	if len(st.Layers) == 0 {
		fmt.Fprintln(env.Stdout, "no annotations yet")
		return ExitOK
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "layer\tkind\t")
	for _, l := range labels {
		fmt.Fprintf(tw, "%s\t", l.Name)
	}
	fmt.Fprint(tw, "spans\t")
	for _, status := range annotate.Statuses {
		fmt.Fprintf(tw, "%s\t", status)
	}
	fmt.Fprintln(tw)
	for _, name := range sortedKeys(st.Layers) {
		ls := st.Layers[name]
		fmt.Fprintf(tw, "%s\t%s\t", name, ls.Kind)
		for _, l := range labels {
			fmt.Fprintf(tw, "%d\t", ls.Labels[l.Name])
		}
		fmt.Fprintf(tw, "%d\t", ls.Spans)
		for _, status := range annotate.Statuses {
			fmt.Fprintf(tw, "%d\t", ls.Status[status])
		}
		fmt.Fprintln(tw)
	}
	return exitOn(env, tw.Flush())
}

func exitOn(env *Env, err error) int {
	if err != nil {
		return fail(env, err)
	}
	return ExitOK
}
