package extract

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const germanText = "Bewilligungsbescheid über Ausbildungsförderung\nFrau Schüßler, Straße der Einheit 12, Gebühr 12,50 €\n„Fachkräfteinitiative“ – ÄÖÜ äöü ß"

func TestTextCharsets(t *testing.T) {
	w1252, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(germanText))
	noEuro := strings.NewReplacer("€", "EUR", "„", "\"", "“", "\"", "–", "-").Replace(germanText)
	l1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(noEuro))
	cp850, _ := charmap.CodePage850.NewEncoder().Bytes([]byte(noEuro))
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(germanText))
	u16nobom, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(germanText))
	for _, tt := range []struct {
		name, mime string
		data       []byte
		want       string
		charset    string
		warn       bool
	}{
		{"utf-8", "text/plain; charset=utf-8", []byte(germanText), germanText, "utf-8", false},
		{"utf-8 bom", "", append([]byte("\xEF\xBB\xBF"), germanText...), germanText, "utf-8", false},
		{"windows-1252 guessed", "text/plain", w1252, germanText, "windows-1252", true},
		{"iso-8859-1 declared", "text/plain; charset=iso-8859-1", l1, noEuro, "windows-1252", false},
		{"iso-8859-1 sniffed", "", l1, noEuro, "windows-1252", false},
		{"cp850 (DOS)", "text/plain", cp850, noEuro, "ibm850", true},
		{"utf-16 bom", "", u16, germanText, "utf-16le", false},
		{"utf-16 without bom", "text/plain", u16nobom, germanText, "utf-16le", true},
		{"csv", "text/csv", []byte("Name;Ort\r\nSchüßler;Erfurt\r\n"), "Name;Ort\nSchüßler;Erfurt", "utf-8", false},
	} {
		r, err := extractBytes(t, tt.data, tt.mime, Options{Tools: &Tools{}})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r.Text != tt.want || r.Method != MethodText || r.Charset != tt.charset || (len(r.Warnings) > 0) != tt.warn {
			t.Errorf("%s: got %q (%s, %s, %v)", tt.name, r.Text, r.Method, r.Charset, r.Warnings)
		}
	}
}

func TestTextCleaning(t *testing.T) {
	in := "ﬁnanzielle Unter\u00ADstützung\r\nZeile\x00 mit\x07 Steuerzeichen   \n\n\n\nStra\u0073\u0301e e\u0301\f Seite 2"
	r, err := extractBytes(t, []byte(in), "text/plain", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	want := "finanzielle Unterstützung\nZeile mit Steuerzeichen\n\nStraśe é\fSeite 2"
	if r.Text != want {
		t.Errorf("got %q, want %q", r.Text, want)
	}
	// the text limit cuts at a character boundary, with a warning
	long := strings.Repeat("ä", 100)
	r, err = extractBytes(t, []byte(long), "text/plain", Options{Tools: &Tools{}, MaxTextBytes: 51})
	if err != nil || r.Text != strings.Repeat("ä", 25) || len(r.Warnings) != 1 {
		t.Errorf("cut: %v %q %v", err, r.Text, r.Warnings)
	}
	// empty input
	r, err = extractBytes(t, nil, "", Options{Tools: &Tools{}})
	if err != nil || r.Text != "" {
		t.Errorf("empty: %v %+v", err, r)
	}
}

func TestHTMLAndXML(t *testing.T) {
	page := `<!DOCTYPE html><html><head><meta charset="windows-1252"><title>T</title><script>var x="<p>nein</p>";</script></head>
<body><h1>Bescheid</h1><p>Ausbildungs&shy;förderung&nbsp;für   Frau
Schüßler</p><ul><li>Eins</li><li>Zwei</li></ul><pre>  a   b</pre></body></html>`
	b, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(page))
	r, err := extractBytes(t, b, "text/html", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Bescheid\nAusbildungsförderung für Frau Schüßler\nEins\nZwei\n  a   b"
	if r.Text != want || r.Method != MethodHTML || r.Charset != "windows-1252" {
		t.Errorf("got %q (%s %s)", r.Text, r.Method, r.Charset)
	}
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;">]>` +
		"<akte><titel>Ausbildungsf\xf6rderung</titel><az>TFM-121</az><y>&y;</y></akte>"
	r, err = extractBytes(t, []byte(doc), "application/xml", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "Ausbildungsförderung\nTFM-121") || strings.Contains(r.Text, "xxxxxxxxxx") || r.Method != MethodXML {
		t.Errorf("xml: %q", r.Text)
	}
	if r, err := extractBytes(t, []byte("<a><b>Text"), "text/xml", Options{Tools: &Tools{}}); err != nil || r.Text != "Text" {
		t.Errorf("unclosed xml is read as far as it goes: %v %q", err, r.Text)
	}
	if _, err := extractBytes(t, []byte("<a><b"), "text/xml", Options{Tools: &Tools{}}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("xml without text: %v", err)
	}
}

func TestUnsupported(t *testing.T) {
	for name, tt := range map[string]struct {
		data []byte
		mime string
	}{
		"mp3":   {[]byte("ID3\x03\x00\x00\x00\x00\x00\x00 Musik"), ""},
		"exe":   {append([]byte("MZ\x90\x00"), make([]byte, 200)...), ""},
		"ppt":   {[]byte("irgendwas"), "application/vnd.ms-powerpoint"},
		"video": {[]byte("irgendwas"), "video/mp4"},
	} {
		_, err := extractBytes(t, tt.data, tt.mime, Options{Tools: &Tools{}})
		if !errors.Is(err, ErrUnsupported) || Retryable(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestTextReadOnlyUpToLimit(t *testing.T) {
	// 1 MiB of "ä" (2 bytes each) with a text limit of 1001 bytes: the
	// cut falls inside a character, the rest stays valid UTF-8
	big := strings.Repeat("ä", 1<<19)
	r, err := extractBytes(t, []byte(big), "text/plain", Options{Tools: &Tools{}, MaxTextBytes: 1001})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != strings.Repeat("ä", 500) || r.Charset != "utf-8" {
		t.Errorf("got %d bytes, charset %s", len(r.Text), r.Charset)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "nur die ersten") {
		t.Errorf("warnings %v", r.Warnings)
	}
}
