package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/qalam-annotate/qalam/annotate"
)

// Live updates: the schema's triggers announce every committed change on
// the channel qalam (see migrations/001_init.sql); Watch listens on a
// connection of its own.

// How often an idle listening connection is checked, and how long the
// check may take before the server counts as gone.
var (
	watchPing    = 2 * time.Second
	watchTimeout = 2 * time.Second
)

// Watch calls fn for each change committed to the project, and with
// annotate.Offline and annotate.Online as the connection to the server is
// lost and found again (it reconnects by itself, every second or so),
// until ctx is cancelled. It returns once it is listening.
func (s *Store) Watch(ctx context.Context, fn func(annotate.Change)) error {
	conn, err := s.listen(ctx)
	if err != nil {
		return err
	}
	go s.watch(ctx, conn, fn)
	return nil
}

func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, wrap(err)
	}
	if _, err := conn.Exec(ctx, `LISTEN qalam`); err != nil {
		conn.Close(context.Background())
		return nil, wrap(err)
	}
	return conn, nil
}

func (s *Store) watch(ctx context.Context, conn *pgx.Conn, fn func(annotate.Change)) {
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for {
		wait, cancel := context.WithTimeout(ctx, watchPing)
		n, err := conn.WaitForNotification(wait)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			if ch, ok := s.change(ctx, n.Payload); ok {
				fn(ch)
			}
			continue
		}
		if errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed() {
			// Idle: make sure the server is still there.
			ping, cancel := context.WithTimeout(ctx, watchTimeout)
			err = conn.Ping(ping)
			cancel()
			if err == nil || ctx.Err() != nil {
				continue
			}
		}
		conn.Close(context.Background())
		conn = nil
		fn(annotate.Change{Kind: annotate.Offline})
		for conn == nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			try, cancel := context.WithTimeout(ctx, watchTimeout)
			conn, _ = s.listen(try)
			cancel()
		}
		s.forgetLayers()
		// The pool's connections died with the server: drop them, so
		// that the next query does not find a dead one first.
		s.pool.Reset()
		fn(annotate.Change{Kind: annotate.Online})
	}
}

// change reads a notification's payload: KIND LAYER_ID DOC_ID.
func (s *Store) change(ctx context.Context, payload string) (annotate.Change, bool) {
	f := strings.Fields(payload)
	if len(f) != 3 {
		return annotate.Change{}, false
	}
	layerID, err1 := strconv.ParseInt(f[1], 10, 64)
	docID, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		return annotate.Change{}, false
	}
	kinds := map[string]annotate.ChangeKind{
		"spans": annotate.ChangedSpans, "status": annotate.ChangedStatus, "edits": annotate.ChangedSettled,
		"comments": annotate.ChangedComments, "labels": annotate.ChangedLabels, "settings": annotate.ChangedSettings,
		"documents": annotate.ChangedDocuments, "assignments": annotate.ChangedAssignments, "layers": annotate.ChangedLayers,
	}
	kind, ok := kinds[f[0]]
	if !ok {
		return annotate.Change{}, false
	}
	if kind == annotate.ChangedLayers {
		s.forgetLayers()
	}
	ch := annotate.Change{Kind: kind, DocID: docID}
	if layerID != 0 {
		ch.Layer = s.layerName(ctx, layerID)
	}
	return ch, true
}
