// Package export moves annotations between Qalam projects and the files
// other tools read and write, in both directions (it reads as well as it
// writes): spaCy/Prodigy JSONL, doccano, Hugging Face token
// classification, CoNLL, brat standoff, Label Studio and Excel. Each format
// is an Encoder over an io.Writer (a folder for brat) and a Decoder over an
// io.Reader; Export and Import run them against a project.
//
// # API
//
//	Formats, Lookup(name)          the formats: Name, Extensions, Folder,
//	                               NewEncoder/NewFolderEncoder, NewDecoder
//	Detect(path, r)                which format a file is in (--format auto)
//	Export(ctx, src, opts, progress) (Summary, error)
//	Import(ctx, dst, opts, paths, report, progress) (ImportSummary, error)
//	ErrUsage, ErrWrite, ErrNothingToExport   the kinds of error (errors.Is)
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
// Every output is written under a temporary name beside its final one
// (".NAME.PID.N.tmp") and renamed when complete, so a failed export never
// leaves part of a file (or a half-filled folder) under the name asked
// for; the temporary files of an export that was killed are removed by
// the next export to the same folder. Output "-" writes a line format to
// Options.Stdout. An output that is a SQLite database (a project) is
// refused, and so is a folder that does not exist ("no folder o/ to write
// o/t1.conll in").
//
// Errors have kinds, for the command line's exit codes: ErrUsage (options
// that cannot be carried out), ErrWrite (the output could not be written;
// the old file is untouched) and ErrNothingToExport ("0 of N documents are
// done in layer X", naming --include-unfinished). What an export leaves out
// (a span CoNLL cannot hold) is a Problem; what it changes on purpose
// (white space trimmed from a span's edge) is counted in Summary.Notes.
//
// # Tokens
//
// JSONL, Hugging Face and CoNLL need tokens. They come from
// annotate.Tokenize: Unicode word segmentation (UAX #29), each
// punctuation mark, symbol and grapheme cluster between words its own
// token (an emoji ZWJ sequence or a flag is one). Before they are cut, the
// white space (and invisible format characters) at a span's edges is
// trimmed and counted. Then, by default (TokensSplit), a word is split
// wherever a span starts or ends inside it, so every span starts on its
// first token's start and ends on its last token's end, as spaCy's
// Doc.char_span needs: و O, لبنان B-PLACE for a name written without the
// conjunction; "Blue Smoke" before "'s". TokensWords instead keeps
// white-space words whole and tags every word a span touches (ولبنان
// B-PLACE, the convention of ANERcorp, AQMAR and Wojood), counting the
// spans it widens. A span that overlaps one already tagged is left out of
// the tags and reported.
//
// Hugging Face rows and CoNLL blocks are sentences (UnitSentence, the
// default; UnitDocument writes a row per document): sentences end at line
// breaks and where Unicode sentence segmentation (UAX #29) ends them (. ! ?
// ؟ ۔ and the spaces after them; not U.S. nor 3.5), but never inside a
// span. JSONL writes a record per document, with spaCy's tokens: each
// followed by one space or none ("ws"), other white space a token of its
// own, so that a Doc made of the words and spaces has the record's text.
//
// A document whose text was rebuilt from tokens on import (CoNLL, Hugging
// Face, spaCy v2 JSON: tokens joined by single spaces, sentences by line
// breaks, meta {"text_from":"tokens"}) keeps exactly those tokens and
// sentences on export (its text is split at white space, a line break
// ending a sentence), so CoNLL in, CoNLL out gives back the same tokens and
// tags, IOB2-normalised. Such a text is not the original's: the token
// formats do not carry it.
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
//     tags as strings, one row per sentence (id NAME#N) or document. Reads
//     "tokens" and "ner_tags" (or "words" and "ner", as transformers'
//     fixtures), tags as names (IOB, IOB2, BIOES) or as label ids with
//     the dataset's label names (ImportOptions.TagNames, or the
//     dataset_info.json beside the file).
//   - conll: writes "TOKEN TAG" lines with one space (SepTab: a tab), as
//     conlleval, Hugging Face's conll2003 script and transformers' reader
//     split them; a blank line after each sentence; and before each
//     document the line "-DOCSTART- -X- O O" and a blank line, the one
//     spaCy's convert recognises. A label's white space is written _.
//     Reads tab- or space-separated columns (tab when a line has one, so
//     a token may hold spaces), a header line (WORD TAG, ...), # comment lines,
//     -DOCSTART- (each starts a document; a file without one is one
//     document), blank or space-only lines and a stray U+FEFF as sentence
//     breaks, and IOB1, IOB2, BIOES/BILOU, PER-B suffixes and bare labels
//     (two-column files). Columns are decided from the first lines: the
//     token is the first column, or the second when the first numbers the
//     tokens (CoNLL-U, GermEval); the tags are the last column that holds
//     only tags (CoNLL-2003's NER after POS and chunk tags), every such
//     column in numbered files (GermEval's nested levels), and every
//     column after the token when their number varies (Wojood's nested
//     tags). A line with another number of columns, an empty token or a
//     value that is not a tag is left out alone, reported with its number;
//     the rest of its sentence stays.
//     spaCy's word|POS|TAG sentence-per-line files are read too.
//   - brat: writes a folder of NAME.txt and NAME.ann (T lines in text
//     order, a span's line breaks written as spaces in its text field),
//     with a subfolder per layer when there are several; names are made
//     safe (no path separators, no leading dots, so no "..", no control
//     or reserved characters, Windows device names prefixed, cut to 200
//     bytes) and unique regardless of case; a label's white space is
//     written _. Reads T lines in any order; a discontinuous span
//     is reported and left out; R, E, A, M, N, * and # lines are counted
//     and skipped. An .ann's text is NAME.txt beside it; a NAME.txt alone
//     is a document without annotations. A NAME.txt that starts with a
//     byte order mark is stored without it, and its spans move back by one
//     when their texts show that the offsets count the mark (brat's do);
//     so a text that starts with U+FEFF is written with a mark of its own.
//   - labelstudio: writes a JSON array of tasks {"data":{"text"},
//     "meta", "annotations":[{"layer", "completed_by":{"username" or
//     "email"}, "ground_truth" (true for gold), "result":[{"type":"labels",
//     "value":{"start", "end", "text", "labels"}}]}]}, an annotation per
//     layer. Reads a task array, a single task, or JSONL of tasks; the
//     text is the data key the results name in "to_name", else "text",
//     else the task's only string. Each annotation (and the older
//     "completions") is the work of its annotator, named by completed_by
//     (email, else username, else id): without ImportOptions.Layer each
//     gets a layer of their own; with it, a file whose tasks hold several
//     annotators' work is refused before anything is stored, unless
//     FromLayer takes one. Cancelled annotations are counted and skipped;
//     predictions go in as suggestions.
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
//     so no spreadsheet takes it for a formula. Past a sheet's 1,048,575
//     rows, spans go on in "Spans 2", "Spans 3", .... Reads back what it
//     writes, with the status of each layer; a text whose SHA-256 is not
//     the one its row states (LibreOffice saves \r\n as \n) is given back
//     its line breaks, or matched to the project's document of that hash
//     and reported. Only the entries its sheets need are unzipped, each at
//     most 512 MB (a zip bomb is refused), and XML that does not parse to
//     its end refuses the workbook, naming its sheet.
//
// # Import
//
// Import reads only regular files (a named pipe or a device is refused by
// name, never waited on), each at most articles.MaxFileSize bytes, UTF-16
// with a byte order mark decoded (package articles opens them). It
// matches each document by the SHA-256 of its text and adds the ones the
// project lacks, so annotations of articles already in the project attach
// to them. With ImportOptions.Layer an annotator's name, the spans become
// that layer's finished work (origin imported, status done); with
// annotate.Suggestion they are suggestions (origin suggested); without it,
// each layer the file names (Label Studio's annotators, an export's
// layers) gets its own, and work the file names no annotator for is
// refused, saying to give --layer. A record whose spans sit in a field the
// chosen format does not read (a doccano "label" read as jsonl) is
// refused, naming the field and the format that reads it.
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
// With Format "auto" each file's format is recognised by Detect, which
// reads whole records whatever their size, says why when it cannot tell,
// and refuses text classification (a Prodigy "label" category with no
// spans). Plain articles (text files, or JSON records with nothing but
// "text", "id", "name" and "meta") are read by package articles, as `qalam
// import` reads them: the same document names ("news:3" for line 3 of
// news.jsonl, a folder's files by their path in it, without extension)
// and "id" kept in the meta.
package export
