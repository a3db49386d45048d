package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var officeParas = []string{
	"Bewilligungsbescheid über Ausbildungsförderung",
	"Sehr geehrte Frau Schüßler, Ihrem Antrag wird entsprochen.",
}

func TestDOCXInGo(t *testing.T) {
	docx := makeDOCX(t, officeParas, []string{"Aktenzeichen", "TFM-121-2026"}, "Landesamt für Soziales")
	for _, mt := range []string{"", mimeDOCX, "application/zip", "application/octet-stream"} {
		r, err := extractBytes(t, docx, mt, Options{Tools: &Tools{}})
		if err != nil {
			t.Fatalf("%q: %v", mt, err)
		}
		if r.Method != MethodDOCX || r.MIME != mimeDOCX {
			t.Errorf("%q: %+v", mt, r)
		}
		for _, want := range []string{officeParas[0], officeParas[1], "Aktenzeichen\tTFM-121-2026", "Landesamt für Soziales"} {
			if !strings.Contains(r.Text, want) {
				t.Errorf("%q: %q missing in %q", mt, want, r.Text)
			}
		}
		if strings.Contains(r.Text, "Gelöschter") {
			t.Errorf("deleted text extracted: %q", r.Text)
		}
		if strings.HasPrefix(r.Text, "\t") || strings.Contains(r.Text, "\t\t") {
			t.Errorf("tab stop definitions became tabs: %q", r.Text)
		}
	}
}

func TestODTInGo(t *testing.T) {
	odt := makeODT(t, officeParas, []string{"Aktenzeichen", "TFM-121-2026"})
	r, err := extractBytes(t, odt, "", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodODF || r.MIME != mimeODT {
		t.Errorf("%+v", r)
	}
	for _, want := range []string{officeParas[0], officeParas[1], "Aktenzeichen\tTFM-121-2026", "Zwei   Leerzeichen\tund\nUmbruch", "Landesamt für Ausbildungsförderung"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("%q missing in %q", want, r.Text)
		}
	}
	if strings.Contains(r.Text, "Randnotiz") {
		t.Errorf("annotation extracted: %q", r.Text)
	}
}

func TestXLSXInGo(t *testing.T) {
	r, err := extractBytes(t, makeXLSX(t), "", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodXLSX || r.MIME != mimeXLSX {
		t.Errorf("%+v", r)
	}
	want := "Zahlungen\nEmpfänger\tBetrag\nJana Schüßler\t1234.5\nAusbildungsförderung\t42"
	if r.Text != want {
		t.Errorf("got %q, want %q", r.Text, want)
	}
}

func TestOfficeThroughLibreOffice(t *testing.T) {
	tools := need(t, ToolLibreOffice)
	for _, tt := range []struct {
		name string
		data []byte
		mime string
	}{
		{"docx", makeDOCX(t, officeParas, []string{"Aktenzeichen", "TFM-121-2026"}, "Landesamt"), ""},
		{"odt", makeODT(t, officeParas, nil), ""},
		{"rtf", []byte(`{\rtf1\ansi\ansicpg1252{\fonttbl\f0 Helvetica;}\f0 Bewilligungsbescheid \'fcber Ausbildungsf\'f6rderung\par Sehr geehrte Frau Sch\'fc\'dfler, Ihrem Antrag wird entsprochen.\par}`), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := extractBytes(t, tt.data, tt.mime, Options{Tools: tools, UseLibreOffice: true})
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != MethodLibreOffice {
				t.Errorf("%+v", r)
			}
			wantWords(t, r.Text, 2, officeParas...)
		})
	}
}

func TestXLSThroughLibreOffice(t *testing.T) {
	tools := needCalc(t)
	// LibreOffice itself turns our XLSX into an XLS (the binary format
	// cannot be written by hand reasonably).
	dir := t.TempDir()
	src := filepath.Join(dir, "zahlungen.xlsx")
	os.WriteFile(src, makeXLSX(t), 0o600)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tools.Get(ToolLibreOffice).Path, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xls", "--outdir", dir, src)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making the XLS: %v\n%s", err, out)
	}
	xls, err := os.ReadFile(filepath.Join(dir, "zahlungen.xls"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := extractBytes(t, xls, "", Options{Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodLibreOffice || r.MIME != "application/vnd.ms-excel" {
		t.Errorf("%+v", r)
	}
	wantWords(t, r.Text, 5, "Empfänger", "Betrag", "Jana Schüßler", "1234", "Ausbildungsförderung")
	// without Calc: a clear refusal
	noCalc := *tools
	noCalc.CalcReady = false
	_, err = extractBytes(t, xls, "", Options{Tools: &noCalc})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(Reason(err), "libreoffice-calc-nogui") {
		t.Errorf("xls without calc: %v", err)
	}
}

func TestLibreOfficeCorruptDocument(t *testing.T) {
	tools := need(t, ToolLibreOffice)
	// a "DOC" that is nothing LibreOffice can open
	_, err := extractBytes(t, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "application/msword", Options{Tools: tools})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("want ErrCorrupt, got %v", err)
	}
}

// rawZipEntry writes a deflated entry whose header may lie about its size.
func rawZip(t *testing.T, name string, content []byte, claimedSize uint64, extra ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(extra); i += 2 {
		w, _ := zw.Create(extra[i])
		w.Write([]byte(extra[i+1]))
	}
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: claimedSize})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestZipBomb(t *testing.T) {
	tools := need(t, ToolLibreOffice)
	// 64 MiB of one repeated paragraph: about 100 KiB packed
	huge := bytes.Repeat([]byte("<w:p><w:r><w:t>Bombe</w:t></w:r></w:p>"), 64<<20/38)
	doc := append(append([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`), huge...), []byte("</w:body></w:document>")...)
	ct := `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`
	opts := Options{Tools: tools, MaxUnpackedBytes: 16 << 20}

	honest := rawZip(t, "word/document.xml", doc, uint64(len(doc)), "[Content_Types].xml", ct)
	lying := rawZip(t, "word/document.xml", doc, 1000, "[Content_Types].xml", ct)
	for _, lo := range []bool{false, true} {
		opts.UseLibreOffice = lo
		// the header tells the truth: refused before unpacking
		_, err := extractBytes(t, honest, mimeDOCX, opts)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(Reason(err), "ZIP-Bombe") {
			t.Errorf("honest bomb (LibreOffice %v): %v", lo, err)
		}
		// the header lies: stopped while unpacking, never handed on
		_, err = extractBytes(t, lying, mimeDOCX, opts)
		if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrCorrupt) {
			t.Errorf("lying bomb (LibreOffice %v): %v", lo, err)
		}
	}
	// within the budget the same document is read
	opts.UseLibreOffice = false
	opts.MaxUnpackedBytes = 128 << 20
	opts.MaxTextBytes = 1 << 20
	r, err := extractBytes(t, honest, mimeDOCX, opts)
	if err != nil || !strings.HasPrefix(r.Text, "Bombe\nBombe") || len(r.Text) > 1<<20 {
		t.Errorf("big document: %v, %d bytes", err, len(r.Text))
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "abgeschnitten") {
		t.Errorf("warnings %v", r.Warnings)
	}

	// too many entries
	var files []string
	for i := range 50 {
		files = append(files, "word/media/x"+strings.Repeat("a", i)+".xml", "x")
	}
	many := zipOf(t, append([]string{"word/document.xml", "<w:document/>"}, files...)...)
	_, err = extractBytes(t, many, mimeDOCX, Options{Tools: tools, MaxZipEntries: 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("many entries: %v", err)
	}
}

func TestOfficeBadInput(t *testing.T) {
	tools := &Tools{}
	docx := makeDOCX(t, officeParas, nil, "")
	// cut in half: the central directory is gone
	_, err := extractBytes(t, docx[:len(docx)/2], mimeDOCX, Options{Tools: tools})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated docx: %v", err)
	}
	// broken XML inside
	bad := zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document><w:body><w:p><w:t>Text</w:p")
	_, err = extractBytes(t, bad, "", Options{Tools: tools})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("broken xml: %v", err)
	}
	// an encrypted ODT (the manifest says so)
	enc := zipOf(t, "mimetype", mimeODT, "META-INF/manifest.xml",
		`<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`,
		"content.xml", "binär")
	_, err = extractBytes(t, enc, "", Options{Tools: tools})
	if !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted odt: %v", err)
	}
	// an encrypted DOCX is an OLE file with an EncryptedPackage stream
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	for _, c := range "EncryptedPackage" {
		ole = append(ole, byte(c), 0)
	}
	ole = append(ole, make([]byte, 512)...)
	for _, mt := range []string{"", mimeDOCX} {
		_, err = extractBytes(t, ole, mt, Options{Tools: tools})
		if !errors.Is(err, ErrEncrypted) {
			t.Errorf("encrypted docx (%q): %v", mt, err)
		}
	}
	// a plain zip archive is no document
	_, err = extractBytes(t, zipOf(t, "a.txt", "Hallo"), "", Options{Tools: tools})
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("zip: %v", err)
	}
}

func TestPPTXAndODSInGo(t *testing.T) {
	slide := func(text string) string {
		return `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>` +
			xmlEsc(text) + `</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`
	}
	pptx := zipOf(t,
		"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"ppt/presentation.xml", `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`,
		"ppt/slides/slide10.xml", slide("Zehnte Folie"),
		"ppt/slides/slide2.xml", slide("Zweite Folie: Ausbildungsförderung"),
		"ppt/slides/slide1.xml", slide("Erste Folie: Fachkräfteinitiative"),
	)
	r, err := extractBytes(t, pptx, "", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodPPTX || r.Pages != 3 || r.Text != "Erste Folie: Fachkräfteinitiative\fZweite Folie: Ausbildungsförderung\fZehnte Folie" {
		t.Errorf("%+v", r)
	}

	ns := `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"`
	ods := zipOf(t,
		"mimetype", mimeODS,
		"content.xml", `<office:document-content `+ns+`><office:body><office:spreadsheet>`+
			`<table:table table:name="Zahlungen"><table:table-row><table:table-cell><text:p>Empfänger</text:p></table:table-cell><table:table-cell><text:p>Betrag</text:p></table:table-cell></table:table-row>`+
			`<table:table-row><table:table-cell><text:p>Jana Schüßler</text:p></table:table-cell><table:table-cell office:value="1234.5"><text:p>1.234,50</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16000"/></table:table-row></table:table>`+
			`<table:table table:name="Notizen"><table:table-row><table:table-cell><text:p>Ausbildungsförderung</text:p></table:table-cell></table:table-row></table:table>`+
			`</office:spreadsheet></office:body></office:document-content>`,
	)
	r, err = extractBytes(t, ods, "", Options{Tools: &Tools{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != MethodODF || r.MIME != mimeODS || r.Text != "Zahlungen\nEmpfänger\tBetrag\nJana Schüßler\t1.234,50\fNotizen\nAusbildungsförderung" {
		t.Errorf("%q %+v", r.Text, r)
	}
}
