package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/store/sqldb"
	"aktenwerk/internal/store/storetest"
)

// Every test runs on each backend, on real databases. No test asserts a
// duration: waits are bounded only to turn a hang into a failure.

func each(t *testing.T, fn func(t *testing.T, open func() *sqldb.DB)) {
	for _, b := range storetest.SharedBackends(t) {
		t.Run(b.Name, func(t *testing.T) { fn(t, b.New(t)) })
	}
}

// clock is a settable clock for the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 15, 9, 30, 0, 123456789, time.UTC)} }

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testLog writes to the test's output until the test ends (a handler left
// hanging may log later; that is dropped).
type testLog struct {
	mu   sync.Mutex
	w    io.Writer
	done bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return len(p), nil
	}
	return l.w.Write(p)
}

func newStore(t *testing.T, db *sqldb.DB, now func() time.Time) *jobs.Store {
	t.Helper()
	tl := &testLog{w: t.Output()}
	t.Cleanup(func() { tl.mu.Lock(); tl.done = true; tl.mu.Unlock() })
	s, err := jobs.New(db, jobs.Options{Now: now, Logger: slog.New(slog.NewTextHandler(tl, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type kindSpec struct {
	h jobs.Handler
	o jobs.KindOptions
}

// start runs a runner with handlers until the returned stop is called (or
// the test ends); stop waits for Run to return.
func start(t *testing.T, s *jobs.Store, o jobs.RunnerOptions, kinds map[string]kindSpec) (stop func()) {
	t.Helper()
	if o.PollInterval == 0 {
		o.PollInterval = 10 * time.Millisecond
	}
	r := s.NewRunner(o)
	for name, k := range kinds {
		if err := r.Handle(name, k.h, k.o); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// eventually waits until cond holds; the bound only turns a hang into a failure.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func gone(t *testing.T, s *jobs.Store, id string) bool {
	t.Helper()
	_, err := s.Get(context.Background(), id)
	if err == nil {
		return false
	}
	if apperr.KindOf(err) != apperr.KindNotFound {
		t.Fatal(err)
	}
	return true
}

func stats(t *testing.T, s *jobs.Store) map[string]jobs.KindStats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]jobs.KindStats{}
	for _, k := range st {
		m[k.Kind] = k
	}
	return m
}

func noBackoff(int) time.Duration { return 0 }

type extract struct {
	Dokument string `json:"dokument"`
	Version  int    `json:"version"`
	Fail     bool   `json:"fail,omitempty"`
}

func TestEnqueueAndRun(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)
		got := make(chan extract, 1)
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{
			"extract": {h: func(ctx context.Context, j *jobs.Job) error {
				var p extract
				if err := j.Decode(&p); err != nil {
					return err
				}
				if j.Attempt != 1 || j.Kind != "extract" {
					return fmt.Errorf("unexpected job %+v", j)
				}
				got <- p
				return nil
			}},
		})
		id := must[string](t)(s.Enqueue(ctx, "extract", extract{Dokument: "d1", Version: 2}))
		select {
		case p := <-got:
			if p != (extract{Dokument: "d1", Version: 2}) {
				t.Fatalf("payload %+v", p)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("job did not run")
		}
		eventually(t, "job deleted after success", func() bool { return gone(t, s, id) })
		if st := stats(t, s); len(st) != 0 {
			t.Fatalf("stats after success: %+v", st)
		}

		// bad input changes nothing
		if _, err := s.Enqueue(ctx, "", nil); apperr.KindOf(err) != apperr.KindInvalid {
			t.Fatalf("empty kind: %v", err)
		}
		if _, err := s.Enqueue(ctx, "ex tract", nil); apperr.KindOf(err) != apperr.KindInvalid {
			t.Fatalf("kind with space: %v", err)
		}
		if _, err := s.Enqueue(ctx, "extract", make(chan int)); apperr.KindOf(err) != apperr.KindInvalid {
			t.Fatalf("payload that is no JSON: %v", err)
		}
		if st := stats(t, s); len(st) != 0 {
			t.Fatalf("stats after bad input: %+v", st)
		}
	})
}

func TestRetryWithBackoffThenSuccess(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		clk := newClock()
		s := newStore(t, open(), clk.Now)
		var calls atomic.Int32
		lastErrSeen := make(chan string, 1)
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{
			"ocr": {o: jobs.KindOptions{MaxAttempts: 5, Backoff: func(n int) time.Duration { return time.Duration(n) * time.Minute }},
				h: func(ctx context.Context, j *jobs.Job) error {
					calls.Add(1)
					if j.Attempt < 3 {
						return fmt.Errorf("boom %d", j.Attempt)
					}
					lastErrSeen <- j.LastError
					return nil
				}},
		})
		id := must[string](t)(s.Enqueue(ctx, "ocr", map[string]string{"dokument": "d7"}))
		for attempt := 1; attempt <= 2; attempt++ {
			var j jobs.Job
			eventually(t, fmt.Sprintf("attempt %d failed and waits", attempt), func() bool {
				j = must[jobs.Job](t)(s.Get(ctx, id))
				return j.State == jobs.Queued && j.Attempt == attempt
			})
			if want := clk.Now().Add(time.Duration(attempt) * time.Minute); !j.RunAt.Equal(want.Truncate(time.Microsecond)) {
				t.Fatalf("attempt %d: run_at %v, want %v (backoff)", attempt, j.RunAt, want)
			}
			if j.LastError != fmt.Sprintf("boom %d", attempt) || j.MaxAttempts != 5 {
				t.Fatalf("attempt %d: %+v", attempt, j)
			}
			if st := stats(t, s)["ocr"]; st.Failed != 1 || st.Queued != 0 {
				t.Fatalf("stats while waiting for a retry: %+v", st)
			}
			if n := calls.Load(); n != int32(attempt) {
				t.Fatalf("ran %d times before its backoff ended, want %d", n, attempt)
			}
			clk.Advance(time.Duration(attempt) * time.Minute)
		}
		select {
		case e := <-lastErrSeen:
			if e != "boom 2" {
				t.Fatalf("third attempt saw last error %q", e)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("third attempt did not run")
		}
		eventually(t, "job deleted", func() bool { return gone(t, s, id) })
		if n := calls.Load(); n != 3 {
			t.Fatalf("handler ran %d times, want 3", n)
		}
	})
}

func TestDeadLetterAndRetry(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)
		var fail atomic.Bool
		fail.Store(true)
		var calls atomic.Int32
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{
			"index": {o: jobs.KindOptions{MaxAttempts: 3, Backoff: noBackoff},
				h: func(ctx context.Context, j *jobs.Job) error {
					calls.Add(1)
					if fail.Load() {
						return fmt.Errorf("boom %d", j.Attempt)
					}
					return nil
				}},
			"mail": {h: func(ctx context.Context, j *jobs.Job) error {
				return jobs.Permanent(errors.New("keine gültige E-Mail"))
			}},
		})
		id := must[string](t)(s.Enqueue(ctx, "index", "d1"))
		var dead []jobs.Job
		eventually(t, "job dead after 3 attempts", func() bool {
			dead = must[[]jobs.Job](t)(s.ListDead(ctx, "index", "", 10))
			return len(dead) == 1
		})
		d := dead[0]
		if d.ID != id || d.State != jobs.Dead || d.Attempt != 3 || d.LastError != "boom 3" || d.DeadAt == nil || string(d.Payload) != `"d1"` {
			t.Fatalf("dead job: %+v", d)
		}
		if n := calls.Load(); n != 3 {
			t.Fatalf("handler ran %d times, want 3", n)
		}
		if st := stats(t, s)["index"]; st != (jobs.KindStats{Kind: "index", Dead: 1}) {
			t.Fatalf("stats: %+v", st)
		}

		// Retry from the dead-letter list: fresh attempts, runs, succeeds.
		fail.Store(false)
		if err := s.Retry(ctx, id); err != nil {
			t.Fatal(err)
		}
		eventually(t, "retried job succeeds", func() bool { return gone(t, s, id) })
		if n := calls.Load(); n != 4 {
			t.Fatalf("handler ran %d times, want 4", n)
		}

		// A permanent error is dead after one attempt; Discard removes it.
		mid := must[string](t)(s.Enqueue(ctx, "mail", nil))
		eventually(t, "permanent failure dead", func() bool {
			j, err := s.Get(ctx, mid)
			return err == nil && j.State == jobs.Dead
		})
		if j := must[jobs.Job](t)(s.Get(ctx, mid)); j.Attempt != 1 || j.LastError != "keine gültige E-Mail" {
			t.Fatalf("permanent failure: %+v", j)
		}
		all := must[[]jobs.Job](t)(s.ListDead(ctx, "", "", 10))
		if len(all) != 1 || all[0].ID != mid {
			t.Fatalf("dead list of all kinds: %+v", all)
		}
		// per tenant: a tenant's administrators see their own jobs only
		tid := must[string](t)(s.Enqueue(ctx, "mail", nil, jobs.Tenant("TENANT-A")))
		eventually(t, "tenant job dead", func() bool { j, err := s.Get(ctx, tid); return err == nil && j.State == jobs.Dead })
		if l := must[[]jobs.Job](t)(s.ListDeadOf(ctx, "TENANT-A", "", "", 10)); len(l) != 1 || l[0].ID != tid || l[0].TenantID != "TENANT-A" {
			t.Fatalf("dead list of tenant A: %+v", l)
		}
		if l := must[[]jobs.Job](t)(s.ListDeadOf(ctx, "TENANT-B", "mail", "", 10)); len(l) != 0 {
			t.Fatalf("dead list of tenant B: %+v", l)
		}
		if st := must[[]jobs.KindStats](t)(s.StatsOf(ctx, "TENANT-A")); len(st) != 1 || st[0] != (jobs.KindStats{Kind: "mail", Dead: 1}) {
			t.Fatalf("stats of tenant A: %+v", st)
		}
		if err := s.Discard(ctx, tid); err != nil {
			t.Fatal(err)
		}
		if err := s.Discard(ctx, mid); err != nil {
			t.Fatal(err)
		}
		if !gone(t, s, mid) {
			t.Fatal("discarded job still there")
		}

		// Errors for the admin page.
		if err := s.Retry(ctx, mid); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("retry of unknown job: %v", err)
		}
		if err := s.Discard(ctx, "nope"); apperr.KindOf(err) != apperr.KindNotFound {
			t.Fatalf("discard of unknown job: %v", err)
		}
		pending := must[string](t)(s.Enqueue(ctx, "ohne-handler", nil))
		if err := s.Retry(ctx, pending); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("retry of a queued job: %v", err)
		}
		if err := s.Discard(ctx, pending); apperr.KindOf(err) != apperr.KindConflict {
			t.Fatalf("discard of a queued job: %v", err)
		}
	})
}

func TestUniqueKey(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)
		key := "extract:d1:2"
		id := must[string](t)(s.Enqueue(ctx, "extract", extract{"d1", 2, false}, jobs.Unique(key)))
		if again := must[string](t)(s.Enqueue(ctx, "extract", extract{"d1", 2, false}, jobs.Unique(key))); again != id {
			t.Fatalf("second enqueue with the key: %s, want %s", again, id)
		}
		// concurrent enqueues with one key: one job
		var wg sync.WaitGroup
		ids := make([]string, 8)
		for i := range ids {
			wg.Go(func() {
				var err error
				ids[i], err = s.Enqueue(ctx, "extract", extract{"d9", 1, false}, jobs.Unique("extract:d9:1"))
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, x := range ids {
			if x != ids[0] {
				t.Fatalf("concurrent enqueues with one key gave ids %v", ids)
			}
		}
		if st := stats(t, s)["extract"]; st.Queued != 2 {
			t.Fatalf("stats: %+v", st)
		}

		// once the job is done, the key is free again
		var runs atomic.Int32
		stop := start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{
			"extract": {o: jobs.KindOptions{Backoff: noBackoff}, h: func(ctx context.Context, j *jobs.Job) error {
				runs.Add(1)
				var p extract
				if err := j.Decode(&p); err != nil {
					return jobs.Permanent(err)
				}
				if p.Fail {
					return jobs.Permanent(errors.New("kaputt"))
				}
				return nil
			}},
		})
		eventually(t, "both jobs ran", func() bool { return gone(t, s, id) && gone(t, s, ids[0]) })
		if n := runs.Load(); n != 2 {
			t.Fatalf("ran %d jobs, want 2", n)
		}
		id2 := must[string](t)(s.Enqueue(ctx, "extract", extract{"d1", 2, false}, jobs.Unique(key)))
		if id2 == id {
			t.Fatal("key still held after the job succeeded")
		}
		eventually(t, "third job ran", func() bool { return gone(t, s, id2) })

		// a dead job does not hold its key; retrying it while another job
		// with the key is pending just removes it
		deadID := must[string](t)(s.Enqueue(ctx, "extract", extract{"d2", 1, true}, jobs.Unique("extract:d2:1")))
		eventually(t, "job dead", func() bool {
			j, err := s.Get(ctx, deadID)
			return err == nil && j.State == jobs.Dead
		})
		stop()
		fresh := must[string](t)(s.Enqueue(ctx, "extract", extract{"d2", 1, false}, jobs.Unique("extract:d2:1")))
		if fresh == deadID {
			t.Fatal("dead job still holds its key")
		}
		if err := s.Retry(ctx, deadID); err != nil {
			t.Fatal(err)
		}
		if !gone(t, s, deadID) {
			t.Fatal("retried dead job with a pending twin still there")
		}
		if j := must[jobs.Job](t)(s.Get(ctx, fresh)); j.State != jobs.Queued {
			t.Fatalf("pending twin: %+v", j)
		}
	})
}

// Two nodes (two stores on one database, each with a runner) work through
// one queue; every job runs exactly once.
func TestTwoNodesRunEachJobOnce(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		nodes := []*jobs.Store{newStore(t, open(), nil), newStore(t, open(), nil)}
		const n = 200
		var mu sync.Mutex
		runs := map[string]int{}
		byNode := map[string]int{}
		var total atomic.Int32
		handler := func(node string) jobs.Handler {
			return func(ctx context.Context, j *jobs.Job) error {
				mu.Lock()
				runs[j.ID]++
				byNode[node]++
				mu.Unlock()
				total.Add(1)
				time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond) // spread the claims
				return nil
			}
		}
		var stops []func()
		for i, s := range nodes {
			node := fmt.Sprintf("node%d", i+1)
			stops = append(stops, start(t, s, jobs.RunnerOptions{Node: node}, map[string]kindSpec{
				"index": {h: handler(node), o: jobs.KindOptions{Concurrency: 4}},
				"ocr":   {h: handler(node), o: jobs.KindOptions{Concurrency: 2}},
			}))
		}
		want := map[string]bool{}
		for i := range n {
			kind := "index"
			if i%3 == 0 {
				kind = "ocr"
			}
			want[must[string](t)(nodes[i%2].Enqueue(ctx, kind, i))] = true
		}
		eventually(t, "all jobs ran", func() bool { return total.Load() >= n && len(stats(t, nodes[0])) == 0 })
		for _, stop := range stops {
			stop()
		}
		mu.Lock()
		defer mu.Unlock()
		if len(runs) != n {
			t.Fatalf("%d distinct jobs ran, want %d", len(runs), n)
		}
		for id, c := range runs {
			if !want[id] || c != 1 {
				t.Fatalf("job %s ran %d times (enqueued: %v)", id, c, want[id])
			}
		}
		t.Logf("jobs per node: %v", byNode)
	})
}

// A node that stops without giving its lease back (its handler hangs and
// ignores the context, as in a crash): once the lease has run out, another
// node takes the job over; a job on its last attempt becomes dead.
func TestKilledRunnerJobTakenOver(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		clk := newClock()
		a, b := newStore(t, open(), clk.Now), newStore(t, open(), clk.Now)
		hang := make(chan struct{})
		defer close(hang)
		var started atomic.Int32
		stopA := start(t, a, jobs.RunnerOptions{Node: "A", LeaseTimeout: time.Hour, ShutdownTimeout: time.Millisecond},
			map[string]kindSpec{"fetch": {o: jobs.KindOptions{Concurrency: 2}, h: func(ctx context.Context, j *jobs.Job) error {
				started.Add(1)
				<-hang // a dead node: never returns, never heartbeats again
				return nil
			}}})
		id := must[string](t)(a.Enqueue(ctx, "fetch", "postfach"))
		last := must[string](t)(a.Enqueue(ctx, "fetch", "letzter Versuch", jobs.MaxAttempts(1)))
		eventually(t, "node A runs both jobs", func() bool { return started.Load() == 2 })
		stopA() // returns without the lease: the handlers did not return
		for _, x := range []string{id, last} {
			if j := must[jobs.Job](t)(b.Get(ctx, x)); j.State != jobs.Running || j.LockedBy != "A" || j.Attempt != 1 {
				t.Fatalf("after node A stopped: %+v", j)
			}
		}

		took := make(chan *jobs.Job, 1)
		start(t, b, jobs.RunnerOptions{Node: "B", LeaseTimeout: time.Hour},
			map[string]kindSpec{"fetch": {h: func(ctx context.Context, j *jobs.Job) error {
				took <- j
				return nil
			}}})
		// B polls while A's lease is valid and must leave the job alone;
		// the check below only looks after the lease ran out.
		clk.Advance(time.Hour + time.Second)
		select {
		case j := <-took:
			if j.ID != id || j.Attempt != 2 || !strings.Contains(j.LastError, "lease expired") {
				t.Fatalf("taken over: %+v", j)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("node B did not take the job over")
		}
		eventually(t, "job done on B", func() bool { return gone(t, b, id) })
		j := must[jobs.Job](t)(b.Get(ctx, last))
		if j.State != jobs.Dead || !strings.Contains(j.LastError, "lease expired") {
			t.Fatalf("job on its last attempt: %+v", j)
		}
		if len(took) != 0 {
			t.Fatal("a job ran twice on B")
		}
	})
}

// While a handler works past its first lease, heartbeats keep the lease, so
// a second node polling all the time never takes the job.
func TestHeartbeatKeepsLease(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		a, b := newStore(t, open(), nil), newStore(t, open(), nil)
		const lease = 2 * time.Second
		var runs atomic.Int32
		var extended atomic.Bool
		h := func(ctx context.Context, j *jobs.Job) error {
			runs.Add(1)
			first := *j.LeaseUntil
			// work until the first lease is well over
			for time.Now().Before(first.Add(lease / 2)) {
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(20 * time.Millisecond):
				}
			}
			cur, err := a.Get(ctx, j.ID)
			if err != nil {
				return err
			}
			extended.Store(cur.LeaseUntil != nil && cur.LeaseUntil.After(first))
			return nil
		}
		for _, s := range []*jobs.Store{a, b} {
			start(t, s, jobs.RunnerOptions{LeaseTimeout: lease}, map[string]kindSpec{"ocr": {h: h}})
		}
		id := must[string](t)(a.Enqueue(ctx, "ocr", nil))
		eventually(t, "job done", func() bool { return gone(t, a, id) })
		if n := runs.Load(); n != 1 || !extended.Load() {
			t.Fatalf("runs %d, lease extended %v", n, extended.Load())
		}
	})
}

func TestRestartSurvival(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		clk := newClock()
		db := open()
		s := newStore(t, db, clk.Now)
		ids := []string{
			must[string](t)(s.Enqueue(ctx, "index", "a")),
			must[string](t)(s.Enqueue(ctx, "index", "b", jobs.Unique("index:b"))),
			must[string](t)(s.Enqueue(ctx, "index", "c", jobs.Delay(time.Hour))),
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		s = newStore(t, open(), clk.Now) // the node comes back
		if st := stats(t, s)["index"]; st.Queued != 3 {
			t.Fatalf("after restart: %+v", st)
		}
		if again := must[string](t)(s.Enqueue(ctx, "index", "b", jobs.Unique("index:b"))); again != ids[1] {
			t.Fatal("unique key lost in the restart")
		}
		var mu sync.Mutex
		var seen []string
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{"index": {h: func(ctx context.Context, j *jobs.Job) error {
			var p string
			if err := j.Decode(&p); err != nil {
				return err
			}
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
			return nil
		}}})
		eventually(t, "ready jobs ran", func() bool { return gone(t, s, ids[0]) && gone(t, s, ids[1]) })
		if j := must[jobs.Job](t)(s.Get(ctx, ids[2])); j.State != jobs.Queued {
			t.Fatalf("delayed job: %+v", j)
		}
		clk.Advance(time.Hour)
		eventually(t, "delayed job ran", func() bool { return gone(t, s, ids[2]) })
		mu.Lock()
		defer mu.Unlock()
		if strings.Join(seen[:2], "") != "ab" && strings.Join(seen[:2], "") != "ba" || seen[2] != "c" || len(seen) != 3 {
			t.Fatalf("ran %v", seen)
		}
	})
}

func TestPanicIsAFailedAttempt(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)
		second := make(chan string, 1)
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{"ocr": {o: jobs.KindOptions{Backoff: noBackoff},
			h: func(ctx context.Context, j *jobs.Job) error {
				if j.Attempt == 1 {
					panic("kaputt")
				}
				second <- j.LastError
				return nil
			}}})
		id := must[string](t)(s.Enqueue(ctx, "ocr", nil))
		select {
		case e := <-second:
			if !strings.HasPrefix(e, "panic: kaputt") {
				t.Fatalf("last error after a panic: %q", e)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("no second attempt after the panic")
		}
		eventually(t, "job done", func() bool { return gone(t, s, id) })
		// the runner is still alive
		id2 := must[string](t)(s.Enqueue(ctx, "ocr", nil))
		<-second
		eventually(t, "next job done", func() bool { return gone(t, s, id2) })
	})
}

func TestTimeoutIsAFailedAttempt(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)
		start(t, s, jobs.RunnerOptions{}, map[string]kindSpec{"ocr": {o: jobs.KindOptions{Timeout: 20 * time.Millisecond, MaxAttempts: 1},
			h: func(ctx context.Context, j *jobs.Job) error {
				<-ctx.Done()
				return ctx.Err()
			}}})
		id := must[string](t)(s.Enqueue(ctx, "ocr", nil))
		var j jobs.Job
		eventually(t, "job dead", func() bool {
			j = must[jobs.Job](t)(s.Get(ctx, id))
			return j.State == jobs.Dead
		})
		if !strings.HasPrefix(j.LastError, "timeout after 20ms") {
			t.Fatalf("last error: %q", j.LastError)
		}
	})
}

func TestGracefulShutdown(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, open(), nil)

		// A job running when shutdown begins is waited for and completed.
		running, finish := make(chan struct{}), make(chan struct{})
		stop := start(t, s, jobs.RunnerOptions{ShutdownTimeout: time.Minute}, map[string]kindSpec{"index": {
			h: func(ctx context.Context, j *jobs.Job) error {
				close(running)
				<-finish
				return ctx.Err() // nil: not cancelled during the graceful wait
			}}})
		id := must[string](t)(s.Enqueue(ctx, "index", nil))
		<-running
		stopped := make(chan struct{})
		go func() { stop(); close(stopped) }()
		time.Sleep(50 * time.Millisecond) // give a wrong runner the chance to return early
		select {
		case <-stopped:
			t.Fatal("Run returned while a job was running")
		default:
		}
		close(finish)
		<-stopped
		if !gone(t, s, id) {
			t.Fatal("job finished during shutdown was not completed")
		}

		// A job still running at the deadline is cancelled and hands its
		// lease back: queued again, the interrupted attempt not counted.
		running2 := make(chan struct{})
		stop = start(t, s, jobs.RunnerOptions{ShutdownTimeout: time.Millisecond}, map[string]kindSpec{"index": {
			h: func(ctx context.Context, j *jobs.Job) error {
				close(running2)
				<-ctx.Done()
				return ctx.Err()
			}}})
		id = must[string](t)(s.Enqueue(ctx, "index", nil))
		<-running2
		stop()
		var j jobs.Job
		eventually(t, "lease returned", func() bool {
			j = must[jobs.Job](t)(s.Get(ctx, id))
			return j.State == jobs.Queued
		})
		if j.Attempt != 0 || j.LockedBy != "" || j.LeaseUntil != nil || j.LastError != "" {
			t.Fatalf("after shutdown: %+v", j)
		}
	})
}

// A job enqueued in a transaction exists exactly when the transaction
// commits.
func TestEnqueueTx(t *testing.T) {
	each(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := context.Background()
		db := open()
		s := newStore(t, db, nil)
		for _, commit := range []bool{false, true} {
			tx, err := db.Writer().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.EnqueueTx(ctx, tx, "index", "d1", jobs.Unique("index:d1")); err != nil {
				t.Fatal(err)
			}
			if commit {
				err = tx.Commit()
			} else {
				err = tx.Rollback()
			}
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if commit {
				want = 1
			}
			if st := stats(t, s)["index"]; st.Queued != want {
				t.Fatalf("commit %v: %+v", commit, st)
			}
		}
	})
}

func TestRunnerMisuse(t *testing.T) {
	db := storetest.OpenSQLite(t)
	s := newStore(t, db, nil)
	r := s.NewRunner(jobs.RunnerOptions{})
	h := func(context.Context, *jobs.Job) error { return nil }
	if err := r.Handle("x", h, jobs.KindOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Handle("x", h, jobs.KindOptions{}); err == nil {
		t.Fatal("two handlers for one kind accepted")
	}
	if err := r.Handle("", h, jobs.KindOptions{}); err == nil {
		t.Fatal("empty kind accepted")
	}
	if err := s.NewRunner(jobs.RunnerOptions{}).Run(context.Background()); err == nil {
		t.Fatal("runner without handlers started")
	}
}

func TestExponentialBackoff(t *testing.T) {
	b := jobs.ExponentialBackoff(time.Second, time.Minute)
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 7: time.Minute, 40: time.Minute} {
		for range 50 {
			if d := b(attempt); d < want/2 || d > want {
				t.Fatalf("attempt %d: %v not in [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}
