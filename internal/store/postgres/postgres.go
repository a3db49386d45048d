// Package postgres is the scale-out backend: any number of nodes share one
// PostgreSQL database.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the database/sql driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"aktenwerk/internal/store/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open connects to dsn and migrates the database.
//
// Every connection runs with jit = off unless dsn sets jit itself: the
// planner JIT-compiles any statement whose estimated cost passes
// jit_above_cost, and the search's candidate statement (estimated high
// because it may walk the whole index) spent 480 of its 620 ms compiling
// at 1 M documents (docs/benchmarks.md). Short OLTP statements never gain
// from it.
func Open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if _, set := cfg.RuntimeParams["jit"]; !set {
		cfg.RuntimeParams["jit"] = "off"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return sqldb.New(db, db, Dialect()), nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := migrator(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate postgres: %w", err)
	}
	return nil
}

func migrator(db *sql.DB) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	// Several nodes may start at once: a session lock lets one migrate.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

func code(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// Dialect describes PostgreSQL for the shared SQL code.
func Dialect() sqldb.Dialect {
	return sqldb.Dialect{
		Name:        "postgres",
		JSONList:    "SELECT jsonb_array_elements_text(CAST(? AS jsonb))",
		Placeholder: sqldb.DollarPlaceholder,
		IsUnique:    func(err error) bool { return code(err) == "23505" },
		IsRetryable: func(err error) bool { c := code(err); return c == "40001" || c == "40P01" },
		ReadOptions: &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	}
}
