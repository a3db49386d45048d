package search

import (
	"fmt"
	"strings"
	"time"
)

// Sentinel is the term that separates groups in an index stream and that
// every stream contains (it stands for "all documents" in FTS5, which has no
// unary NOT). It also joins a field name to a term (titelǂkita). It is the
// letter U+01C2, which both engines treat as part of a word and which
// Analyze never emits (it treats U+01C0–U+01C3 as separators).
const Sentinel = "ǂ"

// FieldPrefix is what an index term of a field starts with: ǂtitelǂkita.
// The leading sentinel keeps field terms out of reach of prefix queries on
// the running text (da* must not match datumǂ…): a query term never starts
// with the sentinel.
func FieldPrefix(name string) string { return Sentinel + name + Sentinel }

// Narrowing fields: terms the stores add to an object's stream so that the
// engine itself narrows a query to what the caller may see and to the
// filters (FieldZugriff: owner, grants, tenant; FieldObjekt: akte, vorgang,
// dokument; FieldAktenplan: the position). The exact checks stay in SQL;
// these only keep the engine from walking matches nobody will show.
const (
	FieldZugriff   = "z"
	FieldObjekt    = "obj"
	FieldAktenplan = "ap"
)

// NarrowTerms renders field terms (ǂzǂu0190…) to append to a stream; each
// value must consist of letters and digits.
func NarrowTerms(field string, values ...string) string {
	var b strings.Builder
	for _, v := range values {
		b.WriteByte(' ')
		b.WriteString(FieldPrefix(field))
		b.WriteString(v)
	}
	return b.String()
}

// Narrow is a query node matching any of values in a narrowing field.
func Narrow(field string, values ...string) Node {
	var or []Node
	for _, v := range values {
		or = append(or, &Term{Term: v, Raw: v})
	}
	if len(or) == 1 {
		return &Field{Name: field, Node: or[0]}
	}
	return &Field{Name: field, Node: &Or{Nodes: or}}
}

// Field names of the query language (canonical forms).
const (
	FieldAz       = "az"
	FieldTitel    = "titel"
	FieldAbsender = "absender"
	FieldTyp      = "typ"
	FieldDatum    = "datum"
)

// Doc is what the full-text index holds about one object (Akte, Vorgang or
// Dokument).
type Doc struct {
	Aktenzeichen string
	Titel        string // Titel of an Akte/Vorgang, Betreff of a Dokument
	Absender     string
	Typ          string    // document type, e.g. "Bescheid"
	Datum        time.Time // calendar date (its own location); zero: none
	Text         string    // extracted text and free metadata
}

// IndexText returns the pre-analysed term stream of d: terms separated by
// single spaces, to be stored as is in an FTS5 column (tokenizer
// "unicode61 remove_diacritics 0") and given to to_tsvector('simple', …)
// on PostgreSQL. Both engines then hold the same terms at the same
// positions, which is what makes RenderFTS5 and RenderTSQuery find the same
// documents.
//
// Layout (ǂ = Sentinel):
//
//	ǂ  field terms    az, titel, absender, typ: primary terms prefixed with
//	                  the field name (ǂtitelǂkita), then their secondary groups
//	   date terms     datumǂ2 datumǂ20 datumǂ202 datumǂ2026 datumǂ202603
//	                  datumǂ20260315 (millennium … day)
//	   running text   primary terms of az, titel, absender, typ and text
//	   secondary      KindJoin/KindSub tokens, one group per position
//
// Every field and every secondary group is closed by a Sentinel, so a phrase
// never runs from one field into the next or from the text into the
// secondary terms. Secondary terms come last: PostgreSQL stores positions
// only up to 16383, and phrases in the running text should keep exact
// positions as long as possible.
func IndexText(d Doc) string {
	var b strings.Builder
	b.WriteString(Sentinel)
	fields := []struct {
		name string
		toks []Token
	}{
		{FieldAz, Analyze(d.Aktenzeichen)},
		{FieldTitel, Analyze(d.Titel)},
		{FieldAbsender, Analyze(d.Absender)},
		{FieldTyp, Analyze(d.Typ)},
	}
	for _, f := range fields {
		if len(f.toks) == 0 {
			continue
		}
		ns := FieldPrefix(f.name)
		writePrimary(&b, ns, f.toks)
		writeSecondary(&b, ns, f.toks)
	}
	if terms := dateTerms(d.Datum); len(terms) > 0 {
		for _, t := range terms {
			b.WriteByte(' ')
			b.WriteString(t)
		}
		b.WriteString(" " + Sentinel)
	}
	text := Analyze(d.Text)
	for _, f := range fields {
		writePrimary(&b, "", f.toks)
	}
	writePrimary(&b, "", text)
	for _, f := range fields {
		writeSecondary(&b, "", f.toks)
	}
	writeSecondary(&b, "", text)
	return b.String()
}

func writePrimary(b *strings.Builder, ns string, toks []Token) {
	n := 0
	for _, t := range toks {
		if t.Kind.Primary() {
			b.WriteByte(' ')
			b.WriteString(ns)
			b.WriteString(t.Term)
			n++
		}
	}
	if n > 0 {
		b.WriteString(" " + Sentinel)
	}
}

func writeSecondary(b *strings.Builder, ns string, toks []Token) {
	open := false
	lastPos := -1
	for _, t := range toks {
		if t.Kind.Primary() {
			continue
		}
		if open && t.Pos != lastPos {
			b.WriteString(" " + Sentinel)
		}
		b.WriteByte(' ')
		b.WriteString(ns)
		b.WriteString(t.Term)
		open, lastPos = true, t.Pos
	}
	if open {
		b.WriteString(" " + Sentinel)
	}
}

// dateTerms returns the index terms of a calendar date: millennium,
// century, decade, year, month and day. A date query is a disjunction of such terms (see
// rangeTerms), which works inside OR and NOT like any other term.
func dateTerms(t time.Time) []string {
	if t.IsZero() {
		return nil
	}
	y, m, d := t.Date()
	if y < 1 || y > 9999 {
		return nil
	}
	return []string{
		unitTerm(unitMillennium, y, m, d),
		unitTerm(unitCentury, y, m, d),
		unitTerm(unitDecade, y, m, d),
		unitTerm(unitYear, y, m, d),
		unitTerm(unitMonth, y, m, d),
		unitTerm(unitDay, y, m, d),
	}
}

type dateUnit int

const (
	unitMillennium dateUnit = iota
	unitCentury
	unitDecade
	unitYear
	unitMonth
	unitDay
)

func unitTerm(u dateUnit, y int, m time.Month, d int) string {
	p := FieldPrefix(FieldDatum)
	switch u {
	case unitMillennium:
		return fmt.Sprintf("%s%d", p, y/1000)
	case unitCentury:
		return fmt.Sprintf("%s%02d", p, y/100)
	case unitDecade:
		return fmt.Sprintf("%s%03d", p, y/10)
	case unitYear:
		return fmt.Sprintf("%s%04d", p, y)
	case unitMonth:
		return fmt.Sprintf("%s%04d%02d", p, y, m)
	}
	return fmt.Sprintf("%s%04d%02d%02d", p, y, m, d)
}

// rangeTerms covers the calendar days from..to (inclusive) with the fewest
// unit terms: whole millennia, centuries, decades, years and months where
// they fit, single days at the ragged ends. Year 1 counts as the start of
// every unit (there is no year 0), so an open range like ..2025 needs ten
// terms. Any range within the years 1–9999 needs fewer than 130.
func rangeTerms(from, to time.Time) []string {
	from = civil(from)
	to = civil(to)
	units := []struct {
		u     dateUnit
		years int
	}{{unitMillennium, 1000}, {unitCentury, 100}, {unitDecade, 10}, {unitYear, 1}}
	var out []string
	d := from
next:
	for !d.After(to) {
		y, m, day := d.Date()
		if m == time.January && day == 1 {
			for _, un := range units {
				if y%un.years != 0 && y != 1 {
					continue
				}
				end := (y/un.years + 1) * un.years // first year after the unit
				if !time.Date(end, 1, 0, 0, 0, 0, 0, time.UTC).After(to) {
					out = append(out, unitTerm(un.u, y, m, day))
					d = time.Date(end, 1, 1, 0, 0, 0, 0, time.UTC)
					continue next
				}
			}
		}
		if day == 1 && !time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).After(to) {
			out = append(out, unitTerm(unitMonth, y, m, day))
			d = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
			continue
		}
		out = append(out, unitTerm(unitDay, y, m, day))
		d = d.AddDate(0, 0, 1)
	}
	return out
}

// civil returns the calendar date of t as midnight UTC.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
