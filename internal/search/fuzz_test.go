package search

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
)

// Engines shared by all fuzz inputs of one process (each fuzz worker is a
// process of its own).
var (
	fuzzOnce sync.Once
	fuzzFTS  *sql.DB
	fuzzPG   *sql.Conn
	fuzzErr  error
	fuzzDrop func() // drops the PostgreSQL schema of the engines
)

// TestMain drops what the shared fuzz engines left in PostgreSQL.
func TestMain(m *testing.M) {
	code := m.Run()
	if fuzzDrop != nil {
		fuzzDrop()
	}
	os.Exit(code)
}

func fuzzEngines(ss []string) (*sql.DB, *sql.Conn, error) {
	fuzzOnce.Do(func() {
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			fuzzErr = err
			return
		}
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')`); err != nil {
			fuzzErr = err
			return
		}
		for k, s := range ss {
			if _, err := db.Exec(`INSERT INTO docs(rowid, body) VALUES (?, ?)`, k+1, s); err != nil {
				fuzzErr = err
				return
			}
		}
		fuzzFTS = db
		dsn := os.Getenv("AKTENWERK_TEST_POSTGRES")
		if dsn == "" {
			return
		}
		pdb, err := sql.Open("pgx", dsn)
		if err != nil {
			fuzzErr = err
			return
		}
		ctx := context.Background()
		conn, err := pdb.Conn(ctx)
		if err != nil {
			fuzzErr = err
			return
		}
		drop, err := pgDocs(ctx, conn, ss)
		if drop != nil {
			fuzzDrop = func() { drop(pdb) }
		}
		if err != nil {
			fuzzErr = err
			return
		}
		fuzzPG = conn
	})
	return fuzzFTS, fuzzPG, fuzzErr
}

// FuzzParse: Parse never panics; errors are *SyntaxError with a position
// inside the query and a message; every parsed query renders for both
// engines, the engines accept it, and they find what the reference
// evaluator finds.
func FuzzParse(f *testing.F) {
	for _, c := range engineCases {
		f.Add(c.q)
	}
	for _, s := range []string{
		``, ` `, `"`, `""`, `„“`, `(`, `)`, `()`, `((Kita))`, `-`, `--Kita`, `-"a b"`, `+`, `*`, `**`,
		`Kita OR`, `OR`, `AND AND`, `NOT`, `NOT NOT`, `Kita NOT -Hort`, `a:b`, `titel:`, `titel:titel:x`,
		`az:(TFM-121* OR TFM-122*)`, `datum:`, `datum:..`, `datum:2026..2025`, `datum:0000`, `datum:9999-12-31`,
		`datum:2026-02-29`, `datum:1.1.1`, `datum:.2026`, `datum:2026..2026..2027`,
		`Ki*ta`, `Kita*Hort*`, `\"Kita\"`, `'Kita'`, `Kita\`, "Kita\x00Hort", "\xff\xfe", "ǂ", "ǂkita", `titel:ǂ`,
		`Ärger über Straßen`, `Ελλάδα Москва 北京市`, `١٢٣-٤٥٦`, `TFM-121-2026/0001-2-3-4-5-6-7-8-9`,
		strings.Repeat("(", 25) + "x" + strings.Repeat(")", 25),
		strings.Repeat("a OR ", 300) + "b",
		strings.Repeat("-a ", 200),
		`http://example.de/a?b=c`, `mailto:info@example.de`, `10:30`, `§ 12 Abs. 2`,
	} {
		f.Add(s)
	}
	ss := streams()
	f.Fuzz(func(t *testing.T, q string) {
		n, err := Parse(q)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): %T %v, want *SyntaxError", q, err, err)
			}
			if se.Query != q || se.Offset < 0 || se.Offset > len(q) || se.Msg == "" {
				t.Fatalf("Parse(%q): bad error %+v", q, se)
			}
			if se.Column < 1 || se.Column > utf8.RuneCountInString(q)+1 {
				t.Fatalf("Parse(%q): column %d out of range", q, se.Column)
			}
			if apperr.KindOf(err) != apperr.KindInvalid {
				t.Fatalf("Parse(%q): not KindInvalid", q)
			}
			return
		}
		if n == nil {
			t.Fatalf("Parse(%q): nil node without error", q)
		}
		_ = n.String()
		checkTree(t, n)
		fts, err := RenderFTS5(n)
		if err != nil {
			t.Fatalf("Parse(%q) = %s: RenderFTS5: %v", q, n, err)
		}
		tsq, err := RenderTSQuery(n, true)
		if err != nil {
			t.Fatalf("Parse(%q) = %s: RenderTSQuery: %v", q, n, err)
		}
		db, pg, err := fuzzEngines(ss)
		if err != nil {
			t.Fatal(err)
		}
		want := nonNil(refIDs(n, ss))
		got, err := ftsIDs(db, fts)
		if err != nil {
			t.Fatalf("Parse(%q): FTS5 refuses %s: %v", q, fts, err)
		}
		if got = nonNil(got); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q): FTS5 %s found %v, reference %v", q, fts, got, want)
		}
		if pg == nil {
			return
		}
		got, err = pgIDs(pg, tsq)
		if err != nil {
			t.Fatalf("Parse(%q): PostgreSQL refuses %s: %v", q, tsq, err)
		}
		if got = nonNil(got); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q): tsquery %s found %v, reference %v", q, tsq, got, want)
		}
	})
}

// checkTree asserts the invariants of a parsed AST.
func checkTree(t *testing.T, n Node) {
	t.Helper()
	switch x := n.(type) {
	case *Term:
		checkTerm(t, x.Term)
	case *Prefix:
		checkTerm(t, x.Prefix)
	case *Phrase:
		if len(x.Terms) < 2 {
			t.Fatalf("phrase with %d terms", len(x.Terms))
		}
		for _, term := range x.Terms {
			checkTerm(t, term)
		}
	case *Field:
		if _, ok := x.Node.(*Field); ok {
			t.Fatal("nested field")
		}
		checkTree(t, x.Node)
	case *DateRange:
		if x.From.After(x.To) || x.From.Year() < 1 || x.To.Year() > 9999 {
			t.Fatalf("bad date range %s", x)
		}
	case *Not:
		if _, ok := x.Node.(*Not); ok {
			t.Fatal("double negation left in the tree")
		}
		checkTree(t, x.Node)
	case *And:
		if len(x.Nodes) < 2 {
			t.Fatalf("AND with %d operands", len(x.Nodes))
		}
		for _, c := range x.Nodes {
			if _, ok := c.(*And); ok {
				t.Fatal("nested AND not flattened")
			}
			checkTree(t, c)
		}
	case *Or:
		if len(x.Nodes) < 2 {
			t.Fatalf("OR with %d operands", len(x.Nodes))
		}
		for _, c := range x.Nodes {
			if _, ok := c.(*Or); ok {
				t.Fatal("nested OR not flattened")
			}
			checkTree(t, c)
		}
	default:
		t.Fatalf("unexpected node %T", n)
	}
}

var (
	vocabOnce sync.Once
	vocabDB   *sql.DB
	vocabErr  error
)

// FuzzIndexText: for any text, Analyze yields clean tokens and SQLite FTS5
// (and PostgreSQL, when configured) split the index stream into exactly its
// terms – the assumption both renderers rest on.
func FuzzIndexText(f *testing.F) {
	for _, d := range corpus {
		f.Add(d.Text)
	}
	for _, s := range []string{
		"Ærø Ελλάδα Москва 北京市 ٢٠٢٦ ＡＢＣ ﬁnanz İstanbul ǅ ʼn ß ẞ naïve Mu\u0308ller",
		"\xff\xfe Kita\x00Hort ǂ ǀǁǃ 1,2,3 a--b ..x.. ',' 𝟚𝟘𝟚𝟞 ½ ① Ⅻ ㍱ ﷺ",
		"देवनागरी ไทย 한국어 עִברִית العربية",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Analyze(text)
		for _, tk := range toks {
			checkToken(t, text, tk)
		}
		checkPositions(t, text, toks)
		stream := IndexText(Doc{Text: text})
		want := strings.Fields(stream)
		vocabOnce.Do(func() {
			db, err := sql.Open("sqlite", ":memory:")
			if err == nil {
				db.SetMaxOpenConns(1)
				_, err = db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
					CREATE VIRTUAL TABLE vocab USING fts5vocab(docs, 'instance')`)
			}
			vocabDB, vocabErr = db, err
		})
		if vocabErr != nil {
			t.Fatal(vocabErr)
		}
		if _, err := vocabDB.Exec(`DELETE FROM docs; INSERT INTO docs(rowid, body) VALUES (1, ?)`, stream); err != nil {
			t.Fatal(err)
		}
		rows, err := vocabDB.Query(`SELECT term FROM vocab ORDER BY offset`)
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
			t.Fatalf("text %q: FTS5 tokens\n got %q\nwant %q", text, got, want)
		}
		_, pg, err := fuzzEngines(streams())
		if err != nil {
			t.Fatal(err)
		}
		if pg == nil {
			return
		}
		var n int
		var lexemes string
		err = pg.QueryRowContext(context.Background(),
			`SELECT count(*), coalesce(string_agg(lexeme, ' ' ORDER BY lexeme COLLATE "C"), '') FROM unnest(to_tsvector('simple', $1))`, stream).Scan(&n, &lexemes)
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, w := range want {
			set[w] = true
		}
		var uniq []string
		for w := range set {
			uniq = append(uniq, w)
		}
		sortStrings(uniq)
		if strings.Join(uniq, " ") != lexemes {
			t.Fatalf("text %q: PostgreSQL lexemes\n got %s\nwant %s", text, lexemes, strings.Join(uniq, " "))
		}
	})
}

func sortStrings(s []string) { sort.Strings(s) }
