package corpus

import (
	_ "embed"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"aktenwerk/internal/search"
)

//go:embed vocab.txt
var vocabText string

// zipfExponent is the exponent s of the Zipf weights 1/rank^s.
const zipfExponent = 1.07

// positionExponent skews how many Akten each Aktenplan position holds.
const positionExponent = 0.6

type gender uint8

const (
	masc gender = iota
	fem
	neut
)

type noun struct {
	word string
	g    gender
}

// lexicon is the parsed vocabulary with one Zipf sampler per word class.
type lexicon struct {
	all                                 []string
	nouns                               []noun
	nounZipf                            *zipf
	verbs, final, participles, zuinf    *zipf
	adjectives, adverbs                 *zipf
	topicNouns                          [][]noun // per aktenplan position
	surnameZipf, firstZipf, positionZip *zipf
	typeAlias                           *zipf
}

var (
	lexOnce sync.Once
	lex     *lexicon
)

func getLexicon() *lexicon {
	lexOnce.Do(func() { lex = buildLexicon() })
	return lex
}

// Vocabulary returns every word the generator draws from the embedded word
// list: nouns, verbs, participles, adjectives (base forms), adverbs and the
// function words of the sentence templates, without duplicates. Names,
// places and the Aktenplan come on top.
func Vocabulary() []string {
	return append([]string(nil), getLexicon().all...)
}

func buildLexicon() *lexicon {
	sections := map[string][]string{}
	section := ""
	seen := map[string]map[string]bool{}
	for _, line := range strings.Split(vocabText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			seen[section] = map[string]bool{}
			continue
		}
		for _, w := range strings.Fields(line) {
			if seen[section][w] || collidesWithNeedles(w) {
				continue
			}
			seen[section][w] = true
			sections[section] = append(sections[section], w)
		}
	}
	l := &lexicon{}
	inAll := map[string]bool{}
	for _, name := range []string{"nouns", "verbs", "verbsfinal", "participles", "zuinf", "adjectives", "adverbs", "function"} {
		for _, w := range sections[name] {
			if !inAll[w] {
				inAll[w] = true
				l.all = append(l.all, w)
			}
		}
	}
	for _, w := range sections["nouns"] {
		l.nouns = append(l.nouns, noun{w, guessGender(w)})
	}
	l.nounZipf = newZipf(len(l.nouns))
	l.verbs = newZipfWords(sections["verbs"])
	l.final = newZipfWords(sections["verbsfinal"])
	l.participles = newZipfWords(sections["participles"])
	l.zuinf = newZipfWords(sections["zuinf"])
	l.adjectives = newZipfWords(sections["adjectives"])
	l.adverbs = newZipfWords(sections["adverbs"])
	for _, p := range aktenplan {
		var ts []noun
		for _, t := range p.topics {
			ts = append(ts, noun{t, guessGender(t)})
		}
		l.topicNouns = append(l.topicNouns, ts)
	}
	l.surnameZipf = newZipf(len(surnames))
	l.firstZipf = newZipf(len(firstNames))
	// Akten spread over the Aktenplan less steeply than words over a text.
	l.positionZip = newPower(len(aktenplan), positionExponent)
	l.typeAlias = newAlias(typeWeights)
	return l
}

// guessGender guesses the grammatical gender of a German noun (or
// compound, whose last part decides) from its ending. Good enough for the
// articles of generated text; exceptions cost only some grammar.
func guessGender(w string) gender {
	if i := strings.LastIndexByte(w, ' '); i >= 0 {
		w = w[i+1:]
	}
	lw := strings.ToLower(w)
	for _, e := range exceptions {
		if strings.HasSuffix(lw, e.suffix) {
			return e.g
		}
	}
	for _, s := range neutSuffixes {
		if strings.HasSuffix(lw, s) {
			return neut
		}
	}
	for _, s := range femSuffixes {
		if strings.HasSuffix(lw, s) {
			return fem
		}
	}
	return masc
}

var (
	femSuffixes  = []string{"ung", "heit", "keit", "schaft", "ion", "tät", "ik", "ur", "enz", "anz", "ie", "ei", "e", "in", "nis", "schrift", "kraft", "zeit", "frist", "stelle", "liste", "post", "hilfe", "last", "fahrt", "pflicht", "sicht", "macht", "art", "tat", "wand", "bank", "stadt", "nacht", "wahl", "form", "zahl", "bahn", "hand"}
	neutSuffixes = []string{"chen", "lein", "ment", "um", "tum", "werk", "amt", "recht", "gesetz", "verfahren", "protokoll", "konzept", "projekt", "programm", "ziel", "gebiet", "gebäude", "haus", "heim", "land", "geld", "mittel", "schreiben", "verzeichnis", "zeugnis", "ergebnis", "dokument", "system", "archiv", "netz", "portal", "formular", "gutachten", "vorhaben", "anliegen", "konto", "budget", "büro", "gremium", "kabinett", "thema", "team", "fahrzeug", "material", "inventar", "datum", "jahr", "siegel", "verbot", "angebot", "bild", "foto", "grundstück", "flurstück", "kataster", "dach", "fenster", "kabel", "lager", "licht", "wasser", "ufer", "biotop", "denkmal", "theater", "museum", "rathaus", "einvernehmen", "benehmen", "verhältnis", "ereignis", "interesse", "ende"}
	exceptions   = []struct {
		suffix string
		g      gender
	}{{"käse", masc}, {"name", masc}, {"gedanke", masc}, {"kunde", masc}, {"beamte", masc}, {"erbe", neut}, {"gebühr", fem}, {"ordnung", fem}, {"satzung", fem}, {"information", fem}, {"mail", fem}, {"sache", fem}, {"kasse", fem}, {"sitzung", fem}, {"abgabe", fem}, {"umlage", fem}, {"anlage", fem}, {"vorlage", fem}, {"grundlage", fem}, {"auskunft", fem}, {"ankunft", fem}, {"zukunft", fem}, {"vernunft", fem}, {"bürgschaft", fem}, {"pacht", fem}, {"miete", fem}, {"beteiligte", fem}, {"betroffene", fem}, {"zuständige", fem}, {"beschäftigte", fem}, {"vorsitzende", fem}, {"auszubildende", fem}, {"sachverständige", fem}, {"gleichstellungsbeauftragte", fem}, {"fläche", fem}, {"straße", fem}, {"brücke", fem}, {"pflege", fem}, {"rente", fem}, {"quelle", fem}, {"klasse", fem}, {"stufe", fem}, {"phase", fem}, {"frage", fem}, {"menge", fem}, {"summe", fem}, {"quote", fem}, {"dauer", fem}, {"steuer", fem}, {"mauer", fem}, {"feuerwehr", fem}, {"polizei", fem}, {"behörde", fem}, {"firma", fem}, {"kommune", fem}, {"gemeinde", fem}, {"schule", fem}, {"praxis", fem}, {"abwägung", fem}, {"raum", masc}, {"baum", masc}, {"brauch", masc}}
)

// zipf draws indices 0..n-1 with weights 1/(i+1)^zipfExponent (Vose's
// alias method: one random number per draw).
type zipf struct {
	words []string // optional
	prob  []uint32 // acceptance threshold of the column, scaled to 2^32
	alias []int32
}

func newZipf(n int) *zipf { return newPower(n, zipfExponent) }

// newPower draws indices 0..n-1 with weights 1/(i+1)^s.
func newPower(n int, s float64) *zipf {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newAlias(w)
}

func newZipfWords(words []string) *zipf {
	z := newZipf(len(words))
	z.words = words
	return z
}

// newAlias builds an alias table for arbitrary non-negative weights.
func newAlias(weights []float64) *zipf {
	n := len(weights)
	z := &zipf{prob: make([]uint32, n), alias: make([]int32, n)}
	if n == 0 {
		return z
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	scaled := make([]float64, n)
	var small, large []int
	for i, w := range weights {
		scaled[i] = w * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		z.prob[s] = uint32(scaled[s] * (1 << 32))
		z.alias[s] = int32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		z.prob[i] = math.MaxUint32
		z.alias[i] = int32(i)
	}
	return z
}

// index draws one index.
func (z *zipf) index(r *rand.Rand) int {
	u := r.Uint64()
	i := int((u >> 32) * uint64(len(z.prob)) >> 32)
	if uint32(u) < z.prob[i] {
		return i
	}
	return int(z.alias[i])
}

func (z *zipf) draw(r *rand.Rand) string { return z.words[z.index(r)] }

// collidesWithNeedles reports whether w shares an analysed term with the
// needle-specific words, or starts one of the needle prefixes. Such words
// never enter the background vocabulary.
func collidesWithNeedles(w string) bool {
	nt := needleTermSet()
	for _, t := range search.Analyze(w) {
		if nt.terms[t.Term] {
			return true
		}
		for _, p := range nt.prefixes {
			if strings.HasPrefix(t.Term, p) {
				return true
			}
		}
	}
	return false
}
