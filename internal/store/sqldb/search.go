package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/records"
	"aktenwerk/internal/search"
)

// Full-text index (records.Tx search methods). The terms come analysed from
// Go (search.IndexText); SQLite keeps them in the contentless FTS5 table
// search_fts (rowid = search_docs.seq), PostgreSQL in search_docs.tsv
// (to_tsvector('simple', terms), GIN index; a trigger adds the word pairs
// of search.PairTerm, migration 00019).

func (t *tx) pg() bool { return t.db.pg() }

func (d *DB) pg() bool { return d.dialect.Name == "postgres" }

const markSQL = `INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at) VALUES (?, ?, ?, ?, 1, ?)
	ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1, subtree = (search_pending.subtree OR excluded.subtree)`

func (t *tx) MarkSearch(ctx context.Context, m records.SearchPending) error {
	_, err := t.exec(ctx, markSQL, m.ObjectID, m.ObjectType, m.TenantID, m.Subtree, time.Now().UTC())
	return err
}

func (t *tx) MarkAllSearch(ctx context.Context, now time.Time) (int, error) {
	res, err := t.exec(ctx, `INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at)
		SELECT id, 'akte', tenant_id, TRUE, 1, ? FROM akten WHERE TRUE
		ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1, subtree = TRUE`, now.UTC())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *tx) PendingSearch(ctx context.Context, limit int) ([]records.SearchPending, error) {
	// On PostgreSQL the marks are claimed: nodes indexing at the same time
	// take different marks (this runs in the indexer's write transaction).
	lock := ""
	if t.pg() {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := t.query(ctx, `SELECT object_id, object_type, tenant_id, subtree, gen FROM search_pending
		ORDER BY queued_at, object_id LIMIT `+strconv.Itoa(limit)+lock)
	return scanAll(rows, err, func(r *sql.Rows) (records.SearchPending, error) {
		var m records.SearchPending
		err := r.Scan(&m.ObjectID, &m.ObjectType, &m.TenantID, &m.Subtree, &m.Gen)
		return m, err
	})
}

func (t *tx) ExpandSearch(ctx context.Context, m records.SearchPending, now time.Time) error {
	var q string
	switch m.ObjectType {
	case records.ObjAkte:
		q = `INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at)
			SELECT id, 'vorgang', tenant_id, TRUE, 1, ? FROM vorgaenge WHERE akte_id = ?
			ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1, subtree = TRUE`
	case records.ObjVorgang:
		q = `INSERT INTO search_pending (object_id, object_type, tenant_id, subtree, gen, queued_at)
			SELECT id, 'dokument', tenant_id, FALSE, 1, ? FROM dokumente WHERE vorgang_id = ?
			ON CONFLICT (object_id) DO UPDATE SET gen = search_pending.gen + 1`
	default:
		return nil
	}
	_, err := t.exec(ctx, q, now.UTC(), m.ObjectID)
	return err
}

func (t *tx) ClearSearchMark(ctx context.Context, objectID string, gen int64) error {
	_, err := t.exec(ctx, `DELETE FROM search_pending WHERE object_id = ? AND gen = ?`, objectID, gen)
	return err
}

// ReplaceSearchDocs writes an object's rows. The access columns are not
// taken from docs but read from the live tables in the INSERT itself, after
// (on PostgreSQL) share-locking the Akte, Vorgang and Dokument rows: a
// concurrent change of the owning unit or a restriction either committed
// before (and is read here) or waits for this transaction and then updates
// the rows written here (see touchAkte/touchVorgang/touchDokument).
func (t *tx) ReplaceSearchDocs(ctx context.Context, objectID string, docs []records.SearchDoc, now time.Time) error {
	// A new object has no rows to remove; skipping the DELETEs also keeps
	// FTS5 from flushing its pending index data for every object.
	var indexed bool
	if t.pg() && len(docs) > 0 {
		// the locks and the question in one round trip
		d := docs[0]
		if err := t.row(ctx, `SELECT (SELECT 1 FROM akten WHERE id = ? FOR SHARE), (SELECT 1 FROM vorgaenge WHERE id = ? FOR SHARE),
			(SELECT 1 FROM dokumente WHERE id = ? FOR SHARE), EXISTS (SELECT 1 FROM search_docs WHERE object_id = ?)`,
			d.AkteID, d.VorgangID, objectIf(d, records.ObjDokument), objectID).Scan(new(sql.NullInt64), new(sql.NullInt64), new(sql.NullInt64), &indexed); err != nil {
			return err
		}
	} else if err := t.row(ctx, `SELECT EXISTS (SELECT 1 FROM search_docs WHERE object_id = ?)`, objectID).Scan(&indexed); err != nil {
		return err
	}
	if indexed {
		if !t.pg() {
			if _, err := t.exec(ctx, `DELETE FROM search_fts WHERE rowid IN (SELECT seq FROM search_docs WHERE object_id = ?)`, objectID); err != nil {
				return err
			}
		}
		if _, err := t.exec(ctx, `DELETE FROM search_terms WHERE seq IN (SELECT seq FROM search_docs WHERE object_id = ?)`, objectID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM search_docs WHERE object_id = ?`, objectID); err != nil {
			return err
		}
	}
	cols := `object_id, chunk, object_type, tenant_id, akte_id, vorgang_id, owner_unit_id,
		vorgang_restricted, dokument_restricted, aktenplan_id, aktenzeichen, titel, typ, status, datum, indexed_at`
	vals := `?, ?, ?, ?, ?, ?, (SELECT owner_unit_id FROM akten WHERE id = ?),
		COALESCE((SELECT restriction IS NOT NULL FROM vorgaenge WHERE id = ?), FALSE),
		COALESCE((SELECT restriction IS NOT NULL FROM dokumente WHERE id = ?), FALSE),
		?, ?, ?, ?, ?, ?, ?`
	for _, d := range docs {
		args := []any{d.ObjectID, d.Chunk, d.ObjectType, d.TenantID, d.AkteID, nullID(d.VorgangID), d.AkteID,
			d.VorgangID, objectIf(d, records.ObjDokument),
			d.AktenplanID, d.Aktenzeichen, d.Titel, d.Typ, d.Status, nullID(d.Datum), now.UTC()}
		if t.pg() {
			// the row, its tsvector and its terms in one round trip, the
			// terms sent once
			if _, err := t.exec(ctx, `WITH tm AS (SELECT ?::text AS terms),
				d AS (INSERT INTO search_docs (`+cols+`, tsv) SELECT `+vals+`, to_tsvector('simple', tm.terms) FROM tm RETURNING seq)
				INSERT INTO search_terms (seq, terms) SELECT d.seq, tm.terms FROM d, tm`, append([]any{d.Terms}, args...)...); err != nil {
				return fmt.Errorf("search index %s/%d: %w", d.ObjectID, d.Chunk, err)
			}
			continue
		}
		// SQLite: the rowid from the insert itself (RETURNING, too, makes
		// FTS5 flush per statement)
		res, err := t.exec(ctx, `INSERT INTO search_docs (`+cols+`) VALUES (`+vals+`)`, args...)
		var seq int64
		if err == nil {
			seq, err = res.LastInsertId()
		}
		if err != nil {
			return fmt.Errorf("search index %s/%d: %w", d.ObjectID, d.Chunk, err)
		}
		if _, err := t.exec(ctx, `INSERT INTO search_terms (seq, terms) VALUES (?, ?)`, seq, d.Terms); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO search_fts (rowid, terms) VALUES (?, ?)`, seq, d.Terms); err != nil {
			return err
		}
	}
	return nil
}

func objectIf(d records.SearchDoc, typ string) string {
	if d.ObjectType == typ {
		return d.ObjectID
	}
	return ""
}

const candCols = `d.seq, d.object_id, d.chunk, d.object_type, d.tenant_id, d.akte_id, COALESCE(d.vorgang_id, '') AS vorgang_id,
	COALESCE(d.owner_unit_id, '') AS owner_unit_id, d.vorgang_restricted, d.dokument_restricted, d.aktenplan_id, d.aktenzeichen, d.titel,
	d.typ, d.status, COALESCE(d.datum, '') AS datum`

// The candidate query wants the newest matches (at most the window) of a
// tsquery that also carries the caller's narrowing terms. PostgreSQL has
// two ways: collect all matches from the GIN index (a bitmap) and sort
// them, or walk search_docs_pkey backwards, test each row and stop at the
// limit. Which one is right depends on how dense the matches are: for a
// word in every fourth document of a caller who sees everything, walking
// stops after 2,000 rows (20 ms at 1 M documents, the bitmap takes 7 s);
// for a rare word, or a frequent one seen through a narrow caller's
// narrowing, walking crosses most of the table (2–7 s, the bitmap takes
// 1–80 ms). PostgreSQL's own estimate for tsquery is too coarse for the
// choice (measured in docs/benchmarks.md), so the store estimates the
// share of matching rows itself from the column's most common elements
// (search.Estimate) and sets the plan for this one statement.
//
// Between the two lies a third case: tens of thousands of matches, of
// which the newest 501 are wanted. Walking tests too many rows, and the
// bitmap fetches every match from the heap only to sort them (at 1 M
// documents 49,000 heap pages for a prefix: 300 ms of the 330). There the
// store asks for the matches in windows of seq, newest first: the GIN
// bitmap ANDed with a range of search_docs_pkey, so only the window's
// matches are fetched. The first window is sized from the estimate, the
// next ones from the density the previous window showed.

// SearchTuning holds the thresholds of the PostgreSQL candidate plan.
type SearchTuning struct {
	// WalkShare: at this estimated share of matching rows or more the
	// newest rows are walked (at most limit/WalkShare rows are tested).
	WalkShare float64
	// WindowMatches: with more expected matches than WindowMatches × limit
	// (and fewer than WalkShare) the matches are fetched in windows.
	// PrefixWindowMatches is the same for a query with a prefix: every
	// window repeats the GIN index's work, which for a prefix means
	// collecting every posting of every matching term (at 1 M documents
	// 50–70 ms for wid:*), while fetching a match from the heap costs
	// some microseconds; so a second window costs more than fetching
	// thousands of matches at once.
	WindowMatches, PrefixWindowMatches float64
	// MaxWindows bounds the windows of one query; the last one reaches to
	// the oldest row.
	MaxWindows int
	// FirstWindow > 0 fixes the size of the first window (tests: many
	// small windows on a small corpus).
	FirstWindow int64
	// BroadCover: when the caller's own narrowing terms are estimated to
	// match at least this share of what the coarse narrowing matches, the
	// coarse one is sent (fewer posting lists); when the narrowing matches
	// at least NoNarrowing of all rows, none is sent.
	BroadCover, NoNarrowing float64
}

// DefaultSearchTuning are the thresholds measured at 1 M documents
// (docs/benchmarks.md).
var DefaultSearchTuning = SearchTuning{WalkShare: 0.05, WindowMatches: 4, PrefixWindowMatches: 16, MaxWindows: 4, BroadCover: 0.5, NoNarrowing: 0.9}

// TuneSearch replaces the thresholds of the candidate plan (PostgreSQL);
// tests use it to force the window path on a small corpus.
func (d *DB) TuneSearch(t SearchTuning) {
	d.terms.mu.Lock()
	d.terms.tuning = &t
	d.terms.mu.Unlock()
}

// SearchPlans counts the candidate plans chosen so far (PostgreSQL):
// "walk", "bitmap", "windows" (queries) and "window" (statements), and
// "unplanned" without statistics; on both backends "unnarrowed": queries
// sent without the caller's narrowing terms.
func (d *DB) SearchPlans() map[string]int64 {
	d.terms.mu.Lock()
	defer d.terms.mu.Unlock()
	return maps.Clone(d.terms.plans)
}

// broadUnits: without statistics, a caller in this many units (its own
// and those below) is taken to see most of its tenant (an
// Abteilungsleitung), and its query is planned with its search terms.
const broadUnits = 10

// termStatsCache holds the shares of the most common index terms
// (pg_stats of search_docs.tsv, kept by ANALYZE/autovacuum) and the row
// count, read again after termStatsTTL.
type termStatsCache struct {
	mu     sync.Mutex
	st     *search.FrequentTerms
	rows   float64
	at     time.Time
	pairs  bool // every row holds its word pairs (BackfillSearch); never false again
	tuning *SearchTuning
	plans  map[string]int64
}

const termStatsTTL = 10 * time.Minute

// tuningNow is the thresholds in force (DefaultSearchTuning or TuneSearch's).
func (c *termStatsCache) tuningNow() SearchTuning {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tuning != nil {
		return *c.tuning
	}
	return DefaultSearchTuning
}

func (c *termStatsCache) count(plan string) {
	c.mu.Lock()
	if c.plans == nil {
		c.plans = map[string]int64{}
	}
	c.plans[plan]++
	c.mu.Unlock()
}

func (c *termStatsCache) get(ctx context.Context, t *tx) (*search.FrequentTerms, float64, SearchTuning, error) {
	// Until the backfill is done, every search asks whether it is (one
	// row by its key): pairs must not be asked for a moment too early, and
	// should be asked for as soon as they are all there.
	if !c.pairsIndexed() {
		var done bool
		if err := t.row(ctx, `SELECT next_seq = 0 FROM search_backfill WHERE name = 'pairs'`).Scan(&done); err != nil {
			return nil, 0, DefaultSearchTuning, err
		}
		if done {
			c.mu.Lock()
			c.pairs, c.at = true, time.Time{} // and the statistics again
			c.mu.Unlock()
		}
	}
	tuning := c.tuningNow()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < termStatsTTL {
		return c.st, c.rows, tuning, nil
	}
	rows, err := t.query(ctx, `SELECT u.e, u.f FROM pg_stats s,
		unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(e, f)
		WHERE s.schemaname = current_schema() AND s.tablename = 'search_docs' AND s.attname = 'tsv' AND u.e IS NOT NULL`)
	type ef struct {
		e string
		f float64
	}
	list, err := scanAll(rows, err, func(r *sql.Rows) (ef, error) {
		var x ef
		return x, r.Scan(&x.e, &x.f)
	})
	if err != nil {
		return nil, 0, tuning, err
	}
	var n float64
	if err := t.row(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'search_docs'::regclass`).Scan(&n); err != nil {
		return nil, 0, tuning, err
	}
	c.st, c.rows, c.at = nil, n, time.Now()
	if len(list) > 0 && n > 0 {
		terms, shares := make([]string, len(list)), make([]float64, len(list))
		for i, x := range list {
			terms[i], shares[i] = x.e, x.f
		}
		c.st = search.NewFrequentTerms(terms, shares)
		c.st.Pairs = c.pairs
	}
	return c.st, c.rows, tuning, nil
}

// pairsIndexed tells whether every row holds its word pairs (read with
// the statistics).
func (c *termStatsCache) pairsIndexed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pairs
}

// BackfillSearch gives at most rows index rows written before migration
// 00019 their word pairs (PostgreSQL; the trigger adds them to every row
// written since), newest first, and returns how many rows are left to
// look at (0: done; SQLite: always 0). Once none is left, phrase queries
// ask for the pairs. Nodes take turns: the progress row is locked.
func (t *tx) BackfillSearch(ctx context.Context, rows int) (int64, error) {
	if !t.pg() {
		return 0, nil
	}
	var next int64
	if err := t.row(ctx, `SELECT next_seq FROM search_backfill WHERE name = 'pairs' FOR UPDATE`).Scan(&next); err != nil {
		return 0, err
	}
	if next <= 0 {
		return 0, nil
	}
	from := max(next-int64(rows), 0)
	// SET tsv = tsv fires the trigger, which adds the pairs (twice
	// changes nothing, so rows rewritten meanwhile may come again).
	if _, err := t.exec(ctx, `UPDATE search_docs SET tsv = tsv WHERE seq > ? AND seq <= ?`, from, next); err != nil {
		return 0, err
	}
	if _, err := t.exec(ctx, `UPDATE search_backfill SET next_seq = ? WHERE name = 'pairs'`, from); err != nil {
		return 0, err
	}
	return from, nil
}

// AnalyzeSearch refreshes the planner statistics of the index (PostgreSQL:
// ANALYZE, which autovacuum otherwise does after enough changes) and
// forgets the cached term shares. For tests and after bulk loads.
func (d *DB) AnalyzeSearch(ctx context.Context) error {
	if d.dialect.Name == "postgres" {
		if _, err := d.writer.ExecContext(ctx, `ANALYZE search_docs`); err != nil {
			return err
		}
	}
	d.terms.mu.Lock()
	d.terms.at = time.Time{}
	d.terms.mu.Unlock()
	return nil
}

// candidateSQL is the candidate statement of q with the engine query
// rendered into it; more is appended to its conditions (windows).
func (t *tx) candidateSQL(q records.SearchQuery, engine search.Node) (string, []any, error) {
	match := ""
	if engine != nil {
		var err error
		if t.pg() {
			match, err = search.RenderTSQuery(engine, t.db.terms.pairsIndexed())
		} else {
			match, err = search.RenderFTS5(engine)
		}
		if err != nil {
			return "", nil, err
		}
	}
	from, order, where, args := t.db.searchWhere(q, match)
	// The terms (for the ranking) are fetched for the rows the limit lets
	// through only. PostgreSQL reads them afterwards (fillTerms): the plan
	// settings of the candidate statement (no index scans) would turn each
	// lookup into a bitmap scan of its own, 10 ms for 501 rows at 1 M
	// documents against 2–3 ms in one statement of their own.
	terms := `(SELECT st.terms FROM search_terms st WHERE st.seq = c.seq)`
	if t.pg() {
		terms = `''`
	}
	return `SELECT c.*, ` + terms + ` FROM (SELECT ` + candCols + ` FROM ` + from +
		` WHERE TRUE` + where + windowMark + ` ORDER BY ` + order + ` DESC LIMIT ` + limitMark + `) c ORDER BY c.seq DESC`, args, nil
}

// fillTerms reads the index streams of the candidates cs (PostgreSQL, see
// candidateSQL) in one statement.
func (t *tx) fillTerms(ctx context.Context, cs []records.SearchCandidate) error {
	if len(cs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteByte('{')
	at := make(map[int64]int, len(cs))
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(c.Seq, 10))
		at[c.Seq] = i
	}
	b.WriteByte('}')
	rows, err := t.query(ctx, `SELECT seq, terms FROM search_terms WHERE seq = ANY(CAST(? AS bigint[]))`, b.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var terms string
		if err := rows.Scan(&seq, &terms); err != nil {
			return err
		}
		if i, ok := at[seq]; ok {
			cs[i].Terms = terms
		}
	}
	return rows.Err()
}

// searchWhere is the FROM clause, the order column and the conditions
// (each starting with AND) of a statement over the index rows d that
// match the rendered engine query match ("": every row) and that q's
// viewer may see through q's filters.
func (d *DB) searchWhere(q records.SearchQuery, match string) (from, order, where string, args []any) {
	from, order = `search_docs d`, `d.seq`
	if match != "" {
		if d.pg() {
			where = ` AND d.tsv @@ to_tsquery('simple', ?)`
		} else {
			from, order = `search_fts f JOIN search_docs d ON d.seq = f.rowid`, `f.rowid`
			where = ` AND search_fts MATCH ?`
		}
		args = append(args, match)
	}
	aw, aargs := d.accessWhere(q.Viewer)
	where += aw
	args = append(args, aargs...)
	for _, f := range []struct{ col, val string }{{"object_type", q.ObjectType}, {"aktenplan_id", q.AktenplanID}, {"typ", q.Typ}, {"status", q.Status}} {
		if f.val != "" {
			where += ` AND d.` + f.col + ` = ?`
			args = append(args, f.val)
		}
	}
	if q.BeforeSeq > 0 {
		where += ` AND d.seq < ?`
		args = append(args, q.BeforeSeq)
	}
	if q.Jahr > 0 {
		where += ` AND d.datum >= ? AND d.datum < ?`
		args = append(args, fmt.Sprintf("%04d-01-01", q.Jahr), fmt.Sprintf("%04d-01-01", q.Jahr+1))
	}
	return from, order, where, args
}

// PlainSearchSQL is the search a developer would write without our
// layer, for the benchmark's baseline: the rows matching the rendered
// engine query match that q's viewer may see through q's filters (the
// same exact SQL access check as the store's), the first limit of them by
// the engine's own relevance function (FTS5's bm25 through rank,
// PostgreSQL's ts_rank, newest first among equals), as index seqs. No
// narrowing terms, no plan choice, no windows. The statement is in the
// backend's placeholder style.
func (d *DB) PlainSearchSQL(q records.SearchQuery, match string, limit int) (string, []any) {
	from, _, where, args := d.searchWhere(q, match)
	order := `f.rank`
	if d.pg() {
		order = `ts_rank(d.tsv, to_tsquery('simple', ?)) DESC, d.seq DESC`
		args = append(args, match)
	}
	return d.q(`SELECT d.seq FROM ` + from + ` WHERE TRUE` + where + ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(limit)), args
}

// accessWhere is the exact access check of an index row d for v, to be
// ANDed to a statement's conditions.
func (d *DB) accessWhere(v records.Viewer) (string, []any) {
	if v.All {
		return ` AND d.tenant_id = ?`, []any{v.TenantID}
	}
	units := jsonList(v.Units)
	return ` AND ((d.tenant_id = ? AND (d.owner_unit_id IS NULL OR d.owner_unit_id IN (` + d.dialect.JSONList + `)))
			OR d.akte_id IN (SELECT g.akte_id FROM grants g WHERE g.grantee_tenant_id = ? AND g.revoked_at IS NULL
				AND (g.expires_at IS NULL OR g.expires_at > ?)
				AND ((g.grantee_unit_id IS NULL AND g.grantee_user_id IS NULL) OR g.grantee_user_id = ? OR g.grantee_unit_id IN (` + d.dialect.JSONList + `))))
			AND (NOT d.vorgang_restricted OR EXISTS (SELECT 1 FROM restriction_users r WHERE r.object_id = d.vorgang_id AND r.user_id = ?))
			AND (NOT d.dokument_restricted OR EXISTS (SELECT 1 FROM restriction_users r WHERE r.object_id = d.object_id AND r.user_id = ?))`,
		[]any{v.TenantID, units, v.TenantID, v.Now.UTC(), v.UserID, units, v.UserID, v.UserID}
}

// SQLite has no term statistics to tell whether the caller's narrowing
// terms narrow at all. They cost when they do not: for the caller who sees
// the whole of a tenant that holds most of the index, FTS5 intersects the
// query with a posting list of nearly every row (at 1 M rows a rare word
// 0.2 → 10 ms, a phrase 14 → 34 ms). So the store samples the newest
// visibleSample index rows with the exact access check; when the caller
// sees at least NoNarrowing of them, the narrowing is left out (the SQL
// check stays). The share is cached per caller for termStatsTTL.
const visibleSample = 1000

type visibleShares struct {
	mu sync.Mutex
	m  map[string]visibleShare
}

type visibleShare struct {
	share float64
	at    time.Time
}

// visibleShare is the share of the newest index rows v may see.
func (t *tx) visibleShare(ctx context.Context, v records.Viewer) (float64, error) {
	key := fmt.Sprintf("%t\x00%s\x00%s\x00%s", v.All, v.TenantID, v.UserID, strings.Join(v.Units, ","))
	c := &t.db.visible
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && time.Since(e.at) < termStatsTTL {
		return e.share, nil
	}
	where, args := t.db.accessWhere(v)
	var seen, visible int
	if err := t.row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN TRUE`+where+` THEN 1 ELSE 0 END), 0)
		FROM (SELECT * FROM search_docs ORDER BY seq DESC LIMIT `+strconv.Itoa(visibleSample)+`) d`, args...).Scan(&seen, &visible); err != nil {
		return 0, err
	}
	share := 0.0
	if seen > 0 {
		share = float64(visible) / float64(seen)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= 10000 {
		c.m = map[string]visibleShare{}
	}
	c.m[key] = visibleShare{share, time.Now()}
	c.mu.Unlock()
	return share, nil
}

// Marks in candidateSQL's statement: a window's range and the limit.
const windowMark, limitMark = "/*window*/", "/*limit*/"

// bound fills the marks of a candidate statement.
func bound(stmt, window string, limit int) string {
	return strings.Replace(strings.Replace(stmt, windowMark, window, 1), limitMark, strconv.Itoa(limit), 1)
}

func (t *tx) candidates(ctx context.Context, query string, args []any) ([]records.SearchCandidate, error) {
	rows, err := t.query(ctx, query, args...)
	return scanAll(rows, err, func(r *sql.Rows) (records.SearchCandidate, error) {
		var c records.SearchCandidate
		err := r.Scan(&c.Seq, &c.ObjectID, &c.Chunk, &c.ObjectType, &c.TenantID, &c.AkteID, &c.VorgangID, &c.OwnerUnitID,
			&c.VorgangRestricted, &c.DokumentRestricted, &c.AktenplanID, &c.Aktenzeichen, &c.Titel, &c.Typ, &c.Status, &c.Datum, &c.Terms)
		return c, err
	})
}

func (t *tx) SearchCandidates(ctx context.Context, q records.SearchQuery) ([]records.SearchCandidate, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 500
	}
	if !t.pg() {
		access := q.Access
		if access != nil {
			share, err := t.visibleShare(ctx, q.Viewer)
			if err != nil {
				return nil, err
			}
			if share >= t.db.terms.tuningNow().NoNarrowing {
				access = nil
				t.db.terms.count("unnarrowed")
			}
		}
		stmt, args, err := t.candidateSQL(q, q.EngineQuery(access))
		if err != nil {
			return nil, err
		}
		return t.candidates(ctx, bound(stmt, "", limit), args)
	}
	return t.pgCandidates(ctx, q, limit)
}

// pgCandidates chooses the narrowing and the plan (see above) and runs
// the candidate statement once, or once per window.
func (t *tx) pgCandidates(ctx context.Context, q records.SearchQuery, limit int) ([]records.SearchCandidate, error) {
	st, rows, tu, err := t.db.terms.get(ctx, t)
	if err != nil {
		return nil, err
	}
	if st == nil || q.Query == nil {
		stmt, args, err := t.candidateSQL(q, q.EngineQuery(q.Access))
		if err != nil {
			return nil, err
		}
		t.db.terms.count("unplanned")
		if q.Viewer.All || len(q.Viewer.Units) >= broadUnits {
			// The statement is prepared (and cached by the driver); after
			// five runs PostgreSQL plans it once for all search terms,
			// which for a broad caller means a bitmap of every match.
			if _, err := t.tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
				return nil, err
			}
		}
		out, err := t.candidates(ctx, bound(stmt, "", limit), args)
		if err != nil {
			return nil, err
		}
		return out, t.fillTerms(ctx, out)
	}

	// The narrowing: a caller whose units cover most of its tenant sends
	// the tenant instead (one posting list instead of one per unit; at
	// 1 M documents 39 ms against 376 ms for 42 unit terms), and a
	// narrowing that keeps nearly everything is left out.
	access := q.Access
	if q.AccessBroad != nil && access != nil {
		if fine, broad := search.Estimate(access, st), search.Estimate(q.AccessBroad, st); fine >= tu.BroadCover*broad {
			access = q.AccessBroad
		}
	}
	if access != nil && search.Estimate(access, st) >= tu.NoNarrowing {
		access = nil
		t.db.terms.count("unnarrowed")
	}
	engine := q.EngineQuery(access)
	stmt, args, err := t.candidateSQL(q, engine)
	if err != nil {
		return nil, err
	}
	share := search.Estimate(engine, st)
	windowMatches := tu.WindowMatches
	if search.HasPrefix(engine) {
		windowMatches = max(windowMatches, tu.PrefixWindowMatches)
	}
	plan := "bitmap"
	switch {
	case share >= tu.WalkShare:
		plan = "walk"
	case tu.FirstWindow > 0 || share*rows > windowMatches*float64(limit):
		plan = "windows"
	}
	var top int64 // windows: above the newest row (read before the settings, which would hide the index)
	if plan == "windows" {
		if err := t.row(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM search_docs`).Scan(&top); err != nil {
			return nil, err
		}
	}
	// A plan per execution, so that the settings apply (a cached generic
	// plan would ignore them); seq scans are never right here.
	off := "enable_indexscan" // the bitmap (in windows: ANDed with the seq range)
	if plan == "walk" {
		off = "enable_bitmapscan"
	}
	if _, err := t.tx.ExecContext(ctx, `SELECT set_config('plan_cache_mode', 'force_custom_plan', true),
		set_config('enable_seqscan', 'off', true), set_config('`+off+`', 'off', true)`); err != nil {
		return nil, err
	}
	t.db.terms.count(plan)
	var out []records.SearchCandidate
	if plan == "windows" {
		out, err = t.windows(ctx, stmt, args, q, top, limit, share, rows, tu)
	} else {
		out, err = t.candidates(ctx, bound(stmt, "", limit), args)
	}
	if err != nil {
		return nil, err
	}
	// the rest of the transaction (terms, facets, texts) plans as usual
	if _, err = t.tx.ExecContext(ctx, `SELECT set_config('plan_cache_mode', 'auto', true), set_config('enable_seqscan', 'on', true),
		set_config('`+off+`', 'on', true)`); err != nil {
		return nil, err
	}
	return out, t.fillTerms(ctx, out)
}

// windows runs the candidate statement over ranges of seq, newest first,
// until limit rows are found or the oldest row is reached. The result is
// the same as one statement's: the newest limit matching visible rows.
func (t *tx) windows(ctx context.Context, stmt string, args []any, q records.SearchQuery, top int64, limit int, share, rows float64, tu SearchTuning) ([]records.SearchCandidate, error) {
	if q.BeforeSeq > 0 {
		top = min(top, q.BeforeSeq)
	}
	// Expect three times the rows wanted in the first window: fetching a
	// thousand more rows from the heap costs less than a second pass over
	// the GIN index, which every window repeats (for a prefix at 1 M
	// documents 55–70 ms each).
	size := tu.FirstWindow
	if size <= 0 {
		size = int64(3 * float64(limit) / max(share, 1e-9))
	}
	// A window over more than a quarter of the rows saves little heap work
	// and costs a bitmap of its range (at 1 M documents 50–80 ms for
	// 600,000 rows): then the rest is one statement.
	wide := int64(rows / 4)
	size = min(size, max(wide, 1))
	var out []records.SearchCandidate
	for i := 0; ; i++ {
		low := top - size
		if i == tu.MaxWindows-1 || low <= 1 || (i > 0 && size > wide && tu.FirstWindow <= 0) {
			// the last window reaches to the oldest row
			t.db.terms.count("window")
			rest, err := t.candidates(ctx, bound(stmt, ` AND d.seq < ?`, limit-len(out)), append(slices.Clone(args), top))
			return append(out, rest...), err
		}
		t.db.terms.count("window")
		got, err := t.candidates(ctx, bound(stmt, ` AND d.seq >= ? AND d.seq < ?`, limit-len(out)), append(slices.Clone(args), low, top))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if len(out) >= limit {
			return out, nil
		}
		// size the next window from the density this one showed
		next := size * 8
		if len(got) > 0 {
			next = int64(2 * float64(limit-len(out)) * float64(size) / float64(len(got)))
		}
		top, size = low, max(2*size, next)
	}
}

func (t *tx) SearchStats(ctx context.Context) (rows, pending int, err error) {
	if err = t.row(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&rows); err != nil {
		return
	}
	err = t.row(ctx, `SELECT COUNT(*) FROM search_pending`).Scan(&pending)
	return
}

// --- index maintenance in the writes of Akten, Vorgänge, Dokumente -------------

// touchAkte marks an Akte for the index. When its owning unit or its
// Aktenplan position changed, the rows of its whole subtree get the new
// values in their columns and in their narrowing terms at once.
func (t *tx) touchAkte(ctx context.Context, a records.Akte) error {
	var owner, plan string
	err := t.row(ctx, `SELECT COALESCE(owner_unit_id, ''), aktenplan_id FROM search_docs WHERE akte_id = ? AND object_id = ? AND chunk = 0`, a.ID, a.ID).Scan(&owner, &plan)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if err == nil && (owner != a.OwnerUnitID || plan != a.AktenplanID) {
		set := `owner_unit_id = ?, aktenplan_id = ?`
		if err := t.rewriteNarrow(ctx, set, []any{nullID(a.OwnerUnitID), a.AktenplanID}, "akte_id", a.ID, [][2]string{
			{records.OwnerNarrowTerm(a.TenantID, owner), records.OwnerNarrowTerm(a.TenantID, a.OwnerUnitID)},
			{records.AktenplanNarrowTerm(plan), records.AktenplanNarrowTerm(a.AktenplanID)},
		}); err != nil {
			return err
		}
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: a.ID, ObjectType: records.ObjAkte, TenantID: a.TenantID})
}

// touchVorgang marks a Vorgang (with its Dokumente when its Aktenzeichen
// changed: they are found by it) and copies its status and restriction
// into the rows of its subtree; when it moved to another Akte, the rows
// get the new Akte, owner and position, terms included, at once.
func (t *tx) touchVorgang(ctx context.Context, v records.Vorgang) error {
	restricted := v.Beschraenkung != nil
	if _, err := t.exec(ctx, `UPDATE search_docs SET status = ?, vorgang_restricted = ?
		WHERE vorgang_id = ? AND (status <> ? OR vorgang_restricted <> ?)`,
		v.Status, restricted, v.ID, v.Status, restricted); err != nil {
		return err
	}
	var oldAkte, oldOwner, oldPlan, az string
	err := t.row(ctx, `SELECT akte_id, COALESCE(owner_unit_id, ''), aktenplan_id, aktenzeichen FROM search_docs WHERE object_id = ? AND chunk = 0`, v.ID).
		Scan(&oldAkte, &oldOwner, &oldPlan, &az)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if err == nil && oldAkte != v.AkteID {
		var owner, plan string
		if err := t.row(ctx, `SELECT COALESCE(owner_unit_id, ''), aktenplan_id FROM akten WHERE id = ?`, v.AkteID).Scan(&owner, &plan); err != nil {
			return err
		}
		var gerr error
		pairs := [][2]string{
			{t.grantSegment(ctx, oldAkte, &gerr), t.grantSegment(ctx, v.AkteID, &gerr)},
			{records.OwnerNarrowTerm(v.TenantID, oldOwner), records.OwnerNarrowTerm(v.TenantID, owner)},
			{records.AktenplanNarrowTerm(oldPlan), records.AktenplanNarrowTerm(plan)},
		}
		if gerr != nil {
			return gerr
		}
		if err := t.rewriteNarrow(ctx, `akte_id = ?, owner_unit_id = ?, aktenplan_id = ?`, []any{v.AkteID, nullID(owner), plan}, "vorgang_id", v.ID, pairs); err != nil {
			return err
		}
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: v.ID, ObjectType: records.ObjVorgang, TenantID: v.TenantID,
		Subtree: err == nil && az != v.Aktenzeichen})
}

// rewriteNarrow sets columns (set, with args) of the rows where col = id
// and replaces narrowing terms in their streams (pairs of old and new
// term, each with its leading space), in the FTS5 table or the tsvector
// too. The terms are ids of fixed length, so a replaced term is never a
// part of another.
func (t *tx) rewriteNarrow(ctx context.Context, set string, args []any, col, id string, pairs [][2]string) error {
	expr := "terms"
	var rargs []any
	for _, p := range pairs {
		if p[0] == p[1] {
			continue
		}
		expr = "replace(" + expr + ", ?, ?)"
		rargs = append(rargs, p[0], p[1])
	}
	if set != "" {
		if _, err := t.exec(ctx, `UPDATE search_docs SET `+set+` WHERE `+col+` = ?`, append(args, id)...); err != nil {
			return err
		}
	}
	if len(rargs) == 0 {
		return nil
	}
	rows := `SELECT seq FROM search_docs WHERE ` + col + ` = ?`
	if _, err := t.exec(ctx, `UPDATE search_terms SET terms = `+expr+` WHERE seq IN (`+rows+`)`, append(rargs, id)...); err != nil {
		return err
	}
	if t.pg() {
		_, err := t.exec(ctx, `UPDATE search_docs SET tsv = to_tsvector('simple', st.terms) FROM search_terms st
			WHERE st.seq = search_docs.seq AND search_docs.`+col+` = ?`, id)
		return err
	}
	if _, err := t.exec(ctx, `DELETE FROM search_fts WHERE rowid IN (`+rows+`)`, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, `INSERT INTO search_fts (rowid, terms) SELECT seq, terms FROM search_terms WHERE seq IN (`+rows+`)`, id)
	return err
}

// grantSegment is the Akte's segment of the narrowing terms as its grants
// are now (records.AkteGrantSegment); the first error is kept in *errp.
func (t *tx) grantSegment(ctx context.Context, akteID string, errp *error) string {
	grants, err := t.ListGrants(ctx, akteID)
	if err != nil && *errp == nil {
		*errp = err
	}
	return records.AkteGrantSegment(akteID, records.GranteeValues(grants))
}

// regrant runs change (a new or revoked grant of the Akte) and rewrites the
// grantee terms of the Akte's rows to the grants after it. On PostgreSQL
// the Akte row is locked first: the indexer share-locks it before it reads
// the grants (LockForIndex), so it either sees the change or writes its
// rows before this transaction rewrites them.
func (t *tx) regrant(ctx context.Context, akteID string, change func() error) error {
	if t.pg() {
		if _, err := t.exec(ctx, `SELECT 1 FROM akten WHERE id = ? FOR UPDATE`, akteID); err != nil {
			return err
		}
	}
	var err error
	before := t.grantSegment(ctx, akteID, &err)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after := t.grantSegment(ctx, akteID, &err)
	if err != nil || before == after {
		return err
	}
	return t.rewriteNarrow(ctx, "", nil, "akte_id", akteID, [][2]string{{before, after}})
}

// LockForIndex share-locks an Akte row on PostgreSQL before the indexer
// reads it and its grants (see regrant); SQLite has one writer anyway.
func (t *tx) LockForIndex(ctx context.Context, akteID string) error {
	if !t.pg() {
		return nil
	}
	_, err := t.exec(ctx, `SELECT 1 FROM akten WHERE id = ? FOR SHARE`, akteID)
	return err
}

// touchDokument marks a Dokument and copies its restriction.
func (t *tx) touchDokument(ctx context.Context, d records.Dokument) error {
	restricted := d.Beschraenkung != nil
	if _, err := t.exec(ctx, `UPDATE search_docs SET dokument_restricted = ? WHERE object_id = ? AND dokument_restricted <> ?`,
		restricted, d.ID, restricted); err != nil {
		return err
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: d.ID, ObjectType: records.ObjDokument, TenantID: d.TenantID})
}

// --- recognised text ---------------------------------------------------------------

const textCols = `dokument_id, tenant_id, version, status, methode, grund, ocr, seiten, COALESCE(pdfa_sha256, ''), updated_at`

func scanText(r interface{ Scan(...any) error }, withText bool) (records.DokumentText, error) {
	var x records.DokumentText
	dest := []any{&x.DokumentID, &x.TenantID, &x.Version, &x.Status, &x.Methode, &x.Grund, &x.OCR, &x.Seiten, &x.PDFASHA256, &x.UpdatedAt}
	if withText {
		dest = append(dest, &x.Text)
	}
	err := r.Scan(dest...)
	x.UpdatedAt = x.UpdatedAt.UTC()
	return x, err
}

func (t *tx) DokumentText(ctx context.Context, dokumentID string) (records.DokumentText, error) {
	x, err := scanText(t.row(ctx, `SELECT `+textCols+`, text FROM dokument_texte WHERE dokument_id = ?`, dokumentID), true)
	return x, one(err)
}

func (t *tx) DokumentTextHeads(ctx context.Context, ids []string, maxChars int) (map[string]string, error) {
	return findByIDs(ctx, t, `SELECT dokument_id, substr(text, 1, ?) FROM dokument_texte WHERE dokument_id IN (`+t.db.dialect.JSONList+`) AND text <> ''`, ids,
		func(r *sql.Rows) (id, s string, err error) {
			err = r.Scan(&id, &s)
			return id, s, err
		}, maxChars)
}

func (t *tx) PutDokumentText(ctx context.Context, x records.DokumentText) error {
	if _, err := t.exec(ctx, `INSERT INTO dokument_texte (dokument_id, tenant_id, version, status, methode, grund, ocr, seiten, pdfa_sha256, text, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dokument_id) DO UPDATE SET version = excluded.version, status = excluded.status, methode = excluded.methode,
			grund = excluded.grund, ocr = excluded.ocr, seiten = excluded.seiten, pdfa_sha256 = excluded.pdfa_sha256,
			text = excluded.text, updated_at = excluded.updated_at`,
		x.DokumentID, x.TenantID, x.Version, x.Status, x.Methode, x.Grund, x.OCR, x.Seiten, nullID(x.PDFASHA256), x.Text, x.UpdatedAt.UTC()); err != nil {
		return err
	}
	return t.MarkSearch(ctx, records.SearchPending{ObjectID: x.DokumentID, ObjectType: records.ObjDokument, TenantID: x.TenantID})
}

func (t *tx) SetTextState(ctx context.Context, x records.DokumentText) error {
	_, err := t.exec(ctx, `INSERT INTO dokument_texte (dokument_id, tenant_id, version, status, methode, grund, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (dokument_id) DO UPDATE SET version = excluded.version, status = excluded.status, methode = excluded.methode,
			grund = excluded.grund, updated_at = excluded.updated_at`,
		x.DokumentID, x.TenantID, x.Version, x.Status, x.Methode, x.Grund, x.UpdatedAt.UTC())
	return err
}

func (t *tx) DokumentTexteIn(ctx context.Context, status string, before time.Time, limit int) ([]records.DokumentText, error) {
	rows, err := t.query(ctx, `SELECT `+textCols+` FROM dokument_texte WHERE status = ? AND updated_at < ?
		ORDER BY updated_at LIMIT `+strconv.Itoa(limit), status, before.UTC())
	return scanAll(rows, err, func(r *sql.Rows) (records.DokumentText, error) { return scanText(r, false) })
}
