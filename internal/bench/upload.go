package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// UploadResult is one upload run through the API and the raw baseline run
// with the same documents and the same concurrency.
type UploadResult struct {
	Concurrency int
	Docs        int
	DocSize     int
	Elapsed     time.Duration
	DocsPerSec  float64
	Latency     Latency       // per upload request
	CPUPerDoc   time.Duration // CPU time of this process (server and client) per document
	WALPerDoc   int64         // PostgreSQL: WAL bytes written per document (whole cluster)
	Raw         RawResult
	Ratio       float64 // DocsPerSec / Raw.DocsPerSec
}

// RawResult is the raw baseline: per document, write the bytes to a new
// file, fsync it, rename it into place, fsync the directory, then INSERT one
// comparable row in its own committed transaction.
type RawResult struct {
	Elapsed    time.Duration
	DocsPerSec float64
	Latency    Latency
	FileMean   time.Duration // write + fsync + rename + fsync(dir)
	InsertMean time.Duration // BEGIN; INSERT; COMMIT
	CPUPerDoc  time.Duration
	WALPerDoc  int64
}

const rawTable = `CREATE TABLE bench_raw (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    mime_type  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
)`

// uploadBlock is the number of documents per alternating raw/API block.
const uploadBlock = 50

// document is one prepared upload.
type document struct {
	content  []byte
	sha      string
	name     string
	body     []byte // multipart request body
	boundary string
}

// makeDocs prepares n distinct documents (a PDF signature followed by random
// bytes, so that content detection sees a PDF and deduplication never hits).
func (st *stack) makeDocs(n int, tag string) ([]document, error) {
	docs := make([]document, n)
	for i := range docs {
		c := make([]byte, st.o.DocSize)
		copy(c, "%PDF-1.7\n%")
		st.rnd.bytes(c[10:])
		sum := sha256.Sum256(c)
		d := document{content: c, sha: hex.EncodeToString(sum[:]), name: fmt.Sprintf("eingang-%s-%06d.pdf", tag, i)}
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("betreff", fmt.Sprintf("Eingang %s Nr. %d", tag, i))
		_ = mw.WriteField("typ", "Eingang")
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, d.name))
		h.Set("Content-Type", "application/pdf")
		pw, err := mw.CreatePart(h)
		if err != nil {
			return nil, err
		}
		pw.Write(c)
		if err := mw.Close(); err != nil {
			return nil, err
		}
		d.body, d.boundary = b.Bytes(), mw.FormDataContentType()
		docs[i] = d
	}
	return docs, nil
}

// parallel runs op(0..n-1) on c workers and returns the wall time and each
// operation's duration.
func parallel(ctx context.Context, n, c int, op func(ctx context.Context, i int) error) (time.Duration, []time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := op(ctx, i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	return time.Since(start), lat, firstErr
}

func (st *stack) uploadBench(ctx context.Context, log io.Writer) ([]UploadResult, PhaseResult, error) {
	akte, err := st.createAkte(ctx, &st.tfm, 6, "Lastmessung: Posteingang Digitalisierung")
	if err != nil {
		return nil, PhaseResult{}, err
	}
	vg, err := st.svc.CreateVorgang(ctx, st.tfm.principal, akte.ID, "Posteingang Lastmessung", nil)
	if err != nil {
		return nil, PhaseResult{}, err
	}
	path := "/api/v1/vorgaenge/" + vg.ID + "/dokumente"
	upload := func(ctx context.Context, d document) error {
		status, body, _, err := st.post(ctx, st.tfm.token, path, d.boundary, d.body)
		if err != nil {
			return err
		}
		if status != http.StatusCreated {
			return fmt.Errorf("upload %s: status %d: %.300s", d.name, status, body)
		}
		return nil
	}

	w := st.db.Writer()
	if _, err := w.ExecContext(ctx, rawTable); err != nil {
		return nil, PhaseResult{}, fmt.Errorf("raw baseline table: %w", err)
	}
	rawDir := filepath.Join(st.dir, "raw")
	if err := os.MkdirAll(filepath.Join(rawDir, "tmp"), 0o750); err != nil {
		return nil, PhaseResult{}, err
	}
	insert := fmt.Sprintf(`INSERT INTO bench_raw (id, tenant_id, name, sha256, size, mime_type, created_at) VALUES (%s,%s,%s,%s,%s,%s,%s)`,
		st.ph(1), st.ph(2), st.ph(3), st.ph(4), st.ph(5), st.ph(6), st.ph(7))
	raw := func(ctx context.Context, d document, fileDur, insDur *time.Duration) error {
		t0 := time.Now()
		if err := writeDurable(rawDir, d.name, d.content); err != nil {
			return err
		}
		t1 := time.Now()
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insert, uuid.Must(uuid.NewV7()).String(), st.tfm.ID, d.name, d.sha,
			int64(len(d.content)), "application/pdf", time.Now().UTC().Truncate(time.Microsecond)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		*fileDur, *insDur = t1.Sub(t0), time.Since(t1)
		return nil
	}

	// Warm-up: connections, page cache, statement caches.
	warm, err := st.makeDocs(10, "warm")
	if err != nil {
		return nil, PhaseResult{}, err
	}
	for _, d := range warm {
		if err := upload(ctx, d); err != nil {
			return nil, PhaseResult{}, err
		}
		var a, b time.Duration
		if err := raw(ctx, d, &a, &b); err != nil {
			return nil, PhaseResult{}, err
		}
	}

	// The raw baseline and the API run alternate in blocks of documents,
	// so that both see the same disk and machine conditions (the disk of a
	// shared virtual machine varies over seconds); the order within a pair
	// alternates too.
	n := st.o.Uploads
	var out []UploadResult
	var phases PhaseResult
	for ci, c := range st.o.Concurrency {
		docs, err := st.makeDocs(n, fmt.Sprintf("c%d", c))
		if err != nil {
			return nil, PhaseResult{}, err
		}
		r := UploadResult{Concurrency: c, Docs: n, DocSize: st.o.DocSize}
		fileDur, insDur := make([]time.Duration, n), make([]time.Duration, n)
		var rawLat, apiLat []time.Duration
		var rawCPU, apiCPU time.Duration
		var rawWAL, apiWAL int64
		stopProfile, err := st.startProfile(fmt.Sprintf("upload-%s-c%d", st.o.Backend, c))
		if err != nil {
			return nil, PhaseResult{}, err
		}
		runRaw := func(lo, hi int) error {
			cpu0, wal0 := processCPU(), st.walPosition(ctx)
			el, lat, err := parallel(ctx, hi-lo, c, func(ctx context.Context, i int) error {
				return raw(ctx, docs[lo+i], &fileDur[lo+i], &insDur[lo+i])
			})
			if err != nil {
				return fmt.Errorf("raw baseline: %w", err)
			}
			r.Raw.Elapsed += el
			rawLat = append(rawLat, lat...)
			rawCPU += processCPU() - cpu0
			rawWAL += st.walSince(ctx, wal0)
			return nil
		}
		runAPI := func(lo, hi int) error {
			cpu0, wal0 := processCPU(), st.walPosition(ctx)
			el, lat, err := parallel(ctx, hi-lo, c, func(ctx context.Context, i int) error { return upload(ctx, docs[lo+i]) })
			if err != nil {
				return err
			}
			r.Elapsed += el
			apiLat = append(apiLat, lat...)
			apiCPU += processCPU() - cpu0
			apiWAL += st.walSince(ctx, wal0)
			return nil
		}
		runners := []func(lo, hi int) error{runRaw, runAPI}
		// At the first level with one client, the service-level phase
		// breakdown runs as a third member of each round.
		var pr *phaseRunner
		if c == 1 && !slices.Contains(st.o.Concurrency[:ci], 1) {
			pdocs, err := st.makeDocs(n, "phase")
			if err != nil {
				return nil, PhaseResult{}, err
			}
			pr = st.newPhaseRunner(vg.ID)
			runners = append(runners, func(lo, hi int) error { return pr.run(ctx, pdocs[lo:hi]) })
		}
		for k, lo := 0, 0; lo < n; k, lo = k+1, lo+uploadBlock {
			hi := min(lo+uploadBlock, n)
			for j := range runners {
				if err := runners[(j+k)%len(runners)](lo, hi); err != nil {
					stopProfile()
					return nil, PhaseResult{}, err
				}
			}
		}
		stopProfile()
		if pr != nil {
			phases = pr.result()
			fmt.Fprintf(log, "[%s] phases of %d uploads through the service (mean):", st.o.Backend, phases.Docs)
			for _, l := range phases.Phases {
				fmt.Fprintf(log, " %s %s;", l.Name, l.Mean.Round(time.Microsecond))
			}
			fmt.Fprintln(log)
		}
		r.Raw.DocsPerSec, r.Raw.Latency = float64(n)/r.Raw.Elapsed.Seconds(), summarize("raw", rawLat)
		r.Raw.FileMean, r.Raw.InsertMean = mean(fileDur), mean(insDur)
		r.Raw.CPUPerDoc, r.Raw.WALPerDoc = rawCPU/time.Duration(n), rawWAL/int64(n)
		r.DocsPerSec, r.Latency = float64(n)/r.Elapsed.Seconds(), summarize("upload", apiLat)
		r.CPUPerDoc, r.WALPerDoc = apiCPU/time.Duration(n), apiWAL/int64(n)
		r.Ratio = r.DocsPerSec / r.Raw.DocsPerSec
		fmt.Fprintf(log, "[%s] raw baseline C=%d: %d docs in %s = %.1f docs/s (file %s, insert %s, p50 %s)\n",
			st.o.Backend, c, n, r.Raw.Elapsed.Round(time.Millisecond), r.Raw.DocsPerSec, r.Raw.FileMean.Round(time.Microsecond),
			r.Raw.InsertMean.Round(time.Microsecond), r.Raw.Latency.P50.Round(time.Microsecond))
		fmt.Fprintf(log, "[%s] API upload   C=%d: %d docs in %s = %.1f docs/s (p50 %s, p95 %s) = %.0f %% of raw\n",
			st.o.Backend, c, n, r.Elapsed.Round(time.Millisecond), r.DocsPerSec, r.Latency.P50.Round(time.Microsecond), r.Latency.P95.Round(time.Microsecond), 100*r.Ratio)
		out = append(out, r)
	}

	// Every upload must have become a Dokument of the Vorgang.
	want := len(warm) + n*len(st.o.Concurrency) + phases.Docs
	got, err := st.countDokumente(ctx, vg.ID)
	if err != nil {
		return nil, PhaseResult{}, err
	}
	if got != want {
		return nil, PhaseResult{}, fmt.Errorf("Vorgang has %d Dokumente after the uploads, want %d", got, want)
	}
	if _, err := w.ExecContext(ctx, `DROP TABLE bench_raw`); err != nil {
		return nil, PhaseResult{}, err
	}
	return out, phases, nil
}

func (st *stack) countDokumente(ctx context.Context, vorgangID string) (int, error) {
	var n int
	err := st.db.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM dokumente WHERE vorgang_id = `+st.ph(1), vorgangID).Scan(&n)
	return n, err
}

// writeDurable writes content to dir/name the way a careful program does:
// temp file, fsync, rename, fsync of the directory.
func writeDurable(dir, name string, content []byte) error {
	f, err := os.CreateTemp(filepath.Join(dir, "tmp"), "raw-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s / time.Duration(len(ds))
}
