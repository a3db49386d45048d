package corpus

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Options configures Generate.
type Options struct {
	// Seed makes the corpus: the same seed yields the same documents.
	Seed uint64
	// Docs is the number of documents to generate.
	Docs int
	// DocsPerVorgang and VorgaengePerAkte are averages (geometric
	// distributions, at least one); zero means the defaults 4 and 3.
	DocsPerVorgang, VorgaengePerAkte int
	// Tenant is the prefix of every Aktenzeichen; default "TFM".
	Tenant string
}

// Doc is one Dokument with the Akte and the Vorgang it belongs to.
type Doc struct {
	Ref                                             string // stable id: "d000001"; needles "N01".."N40"
	AktenplanKennzeichen, AktenplanTitel            string
	AkteRef, AkteTitel, AkteAktenzeichen            string // e.g. TFM-50.2.1-2024/0007
	VorgangRef, VorgangBetreff, VorgangAktenzeichen string // e.g. TFM-50.2.1-2024/0007-3
	Betreff, Typ, Absender                          string
	Datum                                           time.Time // calendar day, midnight UTC
	Text                                            string
}

const (
	defaultDocsPerVorgang   = 4
	defaultVorgaengePerAkte = 3
	defaultTenant           = "TFM"
	// pcgStream is the second PCG word; the seed is the first.
	pcgStream = 0x5a3c_0b1e_7d2f_9e41
	// Text lengths are log-normal: median exp(lengthMu) words, mean ≈ 120
	// (the frame of letters and Vermerke comes on top), a long tail beyond
	// 2,000 words, capped at maxWords.
	lengthMu    = 3.77
	lengthSigma = 1.2
	minWords    = 3
	maxWords    = 25_000
)

var (
	firstDay = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	// Akten start no later than this, so their documents rarely need to be
	// clamped to lastDay.
	lastAkteStart = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	akteStartDays = int(lastAkteStart.Sub(firstDay).Hours() / 24)
)

// ErrStop may be returned by the callback of Generate to end the stream
// early; Generate then returns nil.
var ErrStop = errors.New("corpus: stop")

// Generate streams o.Docs background documents to fn, in Akte → Vorgang →
// Dokument order: the documents of one Vorgang come consecutively, and the
// Vorgänge of one Akte too. The stream depends only on o (the generator
// uses math/rand/v2's PCG seeded with o.Seed); it never contains the
// needle-specific words of Needles. An error from fn ends the stream and is
// returned (ErrStop ends it without error).
func Generate(o Options, fn func(Doc) error) error {
	if o.Docs < 0 {
		return errors.New("corpus: negative Docs")
	}
	if o.DocsPerVorgang <= 0 {
		o.DocsPerVorgang = defaultDocsPerVorgang
	}
	if o.VorgaengePerAkte <= 0 {
		o.VorgaengePerAkte = defaultVorgaengePerAkte
	}
	if o.Tenant == "" {
		o.Tenant = defaultTenant
	}
	g := newGen(o)
	n := 0
	for akte := 1; n < o.Docs; akte++ {
		g.newAkte(akte)
		nv := g.geometric(o.VorgaengePerAkte)
		for v := 1; v <= nv && n < o.Docs; v++ {
			g.newVorgang(v)
			nd := g.geometric(o.DocsPerVorgang)
			for k := 0; k < nd && n < o.Docs; k++ {
				n++
				d := g.doc(n)
				if err := fn(d); err != nil {
					if errors.Is(err, ErrStop) {
						return nil
					}
					return err
				}
			}
		}
	}
	return nil
}

// gen is the state of one Generate call.
type gen struct {
	o   Options
	r   *rand.Rand
	lex *lexicon

	counters map[int]int // Akte numbers per position and year
	vorgang  int         // running Vorgang number (refs)

	pos                int // index into aktenplan
	akteRef, akteTitel string
	akteAz             string
	akteStart          time.Time
	vRef, vBetreff     string
	vAz                string
	vTopic             noun
	day                time.Time

	t text
}

func newGen(o Options) *gen {
	return &gen{
		o:        o,
		r:        rand.New(rand.NewPCG(o.Seed, pcgStream)),
		lex:      getLexicon(),
		counters: map[int]int{},
	}
}

// geometric draws k ≥ 1 with mean avg.
func (g *gen) geometric(avg int) int {
	if avg <= 1 {
		return 1
	}
	p := 1 / float64(avg)
	u := 1 - g.r.Float64() // (0, 1]
	k := 1 + int(math.Log(u)/math.Log(1-p))
	if k > 50*avg {
		k = 50 * avg
	}
	return k
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) topic() noun {
	ts := g.lex.topicNouns[g.pos]
	return ts[g.r.IntN(len(ts))]
}

func (g *gen) person() string {
	return surnames[g.lex.surnameZipf.index(g.r)] + ", " + firstNames[g.lex.firstZipf.index(g.r)]
}

func (g *gen) personForward() string {
	return firstNames[g.lex.firstZipf.index(g.r)] + " " + surnames[g.lex.surnameZipf.index(g.r)]
}

func (g *gen) place() place { return places[g.r.IntN(len(places))] }

func (g *gen) org() string {
	switch g.r.IntN(8) {
	case 0, 1:
		return "Stadt " + g.place().name + ", " + g.pick(aemter)
	case 2:
		return "Landratsamt " + g.place().kreis
	case 3:
		return "Gemeinde " + g.place().name
	case 4:
		return g.pick(ministries)
	case 5:
		return g.pick(associations)
	default:
		kind := g.pick(companyKinds)
		return kind + " " + surnames[g.lex.surnameZipf.index(g.r)] + " " + g.pick(companySuffixes)
	}
}

func (g *gen) internal() string {
	ref := "Referat " + strconv.Itoa(10+g.r.IntN(5)*10+1+g.r.IntN(4))
	switch g.r.IntN(3) {
	case 0:
		return g.o.Tenant + ", " + ref
	case 1:
		return ref
	}
	return g.person() + " (" + ref + ")"
}

func (g *gen) newAkte(n int) {
	g.pos = g.lex.positionZip.index(g.r)
	g.akteStart = firstDay.AddDate(0, 0, g.r.IntN(akteStartDays+1))
	year := g.akteStart.Year()
	key := g.pos*10000 + year
	g.counters[key]++
	p := aktenplan[g.pos]
	g.akteRef = "a" + pad(n, 6)
	g.akteAz = g.o.Tenant + "-" + p.Kennzeichen + "-" + strconv.Itoa(year) + "/" + pad(g.counters[key], 4)
	g.akteTitel = g.akteTitle(year)
	g.day = g.akteStart
}

func (g *gen) akteTitle(year int) string {
	t := g.topic().word
	p := aktenplan[g.pos]
	switch g.r.IntN(9) {
	case 0:
		return t + " " + g.place().name
	case 1:
		pl := g.place()
		return t + " – " + g.pick(streets) + ", " + pl.name
	case 2:
		return t + ": Grundsatzangelegenheiten"
	case 3:
		return t + " " + strconv.Itoa(year)
	case 4:
		return p.Titel + " – Einzelfälle " + strconv.Itoa(year)
	case 5:
		return t + ", " + g.org()
	case 6:
		return t + " – " + g.person()
	case 7:
		return p.Titel + ": " + t
	}
	return t + " – Allgemeines"
}

func (g *gen) newVorgang(v int) {
	g.vorgang++
	g.vRef = "v" + pad(g.vorgang, 6)
	g.vAz = g.akteAz + "-" + strconv.Itoa(v)
	g.vTopic = g.topic()
	g.vBetreff = g.vorgangBetreff()
	if v > 1 {
		g.advance(40)
	}
}

func (g *gen) vorgangBetreff() string {
	t := g.vTopic.word
	switch g.r.IntN(12) {
	case 0:
		return "Antrag " + g.org() + " – " + t
	case 1:
		return t + ": Stellungnahme zum Entwurf"
	case 2:
		return "Anfrage " + g.org() + " zu " + t
	case 3:
		return "Widerspruch gegen den Bescheid vom " + g.dateString(g.day.AddDate(0, 0, -g.r.IntN(60)))
	case 4:
		return "Haushaltsmittel " + strconv.Itoa(g.day.Year()+1) + " für " + t
	case 5:
		return "Prüfung der Unterlagen zu " + t
	case 6:
		return t + " – Sachstand " + strconv.Itoa(g.day.Year())
	case 7:
		return "Beschwerde " + g.person() + " wegen " + t
	case 8:
		return "Vergabe: " + t
	case 9:
		return "Fortschreibung " + t
	case 10:
		return t + " – " + g.place().name
	}
	return t
}

// advance moves the running date forward by 0..maxDays days.
func (g *gen) advance(maxDays int) {
	g.day = g.day.AddDate(0, 0, g.r.IntN(maxDays+1))
	if g.day.After(lastDay) {
		g.day = lastDay
	}
}

func (g *gen) docType() string { return docTypes[g.lex.typeAlias.index(g.r)] }

func (g *gen) doc(n int) Doc {
	g.advance(21)
	typ := g.docType()
	d := Doc{
		Ref:                  "d" + pad(n, 6),
		AktenplanKennzeichen: aktenplan[g.pos].Kennzeichen,
		AktenplanTitel:       aktenplan[g.pos].Titel,
		AkteRef:              g.akteRef,
		AkteTitel:            g.akteTitel,
		AkteAktenzeichen:     g.akteAz,
		VorgangRef:           g.vRef,
		VorgangBetreff:       g.vBetreff,
		VorgangAktenzeichen:  g.vAz,
		Typ:                  typ,
		Datum:                g.day,
	}
	switch typ {
	case "Eingang", "Antrag", "Scan":
		if g.chance(0.45) {
			d.Absender = g.person()
		} else {
			d.Absender = g.org()
		}
	case "E-Mail":
		if g.chance(0.5) {
			d.Absender = g.person()
		} else {
			d.Absender = g.internal()
		}
	case "Sonstiges":
		if g.chance(0.5) {
			d.Absender = g.org()
		}
	default:
		d.Absender = g.internal()
	}
	d.Betreff = g.docBetreff(typ)
	d.Text = g.docText(typ)
	return d
}

func (g *gen) nounWord() string { return g.lex.nouns[g.lex.nounZipf.index(g.r)].word }

func (g *gen) docBetreff(typ string) string {
	switch typ {
	case "Eingang":
		switch g.r.IntN(4) {
		case 0:
			return "Schreiben vom " + g.dateString(g.day.AddDate(0, 0, -g.r.IntN(5)))
		case 1:
			return g.nounWord() + " zu " + g.vTopic.word
		case 2:
			return g.nounWord() + " – " + g.vBetreff
		}
		return g.vBetreff
	case "Ausgang":
		switch g.r.IntN(4) {
		case 0:
			return "Antwort auf Ihr Schreiben vom " + g.dateString(g.day.AddDate(0, 0, -g.r.IntN(30)))
		case 1:
			return "Übersendung " + g.nounWord()
		case 2:
			return "Anforderung fehlender Unterlagen"
		}
		return g.vBetreff
	case "Vermerk":
		switch g.r.IntN(4) {
		case 0:
			return "Vermerk zu " + g.vTopic.word
		case 1:
			return "Gesprächsvermerk vom " + g.dateString(g.day)
		case 2:
			return "Telefonvermerk " + g.nounWord()
		}
		return "Aktenvermerk " + g.nounWord()
	case "E-Mail":
		switch g.r.IntN(3) {
		case 0:
			return "AW: " + g.vBetreff
		case 1:
			return "WG: " + g.vBetreff
		}
		return g.nounWord() + " – Rückfrage"
	case "Scan":
		if g.chance(0.5) {
			return "Scan Posteingang " + g.dateString(g.day)
		}
		return "Scan: " + g.nounWord()
	case "Antrag":
		return "Antrag auf " + g.nounWord()
	case "Bescheid":
		switch g.r.IntN(3) {
		case 0:
			return "Bescheid über " + g.nounWord()
		case 1:
			return "Änderungsbescheid " + g.vTopic.word
		}
		return "Bescheid vom " + g.dateString(g.day)
	case "Verfügung":
		switch g.r.IntN(3) {
		case 0:
			return "Verfügung: Wiedervorlage"
		case 1:
			return "Verfügung z.d.A."
		}
		return "Auszahlungsanordnung " + g.vTopic.word
	case "Protokoll":
		if g.chance(0.5) {
			return "Protokoll der Sitzung vom " + g.dateString(g.day)
		}
		return "Protokoll " + g.nounWord()
	}
	if g.chance(0.5) {
		return "Anlage " + strconv.Itoa(1+g.r.IntN(9)) + " zu " + g.nounWord()
	}
	return g.nounWord()
}

// targetWords draws the body length.
func (g *gen) targetWords() int {
	// The conversion keeps the compiler from fusing the multiply-add (which
	// it may do on arm64 and others), so every platform draws the same
	// lengths.
	n := int(math.Exp(lengthMu + float64(lengthSigma*g.r.NormFloat64())))
	return min(max(n, minWords), maxWords)
}

func (g *gen) docText(typ string) string {
	t := &g.t
	t.reset()
	t.ocr = typ == "Scan"
	target := g.targetWords()
	switch typ {
	case "Eingang", "Ausgang", "Antrag", "Bescheid", "Scan":
		if g.chance(0.6) {
			t.words("Bezug:")
			t.words("Ihr Schreiben vom")
			t.date(g.day.AddDate(0, 0, -1-g.r.IntN(40)))
			t.punct(",")
			t.words("Ihr Zeichen:")
			t.word(g.otherAz())
			t.newline()
		}
		if typ == "Bescheid" {
			t.words("Bescheid")
			t.newline()
		}
		t.words("Sehr geehrte Damen und Herren,")
		t.paragraph()
		g.body(target)
		if typ == "Bescheid" {
			t.paragraph()
			t.words("Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.")
		}
		t.paragraph()
		t.words("Mit freundlichen Grüßen")
		t.newline()
		t.words(g.personForward())
	case "E-Mail":
		t.words("Von:")
		t.word(g.email())
		t.newline()
		t.words("Gesendet:")
		t.date(g.day)
		t.newline()
		t.words("Betreff:")
		t.words(g.vBetreff)
		t.paragraph()
		switch g.r.IntN(4) {
		case 0:
			t.words("Hallo,")
		case 1:
			t.words("Guten Tag,")
		case 2:
			t.words("Liebe Kolleginnen und Kollegen,")
		default:
			t.words(g.pick([]string{"Sehr geehrte Frau", "Sehr geehrter Herr"}))
			t.word(surnames[g.lex.surnameZipf.index(g.r)])
			t.punct(",")
		}
		t.paragraph()
		g.body(target)
		t.paragraph()
		t.words("Viele Grüße")
		t.newline()
		t.words(g.personForward())
	case "Vermerk":
		t.words("Vermerk")
		t.paragraph()
		g.numbered(target)
		t.paragraph()
		if g.chance(0.5) {
			t.words("Wv.")
			t.date(g.day.AddDate(0, 0, 14+g.r.IntN(60)))
		} else {
			t.words("z.d.A.")
		}
	case "Verfügung":
		t.words("Verfügung")
		t.paragraph()
		g.numbered(target)
		t.paragraph()
		t.words("Wv. am")
		t.date(g.day.AddDate(0, 0, 7+g.r.IntN(60)))
	case "Protokoll":
		t.words("Protokoll der Sitzung vom")
		t.date(g.day)
		t.newline()
		t.words("Teilnehmende:")
		for k, n := 0, 2+g.r.IntN(5); k < n; k++ {
			if k > 0 {
				t.punct(",")
			}
			t.words(g.personForward())
		}
		t.paragraph()
		top := 1
		for t.n < target {
			t.words("TOP")
			t.word(strconv.Itoa(top))
			t.punct(":")
			t.words(g.nounWord())
			t.newline()
			g.sentences(3 + g.r.IntN(6))
			t.paragraph()
			top++
		}
	default:
		g.body(target)
	}
	return t.String()
}

// body writes sentences in paragraphs until about target words are written.
func (g *gen) body(target int) {
	start := g.t.n
	for g.t.n-start < target {
		g.sentences(2 + g.r.IntN(5))
		if g.t.n-start < target {
			g.t.paragraph()
		}
	}
}

func (g *gen) numbered(target int) {
	start := g.t.n
	for k := 1; g.t.n-start < target; k++ {
		g.t.word(strconv.Itoa(k) + ".")
		g.sentences(1 + g.r.IntN(4))
		g.t.newline()
	}
}

func (g *gen) sentences(n int) {
	for k := 0; k < n; k++ {
		g.sentence()
	}
}

type gcase uint8

const (
	nom gcase = iota
	acc
	dat
)

var (
	defArt   = [3][3]string{{"der", "die", "das"}, {"den", "die", "das"}, {"dem", "der", "dem"}}
	indefArt = [3][3]string{{"ein", "eine", "ein"}, {"einen", "eine", "ein"}, {"einem", "einer", "einem"}}
	// adjective endings after the definite article, after the indefinite
	// article and without article
	adjDef   = [3][3]string{{"e", "e", "e"}, {"en", "e", "e"}, {"en", "en", "en"}}
	adjIndef = [3][3]string{{"er", "e", "es"}, {"en", "e", "es"}, {"en", "en", "en"}}
	adjNone  = [3][3]string{{"er", "e", "es"}, {"en", "e", "es"}, {"em", "er", "em"}}
)

// noun draws a noun: mostly from the Zipf-ranked vocabulary, sometimes a
// topic of the current Aktenplan position (so documents of one position
// share their subject).
func (g *gen) noun() noun {
	if g.chance(0.12) {
		if g.chance(0.5) {
			return g.vTopic
		}
		return g.topic()
	}
	return g.lex.nouns[g.lex.nounZipf.index(g.r)]
}

// np writes a noun phrase in case c.
func (g *gen) np(c gcase) {
	n := g.noun()
	t := &g.t
	var endings *[3][3]string
	switch x := g.r.IntN(10); {
	case x < 7:
		t.word(defArt[c][n.g])
		endings = &adjDef
	case x < 9:
		t.word(indefArt[c][n.g])
		endings = &adjIndef
	default:
		endings = &adjNone
	}
	if g.chance(0.3) {
		t.word(g.lex.adjectives.draw(g.r))
		t.punct(endings[c][n.g])
	}
	t.word(n.word)
}

// pp writes a prepositional phrase with a dative noun phrase.
func (g *gen) pp() {
	p := prepsDative[g.r.IntN(len(prepsDative))]
	if p == "zu" {
		n := g.noun()
		if n.g == fem {
			g.t.word("zur")
		} else {
			g.t.word("zum")
		}
		if g.chance(0.3) {
			g.t.word(g.lex.adjectives.draw(g.r))
			g.t.punct("en")
		}
		g.t.word(n.word)
		return
	}
	g.t.word(p)
	g.np(dat)
}

func (g *gen) sentence() {
	t := &g.t
	t.capNext = true
	l := g.lex
	switch x := g.r.IntN(40); {
	case x < 8:
		g.np(nom)
		t.word(l.verbs.draw(g.r))
		g.np(acc)
		g.pp()
	case x < 13:
		g.np(nom)
		t.word("wird")
		g.pp()
		t.word(l.participles.draw(g.r))
	case x < 17:
		g.np(nom)
		t.word(l.verbs.draw(g.r))
		t.word(l.adverbs.draw(g.r))
		g.np(acc)
	case x < 20:
		g.pp()
		t.word(l.verbs.draw(g.r))
		g.np(nom)
		g.np(acc)
	case x < 22:
		g.np(nom)
		t.words("ist bis zum")
		t.date(g.day.AddDate(0, 0, 7+g.r.IntN(90)))
		t.word(l.zuinf.draw(g.r))
	case x < 24:
		g.np(nom)
		t.word("beträgt")
		g.amount()
	case x == 24:
		t.words("Wir verweisen auf das Schreiben vom")
		t.date(g.day.AddDate(0, 0, -1-g.r.IntN(200)))
		t.punct(" (Az.")
		t.word(g.otherAz())
		t.punct(")")
	case x < 29:
		g.np(nom)
		t.word(l.verbs.draw(g.r))
		g.np(acc)
		t.punct(",")
		t.word(subordinators[g.r.IntN(len(subordinators))])
		g.np(nom)
		g.np(acc)
		t.word(l.final.draw(g.r))
	case x < 31:
		t.words("Gemäß §")
		t.word(strconv.Itoa(1 + g.r.IntN(120)))
		t.words("Abs.")
		t.word(strconv.Itoa(1 + g.r.IntN(6)))
		t.words(g.pick(laws))
		t.word(l.verbs.draw(g.r))
		g.np(nom)
		g.np(acc)
	case x < 33:
		g.np(nom)
		t.words("wurde am")
		t.date(g.day.AddDate(0, 0, -g.r.IntN(120)))
		t.word(l.participles.draw(g.r))
	case x == 33:
		t.words("Für")
		g.np(acc)
		t.words("stehen im Haushaltsjahr")
		t.word(strconv.Itoa(g.day.Year() + g.r.IntN(2)))
		t.words("Mittel in Höhe von")
		g.amount()
		t.words("zur Verfügung")
	case x == 34:
		t.words("Die Anschrift lautet:")
		g.address()
	case x == 35:
		t.words("Rückfragen richten Sie bitte an")
		t.words(g.personForward())
		t.punct(",")
		t.words("Telefon")
		g.phone()
	case x == 36:
		g.np(nom)
		t.word(l.verbs.draw(g.r))
		g.np(acc)
		t.word("nicht")
	case x == 37:
		t.words("Wir bitten um")
		g.np(acc)
		t.words("bis zum")
		t.date(g.day.AddDate(0, 0, 7+g.r.IntN(60)))
	case x == 38:
		t.words("Es wird darauf hingewiesen, dass")
		g.np(nom)
		g.np(acc)
		t.word(l.final.draw(g.r))
	default:
		g.np(nom)
		t.word("und")
		g.np(nom)
		t.word("werden")
		g.pp()
		t.word(l.participles.draw(g.r))
	}
	t.punct(".")
}

// dateString formats d as dd.mm.yyyy.
func (g *gen) dateString(d time.Time) string {
	return string(appendDate(nil, d))
}

func appendDate(b []byte, d time.Time) []byte {
	y, m, day := d.Date()
	b = append2(b, day)
	b = append(b, '.')
	b = append2(b, int(m))
	b = append(b, '.')
	return strconv.AppendInt(b, int64(y), 10)
}

// date writes d as one word of the text.
func (t *text) date(d time.Time) {
	t.space()
	t.n++
	t.capNext = false
	t.b = appendDate(t.b, d)
}

func append2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// otherAz returns the Aktenzeichen of some Akte (of this tenant or, less
// often, of another authority), as cited in letters.
func (g *gen) otherAz() string {
	if g.chance(0.7) {
		p := aktenplan[g.lex.positionZip.index(g.r)]
		return g.o.Tenant + "-" + p.Kennzeichen + "-" + strconv.Itoa(2019+g.r.IntN(8)) + "/" + pad(1+g.r.IntN(400), 4)
	}
	abbr := []string{"LRA", "StV", "BA", "OA", "JA", "SozA", "UWB", "UNB"}
	return abbr[g.r.IntN(len(abbr))] + "-" + strconv.Itoa(10+g.r.IntN(80)) + "." + strconv.Itoa(1+g.r.IntN(9)) + "-" + pad(1+g.r.IntN(2000), 4) + "/" + strconv.Itoa(19+g.r.IntN(8))
}

// amount writes a Euro amount like 1.234,56 EUR; amounts the needles use
// are never generated.
func (g *gen) amount() {
	for {
		// log-uniform between 10 and 10 million euros
		cents := int64(math.Exp(math.Log(1000) + float64(g.r.Float64()*math.Log(1e6))))
		if g.chance(0.3) {
			cents = cents / 100 * 100 // whole euros
		}
		s := formatEuro(cents)
		if needleAmounts[s] {
			continue
		}
		g.t.word(s)
		if g.chance(0.8) {
			g.t.word("EUR")
		} else {
			g.t.word("Euro")
		}
		return
	}
}

// formatEuro formats cents in German notation: 1.234,56.
func formatEuro(cents int64) string {
	euros := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	b.WriteByte(',')
	c := cents % 100
	b.WriteByte(byte('0' + c/10))
	b.WriteByte(byte('0' + c%10))
	return b.String()
}

func (g *gen) address() {
	pl := g.place()
	g.t.words(g.pick(streets))
	g.t.word(strconv.Itoa(1 + g.r.IntN(120)))
	g.t.punct(",")
	g.t.word(pl.plz)
	g.t.words(pl.name)
}

func (g *gen) phone() {
	area := []string{"0361", "03641", "0365", "03643", "03621", "03691", "03631", "03681"}
	g.t.word(g.pick(area))
	g.t.word(strconv.Itoa(100+g.r.IntN(900)) + "-" + strconv.Itoa(1000+g.r.IntN(9000)))
}

func (g *gen) email() string {
	first := asciiName(firstNames[g.lex.firstZipf.index(g.r)])
	last := asciiName(surnames[g.lex.surnameZipf.index(g.r)])
	pl := asciiName(g.place().name)
	return first + "." + last + "@" + pl + ".de"
}

// asciiName writes a name the way e-mail addresses do: lower case, ä → ae,
// ß → ss, blanks and hyphens removed.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ä':
			b.WriteString("ae")
		case 'ö':
			b.WriteString("oe")
		case 'ü':
			b.WriteString("ue")
		case 'ß':
			b.WriteString("ss")
		case 'é', 'ë':
			b.WriteByte('e')
		case ' ', '-':
		default:
			if r < utf8.RuneSelf {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// text accumulates a document text and counts its words.
type text struct {
	b       []byte
	n       int  // words written
	capNext bool // capitalise the next word (sentence start)
	ocr     bool // scanned: sometimes break long words at the line end
}

func (t *text) reset() {
	t.b = t.b[:0]
	t.n = 0
	t.capNext = true
	t.ocr = false
}

func (t *text) space() {
	if n := len(t.b); n > 0 && t.b[n-1] != ' ' && t.b[n-1] != '\n' && t.b[n-1] != '(' {
		t.b = append(t.b, ' ')
	}
}

// word appends one word (or connected token) after a blank.
func (t *text) word(s string) {
	t.space()
	t.n++
	if t.capNext {
		t.capNext = false
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsLower(r) {
			t.b = utf8.AppendRune(t.b, unicode.ToUpper(r))
			s = s[size:]
		}
	}
	if t.ocr && len(s) >= 10 && t.n%23 == 7 {
		// a word hyphenated at the end of a scanned line
		half := len(s) / 2
		for half > 0 && !utf8.RuneStart(s[half]) {
			half--
		}
		t.b = append(t.b, s[:half]...)
		t.b = append(t.b, "-\n"...)
		t.b = append(t.b, s[half:]...)
		return
	}
	t.b = append(t.b, s...)
}

// words appends several blank-separated words.
func (t *text) words(s string) {
	for len(s) > 0 {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			t.word(s)
			return
		}
		if i > 0 {
			t.word(s[:i])
		}
		s = s[i+1:]
	}
}

// punct appends punctuation directly after the previous word.
func (t *text) punct(s string) { t.b = append(t.b, s...) }

func (t *text) newline() {
	t.b = append(t.b, '\n')
	t.capNext = true
}

func (t *text) paragraph() {
	t.b = append(t.b, '\n', '\n')
	t.capNext = true
}

func (t *text) String() string { return string(t.b) }
