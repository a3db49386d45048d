package records

import (
	"testing"
	"time"
)

func TestAktenzeichenPattern(t *testing.T) {
	vars := akteVars(Tenant{Code: "TFM"}, "121", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC))
	// 23:30 UTC on New Year's Eve is already 2027 in Berlin
	if got := renderSerial(DefaultAzPattern, vars, 42); got != "TFM-121-2027/0042" {
		t.Fatal(got)
	}
	if got := renderScope(DefaultAzPattern, vars); got != "TFM-121-2027/#" {
		t.Fatal(got)
	}
	if got := renderSerial(DefaultVorgangPattern, map[string]string{"akte": "TFM-121-2027/0042"}, 7); got != "TFM-121-2027/0042-007" {
		t.Fatal(got)
	}
	if got := renderSerial(DefaultAzPattern, vars, 123456); got != "TFM-121-2027/123456" {
		t.Fatal("serial wider than its width must not be cut:", got)
	}
	for _, p := range []string{"", "{tenant}-{kennzeichen}", "{tenant}/{serial}/{serial}", "{foo}-{serial}", "{tenant-{serial}"} {
		if ValidatePattern(p, "tenant", "kennzeichen", "year") == nil {
			t.Fatalf("pattern %q accepted", p)
		}
	}
	if err := ValidatePattern(DefaultAzPattern, "tenant", "kennzeichen", "year"); err != nil {
		t.Fatal(err)
	}
}

func TestSanitizeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"Bescheid_Müller.pdf":       "Bescheid_Müller.pdf",
		`C:\Users\x\Antrag.docx`:    "Antrag.docx",
		"../../etc/passwd":          "passwd",
		"a\x00b\nc.txt":             "abc.txt",
		`say "hi".txt`:              "say hi.txt",
		"..":                        "",
		"  Leerzeichen vorne.txt  ": "Leerzeichen vorne.txt",
	} {
		if got := SanitizeFilename(in); got != want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
