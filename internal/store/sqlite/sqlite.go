// Package sqlite is the embedded default backend: one database file in the
// data directory, WAL mode, one writer connection and a bounded reader pool.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"aktenwerk/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dsn builds the connection string. busy_timeout comes first so that every
// following pragma already waits for a lock instead of failing.
// synchronous=FULL: an acknowledged write survives power loss, not only a
// process crash.
func dsn(path string, write bool) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(FULL)")
	v.Add("_pragma", "foreign_keys(1)")
	if write {
		v.Add("_txlock", "immediate")
	} else {
		v.Add("_pragma", "query_only(1)")
	}
	// The path is a URI path: "#" or "?" in a directory name would
	// otherwise cut it short and open another file.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

// Open opens (creating if needed) the database at path and migrates it.
func Open(ctx context.Context, path string) (*sqldb.DB, error) {
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return sqldb.New(w, r, Dialect()), nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate sqlite: %w", err)
	}
	return nil
}

// Dialect describes SQLite for the shared SQL code.
func Dialect() sqldb.Dialect {
	return sqldb.Dialect{
		Name:     "sqlite",
		JSONList: "SELECT value FROM json_each(?)",
		IsUnique: func(err error) bool {
			var e *sqlite.Error
			if errors.As(err, &e) {
				c := e.Code()
				return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
			}
			return false
		},
		IsRetryable: func(err error) bool {
			var e *sqlite.Error
			return errors.As(err, &e) && (e.Code()&0xff == sqlite3.SQLITE_BUSY)
		},
	}
}
