package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Thumbnail states on every backend (migration 00015): new versions and
// Posteingang items are ausstehend and listed for the sweeper oldest first,
// bounded and only when older than the given time; eingereiht, erstellt and
// keine take them out of that list; eingereiht never replaces a state a job
// has set; an item's thumbnail is opened with the item's checks and kept
// as a referenced blob.

func init() {
	moreCases = append(moreCases, Case{"MiniaturStatus", testMiniaturStatus})
}

func testMiniaturStatus(t *testing.T, f *Fixture) {
	ctx := context.Background()
	plan := f.Plan(t, f.Anna, "1", "Organisation")
	vg := f.Vorgang(t, f.Anna, f.Akte(t, f.Anna, plan.ID, "Akte").ID, "Vorgang")
	t0 := f.Clock.Now().Truncate(time.Microsecond) // as stored
	pdf, _ := f.Dokument(t, f.Anna, vg.ID, "PDF", "a.pdf", []byte("%PDF-1.4 eins"))
	f.Clock.Advance(time.Second)
	txt, _ := f.Dokument(t, f.Anna, vg.ID, "Text", "b.txt", []byte("zwei"))
	f.Clock.Advance(time.Second)
	bild, _ := f.Dokument(t, f.Anna, vg.ID, "Bild", "c.png", []byte("\x89PNG\r\n\x1a\n drei"))
	f.Clock.Advance(time.Second)

	pending := func(before time.Time, limit int) string {
		t.Helper()
		vs, err := f.Svc.PendingMiniaturen(ctx, before, limit)
		mustOK(t, err)
		var s []string
		for _, v := range vs {
			if v.TenantID != f.Anna.TenantID || v.Nummer != 1 || v.MimeType == "" {
				t.Errorf("pending version %+v", v)
			}
			switch v.DokumentID {
			case pdf.ID:
				s = append(s, "pdf")
			case txt.ID:
				s = append(s, "txt")
			case bild.ID:
				s = append(s, "bild")
			default:
				s = append(s, v.DokumentID)
			}
		}
		return strings.Join(s, " ")
	}
	now := f.Clock.Now()
	if got := pending(now, 10); got != "pdf txt bild" {
		t.Fatalf("pending: %q", got)
	}
	if got := pending(now, 2); got != "pdf txt" {
		t.Errorf("pending, limit 2: %q", got)
	}
	if got := pending(t0.Add(1500*time.Millisecond), 10); got != "pdf txt" {
		t.Errorf("pending before the third: %q", got)
	}
	if got := pending(t0, 10); got != "" {
		t.Errorf("pending before the first: %q", got)
	}

	// the sweeper's marks take them out of the list
	mustOK(t, f.Svc.MarkMiniatur(ctx, txt.ID, 1, records.MiniaturKeine))
	mustOK(t, f.Svc.MarkMiniatur(ctx, pdf.ID, 1, records.MiniaturEingereiht))
	if got := pending(now, 10); got != "bild" {
		t.Errorf("after marks: %q", got)
	}
	// a thumbnail made: erstellt; eingereiht afterwards changes nothing
	sha, err := f.Svc.StoreDerived(ctx, strings.NewReader("png of the picture"))
	mustOK(t, err)
	mustOK(t, f.Svc.SaveMiniatur(ctx, bild.ID, 1, sha))
	mustOK(t, f.Svc.MarkMiniatur(ctx, bild.ID, 1, records.MiniaturEingereiht))
	if got := pending(now, 10); got != "" {
		t.Errorf("after the thumbnail: %q", got)
	}
	if _, fh, err := f.Svc.OpenMiniatur(ctx, f.Anna, bild.ID); err != nil {
		t.Errorf("thumbnail after a late eingereiht: %v", err)
	} else {
		fh.Close()
	}
	// removing the reference makes it ausstehend again
	mustOK(t, f.Svc.SaveMiniatur(ctx, bild.ID, 1, ""))
	if got := pending(now, 10); got != "bild" {
		t.Errorf("after removing the thumbnail: %q", got)
	}
	// a new version is ausstehend of its own
	f.Clock.Advance(time.Second)
	c := peContent(t, f, f.Anna, "a2.pdf", "%PDF-1.4 zwei")
	v2, err := f.Svc.AddVersion(ctx, f.Anna, pdf.ID, c)
	mustOK(t, err)
	vs, err := f.Svc.PendingMiniaturen(ctx, f.Clock.Now().Add(time.Second), 10)
	mustOK(t, err)
	if len(vs) != 2 || vs[1].DokumentID != pdf.ID || vs[1].Nummer != v2.Nummer {
		t.Errorf("pending after a new version: %+v", vs)
	}
	wantKind(t, f.Svc.MarkMiniatur(ctx, pdf.ID, 9, records.MiniaturKeine), apperr.KindNotFound)
	wantKind(t, f.Svc.MarkMiniatur(ctx, "0190c0de-0000-7000-8000-000000000000", 1, records.MiniaturKeine), apperr.KindNotFound)

	// Posteingang items
	sys, err := f.Svc.SystemPrincipal(ctx, "TFM")
	mustOK(t, err)
	f.Clock.Advance(time.Second)
	scan, _, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleUpload, Content: peContent(t, f, sys, "scan.pdf", "%PDF-1.4 scan")})
	mustOK(t, err)
	f.Clock.Advance(time.Second)
	mail, _, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleUpload, Content: peContent(t, f, sys, "brief.txt", "Brief")})
	mustOK(t, err)
	f.Clock.Advance(time.Second)
	postPending := func(before time.Time) string {
		t.Helper()
		items, err := f.Svc.PendingPostMiniaturen(ctx, before, 10)
		mustOK(t, err)
		var s []string
		for _, it := range items {
			s = append(s, it.Dateiname)
		}
		return strings.Join(s, " ")
	}
	if got := postPending(f.Clock.Now()); got != "scan.pdf brief.txt" {
		t.Fatalf("pending items: %q", got)
	}
	if got := postPending(scan.EingegangenAm); got != "" {
		t.Errorf("pending items before the first: %q", got)
	}
	// no thumbnail yet: 404
	_, _, err = f.Svc.OpenPostMiniatur(ctx, f.Anna, scan.ID)
	wantKind(t, err, apperr.KindNotFound)
	mustOK(t, f.Svc.SavePostMiniatur(ctx, mail.ID, "", records.MiniaturKeine))
	psha, err := f.Svc.StoreDerived(ctx, strings.NewReader("png of the scan"))
	mustOK(t, err)
	mustOK(t, f.Svc.SavePostMiniatur(ctx, scan.ID, psha, ""))
	mustOK(t, f.Svc.SavePostMiniatur(ctx, scan.ID, "", records.MiniaturEingereiht)) // too late: kept
	if got := postPending(f.Clock.Now()); got != "" {
		t.Errorf("pending items after the job: %q", got)
	}
	it, fh, err := f.Svc.OpenPostMiniatur(ctx, f.Anna, scan.ID)
	mustOK(t, err)
	if got := string(readAll(t, fh)); got != "png of the scan" || it.MiniaturSHA256 != psha {
		t.Errorf("item thumbnail %q (%s)", got, it.MiniaturSHA256)
	}
	if got, err := f.Svc.GetPost(ctx, f.Anna, scan.ID); err != nil || got.MiniaturSHA256 != psha {
		t.Errorf("item: %+v %v", got, err)
	}
	// another tenant: 404 as for an unknown item; without Posteingang rights: 403
	_, _, err = f.Svc.OpenPostMiniatur(ctx, f.Carla, scan.ID)
	wantKind(t, err, apperr.KindNotFound)
	_, _, err = f.Svc.OpenPostMiniatur(ctx, f.Anna, "0190c0de-0000-7000-8000-000000000000")
	wantKind(t, err, apperr.KindNotFound)
	_, _, err = f.Svc.OpenPostMiniatur(ctx, f.Bernd, scan.ID)
	wantKind(t, err, apperr.KindForbidden)
	wantKind(t, f.Svc.SavePostMiniatur(ctx, "0190c0de-0000-7000-8000-000000000000", "", records.MiniaturKeine), apperr.KindNotFound)

	// both thumbnails are referenced blobs
	mustOK(t, f.Svc.SaveMiniatur(ctx, bild.ID, 1, sha))
	mustOK(t, f.Svc.Store().Read(ctx, func(tx records.Tx) error {
		walked := map[string]bool{}
		if err := tx.WalkBlobRefs(ctx, func(s string) error { walked[s] = true; return nil }); err != nil {
			return err
		}
		for _, s := range []string{sha, psha} {
			ok, err := tx.BlobReferenced(ctx, s)
			if err != nil {
				return err
			}
			if !ok || !walked[s] {
				t.Errorf("thumbnail blob %s: referenced %v, walked %v", s, ok, walked[s])
			}
		}
		return nil
	}))
}
