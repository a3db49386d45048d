package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Seeding bypasses the service: creating 2 × 100,000 Akten one durable
// transaction each (plus audit entries) would take longer than the whole
// benchmark may. The rows go into the real tables with multi-row INSERTs,
// in batches inside transactions: akten, the aktenzeichen registry (every
// Aktenzeichen ever assigned) and the counters the service draws the next
// serial from, so that the service keeps working on the seeded data (each
// step creates one more Akte through the service to prove it). Seeded Akten
// have no audit entries; no measured read touches the audit log.

const seedBatch = 1000

var (
	seedThemen = []string{
		"Zuwendung", "Förderantrag", "Verwendungsnachweis", "Haushaltsmittelanmeldung", "Prüfmitteilung",
		"Widerspruch", "Petition", "Bauantrag", "Vergabeverfahren", "Rahmenvertrag", "Personalvorgang",
		"Stellenbesetzung", "Dienstvereinbarung", "Organisationsuntersuchung", "Liegenschaftsverwaltung",
		"Datenschutzanfrage", "Kleine Anfrage", "Beihilfeantrag", "Mietvertrag", "IT-Beschaffung",
	}
	seedOrte = []string{
		"Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Nordhausen", "Eisenach", "Suhl", "Mühlhausen",
		"Altenburg", "Ilmenau", "Saalfeld", "Arnstadt", "Sonneberg", "Apolda", "Meiningen", "Greiz",
		"Rudolstadt", "Sömmerda", "Bad Salzungen",
	}
	seedTraeger = []string{
		"Stadt", "Gemeinde", "Landkreis", "Zweckverband", "Verein Kulturhaus", "Stadtwerke",
		"Kreisvolkshochschule", "Feuerwehrverein", "Musikschule", "Sportbund",
	}
)

func (st *stack) seedTitle(i int) string {
	r := st.rnd
	return fmt.Sprintf("%s %s %s – Vorgang %d/%d", seedThemen[r.IntN(len(seedThemen))],
		seedTraeger[r.IntN(len(seedTraeger))], seedOrte[r.IntN(len(seedOrte))], st.year-r.IntN(4), i%997+1)
}

var placeholderRE = regexp.MustCompile(`\{([a-z]+)(?::([0-9]))?\}`)

// renderAz renders an Aktenzeichen pattern like the service does; serial < 0
// renders the counter scope (serial as "#").
func renderAz(pattern string, vars map[string]string, serial int64) string {
	return placeholderRE.ReplaceAllStringFunc(pattern, func(s string) string {
		m := placeholderRE.FindStringSubmatch(s)
		if m[1] != "serial" {
			return vars[m[1]]
		}
		if serial < 0 {
			return "#"
		}
		width := 1
		if m[2] != "" {
			width, _ = strconv.Atoi(m[2])
		}
		return fmt.Sprintf("%0*d", width, serial)
	})
}

// seedAkten adds n Akten to t in bulk, spread over its Aktenplan positions
// and, when t has an org tree, over its Referate (each Akte belongs to one
// at random; otherwise to no unit, i.e. the whole tenant).
func (st *stack) seedAkten(ctx context.Context, t *tenant, n int) error {
	if n <= 0 {
		return nil
	}
	w := st.db.Writer()
	// Current counter of every position's scope.
	type pos struct {
		id, scope string
		vars      map[string]string
		serial    int64
	}
	var ps []*pos
	for _, e := range t.plan {
		vars := map[string]string{"tenant": t.Code, "kennzeichen": e.Kennzeichen, "year": strconv.Itoa(st.year)}
		p := &pos{id: e.ID, scope: renderAz(t.AzPattern, vars, -1), vars: vars}
		err := w.QueryRowContext(ctx, `SELECT value FROM counters WHERE tenant_id = `+st.ph(1)+` AND scope = `+st.ph(2), t.ID, p.scope).Scan(&p.serial)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("counter %s: %w", p.scope, err)
		}
		ps = append(ps, p)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	const akteCols = 13
	for done := 0; done < n; {
		k := min(seedBatch, n-done)
		var akten, azs strings.Builder
		akten.WriteString(`INSERT INTO akten (id, tenant_id, aktenplan_id, aktenzeichen, titel, beschreibung, status, metadaten, created_by, created_at, updated_at, closed_at, owner_unit_id) VALUES `)
		azs.WriteString(`INSERT INTO aktenzeichen (tenant_id, aktenzeichen, object_type, object_id) VALUES `)
		aArgs := make([]any, 0, k*akteCols)
		zArgs := make([]any, 0, k*4)
		ids, newAzs, owners := make([]string, 0, k), make([]string, 0, k), make([]int, 0, k)
		for j := range k {
			i := done + j
			p := ps[st.rnd.IntN(len(ps))]
			p.serial++
			id := uuid.Must(uuid.NewV7()).String()
			az := renderAz(t.AzPattern, p.vars, p.serial)
			created := now.Add(-time.Duration(st.rnd.IntN(3*365*24)) * time.Hour)
			status, closed := "offen", any(nil)
			if st.rnd.IntN(10) == 0 {
				status, closed = "zda", created.Add(90*24*time.Hour)
			}
			beschr, meta := "", "{}"
			if i%3 == 0 {
				beschr = "Angelegt bei der Übernahme aus dem Altverfahren."
				meta = fmt.Sprintf(`{"altverfahren_id":"ALT-%07d","foerderkennzeichen":"FK-%d-%05d"}`, i, st.year, i%100000)
			}
			if j > 0 {
				akten.WriteByte(',')
				azs.WriteByte(',')
			}
			b := len(aArgs)
			akten.WriteByte('(')
			for c := 1; c <= akteCols; c++ {
				if c > 1 {
					akten.WriteByte(',')
				}
				akten.WriteString(st.ph(b + c))
			}
			akten.WriteByte(')')
			ref, owner := -1, any(nil)
			if len(t.referate) > 0 {
				ref = st.rnd.IntN(len(t.referate))
				owner = t.referate[ref]
			}
			aArgs = append(aArgs, id, t.ID, p.id, az, st.seedTitle(i), beschr, status, meta, "bench", created, created, closed, owner)
			b = len(zArgs)
			fmt.Fprintf(&azs, "(%s,%s,%s,%s)", st.ph(b+1), st.ph(b+2), st.ph(b+3), st.ph(b+4))
			zArgs = append(zArgs, t.ID, az, "akte", id)
			ids, newAzs, owners = append(ids, id), append(newAzs, az), append(owners, ref)
		}
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, akten.String(), aArgs...); err != nil {
			tx.Rollback()
			return fmt.Errorf("seed akten: %w", err)
		}
		if _, err := tx.ExecContext(ctx, azs.String(), zArgs...); err != nil {
			tx.Rollback()
			return fmt.Errorf("seed aktenzeichen: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		t.akten = append(t.akten, ids...)
		t.azs = append(t.azs, newAzs...)
		t.owner = append(t.owner, owners...)
		done += k
	}
	// Counters, so that the next Akte the service creates gets a fresh serial.
	for _, p := range ps {
		if _, err := w.ExecContext(ctx, fmt.Sprintf(`INSERT INTO counters (tenant_id, scope, value) VALUES (%s,%s,%s)
			ON CONFLICT (tenant_id, scope) DO UPDATE SET value = excluded.value`, st.ph(1), st.ph(2), st.ph(3)), t.ID, p.scope, p.serial); err != nil {
			return fmt.Errorf("seed counters: %w", err)
		}
	}
	return nil
}

// seedGrants gives read grants (Freigaben) on randomly chosen Akten of from
// to the whole tenant to, until want of from's Akten are shared. The rows go
// into the grants table in bulk, as the service would write them (no
// expiry, not revoked; no audit entries).
func (st *stack) seedGrants(ctx context.Context, from, to *tenant, want int) (int, error) {
	if want > len(from.akten) {
		return 0, fmt.Errorf("%d grants wanted, %s has %d Akten", want, from.Code, len(from.akten))
	}
	w := st.db.Writer()
	now := time.Now().UTC().Truncate(time.Microsecond)
	const grantCols = 8
	added := 0
	for len(from.granted) < want {
		var q strings.Builder
		q.WriteString(`INSERT INTO grants (id, tenant_id, akte_id, grantee_tenant_id, level, created_by, created_at, revoked_at) VALUES `)
		var args []any
		batch := map[string]bool{}
		for len(from.granted)+len(batch) < want && len(batch) < seedBatch {
			id := from.akten[st.rnd.IntN(len(from.akten))]
			if from.granted[id] || batch[id] {
				continue
			}
			batch[id] = true
			if len(args) > 0 {
				q.WriteByte(',')
			}
			q.WriteByte('(')
			for c := 1; c <= grantCols; c++ {
				if c > 1 {
					q.WriteByte(',')
				}
				q.WriteString(st.ph(len(args) + c))
			}
			q.WriteByte(')')
			args = append(args, uuid.Must(uuid.NewV7()).String(), from.ID, id, to.ID, "read", "bench", now, nil)
		}
		if _, err := w.ExecContext(ctx, q.String(), args...); err != nil {
			return added, fmt.Errorf("seed grants: %w", err)
		}
		for id := range batch {
			from.granted[id] = true
		}
		added += len(batch)
	}
	return added, nil
}

// countAkten counts a tenant's Akten directly in the database.
func (st *stack) countAkten(ctx context.Context, tenantID string) (int, error) {
	var n int
	err := st.db.Writer().QueryRowContext(ctx, `SELECT COUNT(*) FROM akten WHERE tenant_id = `+st.ph(1), tenantID).Scan(&n)
	return n, err
}
