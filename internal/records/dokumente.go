package records

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/gabriel-vasile/mimetype"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/blob"
)

// Content is uploaded content that is durable in the blob store but not yet
// attached to a Dokument.
type Content struct {
	SHA256    string
	Size      int64
	MimeType  string
	Dateiname string
}

// NewDokument is the metadata of a new Dokument.
type NewDokument struct {
	Betreff       string
	Typ           string
	Absender      string
	Empfaenger    string
	Dokumentdatum *string
	Eingangsdatum *string
}

// DokumentPatch changes Dokument metadata; nil fields stay as they are.
type DokumentPatch struct {
	Betreff       *string
	Typ           *string
	Absender      *string
	Empfaenger    *string
	Dokumentdatum **string
	Eingangsdatum **string
}

// refusedTypes are content types that are never accepted as records content:
// executables and installers (detected from the bytes, not the file name).
var refusedTypes = []string{
	"application/x-executable", "application/x-elf", "application/x-sharedlib",
	"application/vnd.microsoft.portable-executable", "application/x-msdownload",
	"application/x-dosexec", "application/x-mach-binary", "application/x-msi",
	"application/x-ms-installer", "application/java-vm", "application/x-java-applet",
}

// SanitizeFilename keeps the base name of an uploaded file, without path
// parts and control characters, at most 255 bytes.
func SanitizeFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		name = ""
	}
	for len(name) > 255 {
		r := []rune(name)
		name = string(r[:len(r)-1])
	}
	return name
}

// StoreContent streams r into the blob store (durable when it returns),
// enforcing the upload limit, refusing empty and executable content, and
// detecting the content type from the bytes.
func (s *Service) StoreContent(ctx context.Context, p Principal, r io.Reader, filename string) (Content, error) {
	if err := need(p, access.Create); err != nil {
		return Content{}, err
	}
	return s.storeContent(ctx, r, filename)
}

// StoreIntake stores content that a background job took out of incoming
// post (mail attachments), with the same checks as an upload.
func (s *Service) StoreIntake(ctx context.Context, r io.Reader, filename string) (Content, error) {
	return s.storeContent(ctx, r, filename)
}

func (s *Service) storeContent(ctx context.Context, r io.Reader, filename string) (Content, error) {
	info, err := s.blobs.Put(ctx, r, s.maxUpload)
	if errors.Is(err, blob.ErrTooLarge) {
		return Content{}, apperr.TooLarge("Datei ist größer als die erlaubten %d MiB", s.maxUpload>>20)
	}
	if err != nil {
		return Content{}, fmt.Errorf("store content: %w", err)
	}
	if info.Size == 0 {
		s.discard(ctx, info.SHA256)
		return Content{}, apperr.Invalid("file", "Datei ist leer (0 Bytes)")
	}
	mt := mimetype.Detect(info.Head)
	for m := mt; m != nil; m = m.Parent() {
		for _, refused := range refusedTypes {
			if m.Is(refused) {
				s.discard(ctx, info.SHA256)
				return Content{}, apperr.UnsupportedType("Dateityp %s (ausführbares Programm) wird nicht angenommen", mt.String())
			}
		}
	}
	name := SanitizeFilename(filename)
	if name == "" {
		name = "dokument" + mt.Extension()
	}
	mime := mt.String()
	// A text file's exact subtype is better told by its name (CSV, XML, ...)
	// when the bytes only say "text/plain".
	if strings.HasPrefix(mime, "text/plain") {
		switch strings.ToLower(path.Ext(name)) {
		case ".csv":
			mime = strings.Replace(mime, "text/plain", "text/csv", 1)
		case ".md":
			mime = strings.Replace(mime, "text/plain", "text/markdown", 1)
		}
	}
	return Content{SHA256: info.SHA256, Size: info.Size, MimeType: mime, Dateiname: name}, nil
}

// discard removes content that was refused right after it was stored.
// Refused content (empty, executable) can never be referenced by a version,
// so removing it cannot take content from anyone; the check is a safeguard.
func (s *Service) discard(ctx context.Context, sha string) {
	var used bool
	if err := s.store.Read(ctx, func(tx Tx) (err error) { used, err = tx.BlobReferenced(ctx, sha); return }); err == nil && !used {
		_ = s.blobs.Delete(ctx, sha)
	}
}

func checkDokument(v *apperr.Validation, in *NewDokument) {
	in.Betreff = checkText(v, "betreff", in.Betreff, true, maxTitle)
	if strings.TrimSpace(in.Typ) == "" {
		in.Typ = "Sonstiges"
	}
	if !slices.Contains(Dokumenttypen, in.Typ) {
		v.Add("typ", "einer von: "+strings.Join(Dokumenttypen, ", "))
	}
	in.Absender = checkText(v, "absender", in.Absender, false, maxTitle)
	in.Empfaenger = checkText(v, "empfaenger", in.Empfaenger, false, maxTitle)
	in.Dokumentdatum = checkDate(v, "dokumentdatum", in.Dokumentdatum)
	in.Eingangsdatum = checkDate(v, "eingangsdatum", in.Eingangsdatum)
}

// ValidateNewDokument checks metadata before content is streamed, so that a
// client learns about a bad field without uploading first.
func ValidateNewDokument(in NewDokument) error {
	var v apperr.Validation
	checkDokument(&v, &in)
	return v.Err()
}

// CheckVorgangWritable answers whether the caller may add Dokumente to a
// Vorgang now (checked before an upload is streamed, and again at commit).
func (s *Service) CheckVorgangWritable(ctx context.Context, p Principal, vorgangID string) error {
	if err := need(p, access.Create); err != nil {
		return err
	}
	return s.store.Read(ctx, func(tx Tx) error {
		_, _, err := s.writableVorgang(ctx, tx, p, vorgangID, access.Create)
		return err
	})
}

// CheckDokumentWritable answers whether a new version may be added now.
func (s *Service) CheckDokumentWritable(ctx context.Context, p Principal, dokumentID string) error {
	if err := need(p, access.Edit); err != nil {
		return err
	}
	return s.store.Read(ctx, func(tx Tx) error {
		_, err := s.writableDokument(ctx, tx, p, dokumentID)
		return err
	})
}

// writableDokument loads a Dokument for editing and fails unless its
// Vorgang and Akte are open.
func (s *Service) writableDokument(ctx context.Context, tx Tx, p Principal, id string) (Dokument, error) {
	d, v, a, _, err := s.dokumentFor(ctx, tx, p, id, access.Edit)
	if err != nil {
		return Dokument{}, err
	}
	return d, writableIn(v, a)
}

// CreateDokument files a new Dokument with its first version.
func (s *Service) CreateDokument(ctx context.Context, p Principal, vorgangID string, in NewDokument, c Content) (Dokument, Version, error) {
	if err := need(p, access.Create); err != nil {
		return Dokument{}, Version{}, err
	}
	var v apperr.Validation
	checkDokument(&v, &in)
	if c.SHA256 == "" {
		v.Add("file", "Datei fehlt")
	}
	if err := v.Err(); err != nil {
		return Dokument{}, Version{}, err
	}
	var d Dokument
	var ver Version
	err := s.store.Write(ctx, func(tx Tx) error {
		vg, _, err := s.writableVorgang(ctx, tx, p, vorgangID, access.Create)
		if err != nil {
			return err
		}
		d, ver, err = s.createDokumentIn(ctx, tx, p, vg, in, c)
		return err
	})
	if err != nil {
		return Dokument{}, Version{}, err
	}
	s.versionAdded(ctx, ver)
	return d, ver, nil
}

// createDokumentIn creates a Dokument with its first version in a Vorgang
// the caller already checked (writableVorgang), in tx.
func (s *Service) createDokumentIn(ctx context.Context, tx Tx, p Principal, vg Vorgang, in NewDokument, c Content) (Dokument, Version, error) {
	now := s.timestamp()
	d := Dokument{ID: newID(), TenantID: vg.TenantID, VorgangID: vg.ID, Betreff: in.Betreff, Typ: in.Typ,
		Absender: in.Absender, Empfaenger: in.Empfaenger, Dokumentdatum: in.Dokumentdatum, Eingangsdatum: in.Eingangsdatum,
		Versionen: 1, CreatedBy: p.Actor(), CreatedAt: now, UpdatedAt: now}
	ver := Version{DokumentID: d.ID, TenantID: vg.TenantID, Nummer: 1, SHA256: c.SHA256, Size: c.Size, MimeType: c.MimeType,
		Dateiname: c.Dateiname, Author: p.Actor(), CreatedAt: now}
	if err := tx.InsertDokument(ctx, d); err != nil {
		return d, ver, err
	}
	if err := tx.InsertVersion(ctx, ver); err != nil {
		return d, ver, err
	}
	if err := s.textPending(ctx, tx, ver); err != nil {
		return d, ver, err
	}
	return d, ver, s.auditIn(ctx, tx, d.TenantID, p, "dokument.create", "dokument", d.ID, map[string]any{
		"betreff": d.Betreff, "typ": d.Typ, "vorgang_id": vg.ID,
		"version": map[string]any{"nummer": 1, "sha256": c.SHA256, "groesse": c.Size, "dateiname": c.Dateiname}})
}

// AddVersion adds a new immutable version to a Dokument that is not final.
func (s *Service) AddVersion(ctx context.Context, p Principal, dokumentID string, c Content) (Version, error) {
	if err := need(p, access.Edit); err != nil {
		return Version{}, err
	}
	if c.SHA256 == "" {
		return Version{}, apperr.Invalid("file", "Datei fehlt")
	}
	var ver Version
	err := s.store.Write(ctx, func(tx Tx) error {
		d, err := s.writableDokument(ctx, tx, p, dokumentID)
		if err != nil {
			return err
		}
		if d.Final {
			return apperr.Conflict("Dokument ist als endgültig markiert; neue Versionen sind nicht möglich")
		}
		now := s.timestamp()
		// Claiming the number in the row (not from what was read) keeps two
		// concurrent uploads from both taking the same number.
		nummer, err := tx.NextVersion(ctx, d.TenantID, d.ID, now)
		if errors.Is(err, ErrNoRows) {
			return apperr.Conflict("Dokument ist als endgültig markiert; neue Versionen sind nicht möglich")
		}
		if err != nil {
			return err
		}
		ver = Version{DokumentID: d.ID, TenantID: d.TenantID, Nummer: nummer, SHA256: c.SHA256, Size: c.Size,
			MimeType: c.MimeType, Dateiname: c.Dateiname, Author: p.Actor(), CreatedAt: now}
		if err := tx.InsertVersion(ctx, ver); err != nil {
			if errors.Is(err, ErrDuplicate) {
				return apperr.Conflict("Gleichzeitig wurde eine andere Version gespeichert; bitte erneut versuchen")
			}
			return err
		}
		if err := s.textPending(ctx, tx, ver); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, d.TenantID, p, "dokument.version", "dokument", d.ID, map[string]any{
			"version": map[string]any{"nummer": ver.Nummer, "sha256": c.SHA256, "groesse": c.Size, "dateiname": c.Dateiname}})
	})
	if err == nil {
		s.versionAdded(ctx, ver)
	}
	return ver, err
}

// GetDokument returns a Dokument of the caller's tenant.
func (s *Service) GetDokument(ctx context.Context, p Principal, id string) (Dokument, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return Dokument{}, err
	}
	var d Dokument
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		if d, _, _, _, err = s.dokumentFor(ctx, tx, p, id, access.ReadMetadata); err != nil {
			return err
		}
		d.Berechtigte, err = s.berechtigte(ctx, tx, d.ID, d.Beschraenkung)
		return err
	})
	return d, err
}

// ListDokumente lists the Dokumente of a Vorgang.
func (s *Service) ListDokumente(ctx context.Context, p Principal, vorgangID string, pg Page) ([]Dokument, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []Dokument
	err := s.store.Read(ctx, func(tx Tx) error {
		v, _, _, err := s.vorgangFor(ctx, tx, p, vorgangID, access.ReadMetadata)
		if err != nil {
			return err
		}
		out, err = tx.ListDokumente(ctx, v.TenantID, vorgangID, viewerID(p), clampPage(pg))
		return err
	})
	return out, err
}

// UpdateDokument changes the metadata of a Dokument in an open Vorgang.
func (s *Service) UpdateDokument(ctx context.Context, p Principal, id string, patch DokumentPatch) (Dokument, error) {
	if err := need(p, access.Edit); err != nil {
		return Dokument{}, err
	}
	var d Dokument
	err := s.store.Write(ctx, func(tx Tx) error {
		var err error
		if d, err = s.writableDokument(ctx, tx, p, id); err != nil {
			return err
		}
		in := NewDokument{Betreff: d.Betreff, Typ: d.Typ, Absender: d.Absender, Empfaenger: d.Empfaenger, Dokumentdatum: d.Dokumentdatum, Eingangsdatum: d.Eingangsdatum}
		if patch.Betreff != nil {
			in.Betreff = *patch.Betreff
		}
		if patch.Typ != nil {
			in.Typ = *patch.Typ
			if strings.TrimSpace(in.Typ) == "" {
				in.Typ = "-" // an explicit empty type is an error, not "Sonstiges"
			}
		}
		if patch.Absender != nil {
			in.Absender = *patch.Absender
		}
		if patch.Empfaenger != nil {
			in.Empfaenger = *patch.Empfaenger
		}
		if patch.Dokumentdatum != nil {
			in.Dokumentdatum = *patch.Dokumentdatum
		}
		if patch.Eingangsdatum != nil {
			in.Eingangsdatum = *patch.Eingangsdatum
		}
		var v apperr.Validation
		checkDokument(&v, &in)
		if err := v.Err(); err != nil {
			return err
		}
		c := audit.Changes{}
		changed(c, "betreff", d.Betreff, in.Betreff)
		changed(c, "typ", d.Typ, in.Typ)
		changed(c, "absender", d.Absender, in.Absender)
		changed(c, "empfaenger", d.Empfaenger, in.Empfaenger)
		changed(c, "dokumentdatum", strOf(d.Dokumentdatum), strOf(in.Dokumentdatum))
		changed(c, "eingangsdatum", strOf(d.Eingangsdatum), strOf(in.Eingangsdatum))
		if len(c) == 0 {
			return nil
		}
		d.Betreff, d.Typ, d.Absender, d.Empfaenger = in.Betreff, in.Typ, in.Absender, in.Empfaenger
		d.Dokumentdatum, d.Eingangsdatum = in.Dokumentdatum, in.Eingangsdatum
		d.UpdatedAt = s.timestamp()
		if err := tx.UpdateDokument(ctx, d); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, d.TenantID, p, "dokument.update", "dokument", d.ID, c)
	})
	return d, err
}

func strOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// ListVersionen lists all versions of a Dokument, oldest first.
func (s *Service) ListVersionen(ctx context.Context, p Principal, dokumentID string) ([]Version, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	var out []Version
	err := s.store.Read(ctx, func(tx Tx) error {
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadMetadata)
		if err != nil {
			return err
		}
		out, err = tx.ListVersionen(ctx, d.TenantID, dokumentID)
		return err
	})
	return out, err
}

// MarkFinal marks a version as the final one (Endfassung). The Dokument
// then takes no further versions.
func (s *Service) MarkFinal(ctx context.Context, p Principal, dokumentID string, nummer int) (Version, error) {
	if err := need(p, access.Edit); err != nil {
		return Version{}, err
	}
	var ver Version
	err := s.store.Write(ctx, func(tx Tx) error {
		d, err := s.writableDokument(ctx, tx, p, dokumentID)
		if err != nil {
			return err
		}
		if ver, err = tx.GetVersion(ctx, d.TenantID, dokumentID, nummer); err != nil {
			return notFound(err, "Version")
		}
		if d.Final {
			return apperr.Conflict("Dokument ist bereits als endgültig markiert")
		}
		if nummer != d.Versionen {
			return apperr.Conflict("Nur die neueste Version (%d) kann als endgültig markiert werden", d.Versionen)
		}
		if err := tx.MarkVersionFinal(ctx, d.TenantID, dokumentID, nummer); err != nil {
			return err
		}
		ver.Final = true
		d.Final = true
		d.UpdatedAt = s.timestamp()
		if err := tx.UpdateDokument(ctx, d); err != nil {
			return err
		}
		return s.auditIn(ctx, tx, d.TenantID, p, "dokument.final", "dokument", d.ID, audit.Changes{"final": {Before: false, After: nummer}})
	})
	return ver, err
}

// OpenVersion opens a version's content for download (nummer 0 = latest)
// and records the access in the audit trail before any byte is served.
func (s *Service) OpenVersion(ctx context.Context, p Principal, dokumentID string, nummer int) (Version, blob.File, error) {
	if err := need(p, access.ReadContent); err != nil {
		return Version{}, nil, err
	}
	var ver Version
	err := s.store.Write(ctx, func(tx Tx) error {
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadContent)
		if err != nil {
			return err
		}
		if nummer == 0 {
			nummer = d.Versionen
		}
		if ver, err = tx.GetVersion(ctx, d.TenantID, dokumentID, nummer); err != nil {
			return notFound(err, "Version")
		}
		return s.auditIn(ctx, tx, d.TenantID, p, "dokument.download", "dokument", d.ID, map[string]any{"version": nummer})
	})
	if err != nil {
		return Version{}, nil, err
	}
	f, err := s.blobs.Open(ctx, ver.SHA256)
	if err != nil {
		return Version{}, nil, fmt.Errorf("inhalt von version %d (%s): %w", ver.Nummer, ver.SHA256, err)
	}
	return ver, f, nil
}

// GetVersion returns a version's metadata (nummer 0 = latest) without
// touching its content.
func (s *Service) GetVersion(ctx context.Context, p Principal, dokumentID string, nummer int) (Version, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return Version{}, err
	}
	var ver Version
	err := s.store.Read(ctx, func(tx Tx) error {
		d, _, _, _, err := s.dokumentFor(ctx, tx, p, dokumentID, access.ReadMetadata)
		if err != nil {
			return err
		}
		if nummer == 0 {
			nummer = d.Versionen
		}
		ver, err = tx.GetVersion(ctx, d.TenantID, dokumentID, nummer)
		return notFound(err, "Version")
	})
	return ver, err
}
