package search

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// vocabulary is the corpus generator's word list, the lexicon's forms and
// compounds made of them: the words the snippet's needles are tested on.
func vocabulary(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("corpus/vocab.txt")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		words = append(words, strings.Fields(line)...)
	}
	if len(words) < 1000 {
		t.Fatalf("vocab.txt: %d words, want the whole list", len(words))
	}
	var lex []string
	for f := range headForms {
		lex = append(lex, f)
	}
	for f := range modForms {
		lex = append(lex, f)
	}
	slices.Sort(lex) // map order would make the compounds below vary
	words = append(words, lex...)
	// compounds: modifier (+ Fugenelement) + head, as German forms them
	n := len(words)
	for i := 0; i < n; i += 7 {
		for j := 3; j < n; j += 53 {
			for _, fuge := range []string{"", "s", "en", "es"} {
				words = append(words, words[i]+fuge+strings.ToLower(words[j]))
			}
		}
	}
	// inflected and transliterated forms
	for _, w := range words[:n] {
		for _, suf := range []string{"e", "en", "n", "s", "es", "er", "ern", "nen", "se", "ungen", "lich", "keiten"} {
			words = append(words, w+suf)
		}
		r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue")
		if tr := r.Replace(w); tr != w {
			words = append(words, tr)
		}
	}
	return words
}

// The needles of a snippet rest on this: the stem and the compound parts
// of a folded word are substrings of it.
func TestStemsAreSubstrings(t *testing.T) {
	words := vocabulary(t)
	checked, parts := 0, 0
	for _, w := range words {
		folded, hasDigit := fold(w)
		if hasDigit || folded == "" {
			continue
		}
		term, subs := analyzeLetters(folded)
		checked++
		parts += len(subs)
		for _, x := range append([]string{term}, subs...) {
			if !strings.Contains(folded, x) {
				t.Errorf("%q (folded %q): term %q is not part of it", w, folded, x)
			}
		}
	}
	if checked < 10000 || parts < 1000 {
		t.Fatalf("checked %d words with %d compound parts; the vocabulary is too small to say anything", checked, parts)
	}
}

// Snippet with needles picks the same passage and marks as the full
// analysis of the text, for random texts and queries.
func TestSnippetNeedlesSameResult(t *testing.T) {
	words := vocabulary(t)
	r := rand.New(rand.NewPCG(7, 11))
	seps := []string{" ", " ", " ", ", ", ". ", "\n", " – ", " (", ") ", "-", "/"}
	hits, checked := 0, 0
	paths := map[string]int{}
	for c := range 2000 {
		// a text of 20 to 1,500 words, some of them connected tokens
		// and numbers
		n := 20 + r.IntN(1500)
		if c%10 == 0 {
			n = 20 + r.IntN(60)
		}
		var b strings.Builder
		var used []string
		for range n {
			w := words[r.IntN(len(words))]
			switch r.IntN(40) {
			case 0:
				w = fmt.Sprintf("TFM-%d-%d/%04d", r.IntN(200), 2020+r.IntN(7), r.IntN(10000))
			case 1:
				w = strings.ToUpper(w)
			case 2:
				w = fmt.Sprint(r.IntN(100000))
			case 3:
				// letters and signs the skeleton knows
				w = rareWords[r.IntN(len(rareWords))]
			case 4:
				if c%8 == 0 {
					// and some it does not know
					w = unknownWords[r.IntN(len(unknownWords))]
				}
			}
			used = append(used, w)
			b.WriteString(w)
			b.WriteString(seps[r.IntN(len(seps))])
		}
		text := b.String()
		q := textQuery(r, used, words)
		node, err := Parse(q)
		if err != nil || node == nil {
			continue
		}
		s := NewScorer(node)
		switch x := s.firstPossibleHit(cutAt(text, MaxSnippetSource)); {
		case x == noPossibleHit:
			paths["no hit possible"]++
		case x > 0 && backOff(text, x) > 0:
			paths["analysed from later on"]++
		default:
			paths["analysed from the beginning"]++
		}
		full, fullMarks := s.snippet(text, 30, analyzeOpts{})
		fast, fastMarks := s.Snippet(text, 30)
		checked++
		if len(fullMarks) > 0 {
			hits++
		}
		if full != fast || !slices.Equal(fullMarks, fastMarks) {
			t.Fatalf("query %q on a text of %d words:\nfull:    %q %v\nneedles: %q %v", q, n, full, fullMarks, fast, fastMarks)
		}
	}
	if checked < 1600 || hits < checked/3 || hits == checked {
		t.Fatalf("%d snippets compared, %d with hits: the queries test too little", checked, hits)
	}
	for _, p := range []string{"no hit possible", "analysed from later on", "analysed from the beginning"} {
		if paths[p] < 100 {
			t.Errorf("%s: %d snippets, too few to say anything (%v)", p, paths[p], paths)
		} else if testing.Verbose() {
			t.Logf("%s: %d snippets", p, paths[p])
		}
	}
}

// rareWords have letters and signs that German texts carry now and then:
// Latin-1 letters, ẞ, combining marks, ligatures, fullwidth letters,
// typographic quotes and dashes, a no-break space, transliterations.
var (
	rareWords = []string{"Café", "Øresund", "Æther", "Señora", "Ærø-Kommune", "„Zitat“", "–", "GROẞE", "Mueller", "Müller",
		"Straße", "STRASSE", "§ 5", "10\u00a0km", "naïve", "Ärger", "Ölförderung", "Übergabe"}
	unknownWords = []string{"a\u0308rger", "ﬁnanziell", "ＧＥＳＥＴＺ", "Œuvre", "Ĳssel", "ſtraße", "Москва"}
)

// textQuery is a query over the words of a text (terms, phrases,
// prefixes, compound parts, fields, NOT) or words that may not be in it.
func textQuery(r *rand.Rand, used, words []string) string {
	pick := func() string {
		if r.IntN(4) == 0 {
			return words[r.IntN(len(words))]
		}
		return used[r.IntN(len(used))]
	}
	quote := func(w string) string {
		if strings.ContainsAny(w, "-/") {
			return `"` + w + `"`
		}
		return w
	}
	var parts []string
	for range 1 + r.IntN(3) {
		switch r.IntN(8) {
		case 0:
			i := r.IntN(len(used))
			j := min(len(used), i+2+r.IntN(2))
			parts = append(parts, `"`+strings.Join(used[i:j], " ")+`"`)
		case 1:
			w := []rune(pick())
			parts = append(parts, string(w[:min(len(w), 3+r.IntN(4))])+"*")
		case 2:
			parts = append(parts, "titel:"+quote(pick()))
		case 3:
			parts = append(parts, "NOT "+quote(pick()))
		case 4:
			// a compound's part, lower case as typed
			parts = append(parts, strings.ToLower(words[r.IntN(len(words))]))
		default:
			parts = append(parts, quote(pick()))
		}
	}
	op := " "
	if r.IntN(3) == 0 {
		op = " OR "
	}
	return strings.Join(parts, op)
}

// Score's search for single terms counts exactly what the walk over every
// term counts, for random documents and queries of single terms (in
// fields, under NOT and OR, words that are part of longer terms).
func TestScoreTermsSameAsWalk(t *testing.T) {
	words := vocabulary(t)
	r := rand.New(rand.NewPCG(3, 5))
	fields := []string{"", "", "", "titel:", "az:", "absender:", "typ:", "betreff:"}
	checked, scored := 0, 0
	for range 3000 {
		text := make([]string, 5+r.IntN(400))
		for i := range text {
			text[i] = words[r.IntN(len(words))]
		}
		titel := strings.Join(text[:min(len(text), 1+r.IntN(6))], " ")
		d := Doc{Aktenzeichen: fmt.Sprintf("TFM-%d.%d-%d/%04d", r.IntN(30), r.IntN(9), 2020+r.IntN(7), r.IntN(10000)), Titel: titel,
			Absender: words[r.IntN(len(words))] + " " + words[r.IntN(len(words))], Typ: words[r.IntN(len(words))], Text: strings.Join(text, " ")}
		stream := IndexText(d)
		var parts []string
		for range 1 + r.IntN(4) {
			w := text[r.IntN(len(text))]
			switch r.IntN(6) {
			case 0:
				w = words[r.IntN(len(words))] // maybe not in the document
			case 1:
				w = w[:len(w)/2+1] // a part of a word, as a whole term
			case 2:
				w = strings.Fields(d.Aktenzeichen + " " + d.Absender)[r.IntN(2)]
			}
			f := fields[r.IntN(len(fields))]
			if strings.ContainsAny(w, "-/.") {
				w = `"` + w + `"`
			}
			if r.IntN(8) == 0 {
				f = "NOT " + f
			}
			parts = append(parts, f+w)
		}
		op := " "
		if r.IntN(3) == 0 {
			op = " OR "
		}
		q := strings.Join(parts, op)
		node, err := Parse(q)
		if err != nil || node == nil {
			continue
		}
		s := NewScorer(node)
		if len(s.multi) > 0 || len(s.leaves) == 0 {
			continue // phrases (a word analysed into several terms): the walk only
		}
		fast, walk := s.Score(stream), s.scoreWalk(stream)
		checked++
		if walk > 0 {
			scored++
		}
		if fast != walk {
			t.Fatalf("query %q: Score %v, walk %v\nstream %q", q, fast, walk, stream)
		}
	}
	if checked < 1500 || scored < checked/3 {
		t.Fatalf("%d queries compared, %d with a score: too few", checked, scored)
	}
}

// A hit with fewer than six words between it and where the analysis
// started (here: dashes and stop words) is analysed again from the
// beginning, so that the snippet still starts five words before it.
func TestSnippetFromTooFewWordsBefore(t *testing.T) {
	text := strings.Repeat("Antrag auf Förderung geprüft. ", 40) + "Sachstand " + strings.Repeat("– und ", 70) + "Fluchtweg frei. " +
		strings.Repeat("Vermerk zur Akte. ", 30)
	node, err := Parse("Fluchtweg")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScorer(node)
	if x := s.firstPossibleHit(text); x <= 0 || backOff(text, x) == 0 {
		t.Fatalf("firstPossibleHit %d: the test needs a late start", x)
	}
	full, fullMarks := s.snippet(text, 30, analyzeOpts{})
	fast, fastMarks := s.Snippet(text, 30)
	if full != fast || !slices.Equal(fullMarks, fastMarks) || !strings.HasPrefix(fast, "… geprüft. Antrag auf Förderung geprüft. Sachstand – und") {
		t.Errorf("full %q %v\nfast %q %v", full, fullMarks, fast, fastMarks)
	}
}
