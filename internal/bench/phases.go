package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"aktenwerk/internal/records"
)

// PhaseResult splits one upload into the service calls the HTTP handler
// makes, measured by calling the service directly with one client, in blocks
// that alternate with the raw baseline and the API blocks at one client.
type PhaseResult struct {
	Docs   int
	Phases []Latency // authenticate, check, store content, create Dokument
	Total  Latency
}

var phaseNames = []string{"authenticate (read tx)", "check Vorgang writable (read tx)", "store content (blob put, type detection)", "create Dokument (write tx, commit)"}

// phaseRunner uploads documents through the service directly, timing each call.
type phaseRunner struct {
	st        *stack
	vorgangID string
	ds        [][]time.Duration
	total     []time.Duration
}

func (st *stack) newPhaseRunner(vorgangID string) *phaseRunner {
	return &phaseRunner{st: st, vorgangID: vorgangID, ds: make([][]time.Duration, len(phaseNames))}
}

func (pr *phaseRunner) run(ctx context.Context, docs []document) error {
	st := pr.st
	for _, d := range docs {
		t0 := time.Now()
		p, err := st.svc.Authenticate(ctx, st.tfm.token)
		if err != nil {
			return err
		}
		t1 := time.Now()
		if err := st.svc.CheckVorgangWritable(ctx, p, pr.vorgangID); err != nil {
			return err
		}
		t2 := time.Now()
		c, err := st.svc.StoreContent(ctx, p, bytes.NewReader(d.content), d.name)
		if err != nil {
			return err
		}
		t3 := time.Now()
		if _, _, err := st.svc.CreateDokument(ctx, p, pr.vorgangID, records.NewDokument{Betreff: "Eingang " + d.name, Typ: "Eingang"}, c); err != nil {
			return err
		}
		t4 := time.Now()
		for k, d := range []time.Duration{t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3)} {
			pr.ds[k] = append(pr.ds[k], d)
		}
		pr.total = append(pr.total, t4.Sub(t0))
	}
	return nil
}

func (pr *phaseRunner) result() PhaseResult {
	res := PhaseResult{Docs: len(pr.total), Total: summarize("total", pr.total)}
	for k, name := range phaseNames {
		res.Phases = append(res.Phases, summarize(name, pr.ds[k]))
	}
	return res
}

// startProfile starts a CPU profile into ProfileDir/name.pprof, if asked.
func (st *stack) startProfile(name string) (func(), error) {
	if st.o.ProfileDir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(st.o.ProfileDir, 0o750); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(st.o.ProfileDir, name+".pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// walPosition returns PostgreSQL's current WAL position (bytes); 0 for
// SQLite.
func (st *stack) walPosition(ctx context.Context) int64 {
	if st.o.Backend != "postgres" {
		return 0
	}
	var n int64
	if err := st.db.Writer().QueryRowContext(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`).Scan(&n); err != nil {
		return 0
	}
	return n
}

func (st *stack) walSince(ctx context.Context, from int64) int64 {
	if from == 0 {
		return 0
	}
	return st.walPosition(ctx) - from
}
