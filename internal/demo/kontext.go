package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// kontext holds the values of one Akte or Vorgang that templates refer to
// as {name}. Values are drawn lazily from the generators below (with the
// loader's rand, so the order of use makes the output deterministic) and then
// stay fixed, so a person named in the Betreff is the one who signs the
// letter. {a|b|c} picks one of the alternatives each time.
type kontext struct {
	r       *rand.Rand
	v       map[string]string
	f       map[string]float64 // numbers behind some values (for metadata)
	vars    map[string][]string
	partner string // kind of counterpart: person, firma, kommune, behoerde, landtag, schultraeger
	faelle  []map[string]string
	fixed   map[string]bool
	th      *thema
	// von and bis bound the dates of an Akte (closed Akten lie in the
	// past); start is the first day of a Vorgang, once known: dates like
	// "Bescheid vom {datum}" or "Termin am {termin}" are drawn around it.
	von, bis, start time.Time
}

func newKontext(r *rand.Rand, th *thema) *kontext {
	if th.seen == nil {
		th.seen = map[string]bool{}
	}
	return &kontext{r: r, v: map[string]string{}, f: map[string]float64{}, vars: th.Vars, faelle: th.Faelle, partner: th.Partner,
		fixed: map[string]bool{}, th: th, von: demoStart, bis: demoEnd}
}

// child returns a fresh kontext for a Vorgang that keeps the values of k
// named in keep (the ones its Akte's title was built from) and everything
// set explicitly with set.
func (k *kontext) child(keep []string) *kontext {
	c := newKontext(k.r, k.th)
	c.von, c.bis = k.von, k.bis
	if k.th.KeepAll {
		keep = keep[:0:0]
		for key := range k.v {
			keep = append(keep, key)
		}
	}
	for _, key := range keep {
		if val, ok := k.v[key]; ok {
			c.v[key] = val
		}
		if f, ok := k.f[key]; ok {
			c.f[key] = f
		}
	}
	for key := range k.fixed {
		c.fix(key, k.v[key])
	}
	return c
}

// set fixes a value of this kontext only.
func (k *kontext) set(key, val string) { k.v[key] = val }

// fix sets a value that every child kontext inherits.
func (k *kontext) fix(key, val string) {
	k.v[key] = val
	k.fixed[key] = true
}

var placeRE = regexp.MustCompile(`\{([^{}]+)\}`)

// keys lists the placeholders of a template (not the alternatives).
func keys(t string) []string {
	var out []string
	for _, m := range placeRE.FindAllStringSubmatch(t, -1) {
		if !strings.Contains(m[1], "|") {
			out = append(out, m[1])
		}
	}
	return out
}

// fill renders a template. Unknown names stay as {name}, which the tests
// look for.
func (k *kontext) fill(t string) string {
	return placeRE.ReplaceAllStringFunc(t, func(m string) string {
		inner := m[1 : len(m)-1]
		if strings.Contains(inner, "|") {
			opts := strings.Split(inner, "|")
			return opts[k.r.IntN(len(opts))]
		}
		return k.get(inner)
	})
}

func (k *kontext) get(key string) string {
	if val, ok := k.v[key]; ok {
		return val
	}
	if val, ok := k.fromFall(key); ok {
		return val
	}
	if list, ok := k.vars[key]; ok && len(list) > 0 {
		// A thema's own list may itself hold placeholders.
		k.v[key] = k.fill(pick(k.r, list))
		return k.v[key]
	}
	gen, ok := generators[key]
	if !ok {
		return "{" + key + "}"
	}
	// A generator fills a group of related values (a person's name, address
	// and salutation); values already fixed keep theirs.
	saved := k.v
	rep := uniqueRep[key]
	for attempt := 0; ; attempt++ {
		k.v = make(map[string]string, len(saved)+8)
		for kk, vv := range saved {
			k.v[kk] = vv
		}
		gen(k)
		// Some values should not repeat within a thema (two Akten
		// "Haushaltsaufstellung 2027 – Einzelplan 03" would confuse).
		if rep == "" || attempt >= 20 || !k.th.seen[rep+"="+k.v[rep]] {
			break
		}
	}
	if rep != "" {
		k.th.seen[rep+"="+k.v[rep]] = true
	}
	for kk, vv := range k.v {
		if _, ok := saved[kk]; !ok {
			saved[kk] = vv
		}
	}
	k.v = saved
	if val, ok := k.v[key]; ok {
		return val
	}
	return "{" + key + "}"
}

// fromFall takes key from one of the thema's cases (Fälle: values that
// belong together, like a citizen's concern and the answer to it). The
// first key asked for picks the case for the whole kontext.
func (k *kontext) fromFall(key string) (string, bool) {
	var cands []map[string]string
	for _, f := range k.faelle {
		if _, ok := f[key]; ok {
			cands = append(cands, f)
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	// Cases are used up one after the other within a thema, so that two
	// Vorgänge of an Akte rarely tell the same story.
	var fresh []int
	for i, f := range cands {
		if !k.th.seen[fmt.Sprintf("fall:%p", f)] {
			fresh = append(fresh, i)
		}
	}
	if len(fresh) == 0 {
		for _, f := range cands {
			delete(k.th.seen, fmt.Sprintf("fall:%p", f))
		}
		for i := range cands {
			fresh = append(fresh, i)
		}
	}
	f := cands[pick(k.r, fresh)]
	k.th.seen[fmt.Sprintf("fall:%p", f)] = true
	var set []string
	for fk := range f {
		if _, ok := k.v[fk]; !ok {
			set = append(set, fk)
		}
	}
	slices.Sort(set) // map order is random; filling draws from rand
	for _, fk := range set {
		k.v[fk] = f[fk]
	}
	for _, fk := range set {
		k.v[fk] = k.fill(k.v[fk])
	}
	return k.v[key], true
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// ---------------------------------------------------------------------------
// Dates and numbers

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// The sample plays between these days (documents are never later).
var (
	demoStart = time.Date(2025, 1, 6, 0, 0, 0, 0, berlin)
	demoEnd   = time.Date(2026, 11, 20, 0, 0, 0, 0, berlin)
)

func randomDay(r *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	d := from.AddDate(0, 0, r.IntN(days+1))
	// Letters are written on working days.
	switch d.Weekday() {
	case time.Saturday:
		d = d.AddDate(0, 0, 2)
	case time.Sunday:
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func workday(d time.Time) time.Time {
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func deDate(t time.Time) string  { return t.Format("02.01.2006") }
func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// euro formats an amount the German way: 12.345,67 €.
func euro(v float64) string {
	cents := int64(v*100 + 0.5)
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s,%02d\u00a0€", b.String(), cents%100)
}

// ---------------------------------------------------------------------------
// Generators

type person struct {
	Vorname, Nachname string
	Frau              bool
}

func (p person) Name() string { return p.Vorname + " " + p.Nachname }

func (p person) Anrede() string {
	if p.Frau {
		return "Frau"
	}
	return "Herr"
}

func (p person) Briefanrede() string {
	if p.Frau {
		return "Sehr geehrte Frau " + p.Nachname + ","
	}
	return "Sehr geehrter Herr " + p.Nachname + ","
}

func randomPerson(r *rand.Rand) person {
	if chance(r, 0.5) {
		return person{pick(r, vornamenW), pick(r, nachnamen), true}
	}
	return person{pick(r, vornamenM), pick(r, nachnamen), false}
}

// ascii turns a name into the local part of an e-mail address.
func ascii(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", " ", "-", "„", "", "“", "", "&", "und", ",", "", ".", "").Replace(s)
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			b.WriteRune(c)
		}
	}
	return strings.Trim(b.String(), "-.")
}

func setPerson(k *kontext, prefix string, p person) {
	k.v[prefix+"person"] = p.Name()
	k.v[prefix+"vorname"] = p.Vorname
	k.v[prefix+"nachname"] = p.Nachname
	k.v[prefix+"anrede"] = p.Anrede()
	k.v[prefix+"briefanrede"] = p.Briefanrede()
	if p.Frau {
		k.v[prefix+"abg_gen"], k.v[prefix+"abg_nom"] = "der Abgeordneten "+p.Name(), "Die Abgeordnete"
	} else {
		k.v[prefix+"abg_gen"], k.v[prefix+"abg_nom"] = "des Abgeordneten "+p.Name(), "Der Abgeordnete"
	}
	if p.Frau {
		k.v[prefix+"wf"] = "die Widerspruchsführerin"
	} else {
		k.v[prefix+"wf"] = "der Widerspruchsführer"
	}
}

var generators = map[string]func(k *kontext){}

// uniqueRep names, for the keys of a generator group whose values should
// not repeat within a thema, the key that identifies the value.
var uniqueRep = map[string]string{}

func init() {
	for rep, ks := range map[string][]string{
		"epl":         {"epl", "eplname", "kapitel", "titel"},
		"finanzamt":   {"finanzamt", "fa_plzort", "fa_mail"},
		"schule":      {"schule", "schulort", "schultraeger", "schulamt"},
		"ort":         {"ort", "plz", "landkreis"},
		"kita":        {"kita", "kitatraeger"},
		"stelle":      {"stelle"},
		"erf_strasse": {"erf_strasse"},
		"flst":        {"flst", "gemarkung", "flur"},
	} {
		for _, k := range ks {
			uniqueRep[k] = rep
		}
	}
}

// around draws a day relative to the start of the Vorgang, or within the
// Akte's time span when no Vorgang has started.
func (k *kontext) around(fromDays, toDays int) time.Time {
	if k.start.IsZero() {
		return randomDay(k.r, k.von, k.bis)
	}
	return workday(k.start.AddDate(0, 0, fromDays+k.r.IntN(toDays-fromDays+1)))
}

func init() {
	personGen := func(k *kontext) {
		p := randomPerson(k.r)
		setPerson(k, "", p)
		o := pick(k.r, orte)
		if wo, ok := k.vars["wohnort"]; ok && chance(k.r, 0.85) {
			o = ortByName(pick(k.r, wo))
		}
		k.v["p_strasse"] = fmt.Sprintf("%s %d", pick(k.r, strassen), 1+k.r.IntN(80))
		k.v["p_plzort"] = o.PLZ + " " + o.Name
		k.v["p_ort"] = o.Name
		k.v["p_email"] = ascii(p.Vorname) + "." + ascii(p.Nachname) + "@" + pick(k.r, mailDomains)
		k.v["telefon"] = fmt.Sprintf("%s %d", pick(k.r, vorwahlen), 100000+k.r.IntN(899999))
	}
	for _, key := range []string{"person", "vorname", "nachname", "anrede", "briefanrede", "wf", "abg_gen", "abg_nom", "p_strasse", "p_plzort", "p_ort", "p_email", "telefon"} {
		generators[key] = personGen
	}
	person2 := func(k *kontext) { setPerson(k, "zweite_", randomPerson(k.r)) }
	for _, key := range []string{"zweite_person", "zweite_vorname", "zweite_nachname", "zweite_anrede", "zweite_briefanrede"} {
		generators[key] = person2
	}
	firmaGen := func(k *kontext) {
		pool := firmen
		if want, ok := k.vars["firmenort"]; ok {
			pool = nil
			for _, f := range firmen {
				if slices.Contains(want, f.Ort) {
					pool = append(pool, f)
				}
			}
		}
		f := pick(k.r, pool)
		o := ortByName(f.Ort)
		k.v["firma"] = f.Name
		k.v["f_strasse"] = fmt.Sprintf("%s %d", pick(k.r, strassen), 1+k.r.IntN(120))
		k.v["f_plzort"] = o.PLZ + " " + o.Name
		k.v["f_ort"] = o.Name
		k.v["f_email"] = "info@" + f.Domain
	}
	for _, key := range []string{"firma", "f_strasse", "f_plzort", "f_ort", "f_email"} {
		generators[key] = firmaGen
	}
	ortGen := func(k *kontext) {
		o := pick(k.r, orte)
		k.v["ort"], k.v["plz"], k.v["landkreis"] = o.Name, o.PLZ, o.Kreis
	}
	for _, key := range []string{"ort", "plz", "landkreis"} {
		generators[key] = ortGen
	}
	generators["ort2"] = func(k *kontext) { k.v["ort2"] = pick(k.r, orte).Name }
	generators["strasse"] = func(k *kontext) {
		k.v["strasse"] = fmt.Sprintf("%s %d", pick(k.r, strassen), 1+k.r.IntN(90))
	}
	generators["erf_strasse"] = func(k *kontext) {
		k.v["erf_strasse"] = fmt.Sprintf("%s %d", pick(k.r, erfurterStrassen), 1+k.r.IntN(150))
	}
	flst := func(k *kontext) {
		k.v["gemarkung"] = pick(k.r, erfurterGemarkungen)
		k.v["flur"] = strconv.Itoa(1 + k.r.IntN(12))
		k.v["flst"] = fmt.Sprintf("%d/%d", 10+k.r.IntN(990), 1+k.r.IntN(12))
	}
	for _, key := range []string{"gemarkung", "flur", "flst"} {
		generators[key] = flst
	}
	schule := func(k *kontext) {
		s := pick(k.r, schulen)
		o := ortByName(s.Ort)
		k.v["schule"], k.v["schulort"], k.v["schultraeger"], k.v["schulamt"] = s.Name, s.Ort, o.Traeger(), o.Schulamt
	}
	for _, key := range []string{"schule", "schulort", "schultraeger", "schulamt"} {
		generators[key] = schule
	}
	kita := func(k *kontext) {
		name := pick(k.r, kitaNamen)
		o := ortByName(k.get("ort"))
		k.v["kita"] = name + " " + o.Name
		k.v["kitatraeger"] = pick(k.r, []string{"Stadt " + o.Name, "AWO Kreisverband " + o.Name + " e. V.", "Volkssolidarität " + o.Name + " e. V.", "Evangelische Kirchgemeinde " + o.Name, "DRK-Kreisverband " + o.Name + " e. V."})
	}
	generators["kita"], generators["kitatraeger"] = kita, kita
	generators["schulamt_allein"] = func(k *kontext) { k.v["schulamt_allein"] = pick(k.r, schulaemter) }
	finanzamt := func(k *kontext) {
		o := ortByName(pick(k.r, finanzaemter))
		k.v["finanzamt"], k.v["fa_plzort"] = o.Name, o.PLZ+" "+o.Name
		k.v["fa_mail"] = "poststelle.fa-" + ascii(o.Name) + "@finanzamt.thueringen.de"
	}
	generators["finanzamt"], generators["fa_plzort"], generators["fa_mail"] = finanzamt, finanzamt, finanzamt
	generators["ressort"] = func(k *kontext) {
		r := pick(k.r, ressorts)
		k.v["ressort"], k.v["ressortkurz"] = r[0], r[1]
	}
	generators["ressortkurz"] = generators["ressort"]
	generators["fraktion"] = func(k *kontext) { k.v["fraktion"] = pick(k.r, fraktionen) }
	// A date shortly before the Vorgang began (the Bescheid that is
	// contested, the council's decision behind an application).
	generators["datum"] = func(k *kontext) { k.v["datum"] = deDate(k.around(-35, -8)) }
	// A deadline and a follow-up; documents set their own, relative to
	// their date, these are for values fixed earlier (a case's text).
	generators["frist"] = func(k *kontext) { k.v["frist"] = deDate(k.around(28, 35)) }
	generators["gutachtendatum"] = func(k *kontext) { k.v["gutachtendatum"] = deDate(k.around(15, 40)) }
	generators["frist_stn"] = func(k *kontext) { k.v["frist_stn"] = deDate(k.around(24, 32)) }
	generators["wv"] = func(k *kontext) { k.v["wv"] = deDate(k.around(14, 21)) }
	// A meeting a few weeks after the start.
	generators["sitzung"] = func(k *kontext) { k.v["sitzung"] = deDate(k.around(14, 45)) }
	// An appointment months ahead (wedding, notary).
	generators["termin"] = func(k *kontext) { k.v["termin"] = deDate(k.around(45, 200)) }
	// The first of a month ahead, when an order takes effect.
	generators["stichtag"] = func(k *kontext) {
		d := k.around(30, 90)
		k.v["stichtag"] = deDate(time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, berlin).AddDate(0, 1, 0))
	}
	generators["jahr"] = func(k *kontext) {
		if !k.start.IsZero() {
			k.v["jahr"] = strconv.Itoa(k.start.Year())
			return
		}
		k.v["jahr"] = strconv.Itoa(randomDay(k.r, k.von, k.bis).Year())
	}
	generators["top"] = func(k *kontext) { k.v["top"] = strconv.Itoa(1 + k.r.IntN(14)) }
	generators["kontakt"] = func(k *kontext) {
		p := randomPerson(k.r)
		k.v["kontakt"] = p.Anrede() + " " + p.Name()
	}
	generators["hhjahr"] = func(k *kontext) { k.v["hhjahr"] = pick(k.r, []string{"2027", "2027", "2028"}) }
	generators["nr"] = func(k *kontext) { k.v["nr"] = strconv.Itoa(1 + k.r.IntN(480)) }
	generators["drs"] = func(k *kontext) { k.v["drs"] = fmt.Sprintf("8/%d", 400+k.r.IntN(2600)) }
	generators["kassenzeichen"] = func(k *kontext) {
		k.v["kassenzeichen"] = fmt.Sprintf("%d.%04d.%06d.%d", 1+k.r.IntN(9), k.r.IntN(10000), k.r.IntN(1000000), k.r.IntN(10))
	}
	generators["betrag"] = func(k *kontext) {
		v := float64(5+k.r.IntN(400)) * 500
		k.f["betrag"] = v
		k.v["betrag"] = euro(v)
		k.f["gesamtkosten"] = math.Round(v*(1.2+float64(k.r.IntN(40))/100)/10) * 10
		k.v["gesamtkosten"] = euro(k.f["gesamtkosten"])
	}
	generators["gesamtkosten"] = generators["betrag"]
	generators["gebuehr"] = func(k *kontext) {
		v := float64(20+k.r.IntN(900)) + float64(k.r.IntN(4))*0.25
		k.f["gebuehr"] = v
		k.v["gebuehr"] = euro(v)
	}
	generators["epl"] = func(k *kontext) {
		e := pick(k.r, einzelplaene)
		if want, ok := k.vars["epl"]; ok {
			for _, x := range einzelplaene {
				if x[0] == want[0] {
					e = x
				}
			}
		}
		k.v["epl"], k.v["eplname"] = e[0], e[1]
		k.v["ressort"], k.v["ressortkurz"] = e[2], e[3]
		k.v["kapitel"] = e[0] + fmt.Sprintf("%02d", 1+k.r.IntN(20))
		k.v["titel"] = fmt.Sprintf("%d %02d", pick(k.r, []int{422, 427, 511, 517, 526, 531, 547, 633, 684, 811, 893}), 1+k.r.IntN(9))
	}
	for _, key := range []string{"eplname", "kapitel", "titel"} {
		generators[key] = generators["epl"]
	}
	generators["stelle"] = func(k *kontext) { k.v["stelle"] = pick(k.r, stellen) }
	generators["fach"] = func(k *kontext) { k.v["fach"] = pick(k.r, faecher) + " und " + pick(k.r, faecher2) }
	generators["raum"] = func(k *kontext) { k.v["raum"] = fmt.Sprintf("Raum %d.%02d", 1+k.r.IntN(4), 1+k.r.IntN(40)) }
	generators["quartal"] = func(k *kontext) {
		k.v["quartal"] = pick(k.r, []string{"I.", "II.", "III.", "IV."}) + " Quartal " + pick(k.r, []string{"2026", "2027"})
	}
	generators["wp"] = func(k *kontext) { k.v["wp"] = "8" }
	generators["prozent"] = func(k *kontext) { k.v["prozent"] = strconv.Itoa(pick(k.r, []int{50, 60, 65, 70, 75, 80, 90})) }
	generators["anzahl"] = func(k *kontext) { k.v["anzahl"] = strconv.Itoa(3 + k.r.IntN(40)) }
	generators["plaetze"] = func(k *kontext) { k.v["plaetze"] = strconv.Itoa(pick(k.r, []int{40, 45, 60, 60, 75})) }
	generators["rang"] = func(k *kontext) { k.v["rang"] = strconv.Itoa(1 + k.r.IntN(90)) }
}

func init() {
	// The counterpart of a Vorgang: who writes in, who gets the letters.
	// A thema may override any of these keys through its Vars.
	partner := func(k *kontext) {
		switch k.partner {
		case "firma":
			k.v["p_name"] = k.get("firma")
			k.v["p_adr"] = k.fill("{firma}\n{anrede} {person}\n{f_strasse}\n{f_plzort}")
			k.v["p_gruss"] = k.get("briefanrede")
			k.v["p_mail"] = ascii(k.get("vorname")) + "." + ascii(k.get("nachname")) + "@" + strings.TrimPrefix(k.get("f_email"), "info@")
			k.v["p_sign"] = k.fill("{person}\n{firma}")
			k.v["p_briefort"] = k.get("f_ort")
			k.v["p_kurz"] = strings.Fields(strings.Trim(k.get("firma"), "„“ "))[0]
		case "kommune":
			amt := "Bürgermeister"
			if k.get("anrede") == "Frau" {
				amt = "Bürgermeisterin"
			}
			k.v["p_name"] = "Stadtverwaltung " + k.get("ort")
			k.v["p_adr"] = k.fill("Stadtverwaltung {ort}\n" + amt + " {person}\nMarkt 1\n{plz} {ort}")
			k.v["p_gruss"] = k.fill("Sehr geehrte Damen und Herren,")
			k.v["p_mail"] = "rathaus@" + ascii(k.get("ort")) + ".de"
			k.v["p_sign"] = k.get("person") + "\n" + amt
			k.v["p_briefort"] = k.get("ort")
			k.v["p_kurz"] = k.get("ort")
		case "schultraeger":
			k.v["p_name"] = k.get("schultraeger")
			o := ortByName(k.get("schulort"))
			k.v["p_adr"] = k.fill("{schultraeger}\nSchulverwaltungsamt\n{strasse}\n") + o.PLZ + " " + o.Name
			k.v["p_gruss"] = "Sehr geehrte Damen und Herren,"
			k.v["p_mail"] = "schulverwaltung@" + ascii(strings.TrimPrefix(strings.TrimPrefix(k.get("schultraeger"), "Stadt "), "Landkreis ")) + ".de"
			k.v["p_sign"] = k.fill("{person}\nLeitung Schulverwaltungsamt")
			k.v["p_briefort"] = o.Name
			k.v["p_kurz"] = strings.TrimPrefix(strings.TrimPrefix(k.get("schultraeger"), "Stadt "), "Landkreis ")
		case "behoerde":
			k.v["p_name"] = k.get("ressort")
			k.v["p_adr"] = k.fill("{ressort}\nz. Hd. {anrede} {person}\nPostfach 90 0{nr}\n99105 Erfurt")
			k.v["p_gruss"] = k.get("briefanrede")
			k.v["p_mail"] = ascii(k.get("vorname")) + "." + ascii(k.get("nachname")) + "@" + strings.ToLower(k.get("ressortkurz")) + ".thueringen.de"
			k.v["p_sign"] = k.fill("{person}\n{ressort}")
			k.v["p_briefort"] = "Erfurt"
			k.v["p_kurz"] = k.get("ressortkurz")
		case "landtag":
			k.v["p_name"] = "Thüringer Landtag"
			k.v["p_adr"] = "Thüringer Landtag\nLandtagsverwaltung\nJürgen-Fuchs-Straße 1\n99096 Erfurt"
			k.v["p_gruss"] = "Sehr geehrte Damen und Herren,"
			k.v["p_mail"] = "poststelle@landtag.thueringen.de"
			k.v["p_sign"] = "Landtagsverwaltung\nReferat Parlamentsdokumentation"
			k.v["p_briefort"] = "Erfurt"
			k.v["p_kurz"] = "Landtag"
		default: // a citizen
			k.v["p_name"] = k.get("person")
			k.v["p_adr"] = k.fill("{anrede}\n{person}\n{p_strasse}\n{p_plzort}")
			k.v["p_gruss"] = k.get("briefanrede")
			k.v["p_mail"] = k.get("p_email")
			k.v["p_sign"] = k.get("person")
			k.v["p_briefort"] = k.get("p_ort")
			k.v["p_kurz"] = k.get("nachname")
		}
	}
	for _, key := range []string{"p_name", "p_adr", "p_gruss", "p_mail", "p_sign", "p_briefort", "p_kurz"} {
		generators[key] = partner
	}
}

func init() {
	// The outcome of a Widerspruch, told consistently in the Vermerk and
	// in the Bescheid.
	wb := func(k *kontext) {
		switch k.r.IntN(3) {
		case 0:
			k.v["wb_titel"] = "Widerspruchsbescheid"
			k.v["wb_datei"] = "Widerspruchsbescheid"
			k.v["wb_pruefung"] = k.fill("Die Gebühr wurde auf Grundlage der geltenden Gebührensatzung zutreffend festgesetzt. Die vorgebrachten Einwände greifen nicht durch: Die Gebührenpflicht knüpft allein an die Inanspruchnahme der Leistung an. Persönliche Umstände können allenfalls in einem Antrag auf Stundung oder Erlass berücksichtigt werden, auf den {wf} hingewiesen wird.")
			k.v["wb_ergebnis"] = "Eine Abhilfe kommt nicht in Betracht. Der Widerspruch ist zurückzuweisen; Entwurf des Widerspruchsbescheids anbei."
			k.v["wb_tenor"] = k.fill("1. Der Widerspruch wird zurückgewiesen.\n2. Die Kosten des Verfahrens trägt {wf}.\n3. Für diesen Bescheid wird eine Gebühr in Höhe von 35,00 € festgesetzt.")
		case 1:
			k.v["wb_titel"] = "Abhilfebescheid"
			k.v["wb_datei"] = "Abhilfebescheid"
			k.v["wb_pruefung"] = "Die Prüfung hat ergeben, dass der Einwand berechtigt ist: Der Festsetzung lag ein veralteter Datenbestand zugrunde. Die Gebühr ist neu zu berechnen."
			k.v["wb_ergebnis"] = "Dem Widerspruch wird nach § 72 VwGO abgeholfen. Der Bescheid wird aufgehoben und die Gebühr neu festgesetzt."
			k.v["wb_tenor"] = k.fill("1. Der {bescheidart} vom {datum} wird aufgehoben.\n2. Die Kosten des Verfahrens trägt die Stadt Erfurt.\n3. Bereits gezahlte Beträge werden erstattet oder mit der neuen Festsetzung verrechnet.")
		default:
			k.v["wb_titel"] = "Widerspruchsbescheid"
			k.v["wb_datei"] = "Widerspruchsbescheid"
			k.v["wb_pruefung"] = "Der Widerspruch ist teilweise begründet. Die Bemessungsgrundlage wurde für einen Teil des Veranlagungszeitraums unzutreffend angesetzt; im Übrigen ist die Festsetzung rechtmäßig."
			k.v["wb_ergebnis"] = "Teilabhilfe; im Übrigen Zurückweisung und Vorlage zur Entscheidung über den Widerspruch."
			k.v["wb_tenor"] = k.fill("1. Der {bescheidart} vom {datum} wird insoweit aufgehoben, als eine Gebühr von mehr als {gebuehr2} festgesetzt wurde. Im Übrigen wird der Widerspruch zurückgewiesen.\n2. Die Kosten des Verfahrens tragen {wf} und die Stadt Erfurt je zur Hälfte.")
		}
	}
	for _, key := range []string{"wb_titel", "wb_datei", "wb_pruefung", "wb_ergebnis", "wb_tenor"} {
		generators[key] = wb
	}
	generators["gebuehr2"] = func(k *kontext) {
		k.get("gebuehr")
		k.v["gebuehr2"] = euro(float64(int(k.f["gebuehr"]*0.6*100)) / 100)
	}
	zeitraum := func(k *kontext) {
		von := k.around(14, 60)
		k.v["von"] = deDate(von)
		k.v["bis"] = deDate(von.AddDate(0, 1+k.r.IntN(6), 0).AddDate(0, 0, -1))
	}
	generators["von"], generators["bis"] = zeitraum, zeitraum
	generators["kosten"] = func(k *kontext) { k.v["kosten"] = euro(float64(50+k.r.IntN(800)) * 100) }
	// Places in a Vergabeverfahren: admitted, waiting list (Nachrücken) or
	// not admitted, as the rank says.
	vergabe := func(k *kontext) {
		rang, _ := strconv.Atoi(k.get("rang"))
		plaetze, _ := strconv.Atoi(k.get("plaetze"))
		switch {
		case rang <= plaetze:
			k.v["vergabe_ergebnis"] = k.fill("eine Zulassung möglich. Vorschlag: Zulassung zum Kurs {nr}.")
			k.v["vergabe_tenor"] = k.fill("1. Sie werden zum berufsbegleitenden Qualifizierungskurs {nr} im Fach {fach} zugelassen.\n2. Die Zulassung steht unter dem Vorbehalt der Einstellung in den Schuldienst des Freistaats Thüringen.\n3. Bitte bestätigen Sie die Annahme des Platzes bis zum {frist}.")
		case rang <= plaetze+15:
			k.v["vergabe_ergebnis"] = "derzeit keine Zulassung möglich. Vorschlag: Aufnahme in die Nachrückliste; bei Absagen rückt die Bewerbung in der Reihenfolge der Rangliste nach."
			k.v["vergabe_tenor"] = k.fill("1. Eine Zulassung zum Qualifizierungskurs {nr} ist derzeit nicht möglich.\n2. Sie werden auf Platz " + strconv.Itoa(rang-plaetze) + " der Nachrückliste geführt. Werden Plätze frei, rücken Sie nach der Reihenfolge der Liste nach; wir benachrichtigen Sie dann unverzüglich.")
		default:
			k.v["vergabe_ergebnis"] = "eine Zulassung nicht möglich. Vorschlag: Ablehnung mit Hinweis auf den nächsten Kurs."
			k.v["vergabe_tenor"] = k.fill("1. Ihre Bewerbung um Zulassung zum Qualifizierungskurs {nr} wird abgelehnt.\n2. Sie können sich für den nächsten Kurs erneut bewerben; Ihre Unterlagen werden auf Wunsch berücksichtigt.")
		}
	}
	generators["vergabe_ergebnis"], generators["vergabe_tenor"] = vergabe, vergabe
}

// Traeger names the Schulträger of a town's schools.
func (o ort) Traeger() string {
	if o.Kreisfrei {
		return "Stadt " + o.Name
	}
	return o.Kreis
}

func ortByName(name string) ort {
	for _, o := range orte {
		if o.Name == name {
			return o
		}
	}
	return orte[0]
}
