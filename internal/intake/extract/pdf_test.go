package extract

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

var bescheidLines = []string{
	"Bewilligungsbescheid über Ausbildungsförderung",
	"Sehr geehrte Frau Schüßler,",
	"Ihrem Antrag vom 12. März 2026 wird entsprochen.",
	"Landesamt für Soziales, Straße der Einheit 12",
}

var bescheidWords = []string{"Bewilligungsbescheid", "Ausbildungsförderung", "Schüßler", "Antrag", "entsprochen", "Landesamt", "Straße", "Einheit"}

func TestPDFTextLayer(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo)
	pdf := makePDF(t, []pdfPage{textLines(bescheidLines...), textLines("Zweite Seite: Rechtsbehelfsbelehrung", "Gegen diesen Bescheid kann Widerspruch erhoben werden.")}, nil)
	r, err := extractBytes(t, pdf, "application/pdf", Options{Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodPdftotext || r.Pages != 2 || r.OCR || r.MIME != "application/pdf" {
		t.Errorf("result %+v", r)
	}
	wantWords(t, r.Text, len(bescheidWords), bescheidWords...)
	pages := strings.Split(r.Text, "\f")
	if len(pages) != 2 || !strings.Contains(pages[1], "Rechtsbehelfsbelehrung") || strings.Contains(pages[0], "Widerspruch") {
		t.Errorf("pages not separated by form feed: %q", r.Text)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings %v", r.Warnings)
	}
	// detected without a given type, and also from a file on disk
	path := t.TempDir() + "/bescheid.pdf"
	os.WriteFile(path, pdf, 0o600)
	r2, err := ExtractFile(t.Context(), path, "", Options{Tools: tools, TempDir: t.TempDir()})
	if err != nil || r2.Text != r.Text {
		t.Errorf("ExtractFile: %v %q", err, r2.Text)
	}
}

// Two columns drawn line by line across (as many producers do): the text
// must come out column by column, so that a phrase stays together. This is
// why pdftotext runs in its default mode, not -layout or -raw.
func TestPDFTwoColumnsReadingOrder(t *testing.T) {
	tools := need(t, ToolPdftotext)
	left := []string{"Die Fachkräfteinitiative Kita", "fördert seit dem Jahr 2024", "die Ausbildung von Erziehern."}
	right := []string{"Der Bewilligungsbescheid über", "Ausbildungsförderung ergeht", "an die Antragstellerin."}
	var pg pdfPage
	for i := range left {
		pg.texts = append(pg.texts, placed{64, 780 - float64(i)*14, left[i]}, placed{320, 780 - float64(i)*14, right[i]})
	}
	r, err := extractBytes(t, makePDF(t, []pdfPage{pg}, nil), "application/pdf", Options{Tools: only(tools, ToolPdftotext)})
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(r.Text), " ")
	for _, phrase := range []string{
		"Die Fachkräfteinitiative Kita fördert seit dem Jahr 2024 die Ausbildung von Erziehern.",
		"Der Bewilligungsbescheid über Ausbildungsförderung ergeht an die Antragstellerin.",
	} {
		if !strings.Contains(flat, phrase) {
			t.Errorf("phrase %q torn apart in %q", phrase, r.Text)
		}
	}
	if r.Pages != 1 { // without pdfinfo, pages come from pdftotext's form feeds
		t.Errorf("pages %d", r.Pages)
	}
}

func TestPDFScannedOCRWithTesseract(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract)
	img := renderText(t, bescheidLines, true)
	pdf := makePDF(t, []pdfPage{{img: img}}, nil)
	r, err := extractBytes(t, pdf, "application/pdf", Options{Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodOCR || !r.OCR || r.Pages != 1 || r.SearchablePDF != "" {
		t.Errorf("result %+v", r)
	}
	wantWords(t, r.Text, len(bescheidWords)-1, bescheidWords...)
}

func TestPDFScannedOCRmyPDFSearchableCopy(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolOCRmyPDF, ToolTesseract)
	img := renderText(t, bescheidLines, true)
	// page 1 has real text, page 2 is a scan with a scanner's stamp line
	pdf := makePDF(t, []pdfPage{
		textLines("Erste Seite: Anschreiben an das Landesamt"),
		{img: img, texts: []placed{{40, 20, "Scan 12.03.2026"}}},
	}, nil)
	out := t.TempDir()
	r, err := extractBytes(t, pdf, "application/pdf", Options{Tools: tools, SearchablePDFDir: out})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodOCR || !r.OCR || r.Pages != 2 {
		t.Errorf("result %+v", r)
	}
	pages := strings.Split(r.Text, "\f")
	if len(pages) != 2 || !strings.Contains(pages[0], "Anschreiben") {
		t.Fatalf("pages %q", r.Text)
	}
	wantWords(t, pages[1], len(bescheidWords)-1, bescheidWords...)
	if r.SearchablePDF == "" || !strings.HasPrefix(r.SearchablePDF, out) {
		t.Fatalf("searchable copy %q (warnings %v)", r.SearchablePDF, r.Warnings)
	}
	b, err := os.ReadFile(r.SearchablePDF)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("copy: %v", err)
	}
	if !bytes.Contains(b, []byte("pdfaid")) {
		t.Error("copy carries no PDF/A identification")
	}
	// the copy is searchable on its own
	r2, err := extractBytes(t, b, "application/pdf", Options{Tools: only(tools, ToolPdftotext, ToolPdfinfo)})
	if err != nil || r2.OCR {
		t.Fatalf("reading the copy: %v %+v", err, r2)
	}
	wantWords(t, r2.Text, len(bescheidWords)-1, bescheidWords...)
}

func TestPDFScannedWithoutOCRTools(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo)
	img := renderText(t, bescheidLines, true)
	scan := makePDF(t, []pdfPage{{img: img}}, nil)
	_, err := extractBytes(t, scan, "application/pdf", Options{Tools: only(tools, ToolPdftotext, ToolPdfinfo)})
	var tm *ErrToolMissing
	if !errors.As(err, &tm) || tm.Tool != ToolTesseract {
		t.Fatalf("want missing tesseract, got %v", err)
	}
	// a PDF with one text page and one scan: the text, and a warning
	mixed := makePDF(t, []pdfPage{textLines(bescheidLines...), {img: img}}, nil)
	r, err := extractBytes(t, mixed, "application/pdf", Options{Tools: only(tools, ToolPdftotext, ToolPdfinfo)})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "Seite 2") || !strings.Contains(r.Warnings[0], "tesseract") {
		t.Errorf("warnings %v", r.Warnings)
	}
	wantWords(t, r.Text, len(bescheidWords), bescheidWords...)
	// OCR switched off: no error, a warning
	r, err = extractBytes(t, scan, "application/pdf", Options{Tools: tools, DisableOCR: true})
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "OCR ist abgeschaltet") {
		t.Errorf("%v %v", err, r.Warnings)
	}
}

func TestPDFEncrypted(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo)
	locked := makePDF(t, []pdfPage{textLines(bescheidLines...)}, func(p *pdfBuilder) { p.encryptWith("geheim", "amt", -44) })
	for _, tt := range []struct {
		name  string
		tools *Tools
	}{{"with pdfinfo", tools}, {"pdftotext only", only(tools, ToolPdftotext)}} {
		_, err := extractBytes(t, locked, "application/pdf", Options{Tools: tt.tools})
		if !errors.Is(err, ErrEncrypted) {
			t.Errorf("%s: want ErrEncrypted, got %v", tt.name, err)
		}
		if Reason(err) != "Dokument ist verschlüsselt oder kennwortgeschützt: PDF mit Kennwort" {
			t.Errorf("reason %q", Reason(err))
		}
		if Retryable(err) {
			t.Error("encrypted is permanent")
		}
	}
	// Encrypted without a user password (only permissions restricted):
	// readable, with a warning.
	restricted := makePDF(t, []pdfPage{textLines(bescheidLines...)}, func(p *pdfBuilder) { p.encryptWith("", "amt", -64) })
	r, err := extractBytes(t, restricted, "application/pdf", Options{Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	wantWords(t, r.Text, len(bescheidWords), bescheidWords...)
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "verschlüsselt") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestPDFEncryptedScanWithOCRmyPDF(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolOCRmyPDF, ToolPdftoppm, ToolTesseract)
	img := renderText(t, bescheidLines, true)
	// with a user password: refused before any OCR
	locked := makePDF(t, []pdfPage{{img: img}}, func(p *pdfBuilder) { p.encryptWith("geheim", "amt", -44) })
	_, err := extractBytes(t, locked, "application/pdf", Options{Tools: tools, SearchablePDFDir: t.TempDir()})
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("want ErrEncrypted, got %v", err)
	}
	// only restricted: OCRmyPDF refuses it (exit 8), pdftoppm + tesseract read it
	restricted := makePDF(t, []pdfPage{{img: img}}, func(p *pdfBuilder) { p.encryptWith("", "amt", -64) })
	r, err := extractBytes(t, restricted, "application/pdf", Options{Tools: tools, SearchablePDFDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !r.OCR || r.SearchablePDF != "" {
		t.Errorf("result %+v", r)
	}
	wantWords(t, r.Text, len(bescheidWords)-1, bescheidWords...)
	if w := strings.Join(r.Warnings, "|"); !strings.Contains(w, "verschlüsselt") || !strings.Contains(w, "keine durchsuchbare PDF/A-Kopie") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestPDFCorrupt(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract)
	good := makePDF(t, []pdfPage{textLines(bescheidLines...)}, nil)
	for name, b := range map[string][]byte{
		"truncated": good[:120],
		"garbage":   []byte("%PDF-1.4\nDas ist kein PDF, nur Text mit PDF-Kopf.\n"),
		"zeros":     append([]byte("%PDF-1.7\n"), make([]byte, 4096)...),
	} {
		for _, tt := range []struct {
			name  string
			tools *Tools
		}{{"all tools", tools}, {"pdftotext only", only(tools, ToolPdftotext)}} {
			r, err := extractBytes(t, b, "application/pdf", Options{Tools: tt.tools})
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s/%s: want ErrCorrupt, got %v (%+v)", name, tt.name, err, r)
				continue
			}
			if !strings.HasPrefix(Reason(err), "Datei ist beschädigt oder unlesbar") || strings.Contains(Reason(err), "Syntax Error") {
				t.Errorf("reason %q", Reason(err))
			}
			if !strings.Contains(err.Error(), "exit") {
				t.Errorf("the error keeps the tool's output for the log: %q", err.Error())
			}
		}
	}
	// a file that only claims to be a PDF
	r, err := extractBytes(t, []byte("Nur ein Brief ohne PDF."), "application/pdf", Options{Tools: tools})
	if err != nil || r.Method != MethodText {
		t.Errorf("text named as PDF: %v %+v", err, r)
	}
}

func TestPDFPageRenderSizeCapped(t *testing.T) {
	info := pdfInfo{sizes: map[int][2]float64{1: {595, 842}, 2: {14400, 14400}}}
	if d := info.ocrDPI(1, 100_000_000); d != 300 {
		t.Errorf("A4: %d dpi", d)
	}
	if d := info.ocrDPI(2, 100_000_000); d != 50 { // 200 × 200 inches
		t.Errorf("200 inch page: %d dpi", d)
	}
	if d := info.ocrDPI(3, 100_000_000); d != 300 {
		t.Errorf("unknown page: %d dpi", d)
	}
	// A scan OCRed under a small pixel budget: rendered at about 140 dpi,
	// still read.
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract)
	pdf := makePDF(t, []pdfPage{{img: renderText(t, bescheidLines, true)}}, nil)
	r, err := extractBytes(t, pdf, "application/pdf", Options{Tools: tools, MaxPixels: 2_000_000})
	if err != nil {
		t.Fatal(err)
	}
	wantWords(t, r.Text, len(bescheidWords)-2, bescheidWords...)
}
