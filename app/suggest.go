package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
)

// The built-in recommender in the window: once a project opens, what the
// annotator and gold labelled is learned in the background; whenever a
// document is shown, and after each edit there, the names learned are
// proposed on it in the background (the article shows first) and appear
// as the annotator's own suggestions. The project's and the annotator's
// switches are in the Suggestions menu.

// workMode says how the recommender's learning, its proposing and the
// counting of suggestions used (ws.recommend) run: on goroutines of
// their own (the app); at once, on the caller's goroutine (the tests,
// so that what they check is there when they check it); or, for the
// learning, not at all (benchmarks of other things).
type workMode int

const (
	inBackground workMode = iota
	atOnce
	noLearning
)

var learnMode = inBackground

// learnDelay is how long learning waits after a project opens (tests
// shorten it).
var learnDelay = time.Second

// learner is the recommender of the project shown, for its annotator.
type learner struct {
	store annotate.Store
	layer string
	on    bool

	mu    sync.Mutex
	model *recommend.Model // nil while learning

	gen      int   // proposals asked for; an older answer is dropped
	last     int64 // the document proposals were last asked for
	sig      string
	applying bool
	// alts are the alternative labels of the proposals shown, by range
	// and label.
	alts map[spanKey]string
}

type spanKey struct {
	start, end int
	label      string
}

// recommend runs the recommender's work as learnMode says: in the
// background, or at once.
func (ws *Workspace) recommend(work func() func()) {
	if learnMode == inBackground {
		ws.background(work)
		return
	}
	if apply := work(); apply != nil {
		apply()
	}
}

// startLearning learns, in the background, what the annotator and gold
// did in the project, then proposes on the document shown. It runs when
// a project opens and when the annotator changes.
func (ws *Workspace) startLearning() {
	if learnMode == noLearning {
		ws.learn = nil
		return
	}
	l := &learner{store: ws.Store, layer: ws.layer}
	ws.learn = l
	on, err := recommend.On(ws.ctx, ws.Store, ws.layer)
	if err != nil {
		fyne.LogError("suggestions", err)
	}
	l.on = on && err == nil
	if !l.on {
		return
	}
	ctx, store, layer := ws.ctx, ws.Store, ws.layer
	ws.recommend(func() func() {
		if learnMode == inBackground {
			// The window is drawn first: on two cores, learning a large
			// project's work held its first frame back by a few hundred
			// milliseconds.
			select {
			case <-time.After(learnDelay):
			case <-ctx.Done():
				return nil
			}
		}
		// Learning reads the whole corpus (every document's spans, and
		// the text of each that has some), as a job does, and has a
		// job's room: under the session's limit alone, below what a
		// million documents keep alive, the collector ran without pause.
		// It gives way to a job (giveWay).
		done := collector().forJob()
		m, err := recommend.Learn(ctx, givingWay{store, &ws.way}, layer)
		done()
		if err != nil {
			if ctx.Err() == nil {
				fyne.LogError("learning from the project", err)
			}
			return nil
		}
		return func() {
			l.mu.Lock()
			l.model = m
			l.mu.Unlock()
			if ws.learn == l {
				l.sig = "" // propose now
				ws.proposeIfChanged()
			}
		}
	})
}

// signature sums up what proposals on the document shown depend on: the
// document, the annotator, their spans and the suggestions open to them.
func (ws *Workspace) signature() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%s/", ws.doc.ID, ws.layer)
	for _, list := range [][]annotate.Span{ws.spans, ws.suggests} {
		for _, sp := range list {
			b.WriteString(strconv.FormatInt(sp.ID, 36))
			b.WriteByte(',')
		}
		b.WriteByte('/')
	}
	return b.String()
}

// proposeIfChanged proposes on the document shown when what proposals
// depend on changed since they were last asked for. reload calls it.
func (ws *Workspace) proposeIfChanged() {
	l := ws.learn
	if l == nil || l.applying || ws.doc.ID == 0 || l.layer != ws.layer || l.store != ws.Store {
		return
	}
	sig := ws.signature()
	if sig == l.sig {
		return
	}
	l.sig = sig
	if !l.on {
		ws.clearProposals()
		return
	}
	l.mu.Lock()
	m := l.model
	l.mu.Unlock()
	if m == nil {
		return // still learning: it proposes when done
	}
	l.gen++
	gen, prev, doc, layer, labels := l.gen, l.last, ws.doc, ws.layer, ws.labels
	l.last = doc.ID
	ctx, store := ws.ctx, ws.Store
	ws.recommend(func() func() {
		// What the annotator did on this document, and on the one
		// left, is learned again first (this one's text is at hand).
		err := m.RefreshDocument(ctx, store, layer, doc)
		if err == nil && prev != 0 && prev != doc.ID {
			err = m.Refresh(ctx, store, layer, prev)
		}
		if err != nil {
			if ctx.Err() == nil {
				fyne.LogError("learning from a document", err)
			}
			return nil
		}
		own, err := store.Spans(ctx, doc.ID, layer)
		if err != nil {
			return nil
		}
		props := m.Propose(doc.Text, own, labels)
		return func() { ws.applyProposals(l, gen, doc.ID, layer, props) }
	})
}

// applyProposals stores proposals as the annotator's suggestions on the
// document they were made for, when it is still shown and nothing newer
// was asked for, and shows them.
func (ws *Workspace) applyProposals(l *learner, gen int, doc int64, layer string, props []recommend.Proposal) {
	if ws.learn != l || l.gen != gen || ws.doc.ID != doc || ws.layer != layer {
		return
	}
	added, removed, err := recommend.Store(ws.ctx, ws.Store, doc, layer, props)
	if err != nil {
		ws.say(lang.L("Suggestions could not be stored: {{.Reason}}", M{"Reason": err.Error()}))
		return
	}
	l.alts = map[spanKey]string{}
	for _, p := range props {
		if p.Alternative != "" {
			l.alts[spanKey{p.Start, p.End, p.Label}] = p.Alternative
		}
	}
	if added+removed > 0 {
		l.applying = true
		ws.reload()
		l.applying = false
	}
	l.sig = ws.signature()
}

// clearProposals removes the annotator's open learned suggestions from
// the document shown (the recommender was switched off).
func (ws *Workspace) clearProposals() {
	own := annotate.OwnSuggestions(ws.layer)
	if !slices.ContainsFunc(ws.suggests, func(sp annotate.Span) bool { return sp.Layer == own }) {
		return
	}
	if _, _, err := recommend.Store(ws.ctx, ws.Store, ws.doc.ID, ws.layer, nil); err != nil {
		ws.showError(err)
		return
	}
	if l := ws.learn; l != nil {
		l.applying = true
		defer func() { l.applying = false; l.sig = ws.signature() }()
	}
	ws.reload()
}

// alternative is the other label a learned suggestion's name carried.
func (ws *Workspace) alternative(sp annotate.Span) string {
	if ws.learn == nil || sp.Layer != annotate.OwnSuggestions(ws.layer) {
		return ""
	}
	return ws.learn.alts[spanKey{sp.Start, sp.End, sp.Label}]
}

// suggestionLabel shows, in a row of the suggestion list, the
// alternative label of a learned name: a small square of its colour
// inside the label's own swatch (the status bar names it once selected).
func (ws *Workspace) suggestionLabel(r *spanListRow, sp annotate.Span) {
	alt := ws.alternative(sp)
	if alt == "" {
		r.alt.Hide()
		return
	}
	r.alt.FillColor = ws.labelColor(alt)
	r.alt.Show()
	r.alt.Refresh()
}

// suggestionHint tells, in the status bar, what a suggestion is, where it
// comes from and what to do with it.
func (ws *Workspace) suggestionHint(sp annotate.Span) string {
	data := M{"Label": quote(sp.Label), "Text": quote(ws.spanText(sp))}
	from := lang.L("{{.Label}}: {{.Text}}, a suggestion", data)
	if sp.Layer == annotate.OwnSuggestions(ws.layer) {
		from = lang.L("{{.Label}}: {{.Text}}, learned from your earlier work", data)
		if alt := ws.alternative(sp); alt != "" {
			data["Other"] = quote(alt)
			if l, ok := ws.labels.Find(alt); ok && l.Hotkey != "" {
				data["Key"] = l.Hotkey
				from += " " + lang.L("(also labelled {{.Other}}: {{.Key}} accepts it so)", data)
			} else {
				from += " " + lang.L("(also labelled {{.Other}})", data)
			}
		}
	}
	return lang.L("{{.What}}: Enter accepts it, a label's key accepts it as that label, X rejects it", M{"What": from})
}

// twins shows suggestions of the same range and label (a name learned
// and also answered by a model) once: it returns the ones to show, and
// for each the others, hidden, which a rejection rejects along.
func twins(open []annotate.Span) ([]annotate.Span, map[int64][]int64) {
	first := map[spanKey]int64{}
	var out []annotate.Span
	var hidden map[int64][]int64
	for _, sp := range open {
		k := spanKey{sp.Start, sp.End, sp.Label}
		if id, ok := first[k]; ok {
			if hidden == nil {
				hidden = map[int64][]int64{}
			}
			hidden[id] = append(hidden[id], sp.ID)
			continue
		}
		first[k] = sp.ID
		out = append(out, sp)
	}
	return out, hidden
}

// withTwins adds to suggestion ids their hidden twins.
func (ws *Workspace) withTwins(ids []int64) []int64 {
	out := slices.Clone(ids)
	for _, id := range ids {
		out = append(out, ws.twins[id]...)
	}
	return out
}

// --- the switches ------------------------------------------------------------

// recommenderSwitches reads the project's and the annotator's switches.
func (ws *Workspace) recommenderSwitches() (project, own bool) {
	project, own, err := recommend.Switches(ws.ctx, ws.Store, ws.layer)
	if err != nil {
		fyne.LogError("suggestion switches", err)
	}
	return project, own
}

// toggleRecommender switches the recommender for the annotator (forProject
// false) or for everyone in the project.
func (ws *Workspace) toggleRecommender(forProject bool) {
	if ws.layer == "" {
		ws.askAnnotator(false)
		return
	}
	project, own := ws.recommenderSwitches()
	layer, on := ws.layer, !own
	if forProject {
		layer, on = "", !project
	}
	if err := recommend.Switch(ws.ctx, ws.Store, layer, on); err != nil {
		ws.showError(err)
		return
	}
	ws.Window.SetMainMenu(ws.mainMenu())
	ws.startLearning()
	ws.proposeIfChanged()
	project, own = ws.recommenderSwitches()
	switch {
	case project && own:
		ws.say(lang.L("Names you and gold labelled are suggested wherever they occur"))
	case !project:
		ws.say(lang.L("Suggestions from earlier work are off for everyone in this project"))
	default:
		ws.say(lang.L("Suggestions from your earlier work are off for you"))
	}
}

// suggestionUse is the dashboard's line on which layers worked with
// suggestions: counted in the background.
func (d *dashboard) showSuggestionUse(layers []string) {
	ws := d.ws
	if d.suggestUse == nil {
		return
	}
	d.suggestUse.SetText("")
	if len(layers) == 0 {
		return
	}
	ctx, store, gen := ws.ctx, ws.Store, d.gen
	ws.recommend(func() func() {
		uses, err := recommend.Usage(ctx, store, layers)
		return func() {
			switch {
			case gen != d.gen:
			case err != nil:
				d.suggestUse.SetText(lang.L("Suggestions: {{.Reason}}", M{"Reason": err.Error()}))
			default:
				d.suggestUse.SetText(usageText(uses))
			}
		}
	})
}

// usageText says, per layer, how much of its work came from
// suggestions and whether learned suggestions are on for it.
func usageText(uses []recommend.Use) string {
	parts := make([]string, len(uses))
	for i, u := range uses {
		data := M{"Layer": quote(u.Layer), "Accepted": u.Accepted, "Count": u.Spans, "Documents": lang.N("{{.Count}} documents", u.Documents, M{"Count": u.Documents})}
		if u.On {
			parts[i] = lang.N("{{.Layer}}: {{.Accepted}} of {{.Count}} spans accepted from suggestions ({{.Documents}}), learned suggestions on", u.Spans, data)
		} else {
			parts[i] = lang.N("{{.Layer}}: {{.Accepted}} of {{.Count}} spans accepted from suggestions ({{.Documents}}), learned suggestions off", u.Spans, data)
		}
	}
	return lang.L("Suggestions used — {{.Parts}}", M{"Parts": strings.Join(parts, " · ")})
}
