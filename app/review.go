package app

import (
	"context"
	"slices"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/project"
)

// Review → Agreement… and Review → Adjudicate: a reviewer is a person
// using the same app. The agreement dashboard (dashboard.go) measures the
// compared layers over the project in the background; the adjudication
// window (adjudicate.go) settles one document's stretches into gold.

// reviewLayers are the layers compared by default: every annotator's.
func reviewLayers(ctx context.Context, s annotate.DocumentReader) ([]string, error) {
	return project.AgreementLayers(ctx, s)
}

// reviewer holds a workspace's review windows.
type reviewer struct {
	layers []string // the layers compared, as last chosen; nil: the default
	dash   *dashboard
	adj    *adjudicator
}

func (ws *Workspace) reviewState() *reviewer {
	if ws.review == nil {
		ws.review = &reviewer{}
	}
	return ws.review
}

// comparedLayers are the layers the reviewer chose, or every annotator's.
func (ws *Workspace) comparedLayers() ([]string, error) {
	rv := ws.reviewState()
	all, err := reviewLayers(ws.ctx, ws.Store)
	if err != nil {
		return nil, err
	}
	if rv.layers == nil {
		return all, nil
	}
	var out []string
	for _, l := range rv.layers {
		if slices.Contains(all, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// closeReview closes the review windows (the project closes or changes).
func (ws *Workspace) closeReview() {
	if ws.review == nil {
		return
	}
	if d := ws.review.dash; d != nil {
		d.win.Close()
	}
	if a := ws.review.adj; a != nil {
		a.win.Close()
	}
	ws.review = nil
}
