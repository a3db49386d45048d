package storetest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/sqldb"
	"aktenwerk/internal/store/sqlite"
)

// SharedBackend makes fresh databases that can be opened more than once:
// several stores on one database stand for several nodes of a cluster, or
// for one node before and after a restart (internal/jobs tests).
type SharedBackend struct {
	Name string
	// New creates a fresh, empty database for t and returns a function
	// that opens (and migrates) a new store on it each time it is called.
	// Every store is closed when t ends; closing one earlier is allowed.
	New func(t testing.TB) func() *sqldb.DB
}

// SharedBackends returns SQLite and, when AKTENWERK_TEST_POSTGRES is set,
// PostgreSQL.
func SharedBackends(t testing.TB) []SharedBackend {
	bs := []SharedBackend{{"sqlite", newSharedSQLite}}
	if os.Getenv("AKTENWERK_TEST_POSTGRES") != "" {
		bs = append(bs, SharedBackend{"postgres", newSharedPostgres})
	} else {
		t.Log("AKTENWERK_TEST_POSTGRES not set: PostgreSQL backend not tested in this run")
	}
	return bs
}

func newSharedSQLite(t testing.TB) func() *sqldb.DB {
	path := filepath.Join(t.TempDir(), "aktenwerk.db")
	return func() *sqldb.DB {
		t.Helper()
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

func newSharedPostgres(t testing.TB) func() *sqldb.DB {
	dsn := PostgresDSN(t)
	return func() *sqldb.DB {
		t.Helper()
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}
