package search

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// corpus is the German test corpus; document i has id i+1.
var corpus = []Doc{
	/* 1 */ {Aktenzeichen: "TFM-121-2026/0001", Titel: "Ausbildungsplätze in Kitas", Typ: "Bescheid", Absender: "Frau Müller", Datum: day(2026, 3, 15),
		Text: "Die Fachkräfteinitiative Kita fördert zusätzliche Ausbildungsplätze in Thüringen."},
	/* 2 */ {Aktenzeichen: "TFM-121-2026/0002", Titel: "Antrag auf Entschädigung", Typ: "Antrag", Absender: "Herr Mueller", Datum: day(2026, 1, 20),
		Text: "Der Antragsteller beantragt eine Entschädigung für den Verdienstausfall."},
	/* 3 */ {Aktenzeichen: "TFM-121-2025/0417", Titel: "Entschädigungen nach dem Infektionsschutzgesetz", Typ: "Bescheid", Absender: "Landesverwaltungsamt", Datum: day(2025, 11, 3),
		Text: "Entschädigungen werden nur auf Antrag gewährt."},
	/* 4 */ {Aktenzeichen: "TFM-122-2026/0003", Titel: "Ausbau der Goethestraße", Typ: "Vermerk", Absender: "Stadt Erfurt", Datum: day(2026, 2, 10),
		Text: "Die Sanierung der Goethestrasse beginnt im Mai; die Strasse bleibt halbseitig befahrbar."},
	/* 5 */ {Aktenzeichen: "TFM-121-2026/0004", Titel: "Kita-Gesetz: Novelle", Typ: "Entwurf", Absender: "Referat 21", Datum: day(2026, 5, 5),
		Text: "Das Kitagesetz regelt die Betreuung von Kindern in Kindertageseinrichtungen."},
	/* 6 */ {Aktenzeichen: "TFM-130-2024/0011", Titel: "Fortbildung für Erzieherinnen", Typ: "Einladung", Absender: "Landesjugendamt", Datum: day(2024, 9, 12),
		Text: "Die Ausbildung und Fortbildung von Fachkräften wird gefördert."},
	/* 7 */ {Aktenzeichen: "TFM-121-2026/0005", Titel: "Vergabe von Kitaplätzen", Typ: "Bescheid", Absender: "Jugendamt Jena", Datum: day(2026, 6, 30),
		Text: "Die Vergabe der Plätze folgt den veröffentlichten Regeln; Nachrücken ist möglich."},
	/* 8 */ {Aktenzeichen: "SK-010-2026/0001", Titel: "Kabinettvorlage Haushalt 2027", Typ: "Vorlage", Absender: "Staatskanzlei", Datum: day(2026, 7, 1),
		Text: "Der Haushaltsplan sieht Mittel für die Fachkräfteinitiative vor."},
	/* 9 */ {Titel: "Hort und Krippe", Typ: "Vermerk", Absender: "Frau Schmidt", Datum: day(2026, 4, 1),
		Text: "Die Kita betreibt einen Hort und eine Krippe."},
	/* 10 */ {Titel: "Krippenplätze", Typ: "Statistik", Datum: day(2026, 4, 15),
		Text: "Die Zahl der Krippenplätze stieg um 12 Prozent."},
	/* 11 */ {Titel: "Kita ohne Hort", Typ: "Vermerk", Datum: day(2026, 8, 1),
		Text: "Diese Kita hat keinen Hort, aber eine Krippe."},
	/* 12 */ {Titel: "Kitaleitung", Typ: "Bescheid", Datum: day(2026, 2, 28),
		Text: "Die Kitaleitung bestätigt den Eingang des Antrags."},
	/* 13 */ {Titel: "Wohngeld", Typ: "Bescheid", Absender: "Wohngeldstelle", Datum: day(2025, 12, 31),
		Text: "Ihr Antrag auf Wohngeld wurde bewilligt. Der Betrag von 1.234,56 EUR wird monatlich überwiesen."},
	/* 14 */ {Titel: "Straßenreinigung", Typ: "Gebührenbescheid", Datum: day(2026, 1, 1),
		Text: "Die Gebühren für die Straßenreinigung steigen."},
	/* 15 */ {Titel: "Übungsleiter", Typ: "Vermerk", Datum: day(2023, 5, 5),
		Text: "Die Uebungsleiter des Sportvereins erhalten eine Pauschale."},
	/* 16 */ {Titel: "Ärztliche Bescheinigung", Typ: "Nachweis", Absender: "Dr. Aerztin Koenig", Datum: day(2026, 3, 1),
		Text: "Die Ärztin bescheinigt die Arbeitsunfähigkeit."},
	/* 17 */ {Titel: "Steuerbescheid", Typ: "Bescheid", Absender: "Finanzamt Erfurt", Datum: day(2026, 3, 20),
		Text: "Die Steuer wird auf 500 EUR festgesetzt."},
	/* 18 */ {Titel: "Stellungnahme zum Entwurf", Typ: "Stellungnahme", Absender: "Städtetag", Datum: day(2026, 5, 20),
		Text: "Wir nehmen zum Entwurf des Kita-Gesetzes wie folgt Stellung: Die Fachkräfteinitiative Kita reicht nicht aus."},
	/* 19 */ {Titel: "Weiterleitung", Typ: "E-Mail", Absender: "poststelle@tfm.thueringen.de", Datum: day(2026, 3, 16),
		Text: "Bezug: Ihr Zeichen TFM-121-2026/0001 vom 15.03.2026. Wir leiten die Unterlagen weiter."},
	/* 20 */ {Titel: "Ausbildungsprogramm", Typ: "Konzept", Datum: day(2025, 6, 1),
		Text: "Das Ausbildungsprogramm richtet sich an Quereinsteiger in der Kindertagesbetreuung."},
	/* 21 */ {Titel: "Datenschutz", Typ: "Vermerk", Datum: day(2026, 3, 15),
		Text: "Der Datenschutz bei der Verarbeitung personenbezogener Daten ist zu beachten."},
	/* 22 */ {Titel: "Aktuelle Lage", Typ: "Bericht", Datum: day(2026, 3, 15),
		Text: "Der aktuelle Bericht zur Lage der Kindertagesstätten."},
	/* 23 */ {Titel: "Feuerwehr", Typ: "Antrag", Datum: day(2026, 10, 10),
		Text: "Die Freiwillige Feuerwehr beantragt Fördermittel für ein Fahrzeug."},
	/* 24 */ {Titel: "Fördermittel", Typ: "Bescheid", Datum: day(2026, 11, 11),
		Text: "Fördermittel in Höhe von 20.000 EUR werden bewilligt."},
	/* 25 */ {Titel: "Verwaltungsgericht", Typ: "Urteil", Absender: "Verwaltungsgericht Weimar", Datum: day(2025, 2, 2),
		Text: "Das Verwaltungsgericht hat die Klage abgewiesen."},
	/* 26 */ {Titel: "Gerichtskosten", Typ: "Rechnung", Datum: day(2025, 3, 3),
		Text: "Die Kosten des Verfahrens trägt der Kläger."},
	/* 27 */ {Titel: "Aufbewahrungsfristen", Typ: "Richtlinie", Datum: day(2020, 1, 1),
		Text: "Die Aufbewahrungsfrist beträgt zehn Jahre nach z.d.A."},
	/* 28 */ {Titel: "Müllabfuhr", Typ: "Gebührenbescheid", Datum: day(2026, 1, 15),
		Text: "Die Gebühren für die Müllabfuhr werden neu berechnet."},
	/* 29 */ {Titel: "Personalrat", Typ: "Protokoll", Datum: day(2026, 9, 9),
		Text: "Der Personalrat stimmt der Einstellung von zwei Erziehern zu."},
	/* 30 */ {Titel: "Referat 21", Typ: "Organigramm", Datum: day(2026, 1, 2),
		Text: "Das Referat 21 ist insgesamt für Kindertagesbetreuung zuständig."},
}

func allIDsExcept(ex ...int) []int {
	var out []int
	for id := 1; id <= len(corpus); id++ {
		if !slices.Contains(ex, id) {
			out = append(out, id)
		}
	}
	return out
}

// engineCases: query → expected document ids. Each line names the feature
// it shows; the expectations were written from the corpus text, not from
// the engines' output.
var engineCases = []struct {
	q    string
	want []int
}{
	// ß and ss, umlaut and its transliteration
	{`Straße`, []int{4}},
	{`Strasse`, []int{4}},
	{`Mueller`, []int{1, 2}},
	{`Müller`, []int{1, 2}},
	{`Übung`, []int{15}},
	{`Aerztin`, []int{16}},
	{`Gebühren`, []int{14, 28}},
	{`aktuell`, []int{22}},
	// stemming
	{`Entschädigung`, []int{2, 3}},
	{`Entschädigungen`, []int{2, 3}},
	{`Plätze`, []int{1, 7, 10}},
	{`Erzieher`, []int{29}},
	// compounds: parts find the compound, the compound finds only itself
	{`Ausbildung`, []int{1, 6, 20}},
	{`Ausbildungsplatz`, []int{1}},
	{`Fachkräfteinitiative`, []int{1, 8, 18}},
	{`Verwaltung`, []int{3, 25}},
	{`Gericht`, []int{25, 26}},
	{`Mittel`, []int{8, 23, 24}},
	{`Fördermittel`, []int{23, 24}},
	{`Steuer`, []int{17}},
	{`Amt`, []int{3, 6, 7, 17}},
	{`Rat`, []int{29}},
	{`Betreuung`, []int{5, 20, 30}},
	{`Kinder`, []int{5, 20, 30}},
	{`Kita`, []int{1, 5, 7, 9, 11, 12, 18}},
	// prefix
	{`Kinder*`, []int{5, 20, 22, 30}},
	{`Kita*`, []int{1, 5, 7, 9, 11, 12, 18}},
	{`Erzieher*`, []int{6, 29}},
	// phrase
	{`"Fachkräfteinitiative Kita"`, []int{1, 18}},
	{`„Antrag auf Wohngeld“`, []int{13}},
	{`"Kita Fachkräfteinitiative"`, nil},
	{`"Krippe Frau"`, nil}, // doc 9: Titel ends with Krippe, Absender starts with Frau
	// AND / OR / NOT
	{`Kita AND Hort`, []int{9, 11}},
	{`Kita Hort`, []int{9, 11}},
	{`Kita -Hort`, []int{1, 5, 7, 12, 18}},
	{`Hort OR Krippe`, []int{9, 10, 11}},
	{`(Hort ODER Krippe) NICHT Kita`, []int{10}},
	{`NOT Kita`, allIDsExcept(1, 5, 7, 9, 11, 12, 18)},
	{`Kita OR NOT Hort`, allIDsExcept()}, // Hort only occurs with Kita
	// Aktenzeichen and other connected tokens
	{`TFM-121-2026/0001`, []int{1, 19}},
	{`2026/0001`, []int{1, 8, 19}},
	{`"121-2026"`, []int{1, 2, 5, 7, 19}},
	{`az:TFM-121*`, []int{1, 2, 3, 5, 7}},
	{`az:2026/0001`, []int{1, 8}},
	{`Kita-Gesetz`, []int{5, 18}},
	{`1.234,56`, []int{13}},
	{`z.d.A.`, []int{27}},
	{`poststelle@tfm.thueringen.de`, []int{19}},
	{`Thüringen`, []int{1, 19}},
	{`15.03.2026`, []int{19}},
	// fields
	{`typ:Bescheid`, []int{1, 3, 7, 12, 13, 14, 17, 24, 28}},
	{`titel:Kita`, []int{1, 5, 7, 11, 12}},
	{`absender:Müller`, []int{1, 2}},
	{`betreff:"Antrag auf Entschädigung"`, []int{2}},
	{`titel:(Hort OR Krippe)`, []int{9, 10, 11}},
	{`Kita -titel:Kita`, []int{9, 18}},
	// dates
	{`datum:2026-01..2026-03`, []int{1, 2, 4, 12, 14, 16, 17, 19, 21, 22, 28, 30}},
	{`datum:2025`, []int{3, 13, 20, 25, 26}},
	{`datum:15.03.2026`, []int{1, 21, 22}},
	{`datum:..2024`, []int{6, 15, 27}},
	{`datum:2026-11..`, []int{24}},
	{`(Kita OR Krippe) datum:2026-04 -Hort`, []int{10}},
	{`Bescheid -datum:2026`, []int{3, 13}},
}

func streams() []string {
	out := make([]string, len(corpus))
	for k, d := range corpus {
		out[k] = IndexText(d)
	}
	return out
}

// openFTS creates an FTS5 table over the index streams of docs.
func openFTS(t testing.TB, dsn string, streams []string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')`); err != nil {
		t.Fatal(err)
	}
	for k, s := range streams {
		if _, err := db.Exec(`INSERT INTO docs(rowid, body) VALUES (?, ?)`, k+1, s); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// openPG creates a temporary table with the tsvectors of the streams on one
// connection (temporary tables belong to a session). It returns nil when
// AKTENWERK_TEST_POSTGRES is not set (CI always sets it).
func openPG(t testing.TB, streams []string) *sql.Conn {
	t.Helper()
	dsn := os.Getenv("AKTENWERK_TEST_POSTGRES")
	if dsn == "" {
		t.Log("AKTENWERK_TEST_POSTGRES not set: PostgreSQL part not tested")
		return nil
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	drop, err := pgDocs(ctx, conn, streams)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drop(db) })
	return conn
}

// pgDocs creates on conn the functions of the PostgreSQL migrations that
// build the store's tsvector (search_pairs; the statements between goose's
// StatementBegin and StatementEnd that CREATE FUNCTION search_…), in a
// schema of their own, and a temporary table docs with the tsvectors of
// the streams, word pairs included, as the store's trigger writes them.
// drop removes the schema.
func pgDocs(ctx context.Context, conn *sql.Conn, streams []string) (drop func(*sql.DB), err error) {
	files, err := filepath.Glob("../store/postgres/migrations/*.sql")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("PostgreSQL migrations not found: %v", err)
	}
	var funcs []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		for _, block := range strings.Split(up, "-- +goose StatementBegin")[1:] {
			stmt, _, ok := strings.Cut(block, "-- +goose StatementEnd")
			if ok && strings.Contains(stmt, "CREATE FUNCTION search_") {
				funcs = append(funcs, stmt)
			}
		}
	}
	if len(funcs) == 0 {
		return nil, fmt.Errorf("no CREATE FUNCTION search_… in the PostgreSQL migrations")
	}
	schema := fmt.Sprintf("awsearch_%d", rand.Uint64())
	if _, err := conn.ExecContext(ctx, `CREATE SCHEMA `+schema+`; SET search_path = `+schema); err != nil {
		return nil, err
	}
	drop = func(db *sql.DB) { db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) }
	stmts := append(funcs, `CREATE TEMP TABLE docs (id int PRIMARY KEY, tsv tsvector NOT NULL)`)
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return drop, fmt.Errorf("%w\n%s", err, q)
		}
	}
	for k, s := range streams {
		if _, err := conn.ExecContext(ctx, `INSERT INTO docs VALUES ($1, (SELECT v || search_pairs(v) FROM to_tsvector('simple', $2) v))`, k+1, s); err != nil {
			return drop, err
		}
	}
	return drop, nil
}

func collectIDs(rows *sql.Rows, err error) ([]int, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func ftsIDs(db *sql.DB, expr string) ([]int, error) {
	return collectIDs(db.Query(`SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid`, expr))
}

func pgIDs(conn *sql.Conn, tsq string) ([]int, error) {
	return collectIDs(conn.QueryContext(context.Background(), `SELECT id FROM docs WHERE tsv @@ to_tsquery('simple', $1) ORDER BY id`, tsq))
}

// refIDs evaluates n over the streams in Go: the reference semantics both
// engines must follow.
func refIDs(n Node, streams []string) []int {
	var ids []int
	for k, s := range streams {
		if refMatch(n, strings.Fields(s), "") {
			ids = append(ids, k+1)
		}
	}
	return ids
}

func refMatch(n Node, terms []string, ns string) bool {
	switch x := n.(type) {
	case *Term:
		return slices.Contains(terms, ns+x.Term)
	case *Prefix:
		for _, t := range terms {
			if strings.HasPrefix(t, ns+x.Prefix) {
				return true
			}
		}
		return false
	case *Phrase:
		for i := 0; i+len(x.Terms) <= len(terms); i++ {
			ok := true
			for k, w := range x.Terms {
				got := terms[i+k]
				if x.Prefix && k == len(x.Terms)-1 {
					ok = ok && strings.HasPrefix(got, ns+w)
				} else {
					ok = ok && got == ns+w
				}
			}
			if ok {
				return true
			}
		}
		return false
	case *Field:
		return refMatch(x.Node, terms, FieldPrefix(x.Name))
	case *DateRange:
		for _, dt := range rangeTerms(x.From, x.To) {
			if slices.Contains(terms, dt) {
				return true
			}
		}
		return false
	case *Not:
		return !refMatch(x.Node, terms, ns)
	case *And:
		for _, c := range x.Nodes {
			if !refMatch(c, terms, ns) {
				return false
			}
		}
		return true
	case *Or:
		for _, c := range x.Nodes {
			if refMatch(c, terms, ns) {
				return true
			}
		}
		return false
	}
	panic(fmt.Sprintf("refMatch: %T", n))
}

func TestEnginesFindTheSameDocuments(t *testing.T) {
	ss := streams()
	fts := openFTS(t, filepath.Join(t.TempDir(), "fts.db"), ss)
	pg := openPG(t, ss)
	for _, c := range engineCases {
		t.Run(c.q, func(t *testing.T) {
			n, err := Parse(c.q)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := c.want
			if want == nil {
				want = []int{}
			}
			if ref := nonNil(refIDs(n, ss)); !reflect.DeepEqual(ref, want) {
				t.Errorf("reference semantics: got %v, want %v (AST %s)", ref, want, n)
			}
			expr, err := RenderFTS5(n)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ftsIDs(fts, expr)
			if err != nil {
				t.Fatalf("FTS5 %s: %v", expr, err)
			}
			if got = nonNil(got); !reflect.DeepEqual(got, want) {
				t.Errorf("SQLite FTS5 %s: got %v, want %v", expr, got, want)
			}
			if pg == nil {
				return
			}
			// with and without the word pairs: the same rows
			for _, pairs := range []bool{true, false} {
				tsq, err := RenderTSQuery(n, pairs)
				if err != nil {
					t.Fatal(err)
				}
				got, err = pgIDs(pg, tsq)
				if err != nil {
					t.Fatalf("PostgreSQL %s: %v", tsq, err)
				}
				if got = nonNil(got); !reflect.DeepEqual(got, want) {
					t.Errorf("PostgreSQL %s: got %v, want %v", tsq, got, want)
				}
			}
		})
	}
}

func nonNil(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}

// TestEnginesSeeTheStream checks the assumption everything rests on: both
// engines split an IndexText stream into exactly its space-separated terms,
// unchanged, at the same positions.
func TestEnginesSeeTheStream(t *testing.T) {
	ss := streams()
	// Terms from other scripts and odd characters, to catch a tokenizer
	// that splits or changes what Analyze emits.
	odd := IndexText(Doc{Text: "Ærø Ελλάδα Москва 北京市 ٢٠٢٦ ＡＢＣ ﬁnanz İstanbul x1e5 1e5 0001 Ǆemal ǈ ʼn ß ẞ naïve Mu\u0308ller"})
	ss = append(ss, odd)
	t.Run("sqlite", func(t *testing.T) {
		db := openFTS(t, ":memory:", ss)
		if _, err := db.Exec(`CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'instance')`); err != nil {
			t.Fatal(err)
		}
		for k, s := range ss {
			rows, err := db.Query(`SELECT term FROM vocab WHERE doc = ? ORDER BY offset`, k+1)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var term string
				if err := rows.Scan(&term); err != nil {
					t.Fatal(err)
				}
				got = append(got, term)
			}
			rows.Close()
			if want := strings.Fields(s); !reflect.DeepEqual(got, want) {
				t.Errorf("doc %d: FTS5 tokens\n got %q\nwant %q", k+1, got, want)
			}
		}
	})
	t.Run("postgres", func(t *testing.T) {
		conn := openPG(t, ss)
		if conn == nil {
			t.Skip("AKTENWERK_TEST_POSTGRES not set")
		}
		for k, s := range ss {
			want := map[string][]int{}
			terms := strings.Fields(s)
			kept := map[int]bool{}
			for i, term := range terms {
				if len(want[term]) < 256 { // PostgreSQL keeps 256 positions per lexeme
					want[term] = append(want[term], i+1)
					kept[i] = true
				}
			}
			// and the word pairs of the positions kept (PairTerm)
			for i := 0; i+1 < len(terms); i++ {
				if pair, ok := PairTerm(terms[i], terms[i+1]); ok && kept[i] && kept[i+1] {
					want[pair] = []int{}
				}
			}
			got, err := pgLexemes(conn, k+1)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("doc %d: PostgreSQL lexemes\n got %v\nwant %v", k+1, got, want)
			}
		}
	})
}

// pgLexemes returns the lexemes of document id with their positions.
func pgLexemes(conn *sql.Conn, id int) (map[string][]int, error) {
	rows, err := conn.QueryContext(context.Background(),
		`SELECT lexeme, COALESCE(array_to_string(positions, ','), '') FROM unnest((SELECT tsv FROM docs WHERE id = $1))`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string][]int{}
	for rows.Next() {
		var lex, pos string
		if err := rows.Scan(&lex, &pos); err != nil {
			return nil, err
		}
		if pos == "" { // a word pair: no positions
			got[lex] = []int{}
			continue
		}
		for _, p := range strings.Split(pos, ",") {
			var n int
			if _, err := fmt.Sscan(p, &n); err != nil {
				return nil, fmt.Errorf("position %q of %q: %w", p, lex, err)
			}
			got[lex] = append(got[lex], n)
		}
		sort.Ints(got[lex])
	}
	return got, rows.Err()
}

// TestEnginesRandomQueries runs generated queries through the parser, both
// renderers, both engines and the reference evaluator.
func TestEnginesRandomQueries(t *testing.T) {
	ss := streams()
	fts := openFTS(t, filepath.Join(t.TempDir(), "fts.db"), ss)
	pg := openPG(t, ss)
	rng := rand.New(rand.NewPCG(20261124, 5))
	const n = 400
	tested, informative := 0, 0
	for k := 0; k < n; k++ {
		q := randomQuery(rng, 0)
		node, err := Parse(q)
		if err != nil {
			continue // stop words only, or an empty group
		}
		tested++
		want := nonNil(refIDs(node, ss))
		if len(want) > 0 && len(want) < len(ss) {
			informative++
		}
		expr, err := RenderFTS5(node)
		if err != nil {
			t.Fatalf("%s: RenderFTS5: %v", q, err)
		}
		got, err := ftsIDs(fts, expr)
		if err != nil {
			t.Fatalf("%s: FTS5 %s: %v", q, expr, err)
		}
		if got = nonNil(got); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: FTS5 %s: got %v, reference %v", q, expr, got, want)
		}
		if pg == nil {
			continue
		}
		for _, pairs := range []bool{true, false} {
			tsq, err := RenderTSQuery(node, pairs)
			if err != nil {
				t.Fatalf("%s: RenderTSQuery: %v", q, err)
			}
			got, err = pgIDs(pg, tsq)
			if err != nil {
				t.Fatalf("%s: tsquery %s: %v", q, tsq, err)
			}
			if got = nonNil(got); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: tsquery %s: got %v, reference %v", q, tsq, got, want)
			}
		}
	}
	t.Logf("%d of %d generated queries parsed, %d found some but not all documents", tested, n, informative)
	if tested < n/2 || informative < tested/4 {
		t.Fatalf("generator too weak: %d parsed, %d informative", tested, informative)
	}
}

var randomWords = []string{
	"Kita", "Hort", "Krippe", "Antrag", "Entschädigung", "Müller", "Mueller", "Straße",
	"Ausbildung", "Platz", "Fachkräfteinitiative", "Bescheid", "Gebühren", "Amt",
	"TFM-121-2026/0001", "2026/0001", "Kita-Gesetz", "Verwaltung", "Gericht", "Mittel",
	"die", "und", "Erfurt", "Jena", "2026", "Referat", "21", "Fördermittel", "Steuer",
}

func randomQuery(rng *rand.Rand, depth int) string {
	if depth > 3 {
		return randomWords[rng.IntN(len(randomWords))]
	}
	switch rng.IntN(12) {
	case 0:
		return randomQuery(rng, depth+1) + " OR " + randomQuery(rng, depth+1)
	case 1:
		return randomQuery(rng, depth+1) + " " + randomQuery(rng, depth+1)
	case 2:
		return "-" + randomWords[rng.IntN(len(randomWords))]
	case 3:
		return "NOT (" + randomQuery(rng, depth+1) + ")"
	case 4:
		return "(" + randomQuery(rng, depth+1) + ")"
	case 5:
		w := randomWords[rng.IntN(len(randomWords))]
		return w[:1+rng.IntN(len(w))] + "*"
	case 6:
		a, b := randomWords[rng.IntN(len(randomWords))], randomWords[rng.IntN(len(randomWords))]
		return `"` + a + " " + b + `"`
	case 7:
		f := []string{"titel:", "typ:", "absender:", "az:"}[rng.IntN(4)]
		return f + randomWords[rng.IntN(len(randomWords))]
	case 8:
		y := 2023 + rng.IntN(4)
		switch rng.IntN(3) {
		case 0:
			return fmt.Sprintf("datum:%d", y)
		case 1:
			return fmt.Sprintf("datum:%d-%02d..%d-%02d", y, 1+rng.IntN(6), y, 6+rng.IntN(7))
		}
		return fmt.Sprintf("datum:..%d-%02d-%02d", y, 1+rng.IntN(12), 1+rng.IntN(28))
	case 9:
		return "(" + randomQuery(rng, depth+1) + " OR NOT " + randomQuery(rng, depth+1) + ")"
	}
	return randomWords[rng.IntN(len(randomWords))]
}

// TestEnginesAgreeOnEveryLetter puts every letter and number Go knows
// between two ASCII letters, indexes the result and checks that both
// engines hold exactly the stream's terms. It catches characters one
// engine counts as part of a word and the other as a separator.
func TestEnginesAgreeOnEveryLetter(t *testing.T) {
	var words []string
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			words = append(words, "x"+string(r)+"y")
		}
	}
	var ss []string
	for i := 0; i < len(words); i += 2000 {
		ss = append(ss, IndexText(Doc{Text: strings.Join(words[i:min(i+2000, len(words))], " ")}))
	}
	db := openFTS(t, ":memory:", ss)
	if _, err := db.Exec(`CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'instance')`); err != nil {
		t.Fatal(err)
	}
	pg := openPG(t, ss)
	for k, s := range ss {
		want := strings.Fields(s)
		rows, err := db.Query(`SELECT term FROM vocab WHERE doc = ? ORDER BY offset`, k+1)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var term string
			if err := rows.Scan(&term); err != nil {
				rows.Close()
				t.Fatal(err)
			}
			got = append(got, term)
		}
		rows.Close()
		if !reflect.DeepEqual(got, want) {
			for i := range want {
				if i >= len(got) || got[i] != want[i] {
					t.Errorf("chunk %d: FTS5 splits differently at %q %U", k, want[i], []rune(want[i]))
					break
				}
			}
		}
		if pg == nil {
			continue
		}
		lex, err := pgLexemes(pg, k+1)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if _, ok := lex[w]; !ok {
				t.Errorf("chunk %d: PostgreSQL has no lexeme %q %U", k, w, []rune(w))
			}
		}
		words := 0 // lexemes with positions: the word pairs have none
		for _, pos := range lex {
			if len(pos) > 0 {
				words++
			}
		}
		if words != len(uniq(want)) {
			t.Errorf("chunk %d: PostgreSQL has %d lexemes, the stream %d", k, words, len(uniq(want)))
		}
	}
}

func uniq(ws []string) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		m[w] = true
	}
	return m
}
