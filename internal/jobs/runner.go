package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// KindOptions configure how a Runner runs one kind.
type KindOptions struct {
	// Concurrency is the number of jobs of this kind this runner runs at
	// once (default 1).
	Concurrency int
	// Timeout bounds one attempt (default 15 minutes). A handler that
	// ignores its context and has not returned a lease timeout after that is
	// abandoned: the attempt counts as failed and its slot is freed.
	Timeout time.Duration
	// MaxAttempts before a job becomes dead (default 10), unless the job
	// was enqueued with its own MaxAttempts.
	MaxAttempts int
	// Backoff gives the delay after failed attempt n (1, 2, …); default
	// DefaultBackoff.
	Backoff func(attempt int) time.Duration
}

// RunnerOptions configure a Runner.
type RunnerOptions struct {
	// Node names this runner in leases and logs (default host-pid-random).
	Node string
	// PollInterval is how often the database is asked for ready jobs
	// (default 1 s). Enqueues in this process wake the runner at once;
	// jobs enqueued on other nodes are found at the next poll.
	PollInterval time.Duration
	// LeaseTimeout is how long a job stays leased without a heartbeat
	// (default 1 min); the lease is extended every third of it while the
	// handler runs. It is how long a dead node's jobs wait for another node.
	LeaseTimeout time.Duration
	// ShutdownTimeout is how long Run waits, once its context ends, for
	// running jobs to finish (default 30 s). Then their contexts are
	// cancelled; jobs whose handlers return within another second give their
	// lease back (the attempt does not count); the rest are left to expire.
	ShutdownTimeout time.Duration
}

// Runner claims and runs jobs of the kinds it has handlers for.
type Runner struct {
	s *Store
	o RunnerOptions

	mu      sync.Mutex
	kinds   map[string]*kind
	started bool
}

type kind struct {
	name    string
	h       Handler
	o       KindOptions
	running atomic.Int32
}

// releaseGrace is how long Run waits, after cancelling the jobs at the
// shutdown deadline, for their handlers to return and give their lease back.
const releaseGrace = time.Second

// NewRunner returns a runner on s. Register handlers with Handle, then Run.
func (s *Store) NewRunner(o RunnerOptions) *Runner {
	if o.Node == "" {
		host, _ := os.Hostname()
		b := make([]byte, 3)
		_, _ = rand.Read(b)
		o.Node = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.LeaseTimeout <= 0 {
		o.LeaseTimeout = time.Minute
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = 30 * time.Second
	}
	return &Runner{s: s, o: o, kinds: map[string]*kind{}}
}

// Node is the runner's name in leases.
func (r *Runner) Node() string { return r.o.Node }

// Handle registers the handler of a kind. It must be called before Run.
func (r *Runner) Handle(kindName string, h Handler, o KindOptions) error {
	if err := validKind(kindName); err != nil {
		return err
	}
	if h == nil {
		return fmt.Errorf("jobs: handler for %s is nil", kindName)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 1
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.Backoff == nil {
		o.Backoff = DefaultBackoff
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return fmt.Errorf("jobs: Handle(%s) after Run", kindName)
	}
	if _, dup := r.kinds[kindName]; dup {
		return fmt.Errorf("jobs: two handlers for %s", kindName)
	}
	r.kinds[kindName] = &kind{name: kindName, h: h, o: o}
	return nil
}

var (
	errShutdown  = errors.New("runner shutting down")
	errLeaseLost = errors.New("lease lost")
	errTimeout   = errors.New("timeout")
)

// Run claims and runs jobs until ctx ends, then shuts down gracefully (see
// RunnerOptions.ShutdownTimeout) and returns nil. Errors talking to the
// database are logged and retried at the next poll; they do not end Run.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		return errors.New("jobs: runner already started")
	}
	r.started = true
	var kinds []*kind
	for _, k := range r.kinds {
		kinds = append(kinds, k)
	}
	r.mu.Unlock()
	if len(kinds) == 0 {
		return errors.New("jobs: runner without handlers")
	}
	slices.SortFunc(kinds, func(a, b *kind) int {
		if a.name < b.name {
			return -1
		}
		return 1
	})

	// Jobs run on their own context: the end of ctx starts the shutdown,
	// it does not cancel running jobs at once.
	jobsCtx, cancelJobs := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelJobs(errShutdown)
	stopped := make(chan struct{}) // closed when Run returns: abandon the rest
	freed := make(chan struct{}, 1)
	var wg sync.WaitGroup
	log := r.s.log.With("node", r.o.Node)

	poll := time.NewTimer(0)
	defer poll.Stop()
	var lastReap time.Time
	for ctx.Err() == nil {
		wake := r.s.wakeCh() // before looking, so that no enqueue is missed
		if time.Since(lastReap) >= r.o.PollInterval {
			lastReap = time.Now()
			if n, err := r.s.reap(ctx); err != nil && ctx.Err() == nil {
				log.Error("jobs: reap", "err", err)
			} else if n > 0 {
				log.Warn("jobs: expired leases taken back", "jobs", n)
			}
		}
		for _, k := range kinds {
			free := k.o.Concurrency - int(k.running.Load())
			if free <= 0 || ctx.Err() != nil {
				continue
			}
			token := r.o.Node + "/" + randomHex(8)
			claimed, err := r.s.claim(ctx, k.name, free, k.o.MaxAttempts, r.o.Node, token, r.s.now().Add(r.o.LeaseTimeout))
			if err != nil {
				if ctx.Err() == nil {
					log.Error("jobs: claim", "kind", k.name, "err", err)
				}
				continue
			}
			for _, j := range claimed {
				k.running.Add(1)
				wg.Add(1)
				go func() {
					defer wg.Done()
					r.work(jobsCtx, stopped, k, j, token)
					k.running.Add(-1)
					select {
					case freed <- struct{}{}:
					default:
					}
				}()
			}
		}
		poll.Reset(r.o.PollInterval)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-freed:
		case <-poll.C:
		}
	}

	// Shutdown: no more claims; wait for the running jobs, then cancel them
	// and wait a little for them to give their leases back.
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	deadline := time.NewTimer(r.o.ShutdownTimeout)
	defer deadline.Stop()
	select {
	case <-finished:
	case <-deadline.C:
		cancelJobs(errShutdown)
		grace := time.NewTimer(releaseGrace)
		defer grace.Stop()
		select {
		case <-finished:
		case <-grace.C:
			log.Warn("jobs: handlers did not return at shutdown; their leases will expire")
		}
	}
	close(stopped)
	return nil
}

type result struct{ err error }

// work runs one claimed job and records its outcome under its lease.
func (r *Runner) work(jobsCtx context.Context, stopped <-chan struct{}, k *kind, j *Job, token string) {
	log := r.s.log.With("node", r.o.Node, "kind", k.name, "job", j.ID, "attempt", j.Attempt)
	ctx, cancel := context.WithCancelCause(jobsCtx)
	defer cancel(nil)
	ctx, cancelTimeout := context.WithTimeoutCause(ctx, k.o.Timeout, errTimeout)
	defer cancelTimeout()

	// Heartbeat: extend the lease while the handler runs.
	hbDone := make(chan struct{})
	hbStopped := make(chan struct{})
	var stopOnce sync.Once
	stopHeartbeat := func() {
		stopOnce.Do(func() { close(hbDone); <-hbStopped })
	}
	defer stopHeartbeat()
	go func() { defer close(hbStopped); r.heartbeat(hbDone, cancel, j, token, log) }()

	res := make(chan result, 1)
	go func() {
		var err error
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
			res <- result{err}
		}()
		err = k.h(ctx, j)
	}()

	// A handler that ignores its context is abandoned a lease timeout after
	// its own timeout.
	abandon := time.NewTimer(k.o.Timeout + r.o.LeaseTimeout)
	defer abandon.Stop()
	var err error
	select {
	case out := <-res:
		err = out.err
	case <-abandon.C:
		err = fmt.Errorf("handler did not return within %v after its timeout of %v", r.o.LeaseTimeout, k.o.Timeout)
		log.Error("jobs: handler abandoned", "err", err)
	case <-stopped:
		return // Run returned at shutdown: the lease is left to expire
	}
	stopHeartbeat()

	// The outcome is written on a context of its own: the job's may be
	// cancelled already, and the write must not be lost to that.
	wctx, wcancel := context.WithTimeout(context.WithoutCancel(jobsCtx), 30*time.Second)
	defer wcancel()
	cause := context.Cause(ctx)
	var ok bool
	var werr error
	switch {
	case errors.Is(cause, errLeaseLost):
		log.Warn("jobs: lease lost; result discarded", "err", err)
		return
	case err == nil:
		ok, werr = r.write(wctx, func() (bool, error) { return r.s.complete(wctx, j, token) })
	case errors.Is(cause, errShutdown):
		ok, werr = r.write(wctx, func() (bool, error) { return r.s.release(wctx, j, token) })
		log.Info("jobs: lease returned at shutdown")
	default:
		if errors.Is(cause, errTimeout) {
			err = fmt.Errorf("timeout after %v: %w", k.o.Timeout, err)
		}
		msg := errorText(err)
		if IsPermanent(err) || j.Attempt >= j.MaxAttempts {
			log.Error("jobs: job failed for good", "err", err)
			ok, werr = r.write(wctx, func() (bool, error) { return r.s.bury(wctx, j, token, msg) })
		} else {
			delay := max(k.o.Backoff(j.Attempt), 0)
			log.Warn("jobs: attempt failed", "err", err, "retry_in", delay)
			ok, werr = r.write(wctx, func() (bool, error) {
				return r.s.retryLater(wctx, j, token, r.s.now().Add(delay), msg)
			})
			if ok && werr == nil {
				time.AfterFunc(delay, r.s.notify)
			}
		}
	}
	switch {
	case werr != nil:
		log.Error("jobs: outcome not recorded; the job will run again when its lease expires", "err", werr)
	case !ok:
		log.Warn("jobs: lease lost before the outcome was recorded; the job may run again")
	}
}

// write retries a lease write a few times: the database may be briefly away.
func (r *Runner) write(ctx context.Context, fn func() (bool, error)) (bool, error) {
	var err error
	for attempt := range 4 {
		var ok bool
		if ok, err = fn(); err == nil {
			return ok, nil
		}
		select {
		case <-ctx.Done():
			return false, err
		case <-time.After(time.Duration(1<<attempt) * 100 * time.Millisecond):
		}
	}
	return false, err
}

// heartbeat extends the lease every third of the lease timeout until done.
// If the lease is gone (reaped because heartbeats did not arrive in time) or
// cannot be extended before it runs out, the handler's context is cancelled.
func (r *Runner) heartbeat(done <-chan struct{}, cancel context.CancelCauseFunc, j *Job, token string, log *slog.Logger) {
	every := max(r.o.LeaseTimeout/3, time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	until := r.s.now().Add(r.o.LeaseTimeout)
	if j.LeaseUntil != nil {
		until = *j.LeaseUntil
	}
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		ctx, c := context.WithTimeout(context.Background(), every)
		next := r.s.now().Add(r.o.LeaseTimeout)
		ok, err := r.s.extend(ctx, j, token, next)
		c()
		switch {
		case err == nil && ok:
			until = next
		case err == nil && !ok:
			log.Warn("jobs: lease lost while running")
			cancel(errLeaseLost)
			return
		case !r.s.now().Before(until):
			log.Warn("jobs: lease could not be extended before it ran out", "err", err)
			cancel(errLeaseLost)
			return
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
