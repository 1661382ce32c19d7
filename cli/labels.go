package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

func runLabels(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("labels")
	color := fs.String("color", "", "add: the label's colour, `#rrggbb`")
	hotkey := fs.String("hotkey", "", "add: the label's `KEY`")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	var action func(context.Context, labelStore) error
	switch {
	case len(rest) == 0:
	case rest[0] == "add" && len(rest) == 2:
		l := annotate.Label{Name: rest[1], Color: *color, Hotkey: *hotkey}
		action = func(ctx context.Context, s labelStore) error { return s.AddLabel(ctx, l) }
	case rest[0] == "rename" && len(rest) == 3:
		action = func(ctx context.Context, s labelStore) error { return s.RenameLabel(ctx, rest[1], rest[2]) }
	default:
		return usageError(env, "labels: want no action, add NAME or rename OLD NEW")
	}
	if action == nil && (*color != "" || *hotkey != "") {
		return usageError(env, "labels: --color and --hotkey go with add")
	}
	var s annotate.Store
	var code int
	outcome := func(err error) error { return err }
	if action == nil {
		r, code := openToRead(ctx, env, *db)
		if r == nil {
			return code
		}
		s, outcome = r, r.Outcome
	} else if s, code = openProject(ctx, env, *db, project.Existing); s == nil {
		return code
	}
	defer s.Close()
	if action != nil {
		if err := action(ctx, s); err != nil {
			if errors.Is(err, annotate.ErrNotFound) {
				err = fmt.Errorf("%w: %w", errUsage, err)
			}
			return fail(env, err)
		}
	}
	labels, err := s.Labels(ctx)
	if err := outcome(err); err != nil {
		return fail(env, err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "label\tcolour\thotkey\tspans")
	for _, l := range labels {
		n, err := s.LabelUsage(ctx, l.Name)
		if err := outcome(err); err != nil {
			return fail(env, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", l.Name, l.Color, l.Hotkey, n)
	}
	if err := outcome(nil); err != nil {
		return fail(env, err)
	}
	return exitOn(env, tw.Flush())
}

type labelStore interface {
	AddLabel(ctx context.Context, l annotate.Label) error
	RenameLabel(ctx context.Context, old, new string) error
}
