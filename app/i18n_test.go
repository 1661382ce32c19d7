package app

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/widgets"
)

// used is a catalogue key the code asks for.
type used struct {
	key    string
	plural bool
	where  string
	// fyne: the text is drawn by a Fyne widget (a button, a menu, a
	// tab, a title, a form's label), which lays a line's direction runs
	// out left to right.
	fyne bool
}

// usedKeys walks the package's code for the keys it asks lang for:
// lang.L, lang.N, lang.X and lang.XN with a constant key. It fails on a
// call whose key is not a constant (the catalogues could not be checked
// against it) and on an interface call given English text directly.
func usedKeys(t *testing.T) map[string]used {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]used{}
	fyneKeys := map[string]bool{}
	// markFyne notes the key of a lang call e drawn by Fyne.
	markFyne := func(e ast.Expr) {
		if c, ok := e.(*ast.CallExpr); ok {
			if fn := calleeName(c); fn == "lang.L" || fn == "lang.X" {
				if k, ok := stringConst(c.Args[0]); ok {
					fyneKeys[k] = true
				}
			}
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok {
				// Bindings' menus and names; the names of choices a Select
				// offers (filters, measures, protocols), first in their rows.
				choices := false
				if at, ok := lit.Type.(*ast.ArrayType); ok {
					switch elt := at.Elt.(type) {
					case *ast.Ident:
						choices = elt.Name == "statusFilter" || elt.Name == "pairMeasure"
					case *ast.StructType:
						choices = true
					}
				}
				for _, e := range lit.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok && (id.Name == "name" || id.Name == "menu") {
							markFyne(kv.Value)
						}
					} else if row, ok := e.(*ast.CompositeLit); ok && choices && len(row.Elts) > 0 {
						markFyne(row.Elts[0])
					}
				}
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if idx, ok := fyneCalls[calleeName(call)]; ok || fyneCalls[lastPart(calleeName(call))] != nil {
				if !ok {
					idx = fyneCalls[lastPart(calleeName(call))]
				}
				for i, a := range call.Args {
					if slices.Contains(idx, -1) || slices.Contains(idx, i) {
						markFyne(a)
					}
				}
			}
			where := fset.Position(call.Pos()).String()
			fn := calleeName(call)
			switch fn {
			case "lang.L", "lang.N", "lang.X", "lang.XN":
				key, ok := stringConst(call.Args[0])
				if !ok {
					t.Errorf("%s: %s with a key that is not a constant string", where, fn)
					return true
				}
				u := used{key: key, plural: fn == "lang.N" || fn == "lang.XN", where: where}
				if prev, ok := keys[key]; ok && prev.plural != u.plural {
					t.Errorf("%s: %q asked for as a plural and not (%s)", where, key, prev.where)
				}
				keys[key] = u
				return true
			}
			if interfaceCalls[lastPart(fn)] {
				for _, a := range call.Args {
					if s, ok := stringConst(a); ok && englishText(s) {
						t.Errorf("%s: %s(%q): English text not through lang", where, fn, s)
					}
				}
			}
			return true
		})
	}
	for k := range fyneKeys {
		if u, ok := keys[k]; ok {
			u.fyne = true
			keys[k] = u
		}
	}
	return keys
}

// fyneCalls draw some of the texts they are given with Fyne's own text:
// the arguments at these indexes (-1: all). A name with a receiver
// (ws.inform) is matched whole first, then by its last part.
var fyneCalls = map[string][]int{
	"NewButton": {-1}, "NewButtonWithIcon": {-1}, "NewCheck": {-1}, "NewLabel": {-1}, "NewLabelWithStyle": {-1},
	"heading": {-1}, "NewMenuItem": {-1}, "NewMenu": {-1}, "NewTabItem": {-1}, "NewCard": {-1}, "withCount": {-1},
	"aboutKey": {-1}, "SetPlaceHolder": {-1}, "NewColorPicker": {0}, "NewRadioGroup": {-1},
	"NewCustom": {0, 1}, "NewCustomConfirm": {0, 1, 2}, "NewCustomWithoutButtons": {0},
	"inform": {1}, "confirm": {1}, "ws.inform": {0}, "ws.confirm": {0}, "formDialog": {1, 2, 3},
	"ws.startJob": {0}, "ws.newProgress": {0}, "ws.showReport": {0},
}

// plainArabic reports whether s shows right when Fyne draws it in a
// right-to-left interface: Fyne gives a line the direction of its first
// strong character but lays its direction runs out in logical order, so
// a line of Arabic words (with spaces and punctuation, brackets
// included) shows right, while a digit or a Latin word, a run of its
// own, would stand on the wrong side.
func plainArabic(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)), unicode.IsDigit(r), r == '{' || r == '}':
			return false
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			return unicode.Is(unicode.Arabic, r)
		}
	}
	return false
}

// interfaceCalls are the functions whose string arguments are shown.
var interfaceCalls = map[string]bool{
	"NewLabel": true, "NewLabelWithStyle": true, "NewButton": true, "NewButtonWithIcon": true,
	"NewCheck": true, "SetText": true, "SetPlaceHolder": true, "NewMenuItem": true, "NewMenu": true,
	"NewTabItem": true, "NewFormItem": true, "say": true, "NewBidiLabel": true, "NewCard": true,
	"NewCustom": true, "NewCustomConfirm": true, "NewCustomWithoutButtons": true, "NewForm": true,
	"NewConfirm": true, "ShowConfirm": true, "ShowInformation": true, "heading": true, "NewWindow": true,
	"SetTitle": true, "showReport": true, "startJob": true, "newProgress": true, "set": true,
	"wrapped": true, "aboutKey": true, "bidi": true, "message": true, "formDialog": true, "inform": true,
	"confirm": true, "Set": true, "Append": true, "notice": true, "errorf": true,
}

// englishText reports whether s reads as words (not a key name, a
// format of numbers or a file extension).
func englishText(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2 && !strings.HasPrefix(s, ".") && !strings.HasPrefix(s, "#")
}

func calleeName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
		return "?." + f.Sel.Name
	}
	return ""
}

func lastPart(s string) string { return s[strings.LastIndex(s, ".")+1:] }

// stringConst is the value of a string literal, or of literals joined
// with +.
func stringConst(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := stringConst(x.X)
		b, ok2 := stringConst(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return stringConst(x.X)
	}
	return "", false
}

// catalogue reads translations/NAME.json: a key's text, or its plural
// forms.
func catalogue(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := translationFiles.ReadFile("translations/" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	return c
}

// fyneKeys are the keys of Fyne's own English catalogue (the words of
// its dialogs), read from the module; nil when the module's files are
// not there.
func fyneKeys(t *testing.T) map[string]bool {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Logf("Fyne's catalogue not checked: go list: %v", err)
		return nil
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Logf("Fyne's catalogue not checked: %v", err)
		return nil
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for k := range c {
		keys[k] = true
	}
	return keys
}

var templateField = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// fields lists the template fields a text fills.
func fields(s string) []string {
	var out []string
	for _, m := range templateField.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

// forms returns a catalogue entry's texts by plural form ("other" for a
// plain text).
func forms(v any) map[string]string {
	switch x := v.(type) {
	case string:
		return map[string]string{"other": x}
	case map[string]any:
		out := map[string]string{}
		for k, s := range x {
			if str, ok := s.(string); ok {
				out[k] = str
			}
		}
		return out
	}
	return nil
}

func hasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

// TestCatalogues: every text the window asks lang for is in both
// catalogues; Arabic gives it in Arabic, a plural in Arabic's six forms
// (zero, one, two, few, many, other) and English's two; a translation
// fills the same template fields as the English; the catalogues hold
// nothing the code does not ask for beyond Fyne's own words, which the
// Arabic catalogue translates too.
func TestCatalogues(t *testing.T) {
	keys := usedKeys(t)
	if len(keys) < 100 {
		t.Fatalf("only %d keys found in the code", len(keys))
	}
	en, ar := catalogue(t, "en"), catalogue(t, "ar")
	fyne := fyneKeys(t)
	arPlural := []string{"few", "many", "one", "other", "two", "zero"}
	enPlural := []string{"one", "other"}
	for _, u := range keys {
		for _, c := range []struct {
			name   string
			cat    map[string]any
			plural []string
		}{{"en", en, enPlural}, {"ar", ar, arPlural}} {
			v, ok := c.cat[u.key]
			if !ok {
				t.Errorf("%s: %q has no entry in %s.json", u.where, u.key, c.name)
				continue
			}
			fs := forms(v)
			if u.plural {
				var got []string
				for f := range fs {
					got = append(got, f)
				}
				sort.Strings(got)
				if !slices.Equal(got, c.plural) {
					t.Errorf("%s.json: %q has forms %v, want %v", c.name, u.key, got, c.plural)
				}
			} else if len(fs) != 1 || fs["other"] == "" {
				t.Errorf("%s.json: %q is not one text", c.name, u.key)
			}
			want := fields(u.key)
			if enText, ok := en[u.key].(string); ok && !u.plural {
				want = fields(enText)
			}
			for f, s := range fs {
				if c.name == "ar" && !hasArabic(s) && englishText(templateField.ReplaceAllString(forms(en[u.key])["other"], "")) {
					t.Errorf("ar.json: %q (%s) is not in Arabic: %q", u.key, f, s)
				}
				if c.name == "ar" && u.fyne && !plainArabic(s) {
					t.Errorf("%s: ar.json: %q is drawn by Fyne, which would misplace what is not an Arabic word in %q", u.where, u.key, s)
				}
				got := fields(s)
				if slices.Equal(got, want) {
					continue
				}
				// A plural's zero, one and two forms may spell the count out.
				spelled := slices.DeleteFunc(slices.Clone(want), func(x string) bool { return x == "Count" })
				if u.plural && (f == "zero" || f == "one" || f == "two") && slices.Equal(got, spelled) {
					continue
				}
				t.Errorf("%s.json: %q (%s) fills %v, want %v", c.name, u.key, f, got, want)
			}
		}
	}
	for name, cat := range map[string]map[string]any{"en": en, "ar": ar} {
		for k := range cat {
			if _, ok := keys[k]; !ok && !fyne[k] {
				t.Errorf("%s.json: %q is asked for nowhere", name, k)
			}
		}
	}
	for k := range fyne {
		if _, ok := ar[k]; !ok {
			t.Errorf("ar.json lacks Fyne's %q", k)
		}
	}
}

// Plural forms come from the catalogue: English says "1 document" and
// "2 documents", Arabic has a form for each of its six cases.
func TestPlurals(t *testing.T) {
	defer useLanguage("en")
	useLanguage("en")
	for n, want := range map[int]string{1: "1 document", 2: "2 documents", 0: "0 documents"} {
		if got := lang.N("{{.Count}} documents", n, M{"Count": n}); got != want {
			t.Errorf("English, %d: %q, want %q", n, got, want)
		}
	}
	useLanguage("ar")
	seen := map[string]int{}
	for _, n := range []int{0, 1, 2, 3, 11, 100} {
		got := lang.N("{{.Count}} documents", n, M{"Count": n})
		if !hasArabic(got) {
			t.Errorf("Arabic, %d: %q", n, got)
		}
		if m, ok := seen[got]; ok {
			t.Errorf("Arabic says %q for %d and %d", got, m, n)
		}
		seen[got] = n
		if n >= 3 && !strings.Contains(got, fmt.Sprint(n)) {
			t.Errorf("Arabic, %d: %q has no number", n, got)
		}
	}
}

// View › Language: Arabic is remembered and the window is built again in
// it, mirrored (the document list at the right, the labels and spans at
// the left, the menus from the right), on the same document; a string
// quoting a name keeps the name whole; the system's language comes back.
func TestLanguageMenu(t *testing.T) {
	ws, a := newSample(t)
	defer useLanguage("en")
	doc := ws.doc.ID
	command(t, ws, "View", "Larger text") // the menu exists in English
	ws.setLanguage("ar")
	if got := a.Preferences().String(prefLanguage); got != "ar" || !rtl() {
		t.Fatalf("language %q remembered, rtl %v", got, rtl())
	}
	if ws.doc.ID != doc {
		t.Errorf("the document changed from %d to %d", doc, ws.doc.ID)
	}
	menus := ws.mainMenu().Items
	if last := menus[len(menus)-1].Label; last != "ملف" {
		t.Errorf("the last (rightmost) menu is %q, want File in Arabic", last)
	}
	outer := ws.Window.Content().(*fyne.Container).Objects[0].(*container.Split)
	inner, ok := outer.Leading.(*container.Split)
	if !ok || outer.Trailing == nil || !hasList(outer.Trailing, ws.docs.list) {
		t.Fatal("in Arabic the document list is not at the right")
	}
	if !hasList(inner.Leading, ws.ui.spanList) {
		t.Error("in Arabic the span list is not at the left of the article")
	}
	if got := ws.ui.spansTab.Text; got != "\u200e(0) المقاطع" {
		t.Errorf("the spans tab reads %q", got)
	}
	if ws.ui.message.Direction != widgets.DirectionRTL || ws.ui.who.Text != "المعلِّم: \u2068amira\u2069" {
		t.Errorf("status bar %q, direction %v", ws.ui.who.Text, ws.ui.message.Direction)
	}
	ws.setLanguage("")
	if a.Preferences().String(prefLanguage) != "" || rtl() {
		t.Error("the system's language (English here) did not come back")
	}
	if ws.ui.spansTab.Text != "Spans (0)" {
		t.Errorf("back in English the tab reads %q", ws.ui.spansTab.Text)
	}
}

// hasList reports whether o holds l.
func hasList(o fyne.CanvasObject, l *widget.List) bool {
	found := false
	walk(o, func(x fyne.CanvasObject) { found = found || x == l })
	return found
}

// The system's language is read as Fyne's locale lookup reads it: LC_ALL,
// LC_MESSAGES, LANG, then LANGUAGE unless the locale is C; Arabic for an
// Arabic locale, English for any other.
func TestSystemLanguage(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		vars map[string]*string
		want string
	}{
		{map[string]*string{"LANG": s("ar_EG.UTF-8")}, "ar"},
		{map[string]*string{"LANG": s("ar")}, "ar"},
		{map[string]*string{"LANG": s("C.UTF-8")}, "en"},
		{map[string]*string{"LANG": s("de_DE.UTF-8")}, "en"},
		{map[string]*string{"LANG": s("en_US.UTF-8"), "LANGUAGE": s("ar:en")}, "ar"},
		{map[string]*string{"LC_ALL": s("C"), "LANGUAGE": s("ar")}, "en"},
		{map[string]*string{"LC_MESSAGES": s("ar_SA.UTF-8"), "LANG": s("en_GB.UTF-8")}, "ar"},
		{map[string]*string{"LANG": s("arn_CL.UTF-8")}, "en"}, // Mapudungun, not Arabic
		{map[string]*string{}, "en"},
	} {
		if got := systemLanguage(c.vars); got != c.want {
			var desc []string
			for k, v := range c.vars {
				desc = append(desc, k+"="+*v)
			}
			t.Errorf("%v: %s, want %s", desc, got, c.want)
		}
	}
}
