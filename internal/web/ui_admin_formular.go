package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Forms of the profile and administration pages. A page holds several
// forms; each is a *formular with its own id prefix (so that ids stay
// unique on the page), the values to show again after an error, and the
// messages per field. Fields carry the names of the service's validation
// fields, so that an apperr.Validation lands at its input: the message is
// tied to the input with aria-describedby and aria-invalid (template
// "vw-feld" in layout.html).

type formular struct {
	Prefix  string
	Werte   url.Values
	Felder  map[string]string // field → message
	Meldung string            // a message for the whole form (role=alert)
	// konflikt: the service refused with a conflict (409), possibly naming
	// the field it is about (a Kennzeichen in use)
	konflikt bool
}

func newFormular(prefix string) *formular {
	return &formular{Prefix: prefix, Werte: url.Values{}, Felder: map[string]string{}}
}

// withValues keeps the posted values of the form.
func (f *formular) withValues(v url.Values) *formular {
	for k, vs := range v {
		if k != "csrf" && !strings.Contains(k, "passwort") && k != "bisher" && k != "neu" && k != "code" {
			f.Werte[k] = append([]string(nil), vs...)
		}
	}
	return f
}

// W is a field's value.
func (f *formular) W(name string) string { return f.Werte.Get(name) }

// Hat reports whether a multi-valued field (checkboxes) holds v.
func (f *formular) Hat(name, v string) bool {
	for _, x := range f.Werte[name] {
		if x == v {
			return true
		}
	}
	return false
}

// F is a field's message.
func (f *formular) F(name string) string { return f.Felder[name] }

// ID is the id of a field's input.
func (f *formular) ID(name string) string { return f.Prefix + "-" + strings.ReplaceAll(name, "_", "-") }

// Beschrieben is the aria-describedby value of a group (fieldset) with a
// hint id and the field's error.
func (f *formular) Beschrieben(name string, hinweis bool) string {
	var ids []string
	if hinweis {
		ids = append(ids, f.ID(name)+"-hinweis")
	}
	if f.Felder[name] != "" {
		ids = append(ids, f.ID(name)+"-fehler")
	}
	return strings.Join(ids, " ")
}

// failed takes a domain error into the form: validation messages go to
// their fields (through alias for service field names that differ from the
// form's), conflicts to the whole form. It reports false for other errors,
// which the caller hands to c.fail.
func (f *formular) failed(err error, alias map[string]string) bool {
	e, ok := apperr.As(err)
	if !ok || (e.Kind != apperr.KindInvalid && e.Kind != apperr.KindConflict) {
		return false
	}
	for _, fe := range e.Fields {
		name := fe.Field
		if a, ok := alias[name]; ok {
			name = a
		}
		if old := f.Felder[name]; old != "" {
			f.Felder[name] = old + "; " + fe.Message
		} else {
			f.Felder[name] = feldText(fe.Message)
		}
	}
	f.konflikt = e.Kind == apperr.KindConflict
	switch {
	case f.konflikt && e.Message != "":
		f.Meldung = e.Message
	case len(e.Fields) > 0:
		f.Meldung = "Bitte die markierten Felder prüfen."
	case e.Message != "":
		f.Meldung = e.Message
	default:
		f.Meldung = "Die Eingabe wurde nicht angenommen."
	}
	return true
}

// deutlicher replaces a field's message that merely repeats the rule of its
// hint (the service's message starting with regel) by one that says what is
// wrong: leer for an empty field, ungueltig (with %s for the typed value)
// otherwise. Other messages of the field (a Kennung in use) stay.
func (f *formular) deutlicher(field, regel, leer, ungueltig string) {
	msg := f.Felder[field]
	if msg == "" || !strings.HasPrefix(msg, regel) {
		return
	}
	if v := strings.TrimSpace(f.W(field)); v == "" {
		f.Felder[field] = leer
	} else {
		f.Felder[field] = fmt.Sprintf(ungueltig, v)
	}
}

// feldText starts a field message with a capital letter.
func feldText(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// status is the HTTP status of a page that shows a refused form.
func (f *formular) status() int {
	if len(f.Felder) > 0 && !f.konflikt {
		return 422
	}
	return 409
}

// eingabe is one labelled input or select (template "vw-feld").
type eingabe struct {
	ID, Name, Label, Typ, Wert, Fehler, Hinweis string
	Beschrieben                                 string
	Autocomplete, InputMode, Min, Max           string
	MaxLength                                   int
	Pflicht                                     bool
	Optionen                                    []option
}

type option struct{ Wert, Text string }

// makeEingabe builds an input of form f; opts are "pflicht", "hinweis=…",
// "auto=…", "maxlength=N", "min=…", "max=…", "inputmode=…", "wert=…"
// (a value to show when the form has none).
func makeEingabe(f *formular, name, label, typ string, opts ...any) eingabe {
	e := eingabe{ID: f.ID(name), Name: name, Label: label, Typ: typ, Wert: f.W(name), Fehler: f.F(name)}
	datum := typ == "datum"
	if datum {
		// a text field for TT.MM.JJJJ (see parseTag)
		e.Typ, e.InputMode, e.Autocomplete, e.MaxLength = "text", "numeric", "off", 10
	}
	for _, o := range opts {
		switch v := o.(type) {
		case []option:
			e.Optionen = v
		case string:
			k, val, _ := strings.Cut(v, "=")
			switch k {
			case "pflicht":
				e.Pflicht = true
			case "hinweis":
				e.Hinweis = val
			case "auto":
				e.Autocomplete = val
			case "maxlength":
				e.MaxLength, _ = strconv.Atoi(val)
			case "min":
				e.Min = val
			case "max":
				e.Max = val
			case "inputmode":
				e.InputMode = val
			case "wert":
				if _, has := f.Werte[name]; !has {
					e.Wert = val
				}
			}
		}
	}
	if datum {
		e.Wert = datumDeutsch(e.Wert)
		if e.Hinweis != "" {
			e.Hinweis = datumHinweis + ". " + e.Hinweis
		} else {
			e.Hinweis = datumHinweis
		}
	}
	var ids []string
	if e.Hinweis != "" {
		ids = append(ids, e.ID+"-hinweis")
	}
	if e.Fehler != "" {
		ids = append(ids, e.ID+"-fehler")
	}
	e.Beschrieben = strings.Join(ids, " ")
	return e
}

// --- German names of roles, positions, unit types, scopes ---------------------------------

var rollenNamen = map[access.Role]string{
	access.RoleAdmin: "Administration", access.RoleRegistratur: "Registratur", access.RoleSachbearbeitung: "Sachbearbeitung",
	access.RoleLeitung: "Leitung", access.RoleAudit: "Prüfung (Protokoll lesen)",
}

var positionNamen = map[string]string{
	"sachbearbeitung": "Sachbearbeitung", "referatsleitung": "Referatsleitung", "abteilungsleitung": "Abteilungsleitung",
	"registratur": "Registratur", "admin": "Administration", "datenschutz": "Datenschutz",
}

var einheitTypNamen = map[string]string{"abteilung": "Abteilung", "referat": "Referat", "sachgebiet": "Sachgebiet", "stabsstelle": "Stabsstelle"}

var scopeNamen = map[access.Scope]string{
	access.ScopeRead: "Lesen", access.ScopeWrite: "Schreiben", access.ScopeAdmin: "Verwaltung", access.ScopeAudit: "Protokoll lesen",
}

var archivNamen = map[string]string{
	records.ArchivArchivieren: "archivieren (A)", records.ArchivBewerten: "bewerten (B)", records.ArchivVernichten: "vernichten (V)",
}

func rollenOptionen() []option {
	var out []option
	for _, r := range access.AllRoles {
		out = append(out, option{string(r), rollenNamen[r]})
	}
	return out
}

func scopeOptionen() []option {
	var out []option
	for _, s := range access.AllScopes {
		out = append(out, option{string(s), scopeNamen[s]})
	}
	return out
}

func positionOptionen() []option {
	var out []option
	for _, p := range records.Positions {
		out = append(out, option{p, positionNamen[p]})
	}
	return out
}

func einheitTypOptionen() []option {
	var out []option
	for _, t := range records.UnitTypes {
		out = append(out, option{t, einheitTypNamen[t]})
	}
	return out
}

func archivOptionen() []option {
	return []option{{"", "– keine Angabe –"}, {records.ArchivArchivieren, archivNamen[records.ArchivArchivieren]},
		{records.ArchivBewerten, archivNamen[records.ArchivBewerten]}, {records.ArchivVernichten, archivNamen[records.ArchivVernichten]}}
}

func nameOr(m map[string]string, k string) string {
	if n, ok := m[k]; ok {
		return n
	}
	return k
}

// --- dates of forms --------------------------------------------------------------------------------

// Dates are typed into text fields (not <input type=date>, whose display
// follows the browser's locale, e.g. mm/dd/yyyy): TT.MM.JJJJ as shown
// everywhere, and ISO 2026-11-23 too. Template fields of type "datum"
// (makeEingabe, datumfeld) carry inputmode=numeric and the visible hint
// "TT.MM.JJJJ"; parseTag reads them, datumFehler says what is wrong.

// datumHinweis is the visible format hint of date fields.
const datumHinweis = "TT.MM.JJJJ"

var datumForm = regexp.MustCompile(`^(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})$`)

// parseTag reads a date of a form: 23.11.2026 (also 3.1.2026) or
// 2026-11-23; days that do not exist (31.02.2026) are refused. The result
// is the start of that day in Berlin.
func parseTag(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, berlin); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// datumFehler is the German message for a date parseTag refused.
func datumFehler(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "Bitte ein Datum angeben (TT.MM.JJJJ), z. B. 23.11.2026."
	case datumForm.MatchString(s):
		return "Bitte ein Datum angeben, das es gibt: " + s + " ist kein Kalendertag."
	}
	return "Bitte ein Datum angeben im Format TT.MM.JJJJ, z. B. 23.11.2026."
}

// datumDeutsch shows an ISO date (2026-11-23) as 23.11.2026; anything else
// (what a user typed) stays as it is.
func datumDeutsch(s string) string {
	if t, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err == nil {
		return t.Format("02.01.2006")
	}
	return s
}

// tagesende is the end of a day given as its start: the next day's start
// in Berlin (so that "bis 23.11.2026" includes that whole day).
func tagesende(t time.Time) time.Time { return t.AddDate(0, 0, 1) }

func init() {
	uiFuncs["eingabe"] = makeEingabe
	uiFuncs["rolle"] = func(r access.Role) string {
		if n, ok := rollenNamen[r]; ok {
			return n
		}
		return string(r)
	}
	uiFuncs["position"] = func(p string) string { return nameOr(positionNamen, p) }
	uiFuncs["einheittyp"] = func(t string) string { return nameOr(einheitTypNamen, t) }
	uiFuncs["scope"] = func(s access.Scope) string {
		if n, ok := scopeNamen[s]; ok {
			return n
		}
		return string(s)
	}
	uiFuncs["archiv"] = func(a string) string { return nameOr(archivNamen, a) }
	uiFuncs["rollenopt"] = rollenOptionen
	uiFuncs["scopeopt"] = scopeOptionen
	uiFuncs["positionopt"] = positionOptionen
	uiFuncs["einheittypopt"] = einheitTypOptionen
	uiFuncs["archivopt"] = archivOptionen
	uiFuncs["zeitpunkt"] = func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(berlin).Format("02.01.2006, 15:04")
	}
}

// hakenGruppe is a group of checkboxes in a fieldset (template "vw-haken").
type hakenGruppe struct {
	ID, Name, Legende, Hinweis, Fehler, Beschrieben string
	Optionen                                        []hakenOption
}

type hakenOption struct {
	ID, Wert, Text string
	An             bool
}

// makeHaken builds the checkbox group name of form f.
func makeHaken(f *formular, name, legende, hinweis string, opts []option) hakenGruppe {
	g := hakenGruppe{ID: f.ID(name), Name: name, Legende: legende, Hinweis: hinweis, Fehler: f.F(name),
		Beschrieben: f.Beschrieben(name, hinweis != "")}
	for _, o := range opts {
		g.Optionen = append(g.Optionen, hakenOption{ID: g.ID + "-" + o.Wert, Wert: o.Wert, Text: o.Text, An: f.Hat(name, o.Wert)})
	}
	return g
}

func init() { uiFuncs["haken"] = makeHaken }
