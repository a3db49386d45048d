package web

import (
	"strings"
	"testing"
)

func TestParseTag(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"23.11.2026", "2026-11-23"}, {" 3.1.2026 ", "2026-01-03"}, {"03.01.2026", "2026-01-03"}, {"2026-11-23", "2026-11-23"},
		{"29.02.2028", "2028-02-29"},
		{"31.02.2026", ""}, {"29.02.2026", ""}, {"32.01.2026", ""}, {"23.13.2026", ""}, {"2026-02-30", ""},
		{"23.11.26", ""}, {"11/23/2026", ""}, {"23112026", ""}, {"", ""}, {"gestern", ""}, {"23.11.2026x", ""},
	} {
		tm, ok := parseTag(c.in)
		got := ""
		if ok {
			got = tm.Format("2006-01-02")
			if tm.Location() != berlin || tm.Hour() != 0 {
				t.Errorf("%q: %v, want the start of the day in Berlin", c.in, tm)
			}
		}
		if got != c.want {
			t.Errorf("parseTag(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDatumFehlerUndAnzeige(t *testing.T) {
	for in, want := range map[string]string{
		"":           "Bitte ein Datum angeben (TT.MM.JJJJ)",
		"31.02.2026": "31.02.2026 ist kein Kalendertag",
		"2026-02-30": "2026-02-30 ist kein Kalendertag",
		"gestern":    "im Format TT.MM.JJJJ",
		"11/23/2026": "im Format TT.MM.JJJJ",
	} {
		if got := datumFehler(in); !strings.Contains(got, want) {
			t.Errorf("datumFehler(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"2026-11-23": "23.11.2026", "23.11.2026": "23.11.2026", "31.02.2026": "31.02.2026", "": ""} {
		if got := datumDeutsch(in); got != want {
			t.Errorf("datumDeutsch(%q) = %q, want %q", in, got, want)
		}
	}
	// audit changes show dates and times the German way
	if got := changesText([]byte(`{"dokumentdatum":{"before":null,"after":"2026-11-23"},"bis":{"after":"2026-11-24T23:00:00Z"}}`)); got != "Dokumentdatum: – → 23.11.2026; bis: 25.11.2026, 00:00" {
		t.Errorf("changes: %q", got)
	}
}
