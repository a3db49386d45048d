package records

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultAzPattern is the Aktenzeichen pattern of new tenants.
const DefaultAzPattern = "{tenant}-{kennzeichen}-{year}/{serial:4}"

// DefaultVorgangPattern is the Vorgang-Aktenzeichen pattern of new tenants.
const DefaultVorgangPattern = "{akte}-{serial:3}"

var placeholderRE = regexp.MustCompile(`\{([a-z]+)(?::([0-9]))?\}`)

// ValidatePattern checks an Aktenzeichen pattern: it must contain exactly one
// {serial} (so that generated values are unique) and only known placeholders.
func ValidatePattern(p string, allowed ...string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("Muster darf nicht leer sein")
	}
	serials := 0
	for _, m := range placeholderRE.FindAllStringSubmatch(p, -1) {
		name := m[1]
		if name == "serial" {
			serials++
			continue
		}
		ok := false
		for _, a := range allowed {
			if a == name {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("unbekannter Platzhalter {%s}", name)
		}
	}
	if serials != 1 {
		return fmt.Errorf("Muster braucht genau einen Platzhalter {serial} oder {serial:N}")
	}
	if strings.Count(p, "{") != len(placeholderRE.FindAllString(p, -1)) {
		return fmt.Errorf("Muster enthält einen unvollständigen Platzhalter")
	}
	return nil
}

// renderScope renders everything but the serial; the result (with "#" for
// the serial) is the counter scope, so two patterns that could produce the
// same Aktenzeichen share one counter.
func renderScope(pattern string, vars map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(pattern, func(s string) string {
		m := placeholderRE.FindStringSubmatch(s)
		if m[1] == "serial" {
			return "#"
		}
		return vars[m[1]]
	})
}

func renderSerial(pattern string, vars map[string]string, serial int64) string {
	return placeholderRE.ReplaceAllStringFunc(pattern, func(s string) string {
		m := placeholderRE.FindStringSubmatch(s)
		if m[1] == "serial" {
			width := 1
			if m[2] != "" {
				width, _ = strconv.Atoi(m[2])
			}
			return fmt.Sprintf("%0*d", width, serial)
		}
		return vars[m[1]]
	})
}

func akteVars(t Tenant, kennzeichen string, now time.Time) map[string]string {
	return map[string]string{
		"tenant":      t.Code,
		"kennzeichen": kennzeichen,
		"year":        strconv.Itoa(now.In(berlin).Year()),
	}
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()
