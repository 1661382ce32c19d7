package sqlite

import (
	"context"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// timeLayout is how the schema's columns hold times (UTC).
const timeLayout = "2006-01-02T15:04:05.000Z"

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// formatTime writes t as the schema's columns hold times; the zero time
// is now.
func formatTime(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format(timeLayout)
}

// Stats counts documents, spans per label per layer and statuses per layer.
func (s *Store) Stats(ctx context.Context) (_ *annotate.Stats, err error) {
	defer wrap(&err, "count the project's work")
	st := &annotate.Stats{Layers: map[string]*annotate.LayerStats{}, Labels: map[string]int{}}
	if st.Documents, err = s.CountDocuments(ctx); err != nil {
		return nil, err
	}
	layers, err := s.Layers(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range layers {
		ls := &annotate.LayerStats{Kind: l.Kind, Labels: map[string]int{}}
		if ls.Status, err = s.CountStatus(ctx, l.Name); err != nil {
			return nil, err
		}
		st.Layers[l.Name] = ls
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range labels {
		st.Labels[l.Name] = 0
	}
	rows, err := s.db.QueryContext(ctx, `SELECT ly.name, l.name, count(*) FROM spans sp
		JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		GROUP BY sp.layer_id, sp.label_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var layer, label string
		var n int
		if err := rows.Scan(&layer, &label, &n); err != nil {
			return nil, err
		}
		if ls := st.Layers[layer]; ls != nil {
			ls.Labels[label] += n
			ls.Spans += n
		}
		st.Labels[label] += n
	}
	return st, rows.Err()
}
