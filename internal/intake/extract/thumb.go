package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	xdraw "golang.org/x/image/draw"
)

// ThumbOptions tune Thumbnail. The zero value is usable.
type ThumbOptions struct {
	// Tools to use (pdftoppm); nil means Detect(), run once per process.
	Tools *Tools
	// TempDir is the parent of the per-call temp dir ("" = os.TempDir()).
	TempDir string
	// Width of the thumbnail in pixels; default 160. Images narrower than
	// that keep their width (no upscaling).
	Width int
	// MaxInputBytes: larger content gets no thumbnail; default 256 MiB.
	MaxInputBytes int64
	// MaxPixels: images with more pixels (width × height from the header,
	// checked before decoding) get no thumbnail; default 40 million.
	MaxPixels int64
	// Timeout of the whole call (pdftoppm included); default 60 s.
	Timeout time.Duration
}

// Thumbnail defaults.
const (
	ThumbWidth        = 160
	defThumbMaxInput  = 256 << 20
	defThumbMaxPixels = 40_000_000
	defThumbTimeout   = time.Minute
	// thumbMaxAspect bounds the height: at most this many times the width
	// (longer pages and images are cut, the top part is shown).
	thumbMaxAspect = 3
)

// Thumbnail renders the first page of a PDF (poppler's pdftoppm) or an
// image (decoded and scaled in Go) as a PNG opts.Width pixels wide and
// returns it. The content decides, not mimeType (which is a hint only).
// Errors are typed as for Extract: ErrUnsupported (neither PDF nor
// image), ErrCorrupt, ErrEncrypted, ErrTooLarge, ErrTimeout and
// *ErrToolMissing (pdftoppm); Retryable tells which may succeed later.
func Thumbnail(ctx context.Context, r io.Reader, mimeType string, opts ThumbOptions) (out []byte, err error) {
	if opts.Width <= 0 {
		opts.Width = ThumbWidth
	}
	if opts.MaxInputBytes <= 0 {
		opts.MaxInputBytes = defThumbMaxInput
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = defThumbMaxPixels
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defThumbTimeout
	}
	if opts.Tools == nil {
		t := detectedTools()
		opts.Tools = &t
	}
	if n, ok := sizeOf(r); ok && n > opts.MaxInputBytes {
		return nil, tooLarge(n, opts.MaxInputBytes)
	}
	// A bug in a decoder must not take the process down.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fail(ErrCorrupt, fmt.Errorf("panic: %v", p), "Datei nicht lesbar")
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp(opts.TempDir, "aktenwerk-miniatur-*")
	if err != nil {
		return nil, fmt.Errorf("miniatur: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input")
	f, err := os.OpenFile(in, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(ctxReader{ctx, r}, opts.MaxInputBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	if n > opts.MaxInputBytes {
		return nil, tooLarge(n, opts.MaxInputBytes)
	}
	if n == 0 {
		return nil, fail(ErrUnsupported, nil, "leere Datei")
	}
	head, err := readHead(in, 1024)
	if err != nil {
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	if bytes.Contains(head, []byte("%PDF-")) {
		return thumbPDF(ctx, dir, in, opts)
	}
	return thumbImage(in, mimeType, opts)
}

// thumbPDF renders page 1 with pdftoppm, scaled to the width, and crops
// the height (a page of absurd proportions cannot make a huge bitmap).
func thumbPDF(ctx context.Context, dir, in string, opts ThumbOptions) ([]byte, error) {
	if !opts.Tools.Has(ToolPdftoppm) {
		return nil, opts.Tools.missing(ToolPdftoppm)
	}
	w := strconv.Itoa(opts.Width)
	base := filepath.Join(dir, "seite")
	r, err := run(ctx, proc{tool: ToolPdftoppm, path: opts.Tools.path(ToolPdftoppm),
		args: []string{"-f", "1", "-l", "1", "-png", "-singlefile", "-scale-to-x", w, "-scale-to-y", "-1",
			"-x", "0", "-y", "0", "-W", w, "-H", strconv.Itoa(opts.Width * thumbMaxAspect), in, base},
		dir: dir, timeout: opts.Timeout, maxOut: 64 << 10})
	if err != nil {
		return nil, err
	}
	if r.code != 0 {
		return nil, pdfError(ToolPdftoppm, r)
	}
	b, cut, err := readLimited(base+".png", 16<<20)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fail(ErrCorrupt, &toolOutput{tool: ToolPdftoppm, code: r.code, stderr: r.stderr}, "PDF ohne Seite")
		}
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	if cut {
		return nil, fail(ErrTooLarge, nil, "Miniatur zu groß")
	}
	// Check what the tool made before it is stored and served.
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width < 1 || cfg.Width > opts.Width+1 || cfg.Height < 1 || cfg.Height > opts.Width*thumbMaxAspect+1 {
		return nil, fail(ErrCorrupt, err, "PDF nicht darstellbar")
	}
	return b, nil
}

// thumbImage decodes an image (after checking its declared size) and
// scales it down on a white background (transparency becomes white).
func thumbImage(in, mimeType string, opts ThumbOptions) ([]byte, error) {
	f, err := os.Open(in)
	if err != nil {
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		if len(mimeType) >= 6 && mimeType[:6] == "image/" || mimeType == "application/pdf" {
			return nil, fail(ErrCorrupt, err, "Datei nicht lesbar")
		}
		return nil, fail(ErrUnsupported, err, "keine PDF-Datei und kein Bild")
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return nil, fail(ErrCorrupt, nil, "Bild ohne Pixel")
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > opts.MaxPixels {
		return nil, fail(ErrTooLarge, nil, "Bild mit %d × %d Pixeln, erlaubt sind %s Pixel", cfg.Width, cfg.Height, formatInt(opts.MaxPixels))
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return nil, fail(ErrCorrupt, err, "Bild nicht lesbar")
	}
	sb := src.Bounds()
	w := min(opts.Width, sb.Dx())
	h := max(1, int(int64(sb.Dy())*int64(w)/int64(sb.Dx())))
	srcRect := sb
	if h > w*thumbMaxAspect { // very tall: the top part
		h = w * thumbMaxAspect
		srcRect.Max.Y = sb.Min.Y + min(sb.Dy(), int(int64(sb.Dx())*thumbMaxAspect))
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, srcRect, xdraw.Over, nil)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst); err != nil {
		return nil, fmt.Errorf("miniatur: %w", err)
	}
	return buf.Bytes(), nil
}
