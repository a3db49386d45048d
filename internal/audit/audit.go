// Package audit defines the append-only, hash-chained audit trail. Each
// tenant has its own chain: entry n stores the hash of entry n-1, and its own
// hash covers all of its fields plus that predecessor hash. Altering,
// removing or reordering any row breaks the chain at that row, and the
// per-tenant head (last sequence number and hash) catches a removed tail.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Entry is one audit record. It is written with the change it records
// (Seq 0, no hashes yet) and linked into its tenant's chain shortly after
// commit (see records.Service.ChainAudit).
type Entry struct {
	ID         string          `json:"id"`
	TenantID   string          `json:"-"`
	Seq        int64           `json:"seq"` // position in the chain; 0 = not yet chained
	At         time.Time       `json:"at"`
	ActorID    string          `json:"actor_id,omitempty"`
	Actor      string          `json:"actor"`
	OnBehalfOf string          `json:"on_behalf_of,omitempty"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Changes    json.RawMessage `json:"changes,omitempty"`
	PrevHash   string          `json:"prev_hash"` // empty until chained
	Hash       string          `json:"hash"`      // empty until chained
}

// Change is the before/after of one field.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// Changes maps field names to their before/after values.
type Changes map[string]Change

// Compute returns the hash of e given its PrevHash. The serialisation is a
// JSON array (length-delimited by construction), so no field can bleed into
// the next.
func Compute(e Entry) string {
	changes := string(e.Changes)
	fields := []any{
		e.ID, e.TenantID, e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.Actor,
		e.OnBehalfOf, e.Action, e.ObjectType, e.ObjectID, changes, e.PrevHash,
	}
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err) // only strings and ints: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Head is the stored end of a tenant's chain.
type Head struct {
	TenantID string
	Seq      int64
	Hash     string
}

// Break describes the first broken point of a chain.
type Break struct {
	TenantID string
	Seq      int64
	Reason   string
}

func (b Break) Error() string {
	return fmt.Sprintf("audit chain of tenant %s broken at entry %d: %s", b.TenantID, b.Seq, b.Reason)
}

// Verifier checks one tenant's entries fed in ascending sequence order.
type Verifier struct {
	tenant   string
	wantSeq  int64
	prevHash string
	broken   *Break
}

// NewVerifier starts verification of a tenant's chain.
func NewVerifier(tenantID string) *Verifier {
	return &Verifier{tenant: tenantID, wantSeq: 1}
}

// Add feeds the next entry. It returns the first break found (and keeps
// returning it).
func (v *Verifier) Add(e Entry) *Break {
	if v.broken != nil {
		return v.broken
	}
	switch {
	case e.Seq != v.wantSeq:
		v.broken = &Break{v.tenant, v.wantSeq, fmt.Sprintf("expected entry %d, found %d (entry removed or reordered)", v.wantSeq, e.Seq)}
	case e.PrevHash != v.prevHash:
		v.broken = &Break{v.tenant, e.Seq, "predecessor hash does not match (entry before it altered, removed or reordered)"}
	case Compute(e) != e.Hash:
		v.broken = &Break{v.tenant, e.Seq, "content does not match its hash (entry altered)"}
	}
	if v.broken != nil {
		return v.broken
	}
	v.prevHash = e.Hash
	v.wantSeq++
	return nil
}

// Finish compares the end of the chain with the stored head.
func (v *Verifier) Finish(h Head) *Break {
	if v.broken != nil {
		return v.broken
	}
	last := v.wantSeq - 1
	if h.Seq != last || h.Hash != v.prevHash {
		v.broken = &Break{v.tenant, last + 1, fmt.Sprintf("chain ends at entry %d but the head records entry %d (entries at the end removed or head altered)", last, h.Seq)}
	}
	return v.broken
}

// Checked returns the number of entries verified so far.
func (v *Verifier) Checked() int64 { return v.wantSeq - 1 }
