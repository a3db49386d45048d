package demo

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// A tiny PDF 1.4 writer: A4 pages of Helvetica text in WinAnsiEncoding
// (so that German umlauts, ß, „“, – and € show), with a correct xref table.
// It knows just enough to make sample documents that every viewer opens.

const (
	pdfPageW     = 595 // A4 in points
	pdfPageH     = 842
	pdfMarginX   = 64
	pdfTop       = 790
	pdfBottom    = 56
	pdfBodySize  = 10.5
	pdfLeading   = 13
	pdfWrapChars = 88 // Helvetica 10.5 pt on 467 pt width, German text
)

// pdfLine is one line of a page; Bold lines use Helvetica-Bold.
type pdfLine struct {
	Text string
	Bold bool
}

// makePDF lays out lines (already wrapped) on as many pages as they need.
func makePDF(title, author string, created time.Time, lines []pdfLine) []byte {
	perPage := int((pdfTop - pdfBottom) / pdfLeading)
	var pages [][]pdfLine
	for len(lines) > 0 {
		n := min(perPage, len(lines))
		pages = append(pages, lines[:n])
		lines = lines[n:]
	}
	if len(pages) == 0 {
		pages = [][]pdfLine{{}}
	}

	var buf bytes.Buffer
	var offsets []int // offsets[i] is the byte offset of object i+1
	obj := func(body string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	stream := func(data string) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(offsets), len(data), data)
	}

	// Objects: 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 info,
	// then per page a page object and its content stream.
	const firstPage = 6
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPage+2*i)
	}
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title %s /Author %s /Producer (aktenwerk Beispieldaten) /CreationDate (D:%s) >>",
		pdfTextString(title), pdfTextString(author), created.UTC().Format("20060102150405")+"Z"))
	for i, page := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			pdfPageW, pdfPageH, firstPage+2*i+1))
		var c strings.Builder
		fmt.Fprintf(&c, "BT\n/F1 %.1f Tf\n%d TL\n%d %d Td\n", pdfBodySize, pdfLeading, pdfMarginX, pdfTop)
		bold := false
		for _, l := range page {
			if l.Bold != bold {
				font := "/F1"
				if l.Bold {
					font = "/F2"
				}
				fmt.Fprintf(&c, "%s %.1f Tf\n", font, pdfBodySize)
				bold = l.Bold
			}
			if l.Text != "" {
				c.WriteString(pdfString(l.Text))
				c.WriteString(" Tj ")
			}
			c.WriteString("T*\n")
		}
		c.WriteString("ET\n")
		if len(pages) > 1 {
			fmt.Fprintf(&c, "BT\n/F1 8.0 Tf\n%d %d Td\n%s Tj\nET\n", pdfPageW/2-20, pdfBottom/2,
				pdfString(fmt.Sprintf("Seite %d von %d", i+1, len(pages))))
		}
		stream(c.String())
	}

	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// winAnsi maps the characters of Windows-1252 0x80–0x9F that German
// official letters use; 0xA0–0xFF are the same as in Latin-1.
var winAnsi = map[rune]byte{
	'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‹': 0x8B, '‘': 0x91, '’': 0x92,
	'“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '™': 0x99, '›': 0x9B,
}

// pdfString encodes s as a PDF literal string in WinAnsiEncoding; characters
// outside it become '?'.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		var c byte
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
			continue
		case r >= 0x20 && r < 0x7F:
			b.WriteRune(r)
			continue
		case r >= 0xA0 && r <= 0xFF:
			c = byte(r)
		case r == '\t':
			b.WriteString("    ")
			continue
		default:
			var ok bool
			if c, ok = winAnsi[r]; !ok {
				c = '?'
			}
		}
		if c < 0x80 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// pdfTextString encodes s for the document information dictionary:
// plain ASCII as a literal, anything else as UTF-16BE with a byte order mark.
func pdfTextString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return pdfString(s)
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// wrap breaks a paragraph into lines of at most width runes, at spaces.
func wrap(s string, width int) []string {
	// Split at plain spaces only: a no-break space (12,50 €) holds.
	var words []string
	for _, w := range strings.Split(s, " ") {
		if w != "" {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur := ""
	for _, w := range words {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}

// TextPDF is a PDF with a title line and paragraphs of text (for tests and
// samples of text extraction).
func TextPDF(title string, paragraphs ...string) []byte {
	lines := []pdfLine{{Text: title, Bold: true}}
	for _, p := range paragraphs {
		for _, l := range wrap(p, pdfWrapChars) {
			lines = append(lines, pdfLine{Text: l})
		}
	}
	return makePDF(title, "Aktenwerk", time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC), lines)
}
