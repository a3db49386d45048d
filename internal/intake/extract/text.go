package extract

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// sniff detects the type from the first bytes.
func sniff(head []byte) (string, map[string]string) {
	mt, params, err := mime.ParseMediaType(mimetype.Detect(head).String())
	if err != nil {
		return "application/octet-stream", map[string]string{}
	}
	return mt, params
}

// decodeText turns bytes of unknown charset into UTF-8. In order: a byte
// order mark; valid UTF-8; the declared charset (ISO-8859-1 is read as its
// superset Windows-1252, as browsers and mail programs do); UTF-16 without
// BOM; else the better-scoring of Windows-1252 and the DOS code page 850
// for German text. The warning is set when the charset was guessed.
func decodeText(b []byte, declared string) (text, cs, warning string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD"), "utf-8", ""
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), b), "utf-16le", ""
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), b), "utf-16be", ""
	}
	if utf8.Valid(b) {
		return string(b), "utf-8", ""
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	if declared != "" && declared != "utf-8" && declared != "utf8" && declared != "us-ascii" {
		if enc, err := htmlindex.Get(declared); err == nil {
			name, _ := htmlindex.Name(enc)
			return decodeWith(enc, b), name, ""
		}
	}
	if looksUTF16LE(b) {
		return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), b), "utf-16le", "Zeichensatz erkannt: UTF-16"
	}
	text, cs = guess8bit(b)
	w := "Zeichensatz erkannt: " + cs
	if declared == "utf-8" || declared == "utf8" {
		w = "als UTF-8 angegeben, aber ungültig; gelesen als " + cs
	}
	return text, cs, w
}

func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

func looksUTF16LE(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	zeros := 0
	n := min(len(b), 4096)
	for i := 1; i < n; i += 2 {
		if b[i] == 0 {
			zeros++
		}
	}
	return zeros*10 > (n/2)*7
}

// guess8bit picks between Windows-1252 and code page 850 by how German the
// decoded text looks: umlauts and ß count for, controls and box drawing
// count against.
func guess8bit(b []byte) (string, string) {
	best, bestName, bestScore := "", "", -1<<31
	for _, c := range []struct {
		name string
		enc  encoding.Encoding
	}{{"windows-1252", charmap.Windows1252}, {"ibm850", charmap.CodePage850}} {
		s := decodeWith(c.enc, b)
		score := 0
		for _, r := range s {
			switch {
			case strings.ContainsRune("äöüÄÖÜß", r):
				score += 2
			case r == '\uFFFD', r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f', r >= 0x7F && r < 0xA0:
				score -= 5
			case r >= 0x2500 && r <= 0x25FF, r == '¤', r == '¦':
				score -= 2
			}
		}
		if score > bestScore {
			best, bestName, bestScore = s, c.name, score
		}
	}
	return best, bestName
}

// decodeCharset decodes b from a declared charset (e-mail parts). It
// returns the text, the charset used, and a warning when it had to guess.
func decodeCharset(b []byte, declared string) (string, string, string) {
	return decodeText(b, declared)
}

var ligatures = strings.NewReplacer(
	"\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl", "\uFB05", "st", "\uFB06", "st",
	"\u00AD", "", // soft hyphen
	"\u00A0", " ", // no-break space: the index splits on spaces
	"\r\n", "\n", "\r", "\n",
)

// cleanText makes extracted text fit for the index: valid UTF-8 in NFC,
// Unix line ends, no control characters (form feeds between pages stay),
// ligatures spelled out, no trailing blanks, at most one empty line in a row.
func cleanText(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ligatures.Replace(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n', r == '\t', r == '\f':
			return r
		case r == '\uFEFF', r == '\u200B':
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = norm.NFC.String(s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if strings.Trim(l, "\f") == "" && !strings.Contains(l, "\f") {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	s = strings.Join(out, "\n")
	if strings.Contains(s, "\f") {
		s = pageBreak.ReplaceAllString(s, "\f")
	}
	return strings.Trim(s, "\n ")
}

// pageBreak is a form feed with the blank lines around it.
var pageBreak = regexp.MustCompile(`[ \t\n]*\f[ \t\n]*`)

// htmlDocToText reads a whole HTML document (charset from BOM, <meta> or
// the declared type).
func htmlDocToText(b []byte, mt, declared string) (string, string) {
	ct := mt
	if declared != "" {
		ct += "; charset=" + declared
	}
	enc, name, _ := charset.DetermineEncoding(b, ct)
	s, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		s = b
	}
	return htmlToText(string(s)), name
}

var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "tr": true, "table": true, "ul": true, "ol": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true,
	"hr": true, "section": true, "article": true, "header": true, "footer": true, "address": true, "dt": true, "dd": true,
}

// htmlToText strips tags: script, style and head are dropped, block
// elements end lines, table cells are separated by tabs, entities are
// decoded and runs of white space collapse (except in <pre>).
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	z.SetMaxBuf(0)
	var b strings.Builder
	skip, pre := 0, 0
	nl := func() {
		t := b.String()
		if t != "" && !strings.HasSuffix(t, "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "head", "title", "noscript", "template":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case "pre":
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			case "td", "th":
				if tt == html.EndTagToken {
					b.WriteByte('\t')
				}
				continue
			}
			if blockTags[tag] {
				nl()
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if pre == 0 {
				t = collapseSpace(t)
				if strings.HasSuffix(b.String(), "\n") || b.Len() == 0 {
					t = strings.TrimLeft(t, " ")
				}
			}
			b.WriteString(t)
		}
	}
}

func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// xmlToText returns the character data of an XML document, one line per
// text node. encoding/xml expands no custom entities (no DTDs), so an
// entity bomb cannot grow.
func xmlToText(b []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(r), nil
	}
	var out strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if out.Len() == 0 {
				return "", fail(ErrCorrupt, err, "XML nicht lesbar")
			}
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			if t := strings.TrimSpace(string(cd)); t != "" {
				out.WriteString(t)
				out.WriteByte('\n')
			}
		}
	}
	return out.String(), nil
}
