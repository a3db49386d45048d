package search

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func primaryTerms(text string) []string {
	var out []string
	for _, t := range Analyze(text) {
		if t.Kind.Primary() {
			out = append(out, t.Term)
		}
	}
	return out
}

func allTerms(text string) []string {
	var out []string
	for _, t := range Analyze(text) {
		out = append(out, t.Term)
	}
	return out
}

// Spellings that must meet: the query word's primary term equals the
// document word's primary term.
func TestAnalyzeSpellingsMeet(t *testing.T) {
	groups := [][]string{
		{"Straße", "Strasse", "STRASSE", "STRAẞE", "straße"},
		{"Müller", "Mueller", "Muller", "MÜLLER", "MUELLER", "Mu\u0308ller"}, // last: decomposed ü
		{"Übung", "Uebung", "übung"},
		{"Ärztin", "Aerztin"},
		{"Gebühren", "Gebuehren", "Gebühr"},
		{"Österreich", "Oesterreich"},
		{"Entschädigung", "Entschädigungen", "Entschaedigung", "ENTSCHÄDIGUNGEN"},
		{"Antrag", "Anträge", "Anträgen", "Antrages"},
		{"Platz", "Plätze", "Plätzen"},
		{"Kita", "Kitas"},
		{"Bescheid", "Bescheide", "Bescheides"},
		{"finanzen", "ﬁnanzen"},  // ligature (NFKC)
		{"2026", "２０２６", "٢٠٢٦"}, // full-width and Arabic-Indic digits
		{"Café", "Cafe", "CAFÉ"},
	}
	for _, g := range groups {
		want := primaryTerms(g[0])
		if len(want) != 1 {
			t.Fatalf("%q: want one primary term, got %q", g[0], want)
		}
		for _, w := range g[1:] {
			if got := primaryTerms(w); !reflect.DeepEqual(got, want) {
				t.Errorf("%q → %q, but %q → %q: they must meet", w, got, g[0], want)
			}
		}
	}
}

// Words the folding must keep apart: ue after a vowel or q is no umlaut.
func TestAnalyzeSpellingsStayApart(t *testing.T) {
	pairs := [][2]string{
		{"Steuer", "Stür"},
		{"Quelle", "Qülle"},
		{"Bauer", "Baür"},
		{"Feuer", "Für"},
		{"Kita", "Hort"},
		{"Ausbildungsplatz", "Ausbildung"}, // compound and part are different primary terms
	}
	for _, p := range pairs {
		a, b := primaryTerms(p[0]), primaryTerms(p[1])
		if reflect.DeepEqual(a, b) {
			t.Errorf("%q and %q both → %q: they must stay apart", p[0], p[1], a)
		}
	}
}

func TestAnalyzeStems(t *testing.T) {
	for in, want := range map[string]string{
		"Entschädigungen":   "entschad",
		"Entschädigung":     "entschad",
		"Müller":            "mull",
		"Straße":            "strass",
		"Ausbildungsplätze": "ausbildungsplatz",
		"Kitas":             "kita",
		"Autos":             "auto",
		"Status":            "status", // -us keeps its s
		"Ergebnisse":        "ergebnis",
	} {
		if got := primaryTerms(in); !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestAnalyzeAktenzeichen(t *testing.T) {
	in := "Az. TFM-121-2026/0001 vom"
	got := Analyze(in)
	want := []Token{
		{Term: "az", Pos: 0, Start: 0, End: 2, Kind: KindWord},
		{Term: "tfm", Pos: 1, Start: 4, End: 7, Kind: KindPart},
		{Term: "121", Pos: 2, Start: 8, End: 11, Kind: KindPart},
		{Term: "2026", Pos: 3, Start: 12, End: 16, Kind: KindPart},
		{Term: "0001", Pos: 4, Start: 17, End: 21, Kind: KindPart},
		{Term: "tfm12120260001", Pos: 1, Start: 4, End: 21, Kind: KindJoin},
		{Term: "12120260001", Pos: 2, Start: 8, End: 21, Kind: KindJoin},
		{Term: "20260001", Pos: 3, Start: 12, End: 21, Kind: KindJoin},
		// "vom" is a stop word
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Analyze(%q)\n got %+v\nwant %+v", in, got, want)
	}
}

func TestAnalyzeConnectedTokens(t *testing.T) {
	cases := []struct {
		in   string
		prim []string
		join []string
	}{
		{"Kita-Gesetzes", []string{"kita", "gesetz"}, []string{"kitagesetz"}},
		{"15.03.2026", []string{"15", "03", "2026"}, []string{"15032026", "032026"}},
		{"1.234,56", []string{"1", "234", "56"}, []string{"123456", "23456"}},
		{"Kita, Hort", []string{"kita", "hort"}, nil}, // comma between letters separates
		{"z.d.A.", []string{"z", "d", "a"}, []string{"zda"}},
		{"IN-12/2026", []string{"in", "12", "2026"}, []string{"in122026", "122026"}}, // no stop word inside a token
		{"Ende. Anfang", []string{"end", "anfang"}, nil},
		{"a-b-c-d-e-f-g-h-i", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, nil}, // too many segments to join
	}
	for _, c := range cases {
		var prim, join []string
		for _, tk := range Analyze(c.in) {
			switch tk.Kind {
			case KindWord, KindPart:
				prim = append(prim, tk.Term)
			case KindJoin:
				join = append(join, tk.Term)
			}
		}
		if !reflect.DeepEqual(prim, c.prim) || !reflect.DeepEqual(join, c.join) {
			t.Errorf("%q: primary %q joins %q, want %q %q", c.in, prim, join, c.prim, c.join)
		}
	}
}

func TestAnalyzeStopWords(t *testing.T) {
	got := Analyze("Der Antrag auf Förderung wurde nicht bewilligt")
	var terms []string
	var pos []int
	for _, tk := range got {
		terms = append(terms, tk.Term)
		pos = append(pos, tk.Pos)
	}
	if want := []string{"antrag", "forder", "nicht", "bewilligt"}; !reflect.DeepEqual(terms, want) {
		t.Errorf("terms %q, want %q", terms, want)
	}
	if want := []int{0, 1, 2, 3}; !reflect.DeepEqual(pos, want) {
		t.Errorf("positions %v, want %v (stop words leave no gap)", pos, want)
	}
	if got := primaryTerms("die"); len(got) != 0 {
		t.Errorf("stop word alone: %q", got)
	}
	if got := analyze("die", analyzeOpts{keepStop: true}); len(got) != 1 || got[0].Term != "die" {
		t.Errorf("keepStop: %+v", got)
	}
}

func TestAnalyzeCompounds(t *testing.T) {
	cases := []struct {
		word string
		subs []string // must be among the secondary terms
	}{
		{"Ausbildungsplatz", []string{"ausbild", "platz"}},
		{"Ausbildungsplätzen", []string{"ausbild", "platz"}},
		{"Kitaplätze", []string{"kita", "platz"}},
		{"Fachkräfteinitiative", []string{"fachkraft", "fach", "kraft", "initiativ"}},
		{"Landesverwaltungsamt", []string{"land", "verwalt", "amt", "landesverwalt"}},
		{"Kinderbetreuungsgesetz", []string{"kind", "betreu", "gesetz"}},
		{"Verwaltungsgericht", []string{"verwalt", "gericht"}},
		{"Wirtschaftsministerium", []string{"wirtschaft", "ministerium"}},
		{"Datenschutz", []string{"dat", "schutz"}},
		{"Geschäftsstelle", []string{"geschaft", "stell"}},
		{"Ausbildungsprogramm", []string{"ausbild", "programm"}}, // no lexicon needed
		{"Übungsleiter", []string{"ubung", "leit"}},
	}
	for _, c := range cases {
		var subs []string
		for _, tk := range Analyze(c.word) {
			if tk.Kind == KindSub {
				subs = append(subs, tk.Term)
			}
		}
		for _, s := range c.subs {
			if !slices.Contains(subs, s) {
				t.Errorf("%s: sub-words %q lack %q", c.word, subs, s)
			}
		}
		// Each part found by the compound must be what a query for the
		// part itself produces (otherwise the split is useless).
	}
	for _, w := range []string{"Ausbildung", "Platz", "Kita", "Fachkräfte", "Kräfte", "Initiative", "Gesetz", "Verwaltung", "Schutz", "Stelle"} {
		q := primaryTerms(w)
		found := false
		for _, c := range cases {
			if slices.Contains(allTerms(c.word), q[0]) {
				found = true
			}
		}
		if !found {
			t.Errorf("query %q (%q) finds none of the compounds", w, q)
		}
	}
	// No split where a lexicon word only happens to end a word.
	for _, w := range []string{"insgesamt", "Referat", "Feststellung", "Vorstellung", "Heirat", "Apparat", "Lehrende", "Jungsteinzeit", "Kontakt", "Verbund"} {
		for _, tk := range Analyze(w) {
			if tk.Kind == KindSub {
				t.Errorf("%s: unexpected sub-word %q", w, tk.Term)
			}
		}
	}
}

func TestAnalyzeOffsetsAndTermsAreClean(t *testing.T) {
	texts := []string{
		"Ärger über die Straßenbaumaßnahme (TFM-121-2026/0001) – siehe § 12 Abs. 2.",
		"Ελλάδα, Москва, 北京市, İstanbul, Ǆemal, naïve, ﬁnanzen ２０２６",
		"bad utf8 \xff\xfe here, Kita\x00Hort, ǂsentinelǂ, a\u0308b",
		strings.Repeat("x", 300) + " kurz " + strings.Repeat("7", 200) + "-12 Ende",
	}
	for _, d := range corpus {
		texts = append(texts, d.Text, d.Titel, d.Aktenzeichen)
	}
	for _, text := range texts {
		toks := Analyze(text)
		for _, tk := range toks {
			checkToken(t, text, tk)
		}
		checkPositions(t, text, toks)
	}
}

// checkPositions: primary tokens are numbered 0, 1, 2, … in order (so Pos
// is the position in the running text the engines see), and every
// secondary token sits on the position of a primary one.
func checkPositions(t testing.TB, text string, toks []Token) {
	t.Helper()
	next := 0
	for _, tk := range toks {
		if tk.Kind.Primary() {
			if tk.Pos != next {
				t.Fatalf("%q: primary %+v, want Pos %d", text, tk, next)
			}
			next++
		}
	}
	for _, tk := range toks {
		if !tk.Kind.Primary() && (tk.Pos < 0 || tk.Pos >= next) {
			t.Fatalf("%q: secondary %+v outside the %d primary positions", text, tk, next)
		}
	}
}

func checkToken(t testing.TB, text string, tk Token) {
	t.Helper()
	if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End {
		t.Fatalf("%q: bad offsets %+v", text, tk)
	}
	if !utf8.ValidString(text[tk.Start:tk.End]) {
		t.Fatalf("%q: token %+v covers invalid UTF-8", text, tk)
	}
	if utf8.ValidString(text) && (!utf8.RuneStart(text[tk.Start]) || (tk.End < len(text) && !utf8.RuneStart(text[tk.End]))) {
		t.Fatalf("%q: offsets not on rune boundaries %+v", text, tk)
	}
	checkTerm(t, tk.Term)
}

// checkTerm asserts what both engines rely on: letters and ASCII digits
// only, lower case, no sentinel, bounded length.
func checkTerm(t testing.TB, term string) {
	t.Helper()
	if term == "" || len(term) > MaxTermBytes || !utf8.ValidString(term) {
		t.Fatalf("bad term %q", term)
	}
	for _, r := range term {
		if r >= 0x01C0 && r <= 0x01C3 {
			t.Fatalf("term %q contains a click letter (sentinel)", term)
		}
		if unicode.IsDigit(r) && (r < '0' || r > '9') {
			t.Fatalf("term %q contains a non-ASCII digit", term)
		}
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			t.Fatalf("term %q contains %q", term, r)
		}
		if unicode.IsUpper(r) {
			t.Fatalf("term %q is not lower case", term)
		}
	}
}

func TestAnalyzeDropsOverlongTerms(t *testing.T) {
	long := strings.Repeat("ab", MaxTermBytes)
	if got := primaryTerms(long + " Kita"); !reflect.DeepEqual(got, []string{"kita"}) {
		t.Errorf("got %q", got)
	}
}

// Analyze is used by many goroutines at once (indexing jobs, requests);
// its word cache must not change results. Run with -race.
func TestAnalyzeConcurrently(t *testing.T) {
	want := make([][]Token, len(corpus))
	for k, d := range corpus {
		want[k] = Analyze(d.Titel + " " + d.Text)
	}
	errs := make(chan string, 4*len(corpus))
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for k, d := range corpus {
				if got := Analyze(d.Titel + " " + d.Text); !reflect.DeepEqual(got, want[k]) {
					errs <- d.Titel
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Errorf("%s: different tokens under concurrency", e)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	var text strings.Builder
	for _, d := range corpus {
		text.WriteString(d.Titel + ". " + d.Text + " ")
	}
	s := text.String()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Analyze(s)
	}
}
