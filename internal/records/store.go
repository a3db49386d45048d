package records

import (
	"context"
	"errors"
	"time"

	"aktenwerk/internal/audit"
)

// ErrNoRows is returned by Tx getters for a missing row (within the tenant).
var ErrNoRows = errors.New("records: no such row")

// ErrDuplicate is returned by Tx inserts that violate a uniqueness rule.
var ErrDuplicate = errors.New("records: duplicate")

// Store is the storage the records service needs. Implementations live in
// internal/store/*, and internal/store/storetest specifies their behaviour.
type Store interface {
	// Write runs fn in one write transaction: all or nothing.
	Write(ctx context.Context, fn func(Tx) error) error
	// Read runs fn in a read-only snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	Ping(ctx context.Context) error
	Close() error
	// Backend names the backend ("sqlite", "postgres").
	Backend() string
}

// Tx is one transaction. Every method that takes a tenantID only ever sees
// rows of that tenant.
type Tx interface {
	InsertTenant(ctx context.Context, t Tenant) error
	UpdateTenant(ctx context.Context, t Tenant) error
	TenantByCode(ctx context.Context, code string) (Tenant, error)
	TenantByID(ctx context.Context, id string) (Tenant, error)
	ListTenants(ctx context.Context) ([]Tenant, error)

	InsertUser(ctx context.Context, u User) error
	UserByLogin(ctx context.Context, tenantID, login string) (User, error)
	InsertToken(ctx context.Context, t Token, hash string) error
	// TokenOwner resolves a token hash to its (active) user and tenant;
	// expired tokens and inactive users answer ErrNoRows.
	TokenOwner(ctx context.Context, hash string, now time.Time) (Tenant, User, error)

	InsertAktenplan(ctx context.Context, e AktenplanEintrag) error
	GetAktenplan(ctx context.Context, tenantID, id string) (AktenplanEintrag, error)
	UpdateAktenplan(ctx context.Context, e AktenplanEintrag) error
	DeleteAktenplan(ctx context.Context, tenantID, id string) error
	ListAktenplan(ctx context.Context, tenantID string) ([]AktenplanEintrag, error)
	// AktenplanUsage counts child positions and Akten under a position.
	AktenplanUsage(ctx context.Context, tenantID, id string) (children, akten int, err error)

	// NextSerial increments and returns the counter of scope (first value 1).
	NextSerial(ctx context.Context, tenantID, scope string) (int64, error)
	// RegisterAktenzeichen reserves az for good; ErrDuplicate if ever used.
	RegisterAktenzeichen(ctx context.Context, tenantID, az, objectType, objectID string) error
	// LookupAktenzeichen finds the object an Aktenzeichen (current or former) names.
	LookupAktenzeichen(ctx context.Context, tenantID, az string) (objectType, objectID string, err error)
	InsertAzHistory(ctx context.Context, h AzHistory) error
	ListAzHistory(ctx context.Context, tenantID, objectID string) ([]AzHistory, error)

	InsertAkte(ctx context.Context, a Akte) error
	GetAkte(ctx context.Context, tenantID, id string) (Akte, error)
	UpdateAkte(ctx context.Context, a Akte) error
	ListAkten(ctx context.Context, tenantID string, f AkteFilter, p Page) ([]Akte, error)

	InsertVorgang(ctx context.Context, v Vorgang) error
	GetVorgang(ctx context.Context, tenantID, id string) (Vorgang, error)
	UpdateVorgang(ctx context.Context, v Vorgang) error
	ListVorgaenge(ctx context.Context, tenantID, akteID string, p Page) ([]Vorgang, error)

	InsertDokument(ctx context.Context, d Dokument) error
	GetDokument(ctx context.Context, tenantID, id string) (Dokument, error)
	UpdateDokument(ctx context.Context, d Dokument) error
	ListDokumente(ctx context.Context, tenantID, vorgangID string, p Page) ([]Dokument, error)

	// NextVersion atomically claims the next version number of a Dokument
	// that is not final; ErrNoRows if it is missing or final.
	NextVersion(ctx context.Context, tenantID, dokumentID string, now time.Time) (int, error)
	InsertVersion(ctx context.Context, v Version) error
	GetVersion(ctx context.Context, tenantID, dokumentID string, nummer int) (Version, error)
	ListVersionen(ctx context.Context, tenantID, dokumentID string) ([]Version, error)
	MarkVersionFinal(ctx context.Context, tenantID, dokumentID string, nummer int) error
	// BlobReferenced reports whether any version points at sha (any tenant).
	BlobReferenced(ctx context.Context, sha string) (bool, error)
	// WalkBlobRefs lists every distinct blob hash referenced by a version.
	WalkBlobRefs(ctx context.Context, fn func(sha string) error) error

	// AppendAudit extends the tenant's chain with e (Seq, PrevHash and Hash
	// are filled in) in this transaction.
	AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error)
	ListAudit(ctx context.Context, tenantID, objectID string, p Page) ([]audit.Entry, error)
	AuditHeads(ctx context.Context) ([]audit.Head, error)
	WalkAudit(ctx context.Context, tenantID string, fn func(audit.Entry) error) error
}
