package records

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"

	"aktenwerk/internal/search"
)

// The index is maintained incrementally: every write of an Akte, Vorgang
// or Dokument (and every recognised text) marks the object in
// search_pending in its own transaction, and IndexPending rebuilds the
// rows of marked objects. Rebuilding is idempotent (the rows are replaced),
// and a mark is removed only if it was not renewed meanwhile, so a change
// during indexing is indexed again. A crash loses nothing: the marks are
// committed with the changes.

// Chunking: PostgreSQL keeps word positions only up to 16383 per tsvector,
// so a long text is indexed in pieces of ChunkWords words (chunk 0 also
// carries the metadata fields). Both backends get the same pieces. A query
// matches an object if one piece matches it as a whole.
const (
	ChunkWords = 4000
	// MaxIndexedText bounds the text indexed per Dokument (bytes).
	MaxIndexedText = 4 << 20
)

// IndexPending indexes marked objects, at most max (≤ 0: until none is
// left), and returns how many it processed.
func (s *Service) IndexPending(ctx context.Context, max int) (int, error) {
	done := 0
	for max <= 0 || done < max {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		batch := 100
		if max > 0 {
			batch = min(batch, max-done)
		}
		var n int
		now := s.timestamp()
		if err := s.store.Write(ctx, func(tx Tx) error {
			marks, err := tx.PendingSearch(ctx, batch)
			if err != nil {
				return err
			}
			n = 0
			c := &indexCache{akten: map[string]Akte{}, grantees: map[string][]string{}, vorgaenge: map[string]Vorgang{}}
			size := 0
			for _, m := range marks {
				k, err := s.indexOne(ctx, tx, c, m, now)
				if err != nil {
					return fmt.Errorf("index %s %s: %w", m.ObjectType, m.ObjectID, err)
				}
				n++
				// The analysis runs inside the write transaction (on SQLite
				// it holds the only writer): a batch ends after a few MB of
				// terms, the rest of the marks come in the next one.
				if size += k; size > maxBatchTerms {
					break
				}
			}
			return nil
		}); err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		done += n
	}
	return done, nil
}

// RunIndexer indexes marked objects until ctx ends, looking for marks every
// interval (they may come from any node and from the CLI). Every node may
// run it; on PostgreSQL the marks are claimed with SKIP LOCKED, so nodes
// share the work.
//
// Between batches of marks it backfills the index (BackfillSearch), a
// batch at a time, so that new marks never wait for more than one batch.
func (s *Service) RunIndexer(ctx context.Context, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	backfill, started := true, false
	for {
		n, err := s.IndexPending(ctx, 1000)
		if err != nil && ctx.Err() == nil {
			log.Warn("search indexer", "err", err)
		}
		if n == 1000 {
			continue // more to do
		}
		if backfill && err == nil {
			left, err := s.BackfillSearch(ctx, backfillBatch)
			switch {
			case err != nil && ctx.Err() == nil:
				log.Warn("search backfill", "err", err)
			case err == nil && left == 0:
				if started {
					log.Info("search backfill done: phrase queries use the word pairs now")
				}
				backfill = false
			case err == nil:
				if !started {
					log.Info("search backfill: adding word pairs to the older index rows, newest first", "rows_below_seq", left)
					started = true
				}
				continue // more to do
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// backfillBatch is the number of index rows one backfill transaction
// looks at: at 1 M rows on PostgreSQL with Debian's default settings 2,000
// rows took 5–7 s (the GIN index takes every new row version), so 500
// keep the rows locked for about 1.5 s (docs/benchmarks.md).
const backfillBatch = 500

// BackfillSearch runs one batch of the index backfill (Tx.BackfillSearch)
// and returns how many rows are left; it logs nothing, RunIndexer does.
func (s *Service) BackfillSearch(ctx context.Context, rows int) (int64, error) {
	var left int64
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		left, err = tx.BackfillSearch(ctx, rows)
		return err
	})
	return left, err
}

// Reindex marks every Akte with its subtree; IndexPending then rebuilds
// the whole index while search keeps answering from the old rows.
func (s *Service) Reindex(ctx context.Context) (int, error) {
	var n int
	err := s.store.Write(ctx, func(tx Tx) (err error) {
		n, err = tx.MarkAllSearch(ctx, s.timestamp())
		return err
	})
	return n, err
}

// SearchStats counts index rows and objects waiting for the indexer.
func (s *Service) SearchStats(ctx context.Context) (rows, pending int, err error) {
	err = s.store.Read(ctx, func(tx Tx) (err error) {
		rows, pending, err = tx.SearchStats(ctx)
		return err
	})
	return
}

type indexCache struct {
	akten     map[string]Akte
	grantees  map[string][]string
	vorgaenge map[string]Vorgang
}

// akte reads an Akte and its grantees (GranteeValues), after locking it for
// the rest of the transaction: its owner and grants cannot change before
// the rows built from them are written.
func (c *indexCache) akte(ctx context.Context, tx Tx, id string) (Akte, error) {
	if a, ok := c.akten[id]; ok {
		return a, nil
	}
	if err := tx.LockForIndex(ctx, id); err != nil {
		return Akte{}, err
	}
	a, err := tx.FindAkte(ctx, id)
	if err != nil {
		return a, err
	}
	grants, err := tx.ListGrants(ctx, id)
	if err != nil {
		return a, err
	}
	c.akten[id], c.grantees[id] = a, GranteeValues(grants)
	return a, nil
}

func (c *indexCache) vorgang(ctx context.Context, tx Tx, id string) (Vorgang, error) {
	if v, ok := c.vorgaenge[id]; ok {
		return v, nil
	}
	v, err := tx.FindVorgang(ctx, id)
	if err == nil {
		c.vorgaenge[id] = v
	}
	return v, err
}

// maxBatchTerms bounds the terms (bytes) one indexing transaction writes.
const maxBatchTerms = 4 << 20

// indexOne rebuilds one object's rows and returns the bytes of terms.
func (s *Service) indexOne(ctx context.Context, tx Tx, c *indexCache, m SearchPending, now time.Time) (int, error) {
	if m.Subtree {
		if err := tx.ExpandSearch(ctx, m, now); err != nil {
			return 0, err
		}
	}
	docs, err := s.searchDocs(ctx, tx, c, m)
	if errors.Is(err, ErrNoRows) {
		docs, err = nil, nil // gone: no rows
	}
	if err != nil {
		return 0, err
	}
	if err := tx.ReplaceSearchDocs(ctx, m.ObjectID, docs, now); err != nil {
		return 0, err
	}
	size := 0
	for _, d := range docs {
		size += len(d.Terms)
	}
	return size, tx.ClearSearchMark(ctx, m.ObjectID, m.Gen)
}

// searchDocs builds the index rows of one object.
func (s *Service) searchDocs(ctx context.Context, tx Tx, c *indexCache, m SearchPending) ([]SearchDoc, error) {
	switch m.ObjectType {
	case ObjAkte:
		a, err := c.akte(ctx, tx, m.ObjectID)
		if err != nil {
			return nil, err
		}
		base := SearchDoc{ObjectID: a.ID, ObjectType: ObjAkte, TenantID: a.TenantID, AkteID: a.ID, OwnerUnitID: a.OwnerUnitID, AktenplanID: a.AktenplanID, Grantees: c.grantees[a.ID],
			Aktenzeichen: a.Aktenzeichen, Titel: a.Titel, Typ: "Akte", Status: a.Status, Datum: civilDate(a.CreatedAt)}
		return chunked(base, search.Doc{Aktenzeichen: a.Aktenzeichen, Titel: a.Titel, Typ: "Akte", Datum: civilDay(a.CreatedAt)},
			joinText(a.Beschreibung, metadataText(a.Metadaten))), nil
	case ObjVorgang:
		v, err := c.vorgang(ctx, tx, m.ObjectID)
		if err != nil {
			return nil, err
		}
		a, err := c.akte(ctx, tx, v.AkteID)
		if err != nil {
			return nil, err
		}
		base := SearchDoc{ObjectID: v.ID, ObjectType: ObjVorgang, TenantID: v.TenantID, AkteID: a.ID, VorgangID: v.ID, OwnerUnitID: a.OwnerUnitID, Grantees: c.grantees[a.ID],
			AktenplanID: a.AktenplanID, Aktenzeichen: v.Aktenzeichen, Titel: v.Betreff, Typ: "Vorgang", Status: v.Status,
			Datum: civilDate(v.CreatedAt)}
		return chunked(base, search.Doc{Aktenzeichen: v.Aktenzeichen, Titel: v.Betreff, Typ: "Vorgang", Datum: civilDay(v.CreatedAt)},
			metadataText(v.Metadaten)), nil
	case ObjDokument:
		d, err := tx.FindDokument(ctx, m.ObjectID)
		if err != nil {
			return nil, err
		}
		v, err := c.vorgang(ctx, tx, d.VorgangID)
		if err != nil {
			return nil, err
		}
		a, err := c.akte(ctx, tx, v.AkteID)
		if err != nil {
			return nil, err
		}
		datum := civilDate(d.CreatedAt)
		for _, p := range []*string{d.Dokumentdatum, d.Eingangsdatum} {
			if p != nil && *p != "" {
				datum = *p
				break
			}
		}
		var text []string
		text = append(text, d.Empfaenger)
		if d.Versionen > 0 {
			if ver, err := tx.GetVersion(ctx, d.TenantID, d.ID, d.Versionen); err == nil {
				text = append(text, ver.Dateiname)
			} else if !errors.Is(err, ErrNoRows) {
				return nil, err
			}
		}
		if t, err := tx.DokumentText(ctx, d.ID); err == nil {
			text = append(text, t.Text)
		} else if !errors.Is(err, ErrNoRows) {
			return nil, err
		}
		base := SearchDoc{ObjectID: d.ID, ObjectType: ObjDokument, TenantID: d.TenantID, AkteID: a.ID, VorgangID: v.ID, OwnerUnitID: a.OwnerUnitID, Grantees: c.grantees[a.ID],
			AktenplanID: a.AktenplanID, Aktenzeichen: v.Aktenzeichen, Titel: d.Betreff, Typ: d.Typ, Status: v.Status, Datum: datum}
		dt, _ := time.Parse("2006-01-02", datum)
		return chunked(base, search.Doc{Aktenzeichen: v.Aktenzeichen, Titel: d.Betreff, Absender: d.Absender, Typ: d.Typ, Datum: dt},
			joinText(text...)), nil
	}
	return nil, fmt.Errorf("unknown object type %q", m.ObjectType)
}

// IndexRows builds the index rows of one object: base with the terms of
// meta and text, split into pieces of ChunkWords words (chunk 0 carries
// the fields of meta and the first piece, the others only their piece).
// Loaders that bypass the records (benchmarks, relevance tests) use it to
// produce exactly what the indexer would.
func IndexRows(base SearchDoc, meta search.Doc, text string) []SearchDoc {
	return chunked(base, meta, text)
}

func chunked(base SearchDoc, meta search.Doc, text string) []SearchDoc {
	if len(text) > MaxIndexedText {
		text = text[:MaxIndexedText]
	}
	narrow := narrowTerms(base)
	pieces := splitWords(text, ChunkWords)
	out := make([]SearchDoc, 0, len(pieces))
	for i, p := range pieces {
		d := base
		d.Chunk = i
		doc := search.Doc{Text: p}
		if i == 0 {
			doc = meta
			doc.Text = p
		}
		d.Terms = search.IndexText(doc) + narrow
		out = append(out, d)
	}
	return out
}

// Narrowing terms (search.FieldZugriff and friends) let the engine narrow a
// query to what the caller may see before SQL checks each row exactly:
// m<tenant> on every row of a tenant, t<tenant> on Akten without an owning
// unit, u<unit> for the owning unit, a<akte> for the Akte, and right after
// it one term per grantee of the Akte's grants (GranteeValues). Values are
// ids without their hyphens. When the owning unit, the Akte of a Vorgang,
// the Aktenplan position or the grants change, the store rewrites these
// terms in the same transaction (rewriteNarrow), so they are never
// missing; and they only ever narrow: SQL decides.
func narrowTerms(d SearchDoc) string {
	z := []string{"m" + tokenValue(d.TenantID), ownerToken(d.TenantID, d.OwnerUnitID)}
	return search.NarrowTerms(search.FieldZugriff, z...) + AkteGrantSegment(d.AkteID, d.Grantees) +
		search.NarrowTerms(search.FieldObjekt, d.ObjectType) +
		search.NarrowTerms(search.FieldAktenplan, tokenValue(d.AktenplanID)) + " " + search.Sentinel
}

// ownerToken is the narrowing value of an Akte's owner: its unit, or its
// tenant when no unit owns it.
func ownerToken(tenantID, unitID string) string {
	if unitID == "" {
		return "t" + tokenValue(tenantID)
	}
	return "u" + tokenValue(unitID)
}

// GranteeValues are the narrowing values of an Akte's grants that are not
// revoked (expired ones stay until revoked: the terms only narrow, SQL
// checks the expiry): g<tenant> for a grant to a whole tenant, h<unit> for
// one to a unit, p<user> for one to a person. Sorted, without repeats, so
// that the store and the indexer render the same segment.
func GranteeValues(grants []Grant) []string {
	var vals []string
	for _, g := range grants {
		switch {
		case g.RevokedAt != nil:
			continue
		case g.GranteeUserID != "":
			vals = append(vals, "p"+tokenValue(g.GranteeUserID))
		case g.GranteeUnitID != "":
			vals = append(vals, "h"+tokenValue(g.GranteeUnitID))
		default:
			vals = append(vals, "g"+tokenValue(g.GranteeTenantID))
		}
	}
	slices.Sort(vals)
	return slices.Compact(vals)
}

// AkteGrantSegment is the part of a stream naming the Akte and its
// grantees (with its leading space); the Akte term makes it unique in the
// stream, so the store replaces it as a whole when grants change.
func AkteGrantSegment(akteID string, grantees []string) string {
	return search.NarrowTerms(search.FieldZugriff, "a"+tokenValue(akteID)) + search.NarrowTerms(search.FieldZugriff, grantees...)
}

// OwnerNarrowTerm and AktenplanNarrowTerm are the stream terms (with their
// leading space) the store rewrites when an Akte changes hands, a Vorgang
// moves or an Akte is re-filed.
func OwnerNarrowTerm(tenantID, unitID string) string {
	return search.NarrowTerms(search.FieldZugriff, ownerToken(tenantID, unitID))
}

// AktenplanNarrowTerm: see OwnerNarrowTerm.
func AktenplanNarrowTerm(id string) string {
	return search.NarrowTerms(search.FieldAktenplan, tokenValue(id))
}

// viewerNarrowing is the query node of what v may see (see narrowTerms):
// its tenant's rows, or the rows of Akten owned by the tenant as a whole or
// by one of its units, and those granted to its tenant, its units or
// itself. Grants between the units of one tenant work the same way.
func viewerNarrowing(v Viewer) search.Node {
	if v.All {
		return search.Narrow(search.FieldZugriff, "m"+tokenValue(v.TenantID))
	}
	tenant := tokenValue(v.TenantID)
	vals := []string{"t" + tenant, "g" + tenant, "p" + tokenValue(v.UserID)}
	for _, u := range v.Units {
		vals = append(vals, "u"+tokenValue(u), "h"+tokenValue(u))
	}
	return search.Narrow(search.FieldZugriff, vals...)
}

// viewerBroadNarrowing is the coarse form of viewerNarrowing: every row of
// the caller's tenant instead of its units, plus the grantee terms of its
// tenant, itself and its units (grants may come from other tenants). nil
// for a viewer of the whole tenant (viewerNarrowing is already that).
func viewerBroadNarrowing(v Viewer) search.Node {
	if v.All {
		return nil
	}
	tenant := tokenValue(v.TenantID)
	vals := []string{"m" + tenant, "g" + tenant, "p" + tokenValue(v.UserID)}
	for _, u := range v.Units {
		vals = append(vals, "h"+tokenValue(u))
	}
	return search.Narrow(search.FieldZugriff, vals...)
}

// tokenValue keeps the letters and digits of an id, lower-cased.
func tokenValue(id string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, id)
}

// splitWords cuts text at white space into pieces of at most n words; it
// always returns at least one (possibly empty) piece.
func splitWords(text string, n int) []string {
	var out []string
	words, inWord, start := 0, false, 0
	for i, r := range text {
		sp := unicode.IsSpace(r)
		if !sp && !inWord {
			if words == n {
				out = append(out, text[start:i])
				start, words = i, 0
			}
			words++
		}
		inWord = !sp
	}
	return append(out, text[start:])
}

func joinText(parts ...string) string {
	parts = slices.DeleteFunc(parts, func(s string) bool { return strings.TrimSpace(s) == "" })
	return strings.Join(parts, "\n")
}

// metadataText is the searchable text of free metadata: its string and
// number values.
func metadataText(m Metadata) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		switch v := m[k].(type) {
		case string:
			parts = append(parts, v)
		case float64, int, int64:
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return strings.Join(parts, " ")
}

// civilDate is t's calendar date in Germany.
func civilDate(t time.Time) string { return t.In(berlin).Format("2006-01-02") }

// civilDay is that date as midnight UTC (search.Doc.Datum).
func civilDay(t time.Time) time.Time {
	d, _ := time.Parse("2006-01-02", civilDate(t))
	return d
}
