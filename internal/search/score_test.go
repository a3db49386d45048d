package search

import (
	"math"
	"strings"
	"testing"
)

func scoreOf(t *testing.T, query string, d Doc) float64 {
	t.Helper()
	n, err := Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	return NewScorer(n).Score(IndexText(d))
}

func TestScore(t *testing.T) {
	d := Doc{Aktenzeichen: "TFM-121-2026/0001", Titel: "Kita Kita", Absender: "Stadt Jena", Typ: "Bescheid",
		Text: "Die Kita und der Hort. Die Kita Sonnenschein braucht Fachkräfte. Sonnenschein Kita."}
	ln := math.Log
	for _, c := range []struct {
		q    string
		want float64
	}{
		// title: kita twice; running text: the title's two and the text's three
		{"Kita", 3*(1+ln(2)) + (1 + ln(5))},
		{"titel:Kita", 3 * (1 + ln(2))},
		{"Hort", 1},
		{"Jena", 2 + 1}, // Absender (weight 2) and its copy in the running text
		{"Bescheid", 1 + 1},
		{`"Kita Sonnenschein"`, 1},                   // once in the text, not reversed
		{`"Sonnenschein Kita"`, 1},                   // the last sentence
		{"Sonnen*", 1 + ln(2)},                       // prefix: two words
		{"Kita Hort", 3*(1+ln(2)) + (1 + ln(5)) + 1}, // the leaves add up
		{"Kita -Hort", 3*(1+ln(2)) + (1 + ln(5))},    // negations do not count
		{"datum:2026", 0},
		{"Zitronenfalter", 0},
		{`"Hort Die"`, 1}, // stop words leave phrases on both sides: the phrase is "hort"
		{`"Hort Kita"`, 1},
	} {
		if got := scoreOf(t, c.q, d); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: score %.4f, want %.4f", c.q, got, c.want)
		}
	}
	// a phrase never runs across the end of a field into the next one
	if got := scoreOf(t, `"Kita Stadt"`, d); got != 0 {
		t.Errorf("phrase across fields: %.4f", got)
	}
}

func BenchmarkScore(b *testing.B) {
	text := strings.Repeat("Der Antrag auf Förderung der Kindertagesstätte Sonnenschein wurde geprüft und bewilligt. ", 20)
	stream := IndexText(Doc{Aktenzeichen: "TFM-121-2026/0001", Titel: "Bescheid über die Förderung", Typ: "Bescheid", Text: text})
	n, _ := Parse(`Förderung "Kita Sonnenschein" Antrag*`)
	s := NewScorer(n)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		s.Score(stream)
	}
}

func TestSnippet(t *testing.T) {
	n, _ := Parse(`Ausbildung "Kita Sonnenschein"`)
	s := NewScorer(n)
	long := strings.Repeat("Allgemeiner Vorspann ohne Treffer. ", 2000) + // ~70 KB, beyond the analysed part
		"Ende."
	head := "Die Kita Sonnenschein meldet einen Ausbildungsplatz. " + long
	snip, marks := s.Snippet(head, 12)
	if !strings.HasPrefix(snip, "Die Kita Sonnenschein meldet einen Ausbildungsplatz.") || !strings.HasSuffix(snip, " …") {
		t.Errorf("snippet %q", snip)
	}
	var got []string
	for _, m := range marks {
		got = append(got, snip[m[0]:m[1]])
	}
	if strings.Join(got, "|") != "Kita|Sonnenschein|Ausbildungsplatz" {
		t.Errorf("marks %v", got)
	}
	if h := SnippetHTML(snip, marks); !strings.Contains(h, "<mark>Ausbildungsplatz</mark>.") {
		t.Errorf("html %q", h)
	}
	// a hit deep in the text, after several pieces
	deep := strings.Repeat("Vorspann ohne Treffer hier. ", 600) + "Hier steht die Kita Sonnenschein mitten im Text. " + strings.Repeat("Nachspann. ", 50)
	snip, marks = s.Snippet(deep, 10)
	if !strings.HasPrefix(snip, "… ") || !strings.Contains(snip, "Kita Sonnenschein") || len(marks) != 2 {
		t.Errorf("deep snippet %q %v", snip, marks)
	}
	// no hit in the text: its beginning, HTML escaped
	snip, marks = s.Snippet("<b>Vermerk</b> über & andere Dinge", 10)
	if len(marks) != 0 || SnippetHTML(snip, marks) != "&lt;b&gt;Vermerk&lt;/b&gt; über &amp; andere Dinge" {
		t.Errorf("no hit: %q", SnippetHTML(snip, marks))
	}
}

// A query of fields only (az:, titel:) marks nothing in a text: its
// snippet is the text's beginning, the same as for a text term that does
// not occur (which analyses the whole text), without analysing the rest.
func TestSnippetFieldsOnly(t *testing.T) {
	long := "Sehr geehrte Damen und Herren, " + strings.Repeat("der Antrag auf Förderung wurde geprüft. ", 3000)
	for _, text := range []string{long, "Kurzer Vermerk.", "Genau zehn Wörter stehen in diesem Satz hier, nicht mehr."} {
		miss, _ := Parse(`Zuständigkeitsvermutung`) // in no text: the full analysis
		want, wantMarks := NewScorer(miss).Snippet(text, 10)
		for _, q := range []string{`az:TFM-121*`, `titel:Antrag typ:Bescheid`, `datum:2026 az:TFM-1`} {
			n, err := Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			got, marks := NewScorer(n).Snippet(text, 10)
			if got != want || len(marks) != 0 || len(wantMarks) != 0 {
				t.Errorf("%q on %.20q: %q %v, want %q", q, text, got, marks, want)
			}
		}
	}
}

func BenchmarkSnippetLongText(b *testing.B) {
	n, _ := Parse(`Sonnenschein`)
	s := NewScorer(n)
	text := "Die Kita Sonnenschein. " + strings.Repeat("Der Antrag auf Förderung wurde geprüft und bewilligt. ", 2000)
	for b.Loop() {
		s.Snippet(text, 30)
	}
}

func BenchmarkSnippetFieldsOnly(b *testing.B) {
	n, _ := Parse(`az:TFM-121*`)
	s := NewScorer(n)
	text := strings.Repeat("Der Antrag auf Förderung wurde geprüft und bewilligt. ", 2000)
	for b.Loop() {
		s.Snippet(text, 30)
	}
}

// BenchmarkScoreTerms is a query of single terms, the common case, on the
// same stream as BenchmarkScore.
func BenchmarkScoreTerms(b *testing.B) {
	text := strings.Repeat("Der Antrag auf Förderung der Kindertagesstätte Sonnenschein wurde geprüft und bewilligt. ", 20)
	stream := IndexText(Doc{Aktenzeichen: "TFM-121-2026/0001", Titel: "Bescheid über die Förderung", Typ: "Bescheid", Text: text})
	n, _ := Parse(`Förderung Sonnenschein`)
	s := NewScorer(n)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			s.Score(stream)
		}
	})
	b.Run("walk", func(b *testing.B) {
		for b.Loop() {
			s.scoreWalk(stream)
		}
	})
}
