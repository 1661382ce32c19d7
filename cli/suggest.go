package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qalam-annotate/qalam/annotate"
	"github.com/qalam-annotate/qalam/annotate/recommend"
	"github.com/qalam-annotate/qalam/modelserver"
	"github.com/qalam-annotate/qalam/project"
)

// suggestionLine is one line of `suggest --json`: a document and its
// suggestions.
type suggestionLine struct {
	Document    string           `json:"document"`
	Suggestions []suggestionJSON `json:"suggestions"`
}

type suggestionJSON struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Label  string `json:"label"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// sourceLearned is the source of the built-in recommender's suggestions.
const sourceLearned = "learned"

// multi collects a repeated flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func runSuggest(ctx context.Context, env *Env, args []string) int {
	fs, db := newFlags("suggest")
	layer := fs.String("layer", "", "the annotator `NAME` to suggest to")
	asJSON := fs.Bool("json", false, "print the suggestions, one document a line")
	sw := fs.String("switch", "", "`on` or off: switch the built-in recommender for --layer, or for the project without --layer")
	server := fs.String("server", "", "ask the model server at `URL` instead of the built-in recommender")
	protocol := fs.String("protocol", string(modelserver.LabelStudio), "the server's `PROTOCOL`: labelstudio (ML backend) or template")
	timeout := fs.Duration("timeout", modelserver.DefaultTimeout, "give up on a request after `DURATION`")
	offsets := fs.String("offsets", string(annotate.CodePoints), "`UNIT` of the server's offsets: codepoints, utf16 or bytes")
	body := fs.String("body", modelserver.DefaultBody, "template: the JSON `BODY` sent, the text where it says {{ text }}")
	list := fs.String("list", "", "template: the dotted `PATH` of the list of spans in the answer (empty: the answer itself)")
	labelField := fs.String("label-field", "label", "template: each span's label `FIELD`")
	startField := fs.String("start-field", "start_offset", "template: each span's start `FIELD`")
	endField := fs.String("end-field", "end_offset", "template: each span's end `FIELD`")
	var headers, maps multi
	fs.Var(&headers, "header", "send `NAME: VALUE` with every request (repeat for more)")
	fs.Var(&maps, "map", "`MODEL=PROJECT`: the model's label MODEL is the project's PROJECT (repeat, or a,b lists); other labels the project lacks are left out")
	rest, ok := parse(fs, env, args)
	if !ok {
		return ExitUsage
	}
	if len(rest) > 0 {
		return usageError(env, "suggest: unexpected %q", rest[0])
	}
	if *sw != "" {
		return switchRecommender(ctx, env, *db, *layer, *sw)
	}
	if *layer == "" {
		return usageError(env, "suggest: --layer NAME says whom to suggest to")
	}
	if !recommend.ProposesTo(*layer) {
		return usageError(env, "suggest: --layer %s: suggestions go to an annotator, never to %s (a reviewer adjudicating would be shown what annotators decided)", *layer, *layer)
	}
	var client *modelserver.Client
	mapping := modelserver.Mapping{}
	if *server != "" {
		p, err := modelserver.ParseProtocol(*protocol)
		if err != nil {
			return usageError(env, "suggest: %v", err)
		}
		unit, err := annotate.ParseOffsetUnit(*offsets)
		if err != nil {
			return usageError(env, "suggest: %v", err)
		}
		cfg := modelserver.Config{URL: *server, Protocol: p, Timeout: *timeout, Offsets: unit, Headers: map[string]string{},
			Body: *body, List: *list, LabelField: *labelField, StartField: *startField, EndField: *endField}
		for _, h := range headers {
			k, v, ok := strings.Cut(h, ":")
			if !ok {
				return usageError(env, "suggest: --header %q: want NAME: VALUE", h)
			}
			cfg.Headers[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		if client, err = modelserver.New(cfg, nil); err != nil {
			return usageError(env, "suggest: %v", err)
		}
		for _, m := range maps {
			for _, pair := range strings.Split(m, ",") {
				from, to, ok := strings.Cut(pair, "=")
				if !ok || from == "" {
					return usageError(env, "suggest: --map %q: want MODEL=PROJECT", pair)
				}
				mapping[from] = to
			}
		}
	} else if len(maps) > 0 || len(headers) > 0 {
		return usageError(env, "suggest: --map and --header go with --server")
	}
	s, code := openProject(ctx, env, *db, project.Existing)
	if s == nil {
		return code
	}
	defer s.Close()
	labels, err := s.Labels(ctx)
	if err != nil {
		return fail(env, err)
	}
	for from, to := range mapping {
		if _, ok := labels.Find(to); !ok && to != "" {
			return usageError(env, "suggest: --map %s=%s: the project has no label %s", from, to, to)
		}
	}
	ids, err := recommend.Queue(ctx, s, *layer)
	if err != nil {
		return fail(env, err)
	}
	var bar *progressBar
	if env.Terminal {
		bar = newProgressBar(env.Stderr, int64(len(ids)))
		bar.what = func(done int64) string { return fmt.Sprintf("%d of %d documents", done, len(ids)) }
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	emit := func(doc annotate.Document, spans []annotate.Span, source string) error {
		if !*asJSON || len(spans) == 0 {
			return nil
		}
		line := suggestionLine{Document: doc.Name, Suggestions: make([]suggestionJSON, len(spans))}
		offs := annotate.RuneOffsets(doc.Text)
		for i, sp := range spans {
			line.Suggestions[i] = suggestionJSON{Start: sp.Start, End: sp.End, Label: sp.Label, Text: doc.Text[offs[sp.Start]:offs[sp.End]], Source: source}
		}
		bar.clear()
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("%w: %v", errWrite, err)
		}
		return nil
	}
	if client != nil {
		return suggestFromServer(ctx, env, s, client, mapping, ids, bar, emit)
	}
	on, err := recommend.On(ctx, s, *layer)
	if err != nil {
		return fail(env, err)
	}
	if !on {
		fmt.Fprintf(env.Stderr, "qalam: the built-in recommender is switched off for %s in this project (qalam suggest --switch on [--layer %s] switches it on)\n", *layer, *layer)
		return ExitRejected
	}
	return suggestLearned(ctx, env, s, *layer, labels, ids, bar, emit)
}

// suggestLearned proposes what layer and gold taught the recommender on
// each of the documents ids and stores the proposals.
func suggestLearned(ctx context.Context, env *Env, s annotate.Store, layer string, labels annotate.LabelSet, ids []int64, bar *progressBar,
	emit func(annotate.Document, []annotate.Span, string) error) int {
	start := time.Now()
	m, err := recommend.Learn(ctx, s, layer)
	if err != nil {
		return fail(env, err)
	}
	total, docs := 0, 0
	for i, id := range ids {
		bar.set(int64(i))
		doc, err := s.Document(ctx, id)
		if err != nil {
			return fail(env, err)
		}
		own, err := s.Spans(ctx, id, layer)
		if err != nil {
			return fail(env, err)
		}
		props := m.Propose(doc.Text, own, labels)
		if _, _, err := recommend.Store(ctx, s, id, layer, props); err != nil {
			return fail(env, err)
		}
		spans := make([]annotate.Span, len(props))
		for k, p := range props {
			spans[k] = annotate.Span{DocID: id, Start: p.Start, End: p.End, Label: p.Label}
		}
		if err := emit(doc, spans, sourceLearned); err != nil {
			return fail(env, err)
		}
		total += len(props)
		if len(props) > 0 {
			docs++
		}
	}
	bar.clear()
	fmt.Fprintf(env.Stderr, "suggested %s in %d of %s unfinished by %s (learned %s from %s and gold) in %.1f s\n",
		plural(total, "name", "names"), docs, plural(len(ids), "document", "documents"), layer, plural(m.Names(), "name", "names"), layer, time.Since(start).Seconds())
	return ExitOK
}

// suggestFromServer asks the model server about each of the documents
// ids and stores its answers as suggestions everyone sees.
func suggestFromServer(ctx context.Context, env *Env, s annotate.Store, client *modelserver.Client, mapping modelserver.Mapping, ids []int64,
	bar *progressBar, emit func(annotate.Document, []annotate.Span, string) error) int {
	if err := client.Check(ctx); err != nil {
		return fail(env, err)
	}
	var printErr error
	r := &modelserver.Runner{Client: client, Store: s, Mapping: mapping,
		Progress: func(done, _ int) { bar.set(int64(done)) },
		Done: func(doc annotate.Document, spans []annotate.Span) {
			if printErr == nil {
				printErr = emit(doc, spans, client.Source())
			}
		},
	}
	start := time.Now()
	sum, err := r.Run(ctx, ids)
	bar.clear()
	fmt.Fprintf(env.Stderr, "%s answered for %d of %s: %s stored as suggestions in %.1f s\n", client.Source(), sum.Documents,
		plural(len(ids), "document", "documents"), plural(sum.Suggestions, "new suggestion", "new suggestions"), time.Since(start).Seconds())
	if len(sum.Skipped) > 0 {
		var parts []string
		for _, l := range sortedKeys(sum.Skipped) {
			parts = append(parts, fmt.Sprintf("%s (%d)", l, sum.Skipped[l]))
		}
		fmt.Fprintf(env.Stderr, "labels the project lacks, left out: %s; --map MODEL=PROJECT maps them\n", strings.Join(parts, ", "))
	}
	switch {
	case err != nil:
		return fail(env, err)
	case printErr != nil:
		return fail(env, printErr)
	}
	return ExitOK
}

// switchRecommender switches the built-in recommender on or off.
func switchRecommender(ctx context.Context, env *Env, db, layer, value string) int {
	var on bool
	switch value {
	case "on":
		on = true
	case "off":
	default:
		return usageError(env, "suggest: --switch %q: want on or off", value)
	}
	if layer != "" && !recommend.ProposesTo(layer) {
		return usageError(env, "suggest: --layer %s is not an annotator", layer)
	}
	s, code := openProject(ctx, env, db, project.Existing)
	if s == nil {
		return code
	}
	defer s.Close()
	if err := recommend.Switch(ctx, s, layer, on); err != nil {
		return fail(env, err)
	}
	who := "the project"
	if layer != "" {
		who = layer
	}
	fmt.Fprintf(env.Stdout, "the built-in recommender is %s for %s\n", value, who)
	if layer != "" && on {
		if p, _, err := recommend.Switches(ctx, s, layer); err == nil && !p {
			fmt.Fprintln(env.Stdout, "but it is off for the whole project (qalam suggest --switch on, without --layer)")
		}
	}
	return ExitOK
}
