package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"aktenwerk/internal/search"
	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/storetest"
)

func TestConformance(t *testing.T) { storetest.Run(t, storetest.OpenPostgres) }

// Every pooled connection runs without JIT (see Open), unless the DSN asks
// for it.
func TestOpenJIT(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	for _, c := range []struct{ param, want string }{{"", "off"}, {"on", "on"}} {
		d := dsn
		if c.param != "" {
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			q.Set("jit", c.param)
			u.RawQuery = q.Encode()
			d = u.String()
		}
		db, err := postgres.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		// several connections at once: each one is configured
		conns := make([]interface{ Close() error }, 0, 3)
		for range 3 {
			conn, err := db.Writer().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
			var jit string
			if err := conn.QueryRowContext(ctx, `SHOW jit`).Scan(&jit); err != nil {
				t.Fatal(err)
			}
			if jit != c.want {
				t.Errorf("dsn jit=%q: SHOW jit = %q, want %q", c.param, jit, c.want)
			}
		}
		for _, conn := range conns {
			conn.Close()
		}
		db.Close()
	}
}

// Migration 00019 gives the rows indexed before it their word pairs
// (search.PairTerm): afterwards each tsvector is what search_tsv writes,
// and a phrase query, which now asks for the pairs, still finds the rows.
func TestMigrationAddsWordPairs(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := postgres.MigrateTo(ctx, raw, 18); err != nil {
		t.Fatal(err)
	}
	docs := []string{
		search.IndexText(search.Doc{Titel: "Erlass zur Kita", Text: "Der Erlass bleibt bis 2027 in Kraft. Straße 12"}),
		search.IndexText(search.Doc{Titel: "Bleibt offen", Text: "Bleibt der Erlass? Kita Hort"}),
	}
	for k, terms := range docs {
		if _, err := raw.ExecContext(ctx, `WITH d AS (INSERT INTO search_docs (object_id, chunk, object_type, tenant_id, akte_id,
			aktenplan_id, aktenzeichen, titel, typ, status, tsv, indexed_at)
			VALUES ($1, 0, 'akte', 't', $1, 'p', '', '', '', '', to_tsvector('simple', $2), now()) RETURNING seq)
			INSERT INTO search_terms (seq, terms) SELECT seq, $2 FROM d`, fmt.Sprintf("a%d", k), terms); err != nil {
			t.Fatal(err)
		}
	}
	db, err := postgres.Open(ctx, dsn) // migrates the rest
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	var differ int
	if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM search_docs d JOIN search_terms t USING (seq)
		WHERE d.tsv <> search_tsv(t.terms) OR NOT d.tsv @@ to_tsquery('simple', 'ǂǂerlassǂbleibt | ǂǂbleibtǂerlass')`).Scan(&differ); err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("%d rows without their word pairs after the migration", differ)
	}
	for q, want := range map[string][]string{
		`"Erlass bleibt"`:       {"a0"},
		`"bleibt Erlass"`:       {"a1"},
		`"Kita Hort"`:           {"a1"},
		`"Straße 12"`:           {"a0"},
		`"bleibt bis 2027"`:     {"a0"},
		`"Erlass bleibt" -Kita`: {},
		`"Hort Kita"`:           {},
	} {
		n, err := search.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		tsq, err := search.RenderTSQuery(n)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tsq, "ǂǂ") {
			t.Errorf("%s: rendered without word pairs: %s", q, tsq)
		}
		got := []string{}
		rows, err := raw.QueryContext(ctx, `SELECT object_id FROM search_docs WHERE tsv @@ to_tsquery('simple', $1) ORDER BY object_id`, tsq)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			got = append(got, id)
		}
		rows.Close()
		if !slices.Equal(got, want) {
			t.Errorf("%s (%s): %v, want %v", q, tsq, got, want)
		}
	}
}
