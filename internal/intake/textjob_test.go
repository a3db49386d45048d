package intake_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"aktenwerk/internal/demo"
	"aktenwerk/internal/intake"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/testutil"
)

// pipeline is a records service with a job runner doing text recognition.
type pipeline struct {
	f     *storetest.Fixture
	queue *jobs.Store
	tj    *intake.TextJobs
	vg    records.Vorgang
}

func newPipeline(t *testing.T, b storetest.Backend, tools *extract.Tools, configure ...func(*intake.TextJobs)) *pipeline {
	t.Helper()
	f := storetest.NewFixture(t, b.Open)
	q, err := jobs.New(f.DB, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tj := &intake.TextJobs{Svc: f.Svc, Queue: q, Tools: tools, TempDir: t.TempDir(), MaxAttempts: 2,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
	for _, c := range configure {
		c(tj)
	}
	r := q.NewRunner(jobs.RunnerOptions{PollInterval: 20 * time.Millisecond})
	if err := tj.Register(r); err != nil {
		t.Fatal(err)
	}
	if err := tj.RegisterPost(r); err != nil {
		t.Fatal(err)
	}
	f.Svc.SetOnVersion(tj.OnVersion)
	f.Svc.SetOnPost(tj.OnPost)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	plan := f.Plan(t, f.Anna, "511", "Kindertagesbetreuung")
	akte := f.Akte(t, f.Anna, plan.ID, "Förderung")
	return &pipeline{f: f, queue: q, tj: tj, vg: f.Vorgang(t, f.Anna, akte.ID, "Anträge 2026")}
}

// settled waits until the Dokument's text state is final (erkannt,
// fehlgeschlagen, nicht_unterstuetzt) for version v, and returns it. The
// bound only keeps a broken pipeline from hanging the test.
func (p *pipeline) settled(t *testing.T, id string, v int) records.DokumentText {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		txt, err := p.f.Svc.DokumentText(context.Background(), p.f.Anna, id)
		if err == nil && txt.Version == v && txt.Status != records.TextAusstehend && txt.Status != records.TextLaeuft {
			return txt
		}
		if time.Now().After(deadline) {
			t.Fatalf("text of %s v%d never settled: %+v %v", id, v, txt, err)
		}
	}
}

func (p *pipeline) upload(t *testing.T, name string, content []byte) records.Dokument {
	d, _ := p.f.Dokument(t, p.f.Anna, p.vg.ID, name, name, content)
	return d
}

// renderText draws German text as a 300 dpi scan would show it.
func renderText(t *testing.T, lines ...string) *image.Gray {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 14, DPI: 300, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	img := image.NewGray(image.Rect(0, 0, 2480, 300+90*len(lines)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(200, 250+i*90)
		d.DrawString(l)
	}
	return img
}

func renderPNG(t *testing.T, lines ...string) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, renderText(t, lines...)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scannedPDF is a PDF whose only page is a JPEG image (a scanner's output:
// no text layer).
func scannedPDF(t *testing.T, img *image.Gray) []byte {
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	pw, ph := 595, 595*h/w
	content := fmt.Sprintf("q %d 0 0 %d 0 0 cm /Im0 Do Q", pw, ph)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", pw, ph),
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", w, h, jpg.Len(), jpg.String()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func searchIDs(t *testing.T, f *storetest.Fixture, q string) []string {
	t.Helper()
	if _, err := f.Svc.IndexPending(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	res, err := f.Svc.Search(context.Background(), f.Anna, records.SearchRequest{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Items {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestTextRecognitionJobs(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			testutil.NeedTool(t, "pdftotext")
			testutil.NeedTool(t, "tesseract")
			qpdf := testutil.NeedTool(t, "qpdf")
			p := newPipeline(t, b, nil)
			ctx := context.Background()

			// a PDF with a text layer
			pdf := demo.TextPDF("Bescheid", "Die Entschädigung für den Ausbildungsplatz in der Goethestraße wird bewilligt.")
			d1 := p.upload(t, "bescheid.pdf", pdf)
			txt := p.settled(t, d1.ID, 1)
			if txt.Status != records.TextErkannt || txt.Methode != extract.MethodPdftotext || !strings.Contains(txt.Text, "Entschädigung") || txt.Seiten != 1 {
				t.Fatalf("pdf: %+v", txt)
			}
			// a scan: OCR in German, text known because the test drew it
			d2 := p.upload(t, "scan.png", renderPNG(t, "Antrag auf Förderung der", "Kindertagesstätte Sonnenschein", "Fachkräfteinitiative Thüringen"))
			txt = p.settled(t, d2.ID, 1)
			if txt.Status != records.TextErkannt || !txt.OCR || !strings.Contains(txt.Text, "Sonnenschein") || !strings.Contains(txt.Text, "Fachkräfteinitiative") {
				t.Fatalf("ocr: %+v", txt)
			}
			// a scanned PDF: OCR, and a searchable PDF/A copy in the blob store
			testutil.NeedTool(t, "ocrmypdf")
			d8 := p.upload(t, "scan.pdf", scannedPDF(t, renderText(t, "Widerspruch gegen den Bescheid", "vom 12. März 2026 wegen Ausbildungsförderung")))
			txt = p.settled(t, d8.ID, 1)
			if txt.Status != records.TextErkannt || !txt.OCR || !strings.Contains(txt.Text, "Widerspruch") || txt.PDFASHA256 == "" {
				t.Fatalf("scanned pdf: %+v", txt)
			}
			v, fh, err := p.f.Svc.OpenSearchableCopy(ctx, p.f.Anna, d8.ID)
			if err != nil {
				t.Fatal(err)
			}
			copyPDF := make([]byte, v.Size)
			if _, err := io.ReadFull(fh, copyPDF); err != nil {
				t.Fatal(err)
			}
			fh.Close()
			copyPath := filepath.Join(t.TempDir(), "copy.pdf")
			os.WriteFile(copyPath, copyPDF, 0o600)
			if out, err := exec.Command(testutil.NeedTool(t, "pdftotext"), copyPath, "-").Output(); err != nil || !strings.Contains(string(out), "Widerspruch") {
				t.Errorf("the copy has no text layer: %v %q", err, out)
			}
			if !bytes.Contains(copyPDF, []byte("pdfaid")) {
				t.Errorf("the copy does not declare PDF/A")
			}
			if got := searchIDs(t, p.f, "Entschädigungen"); len(got) != 1 || got[0] != d1.ID {
				t.Errorf("search in the PDF text: %v", got)
			}
			if got := searchIDs(t, p.f, "Kindertagesstätte Sonnenschein"); len(got) != 1 || got[0] != d2.ID {
				t.Errorf("search in the OCR text: %v", got)
			}
			dd, err := p.f.Svc.GetDokument(ctx, p.f.Anna, d2.ID)
			if err != nil || dd.Texterkennung == nil || dd.Texterkennung.Status != "erkannt" || dd.Texterkennung.Methode != "ocr" {
				t.Errorf("Dokument status: %+v %v", dd.Texterkennung, err)
			}

			// bad input is stored and flagged, and the queue goes on
			d3 := p.upload(t, "kaputt.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage"))
			src := filepath.Join(t.TempDir(), "in.pdf")
			enc := filepath.Join(t.TempDir(), "enc.pdf")
			if err := os.WriteFile(src, pdf, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(qpdf, "--encrypt", "geheim", "geheim", "256", "--", src, enc).CombinedOutput(); err != nil {
				t.Fatalf("qpdf: %v %s", err, out)
			}
			d4 := p.upload(t, "geschuetzt.pdf", must(os.ReadFile(enc)))
			d5 := p.upload(t, "daten.bin", bytes.Repeat([]byte{0, 1, 2, 0xff, 0xfe}, 1000))
			d6 := p.upload(t, "danach.txt", []byte("Nach den kaputten Dateien: Zuwendungsbescheid"))
			for _, c := range []struct {
				d              records.Dokument
				status, reason string
			}{
				{d3, records.TextFehlgeschlagen, "beschädigt"},
				{d4, records.TextFehlgeschlagen, "kennwortgeschützt"},
				{d5, records.TextNichtUnterstuetzt, "nicht unterstützt"},
				{d6, records.TextErkannt, ""},
			} {
				txt := p.settled(t, c.d.ID, 1)
				if txt.Status != c.status || !strings.Contains(txt.Grund, c.reason) {
					t.Errorf("%s: %s (%s), want %s (%s)", c.d.Betreff, txt.Status, txt.Grund, c.status, c.reason)
				}
			}
			// content problems are not retried: no dead letters
			if dead, err := p.queue.ListDead(ctx, intake.KindText, "", 10); err != nil || len(dead) != 0 {
				t.Errorf("dead letters after bad content: %v %v", dead, err)
			}

			// a new version replaces the text of the old one
			c, err := p.f.Svc.StoreContent(ctx, p.f.Anna, strings.NewReader("Zweite Fassung: Verwendungsnachweis"), "danach.txt")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.f.Svc.AddVersion(ctx, p.f.Anna, d6.ID, c); err != nil {
				t.Fatal(err)
			}
			if txt := p.settled(t, d6.ID, 2); !strings.Contains(txt.Text, "Verwendungsnachweis") || strings.Contains(txt.Text, "Zuwendungsbescheid") {
				t.Errorf("version 2: %+v", txt)
			}

			// a lost job (crash between commit and enqueue) is found by the sweeper
			p.f.Svc.SetOnVersion(nil)
			d7 := p.upload(t, "verloren.txt", []byte("Wiedergefundener Auftrag"))
			time.Sleep(50 * time.Millisecond)
			if txt, _ := p.f.Svc.DokumentText(ctx, p.f.Anna, d7.ID); txt.Status != records.TextAusstehend {
				t.Fatalf("without the hook the text must wait: %+v", txt)
			}
			if n, err := p.tj.Sweep(ctx, 0); err != nil || n < 1 {
				t.Fatalf("sweep: %d %v", n, err)
			}
			if txt := p.settled(t, d7.ID, 1); txt.Status != records.TextErkannt {
				t.Errorf("swept: %+v", txt)
			}
		})
	}
}

// Missing tools never crash anything: the Dokument says what is missing,
// the job is retried and then lands in the dead-letter list, from where an
// operator retries it once the tool is installed.
func TestTextJobsMissingTool(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			p := newPipeline(t, b, &extract.Tools{}) // nothing installed
			ctx := context.Background()
			d := p.upload(t, "bescheid.pdf", demo.TextPDF("Bescheid", "Text"))
			txt := p.settled(t, d.ID, 1)
			if txt.Status != records.TextFehlgeschlagen || !strings.Contains(txt.Grund, "pdftotext") {
				t.Fatalf("missing pdftotext: %+v", txt)
			}
			var dead []jobs.Job
			for deadline := time.Now().Add(60 * time.Second); len(dead) == 0; time.Sleep(20 * time.Millisecond) {
				var err error
				if dead, err = p.queue.ListDead(ctx, intake.KindText, "", 10); err != nil {
					t.Fatal(err)
				}
				if time.Now().After(deadline) {
					t.Fatal("the job never became a dead letter")
				}
			}
			if len(dead) != 1 || !strings.Contains(dead[0].LastError, "pdftotext") || dead[0].Attempt != 2 || dead[0].TenantID != p.f.Anna.TenantID {
				t.Fatalf("dead letter: %+v", dead)
			}
		})
	}
}

// Limits: a file above the input limit and a zip bomb are flagged "zu
// groß" without unpacking them, and the queue goes on.
func TestTextJobsLimits(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			p := newPipeline(t, b, nil, func(tj *intake.TextJobs) {
				tj.Extract = extract.Options{MaxInputBytes: 512 << 10, MaxUnpackedBytes: 4 << 20}
			})
			big := p.upload(t, "gross.txt", bytes.Repeat([]byte("Langer Text. "), 60_000)) // 780 kB, under the upload limit
			var zb bytes.Buffer
			zw := zip.NewWriter(&zb)
			for name, size := range map[string]int{"[Content_Types].xml": 100, "word/document.xml": 64 << 20} {
				w, err := zw.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				chunk := bytes.Repeat([]byte("a"), 1<<20)
				for n := 0; n < size; n += len(chunk) {
					w.Write(chunk[:min(len(chunk), size-n)])
				}
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if zb.Len() > 512<<10 {
				t.Fatalf("the bomb is %d bytes packed; it must pass the input limit", zb.Len())
			}
			bomb := p.upload(t, "bombe.docx", zb.Bytes())
			fine := p.upload(t, "klein.txt", []byte("Kleiner Vermerk"))
			for _, c := range []struct {
				d      records.Dokument
				status string
			}{{big, records.TextFehlgeschlagen}, {bomb, records.TextFehlgeschlagen}, {fine, records.TextErkannt}} {
				txt := p.settled(t, c.d.ID, 1)
				if txt.Status != c.status || (c.status == records.TextFehlgeschlagen && !strings.Contains(txt.Grund, "zu groß")) {
					t.Errorf("%s: %s (%s)", c.d.Betreff, txt.Status, txt.Grund)
				}
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
