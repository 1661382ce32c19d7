package migrations

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestReadOrdersByNumber(t *testing.T) {
	fsys := fstest.MapFS{
		"m/010_ten.sql":  {Data: []byte("ten")},
		"m/9_nine.sql":   {Data: []byte("nine")},
		"m/001_init.sql": {Data: []byte("CREATE TABLE t (x)")},
		"other/5_x.sql":  {Data: []byte("not read")},
	}
	ms, err := Read(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []Migration{{1, "001_init.sql", "CREATE TABLE t (x)"}, {9, "9_nine.sql", "nine"}, {10, "010_ten.sql", "ten"}}
	if !reflect.DeepEqual(ms, want) {
		t.Errorf("got %+v, want %+v", ms, want)
	}
}

func TestReadRefusesAName(t *testing.T) {
	for _, name := range []string{"init.sql", "x1_init.sql", "001-init.sql"} {
		_, err := Read(fstest.MapFS{"m/001_init.sql": {}, "m/" + name: {}}, "m")
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}

func TestReadMissingFolder(t *testing.T) {
	if _, err := Read(fstest.MapFS{}, "m"); err == nil {
		t.Error("no error for a folder that does not exist")
	}
}
