// Package storetest is the one conformance suite every storage backend must
// pass, and the helpers that give tests a fresh store on each backend.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"aktenwerk/internal/records"
	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/sqldb"
	"aktenwerk/internal/store/sqlite"
)

// Opener gives a test a fresh, empty, migrated store.
type Opener func(t testing.TB) *sqldb.DB

// Backend is a named opener.
type Backend struct {
	Name string
	Open Opener
}

// Backends returns SQLite and, when AKTENWERK_TEST_POSTGRES is set (CI always
// sets it), PostgreSQL.
func Backends(t testing.TB) []Backend {
	bs := []Backend{{"sqlite", OpenSQLite}}
	if os.Getenv("AKTENWERK_TEST_POSTGRES") != "" {
		bs = append(bs, Backend{"postgres", OpenPostgres})
	} else {
		t.Log("AKTENWERK_TEST_POSTGRES not set: PostgreSQL backend not tested in this run")
	}
	return bs
}

// OpenSQLite opens a fresh SQLite database in a temp dir.
func OpenSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "aktenwerk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDSN creates a fresh schema in the test database and returns a DSN
// whose search_path points at it; the schema is dropped after the test.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("AKTENWERK_TEST_POSTGRES")
	if base == "" {
		t.Skip("AKTENWERK_TEST_POSTGRES not set")
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "awtest_" + hex.EncodeToString(buf)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres opens a store in a fresh schema of the test database.
func OpenPostgres(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var _ records.Store = (*sqldb.DB)(nil)
