package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/records"
)

// The changes of an audit entry in words, for the Verlauf tables: German
// labels for the fields the service records, values as the pages show them
// (dates 23.11.2026, sizes 2,5 kB, states in words), Aktenzeichen in a
// nowrap span so that they never break; unknown fields keep their key.

// feldLabels are the labels of the known keys of audit changes, by their
// path ("version.groesse" inside "version").
var feldLabels = map[string]string{
	"aktenzeichen":             "Aktenzeichen",
	"titel":                    "Titel",
	"beschreibung":             "Beschreibung",
	"betreff":                  "Betreff",
	"typ":                      "Typ",
	"absender":                 "Absender",
	"empfaenger":               "Empfänger",
	"dokumentdatum":            "Dokumentdatum",
	"eingangsdatum":            "Eingangsdatum",
	"status":                   "Status",
	"aktenplan":                "Aktenplan",
	"einheit":                  "Organisationseinheit",
	"metadaten":                "Metadaten",
	"final":                    "Endgültige Version",
	"version":                  "Version",
	"version.nummer":           "Version",
	"version.dateiname":        "Dateiname",
	"version.groesse":          "Größe",
	"durchsuchbar":             "durchsuchbare Fassung",
	"tenant":                   "Mandant",
	"unit":                     "Organisationseinheit",
	"user":                     "Benutzer",
	"level":                    "Stufe",
	"laeuft_ab_am":             "gilt bis",
	"dokumente":                "Dokumente",
	"neue_akte":                "neue Akte",
	"neuer_vorgang":            "neuer Vorgang",
	"kennzeichen":              "Kennzeichen",
	"parent":                   "übergeordnete Position",
	"name":                     "Name",
	"aktiv":                    "aktiv",
	"geschlossen":              "geschlossen",
	"aufbewahrungsfrist_jahre": "Aufbewahrungsfrist (Jahre)",
	"archiventscheidung":       "Archiventscheidung",
	"rollen":                   "Rollen",
	"einheiten":                "Organisationseinheiten",
	"von":                      "von",
	"bis":                      "bis",
	"grund":                    "Grund",
}

// feldOrder puts the fields a reader looks for first; the rest follow in
// key order.
var feldOrder = []string{"aktenzeichen", "titel", "betreff", "status", "typ", "version", "nummer", "dateiname", "groesse",
	"einheit", "aktenplan", "absender", "empfaenger", "dokumentdatum", "eingangsdatum"}

func feldRank(k string) int {
	for i, o := range feldOrder {
		if o == k {
			return i
		}
	}
	return len(feldOrder)
}

// statusWorte are the states of Akten, Vorgänge and Posteingang items in words.
var statusWorte = map[string]string{
	records.StatusOffen:    "offen",
	records.StatusZdA:      "zu den Akten (z.d.A.)",
	records.PostZugeordnet: "zugeordnet",
}

// changesHTML renders an audit entry's changes: "Label: alt → neu" for
// changes, "Label: Wert" for the values of a new object, parts separated by
// "; " (the cell wraps between them); ids and hashes are left out (the API
// shows the entry whole).
func changesHTML(raw json.RawMessage) template.HTML {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		s := string(raw)
		if r := []rune(s); len(r) > 160 {
			s = string(r[:157]) + "…"
		}
		return template.HTML(template.HTMLEscapeString(s))
	}
	var parts []string
	n := 0 // characters of text so far
	full := false
	add := func(label string, vals ...string) {
		if full {
			return
		}
		text := label + ": "
		var b strings.Builder
		b.WriteString(`<span class="aenderung">`)
		b.WriteString(template.HTMLEscapeString(label))
		b.WriteString(": ")
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" → ")
				text += " → "
			}
			b.WriteString(v)
			text += v
		}
		b.WriteString("</span>")
		if n > 0 && n+len([]rune(text)) > 300 {
			full = true
			parts = append(parts, "…")
			return
		}
		n += len([]rune(text))
		parts = append(parts, b.String())
	}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			ri, rj := feldRank(keys[i]), feldRank(keys[j])
			if ri != rj {
				return ri < rj
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			if k == "id" || strings.HasSuffix(k, "_id") || k == "sha256" || k == "hash" {
				continue
			}
			path := prefix + k
			label := feldLabels[path]
			if label == "" {
				label = path
			}
			switch v := m[k].(type) {
			case map[string]any:
				b, hasB := v["before"]
				a, hasA := v["after"]
				if (hasB || hasA) && len(v) <= 2 {
					switch {
					case !hasB:
						add(label, wertHTML(path, a))
					case !hasA:
						add(label, wertHTML(path, b), "–")
					default:
						add(label, wertHTML(path, b), wertHTML(path, a))
					}
					continue
				}
				walk(path+".", v)
			default:
				add(label, wertHTML(path, v))
			}
		}
	}
	walk("", m)
	return template.HTML(strings.Join(parts, "; "))
}

// changesText is changesHTML as plain text (tests, logs).
func changesText(raw json.RawMessage) string {
	s := string(changesHTML(raw))
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	out := b.String()
	for _, e := range [][2]string{{"&lt;", "<"}, {"&gt;", ">"}, {"&#34;", `"`}, {"&#39;", "'"}, {"&amp;", "&"}} {
		out = strings.ReplaceAll(out, e[0], e[1])
	}
	return out
}

// wertHTML is one value of a change, escaped.
func wertHTML(path string, v any) string {
	key := path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		key = path[i+1:]
	}
	switch key {
	case "aktenzeichen":
		if s, ok := v.(string); ok && s != "" {
			return `<span class="az">` + template.HTMLEscapeString(s) + `</span>`
		}
	case "groesse":
		if f, ok := v.(float64); ok {
			return template.HTMLEscapeString(formatBytes(int64(f)))
		}
	case "status":
		if s, ok := v.(string); ok {
			if w, ok := statusWorte[s]; ok {
				return w
			}
		}
	case "einheit", "unit":
		if v == nil || v == "" {
			return "keine (ganzer Mandant)"
		}
	case "dokumente":
		if l, ok := v.([]any); ok {
			if len(l) == 1 {
				return "1 Dokument"
			}
			return strconv.Itoa(len(l)) + " Dokumente"
		}
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "ja"
		}
		return "nein"
	case []any:
		s := make([]string, 0, len(x))
		for _, e := range x {
			s = append(s, short(e))
		}
		out := strings.Join(s, ", ")
		if out == "" {
			out = "keine"
		}
		if r := []rune(out); len(r) > 60 {
			out = string(r[:59]) + "…"
		}
		return template.HTMLEscapeString(out)
	}
	return template.HTMLEscapeString(short(v))
}

func short(v any) string {
	s := fmt.Sprint(v)
	switch x := v.(type) {
	case nil:
		s = "–"
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if x == "" {
			s = "–"
		} else if t, err := time.Parse("2006-01-02", x); err == nil {
			s = t.Format("02.01.2006") // dates of Dokumente
		} else if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			s = t.In(berlin).Format("02.01.2006, 15:04") // times (Vertretung, tokens)
		}
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}
