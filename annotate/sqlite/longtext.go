package sqlite

/*
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_blob sqlite3_blob;
int sqlite3_blob_open(sqlite3 *, const char *, const char *, const char *, long long, int, sqlite3_blob **);
int sqlite3_blob_bytes(sqlite3_blob *);
int sqlite3_blob_read(sqlite3_blob *, void *, int, int);
int sqlite3_blob_close(sqlite3_blob *);
const char *sqlite3_errmsg(sqlite3 *);

static int open_text(sqlite3 *db, long long id, sqlite3_blob **blob) {
	return sqlite3_blob_open(db, "main", "documents", "text", id, 0, blob);
}
*/
import "C"

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/internal/hugepages"
)

// longText is the size from which a document's text is read straight
// into a buffer of its own (readText) rather than through a query.
//
// A query copies a text twice: SQLite gathers it from its pages into a
// buffer of its own, then the driver copies that into Go's memory. Both
// are memory touched for the first time, a page fault every 4 KiB: in a
// virtual machine, where a fault costs about 10 µs, a hundred megabytes
// took 0.8-2 s to read, and the app's window waited for it. Read
// directly, onto huge pages, it takes 0.1-0.3 s.
const longText = hugepages.Min

// document reads the document where holds (arg its parameter).
func (s *Store) document(ctx context.Context, where string, arg any) (annotate.Document, error) {
	// Texts shorter than longText come with the row; octet_length
	// reads a text's size without reading the text.
	q := `SELECT id, name, sha256, length, meta,
		CASE WHEN octet_length(text) < ` + strconv.Itoa(longText) + ` THEN text END FROM documents WHERE ` + where
	d, hasText, err := scanDocument(s.db.QueryRowContext(ctx, q, arg))
	if err != nil || hasText {
		return d, err
	}
	// The row and the text are read in one transaction: a document
	// deleted meanwhile, and another given its id, would otherwise pair
	// one's name with the other's text.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return d, err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil { // deferred: it reads
		conn.Close()
		return d, err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			discard(conn) // left in its transaction, it must not serve again
			return
		}
		conn.Close()
	}()
	if d, hasText, err = scanDocument(conn.QueryRowContext(ctx, q, arg)); err != nil || hasText {
		return d, err
	}
	err = conn.Raw(func(dc any) error {
		d.Text, err = readText(dc, d.ID, -1)
		return err
	})
	return d, err
}

// readText reads the text of document id on the driver's
// connection dc with SQLite's incremental reading (sqlite3_blob_read):
// from the file's pages straight into the buffer that becomes the
// string. It reads the first limit bytes of the text when limit is not
// negative (the last code point may be cut), all of it when it is.
func readText(dc any, id int64, limit int) (string, error) {
	db, err := handle(dc)
	if err != nil {
		return "", err
	}
	var blob *C.sqlite3_blob
	if rc := C.open_text(db, C.longlong(id), &blob); rc != 0 {
		return "", fmt.Errorf("read the text: %s (SQLite error %d)", C.GoString(C.sqlite3_errmsg(db)), rc)
	}
	defer C.sqlite3_blob_close(blob)
	size := int(C.sqlite3_blob_bytes(blob))
	if limit >= 0 {
		size = min(size, limit)
	}
	buf, err := hugepages.Fill(size, func(b []byte) error {
		if rc := C.sqlite3_blob_read(blob, unsafe.Pointer(unsafe.SliceData(b)), C.int(len(b)), 0); rc != 0 {
			return fmt.Errorf("read the text: %s (SQLite error %d)", C.GoString(C.sqlite3_errmsg(db)), rc)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	// buf is the string's alone, and never written again.
	return unsafe.String(unsafe.SliceData(buf), len(buf)), nil
}

// TextHead is the start of document id's text: its first n code points.
// It reads four bytes a code point at most, with SQLite's incremental
// reading: the text's first pages, not all of them.
func (s *Store) TextHead(ctx context.Context, id int64, n int) (_ string, err error) {
	defer wrap(&err, "read the start of document %d", id)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var head string
	err = conn.Raw(func(dc any) error {
		text, err := readText(dc, id, 4*min(max(n, 0), math.MaxInt/4))
		head = annotate.Head(text, n)
		return err
	})
	if err != nil {
		// SQLite says "no such rowid" for a document that is not there.
		var one int
		if errors.Is(conn.QueryRowContext(ctx, `SELECT 1 FROM documents WHERE id = ?`, id).Scan(&one), sql.ErrNoRows) {
			return "", fmt.Errorf("document: %w", annotate.ErrNotFound)
		}
	}
	return head, err
}

// handle is the SQLite connection under the driver's: go-sqlite3 keeps it
// in an unexported field, and offers no incremental reading of its own.
// A version of the driver that keeps it otherwise fails here, and the
// store's tests with it.
func handle(dc any) (*C.sqlite3, error) {
	v := reflect.ValueOf(dc)
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
		f := v.Elem().FieldByName("db")
		if f.IsValid() && f.Kind() == reflect.Pointer && f.Type().Elem().Name() == "_Ctype_struct_sqlite3" && !f.IsNil() {
			return (*C.sqlite3)(f.UnsafePointer()), nil
		}
	}
	return nil, fmt.Errorf("read the text: the driver's connection %T has no SQLite connection where Qalam looks for it", dc)
}
