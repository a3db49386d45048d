// Package corpus generates a deterministic German E-Akte corpus for search
// tests and benchmarks, and holds a relevance test set for it.
//
// # Background
//
// Generate streams any number of documents for a seed (math/rand/v2 PCG):
// Akten under an Aktenplan of about 60 positions (Kennzeichen like
// "50.2.1", titles like "Kindertagesbetreuung"), Vorgänge in each Akte and
// Dokumente in each Vorgang, in that order, so a loader can create Akte →
// Vorgang → Dokumente as they come. Aktenzeichen look like
// TFM-50.2.1-2024/0007 (Akte) and TFM-50.2.1-2024/0007-3 (Vorgang).
// Documents have a Typ (Eingang, Ausgang, Vermerk, E-Mail, Scan, Antrag,
// Bescheid, Verfügung, Protokoll, Sonstiges), an Absender ("Stadt Erfurt,
// Jugendamt", "Müller, Jürgen", "Referat 32"), a date between 2019 and 2026
// and a text shaped by its type (letters with Bezug line and greeting,
// numbered Vermerke, Protokolle with TOPs, e-mail headers, scans with
// words hyphenated at line ends).
//
// Texts are sentences from templates over an embedded vocabulary
// (vocab.txt, about 2,800 words of administrative German: nouns and
// compounds with umlauts and ß, verbs, participles, adjectives, adverbs,
// function words). Each word class is drawn with Zipf weights 1/rank^1.07;
// nouns of the Aktenplan position's topics are mixed in. Text lengths are
// log-normal: about 120 words on average, median about 80, a tail beyond
// 2,000 words. Texts contain dates (15.03.2026), amounts (1.234,56 EUR),
// Aktenzeichen of other Akten ("Ihr Zeichen: TFM-10.2.1-2025/0042"),
// paragraphs of laws (§ 45 Abs. 2 VwVfG), addresses with "straße", phone
// numbers and e-mail addresses. Nothing depends on files outside the
// package.
//
// A corpus of N documents is a prefix of every larger corpus with the same
// options. Generation runs at well over 100,000 documents per second
// (BenchmarkGenerate).
//
// # Needles and the relevance set
//
// Needles returns about 40 hand-written documents (refs N01…) with words the
// background never contains (the vocabulary is filtered against them, and
// the tests analyse 20,000 background documents to make sure). They live
// under their own Aktenplan positions (xx.9.y; the background uses second
// levels 1–5), so az: prefix queries on them find needles only.
//
// testdata/relevanz.json lists queries with the exact set of documents each
// must return over background + needles:
//
//	{"query": "Zauneidechse", "hits": ["N25", "N26", "N27", "N28"], "ordered": true, "note": "…"}
//
// "hits" is the exact result set; when "ordered" is true it is also the
// exact order under this ranking: score = sum over the matched query terms
// (terms, prefixes, phrases; not those under NOT) of field weight ×
// (1 + ln tf), with weights 3 for Aktenzeichen and Titel (Betreff), 2 for
// Absender, 1 for Typ and text; ties go to the newest Datum, then to the
// greater Ref. Orders are only listed where they hold whether a term found
// in several fields is summed over the fields, counted in its best field
// only, or counted in the text together with the title occurrences.
//
// The hit sets assume the index entry of Doc.SearchDoc (Aktenzeichen of
// the Vorgang, Betreff as Titel) and stay the same if a store adds the
// Vorgang's Betreff and the Akte's Titel to the Titel, or indexes the
// Akte's Aktenzeichen instead. The tests check every query: it parses,
// renders for both engines, matches exactly "hits" among the needles
// (evaluated over search.IndexText streams with the renderers' semantics)
// and matches no background document.
package corpus
