package demo

import (
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
)

// block is a piece of a document: a line kept as it is, or a paragraph
// that is wrapped to the width of the output.
type block struct {
	Text string
	Bold bool
	Wrap bool
}

type dok struct{ b []block }

func (d *dok) line(s string) { d.b = append(d.b, block{Text: s}) }
func (d *dok) bold(s string) { d.b = append(d.b, block{Text: s, Bold: true, Wrap: true}) }
func (d *dok) blank()        { d.line("") }

// lines adds each line of a multi-line value (an address) as it is.
func (d *dok) lines(s string) {
	for _, l := range strings.Split(s, "\n") {
		d.line(l)
	}
}

// para adds a paragraph and a blank line after it; a paragraph starting
// with "# " is a heading, lines inside a paragraph are wrapped one by one.
func (d *dok) para(s string) {
	if h, ok := strings.CutPrefix(s, "# "); ok {
		d.bold(h)
		return
	}
	for _, l := range strings.Split(s, "\n") {
		d.b = append(d.b, block{Text: l, Wrap: true})
	}
	d.blank()
}

func (d *dok) text(width int) string {
	var sb strings.Builder
	for _, b := range d.b {
		if !b.Wrap {
			sb.WriteString(b.Text)
			sb.WriteByte('\n')
			continue
		}
		for _, l := range wrapIndented(b.Text, width) {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	return strings.TrimRight(sb.String(), "\n") + "\n"
}

func (d *dok) pdfLines() []pdfLine {
	var out []pdfLine
	for _, b := range d.b {
		if !b.Wrap {
			out = append(out, pdfLine{Text: b.Text, Bold: b.Bold})
			continue
		}
		for _, l := range wrapIndented(b.Text, pdfWrapChars) {
			out = append(out, pdfLine{Text: l, Bold: b.Bold})
		}
	}
	return out
}

// wrapIndented wraps a line; list items ("1. ", "– ") continue indented.
func wrapIndented(s string, width int) []string {
	indent := ""
	for _, p := range []string{"– ", "1. ", "2. ", "3. ", "4. ", "5. "} {
		if strings.HasPrefix(s, p) {
			indent = strings.Repeat(" ", len([]rune(p)))
		}
	}
	ls := wrap(s, width-len(indent))
	for i := 1; i < len(ls); i++ {
		ls[i] = indent + ls[i]
	}
	return ls
}

// render turns one step of an Ablauf into file content.
type render struct {
	l       *loader
	k       *kontext
	s       schritt
	first   bool
	betreff string
	day     time.Time
	eingang *time.Time
	scan    bool
	format  string

	paras  []string // filled once, shared by draft and final version
	mailAt time.Time
	msgID  string
}

func (r *render) paragraphs(draft bool) []string {
	if r.paras == nil {
		for _, t := range r.s.Text {
			r.paras = append(r.paras, r.k.fill(t))
		}
	}
	if !draft {
		return r.paras
	}
	// The draft lacks the last paragraph that is not a heading; the
	// version that went out has it.
	last := -1
	body := 0
	for i, p := range r.paras {
		if !strings.HasPrefix(p, "# ") {
			last = i
			body++
		}
	}
	if body < 2 {
		return r.paras
	}
	from := last
	if from > 0 && strings.HasPrefix(r.paras[from-1], "# ") {
		from-- // no heading without its paragraph
	}
	out := append([]string{}, r.paras[:from]...)
	return append(out, r.paras[last+1:]...)
}

func (r *render) filename() string {
	stem := r.k.fill(r.s.Datei)
	stem = strings.NewReplacer(" ", "_", "/", "-", "„", "", "“", "", "\"", "", ",", "", ":", "").Replace(stem)
	return fmt.Sprintf("%s_%s.%s", stem, isoDate(r.day), r.format)
}

func (r *render) bytes(draft bool) []byte {
	d := r.document(draft)
	switch r.format {
	case fmtEML:
		return []byte(r.eml(d))
	case fmtPDF:
		author := r.k.get("sb")
		if r.s.Art.incoming() {
			author = r.k.get("p_name")
		}
		created := time.Date(r.day.Year(), r.day.Month(), r.day.Day(), 9+r.l.r.IntN(7), r.l.r.IntN(60), 0, 0, berlin)
		return makePDF(r.betreff, author, created, d.pdfLines())
	}
	return []byte(d.text(78))
}

func (r *render) document(draft bool) *dok {
	k := r.k
	d := &dok{}
	paras := r.paragraphs(draft)
	switch r.s.Art {
	case briefEin:
		if r.scan {
			d.line(fmt.Sprintf("[Posteingang %s – eingegangen am %s – gescannt von der Poststelle]", k.get("behoerde"), deDate(*r.eingang)))
			d.blank()
		}
		d.lines(k.get("p_adr"))
		d.blank()
		d.blank()
		d.line(k.get("behoerde"))
		if ref := k.get("referat"); ref != "" {
			d.line(ref)
		}
		d.line(k.get("b_strasse"))
		d.line(k.get("b_plzort"))
		d.blank()
		d.line(k.get("p_briefort") + ", " + k.get("heute"))
		d.blank()
		d.bold(r.betreff)
		if !r.first {
			d.line("Ihr Zeichen: " + k.get("az"))
		}
		d.blank()
		d.para("Sehr geehrte Damen und Herren,")
		for _, p := range paras {
			d.para(p)
		}
		d.line("Mit freundlichen Grüßen")
		d.blank()
		d.lines(k.get("p_sign"))
	case briefAus, bescheid:
		if draft {
			d.bold("ENTWURF – nicht versenden")
			d.blank()
		}
		r.letterhead(d)
		d.lines(k.get("p_adr"))
		d.blank()
		if e := k.v["d_letzter_eingang"]; e != "" {
			d.line("Ihr Schreiben vom: " + e)
		}
		d.line("Aktenzeichen: " + k.get("az"))
		d.line("Bearbeitet von: " + k.get("sb"))
		d.line("Telefon: " + k.get("sb_tel"))
		d.line("E-Mail: " + k.get("sb_mail"))
		d.blank()
		d.line(k.get("b_ort") + ", " + k.get("heute"))
		d.blank()
		d.bold(r.betreff)
		d.blank()
		d.para(k.get("p_gruss"))
		for _, p := range paras {
			d.para(p)
		}
		if r.s.Art == bescheid {
			d.bold("Rechtsbehelfsbelehrung")
			d.para(r.rechtsbehelf())
		}
		d.line("Mit freundlichen Grüßen")
		d.line("Im Auftrag")
		d.blank()
		d.line(k.get("sb"))
	case vermerk:
		title := "Vermerk"
		if r.s.Kopf != "" {
			title = r.s.Kopf
		}
		if draft {
			title += " (Entwurf)"
		}
		d.bold(title)
		d.line(k.get("behoerde") + " – " + k.get("referat"))
		d.line("Az.: " + k.get("az"))
		d.line(k.get("b_ort") + ", " + k.get("heute"))
		d.blank()
		d.bold("Betreff: " + r.betreff)
		d.blank()
		for _, p := range paras {
			d.para(p)
		}
		d.line(k.get("sb"))
		d.blank()
		d.bold("Verfügung")
		d.line("1. " + k.get("leitung_an") + " m. d. B. um Kenntnisnahme und Zustimmung")
		d.line("2. WV " + k.get("wv"))
		d.line("3. z. Vg.")
	case protokoll:
		title := "Ergebnisprotokoll"
		if r.s.Kopf != "" {
			title = r.s.Kopf
		}
		if draft {
			title += " (Entwurf, zur Abstimmung)"
		}
		d.bold(title)
		d.line("Betreff: " + r.betreff)
		datum, teilnehmende := k.get("heute"), k.get("leitung")+" (Leitung), "+k.get("sb")+", "+k.get("kollege")
		if r.s.Datum != "" {
			datum = k.fill(r.s.Datum)
		}
		if r.s.Teilnehmende != "" {
			teilnehmende = k.fill(r.s.Teilnehmende)
		}
		d.line("Datum: " + datum + ", 10:00 bis 11:30 Uhr")
		ort := k.get("behoerde") + ", " + k.get("raum")
		if r.s.Ort != "" {
			ort = k.fill(r.s.Ort)
		}
		d.line("Ort: " + ort)
		d.line("Teilnehmende: " + teilnehmende)
		d.line("Protokoll: " + k.get("sb"))
		d.line("Az.: " + k.get("az"))
		d.blank()
		for _, p := range paras {
			d.para(p)
		}
		if !draft && r.s.Kopf == "" {
			d.para("Das Protokoll gilt als genehmigt, wenn innerhalb einer Woche nach Versand keine Einwände erhoben werden.")
		}
		d.line(k.get("b_ort") + ", " + k.get("heute"))
		d.line(k.get("sb"))
	case verfuegung:
		d.bold("Verfügung")
		d.line(k.get("behoerde") + " – " + k.get("referat"))
		d.line("Az.: " + k.get("az"))
		d.line(k.get("b_ort") + ", " + k.get("heute"))
		d.blank()
		d.bold("Betreff: " + r.betreff)
		d.line("Bezug: " + k.get("vbetreff"))
		d.blank()
		for _, p := range paras {
			d.para(p)
		}
		d.line("gez. " + k.get("leitung") + ", " + k.get("leitung_funktion"))
		d.blank()
		d.line("Entwurf: " + k.get("sb") + " (" + k.get("sb_tel") + ")")
	case mailEin:
		d.para(k.get("sb_briefanrede"))
		for _, p := range paras {
			d.para(p)
		}
		d.line("Mit freundlichen Grüßen")
		d.blank()
		d.lines(k.get("p_sign"))
	case mailAus:
		d.para(k.get("p_gruss"))
		for _, p := range paras {
			d.para(p)
		}
		d.line("Mit freundlichen Grüßen")
		d.line("Im Auftrag")
		d.line(k.get("sb"))
		r.signature(d)
	case mailIntern:
		gruss, von, funktion, tel := k.get("kollege_gruss"), k.get("sb"), k.get("sb_funktion"), k.get("sb_tel")
		if r.s.Antwort {
			gruss, von, funktion, tel = k.get("sb_gruss"), k.get("kollege"), k.get("kollege_funktion"), k.get("kollege_tel")
		}
		d.para(gruss)
		for _, p := range paras {
			d.para(p)
		}
		d.line("Viele Grüße")
		d.line(von)
		r.signatureOf(d, von, funktion, tel)
	}
	return d
}

func (r *render) letterhead(d *dok) {
	k := r.k
	d.bold(k.get("behoerde"))
	if ref := k.get("referat"); ref != "" {
		d.line(ref)
	}
	d.line(k.get("b_strasse") + " · " + k.get("b_plzort"))
	d.blank()
}

func (r *render) signature(d *dok) {
	r.signatureOf(d, r.k.get("sb"), r.k.get("sb_funktion"), r.k.get("sb_tel"))
}

func (r *render) signatureOf(d *dok, name, funktion, tel string) {
	k := r.k
	d.blank()
	d.line("-- ")
	d.line(name)
	if funktion != "" {
		d.line(funktion)
	}
	d.line(k.get("behoerde"))
	if ref := k.get("referat"); ref != "" {
		d.line(ref)
	}
	d.line(k.get("b_strasse") + ", " + k.get("b_plzort"))
	d.line("Telefon: " + tel)
}

func (r *render) rechtsbehelf() string {
	if r.s.Klage || r.l.t.RechtsbehelfKind == "klage" {
		return "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Weimar, Jenaer Straße 2a, 99425 Weimar, erhoben werden. Die Klage ist schriftlich oder zur Niederschrift des Urkundsbeamten der Geschäftsstelle des Gerichts zu erheben; sie kann auch als elektronisches Dokument nach Maßgabe des § 55a der Verwaltungsgerichtsordnung (VwGO) eingereicht werden. Die Klage muss den Kläger, den Beklagten und den Gegenstand des Klagebegehrens bezeichnen und soll einen bestimmten Antrag enthalten."
	}
	return fmt.Sprintf("Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. Der Widerspruch ist schriftlich, in elektronischer Form nach § 3a Abs. 2 des Thüringer Verwaltungsverfahrensgesetzes (ThürVwVfG) oder zur Niederschrift bei der %s, %s, %s Erfurt, einzulegen.", r.l.t.Name, r.l.t.Strasse, r.l.t.PLZ)
}

// eml writes an RFC 5322 message with an 8-bit UTF-8 text body; names and
// subject are MIME-encoded where they are not ASCII.
func (r *render) eml(d *dok) string {
	k := r.k
	if r.msgID == "" {
		r.l.mailSerial++
		r.mailAt = time.Date(r.day.Year(), r.day.Month(), r.day.Day(), 7+r.l.r.IntN(10), r.l.r.IntN(60), r.l.r.IntN(60), 0, berlin)
		r.msgID = fmt.Sprintf("<%s.%06d.%d@%s>", r.mailAt.Format("20060102150405"), r.l.r.IntN(1000000), r.l.mailSerial, k.get("b_domain"))
	}
	own := mail.Address{Name: k.get("sb"), Address: k.get("sb_mail")}
	other := mail.Address{Name: k.get("p_name"), Address: k.get("p_mail")}
	if r.s.Art == mailEin {
		// A citizen or company writes as a person.
		if n := k.v["person"]; n != "" && r.k.partner != "landtag" {
			other.Name = n
		}
	}
	var from, to mail.Address
	var cc []mail.Address
	switch r.s.Art {
	case mailEin:
		from, to = other, own
	case mailAus:
		from, to = own, other
	default:
		from, to = own, mail.Address{Name: k.get("kollege"), Address: k.get("kollege_mail")}
		if r.s.Antwort {
			from, to = to, from
		}
		cc = append(cc, mail.Address{Name: k.get("leitung"), Address: k.get("leitung_mail")})
	}
	var h strings.Builder
	fmt.Fprintf(&h, "Message-ID: %s\r\n", r.msgID)
	fmt.Fprintf(&h, "Date: %s\r\n", r.mailAt.Format(time.RFC1123Z))
	fmt.Fprintf(&h, "From: %s\r\n", from.String())
	fmt.Fprintf(&h, "To: %s\r\n", to.String())
	for _, c := range cc {
		fmt.Fprintf(&h, "Cc: %s\r\n", c.String())
	}
	fmt.Fprintf(&h, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", r.betreff))
	h.WriteString("MIME-Version: 1.0\r\n")
	h.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	h.WriteString("Content-Transfer-Encoding: 8bit\r\n")
	h.WriteString("\r\n")
	h.WriteString(strings.ReplaceAll(d.text(76), "\n", "\r\n"))
	return h.String()
}
