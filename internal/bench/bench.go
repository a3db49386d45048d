// Package bench measures the whole system the way a client sees it: a fresh
// store (SQLite file or a fresh PostgreSQL schema), the real blob store, the
// real HTTP handler on a loopback port and a real HTTP client with
// keep-alive. It measures
//
//   - durable uploads of small documents through the API, against a raw
//     baseline on the same disk and database (write + fsync + rename of the
//     same bytes, plus one committed INSERT), and
//   - get/list latencies for a Vorgang with many Dokumente and for a tenant
//     with a growing number of Akten (seeded in bulk, with a second tenant of
//     the same size so that tenant scoping is exercised), on the
//     need-to-know path: the tenant has an org tree (unit L with 20
//     Referate, each Akte owned by one of them), 1 % of its Akten are shared
//     with the second tenant, and three callers are measured — a member of L
//     (sees everything), a member of one Referat, and the second tenant's
//     user (its own Akten plus the shared ones).
//
// `aktenwerk bench` is the command line; docs/benchmarks.md holds the
// results and their analysis.
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"aktenwerk/internal/access"
	"aktenwerk/internal/blob"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/sqldb"
	"aktenwerk/internal/store/sqlite"
	"aktenwerk/internal/web"
)

// Options select the backend and the sizes of a run.
type Options struct {
	// Backend is "sqlite" or "postgres".
	Backend string
	// PostgresDSN is the database in which a fresh schema is created (and
	// dropped afterwards). Required for Backend "postgres".
	PostgresDSN string
	// Dir is where the temporary data directory (SQLite file, blobs, raw
	// baseline files) is created; "" means the system temp dir. It must be
	// on the disk whose performance is to be measured.
	Dir string
	// Uploads is the number of documents uploaded per concurrency level
	// (and written by the raw baseline). Default 500.
	Uploads int
	// Concurrency lists the numbers of parallel clients. Default 1 and 4.
	Concurrency []int
	// DocSize is the size of an uploaded document in bytes. Default 10 KiB.
	DocSize int
	// Dokumente is the number of Dokumente in the Vorgang whose get/list
	// latency is measured. Default 1000.
	Dokumente int
	// AktenSteps are the tenant sizes at which Akten get/list latency is
	// measured, ascending. Default 1000, 10000, 100000.
	AktenSteps []int
	// Samples is the number of measured requests per latency series, after
	// Warmup unmeasured ones. Defaults 300 and 30.
	Samples int
	Warmup  int
	// Seed makes content and random choices reproducible. Default 1.
	Seed uint64
	// ProfileDir, if set, receives a CPU profile of each API upload run
	// (upload-BACKEND-cC.pprof).
	ProfileDir string
}

func (o *Options) defaults() error {
	if o.Backend == "" {
		o.Backend = "sqlite"
	}
	if o.Backend != "sqlite" && o.Backend != "postgres" {
		return fmt.Errorf("unknown backend %q (sqlite or postgres)", o.Backend)
	}
	if o.Backend == "postgres" && o.PostgresDSN == "" {
		return errors.New("postgres: no DSN given")
	}
	if o.Uploads <= 0 {
		o.Uploads = 500
	}
	if len(o.Concurrency) == 0 {
		o.Concurrency = []int{1, 4}
	}
	for _, c := range o.Concurrency {
		if c < 1 {
			return fmt.Errorf("concurrency must be at least 1, not %d", c)
		}
	}
	if o.DocSize <= 0 {
		o.DocSize = 10 << 10
	}
	if o.DocSize < 64 {
		return fmt.Errorf("document size must be at least 64 bytes")
	}
	if o.Dokumente <= 0 {
		o.Dokumente = 1000
	}
	if o.AktenSteps == nil {
		o.AktenSteps = []int{1000, 10000, 100000}
	}
	o.AktenSteps = slices.Clone(o.AktenSteps)
	slices.Sort(o.AktenSteps)
	o.AktenSteps = slices.Compact(o.AktenSteps)
	for _, s := range o.AktenSteps {
		if s < 10 {
			return fmt.Errorf("an Akten step must be at least 10, not %d", s)
		}
	}
	if o.Samples <= 0 {
		o.Samples = 300
	}
	if o.Warmup <= 0 {
		o.Warmup = 30
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return nil
}

// Run benchmarks one backend on a fresh store and returns its report. Progress
// goes to log (may be nil).
func Run(ctx context.Context, o Options, log io.Writer) (Report, error) {
	if err := o.defaults(); err != nil {
		return Report{}, err
	}
	if log == nil {
		log = io.Discard
	}
	started := time.Now()
	rep := Report{Env: environment(), Options: o}
	st, err := newStack(ctx, o, log)
	if err != nil {
		return rep, err
	}
	defer st.close(log)
	res := Result{Backend: o.Backend, BackendInfo: st.backendInfo(ctx), LoadBefore: loadAverage()}
	fmt.Fprintf(log, "[%s] %s, data in %s\n", o.Backend, res.BackendInfo.Version, st.dir)

	if res.Uploads, res.Phases, err = st.uploadBench(ctx, log); err != nil {
		return rep, fmt.Errorf("%s: upload: %w", o.Backend, err)
	}
	if res.Dokumente, err = st.dokumenteBench(ctx, log); err != nil {
		return rep, fmt.Errorf("%s: dokumente: %w", o.Backend, err)
	}
	if res.Akten, res.Scoping, err = st.aktenBench(ctx, log); err != nil {
		return rep, fmt.Errorf("%s: akten: %w", o.Backend, err)
	}
	res.Duration, res.LoadAfter = time.Since(started), loadAverage()
	rep.Results = []Result{res}
	fmt.Fprintf(log, "[%s] done in %s\n", o.Backend, res.Duration.Round(time.Second))
	return rep, nil
}

// stack is one fresh system under test.
type stack struct {
	o           Options
	dir         string // temporary data directory (removed at the end)
	db          *sqldb.DB
	svc         *records.Service
	srv         *http.Server
	stopChainer func() // stops the audit chainer, as serve runs it
	chainerDone chan struct{}
	base        string // http://127.0.0.1:PORT
	client      *http.Client
	pgAdmin     *sql.DB // PostgreSQL: connection to the base DSN, for the schema
	pgSchema    string
	rnd         *rng

	tfm, tsk tenant
	year     int
	// referat is the second user of the measured tenant: a member of one
	// Referat (R07) only, so it sees about one Akte in twenty.
	referat struct {
		token string
		unit  int // index into tfm.referate
	}

	dokVorgang string   // the Vorgang of the Dokumente latency series
	dokIDs     []string // its Dokumente

	control *[]time.Duration // if set, series adds a control request after each sample
}

// tenant is one seeded Mandant with its API token and Aktenplan.
type tenant struct {
	records.Tenant
	token     string
	principal records.Principal
	plan      []records.AktenplanEintrag
	akten     []string // ids of all its Akten, in creation order
	azs       []string // their Aktenzeichen
	// Org tree (measured tenant only): the unit "L" with the Referate
	// R01..R20 below it. Bulk-seeded Akten belong to a random Referat; the
	// user "bench" is a member of L and so sees every Akte of the tenant.
	top      string          // id of L ("" without an org tree)
	referate []string        // ids of R01..R20
	owner    []int           // per Akte (parallel to akten): index into referate, -1 for L or no unit
	granted  map[string]bool // its Akten with a read grant to the other tenant
}

// Names of the measured tenant's org tree.
const (
	benchReferate = 20
	benchReferat  = 6 // R07: the unit of the user "referat"
	grantPercent  = 1 // share of the measured tenant's Akten shared with the other tenant
)

func referatKennung(i int) string { return fmt.Sprintf("R%02d", i+1) }

func newStack(ctx context.Context, o Options, log io.Writer) (_ *stack, err error) {
	st := &stack{o: o, rnd: newRNG(o.Seed)}
	defer func() {
		if err != nil {
			st.close(log)
		}
	}()
	st.dir, err = os.MkdirTemp(o.Dir, "aktenwerk-bench-")
	if err != nil {
		return nil, err
	}
	switch o.Backend {
	case "sqlite":
		st.db, err = sqlite.Open(ctx, filepath.Join(st.dir, "aktenwerk.db"))
	case "postgres":
		var dsn string
		if dsn, err = st.freshSchema(ctx, o.PostgresDSN); err != nil {
			return nil, err
		}
		st.db, err = postgres.Open(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	bs, err := blob.NewLocal(filepath.Join(st.dir, "blobs"))
	if err != nil {
		return nil, err
	}
	st.svc = records.NewService(st.db, bs, records.Options{})

	// The production handler with production-like request logging (one
	// formatted line per request), written nowhere.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	st.srv = &http.Server{Handler: web.New(st.svc, logger), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go st.srv.Serve(ln)
	// The audit chainer runs as in `aktenwerk serve`, so its work is part of
	// what is measured.
	cctx, cancelChainer := context.WithCancel(context.Background())
	st.stopChainer, st.chainerDone = cancelChainer, make(chan struct{})
	go func() {
		st.svc.RunAuditChainer(cctx, logger, 200*time.Millisecond, 5*time.Second)
		close(st.chainerDone)
	}()
	st.base = "http://" + ln.Addr().String()
	st.client = &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        64,
			MaxIdleConnsPerHost: 64, // keep-alive for every parallel client
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
	st.year = time.Now().In(berlin).Year()
	if st.tfm, err = st.newTenant(ctx, "TFM", "Thüringer Finanzministerium"); err != nil {
		return nil, err
	}
	if st.tsk, err = st.newTenant(ctx, "TSK", "Thüringer Staatskanzlei"); err != nil {
		return nil, err
	}
	// The second measured user: member of R07 only.
	st.referat.unit = benchReferat
	if _, err = st.svc.CreateUser(ctx, "TFM", "referat", "Lastmessung Referat 7", []access.Role{access.RoleSachbearbeitung},
		records.Membership{Kennung: referatKennung(benchReferat), Position: "sachbearbeitung"}); err != nil {
		return nil, err
	}
	if st.referat.token, _, err = st.svc.CreateToken(ctx, "TFM", "referat", "bench", 0); err != nil {
		return nil, err
	}
	return st, nil
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// freshSchema creates a schema in the database of base and returns a DSN
// whose search_path points at it (as the store tests do).
func (st *stack) freshSchema(ctx context.Context, base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("postgres DSN must be a postgres:// URL")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	schema := "awbench_" + hex.EncodeToString(buf)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", fmt.Errorf("postgres: create schema: %w", err)
	}
	st.pgAdmin, st.pgSchema = admin, schema
	return withSearchPath(base, schema)
}

func (st *stack) close(log io.Writer) {
	if st.srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		st.srv.Shutdown(sctx)
		cancel()
	}
	if st.stopChainer != nil {
		st.stopChainer()
		<-st.chainerDone
	}
	if st.client != nil {
		st.client.CloseIdleConnections()
	}
	if st.db != nil {
		st.db.Close()
	}
	if st.pgAdmin != nil {
		if _, err := st.pgAdmin.Exec("DROP SCHEMA " + st.pgSchema + " CASCADE"); err != nil {
			fmt.Fprintf(log, "warning: drop schema %s: %v\n", st.pgSchema, err)
		}
		st.pgAdmin.Close()
	}
	if st.dir != "" {
		if err := os.RemoveAll(st.dir); err != nil {
			fmt.Fprintf(log, "warning: remove %s: %v\n", st.dir, err)
		}
	}
}

// planPositions are the Aktenplan positions of each tenant; seeded Akten
// are spread over them.
var planPositions = [][2]string{
	{"111", "Organisation und Geschäftsverteilung"},
	{"121", "Haushaltsaufstellung und -vollzug"},
	{"122", "Zuwendungen und Förderprogramme"},
	{"131", "Personalangelegenheiten"},
	{"141", "Beschaffung und Vergabe"},
	{"151", "Liegenschaften und Bauangelegenheiten"},
	{"161", "Informationstechnik und Digitalisierung"},
	{"171", "Eingaben, Petitionen und Beschwerden"},
}

func (st *stack) newTenant(ctx context.Context, code, name string) (tenant, error) {
	t := tenant{granted: map[string]bool{}}
	var err error
	if t.Tenant, err = st.svc.CreateTenant(ctx, code, name); err != nil {
		return t, err
	}
	var member []records.Membership
	if code == "TFM" {
		// The measured tenant gets an org tree: Abteilung L with 20 Referate.
		top, err := st.svc.CreateUnit(ctx, code, records.NewUnit{Kennung: "L", Name: "Abteilung Haushalt und Finanzen", Typ: "abteilung"})
		if err != nil {
			return t, err
		}
		t.top = top.ID
		for i := range benchReferate {
			u, err := st.svc.CreateUnit(ctx, code, records.NewUnit{Kennung: referatKennung(i), Name: fmt.Sprintf("Referat %d", i+1), Typ: "referat", Parent: "L"})
			if err != nil {
				return t, err
			}
			t.referate = append(t.referate, u.ID)
		}
		member = []records.Membership{{Kennung: "L", Position: "abteilungsleitung"}}
	}
	if _, err = st.svc.CreateUser(ctx, code, "bench", "Lastmessung", []access.Role{access.RoleRegistratur}, member...); err != nil {
		return t, err
	}
	if t.token, _, err = st.svc.CreateToken(ctx, code, "bench", "bench", 0); err != nil {
		return t, err
	}
	if t.principal, err = st.svc.Authenticate(ctx, t.token); err != nil {
		return t, err
	}
	for _, pos := range planPositions {
		e, err := st.svc.CreateAktenplan(ctx, t.principal, records.NewAktenplan{Kennzeichen: pos[0], Titel: pos[1]})
		if err != nil {
			return t, err
		}
		t.plan = append(t.plan, e)
	}
	return t, nil
}

// createAkte opens an Akte through the service and keeps its id.
func (st *stack) createAkte(ctx context.Context, t *tenant, pos int, titel string) (records.Akte, error) {
	a, err := st.svc.CreateAkte(ctx, t.principal, records.NewAkte{AktenplanID: t.plan[pos].ID, Titel: titel})
	if err != nil {
		return a, err
	}
	t.akten = append(t.akten, a.ID)
	t.azs = append(t.azs, a.Aktenzeichen)
	t.owner = append(t.owner, slices.Index(t.referate, a.OwnerUnitID))
	return a, nil
}

// BackendInfo describes the database server and its durability settings.
type BackendInfo struct {
	Version  string
	Settings []string // e.g. "journal_mode=wal", "synchronous_commit=on"
}

func (st *stack) backendInfo(ctx context.Context) BackendInfo {
	w := st.db.Writer()
	var bi BackendInfo
	str := func(q string) string {
		var s string
		if err := w.QueryRowContext(ctx, q).Scan(&s); err != nil {
			return "?"
		}
		return s
	}
	switch st.o.Backend {
	case "sqlite":
		bi.Version = "SQLite " + str("SELECT sqlite_version()") + " (modernc.org/sqlite, pure Go)"
		sync := map[string]string{"0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"}[str("PRAGMA synchronous")]
		bi.Settings = []string{"journal_mode=" + str("PRAGMA journal_mode"), "synchronous=" + sync,
			"wal_autocheckpoint=" + str("PRAGMA wal_autocheckpoint") + " pages", "page_size=" + str("PRAGMA page_size")}
	case "postgres":
		bi.Version = "PostgreSQL " + str("SHOW server_version")
		for _, s := range []string{"fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "commit_delay", "shared_buffers"} {
			bi.Settings = append(bi.Settings, s+"="+str("SHOW "+s))
		}
	}
	return bi
}

// ph returns the n-th (1-based) placeholder of the backend.
func (st *stack) ph(n int) string {
	if st.o.Backend == "postgres" {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}
