package storetest

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// The Posteingang on every backend: filing from sources without
// duplicates, visibility per unit and tenant, suggestions from Aktenzeichen
// in the text, and assignment (to a Vorgang, a new Vorgang, a new Akte) as
// one audited transaction.

func init() {
	moreCases = append(moreCases,
		Case{"PosteingangReceive", testPostReceive},
		Case{"PosteingangAssign", testPostAssign},
	)
}

func peContent(t *testing.T, f *Fixture, p records.Principal, name, content string) records.Content {
	t.Helper()
	c, err := f.Svc.StoreContent(context.Background(), p, bytes.NewReader([]byte(content)), name)
	mustOK(t, err)
	return c
}

func peIDs(items []records.PostItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func testPostReceive(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, _, _ = ntkUnits(t, f)
	rita := ntkUser(t, f, "TFM", "rita", []access.Role{access.RoleRegistratur}, ntkMember("Z1", "registratur"))
	rolf := ntkUser(t, f, "TFM", "rolf", []access.Role{access.RoleRegistratur}, ntkMember("Z2", "registratur"))
	sys, err := f.Svc.SystemPrincipal(ctx, "TFM")
	mustOK(t, err)

	// a file from the watch folder, for unit Z1
	c := peContent(t, f, sys, "scan-0001.pdf", "%PDF-1.4 scan")
	in := records.PostIn{Quelle: records.QuelleOrdner, SourceRef: "Z1/scan-0001.pdf|" + c.SHA256, Einheit: "Z1", Content: c}
	it, created, err := f.Svc.ReceivePost(ctx, sys, in)
	mustOK(t, err)
	if !created || it.Status != records.PostOffen || it.Einheit == nil || *it.Einheit != "Z1" || it.Betreff != "scan-0001.pdf" || it.Texterkennung.Status != records.TextAusstehend {
		t.Fatalf("item %+v created=%v", it, created)
	}
	// offered again (after a crash before the file was moved): the same item
	again, created, err := f.Svc.ReceivePost(ctx, sys, in)
	mustOK(t, err)
	if created || again.ID != it.ID {
		t.Errorf("second offer created %v id %s, want the first %s", created, again.ID, it.ID)
	}
	// a mail: known by its Message-ID, also from another mailbox reference
	mc := peContent(t, f, sys, "mail.eml", "From: a@example.org\r\nSubject: Test\r\n\r\nHallo")
	mail, created, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleIMAP, SourceRef: "poststelle|1|7", MessageID: "<abc@example.org>",
		Betreff: "Antrag", Absender: "Erika Muster <a@example.org>", Content: mc})
	mustOK(t, err)
	dup, created2, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleIMAP, SourceRef: "poststelle|2|1", MessageID: "<abc@example.org>", Content: mc})
	mustOK(t, err)
	if !created || created2 || dup.ID != mail.ID {
		t.Errorf("mail twice: %v %v %s %s", created, created2, dup.ID, mail.ID)
	}
	if mail.MessageID != "abc@example.org" {
		t.Errorf("Message-ID stored as %q", mail.MessageID)
	}
	// an upload by the Registratur of Z2 for its unit
	up, _, err := f.Svc.ReceivePost(ctx, rolf, records.PostIn{Quelle: records.QuelleUpload, Einheit: "Z2", Betreff: "Rechnung", Content: peContent(t, f, rolf, "r.txt", "Rechnung")})
	mustOK(t, err)
	_, _, err = f.Svc.ReceivePost(ctx, rolf, records.PostIn{Quelle: records.QuelleUpload, Einheit: "Z1", Content: c})
	ntkField(t, "upload for another unit", err, "einheit")
	_, _, err = f.Svc.ReceivePost(ctx, rolf, records.PostIn{Quelle: records.QuelleUpload, Einheit: "Q9", Content: c})
	ntkField(t, "unknown unit", err, "einheit")
	_, _, err = f.Svc.ReceivePost(ctx, rolf, records.PostIn{Quelle: "fax", Content: c})
	ntkField(t, "unknown source", err, "quelle")
	_, _, err = f.Svc.ReceivePost(ctx, f.Bernd, records.PostIn{Quelle: records.QuelleUpload, Content: c})
	wantKind(t, err, apperr.KindForbidden) // Sachbearbeitung does not file post

	// who sees what: unit items to their unit (and above), tenant-wide items to every Registratur
	list := func(p records.Principal, flt records.PostFilter) []string {
		l, err := f.Svc.ListPost(ctx, p, flt, records.Page{Limit: 50})
		mustOK(t, err)
		return peIDs(l)
	}
	if got := list(rita, records.PostFilter{}); !slices.Equal(got, []string{mail.ID, it.ID}) {
		t.Errorf("rita sees %v, want mail and scan (newest first)", got)
	}
	if got := list(rolf, records.PostFilter{}); !slices.Equal(got, []string{up.ID, mail.ID}) {
		t.Errorf("rolf sees %v", got)
	}
	if got := list(f.Anna, records.PostFilter{Einheit: "Z2"}); !slices.Equal(got, []string{}) && got != nil {
		t.Errorf("anna (no unit) filtered to Z2 sees %v", got)
	}
	if got := list(sys, records.PostFilter{Einheit: "Z2"}); !slices.Equal(got, []string{up.ID}) {
		t.Errorf("system filtered to Z2: %v", got)
	}
	_, err = f.Svc.GetPost(ctx, rolf, it.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.GetPost(ctx, f.Carla, it.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.ListPost(ctx, f.Carla, records.PostFilter{}, records.Page{Limit: 10})
	mustOK(t, err)
	if got := list(f.Carla, records.PostFilter{Status: "alle"}); len(got) != 0 {
		t.Errorf("carla (TSK) sees TFM post: %v", got)
	}
	_, _, _, _, err = f.Svc.PostContent(ctx, rolf, it.ID, 0)
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.ListPost(ctx, rita, records.PostFilter{Status: "weg"}, records.Page{Limit: 10})
	ntkField(t, "bad status", err, "status")

	// paging newest first without repeats
	var seen []string
	pg := records.Page{Limit: 1}
	for {
		l, err := f.Svc.ListPost(ctx, sys, records.PostFilter{Status: "alle"}, pg)
		mustOK(t, err)
		if len(l) == 0 {
			break
		}
		seen = append(seen, l[0].ID)
		pg.After = l[0].ID
	}
	if !slices.Equal(seen, []string{up.ID, mail.ID, it.ID}) {
		t.Errorf("paged %v", seen)
	}
}

func testPostAssign(t *testing.T, f *Fixture) {
	ctx := context.Background()
	_, _, _ = ntkUnits(t, f)
	rita := ntkUser(t, f, "TFM", "rita", []access.Role{access.RoleRegistratur}, ntkMember("Z1", "registratur"))
	zora := ntkUser(t, f, "TFM", "zora", nil, ntkMember("Z2", "sachbearbeitung"))
	sys, err := f.Svc.SystemPrincipal(ctx, "TFM")
	mustOK(t, err)
	pos := f.Plan(t, f.Anna, "511", "Kindertagesbetreuung")
	akte := f.Akte(t, rita, pos.ID, "Förderung Kita Sonnenschein")
	vg := f.Vorgang(t, rita, akte.ID, "Antrag 2026")
	hidden := f.Vorgang(t, zora, f.Akte(t, zora, pos.ID, "Haushalt Z2").ID, "Geheim")

	// recognition: the text names our Vorgang (and one rita may not see)
	c := peContent(t, f, sys, "brief.pdf", "%PDF-1.4 brief")
	it, _, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleOrdner, SourceRef: "brief", Content: c})
	mustOK(t, err)
	mustOK(t, f.Svc.SetPostRecognition(ctx, it.ID, records.PostRecognition{Status: records.TextErkannt,
		Text: "Ihr Zeichen: " + vg.Aktenzeichen + ", siehe auch " + hidden.Aktenzeichen + ". Wir bitten um Auszahlung der Förderung."}))
	got, err := f.Svc.GetPost(ctx, rita, it.ID)
	mustOK(t, err)
	if len(got.Vorschlaege) != 1 || got.Vorschlaege[0].ID != vg.ID || got.Vorschlaege[0].Titel != "Antrag 2026" {
		t.Errorf("suggestions for rita: %+v (the Vorgang of Z2 must not be shown)", got.Vorschlaege)
	}
	if got, err := f.Svc.GetPost(ctx, sys, it.ID); err != nil || len(got.Vorschlaege) != 2 {
		t.Errorf("suggestions for the system: %+v %v", got.Vorschlaege, err)
	}

	// a failed assignment changes nothing
	_, err = f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{VorgangID: hidden.ID})
	wantKind(t, err, apperr.KindNotFound)
	_, err = f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{NeueAkte: &records.NewAkte{AktenplanID: "gibt-es-nicht", Titel: "X"}})
	ntkField(t, "new Akte under an unknown position", err, "aktenplan_id")
	_, err = f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{})
	ntkField(t, "no target", err, "vorgang_id")
	_, err = f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{VorgangID: vg.ID, AkteID: akte.ID})
	ntkField(t, "two targets", err, "vorgang_id")
	_, err = f.Svc.AssignPost(ctx, f.Bernd, it.ID, records.Zuordnung{VorgangID: vg.ID})
	wantKind(t, err, apperr.KindForbidden)
	if l, err := f.Svc.ListAkten(ctx, f.Anna, records.AkteFilter{}, records.Page{Limit: 50}); err != nil || len(l) != 0 {
		t.Errorf("anna (tenant-wide only) sees Akten after failed assignments: %d %v", len(l), err)
	}

	// assignment to the suggested Vorgang
	res, err := f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{VorgangID: vg.ID, Typ: "Antrag"})
	mustOK(t, err)
	if len(res.Dokumente) != 1 || res.Item.Status != records.PostZugeordnet || res.Item.VorgangID == nil || *res.Item.VorgangID != vg.ID ||
		res.Item.ZugeordnetVon == nil || *res.Item.ZugeordnetVon != "rita" || !slices.Equal(res.Item.DokumentIDs, []string{res.Dokumente[0].ID}) {
		t.Fatalf("assignment %+v", res)
	}
	d := res.Dokumente[0]
	if d.Betreff != "brief.pdf" || d.Typ != "Antrag" || d.Eingangsdatum == nil {
		t.Errorf("Dokument %+v", d)
	}
	if content, err := ntkDownload(f, rita, d.ID); err != nil || content != "%PDF-1.4 brief" {
		t.Errorf("content %q %v", content, err)
	}
	// the recognised text came along: found by search without recognising again
	txt, err := f.Svc.DokumentText(ctx, rita, d.ID)
	if err != nil || txt.Status != records.TextErkannt || !strings.Contains(txt.Text, "Auszahlung") {
		t.Errorf("text %+v %v", txt, err)
	}
	srIndex(t, f)
	srWant(t, f, rita, "Auszahlung", d.ID)
	if es := ntkAuditOf(t, f, rita.TenantID, it.ID, "posteingang.zuordnung"); len(es) != 1 || es[0].Actor != "rita" {
		t.Errorf("audit %s", ntkEntries(es))
	}
	_, err = f.Svc.AssignPost(ctx, rita, it.ID, records.Zuordnung{VorgangID: vg.ID})
	wantKind(t, err, apperr.KindConflict)
	if l, _ := f.Svc.ListPost(ctx, rita, records.PostFilter{}, records.Page{Limit: 10}); len(l) != 0 {
		t.Errorf("assigned item still open: %v", peIDs(l))
	}

	// a mail with attachments: the .eml plus one Dokument per attachment,
	// in a new Akte and Vorgang made in the same step
	mc := peContent(t, f, sys, "mail.eml", "From: a@example.org\r\nSubject: Antrag\r\n\r\nsiehe Anlagen")
	mail, _, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleIMAP, SourceRef: "m1", Content: mc})
	mustOK(t, err)
	a1 := peContent(t, f, sys, "anlage1.pdf", "%PDF-1.4 anlage 1")
	a2 := peContent(t, f, sys, "anlage2.txt", "Anlage zwei")
	mustOK(t, f.Svc.SetPostRecognition(ctx, mail.ID, records.PostRecognition{Status: records.TextErkannt, Text: "siehe Anlagen",
		Betreff: "Antrag auf Förderung", Absender: "Erika Muster <a@example.org>", MessageID: "<m1@example.org>",
		Anhaenge: []records.PostAnhang{{Nr: 1, Dateiname: "anlage1.pdf", SHA256: a1.SHA256, Size: a1.Size, MimeType: a1.MimeType},
			{Nr: 2, Dateiname: "anlage2.txt", SHA256: a2.SHA256, Size: a2.Size, MimeType: a2.MimeType}}}))
	if _, _, _, _, err := f.Svc.PostContent(ctx, rita, mail.ID, 2); err != nil {
		t.Errorf("attachment 2: %v", err)
	}
	res, err = f.Svc.AssignPost(ctx, rita, mail.ID, records.Zuordnung{NeueAkte: &records.NewAkte{AktenplanID: pos.ID, Titel: "Förderantrag Muster"}})
	mustOK(t, err)
	if res.Akte == nil || res.Akte.Titel != "Förderantrag Muster" || res.Vorgang.AkteID != res.Akte.ID || res.Vorgang.Betreff != "Antrag auf Förderung" || len(res.Dokumente) != 3 {
		t.Fatalf("mail assignment %+v", res)
	}
	if d := res.Dokumente[0]; d.Typ != "E-Mail" || d.Betreff != "Antrag auf Förderung" || d.Absender != "Erika Muster <a@example.org>" {
		t.Errorf("mail Dokument %+v", d)
	}
	if d := res.Dokumente[2]; d.Betreff != "anlage2.txt" || d.Typ != "Eingang" {
		t.Errorf("attachment Dokument %+v", d)
	}
	if content, err := ntkDownload(f, rita, res.Dokumente[1].ID); err != nil || content != "%PDF-1.4 anlage 1" {
		t.Errorf("attachment content %q %v", content, err)
	}
	// blobs of the Posteingang are referenced: fsck finds nothing to collect
	rep, err := f.Svc.Fsck(ctx, records.FsckOptions{Grace: time.Nanosecond})
	mustOK(t, err)
	if len(rep.Orphans) != 0 || len(rep.Missing) != 0 {
		t.Errorf("fsck: %+v", rep)
	}
}
