package search

import (
	"bytes"
	"html"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ranking and highlighting happen in Go, on a bounded set of candidates the
// store returns, so that both backends rank identically (FTS5's bm25 and
// PostgreSQL's ts_rank disagree) and so that no query ever ranks an
// unbounded match set.

// Field weights of the ranking: a hit in the Aktenzeichen or the title
// counts three times a hit in the text. Index: fieldIndex.
var fieldWeights = [5]float64{1, 3, 3, 2, 1}

// fieldIndex numbers the fields that count for the ranking ("" is the
// running text); date terms and unknown fields answer -1.
func fieldIndex(f string) int {
	switch f {
	case "":
		return 0
	case FieldAz:
		return 1
	case FieldTitel:
		return 2
	case FieldAbsender:
		return 3
	case FieldTyp:
		return 4
	}
	return -1
}

// Scorer scores index streams (IndexText) and highlights texts for one
// query. Only positive leaves count: terms under NOT and date ranges do not.
// It is built once per query and used for every candidate, so Score does
// one pass over a stream without allocating per term.
type Scorer struct {
	leaves []leaf
	single map[string][]int // plain term → the one-term leaves it matches
	multi  []int            // leaves with a prefix or several terms
	maxLen int              // longest phrase
	// needles are the terms of the text leaves: a word of a text can only
	// be a hit if its folded form contains one (analyzeOpts.needles).
	needles []string
	// skeletons are the needles without the letter e (see skeleton); nil
	// when one of them has nothing else
	skeletons []string
}

type leaf struct {
	field  string   // "" = any field and the text
	terms  []string // one term, or a phrase
	prefix bool     // the last term is a prefix
}

// NewScorer collects the positive leaves of n.
func NewScorer(n Node) *Scorer {
	s := &Scorer{single: map[string][]int{}}
	s.collect(n, "")
	for i, l := range s.leaves {
		if len(l.terms) == 1 && !l.prefix {
			s.single[l.terms[0]] = append(s.single[l.terms[0]], i)
		} else {
			s.multi = append(s.multi, i)
		}
		s.maxLen = max(s.maxLen, len(l.terms))
		if l.field == "" {
			for _, t := range l.terms {
				if !slices.Contains(s.needles, t) {
					s.needles = append(s.needles, t)
				}
			}
		}
	}
	for _, n := range s.needles {
		sk := strings.ReplaceAll(n, "e", "")
		if sk == "" {
			s.skeletons = nil
			break
		}
		s.skeletons = append(s.skeletons, sk)
	}
	return s
}

func (s *Scorer) collect(n Node, field string) {
	switch n := n.(type) {
	case *And:
		for _, c := range n.Nodes {
			s.collect(c, field)
		}
	case *Or:
		for _, c := range n.Nodes {
			s.collect(c, field)
		}
	case *Field:
		s.collect(n.Node, n.Name)
	case *Term:
		s.leaves = append(s.leaves, leaf{field: field, terms: []string{n.Term}})
	case *Prefix:
		s.leaves = append(s.leaves, leaf{field: field, terms: []string{n.Prefix}, prefix: true})
	case *Phrase:
		if len(n.Terms) > 0 {
			s.leaves = append(s.leaves, leaf{field: field, terms: n.Terms, prefix: n.Prefix})
		}
	}
}

// Empty reports whether the query has nothing to rank by (only negations
// and dates): candidates then keep their recency order.
func (s *Scorer) Empty() bool { return len(s.leaves) == 0 }

func (l *leaf) matchAt(i int, term string) bool {
	want := l.terms[i]
	if l.prefix && i == len(l.terms)-1 {
		return strings.HasPrefix(term, want)
	}
	return term == want
}

// splitField splits a stream token into its field and term ("ǂtitelǂkita"
// → titel, kita); plain text terms have field "". The bare sentinel
// reports ok = false.
func splitField(tok string) (field, term string, ok bool) {
	if tok == Sentinel {
		return "", "", false
	}
	if rest, found := strings.CutPrefix(tok, Sentinel); found {
		if f, t, cut := strings.Cut(rest, Sentinel); cut {
			return f, t, true
		}
	}
	return "", tok, true
}

// streamTok is a term of a stream with the index of its field (-1: it
// counts for nothing and breaks phrases).
type streamTok struct {
	field int
	term  string
}

// Score ranks one index stream: the sum over the query's leaves and over
// the fields they occur in of weight(field) · (1 + ln tf). Phrases count
// where their terms follow each other within one field.
func (s *Scorer) Score(stream string) float64 {
	if len(s.leaves) == 0 {
		return 0
	}
	if len(s.multi) == 0 {
		return s.scoreTerms(stream)
	}
	return s.scoreWalk(stream)
}

// scoreWalk is Score by walking every term of the stream (phrases and
// prefixes need the neighbours and every term).
func (s *Scorer) scoreWalk(stream string) float64 {
	tf := make([][5]int32, len(s.leaves))
	ring := make([]streamTok, s.maxLen) // the last maxLen terms, ring[seen%maxLen] is the newest
	seen := 0
	for len(stream) > 0 {
		var tok string
		if i := strings.IndexByte(stream, ' '); i >= 0 {
			tok, stream = stream[:i], stream[i+1:]
		} else {
			tok, stream = stream, ""
		}
		field, term, ok := splitField(tok)
		fi := -1
		if ok {
			fi = fieldIndex(field)
		}
		ring[seen%s.maxLen] = streamTok{field: fi, term: term}
		seen++
		if fi < 0 {
			continue
		}
		for _, li := range s.single[term] {
			if l := &s.leaves[li]; l.field == "" || l.field == field {
				tf[li][fi]++
			}
		}
		for _, li := range s.multi {
			l := &s.leaves[li]
			k := len(l.terms)
			if (l.field != "" && l.field != field) || k > seen {
				continue
			}
			match := true
			for j := 0; j < k && match; j++ {
				t := ring[(seen-k+j)%s.maxLen]
				match = t.field == fi && l.matchAt(j, t.term)
			}
			if match {
				tf[li][fi]++
			}
		}
	}
	return sumTF(tf)
}

// scoreTerms is Score for queries of single terms only: it looks for each
// term with strings.Index instead of walking every term of the stream
// (at 1 M documents a window of 501 streams took 3–7 ms to walk). It counts
// exactly what scoreWalk counts: the terms that equal a leaf's term, per
// field (TestScoreTermsSameAsWalk).
func (s *Scorer) scoreTerms(stream string) float64 {
	tf := make([][5]int32, len(s.leaves))
	for term, lis := range s.single {
		for off := 0; off < len(stream); {
			i := strings.Index(stream[off:], term)
			if i < 0 {
				break
			}
			i += off
			end := i + len(term)
			tokEnd := len(stream)
			if sp := strings.IndexByte(stream[end:], ' '); sp >= 0 {
				tokEnd = end + sp
			}
			off = tokEnd // a term ends its stream term: one match per term at most
			if tokEnd != end {
				continue
			}
			field, t, ok := splitField(stream[strings.LastIndexByte(stream[:i], ' ')+1 : end])
			if !ok || t != term {
				continue
			}
			fi := fieldIndex(field)
			if fi < 0 {
				continue
			}
			for _, li := range lis {
				if l := &s.leaves[li]; l.field == "" || l.field == field {
					tf[li][fi]++
				}
			}
		}
	}
	return sumTF(tf)
}

// sumTF is the score of the term frequencies per leaf and field: the sum
// of weight(field) · (1 + ln tf), in leaf and field order.
func sumTF(tf [][5]int32) float64 {
	score := 0.0
	for li := range tf {
		for fi, n := range tf[li] {
			if n > 0 {
				score += fieldWeights[fi] * (1 + math.Log(float64(n)))
			}
		}
	}
	return score
}

// MaxSnippetSource bounds how much of a text Snippet analyses.
const MaxSnippetSource = 64 << 10

// snippetPiece is how much text Snippet analyses at a time: it stops as
// soon as it has a hit with enough words after it.
const snippetPiece = 1 << 10

type snippetWord struct {
	start, end int
	hit        bool
}

// Snippet picks the passage of text (about width words) with the most hits
// of the query's text leaves and returns it with the byte ranges of the
// hits inside it. Without hits it returns the beginning of the text. It
// analyses the text piece by piece and stops early, so long documents cost
// little when the hit is near the top.
func (s *Scorer) Snippet(text string, width int) (string, [][2]int) {
	return s.snippet(text, width, analyzeOpts{needles: s.needles})
}

// snippet is Snippet with the analysis options (tests compare it with
// and without needles).
func (s *Scorer) snippet(text string, width int, o analyzeOpts) (string, [][2]int) {
	if width <= 0 {
		width = 30
	}
	all := len(text)
	text = cutAt(text, MaxSnippetSource)
	text1 := s.textLeaves()
	from := 0
	if text1 && o.needles != nil {
		switch x := s.firstPossibleHit(text); {
		case x == noPossibleHit:
			text1 = false // no word can be a hit: the beginning is the snippet
		case x > 0:
			from = backOff(text, x)
		}
	}
	if from > 0 {
		if snip, marks, ok := s.snippetFrom(text, all, from, width, text1, o); ok {
			return snip, marks
		}
	}
	snip, marks, _ := s.snippetFrom(text, all, 0, width, text1, o)
	return snip, marks
}

// backOff is where to start analysing a text whose first hit can be at
// byte x: after the white space some 64 words before it (or 0), so that
// the snippet can start a few words before the hit.
func backOff(text string, x int) int {
	n := 0
	for i := x - 1; i > 0; i-- {
		if isCut(text[i]) && !isCut(text[i-1]) {
			if n++; n == 64 {
				return i + 1
			}
		}
	}
	return 0
}

// isCut reports the white space at which Snippet cuts a text into pieces.
func isCut(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// noPossibleHit: no word of the text can be a hit.
const noPossibleHit = -1

// firstPossibleHit is the byte offset in text before which no word can be
// a hit of the text leaves, noPossibleHit if none can, or 0 when the text
// has characters the skeleton does not know. It looks for the needles in
// the text's skeleton, without analysing it.
//
// The skeleton writes what fold makes of the letters and digits of a
// text, but without any letter e, keeps white space and drops everything
// else. Every term Analyze makes of a word (its stem, a compound part, a
// join of a connected token) is a part of the folded word or of its
// segments joined (TestStemsAreSubstrings); fold changes letters only by
// case, umlauts, diacritics, ß and by dropping an e (ue → u): so without
// e's, a hit's term is a part of the text's skeleton. The skeleton knows
// ASCII, the letters of Latin-1 and ẞ; for other letters and digits (NFKC
// may change them) it gives up.
func (s *Scorer) firstPossibleHit(text string) int {
	if s.skeletons == nil {
		return 0
	}
	var buf [8 << 10]byte
	sk := buf[:0]
	for _, r := range text {
		var ok bool
		if sk, ok = appendSkeleton(sk, r); !ok {
			return 0
		}
	}
	k := -1
	for _, n := range s.skeletons {
		if i := bytes.Index(sk, []byte(n)); i >= 0 && (k < 0 || i < k) {
			k = i
		}
	}
	if k < 0 {
		return noPossibleHit
	}
	// the offset of the character that wrote skeleton byte k
	n := 0
	for off, r := range text {
		sk, _ = appendSkeleton(sk[:0], r)
		if n += len(sk); n > k {
			return off
		}
	}
	return 0
}

// appendSkeleton appends the skeleton of r (see firstPossibleHit); ok is
// false for a letter or digit it does not know.
func appendSkeleton(sk []byte, r rune) (_ []byte, ok bool) {
	switch {
	case r == ' ' || r == '\t' || r == '\n' || r == '\r':
		return append(sk, ' '), true
	case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
		if r != 'e' {
			sk = append(sk, byte(r))
		}
		return sk, true
	case 'A' <= r && r <= 'Z':
		if r != 'E' {
			sk = append(sk, byte(r)+'a'-'A')
		}
		return sk, true
	case r < utf8.RuneSelf:
		return sk, true // punctuation: dropped
	case r == 'ß' || r == 'ẞ':
		return append(sk, "ss"...), true
	case r == 'ä' || r == 'Ä':
		return append(sk, 'a'), true
	case r == 'ö' || r == 'Ö':
		return append(sk, 'o'), true
	case r == 'ü' || r == 'Ü':
		return append(sk, 'u'), true
	case r >= 0xC0 && r <= 0xFF && unicode.IsLetter(r):
		// Latin-1 letters are NFKC-stable; fold writes them like this
		var buf [4]byte
		for _, c := range appendFoldedLetter(buf[:0], r) {
			if c != 'e' {
				sk = append(sk, c)
			}
		}
		return sk, true
	case unicode.IsSpace(r) || !isWordRune(r, utf8.RuneLen(r)):
		return sk, true // not part of a word (U+00A0, „, –, …): dropped
	}
	return sk, false
}

// snippetFrom is snippet analysing text from the byte offset from on (a
// word start) instead of from its beginning. Before from there must be no
// hit (firstPossibleHit): then the result is the same as from the
// beginning if the first hit has at least six words before it in what was
// analysed; otherwise ok is false. The pieces keep the boundaries they
// have when the text is analysed from its beginning, so that the analysis
// stops at the same point.
func (s *Scorer) snippetFrom(text string, all, from, width int, text1 bool, o analyzeOpts) (_ string, _ [][2]int, ok bool) {
	est := min(len(text)-from, snippetPiece)/7 + 1 // words of the first piece
	words := make([]snippetWord, 0, est)
	prim := make([]string, 0, est)
	var sec []Token // secondary tokens with Pos in words
	off := 0
	first := -1
	for off < len(text) {
		piece := snippetPiece
		if !text1 {
			// only the beginning is needed: about 30 words
			piece = width * 16
		}
		end := off + piece
		if end >= len(text) {
			end = len(text)
		} else if sp := strings.IndexAny(text[end:], " \t\n\r"); sp >= 0 {
			end += sp
		} else {
			end = len(text)
		}
		if end <= from {
			off = end
			continue
		}
		at := max(off, from)
		base := len(words)
		for _, t := range analyze(text[at:end], o) {
			t.Start, t.End, t.Pos = t.Start+at, t.End+at, t.Pos+base
			if t.Kind.Primary() {
				words = append(words, snippetWord{start: t.Start, end: t.End})
				prim = append(prim, t.Term)
			} else {
				sec = append(sec, t)
			}
		}
		off = end
		if !text1 && len(words) > width {
			// nothing can be a hit (the leaves are fields only): the
			// beginning is the snippet, the rest need not be analysed
			break
		}
		if first = s.markHits(words, prim, sec); first >= 0 && len(words)-first >= width {
			break
		}
	}
	if from > 0 && first < 6 {
		return "", nil, false
	}
	more := off < all // text after what was analysed
	if len(words) == 0 {
		return "", nil, true
	}
	// the window of width words with the most hits (first such window)
	best, bestHits, hits := 0, -1, 0
	for i := range words {
		if words[i].hit {
			hits++
		}
		if i >= width && words[i-width].hit {
			hits--
		}
		if start := max(0, i-width+1); hits > bestHits {
			best, bestHits = start, hits
		}
	}
	if bestHits > 0 {
		// start a few words before the first hit of the window
		first := best
		for first < len(words) && !words[first].hit {
			first++
		}
		best = max(0, first-5)
	}
	last := min(len(words), best+width) - 1
	var b strings.Builder
	var marks [][2]int
	if best > 0 {
		b.WriteString("… ")
	} else {
		// what comes before the first word (stop words, punctuation)
		b.WriteString(strings.TrimLeft(collapse(text[:words[0].start]), " "))
	}
	for i := best; i <= last; i++ {
		w := words[i]
		if i > best {
			// what lies between two words (punctuation), white space collapsed
			b.WriteString(collapse(text[words[i-1].end:w.start]))
		}
		if w.hit {
			marks = append(marks, [2]int{b.Len(), b.Len() + w.end - w.start})
		}
		b.WriteString(text[w.start:w.end])
	}
	if last < len(words)-1 || more {
		b.WriteString(" …")
	}
	return b.String(), marks, true
}

// textLeaves reports whether a leaf can mark a word of a text: one not
// bound to a field (az:, titel:, typ: … match metadata only).
func (s *Scorer) textLeaves() bool {
	for _, l := range s.leaves {
		if l.field == "" {
			return true
		}
	}
	return false
}

// markHits marks the words that match a text leaf (a term, prefix or
// phrase, or a secondary term such as a compound part) and returns the
// index of the first hit, -1 if none.
func (s *Scorer) markHits(words []snippetWord, prim []string, sec []Token) int {
	for _, t := range sec {
		if t.Pos >= len(words) {
			continue
		}
		for li := range s.leaves {
			l := &s.leaves[li]
			if l.field == "" && len(l.terms) == 1 && l.matchAt(0, t.Term) {
				words[t.Pos].hit = true
			}
		}
	}
	for li := range s.leaves {
		l := &s.leaves[li]
		if l.field != "" {
			continue
		}
		for i := range prim {
			ok := true
			for k := range l.terms {
				if i+k >= len(prim) || !l.matchAt(k, prim[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				for k := range l.terms {
					words[i+k].hit = true
				}
			}
		}
	}
	for i, w := range words {
		if w.hit {
			return i
		}
	}
	return -1
}

// cutAt cuts s to at most n bytes at a rune boundary.
func cutAt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// collapse replaces every run of white space in s by one space.
func collapse(s string) string {
	if s == "" || s == " " || !strings.ContainsFunc(s, unicode.IsSpace) {
		return s // nothing to collapse: most gaps between words
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// SnippetHTML escapes a snippet and wraps the hit ranges in <mark>.
func SnippetHTML(snippet string, marks [][2]int) string {
	var b strings.Builder
	prev := 0
	for _, m := range marks {
		if m[0] < prev || m[1] > len(snippet) || m[0] > m[1] {
			continue
		}
		b.WriteString(html.EscapeString(snippet[prev:m[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(snippet[m[0]:m[1]]))
		b.WriteString("</mark>")
		prev = m[1]
	}
	b.WriteString(html.EscapeString(snippet[prev:]))
	return b.String()
}
