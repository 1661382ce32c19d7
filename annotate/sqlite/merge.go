package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/qalam-annotate/qalam/annotate"
)

// MergeConflictError lists the layers a merge refused because the target
// already holds different work under the same name.
type MergeConflictError struct {
	Source string
	Layers []string
}

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("%s: layer %s already exists here with different content; nothing was merged (bring it in under another name with --as %s=NEWNAME)",
		e.Source, strings.Join(e.Layers, ", "), e.Layers[0])
}

// MergeSummary counts what a merge brought in.
type MergeSummary struct {
	Documents int      // documents the target lacked
	Layers    []string // layers copied (by their name in the target)
	Unchanged []string // layers the target already held identically
	Spans     int
	Statuses  int
	Comments  int
	Labels    []string // labels the target lacked
}

// Merge brings the layers of another project into this one: documents are
// matched by their text (those missing are added), then each layer's spans,
// statuses and comments are copied. A layer the target holds with the same
// content is left as it is, so merging twice changes nothing; a layer the
// target holds with different content is refused (a *MergeConflictError)
// and nothing at all is written. rename maps source layer names to the
// names they take here.
func (s *Store) Merge(ctx context.Context, src *Store, rename map[string]string) (MergeSummary, error) {
	var sum MergeSummary
	layers, err := src.Layers(ctx)
	if err != nil {
		return sum, err
	}
	for from := range rename {
		found := false
		for _, l := range layers {
			found = found || l.Name == from
		}
		if !found {
			return sum, fmt.Errorf("%s has no layer %q to rename", src.Path(), from)
		}
	}
	target := func(name string) string {
		if to, ok := rename[name]; ok {
			return to
		}
		return name
	}
	copyLayers := []string{} // source names; empty, not nil: EachDocument reads no layer then
	var conflicts []string
	for _, l := range layers {
		to := target(l.Name)
		if err := annotate.ValidateLayerName(to); err != nil {
			return sum, err
		}
		if annotate.KindOf(to) != l.Kind {
			return sum, fmt.Errorf("layer %s cannot be renamed to %s: the two are of different kinds", l.Name, to)
		}
		theirs, err := layerDigest(ctx, src.db, l.Name)
		if err != nil {
			return sum, err
		}
		ours, err := layerDigest(ctx, s.db, to)
		if err != nil {
			return sum, err
		}
		switch {
		case ours == theirs:
			sum.Unchanged = append(sum.Unchanged, to)
		case ours == emptyDigest:
			copyLayers = append(copyLayers, l.Name)
		default:
			conflicts = append(conflicts, l.Name)
		}
	}
	if len(conflicts) > 0 {
		return sum, &MergeConflictError{Source: src.Path(), Layers: conflicts}
	}
	srcLabels, err := src.Labels(ctx)
	if err != nil {
		return sum, err
	}

	err = s.inTx(ctx, func(tx *sql.Tx) error {
		ours, err := queryLabels(ctx, tx)
		if err != nil {
			return err
		}
		for _, l := range srcLabels {
			if _, ok := ours.Find(l.Name); ok {
				continue
			}
			if _, taken := ours.ByHotkey(l.Hotkey); taken {
				l.Hotkey = ""
			}
			if err := addLabel(ctx, tx, l); err != nil {
				return err
			}
			ours = append(ours, l)
			sum.Labels = append(sum.Labels, l.Name)
		}
		labelIDs := map[string]int64{}
		rows, err := tx.QueryContext(ctx, `SELECT id, name FROM labels`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var name string
			rows.Scan(&id, &name)
			labelIDs[name] = id
		}
		rows.Close()
		layerIDs := map[string]int64{}
		for _, name := range copyLayers {
			if layerIDs[name], err = s.layerID(ctx, tx, target(name)); err != nil {
				return err
			}
			sum.Layers = append(sum.Layers, target(name))
		}
		comments, err := srcComments(ctx, src, copyLayers)
		if err != nil {
			return err
		}
		return src.EachDocument(ctx, copyLayers, true, func(d *annotate.AnnotatedDoc) error {
			var docID int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM documents WHERE sha256 = ?`, d.SHA256).Scan(&docID)
			if err == sql.ErrNoRows {
				var meta any
				if len(d.Meta) > 0 {
					meta = string(d.Meta)
				}
				res, err := tx.ExecContext(ctx, `INSERT INTO documents(name, text, sha256, length, meta) VALUES (?, ?, ?, ?, ?)`,
					d.Name, d.Text, d.SHA256, d.Length, meta)
				if err != nil {
					return err
				}
				if docID, err = res.LastInsertId(); err != nil {
					return err
				}
				sum.Documents++
			} else if err != nil {
				return err
			}
			for name, ld := range d.Layers {
				layerID := layerIDs[name]
				for _, sp := range ld.Spans {
					if _, err := tx.ExecContext(ctx, `INSERT INTO spans(doc_id, layer_id, label_id, start, end, origin) VALUES (?, ?, ?, ?, ?, ?)`,
						docID, layerID, labelIDs[sp.Label], sp.Start, sp.End, sp.Origin); err != nil {
						return err
					}
					sum.Spans++
				}
			}
			for _, c := range comments[d.ID] {
				if _, err := tx.ExecContext(ctx, `INSERT INTO comments(doc_id, layer_id, text, created_at) VALUES (?, ?, ?, ?)`,
					docID, layerIDs[c.layer], c.text, c.created); err != nil {
					return err
				}
				sum.Comments++
			}
			// Statuses, flags included, as the source has them.
			st, err := src.db.QueryContext(ctx, `SELECT ly.name, st.status, st.flagged, st.updated_at FROM doc_status st
				JOIN layers ly ON ly.id = st.layer_id WHERE st.doc_id = ?`, d.ID)
			if err != nil {
				return err
			}
			defer st.Close()
			for st.Next() {
				var layer, status, updated string
				var flagged bool
				if err := st.Scan(&layer, &status, &flagged, &updated); err != nil {
					return err
				}
				layerID, ok := layerIDs[layer]
				if !ok {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO doc_status(doc_id, layer_id, status, flagged, updated_at) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT(doc_id, layer_id) DO UPDATE SET status = excluded.status, flagged = excluded.flagged, updated_at = excluded.updated_at`,
					docID, layerID, status, flagged, updated); err != nil {
					return err
				}
				sum.Statuses++
			}
			return st.Err()
		})
	})
	if err != nil {
		return MergeSummary{}, err
	}
	for _, name := range copyLayers {
		s.rememberLayer(ctx, target(name))
	}
	sort.Strings(sum.Layers)
	sort.Strings(sum.Unchanged)
	return sum, nil
}

type srcComment struct{ layer, text, created string }

func srcComments(ctx context.Context, src *Store, layers []string) (map[int64][]srcComment, error) {
	out := map[int64][]srcComment{}
	for _, l := range layers {
		rows, err := src.db.QueryContext(ctx, `SELECT c.doc_id, c.text, c.created_at FROM comments c
			JOIN layers ly ON ly.id = c.layer_id WHERE ly.name = ? ORDER BY c.id`, l)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			c := srcComment{layer: l}
			if err := rows.Scan(&id, &c.text, &c.created); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], c)
		}
		rows.Close()
	}
	return out, nil
}

var emptyDigest = hex.EncodeToString(sha256.New().Sum(nil))

// layerDigest is a hash of everything a layer holds, keyed by document
// text rather than by id so that two projects can be compared: its spans,
// statuses, flags and comments. A missing layer has the empty digest.
func layerDigest(ctx context.Context, db *sql.DB, layer string) (string, error) {
	h := sha256.New()
	queries := []string{
		`SELECT d.sha256, sp.start, sp.end, l.name FROM spans sp JOIN documents d ON d.id = sp.doc_id
			JOIN labels l ON l.id = sp.label_id JOIN layers ly ON ly.id = sp.layer_id
			WHERE ly.name = ? ORDER BY d.sha256, sp.start, sp.end, l.name`,
		`SELECT d.sha256, st.status, st.flagged, '' FROM doc_status st JOIN documents d ON d.id = st.doc_id
			JOIN layers ly ON ly.id = st.layer_id WHERE ly.name = ? AND NOT (st.status = 'todo' AND st.flagged = 0)
			ORDER BY d.sha256`,
		`SELECT d.sha256, c.text, '', '' FROM comments c JOIN documents d ON d.id = c.doc_id
			JOIN layers ly ON ly.id = c.layer_id WHERE ly.name = ? ORDER BY d.sha256, c.text`,
	}
	for i, q := range queries {
		rows, err := db.QueryContext(ctx, q, layer)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var a, b, c, d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				rows.Close()
				return "", err
			}
			fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\n", i, a, b, c, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
