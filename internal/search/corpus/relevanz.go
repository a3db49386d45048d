package corpus

import (
	_ "embed"
	"encoding/json"
)

//go:embed testdata/relevanz.json
var relevanzJSON []byte

// RelevanceCase is one query of the relevance set (testdata/relevanz.json):
// over the background corpus plus Needles(), Query finds exactly Hits (refs
// of needles), in this order when Ordered.
type RelevanceCase struct {
	Query   string   `json:"query"`
	Hits    []string `json:"hits"`
	Ordered bool     `json:"ordered"`
	Note    string   `json:"note"`
}

// RelevanceSet returns the relevance set, for the tests that run it through
// the search service on every backend.
func RelevanceSet() ([]RelevanceCase, error) {
	var cs []RelevanceCase
	err := json.Unmarshal(relevanzJSON, &cs)
	return cs, err
}
