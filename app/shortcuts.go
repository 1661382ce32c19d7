package app

import (
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/project"
)

// binding is one command: its menu, its name, its shortcut (nil when it is
// a plain key the article view passes on, named by keys) and what it does.
type binding struct {
	menu, name string
	shortcut   fyne.Shortcut
	keys       string
	action     func()
	hidden     bool        // a second shortcut for a command already in the menu
	checked    func() bool // a menu item with a check mark: whether it is on
	quit       bool        // File › Quit, which works with a dialog up
}

const ctrl = fyne.KeyModifierShortcutDefault

func key(k fyne.KeyName, mod fyne.KeyModifier) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: mod}
}

// bindings lists every command with a shortcut or a key, in menu order.
// The Help › Shortcuts window is made from it. While a dialog is up, the
// commands wait (Quit excepted): dialogs are modal.
func (ws *Workspace) bindings() []binding {
	bs := ws.commands()
	for i := range bs {
		if a := bs[i].action; a != nil && !bs[i].quit {
			bs[i].action = func() {
				if !ws.dialogOpen() {
					a()
				}
			}
		}
	}
	return bs
}

func (ws *Workspace) commands() []binding {
	// The two Suggestions switches' check marks, read once per menu.
	switches := sync.OnceValues(ws.recommenderSwitches)
	return []binding{
		{menu: lang.L("File"), name: lang.L("New project…"), shortcut: key(fyne.KeyN, ctrl), action: ws.newProject},
		{menu: lang.L("File"), name: lang.L("Open project…"), shortcut: key(fyne.KeyO, ctrl), action: ws.openProjectDialog},
		{menu: lang.L("File"), name: lang.L("Import articles from a file…"), shortcut: key(fyne.KeyI, ctrl), action: ws.importFile},
		{menu: lang.L("File"), name: lang.L("Import articles from a folder…"), shortcut: key(fyne.KeyI, ctrl|fyne.KeyModifierShift), action: ws.importFolder},
		{menu: lang.L("File"), name: lang.L("Import annotations…"), shortcut: key(fyne.KeyI, ctrl|fyne.KeyModifierAlt), action: ws.importAnnotations},
		{menu: lang.L("File"), name: lang.L("Export…"), shortcut: key(fyne.KeyE, ctrl), action: ws.exportDialog},
		{menu: lang.L("File"), name: lang.L("Save a copy…"), shortcut: key(fyne.KeyS, ctrl|fyne.KeyModifierShift), action: ws.saveCopyDialog},
		{menu: lang.L("File"), name: lang.L("Merge projects…"), action: ws.mergeDialog},
		{menu: lang.L("File"), name: lang.L("Switch annotator…"), shortcut: key(fyne.KeyU, ctrl|fyne.KeyModifierShift), action: func() { ws.askAnnotator(false) }},
		{menu: lang.L("File"), name: lang.L("Quit"), shortcut: key(fyne.KeyQ, ctrl), action: ws.quit, quit: true},

		{menu: lang.L("Edit"), name: lang.L("Undo"), shortcut: &fyne.ShortcutUndo{}, action: ws.undo},
		{menu: lang.L("Edit"), name: lang.L("Redo"), shortcut: key(fyne.KeyZ, ctrl|fyne.KeyModifierShift), action: ws.redo},
		{menu: lang.L("Edit"), name: lang.L("Redo"), shortcut: &fyne.ShortcutRedo{}, action: ws.redo, hidden: true},
		{menu: lang.L("Edit"), name: lang.L("Label the selection"), keys: lang.L("the label's key (1, 2, 3 …)")},
		{menu: lang.L("Edit"), name: lang.L("Relabel the selected span"), keys: lang.L("another label's key")},
		{menu: lang.L("Edit"), name: lang.L("Delete the selected span"), keys: "Delete", action: func() {
			ws.typedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
		}},
		{menu: lang.L("Edit"), name: lang.L("Next span"), shortcut: key(fyne.KeyDown, ctrl), action: func() { ws.stepSpan(1) }},
		{menu: lang.L("Edit"), name: lang.L("Previous span"), shortcut: key(fyne.KeyUp, ctrl), action: func() { ws.stepSpan(-1) }},
		{menu: lang.L("Edit"), name: lang.L("Clear the selection"), keys: "Escape"},
		{menu: lang.L("Edit"), name: lang.L("Label all occurrences…"), shortcut: key(fyne.KeyL, ctrl), action: ws.reviewOccurrences},
		{menu: lang.L("Edit"), name: lang.L("Labels…"), shortcut: key(fyne.KeyL, ctrl|fyne.KeyModifierShift), action: ws.showLabels},

		{menu: lang.L("Document"), name: lang.L("Done, open the next unfinished"), shortcut: key(fyne.KeyReturn, ctrl), action: ws.doneAndNext},
		{menu: lang.L("Document"), name: lang.L("Done, open the next unfinished"), shortcut: key(fyne.KeyEnter, ctrl), action: ws.doneAndNext, hidden: true},
		{menu: lang.L("Document"), name: lang.L("Skip, open the next unfinished"), shortcut: key(fyne.KeyReturn, ctrl|fyne.KeyModifierShift), action: ws.skipAndNext},
		{menu: lang.L("Document"), name: lang.L("Skip, open the next unfinished"), shortcut: key(fyne.KeyEnter, ctrl|fyne.KeyModifierShift), action: ws.skipAndNext, hidden: true},
		{menu: lang.L("Document"), name: lang.L("Next document"), shortcut: key(fyne.KeyPageDown, ctrl), action: func() { ws.stepDocument(1) }},
		{menu: lang.L("Document"), name: lang.L("Previous document"), shortcut: key(fyne.KeyPageUp, ctrl), action: func() { ws.stepDocument(-1) }},
		{menu: lang.L("Document"), name: lang.L("Flag or unflag"), shortcut: key(fyne.KeyB, ctrl), action: ws.toggleFlag},
		{menu: lang.L("Document"), name: lang.L("Comments…"), shortcut: key(fyne.KeyM, ctrl), action: ws.showComments},
		{menu: lang.L("Document"), name: lang.L("Search the corpus"), shortcut: key(fyne.KeyF, ctrl), action: func() {
			ws.Window.Canvas().Focus(ws.docs.search)
		}},
		{menu: lang.L("Document"), name: lang.L("Next search hit"), shortcut: key(fyne.KeyG, ctrl), action: func() { ws.stepHit(1) }},
		{menu: lang.L("Document"), name: lang.L("Previous search hit"), shortcut: key(fyne.KeyG, ctrl|fyne.KeyModifierShift), action: func() { ws.stepHit(-1) }},

		{menu: lang.L("Suggestions"), name: lang.L("Accept the suggestion at the caret"), keys: "Enter", action: ws.acceptSuggestionAtCaret},
		{menu: lang.L("Suggestions"), name: lang.L("Reject the suggestion at the caret"), keys: "X", action: ws.rejectSuggestionAtCaret},
		{menu: lang.L("Suggestions"), name: lang.L("Accept all"), shortcut: key(fyne.KeyA, ctrl|fyne.KeyModifierShift), action: ws.acceptAllSuggestions},
		{menu: lang.L("Suggestions"), name: lang.L("Reject all"), shortcut: key(fyne.KeyX, ctrl|fyne.KeyModifierShift), action: ws.rejectAllSuggestions},
		{menu: lang.L("Suggestions"), name: lang.L("Restore the rejected"), action: ws.restoreSuggestions},
		{menu: lang.L("Suggestions"), name: lang.L("From a model server…"), shortcut: key(fyne.KeyM, ctrl|fyne.KeyModifierShift), action: ws.modelServerDialog},
		{menu: lang.L("Suggestions"), name: lang.L("Suggest names I labelled before"), action: func() { ws.toggleRecommender(false) },
			checked: func() bool { _, own := switches(); return own }},
		{menu: lang.L("Suggestions"), name: lang.L("Suggest learned names in this project (everyone)"), action: func() { ws.toggleRecommender(true) },
			checked: func() bool { project, _ := switches(); return project }},

		{menu: lang.L("Review"), name: lang.L("Agreement…"), shortcut: key(fyne.KeyR, ctrl), action: ws.showAgreement},
		{menu: lang.L("Review"), name: lang.L("Adjudicate this document"), shortcut: key(fyne.KeyR, ctrl|fyne.KeyModifierShift), action: ws.adjudicateCurrent},

		{menu: lang.L("View"), name: lang.L("Larger text"), shortcut: key(fyne.KeyEqual, ctrl), action: func() { ws.zoom(2) }},
		{menu: lang.L("View"), name: lang.L("Smaller text"), shortcut: key(fyne.KeyMinus, ctrl), action: func() { ws.zoom(-2) }},

		{menu: lang.L("Help"), name: lang.L("Shortcuts"), keys: "F1", action: ws.showShortcuts},
		{menu: lang.L("Help"), name: lang.L("Show the guide"), action: ws.showGuide},
		{menu: lang.L("Help"), name: lang.L("About Qalam"), action: ws.showAbout},
	}
}

// addShortcuts binds every shortcut on the window's canvas. With a main
// menu (the desktop driver), the menu's items catch them first; the
// canvas bindings serve when there is none (tests) and for the hidden
// second shortcuts.
func (ws *Workspace) addShortcuts() {
	c := ws.Window.Canvas()
	for _, b := range ws.bindings() {
		if b.shortcut != nil && b.action != nil {
			c.AddShortcut(b.shortcut, func(fyne.Shortcut) { b.action() })
		}
	}
}

// mainMenu builds the menus from the bindings, with the recent projects,
// the theme, the language and the overlap setting.
func (ws *Workspace) mainMenu() *fyne.MainMenu {
	menus := map[string]*fyne.Menu{}
	var order []string
	var quit *fyne.MenuItem
	for _, b := range ws.bindings() {
		if b.hidden || b.action == nil {
			continue
		}
		m := menus[b.menu]
		if m == nil {
			m = fyne.NewMenu(b.menu)
			menus[b.menu] = m
			order = append(order, b.menu)
		}
		label := b.name
		if b.shortcut == nil && b.keys != "" {
			label = fyneLine(b.name, "   ("+b.keys+")")
		}
		it := fyne.NewMenuItem(label, b.action)
		it.Shortcut = b.shortcut
		if b.checked != nil {
			it.Checked = b.checked()
		}
		if b.quit {
			it.IsQuit = true
			quit = it
			continue
		}
		m.Items = append(m.Items, it)
	}
	file := menus[lang.L("File")]
	var recent []*fyne.MenuItem
	for _, p := range ws.App.Preferences().StringList(prefRecent) {
		p := p
		recent = append(recent, fyne.NewMenuItem(project.Name(p)+"  —  "+p, func() { ws.openProject(p, project.Existing) }))
	}
	openRecent := fyne.NewMenuItem(lang.L("Open recent"), nil)
	openRecent.ChildMenu = fyne.NewMenu("", recent...)
	if len(recent) == 0 {
		openRecent.Disabled = true
	}
	// After Open project…
	file.Items = append(file.Items[:2], append([]*fyne.MenuItem{openRecent, fyne.NewMenuItemSeparator()}, file.Items[2:]...)...)
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), quit)

	edit := menus[lang.L("Edit")]
	overlap := fyne.NewMenuItem(lang.L("Allow overlapping spans"), func() { ws.setAllowOverlap(!ws.allowOverlap) })
	overlap.Checked = ws.allowOverlap
	edit.Items = append(edit.Items, fyne.NewMenuItemSeparator(), overlap)

	view := menus[lang.L("View")]
	current := ws.App.Preferences().StringWithFallback(prefTheme, "system")
	for _, t := range []struct{ id, name string }{{"system", lang.L("System theme")}, {"light", lang.L("Light theme")}, {"dark", lang.L("Dark theme")}} {
		t := t
		it := fyne.NewMenuItem(t.name, func() {
			ws.App.Preferences().SetString(prefTheme, t.id)
			ws.applyTheme(t.id)
			ws.Window.SetMainMenu(ws.mainMenu())
		})
		it.Checked = current == t.id
		view.Items = append(view.Items, it)
	}
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(), ws.languageMenu())
	var list []*fyne.Menu
	for _, name := range order {
		list = append(list, menus[name])
	}
	if rtl() {
		// Fyne's menu bar runs left to right: in Arabic the menus read
		// from the right, File at the far right.
		slices.Reverse(list)
	}
	return fyne.NewMainMenu(list...)
}

// languageMenu is View → Language: the system's, or one chosen.
func (ws *Workspace) languageMenu() *fyne.MenuItem {
	chosen := ws.App.Preferences().String(prefLanguage)
	items := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("The system's language"), func() { ws.setLanguage("") })}
	items[0].Checked = chosen == ""
	for _, l := range languages {
		l := l
		it := fyne.NewMenuItem(l.name, func() { ws.setLanguage(l.code) })
		it.Checked = chosen == l.code
		items = append(items, it)
	}
	m := fyne.NewMenuItem(lang.L("Language"), nil)
	m.ChildMenu = fyne.NewMenu("", items...)
	return m
}

// zoom changes the article's text size.
func (ws *Workspace) zoom(by float32) {
	v := ws.ui.view
	v.SetTextSize(min(max(v.TextSize()+by, 10), 40))
}

// shortcutText writes a shortcut as it is typed: Ctrl+Shift+Z.
func shortcutText(s fyne.Shortcut) string {
	switch s.(type) {
	case *fyne.ShortcutUndo:
		return "Ctrl+Z"
	case *fyne.ShortcutRedo:
		return "Ctrl+Y"
	}
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return s.ShortcutName()
	}
	var parts []string
	if cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		parts = append(parts, "Ctrl")
	}
	if cs.Modifier&fyne.KeyModifierAlt != 0 {
		parts = append(parts, "Alt")
	}
	if cs.Modifier&fyne.KeyModifierShift != 0 {
		parts = append(parts, "Shift")
	}
	k := string(cs.KeyName)
	switch cs.KeyName {
	case fyne.KeyEqual:
		k = "="
	case fyne.KeyMinus:
		k = "-"
	case fyne.KeyPageDown:
		k = "Page Down"
	case fyne.KeyPageUp:
		k = "Page Up"
	case fyne.KeyDown:
		k = "Down"
	case fyne.KeyUp:
		k = "Up"
	}
	return strings.Join(append(parts, k), "+")
}

// shortcutRows lists the shortcuts for the help window: menu, command,
// keys (a command with two shortcuts shows both).
func (ws *Workspace) shortcutRows() [][3]string {
	var rows [][3]string
	index := map[string]int{}
	for _, b := range ws.bindings() {
		keys := b.keys
		if b.shortcut != nil {
			keys = shortcutText(b.shortcut)
		}
		if keys == "" {
			continue
		}
		id := b.menu + "/" + b.name
		if i, ok := index[id]; ok {
			if !strings.Contains(rows[i][2], keys) && !strings.Contains(keys, "Enter") {
				rows[i][2] += ", " + keys
			}
			continue
		}
		index[id] = len(rows)
		rows = append(rows, [3]string{b.menu, b.name, keys})
	}
	return rows
}

// showShortcuts opens the Help › Shortcuts window.
func (ws *Workspace) showShortcuts() {
	grid := container.NewGridWithColumns(2)
	last := ""
	for _, r := range ws.shortcutRows() {
		if r[0] != last {
			grid.Objects = append(grid.Objects, reading([]fyne.CanvasObject{heading(r[0]), widget.NewLabel("")})...)
			last = r[0]
		}
		keys := uiLabel(r[2])
		keys.TextStyle.Bold = true
		grid.Objects = append(grid.Objects, reading([]fyne.CanvasObject{uiLabel(r[1]), keys})...)
	}
	mouse := message(lang.L("Mouse: drag to select whole words; hold Ctrl while pressing for single characters (to leave a proclitic out); double-click selects a word; click a span to select it."))
	w := ws.App.NewWindow(lang.L("Shortcuts — Qalam"))
	w.SetContent(container.NewBorder(nil, mouse, nil, nil, container.NewVScroll(grid)))
	w.Resize(fyne.NewSize(700, 720))
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	w.Show()
}
