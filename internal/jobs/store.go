package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/store/sqldb"
)

// DB is the database the jobs live in: *sqldb.DB satisfies it. Jobs use the
// write connection (on SQLite the single writer) for everything, so claiming
// is serialised with every other write there.
type DB interface {
	Writer() *sql.DB
	// Backend names the backend: "sqlite" or "postgres".
	Backend() string
}

// Tx is a transaction a job can be enqueued in (*sql.Tx satisfies it), so
// that the job exists exactly when the rest of the transaction committed.
type Tx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Options configure a Store.
type Options struct {
	// Now is the clock (default time.Now). Leases, run times and backoff
	// are measured on it, so nodes must keep their clocks in sync (NTP):
	// a skew well below the lease timeout is harmless.
	Now    func() time.Time
	Logger *slog.Logger
}

// Store is the queue on a database. It implements Queue and Admin, and
// makes Runners.
type Store struct {
	db      *sql.DB
	pg      bool
	now     func() time.Time
	log     *slog.Logger
	rebound sync.Map

	mu   sync.Mutex
	wake chan struct{} // closed and replaced to wake this process' runners
}

var (
	_ Queue = (*Store)(nil)
	_ Admin = (*Store)(nil)
)

// New returns the queue on db, whose migrations (00006_jobs) have run.
func New(db DB, o Options) (*Store, error) {
	s := &Store{db: db.Writer(), now: o.Now, log: o.Logger, wake: make(chan struct{})}
	switch db.Backend() {
	case "sqlite":
	case "postgres":
		s.pg = true
	default:
		return nil, fmt.Errorf("jobs: unknown backend %q", db.Backend())
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// ts normalises a time for storage: UTC, microseconds (PostgreSQL's
// precision), so that both backends store and compare the same instant.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (s *Store) nowTS() time.Time { return ts(s.now()) }

// q rebinds ?-placeholders for PostgreSQL.
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	if r, ok := s.rebound.Load(query); ok {
		return r.(string)
	}
	r := sqldb.Rebind(query, sqldb.DollarPlaceholder)
	s.rebound.Store(query, r)
	return r
}

// skipLocked is appended to the sub-selects that pick rows to change: on
// PostgreSQL concurrent claimers skip each other's rows instead of waiting;
// SQLite has one writer at a time and needs nothing.
func (s *Store) skipLocked() string {
	if s.pg {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// notify wakes the runners of this process.
func (s *Store) notify() {
	s.mu.Lock()
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
}

func (s *Store) wakeCh() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}

// write runs fn in a write transaction (on SQLite BEGIN IMMEDIATE through
// the writer's DSN), retrying transient conflicts.
func (s *Store) write(ctx context.Context, fn func(*sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = s.tx(ctx, fn)
		if err == nil || !retryable(err) {
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

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("jobs: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("jobs: commit: %w", err)
	}
	return nil
}

// retryable: PostgreSQL serialization failure or deadlock, SQLite busy or
// locked. Checked through the drivers' error methods, without importing them.
func retryable(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		c := pg.SQLState()
		return c == "40001" || c == "40P01"
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		c := lite.Code() & 0xff
		return c == 5 || c == 6
	}
	return false
}

const maxKindLen = 100

func validKind(kind string) error {
	if kind == "" || len(kind) > maxKindLen {
		return apperr.Invalid("kind", "kind must have 1 to 100 bytes")
	}
	for _, r := range kind {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return apperr.Invalid("kind", "kind must not contain spaces or control characters")
		}
	}
	return nil
}

// Enqueue implements Queue.
func (s *Store) Enqueue(ctx context.Context, kind string, payload any, opts ...Option) (string, error) {
	var id string
	var ready bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, ready, err = s.enqueue(ctx, tx, kind, payload, opts)
		return err
	})
	if err != nil {
		return "", err
	}
	if ready {
		s.notify()
	}
	return id, nil
}

// EnqueueTx enqueues inside tx (a transaction on this Store's database), so
// that the job is committed or rolled back with the caller's other writes.
// Runners of this process are woken at once; if they look before tx
// commits, they find the job at their next poll.
//
// On SQLite, call it only with a transaction of the writer connection, and
// never call Enqueue while such a transaction is open in the same goroutine:
// the single writer connection is taken.
func (s *Store) EnqueueTx(ctx context.Context, tx Tx, kind string, payload any, opts ...Option) (string, error) {
	id, ready, err := s.enqueue(ctx, tx, kind, payload, opts)
	if err == nil && ready {
		s.notify()
	}
	return id, err
}

const insertJob = `INSERT INTO jobs (id, kind, payload, state, unique_key, max_attempts, run_at, created_at, tenant_id)
VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)`

func (s *Store) enqueue(ctx context.Context, tx Tx, kind string, payload any, opts []Option) (id string, ready bool, err error) {
	if err := validKind(kind); err != nil {
		return "", false, err
	}
	var o enqueueOptions
	for _, f := range opts {
		f(&o)
	}
	if o.maxAttempts < 0 {
		return "", false, apperr.Invalid("max_attempts", "must not be negative")
	}
	data, err := json.Marshal(payload)
	if err != nil {
		return "", false, apperr.Invalid("payload", "not JSON-encodable: "+err.Error())
	}
	now := s.nowTS()
	runAt := now
	switch {
	case !o.at.IsZero():
		runAt = ts(o.at)
	case o.delay > 0:
		runAt = ts(now.Add(o.delay))
	}
	ready = !runAt.After(now)
	u, err := uuid.NewV7()
	if err != nil {
		return "", false, err
	}
	id = u.String()
	if o.key == "" {
		_, err = tx.ExecContext(ctx, s.q(insertJob), id, kind, string(data), nil, o.maxAttempts, runAt, now, nullString(o.tenant))
		if err != nil {
			return "", false, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
		}
		return id, ready, nil
	}
	// A pending job with the key may finish between the insert and the
	// lookup; then the insert is tried again.
	for range 3 {
		res, err := tx.ExecContext(ctx, s.q(insertJob+`
ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state <> 'dead' DO NOTHING`),
			id, kind, string(data), o.key, o.maxAttempts, runAt, now, nullString(o.tenant))
		if err != nil {
			return "", false, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return "", false, err
		} else if n == 1 {
			return id, ready, nil
		}
		var existing string
		err = tx.QueryRowContext(ctx, s.q(`SELECT id FROM jobs WHERE unique_key = ? AND state <> 'dead'`), o.key).Scan(&existing)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", false, fmt.Errorf("jobs: enqueue %s: %w", kind, err)
		}
		return existing, false, nil
	}
	return "", false, fmt.Errorf("jobs: enqueue %s: unique key %q keeps changing", kind, o.key)
}

const jobColumns = `id, kind, payload, unique_key, state, attempt, max_attempts,
run_at, created_at, locked_by, lease_until, last_error, dead_at, tenant_id`

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

type scanner interface{ Scan(dest ...any) error }

func scanJob(row scanner) (Job, error) {
	var j Job
	var payload string
	var key, lockedBy, lastErr, tenant sql.NullString
	var runAt, createdAt, leaseUntil, deadAt dbTime
	var attempt, maxAttempts int64
	err := row.Scan(&j.ID, &j.Kind, &payload, &key, &j.State, &attempt, &maxAttempts,
		&runAt, &createdAt, &lockedBy, &leaseUntil, &lastErr, &deadAt, &tenant)
	if err != nil {
		return Job{}, err
	}
	j.Payload = json.RawMessage(payload)
	j.UniqueKey, j.LockedBy, j.LastError, j.TenantID = key.String, lockedBy.String, lastErr.String, tenant.String
	j.Attempt, j.MaxAttempts = int(attempt), int(maxAttempts)
	j.RunAt, j.CreatedAt = runAt.t, createdAt.t
	j.LeaseUntil, j.DeadAt = leaseUntil.ptr(), deadAt.ptr()
	return j, nil
}

// dbTime scans a timestamp from either driver: time.Time from pgx and from
// modernc for TIMESTAMP columns, text where SQLite lost the column type.
type dbTime struct {
	t     time.Time
	valid bool
}

var timeFormats = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST", // modernc's default (time.Time.String)
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
}

func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = dbTime{}
		return nil
	case time.Time:
		*d = dbTime{x.UTC(), true}
		return nil
	case []byte:
		return d.Scan(string(x))
	case string:
		for _, f := range timeFormats {
			if t, err := time.Parse(f, x); err == nil {
				*d = dbTime{t.UTC(), true}
				return nil
			}
		}
		return fmt.Errorf("jobs: cannot parse time %q", x)
	}
	return fmt.Errorf("jobs: cannot scan %T as time", v)
}

func (d dbTime) ptr() *time.Time {
	if !d.valid {
		return nil
	}
	t := d.t
	return &t
}

// Get implements Admin. It answers apperr NotFound for unknown jobs and for
// jobs that succeeded (they are deleted).
func (s *Store) Get(ctx context.Context, id string) (Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.q(`SELECT `+jobColumns+` FROM jobs WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, apperr.NotFound("Job")
	}
	if err != nil {
		return Job{}, fmt.Errorf("jobs: get %s: %w", id, err)
	}
	return j, nil
}

// Stats implements Admin.
func (s *Store) Stats(ctx context.Context) ([]KindStats, error) { return s.stats(ctx, nil) }

// StatsOf counts the jobs of one tenant.
func (s *Store) StatsOf(ctx context.Context, tenantID string) ([]KindStats, error) {
	return s.stats(ctx, &tenantID)
}

func (s *Store) stats(ctx context.Context, tenant *string) ([]KindStats, error) {
	where, args := "", []any{}
	if tenant != nil {
		where, args = "WHERE tenant_id = ? ", append(args, *tenant)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT kind, state, CASE WHEN state = 'queued' AND attempt > 0 THEN 1 ELSE 0 END AS failed, COUNT(*)
FROM jobs `+where+`GROUP BY kind, state, failed ORDER BY kind`), args...)
	if err != nil {
		return nil, fmt.Errorf("jobs: stats: %w", err)
	}
	defer rows.Close()
	out := []KindStats{}
	for rows.Next() {
		var kind, state string
		var failed, n int64
		if err := rows.Scan(&kind, &state, &failed, &n); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Kind != kind {
			out = append(out, KindStats{Kind: kind})
		}
		k := &out[len(out)-1]
		switch {
		case state == string(Queued) && failed == 1:
			k.Failed += int(n)
		case state == string(Queued):
			k.Queued += int(n)
		case state == string(Running):
			k.Running += int(n)
		case state == string(Dead):
			k.Dead += int(n)
		}
	}
	return out, rows.Err()
}

// ListDead implements Admin.
func (s *Store) ListDead(ctx context.Context, kind, after string, limit int) ([]Job, error) {
	return s.listDead(ctx, nil, kind, after, limit)
}

// ListDeadOf lists the dead jobs of one tenant (see ListDead).
func (s *Store) ListDeadOf(ctx context.Context, tenantID, kind, after string, limit int) ([]Job, error) {
	return s.listDead(ctx, &tenantID, kind, after, limit)
}

func (s *Store) listDead(ctx context.Context, tenant *string, kind, after string, limit int) ([]Job, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	where, args := "state = 'dead' AND id > ?", []any{after}
	if tenant != nil {
		where, args = where+" AND tenant_id = ?", append(args, *tenant)
	}
	if kind != "" {
		where, args = where+" AND kind = ?", append(args, kind)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+jobColumns+` FROM jobs WHERE `+where+` ORDER BY id LIMIT `+strconv.Itoa(limit)), args...)
	if err != nil {
		return nil, fmt.Errorf("jobs: list dead: %w", err)
	}
	defer rows.Close()
	out := []Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Retry implements Admin: the dead job is queued again, ready now, with
// its attempts counted from zero; its last error stays visible until the
// next failure. If a job with the same unique key has been enqueued since,
// that one does the work and the dead job is simply removed.
func (s *Store) Retry(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var state string
		var key sql.NullString
		err := tx.QueryRowContext(ctx, s.q(`SELECT state, unique_key FROM jobs WHERE id = ?`), id).Scan(&state, &key)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("Job")
		}
		if err != nil {
			return err
		}
		if state != string(Dead) {
			return apperr.Conflict("Job %s ist nicht fehlgeschlagen (Status %s)", id, state)
		}
		if key.Valid {
			var pending string
			err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM jobs WHERE unique_key = ? AND state <> 'dead'`), key.String).Scan(&pending)
			if err == nil {
				_, err = tx.ExecContext(ctx, s.q(`DELETE FROM jobs WHERE id = ?`), id)
				return err
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'queued', attempt = 0, run_at = ?, dead_at = NULL
WHERE id = ? AND state = 'dead'`), s.nowTS(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: retry %s: %w", id, err)
	}
	s.notify()
	return nil
}

// Discard implements Admin.
func (s *Store) Discard(ctx context.Context, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`DELETE FROM jobs WHERE id = ? AND state = 'dead'`), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var state string
		err = tx.QueryRowContext(ctx, s.q(`SELECT state FROM jobs WHERE id = ?`), id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.NotFound("Job")
		}
		if err != nil {
			return err
		}
		return apperr.Conflict("Job %s ist nicht fehlgeschlagen (Status %s)", id, state)
	})
	if err != nil {
		return fmt.Errorf("jobs: discard %s: %w", id, err)
	}
	return nil
}

// ---- runner side ----

// ready tells whether a job of kind is ready, without a write transaction:
// idle polling must not take the single SQLite writer's lock.
func (s *Store) ready(ctx context.Context, kind string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT 1 FROM jobs WHERE state = 'queued' AND kind = ? AND run_at <= ? LIMIT 1`),
		kind, s.nowTS()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// expired tells whether a lease ran out, without a write transaction.
func (s *Store) expired(ctx context.Context) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT 1 FROM jobs WHERE state = 'running' AND lease_until < ? LIMIT 1`),
		s.nowTS()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// claim leases up to n ready jobs of kind to token until leaseUntil.
func (s *Store) claim(ctx context.Context, kind string, n, defaultMax int, node, token string, leaseUntil time.Time) ([]*Job, error) {
	if ok, err := s.ready(ctx, kind); err != nil || !ok {
		return nil, err
	}
	var out []*Job
	err := s.write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, s.q(`UPDATE jobs SET state = 'running', attempt = attempt + 1,
    max_attempts = CASE WHEN max_attempts > 0 THEN max_attempts ELSE ? END,
    locked_by = ?, lease_token = ?, lease_until = ?
WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND kind = ? AND run_at <= ?
             ORDER BY run_at, id LIMIT `+strconv.Itoa(n)+s.skipLocked()+`)
RETURNING `+jobColumns), defaultMax, node, token, ts(leaseUntil), kind, s.nowTS())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return err
			}
			out = append(out, &j)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: claim %s: %w", kind, err)
	}
	return out, nil
}

// reap ends the leases that ran out (their node died or lost the database):
// the job is queued again, or dead if that was its last attempt.
func (s *Store) reap(ctx context.Context) (int64, error) {
	if found, err := s.expired(ctx); err != nil || !found {
		return 0, err
	}
	var total int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		total = 0
		now := s.nowTS()
		const msg = "lease expired: the node running the job stopped or lost the database"
		res, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'dead', dead_at = ?, last_error = ?,
    locked_by = NULL, lease_token = NULL, lease_until = NULL
WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until < ?
             AND max_attempts > 0 AND attempt >= max_attempts ORDER BY id`+s.skipLocked()+`)`), now, msg, now)
		if err != nil {
			return err
		}
		n1, _ := res.RowsAffected()
		res, err = tx.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?,
    locked_by = NULL, lease_token = NULL, lease_until = NULL
WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until < ? ORDER BY id`+s.skipLocked()+`)`), now, msg, now)
		if err != nil {
			return err
		}
		n2, _ := res.RowsAffected()
		total = n1 + n2
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("jobs: reap: %w", err)
	}
	return total, nil
}

// leased runs a statement on the job only while token still holds its
// lease; false means the lease was lost (reaped and maybe run elsewhere).
func (s *Store) leased(ctx context.Context, query string, args ...any) (bool, error) {
	var ok bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(query), args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

func (s *Store) extend(ctx context.Context, j *Job, token string, until time.Time) (bool, error) {
	return s.leased(ctx, `UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_token = ? AND state = 'running'`,
		ts(until), j.ID, token)
}

func (s *Store) complete(ctx context.Context, j *Job, token string) (bool, error) {
	return s.leased(ctx, `DELETE FROM jobs WHERE id = ? AND lease_token = ? AND state = 'running'`, j.ID, token)
}

func (s *Store) retryLater(ctx context.Context, j *Job, token string, runAt time.Time, msg string) (bool, error) {
	return s.leased(ctx, `UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?,
    locked_by = NULL, lease_token = NULL, lease_until = NULL
WHERE id = ? AND lease_token = ? AND state = 'running'`, ts(runAt), msg, j.ID, token)
}

func (s *Store) bury(ctx context.Context, j *Job, token, msg string) (bool, error) {
	return s.leased(ctx, `UPDATE jobs SET state = 'dead', dead_at = ?, last_error = ?,
    locked_by = NULL, lease_token = NULL, lease_until = NULL
WHERE id = ? AND lease_token = ? AND state = 'running'`, s.nowTS(), msg, j.ID, token)
}

// release hands a job back at shutdown: queued, ready now, and the
// interrupted attempt does not count.
func (s *Store) release(ctx context.Context, j *Job, token string) (bool, error) {
	return s.leased(ctx, `UPDATE jobs SET state = 'queued', attempt = attempt - 1, run_at = ?,
    locked_by = NULL, lease_token = NULL, lease_until = NULL
WHERE id = ? AND lease_token = ? AND state = 'running'`, s.nowTS(), j.ID, token)
}

// maxErrorLen bounds the stored error text (panics carry a stack).
const maxErrorLen = 4000

func errorText(err error) string {
	msg := err.Error()
	if len(msg) <= maxErrorLen {
		return msg
	}
	msg = msg[:maxErrorLen]
	for !utf8.ValidString(msg) {
		msg = msg[:len(msg)-1]
	}
	return msg + " …"
}
