package corpus

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/search"
)

// relevanzCase is one entry of testdata/relevanz.json.
type relevanzCase struct {
	Query   string   `json:"query"`
	Hits    []string `json:"hits"`
	Ordered bool     `json:"ordered"`
	Note    string   `json:"note"`
}

func loadRelevanz(t testing.TB) []relevanzCase {
	t.Helper()
	b, err := os.ReadFile("testdata/relevanz.json")
	if err != nil {
		t.Fatal(err)
	}
	var cs []relevanzCase
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cs); err != nil {
		t.Fatal(err)
	}
	return cs
}

// mapping turns a corpus document into an index entry. The relevance set
// must not depend on the choices a store makes here.
type mapping struct {
	name string
	fn   func(Doc) search.Doc
}

var mappings = []mapping{
	{"reference", Doc.SearchDoc},
	{"titles of Vorgang and Akte in titel", func(d Doc) search.Doc {
		s := d.SearchDoc()
		s.Titel = d.Betreff + "\n" + d.VorgangBetreff + "\n" + d.AkteTitel
		return s
	}},
	{"Aktenzeichen of the Akte", func(d Doc) search.Doc {
		s := d.SearchDoc()
		s.Aktenzeichen = d.AkteAktenzeichen
		return s
	}},
}

// indexed is a document as the engines see it: the IndexText stream, split
// into terms, plus the date for date ranges.
type indexed struct {
	ref   string
	terms []string
	set   map[string]bool
	datum time.Time
}

func index(d Doc, m mapping) indexed {
	sd := m.fn(d)
	terms := strings.Fields(search.IndexText(sd))
	set := make(map[string]bool, len(terms))
	for _, t := range terms {
		set[t] = true
	}
	return indexed{ref: d.Ref, terms: terms, set: set, datum: sd.Datum}
}

// match evaluates n over one stream with the semantics of the renderers:
// a term must occur; a prefix matches any term starting with it; a phrase
// matches consecutive stream terms (the sentinels between fields and
// secondary groups break phrases); a field prefixes every term with
// search.FieldPrefix(name); dates compare calendar days (IndexText's date
// terms cover exactly the days of the range).
func match(n search.Node, d *indexed, ns string) bool {
	switch x := n.(type) {
	case *search.Term:
		return d.set[ns+x.Term]
	case *search.Prefix:
		for _, t := range d.terms {
			if strings.HasPrefix(t, ns+x.Prefix) {
				return true
			}
		}
		return false
	case *search.Phrase:
		if len(x.Terms) > 1 && !d.set[ns+x.Terms[0]] {
			return false // shortcut: the first term must occur
		}
		for i := 0; i+len(x.Terms) <= len(d.terms); i++ {
			ok := true
			for k, w := range x.Terms {
				got := d.terms[i+k]
				if x.Prefix && k == len(x.Terms)-1 {
					ok = ok && strings.HasPrefix(got, ns+w)
				} else {
					ok = ok && got == ns+w
				}
			}
			if ok {
				return true
			}
		}
		return false
	case *search.Field:
		return match(x.Node, d, search.FieldPrefix(x.Name))
	case *search.DateRange:
		if d.datum.IsZero() {
			return false
		}
		y, m, dd := d.datum.Date()
		day := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		return !day.Before(x.From) && !day.After(x.To)
	case *search.Not:
		return !match(x.Node, d, ns)
	case *search.And:
		for _, c := range x.Nodes {
			if !match(c, d, ns) {
				return false
			}
		}
		return true
	case *search.Or:
		for _, c := range x.Nodes {
			if match(c, d, ns) {
				return true
			}
		}
		return false
	}
	panic(fmt.Sprintf("match: %T", n))
}

func TestRelevanzQueriesParse(t *testing.T) {
	cs := loadRelevanz(t)
	if len(cs) < 35 {
		t.Errorf("%d queries, want at least 35", len(cs))
	}
	refs := map[string]bool{}
	for _, d := range Needles() {
		refs[d.Ref] = true
	}
	seen := map[string]bool{}
	empty := 0
	for _, c := range cs {
		if seen[c.Query] {
			t.Errorf("duplicate query %q", c.Query)
		}
		seen[c.Query] = true
		if c.Note == "" {
			t.Errorf("%q: no note", c.Query)
		}
		if c.Hits == nil {
			t.Errorf("%q: hits missing (use [] for no hit)", c.Query)
		}
		if len(c.Hits) == 0 {
			empty++
		}
		for k, h := range c.Hits {
			if !refs[h] {
				t.Errorf("%q: unknown needle %s", c.Query, h)
			}
			if slices.Contains(c.Hits[:k], h) {
				t.Errorf("%q: %s listed twice", c.Query, h)
			}
		}
		if c.Ordered && len(c.Hits) < 2 {
			t.Errorf("%q: ordered with fewer than two hits", c.Query)
		}
		n, err := search.Parse(c.Query)
		if err != nil {
			t.Errorf("%q: %v", c.Query, err)
			continue
		}
		if _, err := search.RenderFTS5(n); err != nil {
			t.Errorf("%q: RenderFTS5: %v", c.Query, err)
		}
		if _, err := search.RenderTSQuery(n, true); err != nil {
			t.Errorf("%q: RenderTSQuery: %v", c.Query, err)
		}
	}
	if empty == 0 {
		t.Error("no query without hits")
	}
}

// TestRelevanzHitsAmongNeedles evaluates every query over the needles
// (under each index mapping) and compares the matching set with "hits".
func TestRelevanzHitsAmongNeedles(t *testing.T) {
	cs := loadRelevanz(t)
	ns := Needles()
	for _, m := range mappings {
		docs := make([]indexed, len(ns))
		for i, d := range ns {
			docs[i] = index(d, m)
		}
		for _, c := range cs {
			n, err := search.Parse(c.Query)
			if err != nil {
				continue // reported by TestRelevanzQueriesParse
			}
			var got []string
			for i := range docs {
				if match(n, &docs[i], "") {
					got = append(got, docs[i].ref)
				}
			}
			want := slices.Clone(c.Hits)
			sort.Strings(want)
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("[%s] %q (%s): needles %v, relevanz.json %v", m.name, c.Query, n, got, want)
			}
		}
	}
}

// TestRelevanzBackgroundFindsNothing runs every query over 20,000
// background documents: the hit sets hold for background + needles.
func TestRelevanzBackgroundFindsNothing(t *testing.T) {
	cs := loadRelevanz(t)
	var nodes []search.Node
	var queries []string
	for _, c := range cs {
		if n, err := search.Parse(c.Query); err == nil {
			nodes = append(nodes, n)
			queries = append(queries, c.Query)
		}
	}
	bad := map[string]int{}
	for _, d := range background(t) {
		for _, m := range mappings {
			x := index(d, m)
			for k, n := range nodes {
				if match(n, &x, "") {
					if bad[queries[k]] == 0 {
						t.Errorf("%q matches background document %s [%s]", queries[k], d.Ref, m.name)
					}
					bad[queries[k]]++
				}
			}
		}
	}
}

// Scoring for the "ordered" check: per document, the sum over the matched
// query leaves (terms, prefixes, phrases outside NOT) of field weight ×
// (1 + ln tf). A leaf that matches in several fields is counted in three
// plausible ways; the listed order must hold under all of them.
var fieldWeights = map[string]float64{
	search.FieldAz: 3, search.FieldTitel: 3, search.FieldAbsender: 2, search.FieldTyp: 1, "text": 1,
}

var fieldNames = []string{search.FieldAz, search.FieldTitel, search.FieldAbsender, search.FieldTyp, "text"}

type scoreVariant int

const (
	sumFields    scoreVariant = iota // Σ over fields
	maxField                         // best field only
	textIsStream                     // "text" counts every unprefixed stream term (titles included)
)

type leaf struct {
	node  search.Node
	field string // "" = any
}

func leaves(n search.Node, field string, out []leaf) []leaf {
	switch x := n.(type) {
	case *search.Term, *search.Prefix, *search.Phrase:
		return append(out, leaf{n, field})
	case *search.Field:
		return leaves(x.Node, x.Name, out)
	case *search.And:
		for _, c := range x.Nodes {
			out = leaves(c, field, out)
		}
	case *search.Or:
		for _, c := range x.Nodes {
			out = leaves(c, field, out)
		}
	}
	return out // Not and DateRange do not score
}

// tf counts the occurrences of a leaf in analysed tokens.
func tf(l search.Node, toks []search.Token) int {
	n := 0
	switch x := l.(type) {
	case *search.Term:
		for _, t := range toks {
			if t.Term == x.Term {
				n++
			}
		}
	case *search.Prefix:
		for _, t := range toks {
			if strings.HasPrefix(t.Term, x.Prefix) {
				n++
			}
		}
	case *search.Phrase:
		var prim []string
		for _, t := range toks {
			if t.Kind.Primary() {
				prim = append(prim, t.Term)
			}
		}
		for i := 0; i+len(x.Terms) <= len(prim); i++ {
			ok := true
			for k, w := range x.Terms {
				if x.Prefix && k == len(x.Terms)-1 {
					ok = ok && strings.HasPrefix(prim[i+k], w)
				} else {
					ok = ok && prim[i+k] == w
				}
			}
			if ok {
				n++
			}
		}
	}
	return n
}

func score(n search.Node, d Doc, v scoreVariant) float64 {
	sd := d.SearchDoc()
	toks := map[string][]search.Token{
		search.FieldAz:       search.Analyze(sd.Aktenzeichen),
		search.FieldTitel:    search.Analyze(sd.Titel),
		search.FieldAbsender: search.Analyze(sd.Absender),
		search.FieldTyp:      search.Analyze(sd.Typ),
		"text":               search.Analyze(sd.Text),
	}
	total := 0.0
	for _, l := range leaves(n, "", nil) {
		best, sum := 0.0, 0.0
		for _, f := range fieldNames {
			if l.field != "" && l.field != f {
				continue
			}
			c := tf(l.node, toks[f])
			if f == "text" && v == textIsStream {
				c = 0
				for _, g := range fieldNames {
					c += tf(l.node, toks[g])
				}
			}
			if c == 0 {
				continue
			}
			s := fieldWeights[f] * (1 + math.Log(float64(c)))
			sum += s
			best = max(best, s)
		}
		if v == maxField {
			total += best
		} else {
			total += sum
		}
	}
	return total
}

// rank orders refs by score, newest Datum, Ref descending.
func rank(n search.Node, docs []Doc, v scoreVariant) ([]string, []float64) {
	type scored struct {
		d Doc
		s float64
	}
	var ss []scored
	for _, d := range docs {
		ss = append(ss, scored{d, score(n, d, v)})
	}
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if math.Abs(a.s-b.s) > 1e-9 {
			return a.s > b.s
		}
		if !a.d.Datum.Equal(b.d.Datum) {
			return a.d.Datum.After(b.d.Datum)
		}
		return a.d.Ref > b.d.Ref
	})
	refs := make([]string, len(ss))
	scores := make([]float64, len(ss))
	for i, s := range ss {
		refs[i], scores[i] = s.d.Ref, s.s
	}
	return refs, scores
}

// TestRelevanzOrder checks the "ordered" entries against the ranking rule
// the search service uses (see the package documentation).
func TestRelevanzOrder(t *testing.T) {
	byRef := map[string]Doc{}
	for _, d := range Needles() {
		byRef[d.Ref] = d
	}
	for _, c := range loadRelevanz(t) {
		if !c.Ordered {
			continue
		}
		n, err := search.Parse(c.Query)
		if err != nil {
			continue
		}
		var docs []Doc
		for _, h := range c.Hits {
			docs = append(docs, byRef[h])
		}
		for _, v := range []scoreVariant{sumFields, maxField, textIsStream} {
			got, scores := rank(n, docs, v)
			if !slices.Equal(got, c.Hits) {
				t.Errorf("%q (scoring variant %d): order %v (scores %.2f), relevanz.json %v", c.Query, v, got, scores, c.Hits)
			}
		}
	}
}
