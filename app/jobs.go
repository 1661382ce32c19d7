package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/project"
	"github.com/qalam-annotate/qalam/widgets"
)

// progressDialog shows a job's progress with a Cancel button. Its methods
// run on the UI goroutine.
type progressDialog struct {
	d      dialog.Dialog
	bar    *widget.ProgressBar
	detail *widgets.BidiLabel
}

// problems keeps the first few problems a job reports, for its summary.
// It is used from the job's goroutine only.
type problems []string

const maxProblems = 50

func (p *problems) add(msg string) {
	if len(*p) < maxProblems {
		*p = append(*p, msg)
	}
}

// showReport ends a job: msg goes to the status line and, with the
// problems under their heading, into a dialog.
func (ws *Workspace) showReport(title, msg, heading string, probs problems) {
	ws.say(strings.ReplaceAll(msg, "\n", lang.X("list.clauses", "; ")))
	if len(probs) > 0 {
		msg += "\n\n" + heading + "\n" + strings.Join(probs, "\n")
	}
	d := inform(ws.Window, title, msg)
	d.Resize(fyne.NewSize(620, max(320, d.MinSize().Height)))
	ws.showDialog(d, nil)
}

func (ws *Workspace) newProgress(title string, cancel func()) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBar(), detail: uiLabel(lang.L("Starting…"))}
	stop := widget.NewButton(lang.L("Cancel"), func() {
		p.detail.SetText(lang.L("Cancelling…"))
		cancel()
	})
	content := container.NewVBox(p.detail, p.bar, container.NewCenter(stop))
	p.d = dialog.NewCustomWithoutButtons(title, content, ws.Window)
	p.d.Resize(fyne.NewSize(460, 160))
	// What had the keyboard (the search box, say) gets it back after the
	// job. Meanwhile, nothing has it: a text box keeps its cursor blinking
	// under a dialog, and each blink drew the whole window again, a third
	// of a processor without a graphics card, taken from the job.
	c := ws.Window.Canvas()
	if focused := c.Focused(); focused != nil {
		c.Unfocus()
		p.d.SetOnClosed(func() { c.Focus(focused) })
	}
	p.d.Show()
	return p
}

// background runs work on a goroutine of its own, then what it returns
// (nil for nothing) on the UI goroutine, unless the window closed
// meanwhile. Closing the workspace waits for work. Every job of the
// window runs through it.
func (ws *Workspace) background(work func() func()) {
	ws.jobs.Add(1)
	go func() {
		defer ws.jobs.Done()
		apply := work()
		if apply == nil {
			return
		}
		fyne.Do(func() {
			if !ws.closed.Load() {
				apply()
			}
		})
	}()
}

// jobAccess says whether a job writes to the project.
type jobAccess bool

const (
	readsProject  jobAccess = false
	writesProject jobAccess = true
)

// startJob runs work in the background with a progress dialog whose
// Cancel button cancels ctx; work hides the dialog (p.d) when it reports
// its end through fyne.Do. A job reads or writes the whole corpus, and
// has a job's room for the collector meanwhile (collector().forJob); the
// check and learning give way to it (giveWay).
//
// A job that writes waits first for the check of the project file, when
// one is under way (checkProject), as edits do: writing into a damaged
// file can spread the damage to what is still sound (a page listed as
// free by mistake is given to the new data over the old). When the check
// finds damage, work does not run, and the check says why.
func (ws *Workspace) startJob(title string, access jobAccess, work func(ctx context.Context, store annotate.Store, p *progressDialog)) {
	ctx, cancel := context.WithCancel(ws.ctx)
	p := ws.newProgress(title, cancel)
	store := ws.Store
	check := ws.check
	if access == readsProject {
		check = nil
	} else if check != nil {
		check.jobs = append(check.jobs, p)
	}
	// A job runs from now on, unless it waits for the check first: the
	// check would give way to it, and nothing would run.
	var running func()
	if check == nil {
		running = ws.way.job()
	}
	ws.background(func() func() {
		defer cancel()
		if check != nil {
			// No bar meanwhile: how long the check takes is not known.
			fyne.Do(func() {
				p.bar.Hide()
				p.detail.SetText(lang.L("Checking the project file before writing to it…"))
			})
			check.waiting.Add(1)
			select {
			case <-check.done:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				return func() {
					p.d.Hide()
					ws.say(lang.L("Stopped before anything was written"))
				}
			}
			if check.err != nil {
				return nil // the check hid the dialog, and tells why
			}
			fyne.Do(p.bar.Show)
			running = ws.way.job()
		}
		defer running()
		defer collector().forJob()()
		work(ctx, store, p)
		return nil
	})
}

// throttle returns a progress callback for a job's goroutine: at once,
// then at most once a second, it hands done and total to show on the UI
// goroutine. Each showing draws the whole window again: without a
// graphics card, ten a second took a quarter of a processor from the
// job, and four a second 7-8% of the app's processor time while it
// indexed a million documents (2.5% now).
func throttle(show func(done, total int64)) func(done, total int64) {
	var last time.Time
	return func(done, total int64) {
		if now := time.Now(); now.Sub(last) >= time.Second {
			last = now
			fyne.Do(func() { show(done, total) })
		}
	}
}

// set shows a job's progress in the dialog.
func (p *progressDialog) set(done, total int64, detail string) {
	p.bar.SetValue(float64(done) / float64(max(total, 1)))
	p.detail.SetText(detail)
}

// --- importing articles ----------------------------------------------------

func (ws *Workspace) importFile() {
	ws.chooseFile([]string{".txt", ".jsonl", ".ndjson"}, func(path string) { ws.importArticles([]string{path}) })
}

func (ws *Workspace) importFolder() {
	ws.chooseFolder(func(path string) { ws.importArticles([]string{path}) })
}

// importArticles imports articles from paths in the background, with a
// progress dialog that can cancel (what was imported before stays).
func (ws *Workspace) importArticles(paths []string) {
	ws.startJob(lang.L("Importing articles"), writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		files, size := articles.Size(paths)
		var refused problems
		update := throttle(func(n, size int64) {
			p.set(n, size, lang.N("{{.Count}} files, {{.Read}} of {{.Size}} MB read", files,
				M{"Count": files, "Read": fmt.Sprintf("%.1f", float64(n)/1e6), "Size": fmt.Sprintf("%.1f", float64(size)/1e6)}))
		})
		sum, err := project.Import(ctx, store, paths, func(it articles.Item) {
			if it.Err != nil {
				refused.add(it.Where() + ": " + it.Err.Error())
			}
		}, func(n int64) { update(n, size) })
		fyne.Do(func() {
			p.d.Hide()
			ws.docs.reset()
			if ws.doc.ID == 0 {
				ws.openFirstDocument()
			}
			msg := lang.N("Imported {{.Count}} articles; {{.Duplicates}} were in the project already, {{.Rejected}} refused, {{.Skipped}} other files skipped.", sum.Imported,
				M{"Count": sum.Imported, "Duplicates": sum.Duplicates, "Rejected": sum.Rejected, "Skipped": sum.Skipped})
			if errors.Is(err, context.Canceled) {
				msg = lang.L("Import cancelled. {{.Message}}", M{"Message": msg})
			} else if err != nil {
				ws.showError(err)
				return
			}
			ws.showReport(lang.L("Import"), msg, lang.L("Refused:"), refused)
		})
	})
}

// --- projects ----------------------------------------------------------------

// newProject asks for a new project's name and folder. An existing
// project there is opened, not replaced, unless the user asks to replace
// it and confirms with its document count before them; another file of
// that name is never touched.
func (ws *Workspace) newProject() {
	name := widget.NewEntry()
	name.SetText(lang.L("project"))
	folder, picker := ws.folderPicker(ws.defaultFolder())
	problem := problemLine()
	form := formItems([]field{{lang.L("Name"), name}, {lang.L("Folder"), picker}})
	var d dialog.Dialog
	create := widget.NewButton(lang.L("Create"), func() {
		n := strings.TrimSuffix(strings.TrimSpace(name.Text), project.Ext)
		if n == "" || strings.ContainsAny(n, `/\`) {
			sayProblem(d, problem, lang.L("Give the project a name (no slashes)"))
			return
		}
		path := filepath.Join(strings.TrimSpace(folder.Text), n+project.Ext)
		ws.createProject(path, func(err error) {
			sayProblem(d, problem, err.Error())
		}, func() { d.Hide() })
	})
	create.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	content := container.NewBorder(nil, container.NewVBox(problem, buttons(cancel, create)), nil, nil, form)
	d = dialog.NewCustomWithoutButtons(lang.L("New project"), content, ws.Window)
	d.Resize(fyne.NewSize(640, 260))
	ws.showDialog(d, nil)
	ws.Window.Canvas().Focus(name)
}

// createProject makes a new project at path and opens it; refuse says why
// not, done closes the asking dialog. An existing project is offered to
// open, or to replace after a second question that says what is lost.
func (ws *Workspace) createProject(path string, refuse func(error), done func()) {
	if !isDir(filepath.Dir(path)) {
		refuse(notice(lang.L("There is no folder {{.Folder}}", M{"Folder": quote(filepath.Dir(path))})))
		return
	}
	s, err := ws.open(ws.ctx, path, project.ReadOnly)
	if errors.Is(err, annotate.ErrNoProject) {
		done()
		ws.openNewProject(path)
		return
	}
	if err != nil {
		refuse(notice(lang.L("{{.Path}} exists and is not a Qalam project ({{.Reason}}): choose another name", M{"Path": quote(path), "Reason": err.Error()})))
		return
	}
	n, err := s.CountDocuments(ws.ctx)
	s.Close()
	if err != nil {
		refuse(err)
		return
	}
	msg := lang.N("{{.Name}} is a project already, with {{.Count}} documents. Open it, or replace it with an empty project?", n, M{"Name": quote(filepath.Base(path)), "Count": n})
	var ask dialog.Dialog
	open := widget.NewButton(lang.L("Open it"), func() {
		ask.Hide()
		done()
		ws.openProject(path, project.Existing)
	})
	open.Importance = widget.HighImportance
	replace := widget.NewButton(lang.L("Replace it…"), func() {
		ask.Hide()
		warn := lang.N("Replacing {{.Name}} deletes its {{.Count}} documents and every annotation in it, for good. Replace it?", n, M{"Name": quote(filepath.Base(path)), "Count": n})
		confirm(ws.Window, lang.L("Replace the project?"), warn, func(ok bool) {
			if !ok {
				return
			}
			if ws.Store != nil && project.SameFile(path, ws.Store.Location()) {
				refuse(notice(lang.L("This is the project open in this window: open another one first")))
				return
			}
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					refuse(err)
					return
				}
			}
			done()
			ws.openNewProject(path)
		})
	})
	replace.Importance = widget.DangerImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { ask.Hide() })
	ask = dialog.NewCustomWithoutButtons(lang.L("The project exists"), container.NewBorder(nil,
		buttons(cancel, replace, open), nil, nil, message(msg)), ws.Window)
	ask.Resize(fyne.NewSize(560, 200))
	ask.Show()
}

// openNewProject makes and opens the project at path, then offers to
// import articles into it.
func (ws *Workspace) openNewProject(path string) {
	if !ws.openProject(path, project.Create) {
		return
	}
	confirm(ws.Window, lang.L("New project"), lang.L("The project is empty. Import articles now?"), func(ok bool) {
		if ok {
			ws.importFolder()
		}
	})
}

// saveCopyDialog asks for a new file and writes the whole project into
// it, in one file, compacted: what to send to a reviewer (a copy of the
// .qalam file made by hand while the app runs may lack the last edits).
func (ws *Workspace) saveCopyDialog() {
	fs, ok := ws.Store.(annotate.FileStore)
	if !ok || ws.placeholder {
		ws.say(lang.L("This project is not a file: File › Export writes its work out"))
		return
	}
	name := widget.NewEntry()
	base := project.Name(ws.Store.Location())
	if ws.layer != "" {
		base += "-" + ws.layer
	}
	name.SetText(base + project.Ext)
	folder, picker := ws.folderPicker(ws.defaultFolder())
	problem := problemLine()
	var d dialog.Dialog
	save := widget.NewButton(lang.L("Save the copy"), func() {
		n := strings.TrimSpace(name.Text)
		if !strings.HasSuffix(n, project.Ext) {
			n += project.Ext
		}
		path := filepath.Join(strings.TrimSpace(folder.Text), n)
		if _, err := os.Lstat(path); err == nil {
			sayProblem(d, problem, lang.L("{{.Path}} exists: a copy goes to a new file, choose another name", M{"Path": quote(path)}))
			return
		}
		if err := fs.SaveCopy(ws.ctx, path); err != nil {
			sayProblem(d, problem, err.Error())
			return
		}
		d.Hide()
		ws.say(lang.L("Saved a copy of the whole project as {{.Path}}", M{"Path": quote(path)}))
	})
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	form := formItems([]field{{lang.L("Name"), name}, {lang.L("Folder"), picker}})
	note := message(lang.L("The copy holds the whole project, every edit included, in one file: the file to send to a reviewer."))
	content := container.NewBorder(note, container.NewVBox(problem, buttons(cancel, save)), nil, nil, form)
	d = dialog.NewCustomWithoutButtons(lang.L("Save a copy"), content, ws.Window)
	d.Resize(fyne.NewSize(640, 300))
	ws.showDialog(d, nil)
}

// defaultFolder is where new files go first: the open project's folder.
func (ws *Workspace) defaultFolder() string {
	if ws.Store != nil {
		if dir := filepath.Dir(ws.Store.Location()); isDir(dir) {
			return dir
		}
	}
	home, _ := os.UserHomeDir()
	return home
}

// folderPicker is an entry for a folder with a Folder… button.
func (ws *Workspace) folderPicker(start string) (*widget.Entry, fyne.CanvasObject) {
	entry := widget.NewEntry()
	entry.SetText(start)
	pick := widget.NewButton(lang.L("Folder…"), func() { ws.chooseFolder(entry.SetText) })
	return entry, edges(nil, pick, entry)
}

func (ws *Workspace) openProjectDialog() {
	ws.chooseFile([]string{project.Ext}, func(path string) { ws.openProject(path, project.Existing) })
}

// --- the search index ------------------------------------------------------

// indexInJobAbove is how many documents the search index may lack for a
// search, or a review of a name's occurrences in the corpus, to index
// them on the way (a few thousand take a fraction of a second); more are
// indexed first in a job (buildSearchIndex), with progress and Cancel.
var indexInJobAbove = 2000

// indexFirst reports whether then waits for the search index: when it
// lacks more than indexInJobAbove documents, they are indexed in a job
// (buildSearchIndex) and then runs after; when its state cannot be read,
// the error is shown and then does not run. Otherwise the caller goes on
// at once, the few missing being indexed on the way.
func (ws *Workspace) indexFirst(then func()) bool {
	missing, _, err := ws.Store.SearchIndexState(ws.ctx)
	if err != nil {
		ws.showError(err)
		return true
	}
	if missing > indexInJobAbove {
		ws.buildSearchIndex(then)
		return true
	}
	return false
}

// buildSearchIndex indexes the documents the search index lacks in the
// background, then runs then on the UI goroutine.
func (ws *Workspace) buildSearchIndex(then func()) {
	ws.startJob(lang.L("Preparing full-text search"), writesProject, func(ctx context.Context, store annotate.Store, p *progressDialog) {
		update := throttle(func(d, t int64) {
			p.set(d, t, lang.N("Indexing {{.Done}} of {{.Count}} documents (once per project)", int(t), M{"Done": d, "Count": t}))
		})
		err := store.IndexForSearch(ctx, func(d, t int) { update(int64(d), int64(t)) })
		fyne.Do(func() {
			p.d.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				ws.say(lang.L("Indexing stopped; it goes on from there next time"))
			case err != nil:
				ws.showError(err)
			default:
				then()
			}
		})
	})
}
