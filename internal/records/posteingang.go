package records

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/blob"
)

// The Posteingang: what arrived for a tenant (or one of its units) by
// upload, from a watch folder or a mailbox, until the Registratur assigns
// it to a Vorgang. Items are visible to users who may manage the
// Posteingang (roles admin, registratur) in the item's unit or above, or
// tenant-wide items (the Poststelle) to all of them; others get 404.

// Sources of Posteingang items.
const (
	QuelleUpload = "upload"
	QuelleOrdner = "ordner"
	QuelleIMAP   = "imap"
	QuellePortal = "portal"
)

// States of an item.
const (
	PostOffen      = "offen"
	PostZugeordnet = "zugeordnet"
)

// PostItem is one piece of incoming post.
type PostItem struct {
	ID            string     `json:"id"`
	TenantID      string     `json:"-"`
	UnitID        string     `json:"-"`
	Einheit       *string    `json:"einheit"`
	Quelle        string     `json:"quelle"`
	SourceRef     string     `json:"-"`
	MessageID     string     `json:"message_id,omitempty"`
	Betreff       string     `json:"betreff"`
	Absender      string     `json:"absender"`
	EingegangenAm time.Time  `json:"eingegangen_am"`
	SHA256        string     `json:"sha256"`
	Size          int64      `json:"groesse"`
	MimeType      string     `json:"mime_type"`
	Dateiname     string     `json:"dateiname"`
	Status        string     `json:"status"`
	Texterkennung TextStatus `json:"texterkennung"`
	Text          string     `json:"-"`
	// Vorschlaege are Vorgänge (or Akten) whose Aktenzeichen the text
	// names, as far as the caller may see them.
	Vorschlaege   []Vorschlag  `json:"vorschlaege"`
	Anhaenge      []PostAnhang `json:"anhaenge"`
	VorgangID     *string      `json:"vorgang_id"`
	DokumentIDs   []string     `json:"dokument_ids"`
	ZugeordnetVon *string      `json:"zugeordnet_von"`
	ZugeordnetAm  *time.Time   `json:"zugeordnet_am"`
	CreatedBy     string       `json:"erstellt_von"`
	// MiniaturSHA256 is the blob of the item's thumbnail ("" if none yet;
	// job miniatur.erstellen).
	MiniaturSHA256 string `json:"-"`
}

// Vorschlag proposes where an item belongs.
type Vorschlag struct {
	ObjectType   string `json:"objekt_typ"` // vorgang or akte
	ID           string `json:"id"`
	Aktenzeichen string `json:"aktenzeichen"`
	Titel        string `json:"titel"`
}

// PostAnhang is an attachment of a mail item; it becomes a Dokument of its
// own on assignment.
type PostAnhang struct {
	Nr        int    `json:"nr"`
	Dateiname string `json:"dateiname"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"groesse"`
	MimeType  string `json:"mime_type"`
}

// PostIn is what a source delivers.
type PostIn struct {
	Quelle    string
	SourceRef string // identity at the source; "" for uploads
	MessageID string
	Einheit   string // unit Kennung; "" = the tenant's Posteingang
	Betreff   string
	Absender  string
	Content   Content
	// EingegangenAm: when it arrived at the source (zero: now).
	EingegangenAm time.Time
}

// PostFilter narrows the list.
type PostFilter struct {
	Status  string // offen (default), zugeordnet, alle
	Einheit string // unit Kennung
}

// ReceivePost files an item. The same item offered again by its source
// (same SourceRef, or a mail with the same Message-ID) is not filed twice:
// the existing item is returned with created = false.
func (s *Service) ReceivePost(ctx context.Context, p Principal, in PostIn) (item PostItem, created bool, err error) {
	if err := need(p, access.ManagePosteingang); err != nil {
		return PostItem{}, false, err
	}
	var v apperr.Validation
	if !slices.Contains([]string{QuelleUpload, QuelleOrdner, QuelleIMAP, QuellePortal}, in.Quelle) {
		v.Add("quelle", "upload, ordner, imap oder portal")
	}
	in.Betreff = clip(checkText(&v, "betreff", strings.ReplaceAll(in.Betreff, "\n", " "), false, maxTitle+1000), maxTitle)
	in.Absender = clip(checkText(&v, "absender", strings.ReplaceAll(in.Absender, "\n", " "), false, maxTitle+1000), maxTitle)
	if in.Content.SHA256 == "" {
		v.Add("file", "Datei fehlt")
	}
	if err := v.Err(); err != nil {
		return PostItem{}, false, err
	}
	in.MessageID = NormMessageID(in.MessageID)
	now := s.timestamp()
	item = PostItem{ID: newID(), TenantID: p.TenantID, Quelle: in.Quelle, SourceRef: in.SourceRef, MessageID: in.MessageID,
		Betreff: in.Betreff, Absender: in.Absender, EingegangenAm: now, SHA256: in.Content.SHA256, Size: in.Content.Size,
		MimeType: in.Content.MimeType, Dateiname: in.Content.Dateiname, Status: PostOffen,
		Texterkennung: TextStatus{Status: TextAusstehend}, DokumentIDs: []string{}, CreatedBy: p.Actor()}
	if !in.EingegangenAm.IsZero() {
		item.EingegangenAm = in.EingegangenAm.UTC().Truncate(time.Microsecond)
	}
	if item.SourceRef == "" {
		item.SourceRef = item.ID
	}
	if item.Betreff == "" {
		item.Betreff = item.Dateiname
	}
	err = s.store.Write(ctx, func(tx Tx) error {
		if old, err := s.knownPost(ctx, tx, p.TenantID, in); err == nil {
			item, created = old, false
			return nil
		} else if !errors.Is(err, ErrNoRows) {
			return err
		}
		if in.Einheit != "" {
			u, err := tx.UnitByKennung(ctx, p.TenantID, in.Einheit)
			if errors.Is(err, ErrNoRows) {
				return apperr.Invalid("einheit", "unbekannte Organisationseinheit "+in.Einheit)
			}
			if err != nil {
				return err
			}
			if !p.System && len(p.Units) > 0 && !slices.Contains(p.Units, u.ID) {
				return apperr.Invalid("einheit", "nicht Ihre Organisationseinheit")
			}
			item.UnitID, item.Einheit = u.ID, &u.Kennung
		}
		if err := tx.InsertPostItem(ctx, item); err != nil {
			return err
		}
		created = true
		return s.audit(ctx, tx, p, "posteingang.eingang", "posteingang", item.ID, map[string]any{
			"quelle": item.Quelle, "betreff": item.Betreff, "absender": item.Absender, "dateiname": item.Dateiname,
			"sha256": item.SHA256, "groesse": item.Size, "einheit": item.Einheit})
	})
	if err != nil {
		return PostItem{}, false, err
	}
	if created && s.onPost != nil {
		s.onPost(ctx, item)
	}
	return item, created, nil
}

// NormMessageID is the form in which Message-IDs are stored and compared:
// without angle brackets and surrounding white space, at most 500 bytes.
func NormMessageID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if len(id) > 500 || !utf8.ValidString(id) {
		return ""
	}
	return id
}

func (s *Service) knownPost(ctx context.Context, tx Tx, tenantID string, in PostIn) (PostItem, error) {
	if in.SourceRef != "" {
		if it, err := tx.PostItemBySource(ctx, tenantID, in.Quelle, in.SourceRef); !errors.Is(err, ErrNoRows) {
			return it, err
		}
	}
	if in.MessageID != "" {
		return tx.PostItemByMessageID(ctx, tenantID, in.MessageID)
	}
	return PostItem{}, ErrNoRows
}

// SetOnPost sets what happens after an item was filed (its recognition job
// is enqueued there).
func (s *Service) SetOnPost(fn func(ctx context.Context, it PostItem)) { s.onPost = fn }

// postVisible reports whether p may see an item.
func postVisible(p Principal, it PostItem) bool {
	if it.TenantID != p.TenantID {
		return false
	}
	return PostUnitVisible(p, it.UnitID)
}

// PostUnitVisible says whether p sees the items of the Posteingang of the
// unit with this id ("" is the tenant's Posteingang) in its own tenant:
// the rule of ListPost and GetPost, for pages that tell an uploader where
// the items went.
func PostUnitVisible(p Principal, unitID string) bool {
	return p.System || unitID == "" || slices.Contains(p.Units, unitID)
}

// postFor loads an item p may see, or answers 404.
func (s *Service) postFor(ctx context.Context, tx Tx, p Principal, id string) (PostItem, error) {
	if err := need(p, access.ManagePosteingang); err != nil {
		return PostItem{}, err
	}
	it, err := tx.GetPostItem(ctx, p.TenantID, id)
	if err == nil && !postVisible(p, it) {
		err = ErrNoRows
	}
	if errors.Is(err, ErrNoRows) {
		noteDenied(ctx, p.TenantID, "posteingang", id)
		return PostItem{}, apperr.NotFound("Posteingang")
	}
	return it, err
}

// ListPost lists items p may see, newest first.
func (s *Service) ListPost(ctx context.Context, p Principal, f PostFilter, pg Page) ([]PostItem, error) {
	if err := need(p, access.ManagePosteingang); err != nil {
		return nil, err
	}
	switch f.Status {
	case "":
		f.Status = PostOffen
	case PostOffen, PostZugeordnet, "alle":
	default:
		return nil, apperr.Invalid("status", "offen, zugeordnet oder alle")
	}
	var out []PostItem
	err := s.store.Read(ctx, func(tx Tx) error {
		unit := ""
		if f.Einheit != "" {
			u, err := tx.UnitByKennung(ctx, p.TenantID, f.Einheit)
			if errors.Is(err, ErrNoRows) {
				return apperr.Invalid("einheit", "unbekannte Organisationseinheit "+f.Einheit)
			}
			if err != nil {
				return err
			}
			unit = u.ID
		}
		var err error
		out, err = tx.ListPostItems(ctx, PostQuery{TenantID: p.TenantID, Units: p.Units, All: p.System, Status: f.Status, UnitID: unit, Page: pg})
		return err
	})
	for i := range out {
		out[i].Vorschlaege, out[i].Anhaenge = nil, nil
	}
	return out, err
}

// PostQuery is the store's list query.
type PostQuery struct {
	TenantID string
	Units    []string
	All      bool
	Status   string // offen, zugeordnet, alle
	UnitID   string
	Page     Page
}

// GetPost returns an item with its attachments and the suggestions p may
// see.
func (s *Service) GetPost(ctx context.Context, p Principal, id string) (PostItem, error) {
	var it PostItem
	err := s.store.Read(ctx, func(tx Tx) error {
		var err error
		if it, err = s.postFor(ctx, tx, p, id); err != nil {
			return err
		}
		if it.Anhaenge, err = tx.ListPostAttachments(ctx, it.ID); err != nil {
			return err
		}
		visible := it.Vorschlaege[:0]
		for _, v := range it.Vorschlaege {
			if _, err := s.visible(ctx, tx, p, v.ObjectType, v.ID); err == nil {
				visible = append(visible, v)
			} else if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound {
				return err
			}
		}
		it.Vorschlaege = visible
		return nil
	})
	return it, err
}

// PostContent returns the blob of an item (nr 0) or of an attachment.
func (s *Service) PostContent(ctx context.Context, p Principal, id string, nr int) (sha, mime, name string, size int64, err error) {
	err = s.store.Read(ctx, func(tx Tx) error {
		it, err := s.postFor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if nr == 0 {
			sha, mime, name, size = it.SHA256, it.MimeType, it.Dateiname, it.Size
			return nil
		}
		atts, err := tx.ListPostAttachments(ctx, it.ID)
		if err != nil {
			return err
		}
		for _, a := range atts {
			if a.Nr == nr {
				sha, mime, name, size = a.SHA256, a.MimeType, a.Dateiname, a.Size
				return nil
			}
		}
		return apperr.NotFound("Anhang")
	})
	return
}

// PostRecognition is what the recognition job found in an item.
type PostRecognition struct {
	Status    string // erkannt, fehlgeschlagen, nicht_unterstuetzt
	Grund     string
	Text      string
	Betreff   string // from a mail's Subject ("" = keep)
	Absender  string // from a mail's From
	MessageID string
	Anhaenge  []PostAnhang
}

// SetPostRecognition stores the recognition result of an item (the job
// calls it) and computes the suggestions from the Aktenzeichen its text
// names.
func (s *Service) SetPostRecognition(ctx context.Context, id string, r PostRecognition) error {
	return s.store.Write(ctx, func(tx Tx) error {
		it, err := tx.FindPostItem(ctx, id)
		if err != nil {
			return notFound(err, "Posteingang")
		}
		it.Texterkennung = TextStatus{Status: r.Status, Grund: clip(r.Grund, 2000)}
		it.Text = r.Text
		if r.Betreff != "" {
			it.Betreff = clip(strings.Join(strings.Fields(r.Betreff), " "), maxTitle)
		}
		if r.Absender != "" {
			it.Absender = clip(strings.Join(strings.Fields(r.Absender), " "), maxTitle)
		}
		r.MessageID = NormMessageID(r.MessageID)
		if it.MessageID == "" && r.MessageID != "" {
			if _, err := tx.PostItemByMessageID(ctx, it.TenantID, r.MessageID); errors.Is(err, ErrNoRows) {
				it.MessageID = r.MessageID
			}
		}
		if it.Vorschlaege, err = s.suggest(ctx, tx, it.TenantID, it.Betreff+"\n"+r.Text); err != nil {
			return err
		}
		if err := tx.UpdatePostItem(ctx, it); err != nil {
			return err
		}
		return tx.ReplacePostAttachments(ctx, it.ID, r.Anhaenge)
	})
}

// maxSuggestions bounds the Aktenzeichen looked up per item.
const maxSuggestions = 20

// suggest finds registered Aktenzeichen in text: connected tokens with a
// digit (TFM-121-2026/0001-003) looked up exactly in the tenant's registry,
// former Aktenzeichen included.
func (s *Service) suggest(ctx context.Context, tx Tx, tenantID, text string) ([]Vorschlag, error) {
	out := []Vorschlag{}
	seen := map[string]bool{}
	looked := 0
	for _, cand := range AktenzeichenCandidates(text) {
		if looked == maxSuggestions*3 || len(out) == maxSuggestions {
			break
		}
		looked++
		typ, oid, err := tx.LookupAktenzeichen(ctx, tenantID, cand)
		if errors.Is(err, ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if seen[oid] {
			continue
		}
		seen[oid] = true
		v := Vorschlag{ObjectType: typ, ID: oid}
		switch typ {
		case ObjVorgang:
			vg, err := tx.GetVorgang(ctx, tenantID, oid)
			if err != nil {
				return nil, err
			}
			v.Aktenzeichen, v.Titel = vg.Aktenzeichen, vg.Betreff
		case ObjAkte:
			a, err := tx.GetAkte(ctx, tenantID, oid)
			if err != nil {
				return nil, err
			}
			v.Aktenzeichen, v.Titel = a.Aktenzeichen, a.Titel
		default:
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// AktenzeichenCandidates returns the connected tokens of text that could be
// Aktenzeichen (letters and digits joined by - / . and containing a digit
// and a letter), in order, without repeats. Trailing punctuation is cut.
func AktenzeichenCandidates(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '-' || r == '/' || r == '.' || r == '_' || isAlnum(r))
	}) {
		f = strings.Trim(f, "-/._")
		if len(f) < 5 || len(f) > 100 || seen[f] || !strings.ContainsAny(f, "0123456789") || !strings.ContainsAny(f, "-/") {
			continue
		}
		hasLetter := false
		for _, r := range f {
			if r > '9' && isAlnum(r) {
				hasLetter = true
				break
			}
		}
		if hasLetter {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == 'Ä' || r == 'Ö' || r == 'Ü' || r == 'ä' || r == 'ö' || r == 'ü' || r == 'ß'
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Zuordnung is how an item is assigned: to an existing Vorgang, to a new
// Vorgang in an existing Akte, or to a new Vorgang in a new Akte.
type Zuordnung struct {
	VorgangID      string
	AkteID         string
	NeueAkte       *NewAkte
	VorgangBetreff string // for a new Vorgang (default: the item's Betreff)
	Betreff        string // of the Dokument (default: the item's Betreff)
	Typ            string // Dokumenttyp (default: E-Mail for mails, else Eingang)
}

// ZuordnungResult is what an assignment made.
type ZuordnungResult struct {
	Item      PostItem   `json:"posteingang"`
	Vorgang   Vorgang    `json:"vorgang"`
	Akte      *Akte      `json:"akte,omitempty"`
	Dokumente []Dokument `json:"dokumente"`
}

// AssignPost files an item into a Vorgang as Dokument(e) – a mail as the
// original .eml plus one Dokument per attachment – in one transaction with
// the new Akte or Vorgang if asked, and marks the item assigned. The text
// recognised in the item is taken over, so scans are not recognised twice.
func (s *Service) AssignPost(ctx context.Context, p Principal, id string, z Zuordnung) (ZuordnungResult, error) {
	if err := need(p, access.ManagePosteingang); err != nil {
		return ZuordnungResult{}, err
	}
	var v apperr.Validation
	targets := 0
	for _, set := range []bool{z.VorgangID != "", z.AkteID != "", z.NeueAkte != nil} {
		if set {
			targets++
		}
	}
	if targets != 1 {
		v.Add("vorgang_id", "genau eines angeben: vorgang_id, akte_id oder neue_akte")
	}
	if z.Typ != "" && !slices.Contains(Dokumenttypen, z.Typ) {
		v.Add("typ", "unbekannter Dokumenttyp")
	}
	z.Betreff = checkText(&v, "betreff", z.Betreff, false, maxTitle)
	z.VorgangBetreff = checkText(&v, "vorgang_betreff", z.VorgangBetreff, false, maxTitle)
	var akteTitel, akteBeschr string
	if z.NeueAkte != nil {
		if z.NeueAkte.AktenplanID == "" {
			v.Add("neue_akte.aktenplan_id", "darf nicht leer sein")
		}
		akteTitel = checkText(&v, "neue_akte.titel", z.NeueAkte.Titel, true, maxTitle)
		akteBeschr = checkText(&v, "neue_akte.beschreibung", z.NeueAkte.Beschreibung, false, maxText)
	}
	if err := v.Err(); err != nil {
		return ZuordnungResult{}, err
	}
	var res ZuordnungResult
	err := s.store.Write(ctx, func(tx Tx) error {
		res = ZuordnungResult{}
		it, err := s.postFor(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if it.Status != PostOffen {
			return apperr.Conflict("Der Eingang ist bereits zugeordnet")
		}
		betreff := it.Betreff
		if betreff == "" {
			betreff = it.Dateiname
		}
		betreff = clip(betreff, maxTitle)
		vorgangID := z.VorgangID
		if z.NeueAkte != nil {
			a, err := s.createAkteIn(ctx, tx, p, *z.NeueAkte, akteTitel, akteBeschr)
			if err != nil {
				return err
			}
			res.Akte = &a
			z.AkteID = a.ID
		}
		if z.AkteID != "" {
			vb := z.VorgangBetreff
			if vb == "" {
				vb = betreff
			}
			vg, err := s.createVorgangIn(ctx, tx, p, z.AkteID, vb, nil)
			if err != nil {
				return err
			}
			vorgangID = vg.ID
		}
		vg, _, err := s.writableVorgang(ctx, tx, p, vorgangID, access.Create)
		if err != nil {
			return err
		}
		res.Vorgang = vg
		typ := z.Typ
		if typ == "" {
			typ = "Eingang"
			if it.Quelle == QuelleIMAP {
				typ = "E-Mail"
			} else if it.Quelle == QuelleOrdner {
				typ = "Scan"
			}
		}
		if z.Betreff != "" {
			betreff = z.Betreff
		}
		day := it.EingegangenAm.In(berlin).Format("2006-01-02")
		in := NewDokument{Betreff: betreff, Typ: typ, Absender: it.Absender, Eingangsdatum: &day}
		d, ver, err := s.createDokumentIn(ctx, tx, p, vg, in, Content{SHA256: it.SHA256, Size: it.Size, MimeType: it.MimeType, Dateiname: it.Dateiname})
		if err != nil {
			return err
		}
		res.Dokumente = append(res.Dokumente, d)
		if it.Texterkennung.Status == TextErkannt {
			// the text is known: no second recognition of the same content
			if err := tx.PutDokumentText(ctx, DokumentText{DokumentID: d.ID, TenantID: d.TenantID, Version: ver.Nummer,
				Status: TextErkannt, Methode: "posteingang", Text: it.Text, UpdatedAt: s.timestamp()}); err != nil {
				return err
			}
		}
		atts, err := tx.ListPostAttachments(ctx, it.ID)
		if err != nil {
			return err
		}
		for _, a := range atts {
			ad, _, err := s.createDokumentIn(ctx, tx, p, vg, NewDokument{Betreff: clip(a.Dateiname, maxTitle), Typ: "Eingang",
				Absender: it.Absender, Eingangsdatum: &day}, Content{SHA256: a.SHA256, Size: a.Size, MimeType: a.MimeType, Dateiname: a.Dateiname})
			if err != nil {
				return err
			}
			res.Dokumente = append(res.Dokumente, ad)
		}
		now := s.timestamp()
		actor := p.Actor()
		it.Status, it.VorgangID, it.ZugeordnetVon, it.ZugeordnetAm = PostZugeordnet, &vg.ID, &actor, &now
		for _, d := range res.Dokumente {
			it.DokumentIDs = append(it.DokumentIDs, d.ID)
		}
		if err := tx.UpdatePostItem(ctx, it); err != nil {
			return err
		}
		res.Item = it
		res.Item.Anhaenge = atts
		return s.audit(ctx, tx, p, "posteingang.zuordnung", "posteingang", it.ID, map[string]any{
			"vorgang_id": vg.ID, "aktenzeichen": vg.Aktenzeichen, "dokumente": it.DokumentIDs, "neue_akte": res.Akte != nil,
			"neuer_vorgang": z.AkteID != ""})
	})
	if err != nil {
		return ZuordnungResult{}, err
	}
	for _, d := range res.Dokumente {
		s.versionAdded(ctx, Version{DokumentID: d.ID, TenantID: d.TenantID, Nummer: 1})
	}
	return res, nil
}

// OpenPost opens the content of an item (nr 0) or of one of its
// attachments for p.
func (s *Service) OpenPost(ctx context.Context, p Principal, id string, nr int) (PostAnhang, blob.File, error) {
	sha, mime, name, size, err := s.PostContent(ctx, p, id, nr)
	if err != nil {
		return PostAnhang{}, nil, err
	}
	f, err := s.blobs.Open(ctx, sha)
	return PostAnhang{Nr: nr, Dateiname: name, SHA256: sha, Size: size, MimeType: mime}, f, err
}

// OpenPostSystem opens an item's content for its recognition job.
func (s *Service) OpenPostSystem(ctx context.Context, id string) (PostItem, blob.File, error) {
	var it PostItem
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		it, err = tx.FindPostItem(ctx, id)
		return notFound(err, "Posteingang")
	})
	if err != nil {
		return PostItem{}, nil, err
	}
	f, err := s.blobs.Open(ctx, it.SHA256)
	return it, f, err
}

// PostAwaitingText lists items whose recognition has not finished and that
// arrived before a time (the sweeper enqueues their jobs again).
func (s *Service) PostAwaitingText(ctx context.Context, before time.Time, limit int) ([]PostItem, error) {
	var out []PostItem
	err := s.store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.PostAwaitingText(ctx, before, limit)
		return err
	})
	return out, err
}
