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
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/articles"
	"github.com/qalam-annotate/qalam/project"
)

// progressDialog shows a job's progress with a Cancel button. Its methods
// run on the UI goroutine.
type progressDialog struct {
	d      dialog.Dialog
	bar    *widget.ProgressBar
	detail *widget.Label
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
	ws.say(strings.ReplaceAll(msg, "\n", "; "))
	if len(probs) > 0 {
		msg += "\n\n" + heading + "\n" + strings.Join(probs, "\n")
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", container.NewVScroll(l), ws.Window)
	d.Resize(fyne.NewSize(620, 320))
	ws.showDialog(d, nil)
}

func (ws *Workspace) newProgress(title string, cancel func()) *progressDialog {
	p := &progressDialog{bar: widget.NewProgressBar(), detail: widget.NewLabel("Starting…")}
	stop := widget.NewButton("Cancel", func() {
		p.detail.SetText("Cancelling…")
		cancel()
	})
	content := container.NewVBox(p.detail, p.bar, container.NewCenter(stop))
	p.d = dialog.NewCustomWithoutButtons(title, content, ws.Window)
	p.d.Resize(fyne.NewSize(460, 160))
	p.d.Show()
	return p
}

// startJob runs work on a goroutine of its own, with a progress dialog
// whose Cancel button cancels ctx; work hides the dialog (p.d) when it
// reports its end through fyne.Do. Closing the workspace waits for it.
func (ws *Workspace) startJob(title string, work func(ctx context.Context, store annotate.Store, p *progressDialog)) {
	ctx, cancel := context.WithCancel(ws.ctx)
	p := ws.newProgress(title, cancel)
	store := ws.Store
	ws.jobs.Add(1)
	go func() {
		defer ws.jobs.Done()
		defer cancel()
		work(ctx, store, p)
	}()
}

// throttle returns a progress callback for a job's goroutine: at most ten
// times a second it hands done and total to show on the UI goroutine.
func throttle(show func(done, total int64)) func(done, total int64) {
	var last time.Time
	return func(done, total int64) {
		if now := time.Now(); now.Sub(last) >= 100*time.Millisecond {
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
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			ws.showError(err)
			return
		}
		r.Close()
		ws.importArticles([]string{r.URI().Path()})
	}, ws.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".jsonl", ".ndjson"}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

func (ws *Workspace) importFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			ws.showError(err)
			return
		}
		ws.importArticles([]string{u.Path()})
	}, ws.Window)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// importArticles imports articles from paths in the background, with a
// progress dialog that can cancel (what was imported before stays).
func (ws *Workspace) importArticles(paths []string) {
	ws.startJob("Importing articles", func(ctx context.Context, store annotate.Store, p *progressDialog) {
		files, size := articles.Size(paths)
		var refused problems
		update := throttle(func(n, size int64) {
			p.set(n, size, fmt.Sprintf("%d files, %.1f of %.1f MB read", files, float64(n)/1e6, float64(size)/1e6))
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
			msg := fmt.Sprintf("Imported %d articles; %d were in the project already, %d refused, %d other files skipped.",
				sum.Imported, sum.Duplicates, sum.Rejected, sum.Skipped)
			if errors.Is(err, context.Canceled) {
				msg = "Import cancelled. " + msg
			} else if err != nil {
				ws.showError(err)
				return
			}
			ws.showReport("Import", msg, "Refused:", refused)
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
	name.SetText("project")
	folder, picker := ws.folderPicker(ws.defaultFolder())
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	form := widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Folder", picker))
	var d dialog.Dialog
	create := widget.NewButton("Create", func() {
		n := strings.TrimSuffix(strings.TrimSpace(name.Text), project.Ext)
		if n == "" || strings.ContainsAny(n, `/\`) {
			problem.SetText("Give the project a name (no slashes)")
			problem.Show()
			fitHeight(d)
			return
		}
		path := filepath.Join(strings.TrimSpace(folder.Text), n+project.Ext)
		ws.createProject(path, func(err error) {
			problem.SetText(err.Error())
			problem.Show()
			fitHeight(d)
		}, func() { d.Hide() })
	})
	create.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	content := container.NewBorder(nil, container.NewVBox(problem, container.NewHBox(layout.NewSpacer(), cancel, create)), nil, nil, form)
	d = dialog.NewCustomWithoutButtons("New project", content, ws.Window)
	d.Resize(fyne.NewSize(640, 260))
	ws.showDialog(d, nil)
	ws.Window.Canvas().Focus(name)
}

// createProject makes a new project at path and opens it; refuse says why
// not, done closes the asking dialog. An existing project is offered to
// open, or to replace after a second question that says what is lost.
func (ws *Workspace) createProject(path string, refuse func(error), done func()) {
	if !isDir(filepath.Dir(path)) {
		refuse(notice("There is no folder " + filepath.Dir(path)))
		return
	}
	s, err := ws.open(ws.ctx, path, project.ReadOnly)
	if errors.Is(err, annotate.ErrNoProject) {
		done()
		ws.openNewProject(path)
		return
	}
	if err != nil {
		refuse(fmt.Errorf("%s exists and is not a Qalam project (%w): choose another name", path, err))
		return
	}
	n, err := s.CountDocuments(ws.ctx)
	s.Close()
	if err != nil {
		refuse(err)
		return
	}
	msg := fmt.Sprintf("%s is a project already, with %d documents. Open it, or replace it with an empty project?", filepath.Base(path), n)
	var ask dialog.Dialog
	open := widget.NewButton("Open it", func() {
		ask.Hide()
		done()
		ws.openProject(path, project.Existing)
	})
	open.Importance = widget.HighImportance
	replace := widget.NewButton("Replace it…", func() {
		ask.Hide()
		warn := fmt.Sprintf("Replacing %s deletes its %d documents and every annotation in it, for good. Replace it?", filepath.Base(path), n)
		dialog.ShowConfirm("Replace the project?", warn, func(ok bool) {
			if !ok {
				return
			}
			if ws.Store != nil && project.SameFile(path, ws.Store.Location()) {
				refuse(notice("This is the project open in this window: open another one first"))
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
		}, ws.Window)
	})
	replace.Importance = widget.DangerImportance
	cancel := widget.NewButton("Cancel", func() { ask.Hide() })
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	ask = dialog.NewCustomWithoutButtons("The project exists", container.NewBorder(nil,
		container.NewHBox(layout.NewSpacer(), cancel, replace, open), nil, nil, text), ws.Window)
	ask.Resize(fyne.NewSize(560, 200))
	ask.Show()
}

// openNewProject makes and opens the project at path, then offers to
// import articles into it.
func (ws *Workspace) openNewProject(path string) {
	if !ws.openProject(path, project.Create) {
		return
	}
	dialog.ShowConfirm("New project", "The project is empty. Import articles now?", func(ok bool) {
		if ok {
			ws.importFolder()
		}
	}, ws.Window)
}

// saveCopyDialog asks for a new file and writes the whole project into
// it, in one file, compacted: what to send to a reviewer (a copy of the
// .qalam file made by hand while the app runs may lack the last edits).
func (ws *Workspace) saveCopyDialog() {
	fs, ok := ws.Store.(annotate.FileStore)
	if !ok || ws.placeholder {
		ws.say("This project is not a file: File → Export writes its work out")
		return
	}
	name := widget.NewEntry()
	base := project.Name(ws.Store.Location())
	if ws.layer != "" {
		base += "-" + ws.layer
	}
	name.SetText(base + project.Ext)
	folder, picker := ws.folderPicker(ws.defaultFolder())
	problem := widget.NewLabel("")
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.DangerImportance
	problem.Hide()
	var d dialog.Dialog
	save := widget.NewButton("Save the copy", func() {
		n := strings.TrimSpace(name.Text)
		if !strings.HasSuffix(n, project.Ext) {
			n += project.Ext
		}
		path := filepath.Join(strings.TrimSpace(folder.Text), n)
		if _, err := os.Lstat(path); err == nil {
			problem.SetText(fmt.Sprintf("%s exists: a copy goes to a new file, choose another name", path))
			problem.Show()
			fitHeight(d)
			return
		}
		if err := fs.SaveCopy(ws.ctx, path); err != nil {
			problem.SetText(err.Error())
			problem.Show()
			fitHeight(d)
			return
		}
		d.Hide()
		ws.say("Saved a copy of the whole project as " + path)
	})
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	form := widget.NewForm(widget.NewFormItem("Name", name), widget.NewFormItem("Folder", picker))
	note := widget.NewLabel("The copy holds the whole project, every edit included, in one file: the file to send to a reviewer.")
	note.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(note, container.NewVBox(problem, container.NewHBox(layout.NewSpacer(), cancel, save)), nil, nil, form)
	d = dialog.NewCustomWithoutButtons("Save a copy", content, ws.Window)
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
	pick := widget.NewButton("Folder…", func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				entry.SetText(u.Path())
			}
		}, ws.Window)
		d.Resize(fyne.NewSize(900, 600))
		d.Show()
	})
	return entry, container.NewBorder(nil, nil, nil, pick, entry)
}

func (ws *Workspace) openProjectDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			ws.showError(err)
			return
		}
		r.Close()
		ws.openProject(r.URI().Path(), project.Existing)
	}, ws.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{project.Ext}))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// --- the search index ------------------------------------------------------

// buildSearchIndex indexes the documents the search index lacks in the
// background, then runs then on the UI goroutine.
func (ws *Workspace) buildSearchIndex(then func()) {
	ws.startJob("Preparing full-text search", func(ctx context.Context, store annotate.Store, p *progressDialog) {
		update := throttle(func(d, t int64) {
			p.set(d, t, fmt.Sprintf("Indexing %d of %d documents (once per project)", d, t))
		})
		err := store.IndexForSearch(ctx, func(d, t int) { update(int64(d), int64(t)) })
		fyne.Do(func() {
			p.d.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				ws.say("Indexing stopped; it goes on from there next time")
			case err != nil:
				ws.showError(err)
			default:
				then()
			}
		})
	})
}
