package extract

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func latin1(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func qp(b []byte) string {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.String()
}

func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	out.WriteString(s)
	return out.String()
}

func TestMailMultipartWithAttachments(t *testing.T) {
	pdf := []byte("%PDF-1.4 Anlage")
	docx := makeDOCX(t, officeParas, nil, "")
	body := latin1(t, "Sehr geehrte Damen und Herren,\r\nanbei der Antrag auf Ausbildungsförderung für Jana Schüßler.\r\nMit freundlichen Grüßen\r\n")
	msg := "From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen.mueller@example.de>\r\n" +
		"To: Poststelle <poststelle@landesamt.example>, =?UTF-8?B?QsO8cmdlcmLDvHJv?= <buero@example.de>\r\n" +
		"Cc: akte@example.de\r\n" +
		"Subject: =?ISO-8859-1?Q?Antrag_auf_Ausbildungsf=F6rderung_=96_TFM-121-2026?=\r\n" +
		"Date: Thu, 12 Mar 2026 10:15:00 +0100\r\n" +
		"Message-ID: <abc@example.de>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"aussen\"\r\n\r\n" +
		"Vorspann, den niemand liest.\r\n" +
		"--aussen\r\n" +
		"Content-Type: multipart/alternative; boundary=\"innen\"\r\n\r\n" +
		"--innen\r\n" +
		"Content-Type: text/plain; charset=ISO-8859-1\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
		qp(body) + "\r\n" +
		"--innen\r\n" +
		"Content-Type: text/html; charset=UTF-8\r\n\r\n" +
		"<html><body><p>HTML-Fassung, nicht bevorzugt</p></body></html>\r\n" +
		"--innen--\r\n" +
		"--aussen\r\n" +
		"Content-Type: application/pdf; name=\"Antrag.pdf\"\r\n" +
		"Content-Disposition: attachment; filename=\"Antrag.pdf\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64(pdf) + "\r\n" +
		"--aussen\r\n" +
		"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n" +
		"Content-Disposition: attachment; filename*=UTF-8''Begr%C3%BCndung.docx\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64(docx) + "\r\n" +
		"--aussen\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" +
		b64([]byte("\x89PNG\r\n\x1a\n")) + "\r\n" +
		"--aussen--\r\n"

	r, err := extractBytes(t, []byte(msg), "", Options{Tools: &Tools{}, Filename: "antrag.eml"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodEML || r.MIME != "message/rfc822" || r.Charset != "windows-1252" {
		t.Errorf("%+v", r)
	}
	m := r.Mail
	if m.From != "Jürgen Müller <juergen.mueller@example.de>" || m.Subject != "Antrag auf Ausbildungsförderung – TFM-121-2026" ||
		len(m.To) != 2 || m.To[1] != "Bürgerbüro <buero@example.de>" || len(m.Cc) != 1 || m.MessageID != "<abc@example.de>" ||
		!m.Date.Equal(time.Date(2026, 3, 12, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("headers %+v", m)
	}
	for _, want := range []string{
		"Von: Jürgen Müller <juergen.mueller@example.de>\n",
		"An: Poststelle <poststelle@landesamt.example>, Bürgerbüro <buero@example.de>\n",
		"Betreff: Antrag auf Ausbildungsförderung – TFM-121-2026\n",
		"Datum: 12.03.2026 10:15 +0100\n",
		"Anhänge: Antrag.pdf, Begründung.docx, anhang-3.png\n",
		"anbei der Antrag auf Ausbildungsförderung für Jana Schüßler.",
		"Mit freundlichen Grüßen",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("%q missing in:\n%s", want, r.Text)
		}
	}
	if strings.Contains(r.Text, "HTML-Fassung") || strings.Contains(r.Text, "Vorspann") {
		t.Errorf("html alternative or preamble in text:\n%s", r.Text)
	}
	if len(r.Attachments) != 3 {
		t.Fatalf("attachments %d", len(r.Attachments))
	}
	a := r.Attachments
	if a[0].Filename != "Antrag.pdf" || a[0].MIME != "application/pdf" || !bytes.Equal(a[0].Data, pdf) {
		t.Errorf("attachment 1 %s %s %q", a[0].Filename, a[0].MIME, a[0].Data)
	}
	if a[1].Filename != "Begründung.docx" || !bytes.Equal(a[1].Data, docx) {
		t.Errorf("attachment 2 %s", a[1].Filename)
	}
	if a[2].Filename != "anhang-3.png" {
		t.Errorf("attachment 3 %s", a[2].Filename)
	}
	// an attachment is a document of its own: it extracts by itself
	r2, err := extractBytes(t, a[1].Data, a[1].MIME, Options{Tools: &Tools{}})
	if err != nil || !strings.Contains(r2.Text, officeParas[0]) {
		t.Errorf("attachment text: %v %q", err, r2.Text)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestMailHTMLOnlyAndForwarded(t *testing.T) {
	inner := "From: a@example.de\r\nSubject: Ursprung\r\n\r\nWeitergeleiteter Inhalt\r\n"
	msg := "From: b@example.de\r\nSubject: Fwd: Ursprung\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n" +
		"--b1\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		qp([]byte("<html><head><style>p{color:red}</style><title>x</title></head><body><h1>Bescheid</h1><p>Der Antrag auf <b>Ausbildungsförderung</b> &amp; Wohngeld</p><table><tr><td>Az.</td><td>TFM-121</td></tr></table><script>alert(1)</script></body></html>")) +
		"\r\n--b1\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--b1--\r\n"
	r, err := extractBytes(t, []byte(msg), "message/rfc822", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bescheid\nDer Antrag auf Ausbildungsförderung & Wohngeld\nAz.\tTFM-121"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("%q missing in:\n%q", want, r.Text)
		}
	}
	for _, not := range []string{"color:red", "alert", "<b>", "&amp;"} {
		if strings.Contains(r.Text, not) {
			t.Errorf("%q in text %q", not, r.Text)
		}
	}
	if len(r.Attachments) != 1 || r.Attachments[0].Filename != "weitergeleitet-1.eml" || r.Attachments[0].MIME != "message/rfc822" ||
		!strings.Contains(string(r.Attachments[0].Data), "Weitergeleiteter Inhalt") {
		t.Errorf("attachments %+v", r.Attachments)
	}
}

func TestMailNonUTF8(t *testing.T) {
	// raw 8-bit Latin-1 everywhere, no charset declared, no MIME headers
	// (€ is not in ISO-8859-1; Windows-1252 has it at 0x80)
	body, _ := charmap.Windows1252.NewEncoder().Bytes([]byte("Sehr geehrter Herr Müller, die Gebühr für die Straßenreinigung beträgt 12,50 €.\r\n"))
	msg := append(latin1(t, "From: Jürgen Müller <j@example.de>\r\nSubject: Gebührenbescheid für Straßenreinigung\r\n\r\n"), body...)
	r, err := extractBytes(t, msg, "", Options{Tools: &Tools{}, Filename: "brief.eml"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mail.Subject != "Gebührenbescheid für Straßenreinigung" || r.Mail.From != "Jürgen Müller <j@example.de>" {
		t.Errorf("headers %+v", r.Mail)
	}
	if !strings.Contains(r.Text, "Sehr geehrter Herr Müller, die Gebühr für die Straßenreinigung beträgt 12,50 €.") {
		t.Errorf("text %q", r.Text)
	}
	if r.Charset != "windows-1252" || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "Zeichensatz erkannt") {
		t.Errorf("charset %q warnings %v", r.Charset, r.Warnings)
	}
	// declared UTF-8 but Latin-1 bytes: read anyway, with a warning
	bad := append([]byte("From: x@example.de\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"), latin1(t, "Grüße aus Erfurt")...)
	r, err = extractBytes(t, bad, "message/rfc822", Options{Tools: &Tools{}})
	if err != nil || !strings.Contains(r.Text, "Grüße aus Erfurt") || len(r.Warnings) != 1 {
		t.Errorf("%v %q %v", err, r.Text, r.Warnings)
	}
}

func TestMailFiftyAttachments(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: scanner@example.de\r\nSubject: Scan\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n")
	b.WriteString("--x\r\nContent-Type: text/plain\r\n\r\n50 Seiten im Anhang\r\n")
	for i := 1; i <= 50; i++ {
		fmt.Fprintf(&b, "--x\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"seite-%02d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
			i, b64([]byte(fmt.Sprintf("%%PDF-1.4 Seite %d", i))))
	}
	// one attachment above the size limit
	fmt.Fprintf(&b, "--x\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"gross.bin\"\r\n\r\n%s\r\n", strings.Repeat("A", 3000))
	b.WriteString("--x--\r\n")
	r, err := extractBytes(t, []byte(b.String()), "message/rfc822", Options{Tools: &Tools{}, MaxAttachmentBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Attachments) != 20 || r.Attachments[19].Filename != "seite-20.pdf" {
		t.Fatalf("attachments %d", len(r.Attachments))
	}
	if !strings.Contains(r.Text, "seite-50.pdf") {
		t.Error("every attachment's name belongs in the text")
	}
	w := strings.Join(r.Warnings, "\n")
	if !strings.Contains(w, "31 von 51 Anhängen nicht einzeln übernommen (Grenze 20)") {
		t.Errorf("warnings:\n%s", w)
	}
	// with a higher limit, the big one is refused by size
	r, err = extractBytes(t, []byte(b.String()), "message/rfc822", Options{Tools: &Tools{}, MaxAttachments: 100, MaxAttachmentBytes: 2000})
	if err != nil || len(r.Attachments) != 50 {
		t.Fatalf("%v %d", err, len(r.Attachments))
	}
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "„gross.bin“ ist größer als") {
		t.Errorf("warnings:\n%s", w)
	}
	// a part bomb: more parts than allowed
	r, err = extractBytes(t, []byte(b.String()), "message/rfc822", Options{Tools: &Tools{}, MaxMailParts: 10})
	if err != nil || !strings.Contains(strings.Join(r.Warnings, "\n"), "mehr als 10 MIME-Teile") {
		t.Errorf("%v %v", err, r.Warnings)
	}
}

func TestMailBroken(t *testing.T) {
	for name, msg := range map[string]string{
		"no boundary":      "From: a@example.de\r\nContent-Type: multipart/mixed\r\n\r\nText\r\n",
		"no header":        "\x00\x01\x02 kein Kopf",
		"wrong boundary":   "From: a@example.de\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--y\r\n\r\nText\r\n",
		"bad base64":       "From: a@example.de\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!! kein base64 ####\r\n",
		"deep nesting":     "From: a@example.de\r\n" + strings.Repeat("Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\n", 30) + "\r\nText",
		"unknown charset":  "From: a@example.de\r\nContent-Type: text/plain; charset=x-unbekannt\r\n\r\nText \xfc\r\n",
		"broken type":      "From: a@example.de\r\nContent-Type: ;;;\r\n\r\nText\r\n",
		"bad encoded-word": "From: a@example.de\r\nSubject: =?x-unbekannt?Q?Gr=FC=DFe?=\r\n\r\nText\r\n",
	} {
		r, err := extractBytes(t, []byte(msg), "message/rfc822", Options{Tools: &Tools{}})
		if err != nil {
			if Reason(err) == "interner Fehler bei der Texterkennung" {
				t.Errorf("%s: untyped error %v", name, err)
			}
			continue
		}
		if name == "bad base64" {
			if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "Transferkodierung") {
				t.Errorf("%s: %+v", name, r)
			}
			continue
		}
		if r.Method != MethodEML || !strings.Contains(r.Text, "Text") {
			t.Errorf("%s: %+v", name, r)
		}
	}
}
