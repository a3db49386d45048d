package web

import (
	"testing"

	"aktenwerk/internal/records"
)

// TestAusschnitt: the snippet HTML is used only when it is escaped text
// with <mark> around hits; anything else is shown as plain, escaped text.
func TestAusschnitt(t *testing.T) {
	for _, c := range []struct {
		html string
		ok   bool
	}{
		{"Antrag von <mark>Müller</mark> &amp; Co.", true},
		{"<mark>a</mark> b <mark>c</mark>", true},
		{"&lt;b&gt; &#34;x&#39; &quot;", true},
		{"", true},
		{"<mark>a", false},
		{"a</mark>", false},
		{"<mark><mark>a</mark></mark>", false},
		{"<b>fett</b>", false},
		{"<mark onclick=x>a</mark>", false},
		{"<script>alert(1)</script>", false},
		{"a & b", false},
		{"&#x3c;", false},
		{"a > b", false},
		{"<MARK>a</MARK>", false},
		{"\xff", false},
	} {
		if got := safeMarked(c.html); got != c.ok {
			t.Errorf("safeMarked(%q) = %v, want %v", c.html, got, c.ok)
		}
	}
	h := records.SearchHit{Ausschnitt: "<b>x</b> & y", AusschnittHTML: "<b>x</b> & y"}
	if got := string(ausschnitt(h)); got != "&lt;b&gt;x&lt;/b&gt; &amp; y" {
		t.Errorf("fallback: %q", got)
	}
	h = records.SearchHit{Ausschnitt: "a b", AusschnittHTML: "a <mark>b</mark>"}
	if got := string(ausschnitt(h)); got != "a <mark>b</mark>" {
		t.Errorf("marked: %q", got)
	}
}

func TestVorgangsQuery(t *testing.T) {
	for in, want := range map[string]string{
		"Antr":               "Antr*",
		"  antrag   müller ": "antrag müller*",
		"TFM-121-2026/00":    "TFM-121-2026/00*",
		`"(Antrag)" OR -xy*`: "Antrag or xy*",
		"a":                  "a",
		`*:() "`:             "",
		"NICHT titel:Kita":   "nicht titelKita*",
		"Müller UND Schulze": "Müller und Schulze*",
	} {
		if got := vorgangsQuery(in); got != want {
			t.Errorf("vorgangsQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
