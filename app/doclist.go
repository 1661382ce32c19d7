package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/widgets"
)

// pageSize is how many rows of the document list one store query reads.
const pageSize = 100

// maxPages bounds the rows the list keeps (100 pages: 10,000 rows).
const maxPages = 100

// pager reads the document list a page at a time and keeps the pages
// read. The list is virtual: a project of 100,000 documents costs the
// rows on screen and the pages around them, never the whole list.
type pager struct {
	store annotate.Store
	query annotate.DocQuery
	count int
	pages map[int][]annotate.DocSummary
	used  []int // page numbers, least recently read first
	// fetches counts store queries, for tests and benchmarks.
	fetches int
}

func newPager(s annotate.Store, q annotate.DocQuery) (*pager, error) {
	p := &pager{store: s, query: q, pages: map[int][]annotate.DocSummary{}}
	n, err := s.CountMatching(context.Background(), q)
	p.count = n
	return p, err
}

// row returns row i of the list.
func (p *pager) row(i int) (annotate.DocSummary, bool) {
	if i < 0 || i >= p.count {
		return annotate.DocSummary{}, false
	}
	n := i / pageSize
	rows, ok := p.pages[n]
	if !ok {
		var err error
		if rows, err = p.fetch(n); err != nil {
			fyne.LogError("document list", err)
			return annotate.DocSummary{}, false
		}
	}
	if k := i % pageSize; k < len(rows) {
		return rows[k], true
	}
	return annotate.DocSummary{}, false
}

// fetch reads page n, starting from the last id of the nearest full page
// before it that is kept: scrolling reads each page by id, at the same
// cost at the end of the list as at its start.
func (p *pager) fetch(n int) ([]annotate.DocSummary, error) {
	after, skip, from := int64(0), n*pageSize, -1
	for k, rows := range p.pages {
		if k < n && k > from && len(rows) == pageSize {
			from = k
		}
	}
	if from >= 0 {
		after = p.pages[from][pageSize-1].ID
		skip = (n - from - 1) * pageSize
	}
	p.fetches++
	rows, err := p.store.DocumentPage(context.Background(), p.query, after, skip, pageSize)
	if err != nil {
		return nil, err
	}
	p.pages[n] = rows
	p.used = append(p.used, n)
	if len(p.used) > maxPages {
		delete(p.pages, p.used[0])
		p.used = p.used[1:]
	}
	return rows, nil
}

// update replaces the kept row of document d, if any; it returns the row's
// index.
func (p *pager) update(d annotate.DocSummary) (int, bool) {
	for n, rows := range p.pages {
		for k := range rows {
			if rows[k].ID == d.ID {
				rows[k] = d
				return n*pageSize + k, true
			}
		}
	}
	return 0, false
}

// index finds where document id is in the list, -1 when it is not.
func (p *pager) index(id int64) int {
	for n, rows := range p.pages {
		// pages are sorted by id
		k := sort.Search(len(rows), func(k int) bool { return rows[k].ID >= id })
		if k < len(rows) && rows[k].ID == id {
			return n*pageSize + k
		}
	}
	i, err := p.store.DocumentIndex(context.Background(), p.query, id)
	if err != nil {
		fyne.LogError("document list", err)
		return -1
	}
	return i
}

// docList is the panel of documents: search, status filter, progress
// and the list.
type docList struct {
	ws       *Workspace
	query    annotate.DocQuery
	pager    *pager
	list     *widget.List
	search   *widget.Entry
	filter   *widget.Select
	progress *widget.ProgressBar
	done     *widgets.BidiLabel // "N of M done", under the bar
	counter  *widgets.BidiLabel
	syncing  bool
}

// statusFilter is a choice of the status filter.
type statusFilter struct {
	label  string
	status annotate.Status
}

func statusFilters() []statusFilter {
	return []statusFilter{
		{lang.L("All documents"), ""},
		{lang.L("To do"), annotate.Todo},
		{lang.L("In progress"), annotate.InProgress},
		{lang.L("Done"), annotate.Done},
		{lang.L("Skipped"), annotate.Skipped},
	}
}

// listQuery is the list's query as a project opens, for the annotator
// layer: every document of the annotator's queue.
func listQuery(layer string) annotate.DocQuery {
	return annotate.DocQuery{Layer: layer, Queue: true}
}

func newDocList(ws *Workspace) *docList {
	dl := &docList{ws: ws}
	dl.query = listQuery(ws.layer)
	dl.list = widget.NewList(dl.length, dl.createRow, dl.updateRow)
	dl.list.OnSelected = func(i widget.ListItemID) {
		if dl.syncing {
			return
		}
		if d, ok := dl.pager.row(i); ok {
			ws.openDocument(d.ID)
		}
	}
	dl.search = widget.NewEntry()
	dl.search.SetPlaceHolder(fyneLine(lang.L("Search the corpus"), "(Ctrl+F)"))
	dl.search.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		dl.search.SetText("")
		dl.setSearch("")
	})
	dl.search.OnSubmitted = dl.setSearch
	filters := statusFilters()
	var labels []string
	for _, f := range filters {
		labels = append(labels, f.label)
	}
	dl.filter = widget.NewSelect(labels, func(s string) {
		for _, f := range filters {
			if f.label == s && f.status != dl.query.Status {
				dl.query.Status = f.status
				dl.reset()
				ws.focusView()
			}
		}
	})
	dl.filter.Alignment = leading()
	dl.filter.SetSelectedIndex(0)
	dl.progress = widget.NewProgressBar()
	dl.progress.TextFormatter = func() string { return "" }
	// The bar's own text is Fyne's: a BidiLabel over it says how far.
	dl.done = uiLabel("")
	dl.done.Alignment = fyne.TextAlignCenter
	dl.counter = uiLabel("")
	return dl
}

// setQuery shows the list for q (the status filter and search of another
// build of the window).
func (dl *docList) setQuery(q annotate.DocQuery) {
	dl.query = q
	dl.search.SetText(q.Search)
	for i, f := range statusFilters() {
		if f.status == q.Status {
			dl.filter.SetSelectedIndex(i)
		}
	}
}

func (dl *docList) panel() fyne.CanvasObject {
	top := container.NewVBox(dl.search, dl.filter, container.NewStack(dl.progress, dl.done))
	return container.NewBorder(top, dl.counter, nil, nil, dl.list)
}

func (dl *docList) length() int {
	if dl.pager == nil {
		return 0
	}
	return dl.pager.count
}

// docRow is a row of the document list: the status, the name (cut with
// an ellipsis, never drawn over what follows it), a flag, the length and
// the number of spans.
type docRow struct {
	widget.BaseWidget
	box  *fyne.Container
	icon *widget.Icon
	name *widgets.BidiLabel
	flag *widget.Icon
	info *widget.Label
}

func (r *docRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

func (dl *docList) createRow() fyne.CanvasObject {
	r := &docRow{icon: widget.NewIcon(theme.RadioButtonIcon()), name: docLabel(""), flag: widget.NewIcon(nil), info: widget.NewLabel("")}
	r.box = edges(r.icon, row(r.flag, r.info), r.name)
	r.ExtendBaseWidget(r)
	return r
}

func statusIcon(s annotate.Status) fyne.Resource {
	switch s {
	case annotate.InProgress:
		return theme.RadioButtonCheckedIcon()
	case annotate.Done:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case annotate.Skipped:
		return theme.NewDisabledResource(theme.MediaSkipNextIcon())
	}
	return theme.NewDisabledResource(theme.RadioButtonIcon())
}

func (dl *docList) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*docRow)
	d, ok := dl.pager.row(i)
	if !ok {
		r.name.SetText("…")
		r.info.SetText("")
		return
	}
	r.name.SetText(d.Name)
	r.icon.SetResource(statusIcon(d.Status))
	if d.Flagged {
		r.flag.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		r.flag.Show()
	} else {
		r.flag.Hide()
	}
	r.info.SetText(fmt.Sprintf("%s · %d", shortLength(d.Length), d.Spans))
}

// shortLength writes a length in characters briefly: 870, 4.2k.
func shortLength(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1000), ".0") + "k"
}

func (dl *docList) setLayer(layer string) {
	dl.query.Layer = layer
	dl.reset()
}

// setSearch filters the list by a full-text query. The first search of a
// large project builds the search index in the background first.
func (dl *docList) setSearch(q string) {
	q = strings.TrimSpace(q)
	if q == dl.query.Search {
		return
	}
	ws := dl.ws
	if q != "" {
		if err := annotate.ValidSearch(q); err != nil {
			ws.say(lang.L("Type a word to search for"))
			return
		}
		if ws.indexFirst(func() { dl.setSearch(q) }) {
			return
		}
	}
	old := dl.query.Search
	dl.query.Search = q
	if err := dl.resetErr(); err != nil {
		dl.query.Search = old
		ws.showError(err)
		dl.resetErr()
		return
	}
	if q != "" {
		ws.showHits()
		if len(ws.hits) > 0 {
			ws.focusView() // the hit selected is labelled with a key
			return
		}
		ws.say(lang.N("{{.Count}} documents match {{.Query}}; a document opened from the list shows its hits (Ctrl+G the next, Ctrl+Shift+G the one before)", dl.pager.count,
			M{"Count": dl.pager.count, "Query": quote(q)}))
	} else {
		ws.showHits()
		ws.say("")
	}
}

// reset reads the list again from the store (after a filter, a project or
// an annotator change, or an import).
func (dl *docList) reset() {
	if err := dl.resetErr(); err != nil {
		dl.ws.showError(err)
	}
}

func (dl *docList) resetErr() error {
	dl.query.Layer = dl.ws.layer
	p, err := newPager(dl.ws.Store, dl.query)
	if err != nil {
		p.count = 0
	}
	dl.pager = p
	dl.syncing = true
	dl.list.UnselectAll()
	dl.syncing = false
	dl.list.Refresh()
	if dl.ws.doc.ID != 0 {
		dl.reveal(dl.ws.doc.ID)
	}
	dl.updateProgress()
	return err
}

// reveal selects document id's row, when the list shows it.
func (dl *docList) reveal(id int64) {
	if dl.pager == nil {
		return
	}
	i := dl.pager.index(id)
	dl.syncing = true
	defer func() { dl.syncing = false }()
	if i < 0 {
		dl.list.UnselectAll()
		return
	}
	dl.list.Select(i)
	dl.list.ScrollTo(i)
}

// neighbour is the document before (dir -1) or after (1) id in the list.
func (dl *docList) neighbour(id int64, dir int) (int64, bool) {
	i := dl.pager.index(id)
	if i < 0 {
		i = -dir
		if dir < 0 {
			i = dl.pager.count
		}
	}
	d, ok := dl.pager.row(i + dir)
	return d.ID, ok
}

// updateCurrent refreshes the current document's row after an edit.
func (dl *docList) updateCurrent() {
	ws := dl.ws
	if dl.pager == nil || ws.doc.ID == 0 {
		return
	}
	d := annotate.DocSummary{ID: ws.doc.ID, Name: ws.doc.Name, Length: ws.doc.Length, Status: ws.status, Flagged: ws.flagged, Spans: len(ws.spans)}
	if i, ok := dl.pager.update(d); ok {
		dl.list.RefreshItem(i)
	}
}

// statusChanged follows a change of the current document's status: a
// filtered list is read again, and the progress bar follows.
func (dl *docList) statusChanged() {
	if dl.query.Status != "" {
		dl.reset()
		return
	}
	dl.updateProgress()
}

// updateProgress shows "N of M done" for the annotator (on their queue,
// when they have one).
func (dl *docList) updateProgress() {
	ws := dl.ws
	q := annotate.DocQuery{Layer: ws.layer, Queue: dl.query.Queue}
	// Unfiltered, the list counts the same documents (a count reads
	// every row: 80 ms at a million).
	total := dl.pager.count
	if dl.query.Status != "" || dl.query.Search != "" {
		var err error
		if total, err = ws.Store.CountMatching(ws.ctx, q); err != nil {
			ws.showError(err)
			return
		}
	}
	q.Status = annotate.Done
	done := 0
	if ws.layer != "" {
		var err error
		if done, err = ws.Store.CountMatching(ws.ctx, q); err != nil {
			ws.showError(err)
			return
		}
	}
	dl.progress.Max = float64(max(total, 1))
	dl.progress.SetValue(float64(done))
	dl.done.SetText(lang.N("{{.Done}} of {{.Count}} done", total, M{"Done": done, "Count": total}))
	n := dl.pager.count
	shown := lang.N("{{.Count}} documents", n, M{"Count": n})
	if dl.query.Status != "" || dl.query.Search != "" {
		shown = lang.N("{{.Count}} documents of {{.Total}}", n, M{"Count": n, "Total": total})
	}
	if ws.layer != "" && dl.query.Queue {
		// An annotator with an assignment sees only their queue: say so.
		if queued, err := ws.Store.Assigned(ws.ctx, ws.layer); err != nil {
			ws.showError(err)
		} else if queued {
			shown = lang.L("Your queue: {{.Documents}}", M{"Documents": shown})
		}
	}
	dl.counter.SetText(shown)
}
