package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// textOf is Arabic news of exactly size bytes: the letters take two
// bytes each, so that sizes fall between the halves of a word, padded
// with spaces to the byte.
func textOf(size int) string {
	const news = "خبر عن تونس: وصل الوفد إلى صفاقس. "
	s := strings.Repeat(news, size/len(news))
	return s + strings.Repeat(" ", size-len(s))
}

// TestLongTexts: texts on either side of longText, which are read apart
// from their rows, come back byte for byte with their rows, by id and by
// hash; and no read leaves a connection in its transaction.
func TestLongTexts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	im, err := s.NewImporter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []annotate.Document
	for i, size := range []int{100, longText - 1, longText, longText + 1, 3*longText + 7} {
		d := annotate.NewDocument(fmt.Sprint("news ", i), textOf(size), json.RawMessage(fmt.Sprintf(`{"size":%d}`, size)))
		if d.ID, _, err = im.Add(d); err != nil {
			t.Fatal(err)
		}
		want = append(want, d)
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		byID, err := s.Document(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.TextSize(ctx, w.ID); n != len(w.Text) || err != nil {
			t.Errorf("%s: size %d, %v; want %d", w.Name, n, err, len(w.Text))
		}
		byHash, err := s.DocumentByHash(ctx, w.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		for how, got := range map[string]annotate.Document{"by id": byID, "by hash": byHash} {
			if got.Text != w.Text {
				t.Errorf("%s, read %s: %d bytes, not the %d imported", w.Name, how, len(got.Text), len(w.Text))
			}
			g, ww := got, w
			g.Text, ww.Text = "", ""
			if !reflect.DeepEqual(g, ww) {
				t.Errorf("%s, read %s, but for its text:\n got %+v\nwant %+v", w.Name, how, g, ww)
			}
		}
	}
	if _, err := s.Document(ctx, want[len(want)-1].ID+1); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("a document not there: %v", err)
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Document(canceled, want[len(want)-1].ID); !errors.Is(err, context.Canceled) {
		t.Errorf("a read canceled: %v", err)
	}
	// A connection left in a read transaction would hold the log: it
	// could not start over.
	if _, err := s.db.ExecContext(ctx, `UPDATE documents SET meta = NULL WHERE id = ?`, want[0].ID); err != nil {
		t.Fatal(err)
	}
	var busy, log, copied int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &copied); err != nil || busy != 0 {
		t.Errorf("the log could not start over after the reads (busy %d, %v)", busy, err)
	}
}

// BenchmarkDocument reads one document of each size, its text as a
// string: an article, a megabyte, and a book of a hundred megabytes.
func BenchmarkDocument(b *testing.B) {
	for _, size := range []int{8 << 10, 1 << 20, 100 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			ctx := context.Background()
			s, _ := openTemp(b)
			im, err := s.NewImporter(ctx)
			if err != nil {
				b.Fatal(err)
			}
			id, _, err := im.Add(annotate.NewDocument("book", textOf(size), nil))
			if err != nil {
				b.Fatal(err)
			}
			if err := im.Close(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				if d, err := s.Document(ctx, id); err != nil || len(d.Text) != size {
					b.Fatalf("%d bytes, %v", len(d.Text), err)
				}
			}
		})
	}
}
