package web

import (
	"mime"
	"testing"
)

func TestContentDisposition(t *testing.T) {
	for name, wantFallback := range map[string]string{
		"Bescheid_Müller.pdf":    "Bescheid_Mueller.pdf",
		"plain.txt":              "plain.txt",
		`Straße "Nord"; 50%.pdf`: "Strasse _Nord__ 50_.pdf",
		"日本.txt":                 "__.txt",
	} {
		v := ContentDisposition("attachment", name)
		// Go's parser prefers filename* and decodes it: the exact name must survive
		_, params, err := mime.ParseMediaType(v)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if params["filename"] != name {
			t.Errorf("%q: decoded %q, want %q", v, params["filename"], name)
		}
		if got := asciiFallback(name); got != wantFallback {
			t.Errorf("fallback %q, want %q", got, wantFallback)
		}
	}
}
