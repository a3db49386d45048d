package search

import (
	"slices"
	"strings"
)

// TermStats tells which share of the indexed rows contains an index term
// (as IndexText writes it, field terms with their prefix), or a term
// starting with a prefix. The stores use it to choose how the engine walks
// the matches (see Estimate).
type TermStats interface {
	Share(term string) float64
	PrefixShare(prefix string) float64
}

// Estimate is the share of indexed rows that n matches, taking terms as
// independent: AND multiplies, OR adds (at most 1), NOT takes the rest, a
// phrase is as frequent as its rarest word pair (PairTerm) or, without
// pairs, at most as frequent as all its words together. Crude, but it
// only has to tell "dense" (every few rows match: walk the newest rows and
// stop) from "sparse" (collect the matches from the index, then sort).
func Estimate(n Node, st TermStats) float64 {
	return clamp01(estimate(n, "", st))
}

func estimate(n Node, ns string, st TermStats) float64 {
	switch x := n.(type) {
	case *Term:
		return st.Share(ns + x.Term)
	case *Prefix:
		return st.PrefixShare(ns + x.Prefix)
	case *Phrase:
		// PostgreSQL counts the pair terms too (PairTerm): the rarest
		// pair is the better estimate where the words go together more
		// often than chance.
		if ps, ok := st.(PairStats); ns == "" && ok && ps.PairsIndexed() {
			if pairs := phrasePairs(x); len(pairs) > 0 {
				p := 1.0
				for _, t := range pairs {
					p = min(p, st.Share(t))
				}
				return p
			}
		}
		p := 1.0
		for i, t := range x.Terms {
			if x.Prefix && i == len(x.Terms)-1 {
				p *= st.PrefixShare(ns + t)
			} else {
				p *= st.Share(ns + t)
			}
		}
		return p
	case *Field:
		return estimate(x.Node, FieldPrefix(x.Name), st)
	case *DateRange:
		sum := 0.0
		for _, t := range rangeTerms(x.From, x.To) {
			sum += st.Share(t)
		}
		return clamp01(sum)
	case *Not:
		return 1 - clamp01(estimate(x.Node, ns, st))
	case *Or:
		sum := 0.0
		for _, c := range x.Nodes {
			sum += estimate(c, ns, st)
		}
		return clamp01(sum)
	case *And:
		p := 1.0
		for _, c := range x.Nodes {
			p *= clamp01(estimate(c, ns, st))
		}
		return p
	}
	return 1
}

func clamp01(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}

// PairStats is a TermStats that tells whether every indexed row holds its
// word pairs (PairTerm): only then do phrases count by their pairs.
type PairStats interface {
	PairsIndexed() bool
}

// FrequentTerms is a TermStats from a list of the most common terms with
// their shares (PostgreSQL's most_common_elems of the tsvector column);
// a term not in the list is taken as half as common as the rarest listed.
type FrequentTerms struct {
	share  map[string]float64
	sorted []string // the terms, sorted, for prefixes
	floor  float64
	// Pairs: every indexed row holds its word pairs (PairStats).
	Pairs bool
}

// PairsIndexed implements PairStats.
func (f *FrequentTerms) PairsIndexed() bool { return f.Pairs }

// NewFrequentTerms builds the statistics; terms and shares are parallel.
func NewFrequentTerms(terms []string, shares []float64) *FrequentTerms {
	f := &FrequentTerms{share: make(map[string]float64, len(terms)), floor: 1}
	for i, t := range terms {
		if i >= len(shares) {
			break
		}
		f.share[t] = shares[i]
		f.floor = min(f.floor, shares[i])
	}
	for t := range f.share {
		f.sorted = append(f.sorted, t)
	}
	slices.Sort(f.sorted)
	f.floor /= 2
	return f
}

// Share implements TermStats.
func (f *FrequentTerms) Share(term string) float64 {
	if s, ok := f.share[term]; ok {
		return s
	}
	return f.floor
}

// PrefixShare implements TermStats: the listed terms with the prefix
// added up, or the floor when none is listed.
func (f *FrequentTerms) PrefixShare(prefix string) float64 {
	i, _ := slices.BinarySearch(f.sorted, prefix)
	sum := 0.0
	for ; i < len(f.sorted) && strings.HasPrefix(f.sorted[i], prefix); i++ {
		sum += f.share[f.sorted[i]]
	}
	return clamp01(max(sum, f.floor))
}

// HasPrefix tells whether n holds a prefix anywhere (a Prefix, or a
// phrase whose last word is one). PostgreSQL's GIN index collects every
// posting of every term of a prefix before it can intersect anything, so
// the stores plan such queries differently.
func HasPrefix(n Node) bool {
	switch x := n.(type) {
	case *Prefix:
		return true
	case *Phrase:
		return x.Prefix
	case *Field:
		return HasPrefix(x.Node)
	case *Not:
		return HasPrefix(x.Node)
	case *Or:
		return slices.ContainsFunc(x.Nodes, HasPrefix)
	case *And:
		return slices.ContainsFunc(x.Nodes, HasPrefix)
	}
	return false
}
