package records

import (
	"context"
	"errors"

	"aktenwerk/internal/access"
)

// SaveText stores the text recognised in version t.Version of a Dokument
// (the extraction job calls it; it is not a user action and not audited).
// A result for a version older than the one already recorded is ignored,
// so a slow job for version 1 cannot overwrite the text of version 2.
func (s *Service) SaveText(ctx context.Context, t DokumentText) error {
	t.UpdatedAt = s.timestamp()
	return s.store.Write(ctx, func(tx Tx) error {
		d, err := tx.FindDokument(ctx, t.DokumentID)
		if err != nil {
			return notFound(err, "Dokument")
		}
		t.TenantID = d.TenantID
		old, err := tx.DokumentText(ctx, t.DokumentID)
		switch {
		case errors.Is(err, ErrNoRows):
		case err != nil:
			return err
		case old.Version > t.Version:
			return nil
		}
		return tx.PutDokumentText(ctx, t)
	})
}

// DokumentText returns the recognised text of a Dokument p may read.
func (s *Service) DokumentText(ctx context.Context, p Principal, dokumentID string) (DokumentText, error) {
	var t DokumentText
	err := s.store.Read(ctx, func(tx Tx) error {
		if _, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadContent); err != nil {
			return err
		}
		var err error
		t, err = tx.DokumentText(ctx, dokumentID)
		return notFound(err, "Text")
	})
	return t, err
}
