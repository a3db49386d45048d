// Package search is the German text analysis and the query model of the
// full-text search. It is pure Go: it knows no database, only the text that
// the stores put into SQLite FTS5 and PostgreSQL full-text search and the
// query text they hand to those engines.
//
// # Analysis chain
//
// Analyze is used for the index and for every word of a query, so both
// sides always agree:
//
//  1. Tokenise the original text into words: runs of letters, digits and
//     combining marks assigned by Unicode 13.0 (see isWordRune for why).
//     Start/End are byte offsets into the original (for highlighting);
//     normalisation happens per word, after tokenising.
//  2. Connected tokens: words joined by - / . _ : @ ' (and a comma between
//     digits) without white space form one token, e.g. the Aktenzeichen
//     TFM-121-2026/0001, 15.03.2026, 1.234,56, Kita-Gesetz, an e-mail
//     address. Each segment is a primary term (KindPart: tfm 121 2026 0001,
//     at consecutive positions, never dropped as a stop word), and the
//     whole token is one more term (KindJoin: tfm12120260001, kitagesetz).
//     A token with a digit also gets its trailing runs (12120260001,
//     20260001). So an Aktenzeichen is found as a whole (join), by its tail
//     (2026/0001), by its beginning (TFM-121*), by any run of parts as a
//     phrase ("121-2026") and by single parts (0001).
//  3. Normalise each word: Unicode NFKC (ligatures, full-width and other
//     digit forms become plain letters and ASCII digits), case folding,
//     ß → ss, diacritics removed (é → e, ø → o); decimal digits of any
//     script become ASCII, other numeric characters are dropped.
//  4. Umlauts: one scheme for index and query. The transliterations ae, oe,
//     ue are read as ä, ö, ü (Mueller → Müller) unless the vowel follows
//     another vowel or a q (Steuer, Bauer, neue, Quelle stay); then every
//     umlaut is folded to its base vowel (Müller, Mueller, Muller → muller).
//     Folding to the base vowel, not to ae, is what Snowball itself does and
//     what keeps umlaut plurals together (Antrag/Anträge, Platz/Plätze).
//     Words like aktuell also turn into aktull – on both sides, so they
//     still match; the cost is rare collisions of unrelated words.
//  5. Stop words: a short list of articles, prepositions, conjunctions,
//     pronouns and auxiliaries, only for stand-alone words without digits.
//     Negations (nicht, kein) are kept.
//  6. Stemming: Snowball German on the folded word, plus removal of a plural
//     -s after a, o or y (Kitas → kita, Autos → auto). Words with digits are
//     not stemmed.
//  7. Compounds (compound.go): the compound stays the primary term; the
//     stems of its parts are added as secondary terms (KindSub) at the same
//     position, found by a dictionary-free rule (derivational suffix +
//     Fugen-s: Ausbildungs|platz, Verwaltungs|gericht) and by a small
//     embedded lexicon of the field (Kita|platz, Daten|schutz).
//
// Steps 6 and 7 are memoised per word (a bounded cache of a pure function).
//
// Terms consist of Unicode letters and ASCII digits only and are at most
// MaxTermBytes long. FTS5's unicode61 tokenizer and PostgreSQL's default
// parser both keep such a string as exactly one token, and the 'simple'
// configuration leaves it unchanged; this is checked against both engines
// in the tests.
//
// # Index stream
//
// IndexText lays out a document's terms as one space-separated string:
// field-prefixed terms (ǂtitelǂkita), date terms, the running text (primary
// terms) and the secondary terms, groups separated by the sentinel ǂ.
// Stores put that string into one FTS5 column (tokenize 'unicode61
// remove_diacritics 0') and into to_tsvector('simple', …). Both engines
// then see the same terms at the same positions.
//
// # Queries
//
// Parse reads the query language (see query.go): AND by default, OR/ODER,
// NOT/NICHT/-, parentheses, "phrases", prefix*, fields az:, titel:
// (betreff:), absender:, typ: and datum: with days, months, years and
// ranges. The AST holds analysed terms: a query word is the primary term of
// its analysis (so Ausbildungsplatz finds the compound, not any document
// with Ausbildung and Platz), a connected token is its join term, a phrase
// is the sequence of primary terms. A prefix is the stem of what was typed
// (Ausbildungs* behaves like ausbild*), which widens rather than narrows.
// Date queries become disjunctions of the date terms (rangeTerms), so they
// combine with OR and NOT like words. Errors are *SyntaxError with a German
// message and the position.
//
// RenderFTS5 and RenderTSQuery turn the AST into an FTS5 MATCH expression
// and tsquery text for to_tsquery('simple', $1).
//
// # Limits
//
//   - PostgreSQL stores positions only up to 16,383 per document and at most
//     256 positions per lexeme; FTS5 has no such limits. Phrase matches in
//     the tail of very long texts can therefore differ; stores should index
//     long texts in chunks.
//   - Compound splitting finds parts only through the suffix rule or the
//     lexicon; the lexicon is small and made for administrative language.
//   - Snowball is a light stemmer: fördern/fördert stay apart, Mittel and
//     Mitteln too.
//   - A join term like 20260001 is the same term as the number 20260001.
//   - Characters assigned after Unicode 13.0 are separators (PostgreSQL
//     classifies characters with its host's C library).
//   - Ranking, snippets, facets and access filtering are the stores' part.
package search
