package corpus

import "aktenwerk/internal/search"

// SearchDoc is the reference mapping of a Dokument to the full-text index
// entry that testdata/relevanz.json was written for: the Aktenzeichen of its
// Vorgang, its Betreff as Titel, Absender, Typ, Datum and Text.
//
// The relevance set does not depend on two choices a store may make
// differently (the tests check both): adding the Betreff of the Vorgang and
// the Titel of the Akte to the Titel, and indexing the Aktenzeichen of the
// Akte instead of the Vorgang's.
func (d Doc) SearchDoc() search.Doc {
	return search.Doc{
		Aktenzeichen: d.VorgangAktenzeichen,
		Titel:        d.Betreff,
		Absender:     d.Absender,
		Typ:          d.Typ,
		Datum:        d.Datum,
		Text:         d.Text,
	}
}
