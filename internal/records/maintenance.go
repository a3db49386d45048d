package records

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"aktenwerk/internal/audit"
	"aktenwerk/internal/blob"
)

// AuditReport is the result of verifying all audit chains.
type AuditReport struct {
	Tenants int
	Entries int64
	Breaks  []audit.Break
	// Pending entries are committed but not yet linked into their chain
	// (normally for well under a second after their write).
	Pending       int
	OldestPending time.Time
}

// VerifyAudit recomputes every tenant's hash chain and compares its end with
// the stored head. It reports the first break of each broken chain and the
// entries not yet chained (it does not chain them: verification changes
// nothing).
func (s *Service) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	err := s.store.Read(ctx, func(tx Tx) error {
		pending, err := tx.PendingAuditTenants(ctx)
		if err != nil {
			return err
		}
		for _, p := range pending {
			rep.Pending += p.Count
			if rep.OldestPending.IsZero() || p.Oldest.Before(rep.OldestPending) {
				rep.OldestPending = p.Oldest
			}
		}
		heads, err := tx.AuditHeads(ctx)
		if err != nil {
			return err
		}
		for _, h := range heads {
			rep.Tenants++
			v := audit.NewVerifier(h.TenantID)
			if err := tx.WalkAudit(ctx, h.TenantID, func(e audit.Entry) error {
				if v.Add(e) != nil {
					return errStop
				}
				return nil
			}); err != nil && !errors.Is(err, errStop) {
				return err
			}
			if b := v.Finish(h); b != nil {
				rep.Breaks = append(rep.Breaks, *b)
			}
			rep.Entries += v.Checked()
		}
		return nil
	})
	return rep, err
}

var errStop = errors.New("stop")

// FsckReport lists inconsistencies between versions and blobs.
type FsckReport struct {
	Referenced int
	Blobs      int
	Missing    []string // referenced by a version, absent from the blob store
	Corrupt    []string // content does not hash to its name (VerifyContent only)
	Orphans    []blob.Object
	Removed    int // orphans and temp files removed (Repair only)
}

// FsckOptions control Fsck.
type FsckOptions struct {
	VerifyContent bool          // re-hash every blob
	Repair        bool          // remove orphans older than Grace and stale temp files
	Grace         time.Duration // orphans younger than this may belong to an upload in flight
}

// Fsck compares the blob store with the versions that reference it.
func (s *Service) Fsck(ctx context.Context, o FsckOptions) (FsckReport, error) {
	var rep FsckReport
	if o.Grace <= 0 {
		o.Grace = time.Hour
	}
	// List blobs first: a blob written after this listing cannot be reported
	// as orphan, and one referenced after it is in the reference set below.
	var objs []blob.Object
	if err := s.blobs.Walk(ctx, func(ob blob.Object) error { objs = append(objs, ob); return nil }); err != nil {
		return rep, fmt.Errorf("walk blobs: %w", err)
	}
	rep.Blobs = len(objs)
	refs := map[string]bool{}
	if err := s.store.Read(ctx, func(tx Tx) error {
		return tx.WalkBlobRefs(ctx, func(sha string) error { refs[sha] = true; return nil })
	}); err != nil {
		return rep, err
	}
	rep.Referenced = len(refs)
	present := map[string]bool{}
	for _, ob := range objs {
		present[ob.SHA256] = true
		if !refs[ob.SHA256] {
			rep.Orphans = append(rep.Orphans, ob)
		}
		if o.VerifyContent {
			ok, err := s.verifyBlob(ctx, ob.SHA256)
			if err != nil {
				return rep, err
			}
			if !ok {
				rep.Corrupt = append(rep.Corrupt, ob.SHA256)
			}
		}
	}
	for sha := range refs {
		if !present[sha] {
			if _, err := s.blobs.Stat(ctx, sha); errors.Is(err, blob.ErrNotFound) {
				rep.Missing = append(rep.Missing, sha)
			}
		}
	}
	if o.Repair {
		cutoff := time.Now().Add(-o.Grace)
		for _, ob := range rep.Orphans {
			if ob.ModTime.After(cutoff) {
				continue
			}
			// Re-check under the current state: an upload may have
			// committed a reference since the listing.
			var used bool
			if err := s.store.Read(ctx, func(tx Tx) (err error) { used, err = tx.BlobReferenced(ctx, ob.SHA256); return }); err != nil {
				return rep, err
			}
			if !used && s.blobs.Delete(ctx, ob.SHA256) == nil {
				rep.Removed++
			}
		}
		n, err := s.blobs.CleanTemp(ctx, o.Grace)
		if err != nil {
			return rep, err
		}
		rep.Removed += n
	}
	return rep, nil
}

func (s *Service) verifyBlob(ctx context.Context, sha string) (bool, error) {
	f, err := s.blobs.Open(ctx, sha)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == sha, nil
}
