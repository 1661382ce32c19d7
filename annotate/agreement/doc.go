// Package agreement measures how well annotation layers agree on the
// entities they marked: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa
// and span F1, overall, per label and per document, over span units and,
// optionally, over tokens.
//
// It imports only the annotate package and the standard library, and it
// streams: documents go in one at a time (Computer.Add, or Compute over an
// iterator) and only integer counts are kept, never the units themselves,
// so the figures do not depend on the order of documents. The span
// figures take about 0.2 s for 100,000 documents of three layers with ten
// spans each (bench_test.go).
//
// # Which documents count
//
// A document counts for a layer only once that layer marked it done
// (LayerDoc.Done); an unfinished document is missing data for that layer,
// and its spans are ignored even if it has some.
//
//   - Pairwise measures (Cohen's kappa, span F1, the confusion matrix) use
//     the documents both layers of the pair finished.
//   - Fleiss' kappa uses the documents every compared layer finished.
//   - Krippendorff's alpha uses every document at least two compared layers
//     finished; there the other layers are missing.
//
// # Span units
//
// A unit is a distinct (start, end) position that a layer marked in a
// document. A layer that finished the document gives each unit a value: the
// label of its span at exactly that position, or NONE when it has no span
// there. NONE is a value like any label, not missing data: a layer that
// finished a document and did not mark an entity disagrees with one that
// did.
//
//   - For alpha and Fleiss' kappa the units of a document are the positions
//     any compared layer that finished it marked.
//   - For a pair (Cohen's kappa, confusion matrix) they are the positions
//     either layer of the pair marked, so a third layer cannot add NONE/NONE
//     units to a pair's figures. No pair unit is NONE for both layers.
//
// Before anything is counted each layer's spans in a document are reduced to
// one span per position: exact duplicates are dropped, and when a layer has
// two spans at the same position with different labels, the label that
// sorts first (byte order) is kept and the position is counted in
// Report.Conflicts for that layer. The same reduced spans feed every measure.
//
// Because every span unit was marked by someone, there are no NONE/NONE
// agreements; kappa and alpha over span units therefore measure agreement on
// both where entities are and what they are, and are lower than token-level
// figures that count agreement on the unmarked text.
//
// # Per label
//
// Per-label coefficients are the standard category-specific ones: the data
// are recoded one-versus-rest (the label against every other value,
// NONE included) over the same units and documents as the overall figure.
// For Fleiss' kappa this is exactly Fleiss' (1971) kappa for category j; for
// alpha it is alpha of the binary recoding; for Cohen's kappa the confusion
// matrix collapses to 2x2. Units where no layer used the label are
// agreements (rest/rest) in that recoding, so a per-label figure can be
// higher than the overall one; Documents and Units are the overall ones.
//
// Per-label F1 (labelled) is the usual per-type F1: only spans of that label,
// on both sides, matched to each other. Per-label unlabelled F1 asks how
// often the other layer marked the same entity, whatever it called it: a
// maximum one-to-one matching pairs A's spans of that label with B's spans
// of any label (matched A), another B's spans of that label with A's spans
// of any label (matched B), and F1 = (matched A + matched B) / (A's spans of
// the label + B's spans of the label). That is the usual F1, 2TP/(A+B),
// whenever the two matched counts are equal, and stays defined when one
// layer never used the label: A's PERSON span that B marked at the same
// place as PLACE scores 1 for PERSON (unlabelled), 0 labelled.
//
// # Span F1
//
// F1 between two layers is symmetric; the first layer of the pair (A, the
// earlier one in the layer list) is treated as the reference: recall is the
// share of A's spans matched, precision the share of B's spans matched, and
// F1 = 2TP/(A's spans + B's spans). Counts are pooled over documents (micro
// average) before F1 is taken; Pair.Matches gives them.
//
//   - exact: same start and end (and, labelled, same label);
//   - overlap: the spans share at least one code point (and, labelled, have
//     the same label), paired one to one by a maximum matching, so one long
//     span over two short ones is one match, not two.
//
// The maximum matching is a greedy that is provably maximum for intervals:
// take A's spans by increasing end; pair each with the unpaired overlapping
// span of B that ends first. (Say the greedy pairs a with b while a maximum
// matching pairs a with b2 and b with a2. Then b2 ends no earlier than b,
// which ends after a2 starts, and b2 starts before a ends, which is no later
// than a2 ends; so b2 overlaps a2, and exchanging partners keeps the
// matching's size.) TestGreedyMatchingIsMaximum checks it against an
// augmenting-path matching on random spans.
//
// # Tokens
//
// With Options.Tokens, every document with text is tokenized with
// annotate.Tokenize. A token's value for a layer is the label of the span
// that overlaps it most (ties: the span that starts first), or O. Spans that
// cover only part of a token, such as a name without the conjunction و
// prefixed to it, still label the token. The with-O figures count every
// token; the without-O figures drop the tokens that every layer concerned
// (both of a pair; every finishing layer for alpha and Fleiss) tagged O.
// Tokenizing costs far more than counting: Compute tokenizes on every CPU
// while it counts in document order; Computer.Add tokenizes in the caller's
// goroutine.
//
// # Names
//
// NONE (O for tokens) is shown as the last row and column of a confusion
// matrix. A project label literally named NONE or O is still a label of its
// own internally; only the display would be ambiguous.
//
// # Undefined figures
//
// A figure that cannot be computed — kappa when only one category was used
// (expected agreement 1), alpha with no pairable values or a single value,
// F1 when neither layer marked a span, any figure with no units — is a
// Value with Defined false and a Reason; it is written as JSON null, never
// as 0 or NaN.
package agreement
