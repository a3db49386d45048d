package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"aktenwerk/internal/testutil"
)

var (
	realToolsOnce sync.Once
	realTools     Tools
)

// need declares the external programs a test uses (failing in CI when one
// is missing, skipping elsewhere) and returns the detected tools.
func need(t *testing.T, names ...string) *Tools {
	t.Helper()
	for _, n := range names {
		testutil.NeedTool(t, n)
	}
	realToolsOnce.Do(func() { realTools = Detect() })
	for _, n := range names {
		if x := realTools.Get(n); !x.Available {
			if os.Getenv("AKTENWERK_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s is installed but not usable: %s", n, x.Problem)
			}
			t.Skipf("%s not usable: %s", n, x.Problem)
		}
	}
	tools := realTools
	return &tools
}

// needCalc is for the XLS test: LibreOffice with Calc.
func needCalc(t *testing.T) *Tools {
	t.Helper()
	tools := need(t, ToolLibreOffice)
	if !tools.CalcReady {
		if os.Getenv("AKTENWERK_REQUIRE_TOOLS") != "" {
			t.Fatal("LibreOffice Calc (libreoffice-calc-nogui) is required but not installed")
		}
		t.Skip("LibreOffice Calc not installed")
	}
	return tools
}

// only returns tools restricted to the named ones (the others missing).
func only(t *Tools, names ...string) *Tools {
	var out Tools
	for _, n := range []string{ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract, ToolOCRmyPDF, ToolLibreOffice} {
		x := t.Get(n)
		keep := false
		for _, m := range names {
			keep = keep || m == n
		}
		if !keep {
			x = describe(n)
			x.Problem = "nicht installiert"
		}
		out.All = append(out.All, x)
	}
	out.CalcReady = t.CalcReady
	out.Languages = t.Languages
	return &out
}

// wantWords asserts that at least min of the words occur in text
// (case-insensitive); OCR may miss a letter here and there.
func wantWords(t *testing.T, text string, min int, words ...string) {
	t.Helper()
	low := strings.ToLower(text)
	var missing []string
	for _, w := range words {
		if !strings.Contains(low, strings.ToLower(w)) {
			missing = append(missing, w)
		}
	}
	if len(words)-len(missing) < min {
		t.Errorf("found %d of %d words (want ≥ %d); missing %q in text:\n%s", len(words)-len(missing), len(words), min, missing, text)
	}
}

func extractBytes(t *testing.T, b []byte, mime string, opts Options) (Result, error) {
	t.Helper()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	return Extract(context.Background(), bytes.NewReader(b), mime, opts)
}

func TestDetectRealTools(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract, ToolOCRmyPDF, ToolLibreOffice)
	for _, n := range []string{ToolPdftotext, ToolPdfinfo, ToolPdftoppm, ToolTesseract, ToolOCRmyPDF, ToolLibreOffice} {
		x := tools.Get(n)
		if !x.Available || x.Path == "" || x.Version == "" || x.Version == "unbekannt" {
			t.Errorf("%s: %+v", n, x)
		}
		t.Logf("%s %s (%s)", x.Name, x.Version, x.Path)
	}
	if len(tools.Missing()) != 0 {
		t.Errorf("missing: %+v", tools.Missing())
	}
	found := false
	for _, l := range tools.Languages {
		found = found || l == "deu"
	}
	if !found {
		t.Errorf("languages %v without deu", tools.Languages)
	}
	for _, l := range tools.StatusLines() {
		if !strings.Contains(l, "verfügbar") {
			t.Errorf("status line %q", l)
		}
	}
}

func TestDetectNothingInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // an empty folder: no tool is found
	tools := Detect()
	if len(tools.All) != 6 || len(tools.Missing()) != 6 {
		t.Fatalf("want 6 missing tools, got %+v", tools)
	}
	for _, x := range tools.All {
		if x.Available || x.Problem != "nicht installiert" || x.Package == "" || x.Disables == "" {
			t.Errorf("%+v", x)
		}
	}
	lines := strings.Join(tools.StatusLines(), "\n")
	for _, want := range []string{"Keine Texterkennung (OCR)", "poppler-utils", "tesseract-ocr-deu", "libreoffice-writer-nogui", "PDF/A"} {
		if !strings.Contains(lines, want) {
			t.Errorf("status lines lack %q:\n%s", want, lines)
		}
	}
	// Extraction without tools: typed errors, no panic.
	opts := Options{Tools: &tools}
	pdf := makePDF(t, []pdfPage{textLines("Bewilligungsbescheid")}, nil)
	_, err := extractBytes(t, pdf, "application/pdf", opts)
	var tm *ErrToolMissing
	if !errors.As(err, &tm) || tm.Tool != ToolPdftotext || tm.Package != "poppler-utils" {
		t.Errorf("pdf without pdftotext: %v", err)
	}
	if r := Reason(err); !strings.Contains(r, "pdftotext") || !strings.Contains(r, "poppler-utils") {
		t.Errorf("reason %q", r)
	}
	if !Retryable(err) {
		t.Error("a missing tool may be installed later: retryable")
	}
	_, err = extractBytes(t, pngOf(t, renderText(t, []string{"Bescheid"}, false)), "image/png", opts)
	if !errors.As(err, &tm) || tm.Tool != ToolTesseract {
		t.Errorf("image without tesseract: %v", err)
	}
	_, err = extractBytes(t, []byte(`{\rtf1\ansi Bescheid\par}`), "text/rtf", opts)
	if !errors.As(err, &tm) || tm.Tool != ToolLibreOffice {
		t.Errorf("rtf without LibreOffice: %v", err)
	}
	// What needs no tool still works.
	r, err := extractBytes(t, makeDOCX(t, []string{"Bewilligungsbescheid"}, nil, ""), "", opts)
	if err != nil || !strings.Contains(r.Text, "Bewilligungsbescheid") {
		t.Errorf("docx without tools: %v %q", err, r.Text)
	}
}

func TestDetectTesseractWithoutGerman(t *testing.T) {
	need(t, ToolTesseract)
	// A tesseract whose data folder has no deu: unavailable, with the reason.
	dir := t.TempDir()
	t.Setenv("TESSDATA_PREFIX", dir)
	tools := Detect()
	x := tools.Get(ToolTesseract)
	if x.Available || !strings.Contains(x.Problem, "deu") {
		t.Errorf("tesseract without deu data: %+v", x)
	}
	if o := tools.Get(ToolOCRmyPDF); o.Path != "" && o.Available {
		t.Errorf("ocrmypdf without tesseract deu must be unavailable: %+v", o)
	}
}
