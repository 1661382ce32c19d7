package annotate

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Document is one article. Its Text never changes once spans refer to it.
type Document struct {
	ID     int64
	Name   string
	Text   string
	SHA256 string
	Length int             // in code points
	Meta   json.RawMessage // free-form metadata as received (a JSON object), or nil
}

// NewDocument builds a document from text that CleanText accepted.
func NewDocument(name, text string, meta json.RawMessage) Document {
	return Document{Name: name, Text: text, SHA256: Hash(text), Length: RuneLen(text), Meta: meta}
}

// Label is one entity type of a project's label set.
type Label struct {
	Name   string
	Color  string // #rrggbb
	Hotkey string // one key, "" for none
}

// DefaultLabels is the label set a new project starts with.
func DefaultLabels() []Label {
	return []Label{
		{Name: "PERSON", Color: "#e6194b", Hotkey: "1"},
		{Name: "PLACE", Color: "#3cb44b", Hotkey: "2"},
		{Name: "EVENT", Color: "#4363d8", Hotkey: "3"},
	}
}

// Palette gives colours to labels that were created without one.
var Palette = []string{"#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3", "#808000", "#000075"}

var (
	// A label name: 1 to 64 characters, none of them a control, format
	// (U+202E, U+200F, ...) or separator character (U+2028, U+00A0, ...)
	// but a plain space between words.
	labelNameRE = regexp.MustCompile(`^[^\p{C}\p{Z}](?:(?:[^\p{C}\p{Z}]| ){0,62}[^\p{C}\p{Z}])?$`)
	colorRE     = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// Validate checks a label's name, colour and hotkey.
func (l Label) Validate() error {
	if !labelNameRE.MatchString(l.Name) {
		return fmt.Errorf("label name %q: want 1 to 64 characters, with no control, format or separator characters (a plain space between words is fine)", l.Name)
	}
	if l.Color != "" && !colorRE.MatchString(l.Color) {
		return fmt.Errorf("label %s: colour %q is not #rrggbb", l.Name, l.Color)
	}
	if len([]rune(l.Hotkey)) > 1 || strings.TrimSpace(l.Hotkey) != l.Hotkey {
		return fmt.Errorf("label %s: hotkey %q must be a single key", l.Name, l.Hotkey)
	}
	return nil
}

// LabelSet is a project's labels in display order.
type LabelSet []Label

// Find returns the label with the given name.
func (s LabelSet) Find(name string) (Label, bool) {
	for _, l := range s {
		if l.Name == name {
			return l, true
		}
	}
	return Label{}, false
}

// ByHotkey returns the label bound to key.
func (s LabelSet) ByHotkey(key string) (Label, bool) {
	for _, l := range s {
		if l.Hotkey != "" && strings.EqualFold(l.Hotkey, key) {
			return l, true
		}
	}
	return Label{}, false
}

// Validate checks every label and that names and hotkeys are unique.
func (s LabelSet) Validate() error {
	names, keys := map[string]bool{}, map[string]string{}
	for _, l := range s {
		if err := l.Validate(); err != nil {
			return err
		}
		if names[l.Name] {
			return fmt.Errorf("label %s is defined twice", l.Name)
		}
		names[l.Name] = true
		if l.Hotkey != "" {
			k := strings.ToLower(l.Hotkey)
			if other, ok := keys[k]; ok {
				return fmt.Errorf("hotkey %s is bound to both %s and %s", l.Hotkey, other, l.Name)
			}
			keys[k] = l.Name
		}
	}
	return nil
}

// NewLabel checks l as a label added at the end of s and returns it as
// it is to be kept: a missing colour is taken from the palette.
func (s LabelSet) NewLabel(l Label) (Label, error) {
	if l.Color == "" {
		l.Color = Palette[len(s)%len(Palette)]
	}
	if err := append(s[:len(s):len(s)], l).Validate(); err != nil {
		return Label{}, err
	}
	return l, nil
}

// Replace returns a copy of s with l in place of the label called name,
// checked; the error wraps ErrNotFound when s has no label of that name.
func (s LabelSet) Replace(name string, l Label) (LabelSet, error) {
	i := slices.IndexFunc(s, func(x Label) bool { return x.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("label %s: %w", name, ErrNotFound)
	}
	out := slices.Clone(s)
	out[i] = l
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

// LayerKind says whose spans a layer holds.
type LayerKind string

const (
	AnnotatorLayer  LayerKind = "annotator"
	GoldLayer       LayerKind = "gold"
	SuggestionLayer LayerKind = "suggestion"
)

// Reserved layer names.
const (
	Gold = "gold"
	// Suggestion holds the suggestions everyone sees: imported model
	// output and the answers of model servers.
	Suggestion = "suggestion"
)

// ownSuggestions starts the name of an annotator's own suggestion layer.
const ownSuggestions = Suggestion + ":"

// OwnSuggestions names the suggestion layer only layer sees: what the
// recommender learned from that annotator's work proposes to them, kept
// apart so that no annotator is shown what another one decided.
func OwnSuggestions(layer string) string { return ownSuggestions + layer }

// SuggestionsOwner returns the annotator whose own suggestion layer name
// is, and whether it is one.
func SuggestionsOwner(name string) (string, bool) {
	return strings.CutPrefix(name, ownSuggestions)
}

// SuggestionLayers are the suggestion layers whose spans layer is shown
// (DocumentReader.Suggestions): everyone's, then its own.
func SuggestionLayers(layer string) []string {
	return []string{Suggestion, OwnSuggestions(layer)}
}

// Layer is one set of spans over the corpus: an annotator's, the
// adjudicated gold layer, or imported model suggestions.
type Layer struct {
	Name string
	Kind LayerKind
}

// KindOf gives the kind a layer of that name has (a staging layer: the
// kind of the name it will take).
func KindOf(name string) LayerKind {
	if final, ok := StagedName(name); ok {
		name = final
	}
	switch name {
	case Gold:
		return GoldLayer
	case Suggestion:
		return SuggestionLayer
	}
	if _, ok := SuggestionsOwner(name); ok {
		return SuggestionLayer
	}
	return AnnotatorLayer
}

// ValidateLayerName refuses names that cannot name an annotator's layer
// (or an annotator's own suggestion layer).
func ValidateLayerName(name string) error {
	if owner, ok := SuggestionsOwner(name); ok {
		name = owner
	}
	if strings.TrimSpace(name) != name || name == "" || len(name) > 64 || strings.ContainsAny(name, ",\n\t") ||
		strings.IndexFunc(name, invisible) >= 0 {
		return fmt.Errorf("layer name %q: want 1 to 64 characters, no commas, tabs, control characters or surrounding spaces", name)
	}
	return nil
}

// ValidateNewLayer refuses a name a store may not give a layer it makes:
// one ValidateLayerName refuses, unless it is a staging layer's.
func ValidateNewLayer(name string) error {
	if IsStaging(name) {
		return nil
	}
	return ValidateLayerName(name)
}

// invisible reports control, format and line or paragraph separator
// characters, which no name may hold.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// stagingMark starts the name of a staging layer (see Bulk.PublishLayers):
// a control character, which no layer a user names may hold.
const stagingMark = "\x1e"

// StagingName is the name a layer is loaded under before it is published
// as name; token tells apart loads that run at once.
func StagingName(name, token string) string {
	return stagingMark + token + stagingMark + name
}

// CheckPublish refuses to publish a layer that is not a staging layer,
// or under a name no layer may take (Bulk.PublishLayers).
func CheckPublish(staging, name string) error {
	if !IsStaging(staging) {
		return fmt.Errorf("publish layer %q: not a staging layer", staging)
	}
	return ValidateLayerName(name)
}

// StagedName returns the name a staging layer will take, and whether
// name is a staging layer's.
func StagedName(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, stagingMark)
	if !ok {
		return "", false
	}
	_, final, ok := strings.Cut(rest, stagingMark)
	return final, ok
}

// IsStaging reports whether name is a staging layer's.
func IsStaging(name string) bool { return strings.HasPrefix(name, stagingMark) }

// Origin says how a span came to be.
type Origin string

const (
	Manual     Origin = "manual"
	Imported   Origin = "imported"
	Propagated Origin = "propagated" // "label all occurrences"
	Suggested  Origin = "suggested"  // accepted from the suggestion layer
)

// Valid reports whether o is a known origin.
func (o Origin) Valid() bool {
	switch o {
	case Manual, Imported, Propagated, Suggested:
		return true
	}
	return false
}

// Span is a labelled range of a document's text in one layer.
type Span struct {
	ID     int64
	DocID  int64
	Layer  string
	Start  int // code points, inclusive
	End    int // code points, exclusive
	Label  string
	Origin Origin
}

// Overlaps reports whether two spans share at least one code point.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// SpanKey is a span's range and label: what it says about the text, its
// id, document, layer and origin left aside. A layer holds a key once
// (SpanRules.Check); spans of two layers with one key agree.
type SpanKey struct {
	Start, End int
	Label      string
}

// Key is the span's range and label.
func (s Span) Key() SpanKey { return SpanKey{s.Start, s.End, s.Label} }

// CompareSpans orders spans as the stores list them: by start, end, then
// id (text order).
func CompareSpans(a, b Span) int {
	switch {
	case a.Start != b.Start:
		return cmp.Compare(a.Start, b.Start)
	case a.End != b.End:
		return cmp.Compare(a.End, b.End)
	}
	return cmp.Compare(a.ID, b.ID)
}

// CompareKeys orders span keys by start, end, then label.
func CompareKeys(a, b SpanKey) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), strings.Compare(a.Label, b.Label))
}

// Span validation errors; test with errors.Is.
var (
	ErrSpanRange    = errors.New("span outside its text")
	ErrUnknownLabel = errors.New("unknown label")
	ErrOverlap      = errors.New("span overlaps another")
)

// Validate refuses a span outside a text of textLen code points, an empty
// span, or a label the set lacks; the error names the span and the reason.
func (s Span) Validate(textLen int, labels LabelSet) error {
	if s.Start < 0 || s.End > textLen || s.Start >= s.End {
		return fmt.Errorf("%w: [%d,%d) in a text of %d code points", ErrSpanRange, s.Start, s.End, textLen)
	}
	if _, ok := labels.Find(s.Label); !ok {
		return fmt.Errorf("%w %q for span [%d,%d)", ErrUnknownLabel, s.Label, s.Start, s.End)
	}
	if s.Origin != "" && !s.Origin.Valid() {
		return fmt.Errorf("span [%d,%d): unknown origin %q", s.Start, s.End, s.Origin)
	}
	return nil
}

// Status is a layer's progress on one document.
type Status string

const (
	Todo       Status = "todo"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Skipped    Status = "skipped"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{Todo, InProgress, Done, Skipped}

// ParseStatus accepts a status name ("in progress" and "in-progress" too).
func ParseStatus(s string) (Status, error) {
	n := Status(strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(s)))
	for _, st := range Statuses {
		if st == n {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown status %q (want todo, in_progress, done or skipped)", s)
}

// Comment is a note a layer's owner left on a document.
type Comment struct {
	ID      int64
	DocID   int64
	Layer   string
	Text    string
	Created time.Time
}
