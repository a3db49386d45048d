package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Office Open XML and OpenDocument files are zip archives of XML. aktenwerk
// reads them itself (archive/zip + encoding/xml): no process start, no 200
// MB dependency, and a parser that cannot run macros. Every read goes
// through an unpack budget, so a zip bomb stops at Options.MaxUnpackedBytes
// whatever its headers claim.

const (
	mimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	mimeODT  = "application/vnd.oasis.opendocument.text"
	mimeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	mimeODP  = "application/vnd.oasis.opendocument.presentation"
)

// zipDoc is an opened container with its unpack budget.
type zipDoc struct {
	zr     *zip.ReadCloser
	budget int64 // bytes that may still be unpacked
	limit  int64
	files  map[string]*zip.File
}

func openZip(in string, opts Options) (*zipDoc, error) {
	zr, err := zip.OpenReader(in)
	if err != nil {
		return nil, fail(ErrCorrupt, err, "ZIP-Container nicht lesbar")
	}
	z := &zipDoc{zr: zr, budget: opts.MaxUnpackedBytes, limit: opts.MaxUnpackedBytes, files: map[string]*zip.File{}}
	if len(zr.File) > opts.MaxZipEntries {
		zr.Close()
		return nil, fail(ErrTooLarge, nil, "ZIP-Container mit %s Einträgen, erlaubt sind %s", formatInt(int64(len(zr.File))), formatInt(int64(opts.MaxZipEntries)))
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		z.files[f.Name] = f
	}
	if declared > uint64(opts.MaxUnpackedBytes) {
		zr.Close()
		return nil, fail(ErrTooLarge, nil, "entpackt %s, erlaubt sind %s (ZIP-Bombe?)", formatBytes(int64(min(declared, 1<<62))), formatBytes(opts.MaxUnpackedBytes))
	}
	return z, nil
}

func (z *zipDoc) Close() error { return z.zr.Close() }

// open returns the entry's content; reading more than the remaining budget
// fails with ErrTooLarge. (archive/zip itself fails with ErrFormat when an
// entry yields more than its header declares.)
func (z *zipDoc) open(name string) (io.ReadCloser, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, os.ErrNotExist
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fail(ErrCorrupt, err, "Eintrag %s nicht lesbar", name)
	}
	return &budgetReader{rc: rc, z: z}, nil
}

type budgetReader struct {
	rc io.ReadCloser
	z  *zipDoc
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.z.budget <= 0 {
		// one byte more than the budget means too large
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, fail(ErrTooLarge, nil, "entpackt mehr als %s (ZIP-Bombe?)", formatBytes(b.z.limit))
		}
		return b.rc.Read(p)
	}
	if int64(len(p)) > b.z.budget {
		p = p[:b.z.budget]
	}
	n, err := b.rc.Read(p)
	b.z.budget -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		var f *failure
		if !errors.As(err, &f) {
			err = fail(ErrCorrupt, err, "ZIP-Eintrag beschädigt")
		}
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.rc.Close() }

// drain unpacks every entry once through the budget (before the container
// is handed to LibreOffice, whose unpacking we do not control).
func (z *zipDoc) drain() error {
	for _, f := range z.zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := z.open(f.Name)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// classifyZip tells which document a zip container holds.
func classifyZip(in string, opts Options) (int, string, error) {
	z, err := openZip(in, opts)
	if err != nil {
		return 0, "application/zip", err
	}
	defer z.Close()
	has := func(n string) bool { _, ok := z.files[n]; return ok }
	switch {
	case has("word/document.xml"):
		return kindDOCX, mimeDOCX, nil
	case has("xl/workbook.xml"):
		return kindXLSX, mimeXLSX, nil
	case has("ppt/presentation.xml"):
		return kindDOCX, mimePPTX, nil // read like DOCX, by our own reader
	case has("mimetype"):
		rc, err := z.open("mimetype")
		if err != nil {
			return 0, "application/zip", err
		}
		b, err := io.ReadAll(io.LimitReader(rc, 200))
		rc.Close()
		if err != nil {
			return 0, "application/zip", err
		}
		mt := strings.TrimSpace(string(b))
		mt = strings.TrimSuffix(mt, "-template")
		switch mt {
		case mimeODT, mimeODS, mimeODP, "application/vnd.oasis.opendocument.text-master":
			if mt == "application/vnd.oasis.opendocument.text-master" {
				mt = mimeODT
			}
			if manifest, err := z.readAll("META-INF/manifest.xml"); err == nil && bytes.Contains(manifest, []byte("encryption-data")) {
				return kindODF, mt, fail(ErrEncrypted, nil, "OpenDocument mit Kennwort")
			}
			return kindODF, mt, nil
		}
		return 0, mt, fail(ErrUnsupported, nil, "%s", mt)
	}
	return 0, "application/zip", fail(ErrUnsupported, nil, "ZIP-Archiv ohne bekanntes Dokumentformat")
}

func (z *zipDoc) readAll(name string) ([]byte, error) {
	rc, err := z.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// extractOOXMLorODF reads DOCX, PPTX, XLSX and ODF in Go.
func extractOOXMLorODF(in string, kind int, opts Options, res *Result) error {
	z, err := openZip(in, opts)
	if err != nil {
		return err
	}
	defer z.Close()
	var parts []string
	switch {
	case res.MIME == mimeDOCX:
		res.Method = MethodDOCX
		parts, err = docxText(z)
	case res.MIME == mimePPTX:
		res.Method = MethodPPTX
		parts, err = pptxText(z)
		res.Pages = len(parts)
	case kind == kindXLSX:
		res.Method = MethodXLSX
		parts, err = xlsxText(z)
	default:
		res.Method = MethodODF
		parts, err = odfText(z)
	}
	if err != nil {
		return err
	}
	sep := "\n\n"
	if res.MIME == mimePPTX || kind == kindXLSX || res.MIME == mimeODS {
		sep = "\f" // slides and sheets are pages
	}
	res.Text = strings.Join(parts, sep)
	return nil
}

// xmlWalk streams an XML entry, calling start/end for elements (local
// names) and text for character data.
func (z *zipDoc) xmlWalk(name string, start func(se xml.StartElement), end func(local string), text func(s string)) error {
	rc, err := z.open(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail(ErrCorrupt, nil, "%s fehlt im Dokument", name)
		}
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken() // RawToken: no namespace resolution, no nesting checks we do not need
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var f *failure
			if errors.As(err, &f) {
				return err
			}
			return fail(ErrCorrupt, err, "%s ist kein gültiges XML", name)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			start(t)
		case xml.EndElement:
			end(t.Name.Local)
		case xml.CharData:
			text(string(t))
		}
	}
}

// wordML extracts WordprocessingML (document, headers, footers, notes).
func wordML(z *zipDoc, name string) (string, error) {
	var b bytes.Buffer
	var stack []string
	inT := false
	err := z.xmlWalk(name, func(se xml.StartElement) {
		parent := ""
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		stack = append(stack, se.Name.Local)
		switch se.Name.Local {
		case "t":
			inT = true
		case "tab":
			if parent != "tabs" { // a tab stop definition is not a tab
				b.WriteByte('\t')
			}
		case "br", "cr":
			b.WriteByte('\n')
		case "noBreakHyphen":
			b.WriteByte('-')
		}
	}, func(local string) {
		if len(stack) > 0 {
			stack = stack[:len(stack)-1]
		}
		switch local {
		case "t":
			inT = false
		case "p":
			b.WriteByte('\n')
		case "tc":
			trimEnd(&b, "\n")
			b.WriteByte('\t')
		case "tr":
			trimEnd(&b, "\t")
			b.WriteByte('\n')
		}
	}, func(s string) {
		if inT {
			b.WriteString(s)
		}
	})
	return b.String(), err
}

func docxText(z *zipDoc) ([]string, error) {
	body, err := wordML(z, "word/document.xml")
	if err != nil {
		return nil, err
	}
	parts := []string{body}
	var extra []string
	for n := range z.files {
		base := path.Base(n)
		if path.Dir(n) == "word" && (strings.HasPrefix(base, "header") || strings.HasPrefix(base, "footer") ||
			base == "footnotes.xml" || base == "endnotes.xml") && strings.HasSuffix(base, ".xml") {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	for _, n := range extra {
		s, err := wordML(z, n)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
	}
	return parts, nil
}

// pptxText reads the slides in order, one part per slide.
func pptxText(z *zipDoc) ([]string, error) {
	var slides []string
	for n := range z.files {
		if path.Dir(n) == "ppt/slides" && strings.HasPrefix(path.Base(n), "slide") && strings.HasSuffix(n, ".xml") {
			slides = append(slides, n)
		}
	}
	sort.Slice(slides, func(i, j int) bool { return slideNum(slides[i]) < slideNum(slides[j]) })
	var parts []string
	for _, n := range slides {
		s, err := wordML(z, n) // DrawingML text uses a:t / a:p like w:t / w:p
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
	}
	return parts, nil
}

func slideNum(n string) int {
	s := strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "slide"), ".xml")
	v, _ := strconv.Atoi(s)
	return v
}

// xlsxText reads every sheet in workbook order: cells separated by tabs,
// rows by new lines, with the sheet name as first line.
func xlsxText(z *zipDoc) ([]string, error) {
	var shared []string
	if _, ok := z.files["xl/sharedStrings.xml"]; ok {
		var cur strings.Builder
		inT, inRPh := false, false
		err := z.xmlWalk("xl/sharedStrings.xml", func(se xml.StartElement) {
			switch se.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh": // phonetic guide, not text
				inRPh = true
			}
		}, func(local string) {
			switch local {
			case "si":
				shared = append(shared, cur.String())
			case "t":
				inT = false
			case "rPh":
				inRPh = false
			}
		}, func(s string) {
			if inT && !inRPh {
				cur.WriteString(s)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	sheets, err := xlsxSheets(z)
	if err != nil {
		return nil, err
	}
	var parts []string
	for _, sh := range sheets {
		var b strings.Builder
		b.WriteString(sh.name)
		b.WriteByte('\n')
		var cellType string
		var val strings.Builder
		inV, inT, rowHasCell := false, false, false
		err := z.xmlWalk(sh.file, func(se xml.StartElement) {
			switch se.Name.Local {
			case "c":
				cellType = ""
				for _, a := range se.Attr {
					if a.Name.Local == "t" {
						cellType = a.Value
					}
				}
				val.Reset()
			case "v":
				inV = true
			case "t":
				inT = true
			}
		}, func(local string) {
			switch local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "c":
				v := val.String()
				if cellType == "s" {
					if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(shared) {
						v = shared[i]
					} else {
						v = ""
					}
				}
				if cellType == "b" {
					v = map[string]string{"1": "WAHR", "0": "FALSCH"}[v]
				}
				if v != "" {
					if rowHasCell {
						b.WriteByte('\t')
					}
					b.WriteString(v)
					rowHasCell = true
				}
			case "row":
				if rowHasCell {
					b.WriteByte('\n')
				}
				rowHasCell = false
			}
		}, func(s string) {
			if inV || inT {
				val.WriteString(s)
			}
		})
		if err != nil {
			return nil, err
		}
		parts = append(parts, b.String())
	}
	return parts, nil
}

type xlsxSheet struct{ name, file string }

// xlsxSheets lists the worksheets in workbook order.
func xlsxSheets(z *zipDoc) ([]xlsxSheet, error) {
	targets := map[string]string{}
	if _, ok := z.files["xl/_rels/workbook.xml.rels"]; ok {
		err := z.xmlWalk("xl/_rels/workbook.xml.rels", func(se xml.StartElement) {
			if se.Name.Local != "Relationship" {
				return
			}
			var id, target string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "Id":
					id = a.Value
				case "Target":
					target = a.Value
				}
			}
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join("xl", target)
			}
			targets[id] = target
		}, func(string) {}, func(string) {})
		if err != nil {
			return nil, err
		}
	}
	var sheets []xlsxSheet
	err := z.xmlWalk("xl/workbook.xml", func(se xml.StartElement) {
		if se.Name.Local != "sheet" {
			return
		}
		var name, rid string
		for _, a := range se.Attr {
			switch {
			case a.Name.Local == "name":
				name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				rid = a.Value
			}
		}
		if f, ok := targets[rid]; ok {
			if _, ok := z.files[f]; ok {
				sheets = append(sheets, xlsxSheet{name: name, file: f})
			}
		}
	}, func(string) {}, func(string) {})
	if err != nil {
		return nil, err
	}
	if len(sheets) == 0 { // no usable relations: every worksheet, by name
		var names []string
		for n := range z.files {
			if path.Dir(n) == "xl/worksheets" && strings.HasSuffix(n, ".xml") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			sheets = append(sheets, xlsxSheet{name: strings.TrimSuffix(path.Base(n), ".xml"), file: n})
		}
	}
	return sheets, nil
}

// odfText reads content.xml (and the page header and footer texts from
// styles.xml). White space collapses as in ODF; text:s, text:tab and
// text:line-break make it explicit. Tracked deletions and annotations are
// left out.
func odfText(z *zipDoc) ([]string, error) {
	body, err := odfXML(z, "content.xml", false)
	if err != nil {
		return nil, err
	}
	parts := []string{body}
	if _, ok := z.files["styles.xml"]; ok {
		hf, err := odfXML(z, "styles.xml", true)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(hf) != "" {
			parts = append(parts, hf)
		}
	}
	return parts, nil
}

func odfXML(z *zipDoc, name string, onlyHeaderFooter bool) (string, error) {
	var b bytes.Buffer
	skip, inBody, inHF, inSheets, inTable := 0, 0, 0, 0, 0
	atBlank := func() bool {
		bs := b.Bytes()
		return len(bs) == 0 || strings.IndexByte(" \n\t\f", bs[len(bs)-1]) >= 0
	}
	skipped := func(l string) bool {
		switch l {
		case "tracked-changes", "annotation", "notes-configuration", "sequence-decls", "forms":
			return true
		}
		return false
	}
	headerFooter := func(l string) bool {
		switch l {
		case "header", "footer", "header-left", "footer-left", "header-first", "footer-first":
			return true
		}
		return false
	}
	err := z.xmlWalk(name, func(se xml.StartElement) {
		l := se.Name.Local
		switch {
		case skipped(l):
			skip++
		case l == "body":
			inBody++
		case headerFooter(l):
			inHF++
		case l == "spreadsheet":
			inSheets++
		case l == "table":
			if inSheets > 0 && inTable == 0 && skip == 0 && !onlyHeaderFooter {
				// a sheet of a spreadsheet: a page of its own, named
				if b.Len() > 0 {
					trimEnd(&b, "\n")
					b.WriteByte('\f')
				}
				for _, a := range se.Attr {
					if a.Name.Local == "name" {
						b.WriteString(a.Value)
						b.WriteByte('\n')
					}
				}
			}
			inTable++
		}
		if skip > 0 {
			return
		}
		switch l {
		case "s":
			n := 1
			for _, a := range se.Attr {
				if a.Name.Local == "c" {
					if v, err := strconv.Atoi(a.Value); err == nil && v > 0 {
						n = min(v, 100)
					}
				}
			}
			b.WriteString(strings.Repeat(" ", n))
		case "tab":
			b.WriteByte('\t')
		case "line-break":
			b.WriteByte('\n')
		}
	}, func(l string) {
		switch {
		case skipped(l):
			skip--
			return
		case l == "body":
			inBody--
		case headerFooter(l):
			inHF = max(inHF-1, 0)
		case l == "spreadsheet":
			inSheets--
		case l == "table":
			inTable--
		}
		if skip > 0 {
			return
		}
		switch l {
		case "p", "h":
			b.WriteByte('\n')
		case "table-cell":
			// the cell's last paragraph ended the line: a tab instead
			trimEnd(&b, "\n")
			b.WriteByte('\t')
		case "table-row":
			trimEnd(&b, "\t")
			b.WriteByte('\n')
		}
	}, func(s string) {
		if skip > 0 || (onlyHeaderFooter && inHF == 0) || (!onlyHeaderFooter && inBody == 0) {
			return
		}
		// ODF collapses white space in text content
		s = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			return r
		}, s)
		s = collapseSpace(s)
		if atBlank() {
			s = strings.TrimLeft(s, " ")
		}
		b.WriteString(s)
	})
	return b.String(), err
}

// oleScan reads an OLE compound file (first 32 MiB) and tells which
// well-known streams it holds; their names are UTF-16 in directory sectors.
// It answers what the type sniffer cannot always tell from the first bytes:
// an encrypted Office 2007+ document ("EncryptedPackage"), a Word document
// ("WordDocument"), an Excel workbook ("Workbook", "Book").
func oleScan(in string) (encrypted bool, mt string) {
	f, err := os.Open(in)
	if err != nil {
		return false, ""
	}
	defer f.Close()
	var sig [8]byte
	if _, err := io.ReadFull(f, sig[:]); err != nil || !bytes.Equal(sig[:], []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}) {
		return false, ""
	}
	b, err := io.ReadAll(io.LimitReader(f, 32<<20))
	if err != nil {
		return false, ""
	}
	has := func(name string) bool {
		var u []byte
		for _, c := range name {
			u = append(u, byte(c), 0)
		}
		u = append(u, 0, 0) // the name's terminating NUL
		return bytes.Contains(b, u)
	}
	switch {
	case has("EncryptedPackage"):
		return true, ""
	case has("WordDocument"):
		return false, "application/msword"
	case has("Workbook"), has("Book"):
		return false, "application/vnd.ms-excel"
	}
	return false, ""
}

func isOLEEncrypted(in string) bool {
	enc, _ := oleScan(in)
	return enc
}

// trimEnd removes trailing cut characters from b (in place, O(1) per byte).
func trimEnd(b *bytes.Buffer, cut string) {
	bs := b.Bytes()
	n := len(bs)
	for n > 0 && strings.IndexByte(cut, bs[n-1]) >= 0 {
		n--
	}
	b.Truncate(n)
}
