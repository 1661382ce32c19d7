package sqlite

import (
	"context"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
)

// timeLayout is how the schema's columns hold times (UTC).
const timeLayout = "2006-01-02T15:04:05.000Z"

func parseTime(s string) time.Time {
	// The layout's fixed columns read by hand: time.Parse took a tenth of
	// reading a project's statuses.
	if len(s) == len(timeLayout) && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[23] == 'Z' {
		n := func(from, to int) int {
			v := 0
			for _, c := range []byte(s[from:to]) {
				if c < '0' || c > '9' {
					return -1
				}
				v = v*10 + int(c-'0')
			}
			return v
		}
		y, mo, d, h, mi, sec, ms := n(0, 4), n(5, 7), n(8, 10), n(11, 13), n(14, 16), n(17, 19), n(20, 23)
		if min(y, mo, d, h, mi, sec, ms) >= 0 && mo >= 1 && mo <= 12 && h < 24 && mi < 60 && sec < 60 {
			t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
			if t.Day() == d { // not a day the month lacks, which time.Date would carry over
				return t
			}
		}
	}
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
