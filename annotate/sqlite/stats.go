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
	rows, err := s.db.QueryContext(ctx, `SELECT ly.name, l.name, count(*) FROM spans sp
		JOIN layers ly ON ly.id = sp.layer_id JOIN labels l ON l.id = sp.label_id
		GROUP BY sp.layer_id, sp.label_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var counts []annotate.SpanCount
	for rows.Next() {
		var c annotate.SpanCount
		if err := rows.Scan(&c.Layer, &c.Label, &c.Spans); err != nil {
			return nil, err
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return annotate.NewStats(ctx, s, counts)
}
