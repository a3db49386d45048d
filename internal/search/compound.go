package search

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// Compound splitting. German writes compounds as one word
// (Ausbildungsplatz); a clerk searching "Ausbildung" expects to find it.
// Two cheap, deterministic rules add the stems of the parts as secondary
// (KindSub) tokens; the compound itself stays the primary term, so a query
// for the whole compound keeps its precision.
//
//  1. Lexicon rule: the word ends in a form of a lexicon noun (the head) and
//     what is left in front (the modifier) is itself a lexicon word, a
//     lexicon word plus Fugenelement (Kita|platz, Landes|gesetz,
//     Fachkräfte|initiative), a word ending in a derivational suffix plus
//     Fugen-s (Ausbildungs|platz) or a compound that splits by these rules.
//     The longest head wins. Both sides must be recognised, so a short
//     lexicon word inside an unrelated word (Refe|rat, insges|amt) does not
//     split it.
//  2. Suffix rule, dictionary-free: a derivational suffix that makes
//     feminine or neuter nouns (-ung, -heit, -keit, -schaft, -ion, -ität,
//     -ling) followed by the Fugen-s and at least three more letters is a
//     compound boundary (Verwaltungs|gericht, Wirtschafts|ministerium). These
//     suffixes take no genitive -s, so "ungs" inside a word is almost always
//     a seam. The rightmost seam wins and the modifier is split again
//     (Landesverwaltungs|amt → Landes|verwaltung).
//
// Precision/recall: rule 2 has high precision and finds the most common
// administrative compounds without any list; rule 1 covers compounds whose
// seam has no suffix (Kitaplatz, Datenschutz) only as far as lexicon.txt
// reaches (a few hundred words of the field). Wrong splits cost a little
// precision (a query for "Tag" finds "Freitag"); missing splits cost recall
// only for queries by a part. Both are the same on index and query side.

//go:embed lexicon.txt
var lexiconText string

type lexEntry struct {
	base string // folded base form
	stem string // the term a query for this word produces
}

var (
	headForms = map[string]*lexEntry{} // folded surface forms that may end a compound
	modForms  = map[string]*lexEntry{} // folded surface forms that may start one
)

const (
	minPart       = 3  // bytes of a head or modifier
	maxSplitInput = 64 // longer words are not split
	maxSplitCalls = 64 // work bound per word (pathological inputs)
)

func init() {
	section := ""
	for _, line := range strings.Split(lexiconText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		for _, w := range strings.Fields(line) {
			f, _ := fold(w)
			if len(f) < minPart {
				continue
			}
			e := &lexEntry{base: f, stem: stem(f)}
			switch section {
			case "nouns":
				addForms(headForms, e, f, "", "e", "en", "n", "s", "es", "er", "ern")
				if strings.HasSuffix(f, "in") {
					addForms(headForms, e, f, "nen")
				}
				if strings.HasSuffix(f, "nis") {
					addForms(headForms, e, f, "se", "sen")
				}
				addForms(modForms, e, f, "", "s", "es", "n", "en", "e", "er", "ns")
				if strings.HasSuffix(f, "e") {
					addForms(modForms, e, f[:len(f)-1], "", "s") // Schul|gesetz, Hilfs|mittel
				}
			case "modifiers":
				addForms(modForms, e, f, "")
			}
		}
	}
}

func addForms(m map[string]*lexEntry, e *lexEntry, base string, suffixes ...string) {
	for _, s := range suffixes {
		if f := base + s; len(f) >= minPart {
			if _, dup := m[f]; !dup {
				m[f] = e
			}
		}
	}
}

// cues are derivational suffixes after which a Fugen-s marks a seam.
var cues = []string{"ung", "heit", "keit", "schaft", "ion", "itat", "ling"}

// hasCue reports whether w ends in a cue with at least two letters before it.
func hasCue(w string) bool {
	for _, c := range cues {
		if len(w) >= len(c)+2 && strings.HasSuffix(w, c) {
			return true
		}
	}
	return false
}

func hasVowel(w string) bool {
	for k := 0; k < len(w); k++ {
		if isASCIIVowel(w[k]) || w[k] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

type splitter struct {
	out   []string
	calls int
}

// splitCompound returns the stems of the parts of the folded word w (empty
// when w is not recognised as a compound). Intermediate parts are included:
// Landesverwaltungsamt → landesverwalt, land, verwalt, amt.
func splitCompound(w string) []string {
	if len(w) > maxSplitInput {
		return nil
	}
	var s splitter
	s.split(w, 0)
	return s.out
}

func (s *splitter) add(t string) {
	for _, o := range s.out {
		if o == t {
			return
		}
	}
	s.out = append(s.out, t)
}

func (s *splitter) split(w string, depth int) bool {
	s.calls++
	if s.calls > maxSplitCalls || depth > 4 || len(w) < minCompoundLen {
		return false
	}
	// Rule 1: lexicon head, longest first.
	for i := minPart; i <= len(w)-minPart; i++ {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		h, ok := headForms[w[i:]]
		if !ok {
			continue
		}
		mark := len(s.out)
		if s.modifier(w[:i], depth) {
			s.lexParts(h, depth)
			return true
		}
		s.out = s.out[:mark]
	}
	// Rule 2: suffix + Fugen-s, rightmost seam.
	for i := len(w) - minPart - 1; i > 0; i-- {
		if w[i] != 's' || !hasCue(w[:i]) || !hasVowel(w[i+1:]) {
			continue
		}
		mod, head := w[:i], w[i+1:]
		s.add(stem(mod))
		s.split(mod, depth+1)
		s.add(stem(head))
		s.split(head, depth+1)
		return true
	}
	return false
}

// lexParts emits a lexicon word and, if it is itself a compound
// (fachkraft), its parts.
func (s *splitter) lexParts(e *lexEntry, depth int) {
	s.add(e.stem)
	s.split(e.base, depth+1)
}

var fugen = []string{"", "s", "es", "n", "en", "e", "er"}

// modifier reports whether m can stand in front of a head, and emits its
// parts if so.
func (s *splitter) modifier(m string, depth int) bool {
	if len(m) < minPart {
		return false
	}
	if e, ok := modForms[m]; ok {
		s.lexParts(e, depth)
		return true
	}
	if n := len(m); m[n-1] == 's' && hasCue(m[:n-1]) {
		s.add(stem(m[:n-1]))
		s.split(m[:n-1], depth+1)
		return true
	}
	for _, f := range fugen {
		if !strings.HasSuffix(m, f) {
			continue
		}
		base := m[:len(m)-len(f)]
		mark := len(s.out)
		if s.split(base, depth+1) {
			s.add(stem(base))
			return true
		}
		s.out = s.out[:mark]
	}
	return false
}
