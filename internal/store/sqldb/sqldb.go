// Package sqldb implements records.Store once, in SQL that both SQLite and
// PostgreSQL understand. The backend packages (store/sqlite, store/postgres)
// open the connections, run their migrations and supply a Dialect for the
// few places where the two differ.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/records"
)

// Dialect captures the differences between the backends.
type Dialect struct {
	Name string
	// Rebind turns ?-placeholders into the backend's style.
	Placeholder func(n int) string
	// IsUnique reports a uniqueness violation.
	IsUnique func(error) bool
	// IsRetryable reports a transient conflict (deadlock, serialization)
	// after which the whole transaction may be retried.
	IsRetryable func(error) bool
	// ReadOptions are the transaction options of Read.
	ReadOptions *sql.TxOptions
	// JSONList is a subquery yielding the elements of a JSON array of
	// strings passed as one parameter; it keeps statements with id lists
	// constant (and cacheable) whatever the list's length.
	JSONList string
}

// DB is a records.Store on database/sql.
type DB struct {
	writer  *sql.DB // SQLite: exactly one connection; PostgreSQL: the pool
	reader  *sql.DB // SQLite: a bounded pool; PostgreSQL: the same pool
	dialect Dialect
	rebound sync.Map // query text → rebound text
	stmts   sync.Map // stmtKey → *sql.Stmt, prepared once per pool
	pending sync.Map // stmtKey → struct{}: seen, not yet prepared
	closers []func() error
	terms   termStatsCache // PostgreSQL: term shares for the search plan (search.go)
	visible visibleShares  // SQLite: the share of rows a caller sees (search.go)
}

// New wraps open connections.
func New(writer, reader *sql.DB, d Dialect, closers ...func() error) *DB {
	return &DB{writer: writer, reader: reader, dialect: d, closers: closers}
}

// Backend implements records.Store.
func (db *DB) Backend() string { return db.dialect.Name }

// Writer returns the write connection pool (for tools and tests).
func (db *DB) Writer() *sql.DB { return db.writer }

// Close implements records.Store.
func (db *DB) Close() error {
	var errs []error
	db.stmts.Range(func(_, s any) bool { errs = append(errs, s.(*sql.Stmt).Close()); return true })
	errs = append(errs, db.writer.Close())
	if db.reader != db.writer {
		errs = append(errs, db.reader.Close())
	}
	for _, c := range db.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Ping implements records.Store.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.reader.PingContext(ctx); err != nil {
		return err
	}
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

func (db *DB) q(query string) string {
	if db.dialect.Placeholder == nil {
		return query
	}
	if r, ok := db.rebound.Load(query); ok {
		return r.(string)
	}
	r := Rebind(query, db.dialect.Placeholder)
	db.rebound.Store(query, r)
	return r
}

// Rebind turns ?-placeholders into the backend's style (e.g. $1, $2 …).
// Queries must not contain literal question marks.
func Rebind(query string, placeholder func(n int) string) string {
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString(placeholder(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// DollarPlaceholder is PostgreSQL's placeholder style.
func DollarPlaceholder(n int) string { return "$" + strconv.Itoa(n) }

// Write implements records.Store. Transient conflicts are retried a few
// times; fn must therefore not have side effects outside the transaction.
func (db *DB) Write(ctx context.Context, fn func(records.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.run(ctx, db.writer, nil, fn)
		if err == nil || db.dialect.IsRetryable == nil || !db.dialect.IsRetryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
	return err
}

// Read implements records.Store.
func (db *DB) Read(ctx context.Context, fn func(records.Tx) error) error {
	return db.run(ctx, db.reader, db.dialect.ReadOptions, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(records.Tx) error) (err error) {
	db.preparePending(ctx, pool)
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&tx{db: db, pool: pool, tx: sqlTx}); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

type tx struct {
	db   *DB
	pool *sql.DB
	tx   *sql.Tx
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// stmt returns the cached prepared statement for query bound to this
// transaction, or nil when it has not been prepared yet. Preparing inside a
// transaction would deadlock the single SQLite writer connection, so a new
// query runs unprepared once and is prepared before the next transaction
// (preparePending). database/sql re-prepares statements per connection and
// keeps them, so SQLite stops parsing every statement anew.
func (t *tx) stmt(ctx context.Context, query string) *sql.Stmt {
	k := stmtKey{t.pool, query}
	if s, ok := t.db.stmts.Load(k); ok {
		return t.tx.StmtContext(ctx, s.(*sql.Stmt))
	}
	t.db.pending.Store(k, struct{}{})
	return nil
}

// preparePending prepares the queries seen since the last transaction, on
// the pool, outside any transaction.
func (db *DB) preparePending(ctx context.Context, pool *sql.DB) {
	db.pending.Range(func(key, _ any) bool {
		k := key.(stmtKey)
		if k.pool != pool {
			return true
		}
		db.pending.Delete(k)
		if _, ok := db.stmts.Load(k); ok {
			return true
		}
		s, err := pool.PrepareContext(ctx, db.q(k.query))
		if err != nil {
			return true // it will simply run unprepared
		}
		if _, loaded := db.stmts.LoadOrStore(k, s); loaded {
			s.Close()
		}
		return true
	})
}

func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	var err error
	if st := t.stmt(ctx, query); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, t.db.q(query), args...)
	}
	if err != nil {
		if t.db.dialect.IsUnique(err) {
			return nil, fmt.Errorf("%w: %v", records.ErrDuplicate, err)
		}
		return nil, err
	}
	return res, nil
}

func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.db.q(query), args...)
}

func (t *tx) row(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.q(query), args...)
}

// one maps sql.ErrNoRows to records.ErrNoRows.
func one(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return records.ErrNoRows
	}
	return err
}

// affected fails with ErrNoRows when an UPDATE/DELETE touched nothing.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return records.ErrNoRows
	}
	return nil
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

func nullStr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func strPtr(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	s := n.String
	return &s
}

func limitOf(p records.Page) string { return strconv.Itoa(p.Limit) }

// scanAll runs a query and scans every row with scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
