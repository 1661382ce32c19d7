package annotate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestLabelNames(t *testing.T) {
	good := []string{"PERSON", "B", "FASHION BRAND", "مكان", "شخص معروف", "GPE-ORG", "de.tud.Org_1", strings.Repeat("x", 64), "a" + strings.Repeat(" ", 62) + "b"}
	bad := []string{"", " PERSON", "PERSON ", "A\tB", "A\nB", "A\u00a0B", "A\u2028B", "A\u202eB", "\u200fمكان", "A\x00", "A\u0085B", "A\ufeffB", strings.Repeat("x", 65)}
	for _, n := range good {
		if err := (Label{Name: n}).Validate(); err != nil {
			t.Errorf("%q refused: %v", n, err)
		}
	}
	for _, n := range bad {
		if err := (Label{Name: n}).Validate(); err == nil {
			t.Errorf("%q accepted", n)
		}
	}
}

func TestLabelSetNewLabel(t *testing.T) {
	set := LabelSet(DefaultLabels())
	l, err := set.NewLabel(Label{Name: "ORG", Hotkey: "4"})
	if err != nil {
		t.Fatal(err)
	}
	if want := Palette[len(set)]; l.Color != want {
		t.Errorf("colour %q, want the palette's %q", l.Color, want)
	}
	if l, err := set.NewLabel(Label{Name: "ORG", Color: "#123456"}); err != nil || l.Color != "#123456" {
		t.Errorf("a colour given: %+v %v, want it kept", l, err)
	}
	full := make(LabelSet, len(Palette))
	for i := range full {
		full[i] = Label{Name: string(rune('A' + i))}
	}
	if l, err := full.NewLabel(Label{Name: "ZZ"}); err != nil || l.Color != Palette[0] {
		t.Errorf("after a whole palette: %+v %v, want its first colour again", l, err)
	}
	for _, bad := range []Label{{Name: "PERSON"}, {Name: "ORG", Hotkey: "1"}, {Name: " ORG"}, {Name: "ORG", Color: "red"}} {
		if _, err := set.NewLabel(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if !reflect.DeepEqual(set, LabelSet(DefaultLabels())) {
		t.Errorf("the set changed: %+v", set)
	}
}

func TestLabelSetReplace(t *testing.T) {
	set := LabelSet(DefaultLabels())
	person := set[0]
	out, err := set.Replace(person.Name, Label{Name: "NAME", Color: "#000000", Hotkey: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != (Label{Name: "NAME", Color: "#000000", Hotkey: "n"}) || !reflect.DeepEqual(out[1:], set[1:]) {
		t.Errorf("replaced: %+v", out)
	}
	if set[0] != person {
		t.Errorf("the set changed: %+v", set)
	}
	if out, err := set.Replace(person.Name, person); err != nil || !reflect.DeepEqual(out, set) {
		t.Errorf("replaced by itself: %+v %v", out, err)
	}
	if _, err := set.Replace("NOBODY", person); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "NOBODY") {
		t.Errorf("a label the set lacks: %v, want ErrNotFound naming it", err)
	}
	for _, bad := range []Label{set[1], {Name: "X", Hotkey: set[1].Hotkey}, {Name: ""}} {
		if _, err := set.Replace(person.Name, bad); err == nil {
			t.Errorf("%+v accepted in place of %s", bad, person.Name)
		}
	}
}

func TestValidateNewLayer(t *testing.T) {
	for _, good := range []string{"amal", Gold, OwnSuggestions("amal"), StagingName("amal", "t1"), StagingName(" x,y", "t1")} {
		if err := ValidateNewLayer(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
	for _, bad := range []string{"", " amal", "a,b", "a\tb"} {
		if err := ValidateNewLayer(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckPublish(t *testing.T) {
	staging := StagingName("amal", "t1")
	if err := CheckPublish(staging, "amal"); err != nil {
		t.Errorf("a staging layer published under a good name: %v", err)
	}
	if err := CheckPublish(staging, OwnSuggestions("amal")); err != nil {
		t.Errorf("published as an annotator's own suggestions: %v", err)
	}
	if err := CheckPublish("amal", "omar"); err == nil || !strings.Contains(err.Error(), "not a staging layer") {
		t.Errorf("a layer that is not staging: %v", err)
	}
	for _, bad := range []string{"", " amal", "a,b", staging} {
		if err := CheckPublish(staging, bad); err == nil {
			t.Errorf("published as %q", bad)
		}
	}
}
