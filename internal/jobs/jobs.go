// Package jobs is the durable job queue of Aktenwerk: background work (text
// extraction, OCR, indexing, mail fetch, reminders, retention runs) is
// enqueued as a row in the database and run by a Runner on any node.
//
// Guarantees (see docs/jobs.md):
//   - A job survives restarts: it is a committed row until it succeeds.
//   - At least once: a job runs until its handler returns nil once. A node
//     that dies mid-job loses its lease and another node runs the job again,
//     so handlers must be idempotent.
//   - Never twice at the same time: a job is leased to one runner at a time;
//     the lease is extended while the handler runs, and a runner that lost
//     its lease cannot complete or fail the job any more.
//   - Failed attempts are retried with exponential backoff and jitter up to
//     the kind's MaxAttempts; then the job becomes a dead letter with its
//     last error, until an admin retries or discards it.
//
// Callers see only Queue (and Admin for the admin page); the tables and SQL
// are this package's business.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"time"
)

// Queue enqueues background work. It is the only thing producers (upload,
// intake, search) need to know about jobs.
type Queue interface {
	// Enqueue stores a job of kind with payload (JSON-encoded) and returns
	// its id. With Unique(key), enqueueing while a job with that key is
	// queued or running is a no-op that returns the pending job's id.
	Enqueue(ctx context.Context, kind string, payload any, opts ...Option) (id string, err error)
}

// Admin is what the admin page needs: counts, the dead-letter list and the
// two things an admin can do with a dead job.
type Admin interface {
	// Stats counts the jobs per kind and state.
	Stats(ctx context.Context) ([]KindStats, error)
	// ListDead lists dead jobs (of kind, or all kinds when kind is ""),
	// in id (= enqueue) order, starting after the id after.
	ListDead(ctx context.Context, kind, after string, limit int) ([]Job, error)
	// Get returns one job that has not succeeded yet.
	Get(ctx context.Context, id string) (Job, error)
	// Retry puts a dead job back into the queue with fresh attempts.
	Retry(ctx context.Context, id string) error
	// Discard deletes a dead job.
	Discard(ctx context.Context, id string) error
}

// State of a job. A job that succeeded is deleted and has no state.
type State string

const (
	// Queued jobs wait for RunAt; after a failed attempt Attempt > 0.
	Queued State = "queued"
	// Running jobs are leased by a runner (LockedBy) until LeaseUntil.
	Running State = "running"
	// Dead jobs used up their attempts (or failed permanently).
	Dead State = "dead"
)

// Job is one unit of work as stored.
type Job struct {
	ID   string
	Kind string
	// TenantID is the tenant the job works for ("" = the installation).
	TenantID  string
	Payload   json.RawMessage
	UniqueKey string
	State     State
	// Attempt counts the attempts started so far; in a handler it is the
	// number of the current attempt (1 for the first).
	Attempt int
	// MaxAttempts is the job's own limit; 0 before the first attempt means
	// "the kind's default".
	MaxAttempts int
	RunAt       time.Time
	CreatedAt   time.Time
	// LockedBy names the node that holds the lease of a running job.
	LockedBy   string
	LeaseUntil *time.Time
	// LastError is the error of the latest failed attempt.
	LastError string
	DeadAt    *time.Time
}

// Decode unmarshals the payload into v.
func (j *Job) Decode(v any) error { return json.Unmarshal(j.Payload, v) }

// KindStats counts the jobs of one kind.
type KindStats struct {
	Kind string `json:"kind"`
	// Queued jobs have not been attempted yet (or were retried by an admin).
	Queued int `json:"queued"`
	// Failed jobs failed at least once and wait for their next attempt.
	Failed  int `json:"failed"`
	Running int `json:"running"`
	Dead    int `json:"dead"`
}

// Option changes one enqueue.
type Option func(*enqueueOptions)

type enqueueOptions struct {
	tenant      string
	key         string
	delay       time.Duration
	at          time.Time
	maxAttempts int
}

// Unique makes the enqueue idempotent: while a job with key is queued or
// running, another enqueue with the same key does nothing and returns the
// pending job's id. Keys are global: start them with the kind
// ("extract:<dokument-id>:<version>"). A dead job does not hold its key.
func Unique(key string) Option { return func(o *enqueueOptions) { o.key = key } }

// Tenant records the tenant the job works for, so that the tenant's
// administrators see it (StatsOf, ListDeadOf).
func Tenant(id string) Option { return func(o *enqueueOptions) { o.tenant = id } }

// Delay runs the job no earlier than d from now.
func Delay(d time.Duration) Option { return func(o *enqueueOptions) { o.delay = d } }

// At runs the job no earlier than t.
func At(t time.Time) Option { return func(o *enqueueOptions) { o.at = t } }

// MaxAttempts overrides the kind's MaxAttempts for this job.
func MaxAttempts(n int) Option { return func(o *enqueueOptions) { o.maxAttempts = n } }

// Handler does the work of one job. Returning nil completes (deletes) the
// job; an error (or a panic) fails this attempt. ctx ends at the kind's
// timeout, when the runner shuts down, or when the lease was lost.
type Handler func(ctx context.Context, job *Job) error

// Permanent marks an error after which retrying is pointless (a corrupt or
// encrypted PDF, a payload that cannot be decoded): the job becomes dead at
// once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// ExponentialBackoff returns a backoff of base·2^(attempt-1), capped at
// max, with "equal jitter": a random duration between half of that and all
// of it, so that jobs that failed together do not retry together.
func ExponentialBackoff(base, max time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < max; i++ {
			d *= 2
		}
		d = min(d, max)
		if d <= 1 {
			return d
		}
		half := d / 2
		return half + rand.N(d-half+1)
	}
}

// DefaultBackoff: 1 s, 2 s, 4 s, … capped at one hour, with jitter.
var DefaultBackoff = ExponentialBackoff(time.Second, time.Hour)
