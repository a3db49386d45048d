package extract

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// E-mail (.eml): the headers become the first lines of the text (Von, An,
// Cc, Betreff, Datum, Anhänge), then the body: text/plain preferred over
// text/html in multipart/alternative, every text part of multipart/mixed in
// order. Attachments (and forwarded messages) are returned decoded, to be
// stored as documents of their own; their text is not extracted here.

var wordDecoder = &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}}

// decodeHeader decodes RFC 2047 words; raw 8-bit bytes (not allowed, but
// common) are read as UTF-8 when valid, else as Windows-1252.
func decodeHeader(s string) string {
	d, err := wordDecoder.DecodeHeader(s)
	if err != nil {
		d = s
	}
	if !utf8.ValidString(d) {
		d, _ = guess8bit([]byte(d))
	}
	return strings.Join(strings.Fields(c1To1252(d)), " ")
}

// c1To1252 reads C1 control characters as Windows-1252: mime.WordDecoder
// decodes "ISO-8859-1" itself, literally, but mail programs label
// Windows-1252 text (– „ “ €) as ISO-8859-1, as browsers know.
func c1To1252(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 && r <= 0x9F }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= 0x80 && r <= 0x9F {
			if d := charmap.Windows1252.DecodeByte(byte(r)); d != utf8.RuneError {
				return d
			}
		}
		return r
	}, s)
}

func decodeAddresses(h mail.Header, key string) []string {
	raw := h.Get(key)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	p := mail.AddressParser{WordDecoder: wordDecoder}
	list, err := p.ParseList(raw)
	if err != nil {
		return []string{decodeHeader(raw)}
	}
	var out []string
	for _, a := range list {
		name := a.Name
		if !utf8.ValidString(name) {
			name, _ = guess8bit([]byte(name))
		}
		if name != "" {
			out = append(out, fmt.Sprintf("%s <%s>", name, a.Address))
		} else {
			out = append(out, a.Address)
		}
	}
	return out
}

type mailWalker struct {
	opts      Options
	res       *Result
	parts     int
	tooMany   bool
	names     []string // every attachment's name, also those left out
	leftOut   int      // attachments over the count limit
	tooBig    []string // attachments over the size limit
	encrypted bool
	charset   string
	noParts   bool // the top-level multipart had no readable part
}

// bodyText is what a subtree contributes to the body.
type bodyText struct {
	texts    []string
	hasPlain bool
}

func extractMail(b []byte, opts Options, res *Result) error {
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return fail(ErrCorrupt, err, "E-Mail-Kopf nicht lesbar")
	}
	m := &Mail{
		From:      strings.Join(decodeAddresses(msg.Header, "From"), ", "),
		To:        decodeAddresses(msg.Header, "To"),
		Cc:        decodeAddresses(msg.Header, "Cc"),
		Subject:   decodeHeader(msg.Header.Get("Subject")),
		MessageID: strings.TrimSpace(msg.Header.Get("Message-Id")),
	}
	if d, err := msg.Header.Date(); err == nil {
		m.Date = d
	}
	res.Mail = m
	res.Method = MethodEML

	raw, err := io.ReadAll(msg.Body)
	if err != nil {
		return fail(ErrCorrupt, err, "E-Mail nicht lesbar")
	}
	w := &mailWalker{opts: opts, res: res}
	body, err := w.walk(textproto.MIMEHeader(msg.Header), bytes.NewReader(raw), 0)
	if err != nil || (w.noParts && len(body.texts) == 0 && len(res.Attachments) == 0) {
		// A broken MIME structure: keep what is readable as text.
		if err != nil && !errors.Is(err, ErrCorrupt) {
			return err
		}
		text, cs, _ := decodeCharset(raw, "")
		body = bodyText{texts: []string{text}}
		w.charset = cs
		res.warn("E-Mail-Aufbau fehlerhaft; der Inhalt wurde als Text gelesen")
	}
	res.Charset = w.charset

	var t strings.Builder
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&t, "%s: %s\n", k, v)
		}
	}
	line("Von", m.From)
	line("An", strings.Join(m.To, ", "))
	line("Cc", strings.Join(m.Cc, ", "))
	line("Betreff", m.Subject)
	if !m.Date.IsZero() {
		line("Datum", m.Date.Format("02.01.2006 15:04 -0700"))
	}
	line("Anhänge", strings.Join(w.names, ", "))
	t.WriteString("\n")
	t.WriteString(strings.Join(body.texts, "\n\n"))
	res.Text = t.String()

	if w.tooMany {
		res.warn("E-Mail hat mehr als %d MIME-Teile; der Rest wurde nicht gelesen", opts.MaxMailParts)
	}
	if w.leftOut > 0 {
		res.warn("%d von %d Anhängen nicht einzeln übernommen (Grenze %d); sie bleiben in der Original-E-Mail",
			w.leftOut, w.leftOut+len(res.Attachments)+len(w.tooBig), opts.MaxAttachments)
	}
	for _, n := range w.tooBig {
		res.warn("Anhang „%s“ ist größer als %s und wurde nicht einzeln übernommen; er bleibt in der Original-E-Mail", n, formatBytes(opts.MaxAttachmentBytes))
	}
	if w.encrypted {
		res.warn("E-Mail ist verschlüsselt oder signiert-verpackt (S/MIME, PGP): Inhalt nicht lesbar")
	}
	return nil
}

// decodeTransfer undoes Content-Transfer-Encoding.
func decodeTransfer(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Cleaner{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// base64Cleaner drops white space (line breaks, trailing blanks of a
// sloppy encoder); anything else that is not base64 fails the decoding.
type base64Cleaner struct {
	r    io.Reader
	done bool
}

func (c *base64Cleaner) Read(p []byte) (int, error) {
	for {
		if c.done {
			return 0, io.EOF
		}
		n, err := c.r.Read(p)
		j := 0
		for _, ch := range p[:n] {
			if ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' {
				p[j] = ch
				j++
			}
		}
		if err != nil {
			c.done = true
			if j > 0 {
				return j, nil
			}
			return 0, err
		}
		if j > 0 {
			return j, nil
		}
	}
}

func (w *mailWalker) walk(h textproto.MIMEHeader, body io.Reader, depth int) (bodyText, error) {
	w.parts++
	if w.parts > w.opts.MaxMailParts {
		w.tooMany = true
		return bodyText{}, nil
	}
	ct := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, params = "text/plain", map[string]string{}
		if ct != "" {
			// a broken type: guess from the content
			mt = ""
		}
	}
	mt = strings.ToLower(mt)
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	filename = decodeHeader(filename)

	if strings.HasPrefix(mt, "multipart/") {
		if depth >= 20 {
			return bodyText{}, fail(ErrCorrupt, nil, "E-Mail zu tief verschachtelt")
		}
		if mt == "multipart/encrypted" {
			w.encrypted = true
		}
		boundary := params["boundary"]
		if boundary == "" {
			if depth == 0 {
				w.noParts = true
				return bodyText{}, nil
			}
			return bodyText{}, fail(ErrCorrupt, nil, "MIME-Teil ohne Grenze (boundary)")
		}
		mr := multipart.NewReader(decodeTransfer(h.Get("Content-Transfer-Encoding"), body), boundary)
		var kids []bodyText
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if len(kids) > 0 && depth == 0 {
					w.res.warn("E-Mail-Aufbau fehlerhaft (%s); gelesen, soweit möglich", firstLine(err.Error()))
				}
				break
			}
			k, err := w.walk(p.Header, p, depth+1)
			p.Close()
			if err != nil {
				return bodyText{}, err
			}
			kids = append(kids, k)
			if w.tooMany {
				break
			}
		}
		if len(kids) == 0 && depth == 0 {
			w.noParts = true
		}
		var out bodyText
		if mt == "multipart/alternative" {
			for _, k := range kids {
				if k.hasPlain && len(k.texts) > 0 {
					return k, nil
				}
			}
			for _, k := range kids {
				if len(k.texts) > 0 {
					return k, nil
				}
			}
			return out, nil
		}
		for _, k := range kids {
			out.texts = append(out.texts, k.texts...)
			out.hasPlain = out.hasPlain || k.hasPlain
		}
		return out, nil
	}

	textual := mt == "text/plain" || mt == "text/html" || mt == ""
	if textual && disp != "attachment" && filename == "" {
		raw, err := io.ReadAll(io.LimitReader(decodeTransfer(h.Get("Content-Transfer-Encoding"), body), int64(w.opts.MaxTextBytes)+1))
		if err != nil {
			w.res.warn("Textteil der E-Mail nicht lesbar (Transferkodierung fehlerhaft)")
			if len(raw) == 0 {
				return bodyText{}, nil
			}
		}
		if mt == "" {
			mt = "text/plain"
		}
		text, cs, warn := decodeCharset(raw, params["charset"])
		if w.charset == "" {
			w.charset = cs
		}
		if warn != "" {
			w.res.warn("E-Mail-Text: %s", warn)
		}
		if mt == "text/html" {
			return bodyText{texts: []string{htmlToText(text)}}, nil
		}
		return bodyText{texts: []string{text}, hasPlain: true}, nil
	}

	// an attachment
	if mt == "application/pkcs7-mime" || mt == "application/x-pkcs7-mime" {
		w.encrypted = true
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	n := len(w.names) + 1
	if filename == "" && mt == "message/rfc822" {
		filename = fmt.Sprintf("weitergeleitet-%d.eml", n)
	}
	if len(w.res.Attachments) >= w.opts.MaxAttachments {
		w.leftOut++
		w.names = append(w.names, nameOr(filename, n))
		return bodyText{}, nil
	}
	data, err := io.ReadAll(io.LimitReader(decodeTransfer(h.Get("Content-Transfer-Encoding"), body), w.opts.MaxAttachmentBytes+1))
	if err != nil {
		w.res.warn("Anhang %s nicht lesbar (Transferkodierung fehlerhaft)", nameOr(filename, n))
		w.names = append(w.names, nameOr(filename, n))
		return bodyText{}, nil
	}
	if int64(len(data)) > w.opts.MaxAttachmentBytes {
		w.tooBig = append(w.tooBig, nameOr(filename, n))
		w.names = append(w.names, nameOr(filename, n))
		return bodyText{}, nil
	}
	if filename == "" {
		filename = fmt.Sprintf("anhang-%d%s", n, mimetype.Detect(data).Extension())
	}
	w.names = append(w.names, filename)
	w.res.Attachments = append(w.res.Attachments, Attachment{Filename: filename, MIME: mt, Data: data})
	return bodyText{}, nil
}

func nameOr(name string, n int) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("anhang-%d", n)
}
