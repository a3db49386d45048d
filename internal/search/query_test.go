package search

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/apperr"
)

func TestParse(t *testing.T) {
	cases := []struct{ q, want string }{
		{`Kita`, `kita`},
		{`Kita Hort`, `(AND kita hort)`},
		{`Kita AND Hort`, `(AND kita hort)`},
		{`Kita UND Hort`, `(AND kita hort)`},
		{`Kita OR Hort`, `(OR kita hort)`},
		{`Kita ODER Hort Krippe`, `(OR kita (AND hort kripp))`}, // AND binds tighter
		{`Kita oder Hort`, `(AND kita hort)`},                   // lower case: a (stop) word
		{`(Kita OR Hort) Krippe`, `(AND (OR kita hort) kripp)`},
		{`Kita -Hort`, `(AND kita (NOT hort))`},
		{`Kita NOT Hort`, `(AND kita (NOT hort))`},
		{`Kita NICHT Hort`, `(AND kita (NOT hort))`},
		{`NOT NOT Kita`, `kita`},
		{`-(Kita OR Hort)`, `(NOT (OR kita hort))`},
		{`+Kita`, `kita`},
		{`Kita - Hort`, `(AND kita hort)`}, // a lone dash is no operator
		{`"Fachkräfteinitiative Kita"`, `"fachkrafteinitiativ kita"`},
		{`„Fachkräfteinitiative Kita“`, `"fachkrafteinitiativ kita"`},
		{`»Antrag auf Förderung«`, `"antrag forder"`},
		{`"die Kita"`, `kita`},
		{`""`, ``},
		{`Kita*`, `kita*`},
		{`Ausbildungs*`, `ausbild*`},
		{`die*`, `die*`}, // no stop word removal in prefixes
		{`Kita**`, `kita*`},
		{`TFM-121-2026/0001`, `tfm12120260001`},
		{`TFM-121*`, `tfm121*`},
		{`Kita-Gesetz`, `kitagesetz`},
		{`Kita,Hort`, `"kita hort"`},
		{`az:TFM-121*`, `az:tfm121*`},
		{`AZ:TFM-121-2026/0001`, `az:tfm12120260001`},
		{`aktenzeichen:2026/0001`, `az:20260001`},
		{`typ:Bescheid`, `typ:bescheid`},
		{`titel:"Fachkräfteinitiative Kita"`, `titel:"fachkrafteinitiativ kita"`},
		{`betreff:Kita`, `titel:kita`},
		{`titel: Kita`, `titel:kita`},
		{`titel:(Kita OR Hort)`, `titel:(OR kita hort)`},
		{`-absender:Müller`, `(NOT absender:mull)`},
		{`titel:-Kita`, `titel:(NOT kita)`},
		{`titel:die`, ``},
		{`datum:2026`, `datum:2026-01-01..2026-12-31`},
		{`datum:2026-02`, `datum:2026-02-01..2026-02-28`},
		{`datum:2024-02`, `datum:2024-02-01..2024-02-29`},
		{`datum:2026-03-15`, `datum:2026-03-15..2026-03-15`},
		{`datum:15.03.2026`, `datum:2026-03-15..2026-03-15`},
		{`datum:3.2026`, `datum:2026-03-01..2026-03-31`},
		{`datum:2026-01..2026-06`, `datum:2026-01-01..2026-06-30`},
		{`datum:01.01.2026..30.06.2026`, `datum:2026-01-01..2026-06-30`},
		{`datum:2025..`, `datum:2025-01-01..9999-12-31`},
		{`datum:..2024-06-30`, `datum:0001-01-01..2024-06-30`},
		{`Kita datum:2026 -typ:Vermerk`, `(AND kita datum:2026-01-01..2026-12-31 (NOT typ:vermerk))`},
		{`10:30`, `1030`},                     // a time is a connected token, not a field
		{`http://example.de`, `httpexampled`}, // nor is a URL
		{`Kita OR die`, `kita`},
		{`(die) Kita`, `kita`},
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		if c.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %s, want the no-words error", c.q, n)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", c.q, err)
			continue
		}
		if got := n.String(); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.q, got, c.want)
		}
	}
}

func TestParseKeepsRawAndDates(t *testing.T) {
	n, err := Parse(`TFM-121-2026/0001 datum:2026-01..2026-06`)
	if err != nil {
		t.Fatal(err)
	}
	and := n.(*And)
	if term := and.Nodes[0].(*Term); term.Raw != "TFM-121-2026/0001" {
		t.Errorf("Raw = %q", term.Raw)
	}
	dr := and.Nodes[1].(*DateRange)
	if !dr.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || !dr.To.Equal(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("range %v..%v", dr.From, dr.To)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		q      string
		column int    // 1-based character position
		msg    string // part of the German message
	}{
		{`"Fachkräfteinitiative Kita`, 1, "Anführungszeichen wird nicht geschlossen"},
		{`Kita "Hort`, 6, "Anführungszeichen"},
		{`(Kita OR Hort`, 1, "»(« wird nicht geschlossen"},
		{`Kita (Hort (Krippe)`, 6, "»(« wird nicht geschlossen"},
		{`Kita)`, 5, "ohne passende öffnende"},
		{`()`, 1, "Leere Klammern"},
		{`Kita OR`, 6, "Nach »OR« fehlt"},
		{`OR Kita`, 1, "»OR« steht am Anfang"},
		{`Kita OR OR Hort`, 6, "Nach »OR« fehlt"},
		{`Kita ODER`, 6, "Nach »ODER« fehlt"},
		{`(Kita OR) Hort`, 7, "Nach »OR« fehlt"},
		{`AND Kita`, 1, "»AND« steht am Anfang"},
		{`Kita AND`, 6, "Nach »AND« fehlt"},
		{`Kita NOT`, 6, "Nach »NOT« fehlt"},
		{`Kita -)`, 7, "ohne passende öffnende"},
		{`foo:bar`, 1, "Unbekanntes Feld »foo«"},
		{`Kita Hinweis:Text`, 6, "Unbekanntes Feld »Hinweis«"},
		{`titel:`, 1, "Nach »titel:« fehlt der Suchbegriff"},
		{`titel:(absender:Müller)`, 8, "nicht verschachteln"},
		{`datum:`, 1, "Nach »datum:« muss ein Datum"},
		{`datum:Kita`, 7, "»Kita« ist kein Datum"},
		{`datum:2026*`, 1, "Nach »datum:« muss ein Datum"},
		{`datum:2026-13`, 7, "muss der Monat zwischen 1 und 12"},
		{`datum:2026-02-30`, 7, "Den Tag 30 gibt es im Monat 02/2026 nicht"},
		{`datum:26`, 7, "Jahr vierstellig"},
		{`datum:2026-06..2026-01`, 7, "endet vor seinem Beginn"},
		{`datum:2026..x`, 13, "»x« ist kein Datum"},
		{`datum:..`, 7, "mindestens ein Ende"},
		{`Ki*ta`, 3, "nur am Ende eines Wortes"},
		{`*`, 1, "Sternchen allein"},
		{`K*`, 1, "mindestens zwei Buchstaben"},
		{`die und der`, 1, "keine suchbaren Wörter"},
		{`Ärger ) Kita`, 7, "ohne passende öffnende"}, // column counts characters, not bytes
		{strings.Repeat("(", 30) + "Kita" + strings.Repeat(")", 30), maxDepth + 1, "zu tief verschachtelt"},
		{strings.Repeat("Kita ", MaxQueryBytes), MaxQueryBytes + 1, "zu lang"},
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want an error", c.q, n)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): %T, want *SyntaxError", c.q, err)
			continue
		}
		if se.Column != c.column {
			t.Errorf("Parse(%q): column %d, want %d (%s)", c.q, se.Column, c.column, se.Msg)
		}
		if !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Parse(%q): message %q lacks %q", c.q, se.Msg, c.msg)
		}
		if apperr.KindOf(err) != apperr.KindInvalid {
			t.Errorf("Parse(%q): apperr kind %v, want KindInvalid", c.q, apperr.KindOf(err))
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Parse(`Kita OR`)
	if got, want := err.Error(), "Suchanfrage, Zeichen 6: Nach »OR« fehlt ein Suchbegriff: vor und nach OR muss ein Suchbegriff stehen."; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A date lies in a range exactly when one of its index terms is among the
// range's terms.
func TestRangeTermsCoverExactlyTheRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randDay := func() time.Time {
		switch rng.IntN(4) {
		case 0: // anywhere
			return time.Date(1+rng.IntN(9999), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
		case 1: // near a century boundary
			return time.Date(1995+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
		case 2: // near year 1
			return time.Date(1+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
		}
		return time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(31), 0, 0, 0, 0, time.UTC)
	}
	for k := 0; k < 3000; k++ {
		a, b := randDay(), randDay()
		if a.After(b) {
			a, b = b, a
		}
		if y := b.Year(); y > 9999 {
			continue
		}
		terms := rangeTerms(a, b)
		if len(terms) > 130 {
			t.Fatalf("%v..%v: %d terms", a, b, len(terms))
		}
		for j := 0; j < 20; j++ {
			d := randDay()
			if j < 2 { // the ends themselves and their neighbours
				d = []time.Time{a, b}[j].AddDate(0, 0, rng.IntN(3)-1)
			}
			if d.Year() < 1 || d.Year() > 9999 {
				continue
			}
			in := !d.Before(a) && !d.After(b)
			hit := false
			for _, dt := range dateTerms(d) {
				if slices.Contains(terms, dt) {
					hit = true
				}
			}
			if in != hit {
				t.Fatalf("%s in %s..%s: %v, but terms say %v (%q)", d.Format(time.DateOnly), a.Format(time.DateOnly), b.Format(time.DateOnly), in, hit, terms)
			}
		}
	}
}

// TestFieldValue: an exact filter value narrows by one term where the
// value is one connected token, and every indexed row with that value
// holds the term (the narrowing must never drop a row the filter keeps).
func TestFieldValue(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"E-Mail", "typ:email"},
		{"Vermerk", "typ:vermerk"},
		{"Verfügung", "typ:verfug"},
		{"Bericht intern", `typ:"bericht int"`},
		{"  ", ""},
	} {
		n := FieldValue(FieldTyp, c.value)
		got := ""
		if n != nil {
			got = n.(interface{ String() string }).String()
		}
		if got != c.want {
			t.Errorf("FieldValue(%q) = %s, want %s", c.value, got, c.want)
		}
		if n == nil {
			continue
		}
		if !refMatch(n, strings.Fields(IndexText(Doc{Typ: c.value})), "") {
			t.Errorf("FieldValue(%q) does not match a document of that type", c.value)
		}
		if refMatch(n, strings.Fields(IndexText(Doc{Typ: "Sonstiges"})), "") {
			t.Errorf("FieldValue(%q) matches a document of another type", c.value)
		}
	}
}
