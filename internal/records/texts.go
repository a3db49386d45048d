package records

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/blob"
)

// SaveText stores the text recognised in version t.Version of a Dokument
// (the extraction job calls it; it is not a user action and not audited).
// A result for a version older than the one already recorded is ignored,
// so a slow job for version 1 cannot overwrite the text of version 2.
func (s *Service) SaveText(ctx context.Context, t DokumentText) error {
	return s.putTextIfCurrent(ctx, t, Tx.PutDokumentText)
}

// putTextIfCurrent writes t with put unless a newer version's text is
// already recorded.
func (s *Service) putTextIfCurrent(ctx context.Context, t DokumentText, put func(Tx, context.Context, DokumentText) error) error {
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
		return put(tx, ctx, t)
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

// SetOnVersion sets what happens after a new version was committed: the
// text extraction enqueues its job. A crash between the commit and fn
// loses nothing: the version's text state is "ausstehend" and
// PendingTexts finds it.
func (s *Service) SetOnVersion(fn func(ctx context.Context, v Version)) { s.onVersion = fn }

func (s *Service) versionAdded(ctx context.Context, v Version) {
	if s.onVersion != nil {
		s.onVersion(ctx, v)
	}
}

// textPending records in tx that version v awaits text recognition.
func (s *Service) textPending(ctx context.Context, tx Tx, v Version) error {
	return tx.SetTextState(ctx, DokumentText{DokumentID: v.DokumentID, TenantID: v.TenantID, Version: v.Nummer,
		Status: TextAusstehend, UpdatedAt: s.timestamp()})
}

// SetTextState records the state of recognition of a version (laeuft,
// fehlgeschlagen with a reason, …) and keeps the text recognised so far.
// A state for a version older than the recorded one is ignored.
func (s *Service) SetTextState(ctx context.Context, t DokumentText) error {
	return s.putTextIfCurrent(ctx, t, Tx.SetTextState)
}

// PendingTexts lists versions whose text state is status and older than
// before (the extraction sweeper enqueues them again).
func (s *Service) PendingTexts(ctx context.Context, status string, before time.Time, limit int) ([]DokumentText, error) {
	var out []DokumentText
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.DokumentTexteIn(ctx, status, before, limit)
		return err
	})
	return out, err
}

// VersionContent opens a version's content for a background job (no
// principal: the job acts for the system on a version it was given).
func (s *Service) VersionContent(ctx context.Context, dokumentID string, nummer int) (Version, blob.File, error) {
	var v Version
	err := s.store.Read(ctx, func(tx Tx) error {
		d, err := tx.FindDokument(ctx, dokumentID)
		if err != nil {
			return notFound(err, "Dokument")
		}
		v, err = tx.GetVersion(ctx, d.TenantID, dokumentID, nummer)
		return notFound(err, "Version")
	})
	if err != nil {
		return Version{}, nil, err
	}
	f, err := s.blobs.Open(ctx, v.SHA256)
	return v, f, err
}

// StoreDerived stores content made by the system (the searchable PDF/A
// copy of a scan) in the blob store and returns its hash.
func (s *Service) StoreDerived(ctx context.Context, r io.Reader) (string, error) {
	info, err := s.blobs.Put(ctx, r, 0)
	return info.SHA256, err
}

// RecognisedText returns the recorded text state of a Dokument for a
// background job (no principal).
func (s *Service) RecognisedText(ctx context.Context, dokumentID string) (DokumentText, error) {
	var t DokumentText
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		t, err = tx.DokumentText(ctx, dokumentID)
		return err
	})
	return t, err
}

// OpenSearchableCopy opens the searchable PDF/A copy that OCR made of the
// newest version of a scanned PDF (404 when there is none), audited like a
// download. The returned Version describes the copy (its hash, size and a
// file name derived from the original's).
func (s *Service) OpenSearchableCopy(ctx context.Context, p Principal, dokumentID string) (Version, blob.File, error) {
	if err := need(p, access.ReadContent); err != nil {
		return Version{}, nil, err
	}
	var ver Version
	err := s.store.Write(ctx, func(tx Tx) error {
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadContent)
		if err != nil {
			return err
		}
		t, err := tx.DokumentText(ctx, d.ID)
		if errors.Is(err, ErrNoRows) || (err == nil && (t.PDFASHA256 == "" || t.Version != d.Versionen)) {
			return apperr.NotFound("Durchsuchbare Fassung")
		}
		if err != nil {
			return err
		}
		if ver, err = tx.GetVersion(ctx, d.TenantID, d.ID, t.Version); err != nil {
			return notFound(err, "Version")
		}
		ver.SHA256, ver.MimeType = t.PDFASHA256, "application/pdf"
		ver.Dateiname = strings.TrimSuffix(ver.Dateiname, path.Ext(ver.Dateiname)) + " (durchsuchbar).pdf"
		return s.auditIn(ctx, tx, d.TenantID, p, "dokument.download", "dokument", d.ID, map[string]any{"version": t.Version, "durchsuchbar": true})
	})
	if err != nil {
		return Version{}, nil, err
	}
	f, err := s.blobs.Open(ctx, ver.SHA256)
	if err != nil {
		return Version{}, nil, fmt.Errorf("durchsuchbare Fassung (%s): %w", ver.SHA256, err)
	}
	ver.Size = f.Size()
	return ver, f, nil
}
