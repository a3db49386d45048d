package extract

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/tiff"
)

// The tests make their own inputs, so the words to find are known.

// pdfBuilder writes a minimal PDF: numbered objects, optional streams,
// optional RC4 encryption (standard security handler, revision 2).
type pdfBuilder struct {
	objs    []pdfObj
	key     []byte // file key when encrypting
	encrypt string // encryption dictionary
	id      []byte
}

type pdfObj struct {
	dict   string
	stream []byte // nil: no stream
}

func (p *pdfBuilder) add(dict string, stream []byte) int {
	p.objs = append(p.objs, pdfObj{dict, stream})
	return len(p.objs)
}

// set replaces object n (1-based), for objects referenced before written.
func (p *pdfBuilder) set(n int, dict string, stream []byte) { p.objs[n-1] = pdfObj{dict, stream} }

func (p *pdfBuilder) bytes(root int) []byte {
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(p.objs))
	for i, o := range p.objs {
		offsets[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n", i+1)
		if o.stream == nil {
			fmt.Fprintf(&buf, "%s\nendobj\n", o.dict)
			continue
		}
		data := o.stream
		if p.key != nil {
			data = rc4Obj(p.key, i+1, data)
		}
		fmt.Fprintf(&buf, "<< %s /Length %d >>\nstream\n", o.dict, len(data))
		buf.Write(data)
		buf.WriteString("\nendstream\nendobj\n")
	}
	var encRef string
	if p.key != nil {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", len(offsets), p.encrypt)
		encRef = fmt.Sprintf(" /Encrypt %d 0 R /ID [<%x> <%x>]", len(offsets), p.id, p.id)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, root, encRef, xref)
	return buf.Bytes()
}

var pdfPadding = []byte{0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A}

func padPW(pw string) []byte { return append([]byte(pw), pdfPadding...)[:32] }

func rc4Bytes(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func rc4Obj(key []byte, num int, data []byte) []byte {
	k := append(append([]byte{}, key...), byte(num), byte(num>>8), byte(num>>16), 0, 0)
	sum := md5.Sum(k)
	return rc4Bytes(sum[:len(key)+5], data)
}

// encryptWith turns on 40-bit RC4 encryption (PDF 1.4, R2). An empty user
// password opens without asking (only the permissions are restricted).
func (p *pdfBuilder) encryptWith(user, owner string, perms int32) {
	p.id = []byte("aktenwerk-test-1")
	ok := md5.Sum(padPW(owner))
	o := rc4Bytes(ok[:5], padPW(user))
	h := md5.New()
	h.Write(padPW(user))
	h.Write(o)
	binary.Write(h, binary.LittleEndian, perms)
	h.Write(p.id)
	p.key = h.Sum(nil)[:5]
	u := rc4Bytes(p.key, pdfPadding)
	p.encrypt = fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", o, u, perms)
}

// pdfText encodes s as a WinAnsi literal string (German letters included).
func pdfText(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xFF:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

type placed struct {
	x, y float64
	text string
}

// pdfPages makes a PDF whose pages hold text at positions (Helvetica 11 pt)
// and/or a full-page grey image.
type pdfPage struct {
	texts []placed
	img   *image.Gray
}

func makePDF(t testing.TB, pages []pdfPage, enc func(*pdfBuilder)) []byte {
	t.Helper()
	var p pdfBuilder
	catalog := p.add("<< /Type /Catalog /Pages 2 0 R >>", nil)
	pagesObj := p.add("", nil)
	fontObj := p.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", nil)
	var kids []string
	for _, pg := range pages {
		var c strings.Builder
		res := fmt.Sprintf("/Font << /F1 %d 0 R >>", fontObj)
		if pg.img != nil {
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(pg.img.Pix)
			zw.Close()
			b := pg.img.Bounds()
			im := p.add(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
				b.Dx(), b.Dy()), z.Bytes())
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", im)
			c.WriteString("q 595 0 0 842 0 0 cm /Im1 Do Q\n")
		}
		for _, tx := range pg.texts {
			fmt.Fprintf(&c, "BT /F1 11 Tf %.1f %.1f Td %s Tj ET\n", tx.x, tx.y, pdfText(tx.text))
		}
		content := p.add("", []byte(c.String()))
		page := p.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>",
			pagesObj, res, content), nil)
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	p.set(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids)), nil)
	if enc != nil {
		enc(&p)
	}
	return p.bytes(catalog)
}

// textLines places lines top-down at the left margin.
func textLines(lines ...string) pdfPage {
	var pg pdfPage
	for i, l := range lines {
		pg.texts = append(pg.texts, placed{x: 64, y: 780 - float64(i)*16, text: l})
	}
	return pg
}

// renderText draws lines black on white with Go Regular at 12 pt, 300 dpi
// (A4 width, as a scanner would deliver).
func renderText(t testing.TB, lines []string, a4 bool) *image.Gray {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 12, DPI: 300, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	lineH := 75 // 18 pt leading at 300 dpi
	w, h := 2480, 300+lineH*len(lines)
	if a4 {
		h = 3508
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(240, 240+i*lineH)
		d.DrawString(l)
	}
	return img
}

// zipOf builds a zip from name/content pairs, in order.
func zipOf(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		method := zip.Deflate
		if files[i] == "mimetype" {
			method = zip.Store // ODF: first, uncompressed
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: files[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xmlEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// makeDOCX: a minimal Word document with paragraphs, a table row and a
// header.
func makeDOCX(t testing.TB, paras []string, cells []string, header string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, xmlEsc(p))
	}
	if len(cells) > 0 {
		body.WriteString("<w:tbl><w:tr>")
		for _, c := range cells {
			fmt.Fprintf(&body, `<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>`, xmlEsc(c))
		}
		body.WriteString("</w:tr></w:tbl>")
	}
	// a deleted run (tracked change) must not show up
	body.WriteString(`<w:p><w:del><w:r><w:delText>Gelöschter Entwurfstext</w:delText></w:r></w:del></w:p>`)
	ns := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	return zipOf(t,
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`,
		"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document `+ns+`><w:body>`+body.String()+`<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body></w:document>`,
		"word/header1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr `+ns+`><w:p><w:r><w:t>`+xmlEsc(header)+`</w:t></w:r></w:p></w:hdr>`,
	)
}

// makeODT: a minimal OpenDocument text with paragraphs, text:s and a table.
func makeODT(t testing.TB, paras []string, cells []string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		fmt.Fprintf(&body, "<text:p>%s</text:p>\n", xmlEsc(p))
	}
	if len(cells) > 0 {
		body.WriteString(`<table:table table:name="Tabelle1"><table:table-row>`)
		for _, c := range cells {
			fmt.Fprintf(&body, "<table:table-cell><text:p>%s</text:p></table:table-cell>", xmlEsc(c))
		}
		body.WriteString("</table:table-row></table:table>")
	}
	body.WriteString(`<text:p>Zwei<text:s text:c="3"/>Leerzeichen<text:tab/>und<text:line-break/>Umbruch<office:annotation><text:p>Randnotiz nicht indexieren</text:p></office:annotation></text:p>`)
	ns := `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"`
	return zipOf(t,
		"mimetype", "application/vnd.oasis.opendocument.text",
		"META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
		"content.xml", `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content `+ns+` office:version="1.2"><office:body><office:text>
`+body.String()+`</office:text></office:body></office:document-content>`,
		"styles.xml", `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles `+ns+` office:version="1.2"><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Landesamt für Ausbildungsförderung</text:p></style:header></style:master-page></office:master-styles></office:document-styles>`,
	)
}

// makeXLSX: one sheet with shared strings, an inline string and numbers.
func makeXLSX(t testing.TB) []byte {
	t.Helper()
	return zipOf(t,
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Zahlungen" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Empfänger</t></si><si><t>Betrag</t></si><si><r><t>Jana </t></r><r><t>Schüßler</t></r></si></sst>`,
		"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1234.5</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>Ausbildungsförderung</t></is></c><c r="B3"><v>42</v></c></row>
</sheetData></worksheet>`,
	)
}

func pngOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tiffOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tiff.Encode(&b, img, &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
