package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

//go:embed templates
var templateFS embed.FS

// pageData is what every page template gets.
type pageData struct {
	Title string
	Nav   string // active main navigation entry: start, aktenplan, posteingang, suche
	// set by render
	User     *uiUser
	CSRF     string
	FramePDF bool // the page frames a PDF preview (CSP frame-src 'self')
	Meldung  string
	Data     any
}

type uiUser struct {
	Login, Tenant, TenantName string
	Deputy                    string
	// Verwaltung: the main navigation offers the admin pages (ui_admin.go)
	Verwaltung bool
	// Posteingang: the main navigation offers the Posteingang, exactly when
	// its pages would not answer 403 (access.ManagePosteingang, the check of
	// records.Service.ListPost)
	Posteingang bool
}

var (
	tmplOnce sync.Once
	tmpls    map[string]*template.Template
	tmplErr  error
)

// berlin is the zone dates are shown in.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is linked by records
	}
	return l
}()

var uiFuncs = template.FuncMap{
	"asset": assetURL,
	// datum shows a time or an ISO date (2026-11-23) as 23.11.2026.
	"datum": func(v any) string {
		switch t := v.(type) {
		case time.Time:
			if t.IsZero() {
				return ""
			}
			return t.In(berlin).Format("02.01.2006")
		case *time.Time:
			if t == nil {
				return ""
			}
			return t.In(berlin).Format("02.01.2006")
		case string:
			return isoToGerman(t)
		case *string:
			if t == nil {
				return ""
			}
			return isoToGerman(*t)
		}
		return ""
	},
	"zeit": func(t time.Time) string { return t.In(berlin).Format("02.01.2006, 15:04") },
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"isodatum": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"groesse": formatBytes,
	"mib":     mib,
	// anzahl writes a count with its noun: "1 Konto", "2 Konten".
	"anzahl": func(n any, eins, mehr string) string {
		switch x := n.(type) {
		case int:
			return anzahl(x, eins, mehr)
		case int64:
			return anzahl(int(x), eins, mehr)
		case *int:
			if x != nil {
				return anzahl(*x, eins, mehr)
			}
		}
		return fmt.Sprint(n) + " " + mehr
	},
	"status": func(s string) string {
		switch s {
		case records.StatusOffen:
			return "offen"
		case records.StatusZdA:
			return "z.d.A."
		}
		return s
	},
	"aktion":     aktionLabel,
	"aenderung":  changesHTML,
	"textstatus": textStatusLabel,
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
	"datumwert": datumDeutsch,
	"feld": func(name, label, typ, value string, errs map[string]string) formField {
		return formField{Name: name, Label: label, Type: typ, Value: value, Error: errs[name]}
	},
}

// formField is one labelled input of a form (template "feld").
type formField struct {
	Name, Label, Type, Value, Error string
}

func isoToGerman(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("02.01.2006")
}

// formatBytes writes a size the German way: 1,4 MB.
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " Bytes"
	case n < 1000*1000:
		return strings.Replace(fmt.Sprintf("%.1f kB", float64(n)/1000), ".", ",", 1)
	case n < 1000*1000*1000:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
	}
	return strings.Replace(fmt.Sprintf("%.1f GB", float64(n)/1e9), ".", ",", 1)
}

// mib writes a limit of sizes in MiB, the German way: "512 MiB",
// "1.024 MiB", "0,5 MiB" (the unit of every upload limit the pages show).
func mib(n int64) string {
	if n%(1<<20) == 0 {
		return zahl(n>>20) + " MiB"
	}
	return strings.Replace(fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)), ".", ",", 1)
}

// anzahl writes a count with the singular or plural noun, the number the
// German way (1.234): "1 Datei", "2 Dateien", "0 Dateien".
func anzahl(n int, eins, mehr string) string {
	word := mehr
	if n == 1 {
		word = eins
	}
	return zahl(int64(n)) + " " + word
}

// zahl writes an integer with "." between thousands.
func zahl(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

var aktionen = map[string]string{
	"akte.create": "Akte angelegt", "akte.update": "Akte geändert", "akte.zda": "Akte z.d.A. verfügt",
	"akte.reopen": "Akte wieder aufgenommen", "akte.refile": "Akte umprotokolliert",
	"vorgang.create": "Vorgang angelegt", "vorgang.update": "Vorgang geändert", "vorgang.zda": "Vorgang z.d.A. verfügt",
	"vorgang.reopen": "Vorgang wieder aufgenommen", "vorgang.move": "Vorgang verschoben", "vorgang.renumber": "Vorgang umnummeriert",
	"dokument.create": "Dokument angelegt", "dokument.update": "Metadaten geändert", "dokument.version": "Neue Version",
	"dokument.final": "Version als final markiert", "dokument.download": "Inhalt abgerufen",
	"freigabe.erteilt": "Freigabe erteilt", "freigabe.widerrufen": "Freigabe widerrufen",
	"posteingang.zuordnung": "Aus dem Posteingang zugeordnet", "zugriff.verweigert": "Zugriff verweigert",
}

func aktionLabel(a string) string {
	if l, ok := aktionen[a]; ok {
		return l
	}
	return a
}

// textStatusLabel is the state of text recognition in German.
func textStatusLabel(t *records.TextStatus) string {
	if t == nil {
		return "noch nicht verarbeitet"
	}
	switch t.Status {
	case records.TextErkannt:
		return "Text erkannt"
	case records.TextLaeuft:
		return "OCR läuft"
	case records.TextAusstehend:
		return "steht aus"
	case records.TextFehlgeschlagen:
		if t.Grund != "" {
			return "fehlgeschlagen (" + t.Grund + ")"
		}
		return "fehlgeschlagen"
	case records.TextNichtUnterstuetzt:
		if t.Grund != "" {
			return "nicht möglich (" + t.Grund + ")"
		}
		return "für diesen Dateityp nicht möglich"
	}
	return t.Status
}

// loadTemplates parses layout.html with each page template.
func loadTemplates() (map[string]*template.Template, error) {
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimPrefix(p, "templates/")
		if name == "layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(uiFuncs).ParseFS(templateFS, "templates/layout.html", p)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

func templates() (map[string]*template.Template, error) {
	tmplOnce.Do(func() { tmpls, tmplErr = loadTemplates() })
	return tmpls, tmplErr
}

// render executes a page into a buffer first, so that a template error
// becomes a 500 page rather than half a page.
func (c *uiCtx) render(w http.ResponseWriter, status int, page string, d pageData) {
	ts, err := templates()
	if err != nil {
		c.s.log.Error("ui: templates", "err", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	t, ok := ts[page]
	if !ok {
		c.s.log.Error("ui: no template", "page", page)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	if c.signedIn {
		u := &uiUser{Login: c.p.Login, Tenant: c.p.TenantCode, TenantName: c.tenantName(), Verwaltung: mayAdminister(c.p),
			Posteingang: access.Can(c.p, access.ManagePosteingang)}
		if c.p.Deputy != nil {
			u.Login, u.Deputy = c.p.Deputy.Login, c.p.Login
		}
		d.User, d.CSRF = u, c.sess.CSRF
	}
	if d.Meldung == "" {
		d.Meldung = meldungen[c.r.URL.Query().Get("meldung")]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", d); err != nil {
		c.s.log.Error("ui: render", "page", page, "err", err, "request_id", requestID(c.r.Context()))
		if status < 500 && page != "fehler.html" {
			c.errorPage(w, http.StatusInternalServerError, "Interner Fehler", "Die Seite konnte nicht angezeigt werden.")
			return
		}
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	uiHeaders(w, d.FramePDF)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// meldungen are the confirmations a redirect may ask for (?meldung=…):
// fixed texts, so nothing from the address is echoed into the page.
var meldungen = map[string]string{
	"gespeichert":    "Die Änderungen wurden gespeichert.",
	"hochgeladen":    "Die Dateien wurden hochgeladen.",
	"zda":            "Der Vorgang ist z.d.A. verfügt.",
	"wiederaufnahme": "Der Vorgang ist wieder aufgenommen.",
}

// tenantName looks up the name of the caller's tenant for the header.
func (c *uiCtx) tenantName() string {
	if c.tenant != "" {
		return c.tenant
	}
	t, err := c.s.svc.TenantByCode(c.r.Context(), c.p.TenantCode)
	if err != nil {
		c.tenant = c.p.TenantCode
	} else {
		c.tenant = t.Name
	}
	return c.tenant
}
