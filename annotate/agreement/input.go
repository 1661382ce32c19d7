package agreement

import "github.com/qalam-annotate/qalam/annotate"

// FromAnnotated is the input for the layers' work on a document as a
// store reads it (annotate.DocumentReader.EachDocument): a layer counts as
// having finished the document only when it marked it done. The layers
// are read from d in place, so d must not change while the Doc is used.
func FromAnnotated(d *annotate.AnnotatedDoc) Doc {
	return Doc{ID: d.ID, Name: d.Name, Text: d.Text, annotated: d}
}
