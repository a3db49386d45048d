package corpus

import (
	"strings"
	"testing"

	"aktenwerk/internal/search"
)

// BenchmarkSnippetPage times the snippets of one result page (20 hits) as
// the search builds them: per query, the texts of 20 documents whose
// Betreff has the query's word (the hit is often only in the metadata, so
// the whole text is read without a hit) or whose text has it.
func BenchmarkSnippetPage(b *testing.B) {
	docs := generate(b, Options{Seed: 5, Docs: 4000})
	type page struct {
		scorer *search.Scorer
		texts  []string
	}
	var pages []page
	for i := 0; i+20 <= len(docs) && len(pages) < 100; i += 20 {
		words := strings.Fields(docs[i].Betreff)
		q := words[len(words)-1]
		if len(pages)%2 == 1 {
			words = strings.Fields(docs[i].Text)
			q = words[len(words)/2]
		}
		node, err := search.Parse(strings.Trim(q, ".,;:()\"„“"))
		if err != nil || node == nil {
			continue
		}
		p := page{scorer: search.NewScorer(node)}
		for _, d := range docs[i : i+20] {
			p.texts = append(p.texts, d.Text)
		}
		pages = append(pages, p)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pages[i%len(pages)]
		for _, t := range p.texts {
			p.scorer.Snippet(t, 30)
		}
	}
}
