package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/records"
	"aktenwerk/internal/testutil"
)

// TestUIMiniatur: thumbnails of first pages, rendered by the job's work
// (intake.ThumbJobs.Make) with the real pdftoppm for a PDF and in Go for a
// PNG, served on /dokumente/{id}/miniatur and shown on the Vorgang and
// Dokument pages; a corrupt PDF gets none (placeholder, 404), another
// tenant's thumbnail is the same 404 page as an unknown id, and the blob
// store keeps the thumbnail as referenced.
func TestUIMiniatur(t *testing.T) {
	pdftoppm := testutil.NeedTool(t, "pdftoppm")
	tools := &extract.Tools{All: []extract.Tool{{Name: extract.ToolPdftoppm, Path: pdftoppm, Available: true}}}
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		th := &intake.ThumbJobs{Svc: e.f.Svc, Tools: tools, Thumb: extract.ThumbOptions{TempDir: t.TempDir()}}
		pdf, _ := e.f.Dokument(t, e.f.Bernd, e.vorgang.ID, "Antrag Müller", "antrag.pdf", samplePDF("Antrag auf Zulassung"))
		bild, _ := e.f.Dokument(t, e.f.Bernd, e.vorgang.ID, "Lageplan", "lageplan.png", testPNG(t, 400, 300))
		kaputt, _ := e.f.Dokument(t, e.f.Bernd, e.vorgang.ID, "Kaputtes PDF", "kaputt.pdf", []byte("%PDF-1.4\n1 0 obj kaputt\n%%EOF\n"))
		text, _ := e.f.Dokument(t, e.f.Bernd, e.vorgang.ID, "Vermerk", "vermerk.txt", []byte("Vermerk\n"))

		c := e.client()
		c.signIn()
		// before the job: no thumbnail anywhere, placeholders
		wantPage(t, c.get("/dokumente/"+pdf.ID+"/miniatur"), 404, "Seite nicht gefunden")
		p := c.get("/vorgaenge/" + e.vorgang.ID)
		wantPage(t, p, 200, "miniatur-platzhalter")
		if strings.Contains(p.body, "/miniatur\"") {
			t.Fatalf("thumbnail before the job:\n%s", p.body)
		}

		for _, d := range []records.Dokument{pdf, bild, kaputt, text} {
			if err := th.Make(ctx, d.ID, 1); err != nil {
				t.Fatalf("%s: %v", d.Betreff, err)
			}
		}

		check := func(id string, wantW, wantH int) []byte {
			t.Helper()
			r := c.get("/dokumente/" + id + "/miniatur")
			if r.status != 200 || r.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.header.Get("Cache-Control"), "private") {
				t.Fatalf("thumbnail %s: %d %v %.300s", id, r.status, r.header, r.body)
			}
			img, err := png.Decode(strings.NewReader(r.body))
			if err != nil {
				t.Fatalf("thumbnail %s is no PNG: %v", id, err)
			}
			if b := img.Bounds(); b.Dx() != wantW || (wantH > 0 && (b.Dy() < wantH-1 || b.Dy() > wantH+1)) {
				t.Fatalf("thumbnail %s: %v, want %d × %d", id, b, wantW, wantH)
			}
			return []byte(r.body)
		}
		pdfPNG := check(pdf.ID, 160, 160*842/595) // A4 portrait
		check(bild.ID, 160, 120)
		// the PDF's page is white with black text: some dark pixels
		if img, _ := png.Decode(bytes.NewReader(pdfPNG)); !hasDark(img) {
			t.Error("PDF thumbnail shows nothing")
		}
		wantPage(t, c.get("/dokumente/"+kaputt.ID+"/miniatur"), 404, "Seite nicht gefunden")
		wantPage(t, c.get("/dokumente/"+text.ID+"/miniatur"), 404, "Seite nicht gefunden")

		p = c.get("/vorgaenge/" + e.vorgang.ID)
		wantPage(t, p, 200,
			`<img class="miniatur-klein" src="/dokumente/`+pdf.ID+`/miniatur" alt="Erste Seite von Antrag Müller" width="40" loading="lazy"`,
			`src="/dokumente/`+bild.ID+`/miniatur" alt="Erste Seite von Lageplan"`, "miniatur-platzhalter")
		if strings.Contains(p.body, `/dokumente/`+kaputt.ID+`/miniatur`) {
			t.Error("corrupt PDF has a thumbnail in the table")
		}
		wantPage(t, c.get("/dokumente/"+pdf.ID), 200, `class="miniatur-gross" src="/dokumente/`+pdf.ID+`/miniatur" alt="Erste Seite von Antrag Müller"`)
		wantPage(t, c.get("/dokumente/"+kaputt.ID), 200, "miniatur-platzhalter", "Keine Miniatur vorhanden")

		// the thumbnail is a referenced blob: the blob clean-up keeps it
		v, f, err := e.f.Svc.OpenMiniatur(ctx, e.f.Bernd, pdf.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := e.f.Svc.Store().Read(ctx, func(tx records.Tx) error {
			ok, err := tx.BlobReferenced(ctx, v.SHA256)
			if err == nil && !ok {
				t.Errorf("thumbnail blob %s not referenced", v.SHA256)
			}
			found := false
			err2 := tx.WalkBlobRefs(ctx, func(sha string) error { found = found || sha == v.SHA256; return nil })
			if err2 == nil && !found {
				t.Errorf("thumbnail blob %s not walked", v.SHA256)
			}
			if err == nil {
				err = err2
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}

		// another tenant's Dokument with a thumbnail: the same 404 page as an unknown id
		fvg, err := e.f.Svc.CreateVorgang(ctx, e.f.Carla, e.fremdeAkte.ID, "Sitzung Januar", nil)
		if err != nil {
			t.Fatal(err)
		}
		fremd, _ := e.f.Dokument(t, e.f.Carla, fvg.ID, "Tagesordnung", "to.pdf", samplePDF("Tagesordnung"))
		if err := th.Make(ctx, fremd.ID, 1); err != nil {
			t.Fatal(err)
		}
		if _, f, err := e.f.Svc.OpenMiniatur(ctx, e.f.Carla, fremd.ID); err != nil {
			t.Fatalf("own tenant: %v", err)
		} else {
			f.Close()
		}
		foreign := c.get("/dokumente/" + fremd.ID + "/miniatur")
		unknown := c.get("/dokumente/0190c0de-0000-7000-8000-000000000000/miniatur")
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		wantPage(t, unknown, 404, "Seite nicht gefunden")
		strip := func(s string) string { return regexp.MustCompile(`name="csrf" value="[^"]*"`).ReplaceAllString(s, "") }
		if strip(foreign.body) != strip(unknown.body) {
			t.Errorf("foreign and unknown thumbnail differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
	})
}

func testPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hasDark(img image.Image) bool {
	if img == nil {
		return false
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				return true
			}
		}
	}
	return false
}

// TestUIPostMiniatur: Posteingang items get thumbnails from the same job
// (intake.ThumbJobs.MakePost, real pdftoppm); the list and the item page
// show them, /posteingang/{id}/miniatur serves the PNG with the item's
// checks: another tenant's item is the same 404 page as an unknown id, a
// Sachbearbeiterin without Posteingang rights gets the 403 page, an item
// without thumbnail the 404 page and a placeholder.
func TestUIPostMiniatur(t *testing.T) {
	pdftoppm := testutil.NeedTool(t, "pdftoppm")
	tools := &extract.Tools{All: []extract.Tool{{Name: extract.ToolPdftoppm, Path: pdftoppm, Available: true}}}
	forUIBackends(t, func(t *testing.T, e *uiEnv) {
		ctx := context.Background()
		th := &intake.ThumbJobs{Svc: e.f.Svc, Tools: tools, Thumb: extract.ThumbOptions{TempDir: t.TempDir()}}
		scan := e.postItem("TFM", "Eingang_Rechnung.pdf", string(samplePDF("Rechnung Nr. 4711")), "")
		brief := e.postItem("TFM", "Brief.txt", "Sehr geehrte Damen und Herren", "")
		fremd := e.postItem("TSK", "Tagesordnung.pdf", string(samplePDF("Tagesordnung")), "")

		c := e.client()
		c.signInAs("TFM", "anna")
		wantPage(t, c.get("/posteingang/"+scan.ID+"/miniatur"), 404, "Seite nicht gefunden")
		if p := c.get("/posteingang"); !strings.Contains(p.body, "miniatur-platzhalter") || strings.Contains(p.body, "/miniatur\"") {
			t.Fatalf("list before the job:\n%s", p.body)
		}
		for _, id := range []string{scan.ID, brief.ID, fremd.ID} {
			if err := th.MakePost(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		r := c.get("/posteingang/" + scan.ID + "/miniatur")
		if r.status != 200 || r.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.header.Get("Cache-Control"), "private") {
			t.Fatalf("item thumbnail: %d %v %.200s", r.status, r.header, r.body)
		}
		img, err := png.Decode(strings.NewReader(r.body))
		if err != nil || img.Bounds().Dx() != 160 || !hasDark(img) {
			t.Fatalf("item thumbnail: %v %v", img, err)
		}
		wantPage(t, c.get("/posteingang"), 200,
			`<img class="miniatur-klein" src="/posteingang/`+scan.ID+`/miniatur" alt="Erste Seite von Eingang_Rechnung.pdf" width="40" loading="lazy"`,
			"miniatur-platzhalter")
		wantPage(t, c.get("/posteingang/"+scan.ID), 200, `class="miniatur-gross" src="/posteingang/`+scan.ID+`/miniatur" alt="Erste Seite von Eingang_Rechnung.pdf"`)
		wantPage(t, c.get("/posteingang/"+brief.ID), 200, "miniatur-platzhalter", "Keine Miniatur vorhanden")
		wantPage(t, c.get("/posteingang/"+brief.ID+"/miniatur"), 404, "Seite nicht gefunden")

		// another tenant's item (it has a thumbnail): as unknown
		foreign := c.get("/posteingang/" + fremd.ID + "/miniatur")
		unknown := c.get("/posteingang/0190c0de-0000-7000-8000-000000000000/miniatur")
		wantPage(t, foreign, 404, "Seite nicht gefunden")
		strip := func(s string) string { return regexp.MustCompile(`name="csrf" value="[^"]*"`).ReplaceAllString(s, "") }
		if strip(foreign.body) != strip(unknown.body) {
			t.Errorf("foreign and unknown item thumbnail differ:\n%s\n---\n%s", foreign.body, unknown.body)
		}
		if it, err := e.f.Svc.GetPost(ctx, e.f.Carla, fremd.ID); err != nil || it.MiniaturSHA256 == "" {
			t.Errorf("the foreign item has its thumbnail: %v %v", it.MiniaturSHA256, err)
		}
		// Sachbearbeitung: no Posteingang, no thumbnails of it
		b := e.client()
		b.signIn()
		wantPage(t, b.get("/posteingang/"+scan.ID+"/miniatur"), 403)
	})
}
