// Package export moves annotations between Qalam projects and the files
// other tools read and write: spaCy/Prodigy JSONL, doccano, Hugging Face
// token classification, CoNLL, brat standoff, Label Studio and Excel.
// Each format is an Encoder over an io.Writer (a folder for brat) and a
// Decoder over an io.Reader; Export and Import run them against a project.
//
// # API
//
//	Formats, Lookup(name)          the formats: Name, Extensions, Folder,
//	                               NewEncoder/NewFolderEncoder, NewDecoder
//	Detect(path, head)             which format a file is in (--format auto)
//	Export(ctx, src, opts, progress) (Summary, error)
//	Import(ctx, dst, opts, paths, report, progress) (ImportSummary, error)
//	ChooseLayers, ParseSplit, PartPath, Tokens
//
// The project is reached through two small interfaces, Source (what Export
// reads) and Sink (what Import writes, opened and committed by the caller);
// *sqlite.Store is a Source and *sqlite.AnnotationImporter a Sink, and
// another store only has to provide the same methods. Callbacks (progress,
// report) are called from the goroutine that called Export or Import, so
// an app hands them to its UI thread itself.
//
// Nothing is held for the whole corpus: Export reads documents in pages
// and writes each as it comes (xlsx through excelize's StreamWriter, which
// keeps rows in a temporary file); Import reads JSON value by value (a
// top-level array element by element) and CoNLL document by document. The
// exceptions are a split, which first lists the documents' ids, and xlsx
// import, which holds the workbook.
//
// # Offsets
//
// Qalam's offsets are Unicode code points, end exclusive. Exports write
// code points unless Options.Offsets asks for UTF-16 code units
// (JavaScript's string indexes, which old Label Studio and doccano
// versions used) or UTF-8 bytes, and the JSON formats state the unit in
// each record's meta ({"document", "layer", "offsets"}; the xlsx Spans
// header says "start (utf16)"). Imports read the unit a record states,
// and ImportOptions.Offsets for files that state none.
//
// # Which work is exported
//
// Options.Layer names one layer, "gold", or "all" (every annotator layer
// and gold, not the suggestion layer); "" takes the project's only layer.
// A layer's work on a document is written when the layer marked the
// document done (with IncludeUnfinished also when it is in progress, or
// todo but with spans); skipped documents never are. So "gold" writes
// exactly the documents adjudicated so far: where gold has no work, the
// document is left out, never replaced by an annotator's spans. Record
// formats (JSONL, CoNLL, brat) write one record per document and layer;
// Label Studio one task per document with an annotation per layer; xlsx a
// row per span with its layer.
//
// A split (Options.Split, such as train=0.8,dev=0.1,test=0.1) is by
// document: the documents to write, ordered by the SHA-256 of their text,
// are shuffled by a PCG generator seeded with Options.Seed and cut by the
// shares (largest remainders get the rounding), so the same seed gives the
// same split of the same documents in any project.
//
// Every output is written under a temporary name beside its final one and
// renamed when complete, so a failed export never leaves part of a file
// (or a half-filled folder) under the name asked for.
//
// # Tokens
//
// JSONL, Hugging Face and CoNLL need tokens. They come from
// annotate.Tokenize: Unicode word segmentation (UAX #29), punctuation and
// symbols each their own token. A span whose edge falls inside a token
// (a name without the conjunction و written onto it) is reported, never
// silently moved: CoNLL and Hugging Face tag the token whole, JSONL keeps
// the exact character offsets and names the tokens touched. A span that
// overlaps one already tagged is left out of the tags and reported.
//
// A document whose text was rebuilt from tokens on import (CoNLL, Hugging
// Face, spaCy v2 JSON: tokens joined by single spaces, sentences by line
// breaks, meta {"text_from":"tokens"}) keeps exactly those tokens on export
// (its text is split at spaces and line breaks), so CoNLL in, CoNLL out
// gives back the same tokens and tags, IOB2-normalised. Such a text is
// not the original's: the token formats do not carry it.
//
// # Formats and the variants read
//
//   - jsonl (spaCy/Prodigy): writes {"text", "tokens":[{"text", "start",
//     "end", "id", "ws"}], "spans":[{"start", "end", "token_start",
//     "token_end", "label"}], "answer":"accept", "meta"}, token_end
//     inclusive. Reads Prodigy rows (an "answer" other than accept skips
//     the row and counts it; span "text" is checked), spaCy's
//     ["text", {"entities": [[start, end, "LABEL"]]}] pairs (one per line
//     or in one array) and spaCy v2 JSON documents ("paragraphs", BILUO
//     tags).
//   - doccano: writes {"text", "label":[[start, end, "LABEL"]], "meta"}.
//     Reads the text under "text", "data" (flair) or "column_data", and
//     spans under "label", "labels" (before 2022), "entities" (triples or
//     {"start_offset", "end_offset", "label"} objects), "column_label" or
//     "annotations"; a label that is a number (the old download's label
//     ids) and "label" holding categories are refused with that reason.
//   - hf (Hugging Face): writes {"id", "tokens", "ner_tags"} with IOB2
//     tags as strings, one row per document. Reads string tags (IOB, IOB2,
//     BIOES); integer class ids are refused (they need the dataset's
//     label names).
//   - conll: writes "token\tTAG" lines, a blank line after each sentence
//     and "-DOCSTART-\tO" between documents. Reads tab- or
//     space-separated columns (tab when a line has one, so a token may
//     hold spaces), a header line (WORD TAG, ...), # comment lines,
//     -DOCSTART- (each starts a document; a file without one is one
//     document), blank or space-only lines and a stray U+FEFF as sentence
//     breaks, and IOB1, IOB2, BIOES/BILOU, PER-B suffixes and bare labels
//     (two-column files). Columns are decided from the first lines: the
//     token is the first column, or the second when the first numbers the
//     tokens (CoNLL-U, GermEval); the tags are the last column that holds
//     only tags (CoNLL-2003's NER after POS and chunk tags), every such
//     column in numbered files (GermEval's nested levels), and every
//     column after the token when their number varies (Wojood's nested
//     tags). A line with another number of columns, or a value that is
//     not a tag, leaves its sentence out, reported with its line.
//     spaCy's word|POS|TAG sentence-per-line files are read too.
//   - brat: writes a folder of NAME.txt and NAME.ann (T lines in text
//     order, a span's line breaks written as spaces in its text field),
//     with a subfolder per layer when there are several; names are made
//     safe (no path separators, no leading dots, so no "..", no control
//     or reserved characters, Windows device names prefixed) and unique
//     regardless of case. Reads T lines in any order; a discontinuous span
//     is reported and left out; R, E, A, M, N, * and # lines are counted
//     and skipped. An .ann's text is NAME.txt beside it; a NAME.txt alone
//     is a document without annotations. A NAME.txt that starts with a
//     byte order mark is stored without it, and its spans move back by one
//     when their texts show that the offsets count the mark (brat's do);
//     so a text that starts with U+FEFF is written with a mark of its own.
//   - labelstudio: writes a JSON array of tasks {"data":{"text"},
//     "meta", "annotations":[{"layer", "result":[{"type":"labels",
//     "value":{"start", "end", "text", "labels"}}]}]}. Reads a task array,
//     a single task, or JSONL of tasks; the text is the data key the
//     results name in "to_name", else "text", else the task's only string.
//     Annotations (and the older "completions") are an annotator's work,
//     cancelled ones skipped; predictions are read only into suggestions.
//     "hypertextlabels" (XPath ranges into HTML) are refused; other result
//     types (choices, relations, ...) are counted and skipped.
//   - xlsx: sheets Documents (doc id, name, status per layer, spans,
//     length, SHA-256, meta, text; a text longer than a cell's 32,767
//     characters continues in the cells to its right), Spans (doc id,
//     document, layer, start, end, label, text, left and right context),
//     Labels (with their colours) and, when two or more annotators'
//     layers are exported, Agreement (annotate/agreement over the
//     documents each marked done). Headers are frozen and filterable,
//     label cells carry the label's colour, cells whose text starts right
//     to left read right to left, and text starting with =, +, -, @, a tab
//     or a carriage return is stored as a string with Excel's quotePrefix
//     so no spreadsheet takes it for a formula. Reads back what it writes,
//     with the status of the layer read (ImportOptions.FromLayer, or the
//     workbook's only layer).
//
// # Import
//
// Import matches each document by the SHA-256 of its text and adds the
// ones the project lacks, so annotations of articles already in the
// project attach to them. With ImportOptions.Layer an annotator's name,
// the spans become that layer's finished work (origin imported, status
// done); with annotate.Suggestion they are suggestions (origin suggested).
// Every span is checked: its offsets must fall inside the text (and on
// code points, for UTF-16 or byte offsets), the text the file gives for it
// must be the document's text there, and its label must be in the project
// (or is added, with NewLabels). What fails is reported with the file and
// line (or the document) and the reason, and the rest of the document goes
// in, marked in progress rather than done, since it is not all of the
// annotator's work (exports of finished work and agreement leave it out
// until it is fixed, or imported again whole). Storing a span the layer
// already has changes nothing, so importing twice adds nothing.
//
// With Format "auto" each file's format is recognised by Detect; plain
// articles (text files, or JSON records with nothing but "text", "id",
// "name" and "meta") are imported as documents without spans.
package export
