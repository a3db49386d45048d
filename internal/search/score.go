package search

import (
	"html"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ranking and highlighting happen in Go, on a bounded set of candidates the
// store returns, so that both backends rank identically (FTS5's bm25 and
// PostgreSQL's ts_rank disagree) and so that no query ever ranks an
// unbounded match set.

// Field weights of the ranking: a hit in the Aktenzeichen or the title
// counts three times a hit in the text.
var fieldWeight = map[string]float64{FieldAz: 3, FieldTitel: 3, FieldAbsender: 2, FieldTyp: 1, "": 1}

// Scorer scores index streams (IndexText) and highlights texts for one
// query. Only positive leaves count: terms under NOT and date ranges do not.
type Scorer struct {
	leaves []leaf
}

type leaf struct {
	field  string   // "" = any field and the text
	terms  []string // one term, or a phrase
	prefix bool     // the last term is a prefix
}

// NewScorer collects the positive leaves of n.
func NewScorer(n Node) *Scorer {
	s := &Scorer{}
	s.collect(n, "")
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

// Score ranks one index stream: the sum over the query's leaves and over
// the fields they occur in of weight(field) · (1 + ln tf).
func (s *Scorer) Score(stream string) float64 {
	if len(s.leaves) == 0 {
		return 0
	}
	toks := strings.Split(stream, " ")
	fields := make([]string, len(toks))
	terms := make([]string, len(toks))
	valid := make([]bool, len(toks))
	for i, t := range toks {
		fields[i], terms[i], valid[i] = splitField(t)
	}
	score := 0.0
	tf := map[string]int{}
	for li := range s.leaves {
		l := &s.leaves[li]
		clear(tf)
		for i := range toks {
			if !valid[i] || (l.field != "" && fields[i] != l.field) || fields[i] == FieldDatum {
				continue
			}
			if !l.matchAt(0, terms[i]) {
				continue
			}
			ok := true
			for k := 1; k < len(l.terms); k++ {
				j := i + k
				if j >= len(toks) || !valid[j] || fields[j] != fields[i] || !l.matchAt(k, terms[j]) {
					ok = false
					break
				}
			}
			if ok {
				tf[fields[i]]++
			}
		}
		for f, n := range tf {
			score += fieldWeight[f] * (1 + math.Log(float64(n)))
		}
	}
	return score
}

// MaxSnippetSource bounds how much of a text Snippet analyses.
const MaxSnippetSource = 64 << 10

// Snippet picks the passage of text (about width words) with the most hits
// of the query's text leaves and returns it with the byte ranges of the
// hits inside it. Without hits it returns the beginning of the text.
func (s *Scorer) Snippet(text string, width int) (string, [][2]int) {
	if width <= 0 {
		width = 30
	}
	if len(text) > MaxSnippetSource {
		cut := MaxSnippetSource
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	toks := Analyze(text)
	// words: primary tokens in order; hit marks those matching a leaf.
	type word struct {
		start, end int
		hit        bool
	}
	var words []word
	for _, t := range toks {
		if t.Kind.Primary() {
			words = append(words, word{start: t.Start, end: t.End})
		}
	}
	prim := make([]string, 0, len(words))
	for _, t := range toks {
		if t.Kind.Primary() {
			prim = append(prim, t.Term)
		}
	}
	for _, t := range toks {
		// secondary terms (compound parts, joined Aktenzeichen) mark the
		// word they belong to
		if t.Kind.Primary() || t.Pos >= len(words) {
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
	if len(words) == 0 {
		return "", nil
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
	if last < len(words)-1 {
		b.WriteString(" …")
	}
	return b.String(), marks
}

// collapse replaces every run of white space in s by one space.
func collapse(s string) string {
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
