// Package app is Qalam's window: projects, the document list, the article
// view, the label bar and the span list, the menus, shortcuts and dialogs.
// It takes the fyne.App from cmd/qalam, so that only cmd imports Fyne's
// OpenGL driver and this package's tests run without a display.
//
// Every edit goes to the store first, in its own transaction, and the
// window shows it only once the store has committed it: what is on screen
// is on disk. Store calls that follow a key press are synchronous (they
// take milliseconds); long work (imports, building the search index,
// searching the corpus) runs on its own goroutine and touches widgets only
// through fyne.Do.
package app

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/memstore"
	"github.com/qalam-annotate/qalam/assets"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// Preference keys.
const (
	prefAnnotator = "annotator"
	prefTheme     = "theme"   // system, light or dark
	prefProject   = "project" // the project open last
	prefRecent    = "recent"  // projects, newest first
	prefLastDoc   = "doc:"    // + project path: the document open last
	maxRecent     = 8
)

// Workspace is one open project in a window, seen by one annotator.
type Workspace struct {
	App    fyne.App
	Window fyne.Window
	Store  annotate.Store

	open   project.OpenFunc // the store adapters' opener
	ctx    context.Context  // cancelled when the window closes: background work stops
	stop   context.CancelFunc
	layer  string // the annotator: their layer is the only one edited
	labels annotate.LabelSet
	// allowOverlap mirrors the project setting, for the menu.
	allowOverlap bool

	doc      annotate.Document // the document shown; ID 0 for none
	status   annotate.Status
	flagged  bool
	spans    []annotate.Span      // the annotator's spans on doc, in text order
	suggests []annotate.Span      // open suggestions on doc
	twins    map[int64][]int64    // a suggestion shown → those of the same range and label, hidden
	selected int64                // the span outlined (the annotator's or a suggestion), 0 for none
	offer    *offer               // the last "label all occurrences" offer
	hits     []annotate.SearchHit // where the list's search matched the document
	// opens counts the documents opened, and reading is the long one
	// being read in the background (openLong), 0 for none: it is shown
	// once read unless another was opened meanwhile. ahead is the first
	// document, read ahead as the app starts (readAhead).
	opens   uint64
	reading int64
	ahead   *longRead

	ui     *ui
	docs   *docList
	guide  *guide           // the first-start guide
	review *reviewer        // the agreement and adjudication windows, nil when none
	live   *live            // a team project followed (live.go), nil for a file
	member *annotate.Member // who the team project knows the user as, nil for a file
	learn  *learner         // the built-in recommender (suggest.go)
	models *modelCache

	// jobs counts background goroutines (imports, indexing, corpus
	// searches), so that tests and Quit can wait for them.
	jobs sync.WaitGroup
	// way tells the check and learning whether a job (startJob) runs,
	// to give way to it (giveway.go).
	way giveWay
	// closed is set as the window closes. Jobs read it as they end: on the
	// UI goroutine in the app, but on their own under Fyne's test driver,
	// where a window may close while a job ends.
	closed     atomic.Bool
	ended      chan struct{} // closed once the window and its project are (Closed)
	askingName bool
	// nameGiven: the annotator was named for this run (--annotator),
	// so a project of several annotators opens without asking.
	nameGiven bool
	// drawn is closed once the window's first frame is drawn
	// (firstFrame): the reads that start with the app and take long
	// wait for it.
	drawn <-chan struct{}
	// placeholder is set while no project could be opened: the window
	// shows an empty one that is never remembered.
	placeholder bool
	// check is the soundness check of the project file while it runs
	// (checkProject); edits, and jobs that write, wait for it.
	check *fileCheck
	// pending are edits waiting for a busy project, oldest first (write.go);
	// the goroutine that commits them reads it too.
	pending   []*pendingWrite
	pendingMu sync.Mutex
	// readOnlyWhy says why the project was opened read-only.
	readOnlyWhy string
	// late is a project that opened after the window showed, until it
	// is shown (waitForOpen).
	late annotate.Store
	// settle runs a checkpoint once edits pause (checkpointSoon).
	settle  *time.Timer
	dialogs []dialog.Dialog // shown by showDialog, newest last
}

// Open opens the project at path in a new window: when path is empty, the
// project open last, or the default sample project. A project that
// cannot be opened never keeps the app from starting: the window opens on
// the sample project (or on none), with a dialog that says what is wrong
// with which file and offers another. On first run it asks the
// annotator's name, and a project of several annotators asks who is
// working.
func Open(a fyne.App, open project.OpenFunc, path string) (*Workspace, error) {
	return OpenAs(a, open, path, "")
}

// OpenAs is Open with the annotator named (--annotator; "" for the one
// remembered): the name is remembered, and no project asks for one.
func OpenAs(a fyne.App, open project.OpenFunc, path, annotator string) (*Workspace, error) {
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ws := &Workspace{App: a, open: open, ended: make(chan struct{})}
	ws.ctx, ws.stop = context.WithCancel(context.Background())
	useLanguage(a.Preferences().String(prefLanguage))
	ws.applyTheme(a.Preferences().StringWithFallback(prefTheme, "system"))
	if path == "" {
		path = ws.lastProject()
	}
	if annotator != "" {
		if err := validAnnotator(annotator); err != nil {
			return nil, err
		}
		a.Preferences().SetString(prefAnnotator, annotator)
		ws.nameGiven = true
	}
	ws.layer = a.Preferences().String(prefAnnotator)
	// The project opens before the window is built, and a long first
	// document is read while it is.
	r, ok, later := startOpen(func() opened {
		r := ws.openStore(path, project.Create)
		if r.err != nil && path != "" {
			sample := ws.openStore("", project.Create)
			r.s, r.why = sample.s, sample.why
		}
		return r
	})
	ws.drawn = firstFrame(a)
	if ok && r.s != nil {
		ws.readAhead(r.s)
	}
	ws.Window = a.NewWindow(lang.L("Qalam"))
	ws.build()
	ws.Window.Resize(fyne.NewSize(1280, 800))
	ws.Window.SetOnClosed(ws.closeStore)
	keepCanvases(ws.ctx, a)
	if ok {
		if err := ws.showOpened(r); err != nil {
			ws.stop()
			return nil, err
		}
		return ws, nil
	}
	// The window shows without the project, and takes it once it is open.
	ws.placeholder = true
	if err := ws.setStore(memstore.New()); err != nil {
		ws.stop()
		return nil, err
	}
	ws.waitForOpen(path, later, func(r opened) {
		if err := ws.showOpened(r); err != nil {
			ws.showError(err)
		}
	})
	return ws, nil
}

// firstFrame returns a channel closed once Fyne has drawn the window's
// first frame: it runs OnStarted then. Reading much meanwhile holds the
// frame back on two processors: a hundred megabytes of text by 0.2 s,
// the check of a million documents' file by 0.1-0.2 s. Should OnStarted
// not come (Fyne's test driver has none), the channel is closed after
// firstFrameWait.
func firstFrame(a fyne.App) <-chan struct{} {
	drawn := make(chan struct{})
	var once sync.Once
	done := func() { once.Do(func() { close(drawn) }) }
	a.Lifecycle().SetOnStarted(done)
	time.AfterFunc(firstFrameWait, done)
	return drawn
}

// firstFrameWait is how long firstFrame waits, at most, for the first
// frame: the app's takes 0.5-1.2 s here.
var firstFrameWait = 2 * time.Second

// openWait is how long the app waits for its project to open before its
// window shows without it. A project made by an earlier version is
// brought up to date as it opens: about a minute for a million
// documents, and the window would not show meanwhile. Other projects
// open in milliseconds, and a second leaves a slow disk time enough that
// the window does not show without its project only to show it at once.
var openWait = time.Second

// opened is the outcome of opening a project (openStore).
type opened struct {
	path string         // asked for
	s    annotate.Store // nil when neither it nor the sample project opened
	why  string         // why s is read-only, if it is
	err  error          // why path did not open
}

// startOpen runs open on a goroutine of its own. It returns open's
// outcome when it comes within openWait, or else (ok false) the channel it
// will come on.
func startOpen(open func() opened) (r opened, ok bool, later <-chan opened) {
	out := make(chan opened, 1)
	go func() { out <- open() }()
	select {
	case r := <-out:
		return r, true, nil
	case <-time.After(openWait):
		return opened{}, false, out
	}
}

// showOpened shows the project of r (or, when none opened, no project)
// and says what went wrong; on first run it asks the annotator's name,
// and a project of several annotators asks who is working.
func (ws *Workspace) showOpened(r opened) error {
	if r.s != nil || ws.Store == nil {
		s := r.s
		if s == nil {
			s, ws.placeholder = memstore.New(), true
		}
		if err := ws.setStore(s); err != nil {
			s.Close()
			return err
		}
		ws.readOnlyWhy = r.why
	}
	if r.err != nil {
		ws.cannotOpen(r.path, r.err)
	}
	if ws.layer == "" {
		ws.firstStart()
	} else if ws.shouldAsk() {
		ws.askAnnotator(false)
	}
	return nil
}

// waitForOpen shows that the project at path is opening, then what opened
// (show), unless another project was opened meanwhile. Closing the window
// meanwhile stops the opening (changes it was making are rolled back) and
// closes what opened.
func (ws *Workspace) waitForOpen(path string, opening <-chan opened, show func(opened)) {
	name := lang.L("the sample project")
	if path != "" {
		name = quote(project.Name(path))
	}
	bar := widget.NewProgressBarInfinite()
	d := dialog.NewCustomWithoutButtons(lang.L("Opening the project"), container.NewVBox(
		message(lang.L("Opening {{.Project}}…", M{"Project": name})+"\n\n"+
			lang.L("A project made by an earlier version of Qalam is brought up to date the first time it opens: a large one takes a minute or more.")),
		bar), ws.Window)
	d.Resize(fyne.NewSize(520, 200))
	ws.showDialog(d, nil)
	waiting := ws.Store
	ws.background(func() func() {
		r := <-opening
		ws.late = r.s // closed by closeStore if the window closes first
		return func() {
			ws.late = nil
			bar.Stop()
			d.Hide()
			if ws.Store != waiting {
				// Another project was opened meanwhile.
				if r.s != nil {
					r.s.Close()
				}
				return
			}
			show(r)
		}
	})
}

// lastProject is the project open last, when it still exists.
func (ws *Workspace) lastProject() string {
	p := ws.App.Preferences().String(prefProject)
	if p == "" {
		return ""
	}
	if _, err := os.Stat(p); err != nil && !isTeamLocation(p) {
		return ""
	}
	return p
}

// setStore shows project s, closing the one shown before.
func (ws *Workspace) setStore(s annotate.Store) error {
	old := ws.Store
	ws.closeReview()
	ws.Store = s
	ws.doc, ws.spans, ws.suggests, ws.selected, ws.offer = annotate.Document{}, nil, nil, 0, nil
	if err := ws.loadProjectSettings(); err != nil {
		ws.Store = old
		return err
	}
	if err := ws.joinTeam(s); err != nil {
		ws.Store = old
		return err
	}
	if old != nil {
		old.Close()
	}
	if ws.placeholder && old != nil {
		ws.placeholder = false
	}
	ws.Window.SetTitle(windowTitle(s.Location(), ws.layer, ws.readOnly()))
	ws.Window.SetMainMenu(ws.mainMenu())
	ws.startLearning()
	ws.docs.reset()
	ws.openFirstDocument()
	if ws.ahead != nil { // it serves the first document only
		ws.ahead.release()
		ws.ahead = nil
	}
	ws.checkProject()
	if ws.placeholder {
		ws.Window.SetTitle(lang.L("Qalam — no project open"))
		return nil
	}
	p := ws.App.Preferences()
	abs := rememberedLocation(s.Location())
	p.SetString(prefProject, abs)
	recent := slices.DeleteFunc(p.StringList(prefRecent), func(r string) bool { return r == abs })
	recent = append([]string{abs}, recent...)
	if len(recent) > maxRecent {
		recent = recent[:maxRecent]
	}
	p.SetStringList(prefRecent, recent)
	return nil
}

// openStore opens the project at path as mode allows, leaving the check
// of a large file for later; a project that cannot be written (a folder
// without write permission) opens read-only.
func (ws *Workspace) openStore(path string, mode annotate.OpenMode) opened {
	r := opened{path: path}
	r.s, r.err = project.Open(ws.ctx, ws.open, path, mode|project.CheckLater)
	if errors.Is(r.err, annotate.ErrReadOnly) {
		r.why = r.err.Error()
		r.s, r.err = project.Open(ws.ctx, ws.open, path, project.ReadOnly|project.CheckLater)
	}
	return r
}

// readOnly reports whether the project shown cannot be written.
func (ws *Workspace) readOnly() bool {
	ro, ok := ws.Store.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// fileCheck is a soundness check of the project file: done is closed
// once the window has taken its outcome (a damaged file closed), and err
// is then that outcome.
type fileCheck struct {
	done chan struct{}
	err  error
	// jobs are the progress dialogs of the jobs waiting for it (startJob),
	// hidden before a damaged file is told: Fyne takes away every dialog
	// shown above one it hides.
	jobs    []*progressDialog
	waiting atomic.Int32 // jobs waiting for it (the tests look)
}

// checkProject reads the project file whole in the background, once the
// window's first frame is drawn (a large file takes a second or more),
// and, when it is damaged, closes it and says so. Edits wait for the
// check, and so do jobs that write (startJob); the check waits for the
// jobs that read (giveWay): cut short by one, it runs again after.
func (ws *Workspace) checkProject() {
	ws.check = nil // the check of the project shown before holds nothing back
	c, ok := ws.Store.(annotate.Checker)
	if !ok || c.Checked() {
		return
	}
	store := ws.Store
	check := &fileCheck{done: make(chan struct{})}
	ws.check = check
	ws.background(func() func() {
		select { // the window is drawn first
		case <-ws.drawn:
		case <-ws.ctx.Done():
		}
		err := ws.way.run(ws.ctx, c.Check)
		return func() {
			check.err = err
			defer close(check.done)
			if ws.Store != store {
				return // another project was opened meanwhile
			}
			ws.check = nil
			if err == nil || errors.Is(err, context.Canceled) {
				return
			}
			for _, p := range check.jobs {
				p.d.Hide()
			}
			loc := store.Location()
			sample, _ := project.DefaultPath()
			if project.SameFile(loc, sample) || !ws.openProject("", project.Existing) {
				ws.placeholder = true
				ws.setStore(memstore.New()) //nolint:errcheck // an empty store in memory opens
			}
			ws.cannotOpen(loc, err)
		}
	})
}

// settleDelay is how long edits pause before the project file is brought
// up to date.
const settleDelay = 2 * time.Second

// checkpoint brings the project file up to date with the edits (a copy
// of the file made now is complete); it takes a few milliseconds.
func (ws *Workspace) checkpoint() {
	if fs, ok := ws.Store.(annotate.FileStore); ok && !ws.closed.Load() {
		fs.Checkpoint(ws.ctx) //nolint:errcheck // the file is complete at the next one, or on closing
	}
}

// checkpointSoon checkpoints once the edits pause.
func (ws *Workspace) checkpointSoon() {
	fs, ok := ws.Store.(annotate.FileStore)
	if !ok {
		return
	}
	if ws.settle != nil {
		ws.settle.Stop()
	}
	ctx := ws.ctx
	ws.settle = time.AfterFunc(settleDelay, func() {
		fs.Checkpoint(ctx) //nolint:errcheck // as in checkpoint
	})
}

// cannotOpen says that the project at path could not be opened, and why,
// and offers what to do: open another, make a new one, or go on with the
// one the window shows.
func (ws *Workspace) cannotOpen(path string, err error) {
	msg := lang.L("Qalam could not open the sample project:")
	if path != "" {
		msg = lang.L("Qalam could not open {{.Path}}:", M{"Path": quote(path)})
	}
	msg += "\n" + err.Error()
	if errors.Is(err, annotate.ErrDamaged) {
		msg += "\n\n" + lang.L("qalam check --db FILE --salvage NEW.qalam copies what can still be read into a new project.")
	}
	if ws.placeholder {
		msg += "\n\n" + lang.L("No project is open.")
	} else {
		msg += "\n\n" + lang.L("The window shows {{.Project}} meanwhile.", M{"Project": quote(project.Name(ws.Store.Location()))})
	}
	var d dialog.Dialog
	another := widget.NewButton(lang.L("Open another…"), func() { d.Hide(); ws.openProjectDialog() })
	fresh := widget.NewButton(lang.L("New project…"), func() { d.Hide(); ws.newProject() })
	goOn := widget.NewButton(lang.L("Go on"), func() { d.Hide() })
	goOn.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(lang.L("Cannot open the project"), container.NewBorder(nil,
		row(layout.NewSpacer(), another, fresh, goOn), nil, nil, container.NewVScroll(message(msg))), ws.Window)
	d.Resize(fyne.NewSize(620, 280))
	ws.showDialog(d, nil)
}

func (ws *Workspace) loadProjectSettings() error {
	labels, err := ws.Store.Labels(ws.ctx)
	if err != nil {
		return err
	}
	ws.labels = labels
	ws.allowOverlap, err = ws.Store.AllowOverlap(ws.ctx)
	if err != nil {
		return err
	}
	ws.refreshLabelBar()
	return nil
}

// openFirstDocument opens the document open last in this project, or the
// first unfinished one, or the first.
func (ws *Workspace) openFirstDocument() {
	if id := ws.firstDocument(ws.Store, ws.docs.query); id != 0 {
		ws.openDocument(id)
		return
	}
	ws.showDocument(annotate.Document{}, widgets.PreparedText{})
}

// firstDocument is the document project s opens with, the list showing
// q: the one open last, or the first unfinished, or the first; 0 for
// none.
func (ws *Workspace) firstDocument(s annotate.Store, q annotate.DocQuery) int64 {
	if id := int64(ws.App.Preferences().Int(prefLastDoc + s.Location())); id > 0 {
		// The document last open, unless it is gone.
		if _, err := s.TextSize(ws.ctx, id); err == nil {
			return id
		}
	}
	if id, ok, err := s.NextUnfinished(ws.ctx, q, 0); err == nil && ok {
		return id
	}
	if first, err := s.DocumentPage(ws.ctx, q, 0, 0, 1); err == nil && len(first) == 1 {
		return first[0].ID
	}
	return 0
}

func (ws *Workspace) closeStore() {
	if ws.closed.Swap(true) {
		return
	}
	if ws.settle != nil {
		ws.settle.Stop()
	}
	ws.closeReview()
	ws.stop() // imports and indexing stop between batches; what they did stays
	ws.jobs.Wait()
	if ws.late != nil {
		ws.late.Close()
	}
	if ws.Store != nil {
		ws.Store.Close()
	}
	close(ws.ended)
}

// Close closes the project unless the window has, once Fyne's loop is
// over: Fyne ends it on SIGINT and SIGTERM (a logout, a shutdown) without
// closing the window, and the project's last edits then stayed in its
// write-ahead log, not in the file. The windows went with the loop.
func (ws *Workspace) Close() {
	ws.review = nil
	ws.closeStore()
}

// Closed is closed once the window has closed, its background work has
// ended and its project is closed: from then on the process keeps
// nothing that ending it would lose.
func (ws *Workspace) Closed() <-chan struct{} { return ws.ended }

// quit waits for background work, closes the project and quits.
func (ws *Workspace) quit() {
	if !ws.closed.Load() {
		ws.Window.Close()
	}
	ws.App.Quit()
}

// openProject opens the project at path in this window, as mode allows,
// and reports whether it did. A project that takes longer than openWait
// to open is shown once it has opened (waitForOpen), and true is
// reported.
func (ws *Workspace) openProject(path string, mode annotate.OpenMode) bool {
	if ws.Store != nil && project.SameFile(path, ws.Store.Location()) {
		return true
	}
	r, ok, later := startOpen(func() opened { return ws.openStore(path, mode) })
	if !ok {
		ws.waitForOpen(path, later, func(r opened) { ws.switchTo(r) })
		return true
	}
	return ws.switchTo(r)
}

// switchTo shows the project r opened, or says why it did not open, and
// reports which.
func (ws *Workspace) switchTo(r opened) bool {
	if r.err != nil {
		ws.showError(r.err)
		return false
	}
	if err := ws.setStore(r.s); err != nil {
		r.s.Close()
		ws.showError(err)
		return false
	}
	ws.readOnlyWhy = r.why
	if ws.shouldAsk() {
		ws.askAnnotator(false)
	}
	return true
}

// --- the annotator -------------------------------------------------------

// canEdit reports whether an annotator is set, asking for one when not.
func (ws *Workspace) canEdit() bool {
	if ws.check != nil {
		ws.say(lang.L("Checking the project file before the first edit: a moment…"))
		return false
	}
	if ws.readOnly() {
		why := ws.readOnlyWhy
		if why == "" {
			why = lang.L("the project is read-only")
		}
		ws.say(lang.L("No edit is possible: {{.Reason}}. File › Save a copy… makes a copy you can edit", M{"Reason": why}))
		return false
	}
	if ws.layer == "" {
		ws.askAnnotator(false)
		return false
	}
	return ws.doc.ID != 0 && !ws.readOnlyNow()
}

// --- messages ------------------------------------------------------------

// say shows a line in the status bar.
func (ws *Workspace) say(msg string) {
	ws.ui.message.SetText(msg)
	ws.ui.offerButton.Hide()
}

func (ws *Workspace) showError(err error) {
	if err == nil || ws.lostConnection(err) {
		return
	}
	ws.ui.message.SetText(lang.L("Error: {{.Reason}}", M{"Reason": err.Error()}))
	ws.inform(lang.L("Error"), err.Error())
}

// explain turns store errors an annotator can cause into a sentence for
// the status bar; others become an error dialog.
func (ws *Workspace) explain(err error) {
	if errors.Is(err, annotate.ErrUnknownLabel) {
		// Another window or program changed the labels meanwhile.
		if lerr := ws.loadProjectSettings(); lerr == nil {
			ws.Window.SetMainMenu(ws.mainMenu())
			ws.reload()
			ws.say(lang.L("Not added: the labels were changed elsewhere ({{.Reason}}); the label bar shows them now", M{"Reason": reason(err, annotate.ErrUnknownLabel)}))
			return
		}
	}
	if msg := explainEdit(err, false); msg != "" {
		ws.say(msg)
		return
	}
	ws.showError(err)
}

// notice is a sentence for the user that a dialog shows where an error
// would go (it starts with a capital, as a sentence does).
type notice string

func (n notice) Error() string { return string(n) }

// explainEdit is the sentence for an error the user's edit caused (what
// was not done, and why), or "" for any other error. gold: the edit was
// the adjudication window's, of gold.
func explainEdit(err error, gold bool) string {
	switch {
	case errors.Is(err, annotate.ErrOverlap):
		if strings.Contains(err.Error(), "already there") {
			return lang.L("Not added: the same span is there already")
		}
		if gold {
			return lang.L("Not settled: the gold span overlaps another, and this project does not allow overlapping spans")
		}
		return lang.L("Not added: it overlaps a span, and this project does not allow overlapping spans (Edit › Allow overlapping spans)")
	case errors.Is(err, annotate.ErrNothingToUndo) && gold:
		return lang.L("Nothing to undo in gold on this document")
	case errors.Is(err, annotate.ErrNothingToUndo):
		return lang.L("Nothing to undo in this document")
	case errors.Is(err, annotate.ErrNothingToRedo) && gold:
		return lang.L("Nothing to redo in gold on this document")
	case errors.Is(err, annotate.ErrNothingToRedo):
		return lang.L("Nothing to redo in this document")
	case errors.Is(err, annotate.ErrSpanRange):
		return lang.L("Select some text first")
	case errors.Is(err, annotate.ErrReplayFailed):
		return lang.L("Not replayed: {{.Reason}}. Ctrl+Z goes on with the edit before it", M{"Reason": err.Error()})
	}
	return ""
}

// reason is the message of the innermost error of err's chain that still
// wraps target: the rule that refused an edit, without the operation the
// store names around it.
func reason(err, target error) string {
	for {
		inner := errors.Unwrap(err)
		if inner == nil || inner == target || !errors.Is(inner, target) {
			return err.Error()
		}
		err = inner
	}
}
