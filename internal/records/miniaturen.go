package records

import (
	"context"
	"fmt"

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
