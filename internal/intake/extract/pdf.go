package extract

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// pdfInfo is what pdfinfo tells.
type pdfInfo struct {
	pages     int
	encrypted bool               // encrypted without a user password (opens, but restricted)
	sizes     map[int][2]float64 // page (1-based) → width, height in points
}

// ocrDPI is the resolution a page is rendered at for OCR: 300 dpi, less
// for a page so large that it would exceed Options.MaxPixels (a poster, or
// a PDF that declares a page of 200 × 200 inches).
func (info pdfInfo) ocrDPI(page int, maxPixels int64) int {
	const dpi = 300
	wh, ok := info.sizes[page]
	if !ok || wh[0] <= 0 || wh[1] <= 0 {
		return dpi
	}
	inches := (wh[0] / 72) * (wh[1] / 72)
	if inches*dpi*dpi <= float64(maxPixels) {
		return dpi
	}
	return max(int(math.Sqrt(float64(maxPixels)/inches)), 1)
}

// pdftotextArgs: pdftotext's default mode, neither -layout nor -raw. It
// reconstructs reading order, so the text of a two-column page comes out
// column by column and a phrase stays together; -layout keeps the columns
// side by side on each line (phrases torn apart), -raw follows the content
// stream, whose order is whatever the producing program chose.
func pdftotextArgs(in string) []string {
	return []string{"-enc", "UTF-8", "-eol", "unix", in, "-"}
}

func extractPDF(ctx context.Context, dir, in string, opts Options, res *Result) error {
	tools := opts.Tools
	info, err := runPdfinfo(ctx, dir, in, opts)
	if err != nil {
		return err
	}
	if info.encrypted {
		res.warn("PDF ist verschlüsselt (ohne Kennwort zu öffnen, Rechte eingeschränkt)")
	}
	if !tools.Has(ToolPdftotext) {
		return tools.missing(ToolPdftotext)
	}
	pages, truncated, err := runPdftotext(ctx, dir, in, opts)
	if err != nil {
		return err
	}
	if truncated {
		res.warn("Text nach %s abgeschnitten", formatBytes(int64(opts.MaxTextBytes)))
	}
	res.Method = MethodPdftotext
	res.Pages = max(info.pages, len(pages))
	for len(pages) < res.Pages {
		pages = append(pages, "")
	}

	var empty []int // 0-based pages with too little text
	for i, p := range pages {
		if countWordChars(p) < opts.MinPageChars {
			empty = append(empty, i)
		}
	}
	if len(empty) == 0 || truncated {
		res.Text = strings.Join(pages, "\f")
		return nil
	}
	if opts.DisableOCR {
		res.warn("%s ohne Text; OCR ist abgeschaltet", pageList(empty))
		res.Text = strings.Join(pages, "\f")
		return nil
	}

	// Some pages are scans: OCR. With a place for the searchable copy,
	// OCRmyPDF makes it (and its text layer is read back with pdftotext);
	// otherwise, or when OCRmyPDF fails, page by page with pdftoppm +
	// tesseract.
	if opts.SearchablePDFDir != "" {
		if tools.Has(ToolOCRmyPDF) {
			ok, err := ocrmypdf(ctx, dir, in, res.Pages, opts, res)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		} else {
			res.warn("keine durchsuchbare PDF/A-Kopie: %s", Reason(tools.missing(ToolOCRmyPDF)))
		}
	}
	if !tools.Has(ToolPdftoppm) || !tools.Has(ToolTesseract) {
		missing := tools.missing(ToolTesseract)
		if tools.Has(ToolTesseract) {
			missing = tools.missing(ToolPdftoppm)
		}
		if len(empty) == len(pages) {
			return missing
		}
		res.warn("%s ohne Text; OCR nicht möglich: %s", pageList(empty), Reason(missing))
		res.Text = strings.Join(pages, "\f")
		return nil
	}
	var failed []int
	for n, i := range empty {
		if n >= opts.MaxOCRPages {
			res.warn("OCR nach %d Seiten beendet (Grenze); %d weitere Seiten ohne Text", opts.MaxOCRPages, len(empty)-n)
			break
		}
		text, err := ocrPDFPage(ctx, dir, in, i+1, info.ocrDPI(i+1, opts.MaxPixels), opts)
		if err != nil {
			if ctx.Err() != nil || isToolMissing(err) {
				return err
			}
			if errors.Is(err, ErrTimeout) && len(empty) == 1 {
				return err
			}
			failed = append(failed, i)
			continue
		}
		res.OCR = true
		if countWordChars(text) > countWordChars(pages[i]) {
			pages[i] = text
		}
		if countWordChars(pages[i]) == 0 {
			failed = append(failed, i)
		}
	}
	if res.OCR {
		res.Method = MethodOCR
	}
	if len(failed) > 0 {
		res.warn("%s: kein Text erkannt", pageList(failed))
	}
	res.Text = strings.Join(pages, "\f")
	return nil
}

func isToolMissing(err error) bool {
	var tm *ErrToolMissing
	return errors.As(err, &tm)
}

// runPdfinfo reads the page count and whether the PDF needs a password.
// Without pdfinfo it returns an empty info (pdftotext finds the rest).
func runPdfinfo(ctx context.Context, dir, in string, opts Options) (pdfInfo, error) {
	path := opts.Tools.path(ToolPdfinfo)
	if path == "" {
		return pdfInfo{}, nil
	}
	r, err := run(ctx, proc{tool: ToolPdfinfo, path: path, args: []string{"-enc", "UTF-8", "-f", "1", "-l", strconv.Itoa(opts.MaxOCRPages), in}, dir: dir,
		timeout: opts.ToolTimeout, maxOut: 1 << 20})
	if err != nil {
		return pdfInfo{}, err
	}
	if r.code != 0 {
		return pdfInfo{}, pdfError(ToolPdfinfo, r)
	}
	info := pdfInfo{sizes: map[int][2]float64{}}
	for _, l := range strings.Split(string(r.stdout), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		var page int
		var w, h float64
		if _, err := fmt.Sscanf(strings.Join(strings.Fields(k), " "), "Page %d size", &page); err == nil {
			if _, err := fmt.Sscanf(v, "%g x %g", &w, &h); err == nil {
				info.sizes[page] = [2]float64{w, h}
			}
			continue
		}
		switch strings.TrimSpace(k) {
		case "Pages":
			info.pages, _ = strconv.Atoi(v)
		case "Encrypted":
			info.encrypted = strings.HasPrefix(v, "yes")
		}
	}
	return info, nil
}

// pdfError maps a poppler tool's failure: exit 1 is "cannot open" (a
// password or a broken file), exit 3 a permission error.
func pdfError(tool string, r procResult) error {
	cause := &toolOutput{tool: tool, code: r.code, stderr: r.stderr}
	low := strings.ToLower(r.stderr)
	switch {
	case strings.Contains(low, "incorrect password"), strings.Contains(low, "password"):
		return fail(ErrEncrypted, cause, "PDF mit Kennwort")
	case r.code == 3:
		return fail(ErrEncrypted, cause, "PDF erlaubt das Auslesen nicht")
	}
	return fail(ErrCorrupt, cause, "PDF nicht lesbar")
}

// runPdftotext returns the text of each page.
func runPdftotext(ctx context.Context, dir, in string, opts Options) ([]string, bool, error) {
	r, err := run(ctx, proc{tool: ToolPdftotext, path: opts.Tools.path(ToolPdftotext), args: pdftotextArgs(in), dir: dir,
		timeout: opts.ToolTimeout, maxOut: int64(opts.MaxTextBytes) + 1<<20})
	if err != nil {
		return nil, false, err
	}
	if r.code != 0 && !r.truncated {
		return nil, false, pdfError(ToolPdftotext, r)
	}
	text := strings.TrimSuffix(string(r.stdout), "\f")
	if text == "" && r.code == 0 {
		return []string{""}, false, nil
	}
	return strings.Split(text, "\f"), r.truncated, nil
}

// ocrPDFPage renders one page (1-based) and reads it with tesseract.
func ocrPDFPage(ctx context.Context, dir, in string, page, dpi int, opts Options) (string, error) {
	base := filepath.Join(dir, fmt.Sprintf("seite-%d", page))
	r, err := run(ctx, proc{tool: ToolPdftoppm, path: opts.Tools.path(ToolPdftoppm),
		args: []string{"-r", strconv.Itoa(dpi), "-gray", "-png", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-singlefile", in, base},
		dir:  dir, timeout: opts.OCRPageTimeout, maxOut: 64 << 10})
	if err != nil {
		return "", err
	}
	img := base + ".png"
	defer os.Remove(img)
	if r.code != 0 {
		return "", pdfError(ToolPdftoppm, r)
	}
	text, _, err := tesseract(ctx, dir, img, strconv.Itoa(dpi), opts.OCRPageTimeout, opts)
	return text, err
}

// tesseract reads one image; dpi may be "" (tesseract guesses).
func tesseract(ctx context.Context, dir, img, dpi string, timeout time.Duration, opts Options) (string, bool, error) {
	args := []string{img, "stdout", "-l", opts.Language}
	if dpi != "" {
		args = append(args, "--dpi", dpi)
	}
	r, err := run(ctx, proc{tool: ToolTesseract, path: opts.Tools.path(ToolTesseract), args: args, dir: dir,
		timeout: timeout, maxOut: int64(opts.MaxTextBytes) + 1<<20})
	if err != nil {
		return "", false, err
	}
	if r.code != 0 && !r.truncated {
		cause := &toolOutput{tool: ToolTesseract, code: r.code, stderr: r.stderr}
		low := strings.ToLower(r.stderr)
		if strings.Contains(low, "failed loading language") || strings.Contains(low, "could not initialize tesseract") {
			return "", false, &ErrToolMissing{Tool: ToolTesseract, Package: "tesseract-ocr-" + strings.Split(opts.Language, "+")[0],
				Problem: "Sprachdaten „" + opts.Language + "“ fehlen"}
		}
		return "", false, fail(ErrCorrupt, cause, "Bild nicht lesbar")
	}
	return string(r.stdout), r.truncated, nil
}

// ocrmypdf makes the searchable PDF/A copy and reads its text. It returns
// false (with a warning) when the copy could not be made and the caller
// should fall back to page-wise OCR.
func ocrmypdf(ctx context.Context, dir, in string, pages int, opts Options, res *Result) (bool, error) {
	out, err := os.CreateTemp(opts.SearchablePDFDir, "durchsuchbar-*.pdf")
	if err != nil {
		return false, fmt.Errorf("extract: searchable copy: %w", err)
	}
	outPath, _ := filepath.Abs(out.Name())
	out.Close()
	keep := false
	defer func() {
		if !keep {
			os.Remove(outPath)
		}
	}()
	pageTimeout := int(opts.OCRPageTimeout / time.Second)
	timeout := opts.ToolTimeout + time.Duration(max(pages, 1))*opts.OCRPageTimeout
	// --redo-ocr: pages that have text keep it, and pages (or regions) that
	// are only an image get an OCR layer; unlike --skip-text it also reads a
	// scanned page that carries a line of real text (a scanner's stamp).
	args := []string{"-l", opts.Language, "--output-type", "pdfa", "--redo-ocr", "--jobs", "1",
		"--tesseract-timeout", strconv.Itoa(pageTimeout),
		"--skip-big", strconv.FormatInt(max(opts.MaxPixels/1_000_000, 1), 10),
		"-q", in, outPath}
	r, err := run(ctx, proc{tool: ToolOCRmyPDF, path: opts.Tools.path(ToolOCRmyPDF), args: args, dir: dir,
		timeout: timeout, maxOut: 1 << 20})
	if err != nil {
		if ctx.Err() != nil || isToolMissing(err) {
			return false, err
		}
		res.warn("keine durchsuchbare PDF/A-Kopie: %s", Reason(err))
		return false, nil
	}
	switch r.code {
	case 0:
	case 10: // the copy is a valid PDF, only not PDF/A
		res.warn("durchsuchbare Kopie ist kein gültiges PDF/A")
	case 8: // encrypted without a user password (with one, pdftotext failed before)
		res.warn("keine durchsuchbare PDF/A-Kopie: OCRmyPDF liest keine verschlüsselten PDF-Dateien")
		return false, nil
	default:
		res.warn("keine durchsuchbare PDF/A-Kopie: OCRmyPDF meldet Fehler %d (%s)", r.code, firstLine(r.stderr))
		return false, nil
	}
	text, truncated, err := runPdftotext(ctx, dir, outPath, opts)
	if err != nil {
		if ctx.Err() != nil {
			return false, err
		}
		res.warn("durchsuchbare Kopie nicht lesbar: %s", Reason(err))
		return false, nil
	}
	if truncated {
		res.warn("Text nach %s abgeschnitten", formatBytes(int64(opts.MaxTextBytes)))
	}
	var failed []int
	for i, p := range text {
		if countWordChars(p) == 0 {
			failed = append(failed, i)
		}
	}
	if len(failed) > 0 {
		res.warn("%s: kein Text erkannt", pageList(failed))
	}
	keep = true
	res.Text = strings.Join(text, "\f")
	res.Method = MethodOCR
	res.OCR = true
	res.SearchablePDF = outPath
	return true, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + " …"
	}
	return s
}

// countWordChars counts letters and digits: white space and punctuation
// from an image-only page's artefacts do not make it a text page.
func countWordChars(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// pageList names 0-based pages the German way: "Seite 3", "Seiten 1, 2, 5".
func pageList(pages []int) string {
	if len(pages) == 1 {
		return fmt.Sprintf("Seite %d", pages[0]+1)
	}
	var s []string
	for i, p := range pages {
		if i == 10 {
			s = append(s, fmt.Sprintf("… (%d insgesamt)", len(pages)))
			break
		}
		s = append(s, strconv.Itoa(p+1))
	}
	return "Seiten " + strings.Join(s, ", ")
}
