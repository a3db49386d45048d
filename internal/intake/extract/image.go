package extract

import (
	"context"
	"image"
	_ "image/gif" // DecodeConfig for the size check
	_ "image/jpeg"
	_ "image/png"
	"os"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// extractImage reads an image with tesseract. The pixel count is checked
// first from the header (a tiny PNG can declare 100000 × 100000 pixels and
// make the OCR allocate gigabytes).
func extractImage(ctx context.Context, dir, in, mt string, opts Options, res *Result) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	cfg, format, err := image.DecodeConfig(f)
	f.Close()
	switch {
	case err == nil:
		if px := int64(cfg.Width) * int64(cfg.Height); px > opts.MaxPixels {
			return fail(ErrTooLarge, nil, "Bild mit %d × %d Pixeln, erlaubt sind %s Pixel", cfg.Width, cfg.Height, formatInt(opts.MaxPixels))
		}
		if cfg.Width == 0 || cfg.Height == 0 {
			return fail(ErrCorrupt, nil, "Bild ohne Pixel")
		}
	case strings.HasPrefix(mt, "image/x-portable"):
		// PNM: no Go decoder; tesseract reads it
	default:
		return fail(ErrCorrupt, err, "Bild nicht lesbar")
	}
	res.Method = MethodOCR
	if opts.DisableOCR {
		res.warn("Bild ohne Texterkennung: OCR ist abgeschaltet")
		return nil
	}
	if !opts.Tools.Has(ToolTesseract) {
		return opts.Tools.missing(ToolTesseract)
	}
	timeout := opts.OCRPageTimeout
	if format == "tiff" || format == "gif" { // may hold several pages
		timeout += opts.ToolTimeout
	}
	text, truncated, err := tesseract(ctx, dir, in, "", timeout, opts)
	if err != nil {
		return err
	}
	if truncated {
		res.warn("Text nach %s abgeschnitten", formatBytes(int64(opts.MaxTextBytes)))
	}
	text = strings.TrimSuffix(text, "\f")
	res.Pages = strings.Count(text, "\f") + 1
	res.OCR = true
	res.Text = text
	if countWordChars(text) == 0 {
		res.warn("im Bild wurde kein Text erkannt")
	}
	return nil
}
