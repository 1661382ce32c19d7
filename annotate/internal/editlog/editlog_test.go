package editlog

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/qalam-annotate/qalam/annotate"
)

// logged is an edit as project files and team projects hold it in their
// logs: the format must read back unchanged, whatever Go's names become.
const logged = `[{"op":"insert","span":{"id":7,"label":2,"start":0,"end":5,"origin":"manual"}},` +
	`{"op":"delete","span":{"id":3,"label":1,"start":9,"end":12,"origin":"accepted"}},` +
	`{"op":"update","span":{"id":4,"label":3,"start":20,"end":25,"origin":"manual"},"before":{"id":4,"label":1,"start":20,"end":24,"origin":"manual"}},` +
	`{"op":"status","status":{"status":"done","flagged":true}},` +
	`{"op":"status","status":{"status":"in_progress","flagged":false},"was":{"status":"done","flagged":true}},` +
	`{"op":"reject","suggestion":11},{"op":"restore","suggestion":12}]`

func TestFormat(t *testing.T) {
	var ops []Op
	if err := json.Unmarshal([]byte(logged), &ops); err != nil {
		t.Fatal(err)
	}
	want := []Op{
		{Op: "insert", Span: &SpanRow{ID: 7, LabelID: 2, Start: 0, End: 5, Origin: "manual"}},
		{Op: "delete", Span: &SpanRow{ID: 3, LabelID: 1, Start: 9, End: 12, Origin: "accepted"}},
		{Op: "update", Span: &SpanRow{ID: 4, LabelID: 3, Start: 20, End: 25, Origin: "manual"}, Before: &SpanRow{ID: 4, LabelID: 1, Start: 20, End: 24, Origin: "manual"}},
		{Op: "status", Status: &StatusRow{Status: annotate.Done, Flagged: true}},
		{Op: "status", Status: &StatusRow{Status: annotate.InProgress}, Was: &StatusRow{Status: annotate.Done, Flagged: true}},
		{Op: "reject", Suggestion: 11},
		{Op: "restore", Suggestion: 12},
	}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("read %+v, want %+v", ops, want)
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != logged {
		t.Errorf("wrote\n%s\nwant\n%s", b, logged)
	}
}

func TestSteps(t *testing.T) {
	var ops []Op
	if err := json.Unmarshal([]byte(logged), &ops); err != nil {
		t.Fatal(err)
	}
	if got := Steps(ops, false); !reflect.DeepEqual(got, ops) {
		t.Errorf("redo: %+v, want the ops as logged", got)
	}
	undo := Steps(ops, true)
	wantKinds := []string{"reject", "restore", "status", "status", "update", "insert", "delete"}
	for i, o := range undo {
		if o.Op != wantKinds[i] {
			t.Errorf("undo step %d is %q, want %q", i, o.Op, wantKinds[i])
		}
		// Reversing the reversal gives the logged operation back.
		if back := o.Inverse(); !reflect.DeepEqual(back, ops[len(ops)-1-i]) {
			t.Errorf("undo step %d reversed is %+v, want %+v", i, back, ops[len(ops)-1-i])
		}
	}
	if u := undo[4]; u.Span.End != 24 || u.Before.End != 25 {
		t.Errorf("undoing an update: %+v %+v, want the span before as the span", u.Span, u.Before)
	}
	if u := undo[2]; u.Status.Status != annotate.Done || u.Was.Status != annotate.InProgress {
		t.Errorf("undoing a status: %+v, want the status before", u)
	}
	if u := undo[3]; u.Status != nil {
		t.Errorf("undoing the first status: %+v, want no status row", u.Status)
	}
	if o := (Op{Op: "bogus"}); !reflect.DeepEqual(o.Inverse(), o) {
		t.Errorf("an unknown op reversed is %+v, want itself (the store refuses it)", o.Inverse())
	}
}

func TestRejection(t *testing.T) {
	if o := Rejection(5, true); o != (Op{Op: "reject", Suggestion: 5}) {
		t.Errorf("Rejection(5, true) = %+v", o)
	}
	if o := Rejection(5, false); o != (Op{Op: "restore", Suggestion: 5}) {
		t.Errorf("Rejection(5, false) = %+v", o)
	}
}

func TestDraft(t *testing.T) {
	d := NewDraft("amal", 3)
	d.AddLabel(10, annotate.Label{Name: "PERSON", Hotkey: "1"})
	d.AddLabel(20, annotate.Label{Name: "PLACE", Hotkey: "2"})
	if len(d.Rules.Labels) != 2 || d.Rules.Labels[1].Name != "PLACE" {
		t.Fatalf("labels %+v", d.Rules.Labels)
	}
	if _, err := d.Row(annotate.Span{Label: "EVENT"}); !errors.Is(err, annotate.ErrUnknownLabel) {
		t.Errorf("a label the project lacks: %v, want ErrUnknownLabel", err)
	}
	r, err := d.NewRow(annotate.Span{Start: 10, End: 15, Label: "PLACE"})
	if err != nil {
		t.Fatal(err)
	}
	if r != (SpanRow{LabelID: 20, Start: 10, End: 15, Origin: "manual"}) {
		t.Errorf("new row %+v", r)
	}
	r.ID = 100
	sp := d.Inserted(r)
	if sp != (annotate.Span{ID: 100, DocID: 3, Layer: "amal", Start: 10, End: 15, Label: "PLACE", Origin: annotate.Manual}) {
		t.Errorf("inserted %+v", sp)
	}
	d.Inserted(SpanRow{ID: 101, LabelID: 10, Start: 0, End: 4, Origin: "accepted"})
	d.Inserted(SpanRow{ID: 102, LabelID: 10, Start: 10, End: 15})
	spans := func() (out [][2]int64) {
		for _, s := range d.Spans {
			out = append(out, [2]int64{s.ID, int64(s.Start)})
		}
		return out
	}
	if got, want := spans(), [][2]int64{{101, 0}, {100, 10}, {102, 10}}; !reflect.DeepEqual(got, want) {
		t.Errorf("spans %v, want %v in text order", got, want)
	}

	i, before, err := d.Find(100)
	if err != nil || i != 1 || before.LabelID != 20 {
		t.Fatalf("Find(100) = %d, %+v, %v", i, before, err)
	}
	after := before
	after.Start, after.LabelID = 30, 10
	d.Updated(i, before, after)
	if got, want := spans(), [][2]int64{{101, 0}, {102, 10}, {100, 30}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the update: spans %v, want %v", got, want)
	}
	if d.Spans[2].Label != "PERSON" {
		t.Errorf("updated span %+v, want PERSON", d.Spans[2])
	}
	i, r, err = d.Find(101)
	if err != nil {
		t.Fatal(err)
	}
	d.Deleted(i, r)
	if got, want := spans(), [][2]int64{{102, 10}, {100, 30}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the delete: spans %v, want %v", got, want)
	}
	if _, _, err := d.Find(101); !errors.Is(err, annotate.ErrNotFound) {
		t.Errorf("Find of a deleted span: %v, want ErrNotFound", err)
	}

	if st, ok := d.State(); ok || st.Status != annotate.Todo {
		t.Errorf("state before any: %+v %v, want todo, not set", st, ok)
	}
	done := &StatusRow{Status: annotate.Done}
	d.StatusSet(done)
	d.StatusSet(&StatusRow{Status: annotate.Done, Flagged: true})
	if st, ok := d.State(); !ok || st != (annotate.DocState{Status: annotate.Done, Flagged: true}) {
		t.Errorf("state %+v %v", st, ok)
	}

	kinds := make([]string, len(d.Ops))
	for i, o := range d.Ops {
		kinds[i] = o.Op
	}
	if want := []string{"insert", "insert", "insert", "update", "delete", "status", "status"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("ops %v, want %v", kinds, want)
	}
	if o := d.Ops[3]; o.Before.Start != 10 || o.Span.Start != 30 {
		t.Errorf("update logged as %+v %+v", o.Before, o.Span)
	}
	if o := d.Ops[4]; o.Span.ID != 101 || o.Span.Origin != "accepted" {
		t.Errorf("delete logged as %+v, want the span's whole row", o.Span)
	}
	if d.Ops[5].Was != nil || d.Ops[6].Was != done {
		t.Errorf("status ops were %+v and %+v, want none and the first status", d.Ops[5].Was, d.Ops[6].Was)
	}
}
