package records

import (
	"context"
	"fmt"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/blob"
)

// SaveMiniatur records sha (a blob stored with StoreDerived) as the
// thumbnail of a version (the thumbnail job calls it; not a user action and
// not audited). sha "" removes the reference.
func (s *Service) SaveMiniatur(ctx context.Context, dokumentID string, nummer int, sha string) error {
	return s.store.Write(ctx, func(tx Tx) error {
		d, err := tx.FindDokument(ctx, dokumentID)
		if err != nil {
			return notFound(err, "Dokument")
		}
		return notFound(tx.SetMiniatur(ctx, d.TenantID, dokumentID, nummer, sha), "Version")
	})
}

// OpenMiniatur opens the thumbnail (PNG) of the newest version of a
// Dokument p may read the content of; 404 when there is none (yet). The
// returned Version is the newest version with SHA256 the thumbnail's hash.
// Thumbnail reads are not audited (a Vorgang page shows up to 50 of them;
// the preview and downloads are).
func (s *Service) OpenMiniatur(ctx context.Context, p Principal, dokumentID string) (Version, blob.File, error) {
	if err := need(p, access.ReadContent); err != nil {
		return Version{}, nil, err
	}
	var ver Version
	err := s.store.Read(ctx, func(tx Tx) error {
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadContent)
		if err != nil {
			return err
		}
		if d.Versionen < 1 {
			return apperr.NotFound("Miniatur")
		}
		if ver, err = tx.GetVersion(ctx, d.TenantID, d.ID, d.Versionen); err != nil {
			return notFound(err, "Version")
		}
		sha, err := tx.Miniatur(ctx, d.TenantID, d.ID, d.Versionen)
		if err != nil {
			return notFound(err, "Miniatur")
		}
		if sha == "" {
			return apperr.NotFound("Miniatur")
		}
		ver.SHA256, ver.MimeType = sha, "image/png"
		return nil
	})
	if err != nil {
		return Version{}, nil, err
	}
	f, err := s.blobs.Open(ctx, ver.SHA256)
	if err != nil {
		return Version{}, nil, fmt.Errorf("miniatur (%s): %w", ver.SHA256, err)
	}
	ver.Size = f.Size()
	return ver, f, nil
}

// Thumbnail states of a version or a Posteingang item (migration 00015).
const (
	// MiniaturAusstehend: nothing asked yet; the sweeper enqueues a job.
	MiniaturAusstehend = "ausstehend"
	// MiniaturEingereiht: a job was enqueued by the sweeper, or an attempt
	// failed in a way a retry may cure; the job queue owns it now.
	MiniaturEingereiht = "eingereiht"
	// MiniaturErstellt: the thumbnail exists.
	MiniaturErstellt = "erstellt"
	// MiniaturKeine: type or content cannot give a thumbnail (final).
	MiniaturKeine = "keine"
)

// MarkMiniatur records the thumbnail state of a version (the thumbnail job
// and its sweeper; not a user action).
func (s *Service) MarkMiniatur(ctx context.Context, dokumentID string, nummer int, status string) error {
	return s.store.Write(ctx, func(tx Tx) error {
		d, err := tx.FindDokument(ctx, dokumentID)
		if err != nil {
			return notFound(err, "Dokument")
		}
		return notFound(tx.SetMiniaturStatus(ctx, d.TenantID, dokumentID, nummer, status), "Version")
	})
}

// PendingMiniaturen lists versions (any tenant) still in thumbnail state
// ausstehend that were created before a time, oldest first, at most limit.
func (s *Service) PendingMiniaturen(ctx context.Context, before time.Time, limit int) ([]Version, error) {
	var out []Version
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.MiniaturenAusstehend(ctx, before.UTC().Truncate(time.Microsecond), limit)
		return err
	})
	return out, err
}

// SavePostMiniatur records sha (a blob stored with StoreDerived) as the
// thumbnail of a Posteingang item ("" with status MiniaturKeine or
// MiniaturEingereiht records only the state).
func (s *Service) SavePostMiniatur(ctx context.Context, itemID, sha, status string) error {
	if sha != "" {
		status = MiniaturErstellt
	}
	return s.store.Write(ctx, func(tx Tx) error {
		return notFound(tx.SetPostMiniatur(ctx, itemID, sha, status), "Posteingang")
	})
}

// PendingPostMiniaturen lists Posteingang items (any tenant) still in
// thumbnail state ausstehend that arrived before a time, oldest first.
func (s *Service) PendingPostMiniaturen(ctx context.Context, before time.Time, limit int) ([]PostItem, error) {
	var out []PostItem
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.PostMiniaturenAusstehend(ctx, before.UTC().Truncate(time.Microsecond), limit)
		return err
	})
	return out, err
}

// OpenPostMiniatur opens the thumbnail (PNG) of a Posteingang item p may
// see (the checks of the item itself: another tenant's or unit's item is
// the same 404 as an unknown one); 404 when there is none (yet). Not
// audited, like the thumbnails of Dokumente.
func (s *Service) OpenPostMiniatur(ctx context.Context, p Principal, itemID string) (PostItem, blob.File, error) {
	var it PostItem
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		if it, err = s.postFor(ctx, tx, p, itemID); err != nil {
			return err
		}
		if it.MiniaturSHA256 == "" {
			return apperr.NotFound("Miniatur")
		}
		return nil
	})
	if err != nil {
		return PostItem{}, nil, err
	}
	f, err := s.blobs.Open(ctx, it.MiniaturSHA256)
	if err != nil {
		return PostItem{}, nil, fmt.Errorf("miniatur (%s): %w", it.MiniaturSHA256, err)
	}
	return it, f, nil
}
