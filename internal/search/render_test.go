package search

import (
	"strings"
	"testing"
	"time"
)

func TestRender(t *testing.T) {
	cases := []struct{ q, fts, pg string }{
		{`Kita`, `"kita"`, `'kita'`},
		{`Kita Hort`, `("kita" AND "hort")`, `('kita' & 'hort')`},
		{`Kita OR Hort`, `("kita" OR "hort")`, `('kita' | 'hort')`},
		{`Kita -Hort`, `("kita" NOT "hort")`, `('kita' & !'hort')`},
		{`Kita Krippe -Hort -Schule`, `(("kita" AND "kripp") NOT "hort" NOT "schul")`, `('kita' & 'kripp' & !'hort' & !'schul')`},
		{`NOT Kita`, `("ǂ" NOT "kita")`, `!'kita'`},
		{`-Kita -Hort`, `("ǂ" NOT "kita" NOT "hort")`, `(!'kita' & !'hort')`},
		{`Kita OR -Hort`, `("kita" OR ("ǂ" NOT "hort"))`, `('kita' | !'hort')`},
		{`-(Kita OR Hort) Krippe`, `("kripp" NOT ("kita" OR "hort"))`, `(!('kita' | 'hort') & 'kripp')`},
		{`(Kita OR Hort) (Krippe OR Schule)`, `(("kita" OR "hort") AND ("kripp" OR "schul"))`, `(('kita' | 'hort') & ('kripp' | 'schul'))`},
		{`"Fachkräfteinitiative Kita"`, `"fachkrafteinitiativ kita"`, `('ǂǂfachkrafteinitiativǂkita' & ('fachkrafteinitiativ' <-> 'kita'))`},
		{`-"Fachkräfteinitiative Kita"`, `("ǂ" NOT "fachkrafteinitiativ kita")`, `!('ǂǂfachkrafteinitiativǂkita' & ('fachkrafteinitiativ' <-> 'kita'))`},
		{`"Kita Hort Kita Hort"`, `"kita hort kita hort"`, `('ǂǂkitaǂhort' & 'ǂǂhortǂkita' & ('kita' <-> 'hort' <-> 'kita' <-> 'hort'))`},
		{`Kita,Hort,Krippe*`, `"kita hort kripp"*`, `('ǂǂkitaǂhort' & ('kita' <-> 'hort' <-> 'kripp':*))`},
		{`Kita*`, `"kita"*`, `'kita':*`},
		{`Kita,Hort*`, `"kita hort"*`, `('kita' <-> 'hort':*)`},
		{`"Straße 2026"`, `"strass 2026"`, `('ǂǂstrassǂ2026' & ('strass' <-> '2026'))`},
		{`TFM-121-2026/0001`, `"tfm12120260001"`, `'tfm12120260001'`},
		{`az:TFM-121*`, `"ǂazǂtfm121"*`, `'ǂazǂtfm121':*`},
		{`typ:Bescheid`, `"ǂtypǂbescheid"`, `'ǂtypǂbescheid'`},
		{`titel:"Kita Hort"`, `"ǂtitelǂkita ǂtitelǂhort"`, `('ǂtitelǂkita' <-> 'ǂtitelǂhort')`},
		{`titel:(Kita OR -Hort)`, `("ǂtitelǂkita" OR ("ǂ" NOT "ǂtitelǂhort"))`, `('ǂtitelǂkita' | !'ǂtitelǂhort')`},
		{`absender:Müller`, `"ǂabsenderǂmull"`, `'ǂabsenderǂmull'`},
		{`datum:2026-03-15`, `"ǂdatumǂ20260315"`, `'ǂdatumǂ20260315'`},
		{`datum:2026`, `"ǂdatumǂ2026"`, `'ǂdatumǂ2026'`},
		{`datum:2026-01..2026-03`, `("ǂdatumǂ202601" OR "ǂdatumǂ202602" OR "ǂdatumǂ202603")`, `('ǂdatumǂ202601' | 'ǂdatumǂ202602' | 'ǂdatumǂ202603')`},
		{`datum:30.12.2025..2026-01-02`, `("ǂdatumǂ20251230" OR "ǂdatumǂ20251231" OR "ǂdatumǂ20260101" OR "ǂdatumǂ20260102")`,
			`('ǂdatumǂ20251230' | 'ǂdatumǂ20251231' | 'ǂdatumǂ20260101' | 'ǂdatumǂ20260102')`},
		{`datum:2020..2031`, `("ǂdatumǂ202" OR "ǂdatumǂ2030" OR "ǂdatumǂ2031")`, `('ǂdatumǂ202' | 'ǂdatumǂ2030' | 'ǂdatumǂ2031')`},
		{`datum:..1999`, `("ǂdatumǂ0" OR "ǂdatumǂ1")`, `('ǂdatumǂ0' | 'ǂdatumǂ1')`},
		{`Kita -datum:2026`, `("kita" NOT "ǂdatumǂ2026")`, `('kita' & !'ǂdatumǂ2026')`},
	}
	for _, c := range cases {
		n, err := Parse(c.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.q, err)
			continue
		}
		fts, err := RenderFTS5(n)
		if err != nil || fts != c.fts {
			t.Errorf("RenderFTS5(%q)\n got %s (%v)\nwant %s", c.q, fts, err, c.fts)
		}
		pg, err := RenderTSQuery(n, true)
		if err != nil || pg != c.pg {
			t.Errorf("RenderTSQuery(%q)\n got %s (%v)\nwant %s", c.q, pg, err, c.pg)
		}
	}
}

// Until every row holds its word pairs, phrases are rendered without them.
func TestRenderWithoutPairs(t *testing.T) {
	for q, want := range map[string]string{
		`"Fachkräfteinitiative Kita"`:  `('fachkrafteinitiativ' <-> 'kita')`,
		`-"Fachkräfteinitiative Kita"`: `!('fachkrafteinitiativ' <-> 'kita')`,
		`Kita,Hort,Krippe*`:            `('kita' <-> 'hort' <-> 'kripp':*)`,
	} {
		n, err := Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := RenderTSQuery(n, false); err != nil || got != want {
			t.Errorf("RenderTSQuery(%q, false)\n got %s (%v)\nwant %s", q, got, err, want)
		}
	}
}

// Hand-built ASTs may carry any string; quoting must keep it one operand.
func TestRenderEscapes(t *testing.T) {
	n := &And{Nodes: []Node{
		&Term{Term: `it's`},
		&Term{Term: `say "hi"`},
		&Prefix{Prefix: `back\slash`},
		&Phrase{Terms: []string{`a"b`, `c'd`}},
	}}
	fts, err := RenderFTS5(n)
	if err != nil {
		t.Fatal(err)
	}
	if want := `("it's" AND "say ""hi""" AND "back\slash"* AND "a""b c'd")`; fts != want {
		t.Errorf("FTS5\n got %s\nwant %s", fts, want)
	}
	pg, err := RenderTSQuery(n, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := `('it''s' & 'say "hi"' & 'back\\slash':* & ('a"b' <-> 'c''d'))`; pg != want {
		t.Errorf("tsquery\n got %s\nwant %s", pg, want)
	}
}

func TestRenderRejectsBadTrees(t *testing.T) {
	bad := map[string]Node{
		"nil":           nil,
		"empty and":     &And{},
		"empty or":      &Or{},
		"nil in and":    &And{Nodes: []Node{&Term{Term: "a"}, nil}},
		"empty term":    &Term{},
		"empty prefix":  &Prefix{},
		"empty phrase":  &Phrase{},
		"hole phrase":   &Phrase{Terms: []string{"a", ""}},
		"nested field":  &Field{Name: FieldTitel, Node: &Field{Name: FieldTyp, Node: &Term{Term: "a"}}},
		"unknown field": &Field{Name: "foo", Node: &Term{Term: "a"}},
		"datum field":   &Field{Name: FieldDatum, Node: &Term{Term: "a"}},
		"field no node": &Field{Name: FieldTitel},
		"not no node":   &Not{},
		"backward date": &DateRange{From: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		"year 0":        &DateRange{From: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		"typed nil":     (*Term)(nil),
	}
	for name, n := range bad {
		if s, err := RenderFTS5(n); err == nil {
			t.Errorf("%s: RenderFTS5 = %s, want error", name, s)
		}
		if s, err := RenderTSQuery(n, true); err == nil {
			t.Errorf("%s: RenderTSQuery = %s, want error", name, s)
		}
	}
}

func TestIndexTextLayout(t *testing.T) {
	got := IndexText(Doc{
		Aktenzeichen: "TFM-121-2026/0001",
		Titel:        "Ausbildungsplätze",
		Typ:          "Bescheid",
		Datum:        time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC),
		Text:         "Die Kita fördert Ausbildungsplätze.",
	})
	want := strings.Join([]string{
		"ǂ",
		"ǂazǂtfm ǂazǂ121 ǂazǂ2026 ǂazǂ0001 ǂ ǂazǂtfm12120260001 ǂ ǂazǂ12120260001 ǂ ǂazǂ20260001 ǂ",
		"ǂtitelǂausbildungsplatz ǂ ǂtitelǂausbild ǂtitelǂplatz ǂ",
		"ǂtypǂbescheid ǂ",
		"ǂdatumǂ2 ǂdatumǂ20 ǂdatumǂ202 ǂdatumǂ2026 ǂdatumǂ202603 ǂdatumǂ20260315 ǂ",
		"tfm 121 2026 0001 ǂ ausbildungsplatz ǂ bescheid ǂ kita fordert ausbildungsplatz ǂ",
		"tfm12120260001 ǂ 12120260001 ǂ 20260001 ǂ ausbild platz ǂ ausbild platz ǂ",
	}, " ")
	if got != want {
		t.Errorf("IndexText\n got %s\nwant %s", got, want)
	}
	if got := IndexText(Doc{}); got != Sentinel {
		t.Errorf("empty doc: %q", got)
	}
}
