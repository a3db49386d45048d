package search

import (
	"math"
	"testing"
)

func TestEstimate(t *testing.T) {
	st := NewFrequentTerms(
		[]string{"genehmigt", "unzulassig", "unzulanglich", FieldPrefix(FieldZugriff) + "mtfm", FieldPrefix(FieldZugriff) + "ur07", "erlass", "bleibt",
			"ǂǂerlassǂbleibt", FieldPrefix(FieldTitel) + "erlass", FieldPrefix(FieldTitel) + "bleibt"},
		[]float64{0.23, 0.10, 0.03, 1.0, 0.05, 0.06, 0.05, 0.04, 0.2, 0.1})
	st.Pairs = true
	mustParse := func(q string) Node {
		n, err := Parse(q)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		return n
	}
	tenant := Narrow(FieldZugriff, "mtfm")
	referat := Narrow(FieldZugriff, "ur07", "ttfm")
	floor := 0.03 / 2
	for _, c := range []struct {
		name  string
		n     Node
		want  float64
		dense bool
	}{
		{"frequent word, whole tenant", &And{Nodes: []Node{mustParse("genehmigt"), tenant}}, 0.23, true},
		{"frequent word, one Referat", &And{Nodes: []Node{mustParse("genehmigt"), referat}}, 0.23 * (0.05 + floor), false},
		{"unknown word", mustParse("fluchtweg"), floor, false},
		{"prefix adds up the listed terms", mustParse("unzul*"), 0.13, true},
		{"prefix of nothing listed", mustParse("zzz*"), floor, false},
		{"phrase: its listed word pair", mustParse(`"erlass bleibt"`), 0.04, true},
		{"phrase: a pair not listed is rare", mustParse(`"bleibt erlass"`), floor, false},
		{"phrase of three: the rarest pair", mustParse(`"erlass bleibt erlass"`), floor, false},
		{"phrase in a field: its words together (no pairs)", mustParse(`titel:"erlass bleibt"`), 0.2 * 0.1, true},
		{"phrase with a prefix: pairs of whole words only", mustParse(`erlass,bleibt,unzul*`), 0.04, true},
		{"or adds up, at most 1", &Or{Nodes: []Node{mustParse("genehmigt"), tenant}}, 1, true},
		{"not takes the rest", &Not{Node: mustParse("genehmigt")}, 0.77, true},
	} {
		got := Estimate(c.n, st)
		if math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: estimate %.5f, want %.5f", c.name, got, c.want)
		}
		if (got >= 0.02) != c.dense {
			t.Errorf("%s: dense = %v, want %v", c.name, got >= 0.02, c.dense)
		}
	}
	// before every row holds its pairs, a phrase counts by its words
	st.Pairs = false
	if got, want := Estimate(mustParse(`"erlass bleibt"`), st), 0.06*0.05; math.Abs(got-want) > 1e-9 {
		t.Errorf("phrase without pairs: estimate %.5f, want %.5f", got, want)
	}
}

func TestHasPrefix(t *testing.T) {
	for q, want := range map[string]bool{
		`kita*`: true, `antrag kita*`: true, `antrag OR NOT kita*`: true, `kita-ant*`: true, `az:TFM-1*`: true,
		`antrag`: false, `"kita antrag"`: false, `typ:Bescheid datum:2026`: false,
	} {
		n, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := HasPrefix(n); got != want {
			t.Errorf("HasPrefix(%s) = %t, want %t", q, got, want)
		}
	}
}
