package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
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
}

const ctrl = fyne.KeyModifierShortcutDefault

func key(k fyne.KeyName, mod fyne.KeyModifier) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: mod}
}

// bindings lists every command with a shortcut or a key, in menu order.
// The Help → Shortcuts window is made from it. While a dialog is up, the
// commands wait (Quit excepted): dialogs are modal.
func (ws *Workspace) bindings() []binding {
	bs := ws.commands()
	for i := range bs {
		if a := bs[i].action; a != nil && bs[i].name != "Quit" {
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
	return []binding{
		{menu: "File", name: "New project…", shortcut: key(fyne.KeyN, ctrl), action: ws.newProject},
		{menu: "File", name: "Open project…", shortcut: key(fyne.KeyO, ctrl), action: ws.openProjectDialog},
		{menu: "File", name: "Import articles from a file…", shortcut: key(fyne.KeyI, ctrl), action: ws.importFile},
		{menu: "File", name: "Import articles from a folder…", shortcut: key(fyne.KeyI, ctrl|fyne.KeyModifierShift), action: ws.importFolder},
		{menu: "File", name: "Import annotations…", shortcut: key(fyne.KeyI, ctrl|fyne.KeyModifierAlt), action: ws.importAnnotations},
		{menu: "File", name: "Export…", shortcut: key(fyne.KeyE, ctrl), action: ws.exportDialog},
		{menu: "File", name: "Save a copy…", shortcut: key(fyne.KeyS, ctrl|fyne.KeyModifierShift), action: ws.saveCopyDialog},
		{menu: "File", name: "Merge projects…", action: ws.mergeDialog},
		{menu: "File", name: "Switch annotator…", shortcut: key(fyne.KeyU, ctrl|fyne.KeyModifierShift), action: func() { ws.askAnnotator(false) }},
		{menu: "File", name: "Quit", shortcut: key(fyne.KeyQ, ctrl), action: ws.quit},

		{menu: "Edit", name: "Undo", shortcut: &fyne.ShortcutUndo{}, action: ws.undo},
		{menu: "Edit", name: "Redo", shortcut: key(fyne.KeyZ, ctrl|fyne.KeyModifierShift), action: ws.redo},
		{menu: "Edit", name: "Redo", shortcut: &fyne.ShortcutRedo{}, action: ws.redo, hidden: true},
		{menu: "Edit", name: "Label the selection", keys: "the label's key (1, 2, 3 …)"},
		{menu: "Edit", name: "Relabel the selected span", keys: "another label's key"},
		{menu: "Edit", name: "Delete the selected span", keys: "Delete", action: func() {
			ws.typedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
		}},
		{menu: "Edit", name: "Next span", shortcut: key(fyne.KeyDown, ctrl), action: func() { ws.stepSpan(1) }},
		{menu: "Edit", name: "Previous span", shortcut: key(fyne.KeyUp, ctrl), action: func() { ws.stepSpan(-1) }},
		{menu: "Edit", name: "Clear the selection", keys: "Escape"},
		{menu: "Edit", name: "Label all occurrences…", shortcut: key(fyne.KeyL, ctrl), action: ws.reviewOccurrences},
		{menu: "Edit", name: "Labels…", shortcut: key(fyne.KeyL, ctrl|fyne.KeyModifierShift), action: ws.showLabels},

		{menu: "Document", name: "Done, open the next unfinished", shortcut: key(fyne.KeyReturn, ctrl), action: ws.doneAndNext},
		{menu: "Document", name: "Done, open the next unfinished", shortcut: key(fyne.KeyEnter, ctrl), action: ws.doneAndNext, hidden: true},
		{menu: "Document", name: "Skip, open the next unfinished", shortcut: key(fyne.KeyReturn, ctrl|fyne.KeyModifierShift), action: ws.skipAndNext},
		{menu: "Document", name: "Skip, open the next unfinished", shortcut: key(fyne.KeyEnter, ctrl|fyne.KeyModifierShift), action: ws.skipAndNext, hidden: true},
		{menu: "Document", name: "Next document", shortcut: key(fyne.KeyPageDown, ctrl), action: func() { ws.stepDocument(1) }},
		{menu: "Document", name: "Previous document", shortcut: key(fyne.KeyPageUp, ctrl), action: func() { ws.stepDocument(-1) }},
		{menu: "Document", name: "Flag or unflag", shortcut: key(fyne.KeyB, ctrl), action: ws.toggleFlag},
		{menu: "Document", name: "Comments…", shortcut: key(fyne.KeyM, ctrl), action: ws.showComments},
		{menu: "Document", name: "Search the corpus", shortcut: key(fyne.KeyF, ctrl), action: func() {
			ws.Window.Canvas().Focus(ws.docs.search)
		}},

		{menu: "Suggestions", name: "Accept the suggestion at the caret", keys: "Enter", action: ws.acceptSuggestionAtCaret},
		{menu: "Suggestions", name: "Reject the suggestion at the caret", keys: "X", action: ws.rejectSuggestionAtCaret},
		{menu: "Suggestions", name: "Accept all", shortcut: key(fyne.KeyA, ctrl|fyne.KeyModifierShift), action: ws.acceptAllSuggestions},
		{menu: "Suggestions", name: "Reject all", shortcut: key(fyne.KeyX, ctrl|fyne.KeyModifierShift), action: ws.rejectAllSuggestions},
		{menu: "Suggestions", name: "Restore the rejected", action: ws.restoreSuggestions},
		{menu: "Suggestions", name: "From a model server…", shortcut: key(fyne.KeyM, ctrl|fyne.KeyModifierShift), action: ws.modelServerDialog},
		{menu: "Suggestions", name: "Suggest names I labelled before", action: func() { ws.toggleRecommender(false) },
			checked: func() bool { _, own := ws.recommenderSwitches(); return own }},
		{menu: "Suggestions", name: "Suggest learned names in this project (everyone)", action: func() { ws.toggleRecommender(true) },
			checked: func() bool { project, _ := ws.recommenderSwitches(); return project }},

		{menu: "Review", name: "Agreement…", shortcut: key(fyne.KeyR, ctrl), action: ws.showAgreement},
		{menu: "Review", name: "Adjudicate this document", shortcut: key(fyne.KeyR, ctrl|fyne.KeyModifierShift), action: ws.adjudicateCurrent},

		{menu: "View", name: "Larger text", shortcut: key(fyne.KeyEqual, ctrl), action: func() { ws.zoom(2) }},
		{menu: "View", name: "Smaller text", shortcut: key(fyne.KeyMinus, ctrl), action: func() { ws.zoom(-2) }},

		{menu: "Help", name: "Shortcuts", keys: "F1", action: ws.showShortcuts},
		{menu: "Help", name: "Show the guide", action: ws.showGuide},
		{menu: "Help", name: "About Qalam", action: ws.showAbout},
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
// the theme and the overlap setting.
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
			label += "    (" + b.keys + ")"
		}
		it := fyne.NewMenuItem(label, b.action)
		it.Shortcut = b.shortcut
		if b.checked != nil {
			it.Checked = b.checked()
		}
		if b.name == "Quit" {
			it.IsQuit = true
			quit = it
			continue
		}
		m.Items = append(m.Items, it)
	}
	file := menus["File"]
	var recent []*fyne.MenuItem
	for _, p := range ws.App.Preferences().StringList(prefRecent) {
		p := p
		recent = append(recent, fyne.NewMenuItem(project.Name(p)+"  —  "+p, func() { ws.openProject(p, project.Existing) }))
	}
	openRecent := fyne.NewMenuItem("Open recent", nil)
	openRecent.ChildMenu = fyne.NewMenu("", recent...)
	if len(recent) == 0 {
		openRecent.Disabled = true
	}
	// After Open project…
	file.Items = append(file.Items[:2], append([]*fyne.MenuItem{openRecent, fyne.NewMenuItemSeparator()}, file.Items[2:]...)...)
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), quit)

	edit := menus["Edit"]
	overlap := fyne.NewMenuItem("Allow overlapping spans", func() { ws.setAllowOverlap(!ws.allowOverlap) })
	overlap.Checked = ws.allowOverlap
	edit.Items = append(edit.Items, fyne.NewMenuItemSeparator(), overlap)

	view := menus["View"]
	current := ws.App.Preferences().StringWithFallback(prefTheme, "system")
	for _, t := range []struct{ id, name string }{{"system", "System theme"}, {"light", "Light theme"}, {"dark", "Dark theme"}} {
		t := t
		it := fyne.NewMenuItem(t.name, func() {
			ws.App.Preferences().SetString(prefTheme, t.id)
			ws.applyTheme(t.id)
			ws.Window.SetMainMenu(ws.mainMenu())
		})
		it.Checked = current == t.id
		view.Items = append(view.Items, it)
	}
	var list []*fyne.Menu
	for _, name := range order {
		list = append(list, menus[name])
	}
	return fyne.NewMainMenu(list...)
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
		k = "↓"
	case fyne.KeyUp:
		k = "↑"
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

// showShortcuts opens the Help → Shortcuts window.
func (ws *Workspace) showShortcuts() {
	grid := container.NewGridWithColumns(2)
	last := ""
	for _, r := range ws.shortcutRows() {
		if r[0] != last {
			grid.Add(heading(r[0]))
			grid.Add(widget.NewLabel(""))
			last = r[0]
		}
		grid.Add(widget.NewLabel(r[1]))
		grid.Add(widget.NewLabelWithStyle(r[2], fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
	}
	mouse := widget.NewLabel("Mouse: drag to select whole words; hold Ctrl or Alt for single characters (to leave a proclitic out); double-click selects a word; click a span to select it.")
	mouse.Wrapping = fyne.TextWrapWord
	w := ws.App.NewWindow("Shortcuts — Qalam")
	w.SetContent(container.NewBorder(nil, mouse, nil, nil, container.NewVScroll(grid)))
	w.Resize(fyne.NewSize(640, 720))
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	w.Show()
}
