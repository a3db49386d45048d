// Package records holds the domain of the E-Akte: tenants, users and tokens
// (minimal, until the access issue), the Aktenplan, Akten, Vorgänge,
// Dokumente and their Versionen, and the rules that govern them (z.d.A.,
// Aktenzeichen, audit). It contains no SQL and no HTTP: storage is reached
// through the Store interface, content through blob.Store.
package records

import (
	"encoding/json"
	"time"

	"aktenwerk/internal/access"
)

// Status values of Akten and Vorgänge.
const (
	StatusOffen = "offen"
	StatusZdA   = "zda"
)

// Tenant is a Mandant: a Ressort, the Staatskanzlei, a Kommune.
type Tenant struct {
	ID             string    `json:"id"`
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	AzPattern      string    `json:"aktenzeichen_muster"`
	VorgangPattern string    `json:"vorgang_muster"`
	CreatedAt      time.Time `json:"erstellt_am"`
}

// User belongs to exactly one tenant. Users are deactivated, never deleted.
type User struct {
	ID        string        `json:"id"`
	TenantID  string        `json:"-"`
	Login     string        `json:"login"`
	Name      string        `json:"name"`
	Roles     []access.Role `json:"rollen"`
	Active    bool          `json:"aktiv"`
	CreatedAt time.Time     `json:"erstellt_am"`
	// Kind is KindPerson or KindService (Dienstkonto of an integration,
	// which signs in with tokens only).
	Kind string `json:"typ"`
}

// Kinds of accounts.
const (
	KindPerson  = "person"
	KindService = "dienstkonto"
)

// Token is an API token; only its SHA-256 hash is stored.
type Token struct {
	ID        string     `json:"id"`
	TenantID  string     `json:"-"`
	UserID    string     `json:"-"`
	Name      string     `json:"name"`
	CreatedAt time.Time  `json:"erstellt_am"`
	ExpiresAt *time.Time `json:"laeuft_ab_am,omitempty"`
	RevokedAt *time.Time `json:"widerrufen_am,omitempty"`
	// Scopes narrow what the token may do (read, write, admin, audit).
	Scopes []access.Scope `json:"scopes"`
}

// Archive decisions of an Aktenplan position.
const (
	ArchivArchivieren = "archivieren" // archivwürdig (A)
	ArchivBewerten    = "bewerten"    // im Einzelfall prüfen (B)
	ArchivVernichten  = "vernichten"  // kassieren (V)
)

// AktenplanEintrag is one position (Aktenplaneinheit) of a tenant's Aktenplan.
type AktenplanEintrag struct {
	ID           string    `json:"id"`
	TenantID     string    `json:"-"`
	ParentID     *string   `json:"parent_id"`
	Kennzeichen  string    `json:"kennzeichen"`
	Titel        string    `json:"titel"`
	Aufbewahrung *int      `json:"aufbewahrungsfrist_jahre"`
	Archiv       string    `json:"archiventscheidung,omitempty"`
	Geschlossen  bool      `json:"geschlossen"`
	CreatedAt    time.Time `json:"erstellt_am"`
	UpdatedAt    time.Time `json:"geaendert_am"`
}

// Akte is a file under one Aktenplan position.
type Akte struct {
	ID           string `json:"id"`
	TenantID     string `json:"-"`
	AktenplanID  string `json:"aktenplan_id"`
	Aktenzeichen string `json:"aktenzeichen"`
	// OwnerUnitID is the federführende Organisationseinheit ("" = the whole
	// tenant); Einheit is its Kennung for display.
	OwnerUnitID  string     `json:"-"`
	Einheit      *string    `json:"einheit"`
	Titel        string     `json:"titel"`
	Beschreibung string     `json:"beschreibung"`
	Status       string     `json:"status"`
	Metadaten    Metadata   `json:"metadaten"`
	CreatedBy    string     `json:"erstellt_von"`
	CreatedAt    time.Time  `json:"erstellt_am"`
	UpdatedAt    time.Time  `json:"geaendert_am"`
	ClosedAt     *time.Time `json:"geschlossen_am"`
}

// Vorgang is a case inside an Akte.
type Vorgang struct {
	ID           string `json:"id"`
	TenantID     string `json:"-"`
	AkteID       string `json:"akte_id"`
	Aktenzeichen string `json:"aktenzeichen"`
	Betreff      string `json:"betreff"`
	Status       string `json:"status"`
	// Beschraenkung restricts the Vorgang to named users (Berechtigte):
	// "vs-nfd" or "personal"; nil when only the Akte's rules apply.
	Beschraenkung *string    `json:"beschraenkung"`
	Berechtigte   []string   `json:"berechtigte,omitempty"`
	Metadaten     Metadata   `json:"metadaten"`
	CreatedBy     string     `json:"erstellt_von"`
	CreatedAt     time.Time  `json:"erstellt_am"`
	UpdatedAt     time.Time  `json:"geaendert_am"`
	ClosedAt      *time.Time `json:"geschlossen_am"`
}

// Dokumenttypen known to the system.
var Dokumenttypen = []string{"Eingang", "Ausgang", "Vermerk", "E-Mail", "Scan", "Antrag", "Bescheid", "Verfügung", "Protokoll", "Sonstiges"}

// Dokument is a record inside a Vorgang; its content lives in Versionen.
type Dokument struct {
	ID            string    `json:"id"`
	TenantID      string    `json:"-"`
	VorgangID     string    `json:"vorgang_id"`
	Betreff       string    `json:"betreff"`
	Typ           string    `json:"typ"`
	Absender      string    `json:"absender"`
	Empfaenger    string    `json:"empfaenger"`
	Dokumentdatum *string   `json:"dokumentdatum"`
	Eingangsdatum *string   `json:"eingangsdatum"`
	Versionen     int       `json:"versionen"`
	Beschraenkung *string   `json:"beschraenkung"`
	Berechtigte   []string  `json:"berechtigte,omitempty"`
	Final         bool      `json:"final"`
	CreatedBy     string    `json:"erstellt_von"`
	CreatedAt     time.Time `json:"erstellt_am"`
	UpdatedAt     time.Time `json:"geaendert_am"`
	// Texterkennung is the state of text extraction/OCR of the newest
	// version; nil before the first version was processed.
	Texterkennung *TextStatus `json:"texterkennung"`
	// Miniatur: the newest version has a thumbnail (job miniatur.erstellen).
	Miniatur bool `json:"-"`
}

// TextStatus is what a clerk sees of text recognition: "Text erkannt",
// "OCR läuft", "fehlgeschlagen (Grund)".
type TextStatus struct {
	Status  string `json:"status"`
	Grund   string `json:"grund,omitempty"`
	Methode string `json:"methode,omitempty"`
}

// Version is one immutable content state of a Dokument.
type Version struct {
	DokumentID string    `json:"dokument_id"`
	TenantID   string    `json:"-"`
	Nummer     int       `json:"nummer"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"groesse"`
	MimeType   string    `json:"mime_type"`
	Dateiname  string    `json:"dateiname"`
	Author     string    `json:"autor"`
	CreatedAt  time.Time `json:"erstellt_am"`
	Final      bool      `json:"final"`
}

// AzHistory records an Aktenzeichen an object had before a move or re-filing.
type AzHistory struct {
	TenantID     string    `json:"-"`
	ObjectType   string    `json:"objekt_typ"`
	ObjectID     string    `json:"objekt_id"`
	Aktenzeichen string    `json:"aktenzeichen"`
	Until        time.Time `json:"bis"`
	Reason       string    `json:"grund"`
}

// Metadata is free, typed key/value metadata: values are JSON strings,
// numbers, booleans or null; keys are lower-case identifiers.
type Metadata map[string]any

// MarshalJSON writes an empty object rather than null.
func (m Metadata) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]any(m))
}

// Page asks for one page of a list: items after Cursor (an opaque id).
type Page struct {
	After string
	Limit int
}

// AkteFilter narrows a list of Akten.
type AkteFilter struct {
	AktenplanID string
	Status      string
	EinheitID   string // owning unit
}

// Restrictions (Beschränkungen) a Vorgang or Dokument can carry.
var Restrictions = []string{"vs-nfd", "personal"}

// Grant levels.
const (
	GrantRead  = "read"
	GrantWrite = "write"
)

// Grant (Freigabe) shares an Akte with a user, a unit, or a whole tenant,
// possibly of another tenant (Beteiligung).
type Grant struct {
	ID              string     `json:"id"`
	TenantID        string     `json:"-"`
	AkteID          string     `json:"akte_id"`
	GranteeTenantID string     `json:"-"`
	GranteeUnitID   string     `json:"-"`
	GranteeUserID   string     `json:"-"`
	Tenant          string     `json:"tenant"`
	Unit            *string    `json:"unit"`
	User            *string    `json:"user"`
	Level           string     `json:"level"`
	ExpiresAt       *time.Time `json:"laeuft_ab_am"`
	CreatedBy       string     `json:"erstellt_von"`
	CreatedAt       time.Time  `json:"erstellt_am"`
	RevokedAt       *time.Time `json:"widerrufen_am,omitempty"`
}

// Active reports whether a grant is in force at now.
func (g Grant) Active(now time.Time) bool {
	return g.RevokedAt == nil && (g.ExpiresAt == nil || now.Before(*g.ExpiresAt))
}

// Vertretung: Vertreter acts for Vertretene from Von until Bis.
type Vertretung struct {
	ID           string     `json:"id"`
	TenantID     string     `json:"-"`
	VertreteneID string     `json:"-"`
	VertreterID  string     `json:"-"`
	Vertretene   string     `json:"vertretene"`
	Vertreter    string     `json:"vertreter"`
	Von          time.Time  `json:"von"`
	Bis          time.Time  `json:"bis"`
	CreatedBy    string     `json:"erstellt_von"`
	CreatedAt    time.Time  `json:"erstellt_am"`
	RevokedAt    *time.Time `json:"beendet_am,omitempty"`
}

// Principal re-exports the access principal for convenience of callers.
type Principal = access.Principal

// Unit types of an Organisationseinheit.
var UnitTypes = []string{"abteilung", "referat", "sachgebiet", "stabsstelle"}

// Positions a user can hold in a unit.
var Positions = []string{"sachbearbeitung", "referatsleitung", "abteilungsleitung", "registratur", "admin", "datenschutz"}

// Unit is an Organisationseinheit of a tenant.
type Unit struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	ParentID  *string   `json:"parent_id"`
	Kennung   string    `json:"kennung"`
	Name      string    `json:"name"`
	Typ       string    `json:"typ"`
	CreatedAt time.Time `json:"erstellt_am"`
}

// Membership is a user's position in a unit.
type Membership struct {
	UnitID   string `json:"unit_id"`
	Kennung  string `json:"kennung"`
	Position string `json:"position"`
}
