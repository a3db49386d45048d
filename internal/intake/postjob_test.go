package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
)

// mailWith builds an RFC 5322 message with a body in charset and
// attachments (name → content).
func mailWith(subject, from, msgID, body, charset string, atts ...[2]string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: poststelle@tfm.example\r\nSubject: %s\r\nMessage-ID: %s\r\nDate: Mon, 16 Mar 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n", from, subject, msgID)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"grenze\"\r\n\r\n--grenze\r\nContent-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", charset, body)
	for _, a := range atts {
		fmt.Fprintf(&b, "--grenze\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"%s\"\r\n\r\n%s\r\n", a[0], a[1])
	}
	b.WriteString("--grenze--\r\n")
	return b.Bytes()
}

// settledPost waits until an item's recognition finished.
func (p *pipeline) settledPost(t *testing.T, id string) records.PostItem {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		it, err := p.f.Svc.GetPost(context.Background(), p.f.Anna, id)
		if err == nil && it.Texterkennung.Status != records.TextAusstehend && it.Texterkennung.Status != records.TextLaeuft {
			return it
		}
		if time.Now().After(deadline) {
			t.Fatalf("item %s never recognised: %+v %v", id, it, err)
		}
	}
}

func (p *pipeline) receive(t *testing.T, quelle, ref, msgID, name string, content []byte) records.PostItem {
	t.Helper()
	ctx := context.Background()
	sys, err := p.f.Svc.SystemPrincipal(ctx, "TFM")
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.f.Svc.StoreContent(ctx, sys, bytes.NewReader(content), name)
	if err != nil {
		t.Fatal(err)
	}
	it, _, err := p.f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: quelle, SourceRef: ref, MessageID: msgID, Content: c})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestPostRecognition(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			p := newPipeline(t, b, nil)
			ctx := context.Background()

			// a mail in ISO-8859-1 naming our Vorgang, with attachments; an
			// executable attachment is not taken over
			latin1 := "Sehr geehrte Damen und Herren, zu Ihrem Zeichen " + p.vg.Aktenzeichen + " übersende ich die Unterlagen. Grüße"
			body := string(bytesLatin1(latin1))
			raw := mailWith("Unterlagen zum Förderantrag", "Erika Muster <erika@example.org>", "<u1@example.org>", body, "iso-8859-1",
				[2]string{"Kostenplan.txt", "Kostenplan: 12.000 EUR"}, [2]string{"Foto.txt", "Foto der Baustelle"}, [2]string{"setup.exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"})
			it := p.receive(t, records.QuelleIMAP, "box|1|1", "<u1@example.org>", "mail.eml", raw)
			got := p.settledPost(t, it.ID)
			if got.Texterkennung.Status != records.TextErkannt || got.Betreff != "Unterlagen zum Förderantrag" || !strings.Contains(got.Absender, "erika@example.org") ||
				got.MessageID != "u1@example.org" {
				t.Fatalf("mail item %+v", got)
			}
			if len(got.Anhaenge) != 2 || got.Anhaenge[0].Dateiname != "Kostenplan.txt" || !strings.Contains(got.Texterkennung.Grund, "setup.exe") {
				t.Fatalf("attachments %+v grund %q", got.Anhaenge, got.Texterkennung.Grund)
			}
			if len(got.Vorschlaege) != 1 || got.Vorschlaege[0].ID != p.vg.ID {
				t.Fatalf("suggestion %+v", got.Vorschlaege)
			}
			// the same mail from another mailbox is known by its Message-ID now
			again := p.receive(t, records.QuelleIMAP, "andere|7|3", "<u1@example.org>", "mail.eml", raw)
			if again.ID != it.ID {
				t.Errorf("the same mail filed twice: %s %s", again.ID, it.ID)
			}
			res, err := p.f.Svc.AssignPost(ctx, p.f.Anna, it.ID, records.Zuordnung{VorgangID: got.Vorschlaege[0].ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Dokumente) != 3 || res.Dokumente[0].Typ != "E-Mail" || res.Dokumente[0].Betreff != "Unterlagen zum Förderantrag" {
				t.Fatalf("assigned %+v", res.Dokumente)
			}
			// the mail's text was taken over; the attachments get their own
			txt := p.settled(t, res.Dokumente[0].ID, 1)
			if !strings.Contains(txt.Text, "übersende") || txt.Methode != "posteingang" {
				t.Errorf("mail text %+v", txt)
			}
			if txt := p.settled(t, res.Dokumente[1].ID, 1); !strings.Contains(txt.Text, "12.000 EUR") {
				t.Errorf("attachment text %+v", txt)
			}

			// 120 attachments: stored, the first 100 taken over, the rest said
			var many [][2]string
			for i := 1; i <= 120; i++ {
				many = append(many, [2]string{fmt.Sprintf("anlage-%02d.txt", i), fmt.Sprintf("Anlage Nummer %d", i)})
			}
			big := p.receive(t, records.QuelleIMAP, "box|1|2", "<u2@example.org>", "viele.eml", mailWith("Viele Anlagen", "a@example.org", "<u2@example.org>", "siehe Anlagen", "utf-8", many...))
			got = p.settledPost(t, big.ID)
			if got.Texterkennung.Status != records.TextErkannt || len(got.Anhaenge) != intake.MaxPostAttachments || !strings.Contains(got.Texterkennung.Grund, "20 von 120") {
				t.Errorf("120 attachments: %d taken, status %s (%s)", len(got.Anhaenge), got.Texterkennung.Status, got.Texterkennung.Grund)
			}
			// garbage instead of a mail, and a corrupt PDF: flagged, assignable
			bad := p.receive(t, records.QuelleOrdner, "scan-1", "", "scan.pdf", []byte("%PDF-1.7\ntrailer kaputt"))
			if got := p.settledPost(t, bad.ID); got.Texterkennung.Status != records.TextFehlgeschlagen || got.Texterkennung.Grund == "" {
				t.Errorf("corrupt pdf item %+v", got.Texterkennung)
			}
			if _, err := p.f.Svc.AssignPost(ctx, p.f.Anna, bad.ID, records.Zuordnung{AkteID: p.vg.AkteID, VorgangBetreff: "Scan"}); err != nil {
				t.Errorf("assigning a flagged item: %v", err)
			}
		})
	}
}

func bytesLatin1(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}
