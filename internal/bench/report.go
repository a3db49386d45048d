package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"time"
)

// Targets of the performance requirement.
const (
	TargetUploadRatio = 0.50                  // API uploads ≥ 50 % of the raw baseline
	TargetP95         = 20 * time.Millisecond // get/list p95 at the largest tenant
	// A series "does not grow" when its p95 at the largest step is at most
	// GrowthFactor times the p95 at the smallest step, or at most GrowthSlack
	// above it (sub-millisecond values move by more than 50 % with noise).
	GrowthFactor = 1.5
	GrowthSlack  = time.Millisecond
)

// Report is the outcome of one or more runs.
type Report struct {
	Env     Environment
	Options Options // sizes (of the first run when merged)
	Results []Result
}

// Result is one backend's outcome.
type Result struct {
	Backend     string
	BackendInfo BackendInfo
	Uploads     []UploadResult
	Phases      PhaseResult
	Dokumente   DokumenteResult
	Akten       []AktenStep
	Scoping     Scoping
	Duration    time.Duration
	// Load averages (1, 5, 15 min) before and after: other work on the
	// machine shows here.
	LoadBefore, LoadAfter string
}

// Environment describes the machine of a run.
type Environment struct {
	Date       time.Time
	CPUs       int
	GOMAXPROCS int
	CPUModel   string
	Memory     string
	Kernel     string
	GoVersion  string
	OSArch     string
}

func environment() Environment {
	e := Environment{Date: time.Now(), CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion: runtime.Version(), OSArch: runtime.GOOS + "/" + runtime.GOARCH}
	e.CPUModel = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		var n int64
		if _, err := fmt.Sscanf(kb, "%d", &n); err == nil {
			e.Memory = fmt.Sprintf("%.1f GiB", float64(n)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e.Kernel = strings.TrimSpace(string(b))
	}
	return e
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Merge combines the reports of several runs (one per backend).
func Merge(rs ...Report) Report {
	var out Report
	for i, r := range rs {
		if i == 0 {
			out.Env, out.Options = r.Env, r.Options
		}
		out.Results = append(out.Results, r.Results...)
	}
	return out
}

// Check is one evaluated target.
type Check struct {
	Backend string
	What    string
	Value   string
	Met     bool
}

// Checks evaluates the targets.
func (r Report) Checks() []Check {
	var cs []Check
	for _, res := range r.Results {
		for _, u := range res.Uploads {
			cs = append(cs, Check{res.Backend, fmt.Sprintf("upload C=%d ≥ 50 %% of raw", u.Concurrency),
				fmt.Sprintf("%.1f %% (%.0f vs. %.0f docs/s)", 100*u.Ratio, u.DocsPerSec, u.Raw.DocsPerSec), u.Ratio >= TargetUploadRatio})
		}
		for _, l := range res.Dokumente.Series {
			cs = append(cs, Check{res.Backend, fmt.Sprintf("p95 %s (%s Dokumente) < 20 ms", l.Name, num(res.Dokumente.Dokumente)), ms(l.P95), l.P95 < TargetP95})
		}
		if len(res.Akten) > 0 {
			last := res.Akten[len(res.Akten)-1]
			for _, l := range last.Series {
				cs = append(cs, Check{res.Backend, fmt.Sprintf("p95 %s%s (%s Akten) < 20 ms", l.Name, callerNote(l), num(last.Akten)), ms(l.P95), l.P95 < TargetP95})
			}
			for _, l := range last.Series {
				// Compared with the smallest step that has the series (a
				// deep page needs at least two full pages of visible Akten).
				var first AktenStep
				var f Latency
				found := false
				for _, stp := range res.Akten[:len(res.Akten)-1] {
					if f, found = seriesByName(stp.Series, l.Name); found {
						first = stp
						break
					}
				}
				if !found {
					continue
				}
				g := growth(f.P95, l.P95)
				val := fmt.Sprintf("%s → %s (×%.2f)", ms(f.P95), ms(l.P95), g)
				met := notGrowing(f.P95, l.P95)
				if cg := growth(first.Control.P95, last.Control.P95); cg > 0 {
					val += fmt.Sprintf("; control ×%.2f, relative to control ×%.2f", cg, g/cg)
					met = met || g/cg <= GrowthFactor
				}
				cs = append(cs, Check{res.Backend, fmt.Sprintf("p95 %s%s not growing %s → %s Akten", l.Name, callerNote(l), num(first.Akten), num(last.Akten)), val, met})
			}
		}
		sc := res.Scoping
		cs = append(cs, Check{res.Backend, "tenant scoping (second tenant invisible)", sc.summary(), sc.TenantOK()})
		cs = append(cs, Check{res.Backend, "need-to-know (member of 1 of 20 units sees exactly its unit's Akten)", sc.unitSummary(), sc.UnitOK()})
		cs = append(cs, Check{res.Backend, "grants (second tenant sees its own Akten and exactly the granted ones)", sc.grantSummary(), sc.GrantOK()})
	}
	return cs
}

// callerNote names the caller of an Akten series in a check (the series
// of the measured user "bench" need no note).
func callerNote(l Latency) string {
	if l.Caller == "" || l.Caller == CallerAll {
		return ""
	}
	return " [" + l.Caller + "]"
}

func seriesByName(ls []Latency, name string) (Latency, bool) {
	for _, l := range ls {
		if l.Name == name {
			return l, true
		}
	}
	return Latency{}, false
}

func growth(a, b time.Duration) float64 {
	if a <= 0 {
		return 0
	}
	return float64(b) / float64(a)
}

func notGrowing(small, large time.Duration) bool {
	return float64(large) <= GrowthFactor*float64(small) || large-small <= GrowthSlack
}

func (s Scoping) summary() string {
	return fmt.Sprintf("list: %d/%d own, %d foreign; foreign GET 404: %d/%d; foreign Aktenzeichen 404: %d/%d",
		s.AktenListed, s.AktenExpected, s.ForeignListed, s.ForeignGetsHidden, s.ForeignGets, s.ForeignLookupsHidden, s.ForeignLookups)
}

func (s Scoping) unitSummary() string {
	return fmt.Sprintf("list: %d/%d of its unit, %d missing and %d of other units over all steps; other units' GET 404: %d/%d",
		s.UnitListed, s.UnitExpected, s.UnitMissing, s.UnitOther, s.UnitGetsHidden, s.UnitGets)
}

func (s Scoping) grantSummary() string {
	first := "every step"
	if !s.OtherFirstPage {
		first = "**wrong**"
	}
	return fmt.Sprintf("list: %d/%d own + %d/%d granted, %d missing and %d not granted over all steps; list = own ∪ granted in id order, granted ones on the first page: %s",
		s.OtherOwnListed, s.OtherOwnExpected, s.GrantedListed, s.GrantedExpected, s.GrantMissing, s.UngrantedListed, first)
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// num formats an integer with thousands separators (1,000).
func num(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func yes(ok bool) string {
	if ok {
		return "**yes**"
	}
	return "**NO**"
}

// Markdown renders the report (environment, numbers, targets).
func (r Report) Markdown() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	o := r.Options
	p("_Generated by `aktenwerk bench` on %s._\n\n", r.Env.Date.Format("2006-01-02 15:04 MST"))

	p("### Environment\n\n| | |\n|---|---|\n")
	p("| CPU | %d cores (GOMAXPROCS %d)", r.Env.CPUs, r.Env.GOMAXPROCS)
	if r.Env.CPUModel != "" {
		p(", %s", r.Env.CPUModel)
	}
	p(" |\n")
	if r.Env.Memory != "" {
		p("| Memory | %s |\n", r.Env.Memory)
	}
	p("| Go | %s, %s |\n", r.Env.GoVersion, r.Env.OSArch)
	if r.Env.Kernel != "" {
		p("| Kernel | Linux %s |\n", r.Env.Kernel)
	}
	for _, res := range r.Results {
		p("| %s | %s; %s |\n", res.Backend, res.BackendInfo.Version, strings.Join(res.BackendInfo.Settings, ", "))
	}
	p("| Sizes | %s uploads of %s bytes per concurrency level %v; Vorgang with %s Dokumente; Akten steps %s per tenant (two tenants); %d samples per series after %d warm-up requests, sequential |\n",
		num(o.Uploads), num(o.DocSize), o.Concurrency, num(o.Dokumente), nums(o.AktenSteps), o.Samples, o.Warmup)
	p("| Need-to-know | TFM: unit L (abteilung) with %d Referate below it, every bulk-seeded Akte owned by one of them at random; %d %% of TFM's Akten shared with TSK (read, whole tenant); TSK: no units, Akten of the whole tenant |\n",
		benchReferate, grantPercent)
	for _, res := range r.Results {
		p("| Run %s | %s; load average before %s, after %s |\n", res.Backend, res.Duration.Round(time.Second), res.LoadBefore, res.LoadAfter)
	}

	p("\n### Upload of %s-byte documents through the API (durable)\n\n", num(o.DocSize))
	p("| Backend | Clients | API docs/s | API p50 | API p95 | Raw docs/s | Raw p50 | Ratio API/raw | ≥ 50 %% |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, res := range r.Results {
		for _, u := range res.Uploads {
			p("| %s | %d | %.1f | %s | %s | %.1f | %s | %.1f %% | %s |\n", res.Backend, u.Concurrency, u.DocsPerSec, ms(u.Latency.P50), ms(u.Latency.P95),
				u.Raw.DocsPerSec, ms(u.Raw.Latency.P50), 100*u.Ratio, yes(u.Ratio >= TargetUploadRatio))
		}
	}
	p("\nCost per document (means). Raw \"file\" = write + fsync + rename + fsync(dir), raw \"INSERT\" = BEGIN, INSERT, COMMIT; with several clients both include waiting. CPU = user+system time of the benchmark process (HTTP server and client, Go SQLite), not of the PostgreSQL server. WAL = PostgreSQL WAL bytes (whole cluster).\n\n")
	p("| Backend | Clients | Raw: file | Raw: INSERT | Raw CPU/doc | API CPU/doc | Raw WAL/doc | API WAL/doc |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, res := range r.Results {
		for _, u := range res.Uploads {
			wal := func(n int64) string {
				if res.Backend != "postgres" {
					return "–"
				}
				return num(int(n)) + " B"
			}
			p("| %s | %d | %s | %s | %s | %s | %s | %s |\n", res.Backend, u.Concurrency, ms(u.Raw.FileMean), ms(u.Raw.InsertMean),
				ms(u.Raw.CPUPerDoc), ms(u.CPUPerDoc), wal(u.Raw.WALPerDoc), wal(u.WALPerDoc))
		}
	}
	p("\nOne upload split into the service calls the handler makes: %s uploads through the service directly, one client, in blocks alternating with the raw and API blocks at one client. \"HTTP, multipart, JSON\" is the API mean minus the service mean.\n\n",
		num(firstPhaseDocs(r.Results)))
	p("| Backend | Phase | mean | p50 | p95 |\n|---|---|---:|---:|---:|\n")
	for _, res := range r.Results {
		for _, l := range res.Phases.Phases {
			p("| %s | %s | %s | %s | %s |\n", res.Backend, l.Name, ms(l.Mean), ms(l.P50), ms(l.P95))
		}
		t := res.Phases.Total
		p("| %s | **service total** | %s | %s | %s |\n", res.Backend, ms(t.Mean), ms(t.P50), ms(t.P95))
		for _, u := range res.Uploads {
			if u.Concurrency == 1 {
				p("| %s | HTTP, multipart, JSON (API mean − service mean) | %s | | |\n", res.Backend, ms(u.Latency.Mean-t.Mean))
				p("| %s | raw baseline for comparison | %s | %s | %s |\n", res.Backend, ms(u.Raw.Latency.Mean), ms(u.Raw.Latency.P50), ms(u.Raw.Latency.P95))
			}
		}
	}

	p("\n### Vorgang with %s Dokumente (sequential requests, one client)\n\n", num(o.Dokumente))
	p("| Backend | Request | p50 | p95 | p99 | max | p95 < 20 ms |\n|---|---|---:|---:|---:|---:|---|\n")
	for _, res := range r.Results {
		for _, l := range res.Dokumente.Series {
			p("| %s | %s | %s | %s | %s | %s | %s |\n", res.Backend, l.Name, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), yes(l.P95 < TargetP95))
		}
	}

	p("\n### Akten: tenant with growing number of Akten (a second tenant of the same size beside it)\n\n")
	p("| Backend | Akten per tenant | Caller | Request | p50 | p95 | p99 | max |\n|---|---:|---|---|---:|---:|---:|---:|\n")
	for _, res := range r.Results {
		for _, st := range res.Akten {
			for _, l := range append(st.Series, st.Control) {
				p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", res.Backend, num(st.Akten), l.Caller, l.Name, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max))
			}
		}
	}
	p("\nCallers: \"%s\" is a member of the unit L and so of all %d Referate below it (sees every Akte of TFM); \"%s\" is a member of R07 only (sees ≈ 1 Akte in %d); \"%s\" is the other tenant's user (no unit: sees its own Akten, plus TFM's Akten shared with TSK). ",
		CallerAll, benchReferate, CallerUnit, benchReferate, CallerOther)
	p("\"control\" is GET /api/v1/ich (authentication only, reads no Akten), sent right after every sample of the series above it: it moves with the load of the machine, not with the data.\n")
	p("\n| Backend | Akten per tenant | Rows bulk-inserted | Seeding time | Full list walk (%d per page) | Own Akten listed | Foreign listed |\n|---|---:|---:|---:|---:|---:|---:|\n", pageSize)
	for _, res := range r.Results {
		for _, st := range res.Akten {
			p("| %s | %s | %s | %s | %s pages in %s | %s | %d |\n", res.Backend, num(st.Akten), num(st.Seeded), st.SeedTime.Round(time.Millisecond),
				num(st.WalkPages), st.WalkTime.Round(time.Millisecond), num(st.Listed), st.Foreign)
		}
	}
	p("\nThe same lists walked by the other callers: %s must see exactly the Akten of R07, %s its own Akten and exactly the granted ones.\n\n", CallerUnit, CallerOther)
	p("| Backend | Akten per tenant | %s: walk | Akten of R07 listed | of other units | %s: walk | own listed | granted listed | not granted listed |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", CallerUnit, CallerOther)
	for _, res := range r.Results {
		for _, st := range res.Akten {
			p("| %s | %s | %s pages in %s | %s / %s | %d | %s pages in %s | %s / %s | %s / %s | %d |\n", res.Backend, num(st.Akten),
				num(st.UnitWalkPages), st.UnitWalkTime.Round(time.Millisecond), num(st.UnitListed), num(st.UnitVisible), st.UnitOther,
				num(st.OtherWalkPages), st.OtherWalkTime.Round(time.Millisecond), num(st.OtherOwnListed), num(st.Akten),
				num(st.GrantedListed), num(st.Granted), st.UngrantedListed)
		}
	}

	p("\n### Targets\n\n| Backend | Target | Measured | Met |\n|---|---|---|---|\n")
	for _, c := range r.Checks() {
		p("| %s | %s | %s | %s |\n", c.Backend, c.What, c.Value, yes(c.Met))
	}
	p("\n\"Not growing\": p95 at the largest step ≤ %.1f × p95 at the smallest step that has the series (a deep page of R07 needs two full pages of its Akten), or at most %s above it, or its growth divided by the control's growth ≤ %.1f (the machine, not the data, got slower).\n", GrowthFactor, ms(GrowthSlack), GrowthFactor)
	return b.String()
}

func firstPhaseDocs(rs []Result) int {
	for _, r := range rs {
		if r.Phases.Docs > 0 {
			return r.Phases.Docs
		}
	}
	return 0
}

func nums(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = num(n)
	}
	return strings.Join(parts, " / ")
}

// Markers delimit the generated part of a document.
const (
	BeginMarker = "<!-- bench:begin (generated by aktenwerk bench; edits between the markers are overwritten) -->"
	EndMarker   = "<!-- bench:end -->"
)

// UpdateDocument writes markdown into path between the markers, keeping
// the hand-written text around them. A file without markers (or a missing
// file) is replaced by the markers and the markdown.
func UpdateDocument(path, markdown string) error {
	block := BeginMarker + "\n" + markdown + EndMarker + "\n"
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s := string(old)
	i := strings.Index(s, "<!-- bench:begin")
	j := strings.Index(s, EndMarker)
	var out string
	if i >= 0 && j > i {
		rest := s[j+len(EndMarker):]
		rest = strings.TrimPrefix(rest, "\n")
		out = s[:i] + block + rest
	} else {
		out = block
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
