package app

import (
	"embed"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// The interface speaks English or Arabic. Every string of the window
// goes through Fyne's lang package (lang.L, lang.N for plurals, lang.X
// where one English word needs two translations), whose catalogues are
// translations/en.json and translations/ar.json: English text is the key,
// a template's fields ({{.Name}}) are filled from an M. The Arabic
// catalogue also translates Fyne's own words (Cancel, Yes, Open…) for its
// dialogs. The language is the system's (LANGUAGE, LC_ALL, LC_MESSAGES,
// LANG) unless View → Language chose one, which is remembered. Arabic
// mirrors what Fyne lets an app mirror: the panels (the document list on
// the right, the labels and spans on the left), the rows of lists and
// bars, the buttons of Qalam's own dialogs, forms (a label above its
// field) and the alignment of labels. Text fields keep Fyne's left
// alignment: Entry has no other.

//go:embed translations/*.json
var translationFiles embed.FS

// M holds the fields of a translated template.
type M = map[string]any

// prefLanguage is the language chosen in View → Language: "" for the
// system's, else a code of languages.
const prefLanguage = "language"

// languages are the interface's languages, each named in itself.
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"ar", "العربية"},
}

// locale is the state of the lang package, which is the process's.
var locale struct {
	sync.Mutex
	loaded  bool
	system  map[string]*string // the locale variables as the process started
	current string             // the language shown: "en" or "ar"
}

// localeVars are the variables Fyne's locale lookup reads.
var localeVars = []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}

// useLanguage makes the interface speak code ("" for the system's
// language); it returns the language now spoken. Fyne's lang package
// reads the language from the environment only: the variables are set
// for it, and a catalogue added makes it read them again.
func useLanguage(code string) string {
	locale.Lock()
	defer locale.Unlock()
	if locale.system == nil {
		locale.system = map[string]*string{}
		for _, v := range localeVars {
			if val, ok := os.LookupEnv(v); ok {
				locale.system[v] = &val
			}
		}
	}
	known := false
	for _, l := range languages {
		known = known || l.code == code
	}
	if !known {
		code = systemLanguage(locale.system)
	}
	// Fyne's lang reads LANGUAGE unless LC_ALL (read first) is C: both
	// name the language, so that Fyne's own words (Cancel, Open…) speak
	// it too, never a third language Fyne knows and Qalam does not.
	os.Setenv("LC_ALL", code)
	os.Setenv("LANGUAGE", code)
	if !locale.loaded {
		if err := lang.AddTranslationsFS(translationFiles, "translations"); err != nil {
			fyne.LogError("loading the translations", err)
		}
		locale.loaded = true
	} else if err := lang.AddTranslationsForLocale([]byte("{}"), fyne.Locale(code)); err != nil {
		// Adding a catalogue is what makes lang read the environment again.
		fyne.LogError("choosing the language", err)
	}
	locale.current = code
	return code
}

// systemLanguage is the interface language the locale variables ask for:
// Arabic for an Arabic locale, else English.
func systemLanguage(vars map[string]*string) string {
	get := func(v string) string {
		if p := vars[v]; p != nil {
			return *p
		}
		return ""
	}
	var first string
	for _, v := range localeVars[1:] {
		if first = get(v); first != "" {
			break
		}
	}
	if first == "C" || first == "POSIX" || strings.HasPrefix(first, "C.") || strings.HasPrefix(first, "POSIX.") {
		return "en"
	}
	if l := get("LANGUAGE"); l != "" {
		first = l
	}
	for _, part := range strings.Split(first, ":") {
		if part == "" {
			continue
		}
		if strings.HasPrefix(part, "ar") && (len(part) == 2 || strings.ContainsAny(part[2:3], "_-.@")) {
			return "ar"
		}
		return "en"
	}
	return "en"
}

// language is the language the interface speaks.
func language() string {
	locale.Lock()
	defer locale.Unlock()
	if locale.current == "" {
		return "en"
	}
	return locale.current
}

// rtl reports whether the interface reads right to left.
func rtl() bool { return language() == "ar" }

// --- mirrored layouts ----------------------------------------------------------

// row lays objects out side by side from where a line starts: left to
// right, or in Arabic right to left.
func row(objs ...fyne.CanvasObject) *fyne.Container {
	return container.NewHBox(reading(objs)...)
}

// reading returns objs in the order they are laid out left to right.
func reading(objs []fyne.CanvasObject) []fyne.CanvasObject {
	if !rtl() {
		return objs
	}
	out := make([]fyne.CanvasObject, len(objs))
	for i, o := range objs {
		out[len(objs)-1-i] = o
	}
	return out
}

// edges puts start where a line starts and end where it ends, centre
// between them (container.NewBorder's left and right, mirrored in
// Arabic). start or end may be nil.
func edges(start, end fyne.CanvasObject, centre ...fyne.CanvasObject) *fyne.Container {
	if rtl() {
		start, end = end, start
	}
	return container.NewBorder(nil, nil, start, end, centre...)
}

// split puts start and end side by side with a divider, start taking
// offset of the width, mirrored in Arabic.
func split(start, end fyne.CanvasObject, offset float64) *container.Split {
	if rtl() {
		s := container.NewHSplit(end, start)
		s.Offset = 1 - offset
		return s
	}
	s := container.NewHSplit(start, end)
	s.Offset = offset
	return s
}

// leading is the alignment of text at the start of a line.
func leading() fyne.TextAlign {
	if rtl() {
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignLeading
}

// trailing is the alignment of text at the end of a line.
func trailing() fyne.TextAlign {
	if rtl() {
		return fyne.TextAlignLeading
	}
	return fyne.TextAlignTrailing
}

// formGrid lays out pairs of a label and its field: the label before the
// field in a line (Fyne's form layout), mirrored in Arabic.
func formGrid(pairs ...fyne.CanvasObject) *fyne.Container {
	if rtl() {
		return container.New(mirroredForm{}, pairs...)
	}
	return container.New(layout.NewFormLayout(), pairs...)
}

// mirroredForm is Fyne's form layout from right to left: each label at
// the right of its field.
type mirroredForm struct{}

func (mirroredForm) inner() fyne.Layout { return layout.NewFormLayout() }

func (f mirroredForm) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return f.inner().MinSize(objs)
}

func (f mirroredForm) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	f.inner().Layout(objs, size)
	for _, o := range objs {
		p := o.Position()
		o.Move(fyne.NewPos(size.Width-p.X-o.Size().Width, p.Y))
	}
}

// setLanguage is View → Language: code ("" for the system's) is
// remembered, and the window is built again in it, on the same document.
func (ws *Workspace) setLanguage(code string) {
	ws.App.Preferences().SetString(prefLanguage, code)
	was := language()
	if useLanguage(code) == was {
		ws.Window.SetMainMenu(ws.mainMenu()) // the check mark moves
		return
	}
	ws.rebuild()
}

// rebuild makes the window's content again (in another language), on
// the document shown, with the list's filter and search; the review
// windows close.
func (ws *Workspace) rebuild() {
	ws.closeReview()
	query, doc, guide := ws.docs.query, ws.doc.ID, ws.guideShown()
	ws.build()
	ws.docs.setQuery(query)
	if ws.placeholder {
		ws.Window.SetTitle(lang.L("Qalam — no project open"))
	} else {
		ws.Window.SetTitle(windowTitle(ws.Store.Location(), ws.layer, ws.readOnly()))
	}
	ws.Window.SetMainMenu(ws.mainMenu())
	ws.refreshLabelBar()
	ws.docs.reset()
	ws.doc = annotate.Document{}
	if doc != 0 {
		ws.openDocument(doc)
	} else {
		ws.showDocument(annotate.Document{}, widgets.PreparedText{})
	}
	if guide {
		ws.showGuide()
	}
}
