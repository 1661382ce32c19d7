package agreement

import "github.com/qalam-annotate/qalam/annotate"

// FromAnnotated is the input for the named layers' work on a document as
// a store reads it (annotate.DocumentReader.EachDocument): a layer counts
// as having finished the document only when it marked it done.
func FromAnnotated(d *annotate.AnnotatedDoc, layers []string) Doc {
	ad := Doc{ID: d.ID, Name: d.Name, Text: d.Text, Layers: make(map[string]LayerDoc, len(layers))}
	for _, name := range layers {
		if ld := d.Layers[name]; ld != nil {
			ad.Layers[name] = Work(ld.Status, ld.Spans)
		}
	}
	return ad
}

// Work is one layer's work on a document with the given status.
func Work(status annotate.Status, spans []annotate.Span) LayerDoc {
	return LayerDoc{Done: status == annotate.Done, Spans: spans}
}
