package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"aktenwerk/internal/records"
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

// Migration 00019 leaves the rows indexed before it as they are and lets
// BackfillSearch give them their word pairs (search.PairTerm), newest
// first, batch by batch; rows written after it get them from the trigger.
// Phrase queries find the same rows with the pairs as without them.
func TestWordPairsBackfill(t *testing.T) {
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
	insert := func(k int, terms string) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, `WITH d AS (INSERT INTO search_docs (object_id, chunk, object_type, tenant_id, akte_id,
			aktenplan_id, aktenzeichen, titel, typ, status, tsv, indexed_at)
			VALUES ($1, 0, 'akte', 't', $1, 'p', '', '', '', '', to_tsvector('simple', $2), now()) RETURNING seq)
			INSERT INTO search_terms (seq, terms) SELECT seq, $2 FROM d`, fmt.Sprintf("a%d", k), terms); err != nil {
			t.Fatal(err)
		}
	}
	docs := []string{
		search.IndexText(search.Doc{Titel: "Erlass zur Kita", Text: "Der Erlass bleibt bis 2027 in Kraft. Straße 12"}),
		search.IndexText(search.Doc{Titel: "Bleibt offen", Text: "Bleibt der Erlass? Kita Hort"}),
		search.IndexText(search.Doc{Text: "Hort und Kita: der Erlass bleibt"}),
	}
	for k, terms := range docs[:2] {
		insert(k, terms)
	}
	db, err := postgres.Open(ctx, dsn) // migrates the rest
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert(2, docs[2]) // written the old way, after the migration
	withPairs := func() []string {
		t.Helper()
		var ids []string
		rows, err := raw.QueryContext(ctx, `SELECT d.object_id FROM search_docs d JOIN search_terms t USING (seq)
			WHERE d.tsv = (SELECT v || search_pairs(v) FROM to_tsvector('simple', t.terms) v) AND d.tsv @@ 'ǂǂerlassǂbleibt | ǂǂbleibtǂerlass'::tsquery
			ORDER BY d.object_id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		return ids
	}
	if got := withPairs(); !slices.Equal(got, []string{"a2"}) {
		t.Fatalf("rows with word pairs before the backfill: %v, want [a2] (the trigger's)", got)
	}
	phrases := map[string][]string{
		`"Erlass bleibt"`:       {"a0", "a2"},
		`"bleibt Erlass"`:       {"a1"},
		`"Kita Hort"`:           {"a1"},
		`"Straße 12"`:           {"a0"},
		`"bleibt bis 2027"`:     {"a0"},
		`"Erlass bleibt" -Kita`: {},
		`"Hort Kita"`:           {"a2"},
		`"Erlass Kita"`:         {"a0", "a1"}, // stop words and punctuation do not part words
	}
	check := func(pairs bool) {
		t.Helper()
		for q, want := range phrases {
			n, err := search.Parse(q)
			if err != nil {
				t.Fatal(err)
			}
			tsq, err := search.RenderTSQuery(n, pairs)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tsq, "ǂǂ") != pairs {
				t.Errorf("%s (pairs %v): rendered %s", q, pairs, tsq)
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
	check(false)
	// one row per batch: a1, then a0, then done
	var lefts []int64
	for range 5 {
		var left int64
		if err := db.Write(ctx, func(tx records.Tx) (err error) {
			left, err = tx.BackfillSearch(ctx, 1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		lefts = append(lefts, left)
		if left == 0 {
			break
		}
	}
	if !slices.Equal(lefts, []int64{1, 0}) {
		t.Errorf("backfill batches left %v, want [1 0]", lefts)
	}
	if got := withPairs(); !slices.Equal(got, []string{"a0", "a1", "a2"}) {
		t.Errorf("rows with word pairs after the backfill: %v, want all", got)
	}
	check(true)
	check(false)
}
