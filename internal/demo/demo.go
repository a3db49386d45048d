// Package demo fills a realistic German sample into an empty system: four
// Mandanten (Staatskanzlei, Finanzministerium, Bildungsministerium and the
// Stadtverwaltung Erfurt) with their users, an Aktenplan each, and Akten,
// Vorgänge and Dokumente with letters, Vermerke, Bescheide and e-mails, so
// that a newcomer sees a lived-in system at once.
//
// Everything goes through the exported API of the records service, exactly
// as a client would, so the sample also exercises the rules (Aktenzeichen,
// z.d.A., final versions, audit trail).
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

// Summary counts what Load created.
type Summary struct {
	Tenants, Users, Aktenplan, Akten, Vorgaenge, Dokumente, Versionen int
	// Tokens maps "TENANT/login" to a plain API token of that user.
	Tokens map[string]string
}

// ErrAlreadyLoaded is returned by Load when the sample is already there
// (tenant STK exists); nothing is changed then.
var ErrAlreadyLoaded = errors.New("demo: Beispieldaten sind bereits geladen (Mandant STK existiert)")

// markerTenant is created last, so that its existence means the sample was
// loaded completely.
const markerTenant = "STK"

// Load creates the demo data. rnd makes the output deterministic: the same
// seed gives the same titles, texts and statuses (Aktenzeichen years and
// timestamps come from the service clock).
func Load(ctx context.Context, svc *records.Service, rnd *rand.Rand) (Summary, error) {
	existing, err := svc.ListTenants(ctx)
	if err != nil {
		return Summary{}, err
	}
	for _, t := range existing {
		if t.Code == markerTenant {
			return Summary{}, ErrAlreadyLoaded
		}
	}
	defs := tenantDefs()
	for _, t := range existing {
		for _, d := range defs {
			if t.Code == d.Code {
				return Summary{}, fmt.Errorf("demo: Mandant %s existiert bereits, die Beispieldaten brauchen einen Bestand ohne die Mandanten %s", t.Code, tenantCodes(defs))
			}
		}
	}
	l := &loader{svc: svc, r: rnd, sum: Summary{Tokens: map[string]string{}}}
	for _, d := range defs {
		if err := l.tenant(ctx, d); err != nil {
			return l.sum, fmt.Errorf("demo: Mandant %s: %w", d.Code, err)
		}
	}
	return l.sum, nil
}

func tenantCodes(defs []tenantDef) string {
	codes := make([]string, len(defs))
	for i, d := range defs {
		codes[i] = d.Code
	}
	return strings.Join(codes, ", ")
}

// ---------------------------------------------------------------------------
// Definitions (the content lives in tenants.go and ablauf.go)

type tenantDef struct {
	Code, Name       string
	Strasse, PLZ     string // postal address; the town is Erfurt for all
	Domain           string // e-mail domain
	Telefon          string // switchboard prefix, extensions are appended
	RechtsbehelfKind string // "klage" (oberste Landesbehörde) or "widerspruch"
	Users            []userDef
	Plan             []posDef
}

type userDef struct {
	Login, Name string
	Frau        bool
	Funktion    string
	Roles       []access.Role
}

func (u userDef) has(r access.Role) bool { return slices.Contains(u.Roles, r) }

func (u userDef) nachname() string { return u.Name[strings.LastIndex(u.Name, " ")+1:] }

// posDef is an Aktenplan position; positions with a Thema get Akten.
type posDef struct {
	Kz, Parent, Titel string
	Frist             int // Aufbewahrungsfrist in years; 0 = not set
	Archiv            string
	// Schliessen closes the position after its Akten were filed (an old
	// topic that takes no new Akten).
	Schliessen bool
	Thema      *thema
}

// thema describes the Akten of a position.
type thema struct {
	Referat string
	// Akten are title templates, one Akte each; a "zdA:" prefix closes the
	// Akte after its Vorgänge are done.
	Akten     []string
	Beschr    string
	Vorgaenge []string // Betreff templates of the Vorgänge
	V         [2]int   // Vorgänge per Akte (min, max)
	Ablauf    string   // key into ablaeufe
	Partner   string   // person, firma, kommune, behoerde, landtag, schultraeger, intern
	Vars      map[string][]string
	Faelle    []map[string]string               // values that belong together, one case per Vorgang
	KeepAll   bool                              // all Vorgänge are about the Akte's one matter (same values)
	Anker     string                            // key of a date in the Akte (a meeting) the Vorgänge lead up to
	Meta      func(k *kontext) records.Metadata // Akte metadata
	VMeta     func(k *kontext) records.Metadata // Vorgang metadata

	seen map[string]bool // values and cases already used (see kontext)
}

// ---------------------------------------------------------------------------
// Loader

type loader struct {
	svc *records.Service
	r   *rand.Rand
	sum Summary

	// per tenant
	t          tenantDef
	users      map[string]records.Principal
	registr    userDef
	leitung    userDef
	sachbearb  []userDef
	positions  map[string]records.AktenplanEintrag
	mailSerial int
}

func (l *loader) p(u userDef) records.Principal { return l.users[u.Login] }

func (l *loader) tenant(ctx context.Context, d tenantDef) error {
	l.t = d
	l.users = map[string]records.Principal{}
	l.positions = map[string]records.AktenplanEintrag{}
	l.sachbearb = nil
	l.registr, l.leitung = userDef{}, userDef{}
	if _, err := l.svc.CreateTenant(ctx, d.Code, d.Name); err != nil {
		return err
	}
	l.sum.Tenants++
	for _, u := range d.Users {
		if _, err := l.svc.CreateUser(ctx, d.Code, u.Login, u.Name, u.Roles); err != nil {
			return fmt.Errorf("Benutzer %s: %w", u.Login, err)
		}
		tok, _, err := l.svc.CreateToken(ctx, d.Code, u.Login, "demo", 0)
		if err != nil {
			return fmt.Errorf("Token für %s: %w", u.Login, err)
		}
		p, err := l.svc.Authenticate(ctx, tok)
		if err != nil {
			return fmt.Errorf("Anmeldung %s: %w", u.Login, err)
		}
		l.users[u.Login] = p
		l.sum.Users++
		l.sum.Tokens[d.Code+"/"+u.Login] = tok
		switch {
		case u.has(access.RoleRegistratur) && l.registr.Login == "":
			l.registr = u
		case u.has(access.RoleLeitung) && l.leitung.Login == "":
			l.leitung = u
		case u.has(access.RoleSachbearbeitung):
			l.sachbearb = append(l.sachbearb, u)
		}
	}
	if l.registr.Login == "" || l.leitung.Login == "" || len(l.sachbearb) == 0 {
		return fmt.Errorf("Benutzerdefinition unvollständig (Registratur, Leitung und Sachbearbeitung nötig)")
	}

	reg := l.p(l.registr)
	for _, pos := range d.Plan {
		in := records.NewAktenplan{Kennzeichen: pos.Kz, Titel: pos.Titel, Archiv: pos.Archiv}
		if pos.Parent != "" {
			parent, ok := l.positions[pos.Parent]
			if !ok {
				return fmt.Errorf("Aktenplan %s: übergeordnete Position %s fehlt", pos.Kz, pos.Parent)
			}
			in.ParentID = &parent.ID
		}
		if pos.Frist > 0 {
			in.Aufbewahrung = &pos.Frist
		}
		e, err := l.svc.CreateAktenplan(ctx, reg, in)
		if err != nil {
			return fmt.Errorf("Aktenplan %s: %w", pos.Kz, err)
		}
		l.positions[pos.Kz] = e
		l.sum.Aktenplan++
	}

	for _, pos := range d.Plan {
		if pos.Thema == nil {
			continue
		}
		for i, tmpl := range pos.Thema.Akten {
			if err := l.akte(ctx, l.positions[pos.Kz], pos.Thema, i, tmpl); err != nil {
				return fmt.Errorf("Akte unter %s: %w", pos.Kz, err)
			}
		}
		if pos.Schliessen {
			closed := true
			if _, err := l.svc.UpdateAktenplan(ctx, reg, l.positions[pos.Kz].ID, records.AktenplanPatch{Geschlossen: &closed}); err != nil {
				return fmt.Errorf("Aktenplan %s schließen: %w", pos.Kz, err)
			}
		}
	}
	return nil
}

// baseKontext holds what every template of the tenant may use.
func (l *loader) baseKontext(th *thema) *kontext {
	k := newKontext(l.r, th)
	k.fix("behoerde", l.t.Name)
	k.fix("b_strasse", l.t.Strasse)
	k.fix("b_plzort", l.t.PLZ+" Erfurt")
	k.fix("b_ort", "Erfurt")
	k.fix("b_domain", l.t.Domain)
	k.fix("referat", th.Referat)
	k.fix("registratur", l.registr.Name)
	k.fix("leitung", l.leitung.Name)
	k.fix("leitung_funktion", l.leitung.Funktion)
	k.fix("leitung_an", anredeDativ(l.leitung)+" "+l.leitung.Name)
	k.fix("leitung_mail", mailOf(l.leitung, l.t.Domain))
	return k
}

func anredeDativ(u userDef) string {
	if u.Frau {
		return "Frau"
	}
	return "Herrn"
}

func mailOf(u userDef, domain string) string { return u.Login + "@" + domain }

func briefanrede(u userDef) string {
	if u.Frau {
		return "Sehr geehrte Frau " + u.nachname() + ","
	}
	return "Sehr geehrter Herr " + u.nachname() + ","
}

func liebe(u userDef) string {
	if u.Frau {
		return "Liebe Frau " + u.nachname() + ","
	}
	return "Lieber Herr " + u.nachname() + ","
}

func (l *loader) akte(ctx context.Context, pos records.AktenplanEintrag, th *thema, i int, tmpl string) error {
	closeAkte := false
	if t, ok := strings.CutPrefix(tmpl, "zdA:"); ok {
		tmpl, closeAkte = t, true
	}
	k := l.baseKontext(th)
	if closeAkte {
		// A closed Akte is an old one: its work was done in 2025.
		k.bis = time.Date(2025, 11, 28, 0, 0, 0, 0, berlin)
	}
	titel := k.fill(tmpl)
	k.fix("akte", titel)
	in := records.NewAkte{AktenplanID: pos.ID, Titel: titel}
	if th.Beschr != "" {
		in.Beschreibung = k.fill(th.Beschr)
	}
	if th.Meta != nil {
		in.Metadaten = th.Meta(k)
	}
	a, err := l.svc.CreateAkte(ctx, l.p(l.registr), in)
	if err != nil {
		return err
	}
	l.sum.Akten++
	k.fix("akte_az", a.Aktenzeichen)

	// The Vorgänge keep the values the Akte's title was made of (the Kita
	// of "Förderung Kita-Neubau Gotha"), everything else is new per Vorgang.
	keep := keys(tmpl)
	if th.Beschr != "" {
		keep = append(keep, keys(th.Beschr)...)
	}
	n := th.V[0]
	if th.V[1] > th.V[0] {
		n += l.r.IntN(th.V[1] - th.V[0] + 1)
	}
	offset := l.r.IntN(len(th.Vorgaenge))
	for i := range n {
		betreff := th.Vorgaenge[(offset+i)%len(th.Vorgaenge)]
		if err := l.vorgang(ctx, a, th, k.child(keep), betreff, closeAkte); err != nil {
			return fmt.Errorf("Vorgang in %s: %w", a.Aktenzeichen, err)
		}
	}
	if closeAkte {
		if _, err := l.svc.CloseAkte(ctx, l.p(l.registr), a.ID); err != nil {
			return fmt.Errorf("Akte %s z.d.A.: %w", a.Aktenzeichen, err)
		}
	}
	return nil
}

func (l *loader) vorgang(ctx context.Context, a records.Akte, th *thema, k *kontext, betreffTmpl string, akteClosing bool) error {
	sb := pick(l.r, l.sachbearb)
	p := l.p(sb)
	k.set("sb", sb.Name)
	k.set("sb_nachname", sb.nachname())
	k.set("sb_mail", mailOf(sb, l.t.Domain))
	k.set("sb_tel", fmt.Sprintf("%s-%d", l.t.Telefon, 100+l.r.IntN(800)))
	k.set("sb_funktion", sb.Funktion)
	k.set("sb_briefanrede", briefanrede(sb))
	k.set("sb_gruss", liebe(sb))
	// A colleague for internal mails: another clerk, or the Registratur.
	kollegen := []userDef{l.registr}
	for _, u := range l.sachbearb {
		if u.Login != sb.Login {
			kollegen = append(kollegen, u)
		}
	}
	kollege := kollegen[len(kollegen)-1]
	if chance(l.r, 0.3) {
		kollege = pick(l.r, kollegen)
	}
	k.set("kollege", kollege.Name)
	k.set("kollege_funktion", kollege.Funktion)
	k.set("kollege_tel", fmt.Sprintf("%s-%d", l.t.Telefon, 100+l.r.IntN(800)))
	k.set("kollege_mail", mailOf(kollege, l.t.Domain))
	k.set("kollege_gruss", liebe(kollege))

	// How far the work has come, and when it began: work in progress is
	// recent, closed work may be older.
	steps := ablaeufe[th.Ablauf]
	if len(steps) == 0 {
		return fmt.Errorf("Ablauf %q unbekannt", th.Ablauf)
	}
	closing := akteClosing || chance(l.r, 0.35)
	n := len(steps)
	if !closing && n > 1 {
		n = 1 + l.r.IntN(min(3, n-1))
	}
	skip := map[int]bool{}
	var todo []schritt
	for _, s := range steps[:n] {
		if s.Opt != 0 {
			if _, decided := skip[s.Opt]; !decided {
				skip[s.Opt] = chance(l.r, 0.5)
			}
			if skip[s.Opt] {
				continue
			}
		}
		todo = append(todo, s)
	}
	total := 0
	for _, s := range todo {
		total += s.Tage[1]
	}
	from, to := k.von, k.bis
	if !closing {
		from = time.Date(2026, 4, 1, 0, 0, 0, 0, berlin)
	}
	if last := demoEnd.AddDate(0, 0, -total); to.After(last) {
		to = last
	}
	if !to.After(from) {
		from = to.AddDate(0, -3, 0)
	}
	day := randomDay(l.r, from, to)
	if th.Anker != "" {
		if t, err := time.ParseInLocation("02.01.2006", k.get(th.Anker), berlin); err == nil {
			day = workday(t.AddDate(0, 0, -10-l.r.IntN(11)))
		}
		if day.Before(demoStart) {
			day = demoStart
		}
	}
	k.start = day

	betreff := k.fill(betreffTmpl)
	k.set("vbetreff", betreff)
	var meta records.Metadata
	if th.VMeta != nil {
		meta = th.VMeta(k)
	}
	v, err := l.svc.CreateVorgang(ctx, p, a.ID, betreff, meta)
	if err != nil {
		return err
	}
	l.sum.Vorgaenge++
	k.set("az", v.Aktenzeichen)

	for i, s := range todo {
		if i > 0 {
			day = workday(day.AddDate(0, 0, s.Tage[0]+l.r.IntN(s.Tage[1]-s.Tage[0]+1)))
		}
		if day.After(demoEnd) {
			break
		}
		if err := l.dokument(ctx, p, v, k, s, i, day); err != nil {
			return fmt.Errorf("Dokument %q: %w", s.Betreff, err)
		}
	}
	if closing && !akteClosing {
		if _, err := l.svc.CloseVorgang(ctx, p, v.ID); err != nil {
			return fmt.Errorf("Vorgang %s z.d.A.: %w", v.Aktenzeichen, err)
		}
	}
	return nil
}

// dokument renders one step of an Ablauf and files it, with a draft as
// first version where that is usual, and marks it final where it is done.
func (l *loader) dokument(ctx context.Context, p records.Principal, v records.Vorgang, k *kontext, s schritt, i int, day time.Time) error {
	k.set("heute", deDate(day))
	k.set("frist", deDate(workday(day.AddDate(0, 0, 28))))
	k.set("wv", deDate(workday(day.AddDate(0, 0, 14))))
	var eingang *time.Time
	if s.Art.incoming() {
		e := day
		if s.Art != mailEin {
			e = workday(day.AddDate(0, 0, 1+l.r.IntN(3)))
		}
		eingang = &e
	}
	if i == 0 {
		k.set("d_erst", deDate(day))
		if eingang != nil {
			k.set("d_eingang", deDate(*eingang))
		} else {
			k.set("d_eingang", deDate(day))
		}
	}
	betreff := k.fill(s.Betreff)
	typ := s.Typ
	format := s.Art.format(l.r)
	if typ == "Eingang" && format == fmtPDF && chance(l.r, 0.5) {
		typ = "Scan"
	}
	in := records.NewDokument{Betreff: betreff, Typ: typ}
	dd := isoDate(day)
	in.Dokumentdatum = &dd
	if eingang != nil {
		ed := isoDate(*eingang)
		in.Eingangsdatum = &ed
	}
	switch {
	case s.Art.incoming():
		in.Absender, in.Empfaenger = k.get("p_name"), l.t.Name
	case s.Art.outgoing():
		in.Absender, in.Empfaenger = l.t.Name, k.get("p_name")
	case s.Art == mailIntern && s.Antwort:
		in.Absender, in.Empfaenger = k.get("kollege"), k.get("sb")
	case s.Art == mailIntern:
		in.Absender, in.Empfaenger = k.get("sb"), k.get("kollege")
	default:
		in.Absender = k.get("sb")
	}

	r := render{l: l, k: k, s: s, first: i == 0, betreff: betreff, day: day, eingang: eingang, scan: typ == "Scan", format: format}
	drafts := s.Art.draftChance()
	versions := 1
	if chance(l.r, drafts) {
		versions = 2
	}
	var contents [][]byte
	for n := 1; n <= versions; n++ {
		contents = append(contents, r.bytes(versions > 1 && n == 1))
	}
	name := r.filename()
	c, err := l.svc.StoreContent(ctx, p, bytes.NewReader(contents[0]), draftName(name, versions > 1))
	if err != nil {
		return err
	}
	d, _, err := l.svc.CreateDokument(ctx, p, v.ID, in, c)
	if err != nil {
		return err
	}
	l.sum.Dokumente++
	l.sum.Versionen++
	if s.Art.incoming() {
		k.set("d_letzter_eingang", deDate(day)) // "Ihr Schreiben vom" of the next letter out
	}
	if versions > 1 {
		c, err := l.svc.StoreContent(ctx, p, bytes.NewReader(contents[1]), name)
		if err != nil {
			return err
		}
		if _, err := l.svc.AddVersion(ctx, p, d.ID, c); err != nil {
			return err
		}
		l.sum.Versionen++
	}
	if chance(l.r, s.Art.finalChance()) {
		signer := p
		if s.Art == bescheid {
			signer = l.p(l.leitung) // the Leitung signs off Bescheide
		}
		if _, err := l.svc.MarkFinal(ctx, signer, d.ID, versions); err != nil {
			return err
		}
	}
	return nil
}

func draftName(name string, draft bool) string {
	if !draft {
		return name
	}
	dot := strings.LastIndex(name, ".")
	return name[:dot] + "_Entwurf" + name[dot:]
}
