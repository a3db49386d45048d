package search

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Renderers turn an AST into the query text of an engine. Both assume the
// documents were indexed with IndexText: one FTS5 column, or one tsvector
// built by to_tsvector('simple', IndexText(doc)), to which a trigger adds
// the word pairs of PairTerm (search_pairs, PostgreSQL migration 00019).
//
// Every node renders to an operand that can stand next to any operator
// without further parentheses: a quoted term, a phrase, a prefix, "!x" on
// PostgreSQL (! binds tightest) or a parenthesised expression.

// ErrEmptyQuery is returned for a nil AST.
var ErrEmptyQuery = errors.New("search: empty query")

// RenderFTS5 renders n as an SQLite FTS5 MATCH expression. Every term is a
// quoted FTS5 string, so no term can be read as an operator or column name.
// FTS5 has no unary NOT; a negation without a positive partner is rendered
// as "ǂ" NOT …, the sentinel every IndexText stream contains.
func RenderFTS5(n Node) (string, error) {
	return (&renderer{fts: true}).render(n, "")
}

// RenderTSQuery renders n as PostgreSQL tsquery text for
// to_tsquery('simple', $1): lexemes are single-quoted, & | ! <-> and :*
// are the operators. Terms are already analysed in Go; the 'simple'
// configuration only lower-cases, which leaves them unchanged. With pairs
// (every indexed row holds its word pairs, see PairTerm) a phrase also
// asks for the pair terms of its words.
func RenderTSQuery(n Node, pairs bool) (string, error) {
	return (&renderer{pairs: pairs}).render(n, "")
}

type renderer struct {
	fts, pairs bool
}

func (r *renderer) quote(term string) string {
	if r.fts {
		return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
	}
	term = strings.ReplaceAll(term, `\`, `\\`)
	return "'" + strings.ReplaceAll(term, "'", "''") + "'"
}

func (r *renderer) term(t string) (string, error) {
	if t == "" {
		return "", errors.New("search: empty term")
	}
	return r.quote(t), nil
}

func (r *renderer) prefix(p string) string {
	if r.fts {
		return r.quote(p) + "*"
	}
	return r.quote(p) + ":*"
}

func (r *renderer) render(n Node, ns string) (string, error) {
	switch x := n.(type) {
	case nil:
		return "", ErrEmptyQuery
	case *Term:
		if x == nil {
			return "", ErrEmptyQuery
		}
		return r.term(ns + x.Term)
	case *Prefix:
		if x == nil || x.Prefix == "" {
			return "", errors.New("search: empty prefix")
		}
		return r.prefix(ns + x.Prefix), nil
	case *Phrase:
		if x == nil || len(x.Terms) == 0 {
			return "", errors.New("search: empty phrase")
		}
		for _, t := range x.Terms {
			if t == "" {
				return "", errors.New("search: empty term in phrase")
			}
		}
		if r.fts {
			parts := make([]string, len(x.Terms))
			for k, t := range x.Terms {
				parts[k] = strings.ReplaceAll(ns+t, `"`, `""`)
			}
			s := `"` + strings.Join(parts, " ") + `"`
			if x.Prefix {
				s += "*"
			}
			return s, nil
		}
		parts := make([]string, len(x.Terms))
		for k, t := range x.Terms {
			parts[k] = r.quote(ns + t)
		}
		if x.Prefix {
			parts[len(parts)-1] += ":*"
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		phrase := "(" + strings.Join(parts, " <-> ") + ")"
		// The word pairs of the phrase, where the index has them, let
		// the GIN index narrow to rows that hold the pairs; the phrase
		// itself then only rechecks those (see PairTerm).
		var pairs []string
		if ns == "" && r.pairs {
			pairs = phrasePairs(x)
		}
		if len(pairs) == 0 {
			return phrase, nil
		}
		for k, p := range pairs {
			pairs[k] = r.quote(p)
		}
		return "(" + strings.Join(pairs, " & ") + " & " + phrase + ")", nil
	case *Field:
		if x == nil || x.Node == nil {
			return "", ErrEmptyQuery
		}
		if ns != "" {
			return "", errors.New("search: nested field")
		}
		switch x.Name {
		case FieldAz, FieldTitel, FieldAbsender, FieldTyp, FieldZugriff, FieldObjekt, FieldAktenplan:
		default:
			return "", fmt.Errorf("search: unknown field %q", x.Name)
		}
		return r.render(x.Node, FieldPrefix(x.Name))
	case *DateRange:
		if x == nil {
			return "", ErrEmptyQuery
		}
		if x.From.After(x.To) {
			return "", errors.New("search: date range ends before it starts")
		}
		if y := x.From.Year(); y < 1 || y > 9999 {
			return "", errors.New("search: date out of range")
		}
		if y := x.To.Year(); y < 1 || y > 9999 {
			return "", errors.New("search: date out of range")
		}
		terms := rangeTerms(x.From, x.To)
		parts := make([]string, len(terms))
		for k, t := range terms {
			parts[k] = r.quote(t)
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		return "(" + strings.Join(parts, r.op("OR")) + ")", nil
	case *Not:
		if x == nil {
			return "", ErrEmptyQuery
		}
		inner, err := r.render(x.Node, ns)
		if err != nil {
			return "", err
		}
		if r.fts {
			return "(" + r.quote(Sentinel) + " NOT " + inner + ")", nil
		}
		return "!" + inner, nil
	case *Or:
		if x == nil || len(x.Nodes) == 0 {
			return "", ErrEmptyQuery
		}
		parts := make([]string, len(x.Nodes))
		for k, c := range x.Nodes {
			s, err := r.render(c, ns)
			if err != nil {
				return "", err
			}
			parts[k] = s
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		return "(" + strings.Join(parts, r.op("OR")) + ")", nil
	case *And:
		if x == nil || len(x.Nodes) == 0 {
			return "", ErrEmptyQuery
		}
		if !r.fts {
			parts := make([]string, len(x.Nodes))
			for k, c := range x.Nodes {
				s, err := r.render(c, ns)
				if err != nil {
					return "", err
				}
				parts[k] = s
			}
			if len(parts) == 1 {
				return parts[0], nil
			}
			return "(" + strings.Join(parts, " & ") + ")", nil
		}
		// FTS5: positives joined by AND, then "NOT x" for each negation.
		// NOT binds tighter than AND in FTS5, so the positive part is
		// parenthesised when it has more than one operand.
		var pos, neg []string
		for _, c := range x.Nodes {
			if nn, ok := c.(*Not); ok && nn != nil {
				s, err := r.render(nn.Node, ns)
				if err != nil {
					return "", err
				}
				neg = append(neg, s)
				continue
			}
			s, err := r.render(c, ns)
			if err != nil {
				return "", err
			}
			pos = append(pos, s)
		}
		var left string
		switch len(pos) {
		case 0:
			left = r.quote(Sentinel)
		case 1:
			left = pos[0]
		default:
			left = "(" + strings.Join(pos, " AND ") + ")"
		}
		if len(neg) == 0 {
			return left, nil
		}
		return "(" + left + " NOT " + strings.Join(neg, " NOT ") + ")", nil
	}
	return "", fmt.Errorf("search: unknown node %T", n)
}

func (r *renderer) op(name string) string {
	if r.fts {
		return " " + name + " "
	}
	switch name {
	case "OR":
		return " | "
	}
	return " & "
}

// PostgreSQL's GIN index over tsvector keeps no word positions: for a
// phrase it returns every row that holds all its words, and each of them
// is then read from the heap and checked. For two common words that is
// most of the table ("Erlass bleibt": 1.1 s at 1 M documents). So the
// PostgreSQL index also holds, without positions, one term for every two
// lexemes at adjacent positions (migration 00019, function search_pairs
// over the stored tsvector, so the positions are exactly those the <->
// operator sees). A phrase query ANDs the pair terms of its words: the
// same rows match (a pair is there whenever the phrase is), but the index
// narrows to them.
//
// Only lexemes of ASCII letters and digits form pairs, on both sides: the
// pair term then is one word for PostgreSQL's parser, so to_tsquery keeps
// it whole, and the term a query word gets is the lexeme the index holds.
// A phrase with any other word is rendered without pairs (slower, same
// rows). The pair term starts with two sentinels, out of reach of prefix
// queries and field terms.

// MaxPairBytes bounds the two words of a pair term together (the same
// bound as in search_pairs).
const MaxPairBytes = 64

// PairTerm is the index term of the lexemes a and b at adjacent positions,
// and whether the PostgreSQL index holds such a term.
func PairTerm(a, b string) (string, bool) {
	if !pairWord(a) || !pairWord(b) || len(a)+len(b) > MaxPairBytes {
		return "", false
	}
	return Sentinel + Sentinel + a + Sentinel + b, true
}

func pairWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// phrasePairs returns the pair terms of the whole words of a phrase (a
// prefix at its end has none) that the index holds.
func phrasePairs(p *Phrase) []string {
	n := len(p.Terms)
	if p.Prefix {
		n--
	}
	var pairs []string
	for i := 0; i+1 < n; i++ {
		if t, ok := PairTerm(p.Terms[i], p.Terms[i+1]); ok && !slices.Contains(pairs, t) {
			pairs = append(pairs, t)
		}
	}
	return pairs
}
