// Package extract turns stored document content into text for the search
// index: PDF text layers (poppler's pdftotext), OCR of images and scanned
// PDFs (tesseract, German; OCRmyPDF for a searchable PDF/A copy), Office
// documents (DOCX, ODT, XLSX, ODS read in Go; older formats through
// LibreOffice headless), e-mail (.eml, with attachments handed back
// separately) and plain text in any common German charset.
//
// External programs are optional: Detect reports what is installed and what
// a missing program disables, and an extraction that needs a missing program
// fails with *ErrToolMissing instead of crashing. Every program runs as a
// process (no shell) in a fresh temp dir, with a time limit and an output
// limit; every input has size limits. Failures are typed (ErrUnsupported,
// ErrEncrypted, ErrTooLarge, ErrCorrupt, ErrTimeout, *ErrToolMissing) and
// carry a German reason for the document status (Reason).
//
// docs/extraction.md describes the routing, the limits and the decisions.
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Methods (Result.Method).
const (
	MethodText        = "text"        // plain text, charset detected
	MethodHTML        = "html"        // HTML, tags stripped
	MethodXML         = "xml"         // XML, character data
	MethodPdftotext   = "pdftotext"   // PDF text layer
	MethodOCR         = "ocr"         // tesseract: images; scanned PDFs via OCRmyPDF or pdftoppm
	MethodDOCX        = "docx"        // Word 2007+ read in Go
	MethodPPTX        = "pptx"        // PowerPoint 2007+ read in Go (one page per slide)
	MethodODF         = "odf"         // OpenDocument (ODT, ODS, ODP) read in Go
	MethodXLSX        = "xlsx"        // Excel 2007+ read in Go
	MethodLibreOffice = "libreoffice" // older Office formats through LibreOffice headless
	MethodEML         = "eml"         // e-mail (RFC 5322 with MIME)
)

// Options tune one extraction. The zero value is usable: every limit that
// is zero or negative takes its default.
type Options struct {
	// Filename is the document's original name; its extension helps only
	// where the content alone is ambiguous (.eml, .csv, .txt).
	Filename string
	// Tools to use; nil means Detect(), run once per process.
	Tools *Tools
	// TempDir is the parent of the per-call temp dir ("" = os.TempDir()).
	TempDir string
	// Language for tesseract/OCRmyPDF, default "deu".
	Language string
	// SearchablePDFDir: when set and a scanned PDF is recognised with
	// OCRmyPDF, the searchable PDF/A copy is written into this directory and
	// its path returned in Result.SearchablePDF (the caller owns the file).
	// When empty, scanned PDFs are recognised with pdftoppm + tesseract,
	// which is lighter.
	SearchablePDFDir string
	// UseLibreOffice reads DOCX/ODT/ODS/XLSX with LibreOffice instead of
	// aktenwerk's own readers (the zip limits are checked first either way).
	UseLibreOffice bool
	// DisableOCR: images and scanned pages yield no text (and a warning).
	DisableOCR bool

	MaxInputBytes      int64 // refuse larger input without reading it; default 512 MiB
	MaxTextBytes       int   // longer text is cut (with a warning); default 16 MiB
	MaxUnpackedBytes   int64 // zip containers (DOCX, ODT, XLSX): total unpacked size; default 256 MiB
	MaxZipEntries      int   // zip containers: number of entries; default 10000
	MaxPixels          int64 // images for OCR: width × height; default 100 million (PDF pages: rendered at less than 300 dpi)
	MaxOCRPages        int   // OCR stops after this many pages (warning); default 200
	MaxAttachments     int   // e-mail attachments returned; default 20 (the rest: warning)
	MaxAttachmentBytes int64 // one e-mail attachment, decoded; default 64 MiB
	MaxMailParts       int   // MIME parts in one e-mail; default 500
	MinPageChars       int   // PDF page with fewer letters/digits counts as scanned; default 25

	Timeout        time.Duration // whole call; default 30 min
	ToolTimeout    time.Duration // one program run (pdftotext, LibreOffice, …); default 5 min
	OCRPageTimeout time.Duration // OCR of one page (OCRmyPDF: per page of the document); default 3 min
}

const (
	defMaxInput      = 512 << 20
	defMaxText       = 16 << 20
	defMaxUnpacked   = 256 << 20
	defMaxZipEntries = 10000
	defMaxPixels     = 100_000_000
	defMaxOCRPages   = 200
	defMaxAttach     = 20
	defMaxAttachSize = 64 << 20
	defMaxMailParts  = 500
	defMinPageChars  = 25
	defTimeout       = 30 * time.Minute
	defToolTimeout   = 5 * time.Minute
	defOCRPage       = 3 * time.Minute
)

func (o Options) withDefaults() Options {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defi := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxInputBytes, defMaxInput)
	defi(&o.MaxTextBytes, defMaxText)
	def(&o.MaxUnpackedBytes, defMaxUnpacked)
	defi(&o.MaxZipEntries, defMaxZipEntries)
	def(&o.MaxPixels, defMaxPixels)
	defi(&o.MaxOCRPages, defMaxOCRPages)
	defi(&o.MaxAttachments, defMaxAttach)
	def(&o.MaxAttachmentBytes, defMaxAttachSize)
	defi(&o.MaxMailParts, defMaxMailParts)
	defi(&o.MinPageChars, defMinPageChars)
	defd(&o.Timeout, defTimeout)
	defd(&o.ToolTimeout, defToolTimeout)
	defd(&o.OCRPageTimeout, defOCRPage)
	if o.Language == "" {
		o.Language = OCRLanguage
	}
	if o.Tools == nil {
		t := detectedTools()
		o.Tools = &t
	}
	return o
}

// Result is the text of one document and how it was found.
type Result struct {
	Text    string // UTF-8, NFC; pages separated by form feeds (\f)
	Method  string // Method* constant
	MIME    string // the type the content was handled as
	Charset string // for text and e-mail bodies: the charset that was decoded
	Pages   int    // PDF pages, OCR pages (images: frames); 0 when not paged
	OCR     bool   // some or all of the text comes from OCR
	// SearchablePDF is the path of the searchable PDF/A copy (see
	// Options.SearchablePDFDir); "" when none was made.
	SearchablePDF string
	// Mail holds the headers of an e-mail.
	Mail *Mail
	// Attachments of an e-mail, to be stored as documents of their own.
	Attachments []Attachment
	// Warnings are German notes on partial results (text cut, pages
	// without text, attachments left out, charset guessed, …).
	Warnings []string
}

// Attachment is an e-mail attachment, decoded.
type Attachment struct {
	Filename string // sanitised by the caller before storing; may be generated ("anhang-3.pdf")
	MIME     string // as declared in the e-mail
	Data     []byte
}

// Mail holds the decoded headers of an e-mail.
type Mail struct {
	From      string
	To        []string
	Cc        []string
	Subject   string
	Date      time.Time // zero when missing or unparsable
	MessageID string
}

func (r *Result) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// Extract reads the content from r and returns its text. mime is the stored
// content type ("" or "application/octet-stream" to detect it); it may carry
// a charset parameter. If r has a size (an *os.File, or a Size() int64
// method like blob.File), content above Options.MaxInputBytes is refused
// without reading; otherwise at most MaxInputBytes+1 bytes are read.
func Extract(ctx context.Context, r io.Reader, mimeType string, opts Options) (Result, error) {
	opts = opts.withDefaults()
	if size, ok := sizeOf(r); ok && size > opts.MaxInputBytes {
		return Result{}, tooLarge(size, opts.MaxInputBytes)
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp(opts.TempDir, "aktenwerk-extract-*")
	if err != nil {
		return Result{}, fmt.Errorf("extract: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)

	in := filepath.Join(dir, "input")
	f, err := os.OpenFile(in, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return Result{}, fmt.Errorf("extract: spool: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(ctxReader{ctx, r}, opts.MaxInputBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		return Result{}, fmt.Errorf("extract: spool: %w", err)
	}
	if n > opts.MaxInputBytes {
		return Result{}, fail(ErrTooLarge, nil, "mehr als %s, erlaubt sind höchstens %s", formatBytes(opts.MaxInputBytes), formatBytes(opts.MaxInputBytes))
	}
	return extractPath(ctx, dir, in, n, mimeType, opts)
}

// ExtractFile is Extract for a file on disk; the file is not copied.
func ExtractFile(ctx context.Context, path, mimeType string, opts Options) (Result, error) {
	opts = opts.withDefaults()
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Result{}, fail(ErrUnsupported, nil, "keine normale Datei")
	}
	if st.Size() > opts.MaxInputBytes {
		return Result{}, tooLarge(st.Size(), opts.MaxInputBytes)
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp(opts.TempDir, "aktenwerk-extract-*")
	if err != nil {
		return Result{}, fmt.Errorf("extract: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	// Tools see our own name in our own dir, never the caller's path.
	in := filepath.Join(dir, "input")
	if err := os.Symlink(abs, in); err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	return extractPath(ctx, dir, in, st.Size(), mimeType, opts)
}

func tooLarge(size, limit int64) error {
	return fail(ErrTooLarge, nil, "%s, erlaubt sind höchstens %s", formatBytes(size), formatBytes(limit))
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// sizeOf finds the size of r without reading it.
func sizeOf(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size(), true
	case interface{ Stat() (os.FileInfo, error) }:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size(), true
		}
	case interface{ Len() int }:
		return int64(v.Len()), true
	}
	return 0, false
}

// Kinds of content (after detection).
const (
	kindText = iota + 1
	kindHTML
	kindXML
	kindPDF
	kindImage
	kindDOCX
	kindXLSX
	kindODF
	kindOffice // older formats for LibreOffice
	kindSpreadsheetOld
	kindMail
	kindZip
)

// extractPath runs with the input at in (inside dir), size bytes long.
func extractPath(ctx context.Context, dir, in string, size int64, mimeType string, opts Options) (res Result, err error) {
	// A bug in a reader must not take the process down: report it instead.
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{}, fmt.Errorf("extract: interner Fehler: %v", p)
		}
	}()
	if size == 0 {
		return Result{Method: MethodText, MIME: "text/plain"}, nil
	}
	head, err := readHead(in, 8192)
	if err != nil {
		return Result{}, fmt.Errorf("extract: %w", err)
	}
	mt, params := classify(mimeType, head, opts.Filename)
	kind := kindOf(mt)
	if kind == kindZip || kind == kindDOCX || kind == kindXLSX || kind == kindODF {
		if isOLEEncrypted(in) { // an encrypted DOCX/XLSX is no zip but an OLE file
			return Result{MIME: mt}, fail(ErrEncrypted, nil, "Office-Dokument mit Kennwort")
		}
		// The bytes of a zip tell more than a name: look inside.
		kind, mt, err = classifyZip(in, opts)
		if err != nil {
			return Result{MIME: mt}, err
		}
	}
	res.MIME = mt
	switch kind {
	case kindText, kindHTML, kindXML:
		// Text beyond the text limit would be cut anyway: read no more
		// (markup: four times as much).
		limit := int64(opts.MaxTextBytes)
		if kind != kindText {
			limit *= 4
		}
		b, cut, err := readLimited(in, limit)
		if err != nil {
			return res, fmt.Errorf("extract: %w", err)
		}
		if cut {
			res.warn("nur die ersten %s der Datei gelesen", formatBytes(limit))
		}
		switch kind {
		case kindHTML:
			res.Method = MethodHTML
			res.Text, res.Charset = htmlDocToText(b, mt, params["charset"])
		case kindXML:
			res.Method = MethodXML
			res.Text, err = xmlToText(b)
			if err != nil {
				return res, err
			}
		default:
			res.Method = MethodText
			var warn string
			res.Text, res.Charset, warn = decodeText(b, params["charset"])
			if warn != "" {
				res.Warnings = append(res.Warnings, warn)
			}
		}
	case kindPDF:
		err = extractPDF(ctx, dir, in, opts, &res)
	case kindImage:
		err = extractImage(ctx, dir, in, mt, opts, &res)
	case kindDOCX, kindXLSX, kindODF:
		if opts.UseLibreOffice && mt != mimePPTX && mt != mimeODP {
			err = extractLibreOffice(ctx, dir, in, mt, opts, &res)
		} else {
			err = extractOOXMLorODF(in, kind, opts, &res)
		}
	case kindOffice, kindSpreadsheetOld:
		enc, oleType := oleScan(in)
		if enc {
			return res, fail(ErrEncrypted, nil, "Office-Dokument mit Kennwort")
		}
		if mt == "application/x-ole-storage" {
			if oleType == "" {
				return res, fail(ErrUnsupported, nil, "unbekanntes OLE-Dokument")
			}
			mt, res.MIME = oleType, oleType
			if kindOf(mt) == kindSpreadsheetOld {
				kind = kindSpreadsheetOld
			}
		}
		err = extractLibreOffice(ctx, dir, in, mt, opts, &res)
	case kindMail:
		b, err2 := os.ReadFile(in)
		if err2 != nil {
			return res, fmt.Errorf("extract: %w", err2)
		}
		err = extractMail(b, opts, &res)
	default:
		return res, fail(ErrUnsupported, nil, "%s", mt)
	}
	if err != nil {
		return res, err
	}
	finish(&res, opts)
	return res, nil
}

// finish normalises the text and applies the text limit.
func finish(res *Result, opts Options) {
	res.Text = cleanText(res.Text)
	if len(res.Text) > opts.MaxTextBytes {
		cut := opts.MaxTextBytes
		for cut > 0 && !utf8.RuneStart(res.Text[cut]) {
			cut--
		}
		res.Text = res.Text[:cut]
		res.warn("Text nach %s abgeschnitten", formatBytes(int64(opts.MaxTextBytes)))
	}
}

// readLimited reads at most limit bytes of the file; when it is longer, an
// incomplete UTF-8 sequence at the cut is dropped (so that valid UTF-8 stays
// valid).
func readLimited(path string, limit int64) ([]byte, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) <= limit {
		return b, false, nil
	}
	b = b[:limit]
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				b = b[:len(b)-i]
			}
			break
		}
	}
	return b, true, nil
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	m, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:m], nil
}

// classify decides the content type: the caller's type unless it is
// missing or generic, else what the bytes say, refined by the file name
// where the bytes are only "text".
func classify(given string, head []byte, filename string) (string, map[string]string) {
	mt, params, err := mime.ParseMediaType(given)
	if err != nil {
		mt, params = "", map[string]string{}
	}
	mt = strings.ToLower(mt)
	sniffed, sparams := sniff(head)
	switch {
	case mt == "", mt == "application/octet-stream", mt == "binary/octet-stream":
		mt, params = sniffed, sparams
	case mt == "application/zip", mt == "application/x-zip-compressed":
		// classifyZip looks inside
	case mt == "application/pdf" && sniffed != "application/pdf" && !bytes.Contains(head, []byte("%PDF")):
		// trust the bytes: a renamed file is not a PDF
		mt, params = sniffed, sparams
	}
	// A mail with 8-bit bytes in a legacy charset does not sniff as text;
	// its name and its first header line tell.
	if mt == "application/octet-stream" && strings.EqualFold(filepath.Ext(filename), ".eml") && startsWithHeader(head) {
		mt = "text/plain"
	}
	if mt == "text/plain" {
		switch strings.ToLower(filepath.Ext(filename)) {
		case ".eml":
			mt = "message/rfc822"
		case ".htm", ".html":
			mt = "text/html"
		}
	}
	if params == nil {
		params = map[string]string{}
	}
	return mt, params
}

// startsWithHeader reports whether head begins with an RFC 5322 header
// field ("Name: value").
func startsWithHeader(head []byte) bool {
	i := bytes.IndexByte(head, ':')
	if i < 1 || i > 76 {
		return false
	}
	for _, c := range head[:i] {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

func kindOf(mt string) int {
	switch mt {
	case "application/pdf", "application/x-pdf":
		return kindPDF
	case "message/rfc822":
		return kindMail
	case "text/html", "application/xhtml+xml":
		return kindHTML
	case "text/xml", "application/xml":
		return kindXML
	case "image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp", "image/gif", "image/webp",
		"image/x-portable-anymap", "image/x-portable-pixmap", "image/x-portable-graymap", "image/x-portable-bitmap":
		return kindImage
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return kindDOCX
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return kindXLSX
	case "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
		"application/vnd.oasis.opendocument.presentation":
		return kindODF
	case "application/zip", "application/x-zip-compressed",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation":
		return kindZip
	case "application/msword", "application/rtf", "text/rtf", "application/vnd.ms-word",
		"application/vnd.wordperfect", "application/x-ole-storage":
		return kindOffice
	case "application/vnd.ms-excel":
		return kindSpreadsheetOld
	}
	switch {
	case strings.HasSuffix(mt, "+xml"):
		return kindXML
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/x-ndjson":
		return kindText
	}
	return 0
}

func formatInt(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatBytes writes a size the German way ("2,0 GiB").
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return strings.Replace(fmt.Sprintf("%.1f GiB", float64(n)/(1<<30)), ".", ",", 1)
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return strings.Replace(fmt.Sprintf("%.1f KiB", float64(n)/(1<<10)), ".", ",", 1)
	}
	return fmt.Sprintf("%d Bytes", n)
}
