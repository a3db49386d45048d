package records

import (
	"context"
	"errors"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/audit"
)

// AllViewers lists restricted objects too (internal callers only).
const AllViewers = "*"

// Viewer is what a list query needs to know about who is looking.
type Viewer struct {
	TenantID string
	UserID   string
	Units    []string
	Now      time.Time
	All      bool // system: the whole tenant, no grants needed
}

// TokenOwner is who a token belongs to.
type TokenOwner struct {
	Tenant  Tenant
	User    User
	Scopes  []access.Scope
	UnitIDs []string // the units the user belongs to directly
}

// AzRef is an Aktenzeichen registry entry.
type AzRef struct {
	TenantID, ObjectType, ObjectID string
}

// ErrNoRows is returned by Tx getters for a missing row (within the tenant).
var ErrNoRows = errors.New("records: no such row")

// ErrDuplicate is returned by Tx inserts that violate a uniqueness rule.
var ErrDuplicate = errors.New("records: duplicate")

// PendingAudit summarises a tenant's unchained audit entries.
type PendingAudit struct {
	TenantID string
	Count    int
	Oldest   time.Time
}

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
	// IsOperator reports whether a user is an installation-wide operator
	// (Betrieb); SetOperator grants (on) or withdraws it.
	IsOperator(ctx context.Context, userID string) (bool, error)
	SetOperator(ctx context.Context, userID string, on bool, at time.Time) error

	InsertUser(ctx context.Context, u User) error
	UserByLogin(ctx context.Context, tenantID, login string) (User, error)
	UserByID(ctx context.Context, tenantID, id string) (User, error)
	SetUserActive(ctx context.Context, tenantID, userID string, active bool) error
	InsertUnit(ctx context.Context, u Unit) error
	UnitByKennung(ctx context.Context, tenantID, kennung string) (Unit, error)
	ListUnits(ctx context.Context, tenantID string) ([]Unit, error)
	// AddMembership puts a user into a unit; ErrDuplicate if already there.
	AddMembership(ctx context.Context, userID, unitID, position string) error
	ListMemberships(ctx context.Context, tenantID, userID string) ([]Membership, error)
	InsertToken(ctx context.Context, t Token, hash string) error
	ListTokens(ctx context.Context, tenantID, userID string) ([]Token, error)
	// RevokeToken marks a token revoked; ErrNoRows if unknown or already revoked.
	RevokeToken(ctx context.Context, tenantID, id string, at time.Time) (Token, error)
	// TokenOwner resolves a token hash to its (active) user, tenant,
	// scopes and the user's unit ids (in one statement: it runs on every
	// API request); expired tokens and inactive users answer ErrNoRows.
	TokenOwner(ctx context.Context, hash string, now time.Time) (TokenOwner, error)

	ListUsers(ctx context.Context, tenantID string) ([]User, error)
	// UpdateUser stores name, roles and active flag.
	UpdateUser(ctx context.Context, u User) error
	RemoveMembership(ctx context.Context, userID, unitID string) error
	UnitByID(ctx context.Context, tenantID, id string) (Unit, error)
	// UpdateUnit stores a unit's name and parent.
	UpdateUnit(ctx context.Context, u Unit) error
	// LockTenant serialises changes to the shape of a tenant's trees (units,
	// Aktenplan) until the transaction ends, so that two concurrent moves
	// cannot together build a cycle that neither saw.
	LockTenant(ctx context.Context, tenantID string) error

	// Need-to-know. Find* load an object by id in any tenant: only the
	// visibility helpers of the service call them, and they decide.
	FindAkte(ctx context.Context, id string) (Akte, error)
	FindVorgang(ctx context.Context, id string) (Vorgang, error)
	// FindAkten and FindVorgaenge load the objects ids (in any tenant, like
	// Find*) in one statement; ids that do not exist are missing from the
	// map. For the snippets of a search page, whose hits were checked in
	// the search's SQL.
	FindAkten(ctx context.Context, ids []string) (map[string]Akte, error)
	FindVorgaenge(ctx context.Context, ids []string) (map[string]Vorgang, error)
	FindDokument(ctx context.Context, id string) (Dokument, error)
	InsertGrant(ctx context.Context, g Grant) error
	// ListGrants lists an Akte's grants, revoked and expired ones included.
	ListGrants(ctx context.Context, akteID string) ([]Grant, error)
	RevokeGrant(ctx context.Context, akteID, id string, at time.Time) error
	// SetRestrictionUsers replaces who may see a restricted object.
	SetRestrictionUsers(ctx context.Context, objectID string, userIDs []string) error
	RestrictionUsers(ctx context.Context, objectID string) ([]User, error)
	InsertVertretung(ctx context.Context, v Vertretung) error
	GetVertretung(ctx context.Context, tenantID, id string) (Vertretung, error)
	ListVertretungen(ctx context.Context, tenantID, userID string) ([]Vertretung, error)
	OverlappingVertretung(ctx context.Context, vertreteneID string, von, bis time.Time) (Vertretung, error)
	ActiveVertretung(ctx context.Context, vertreteneID, vertreterID string, now time.Time) (Vertretung, error)
	EndVertretung(ctx context.Context, tenantID, id string, at time.Time) error
	LookupAktenzeichenAll(ctx context.Context, az string) ([]AzRef, error)

	InsertAktenplan(ctx context.Context, e AktenplanEintrag) error
	GetAktenplan(ctx context.Context, tenantID, id string) (AktenplanEintrag, error)
	// AktenplanEntries loads the positions ids of tenantID in one
	// statement (facet labels); unknown ids are missing from the map.
	AktenplanEntries(ctx context.Context, tenantID string, ids []string) (map[string]AktenplanEintrag, error)
	// GetAktenplanForFiling reads a position an Akte is about to be filed
	// under, locked against a concurrent change of its Kennzeichen until
	// the transaction ends (PostgreSQL: FOR KEY SHARE, the lock the
	// foreign key takes anyway), so that the Aktenzeichen built from it
	// is the Kennzeichen that holds.
	GetAktenplanForFiling(ctx context.Context, tenantID, id string) (AktenplanEintrag, error)
	// LockAktenplan locks a position against filing (GetAktenplanForFiling)
	// until the transaction ends: an Akte being filed under it is waited
	// for, later ones wait (PostgreSQL: FOR UPDATE; SQLite: nothing to do).
	LockAktenplan(ctx context.Context, tenantID, id string) error
	// UpdateAktenplan stores every field of a position but its id and
	// creation time; ErrDuplicate for a Kennzeichen in use.
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
	// ListAkten lists what v may see (own units, grants).
	ListAkten(ctx context.Context, v Viewer, f AkteFilter, p Page) ([]Akte, error)

	InsertVorgang(ctx context.Context, v Vorgang) error
	GetVorgang(ctx context.Context, tenantID, id string) (Vorgang, error)
	UpdateVorgang(ctx context.Context, v Vorgang) error
	// ListVorgaenge lists an Akte's Vorgänge; restricted ones only when
	// viewerID is among their Berechtigte (AllViewers: every Vorgang).
	ListVorgaenge(ctx context.Context, tenantID, akteID, viewerID string, p Page) ([]Vorgang, error)

	InsertDokument(ctx context.Context, d Dokument) error
	GetDokument(ctx context.Context, tenantID, id string) (Dokument, error)
	UpdateDokument(ctx context.Context, d Dokument) error
	ListDokumente(ctx context.Context, tenantID, vorgangID, viewerID string, p Page) ([]Dokument, error)

	// NextVersion atomically claims the next version number of a Dokument
	// that is not final; ErrNoRows if it is missing or final.
	NextVersion(ctx context.Context, tenantID, dokumentID string, now time.Time) (int, error)
	InsertVersion(ctx context.Context, v Version) error
	GetVersion(ctx context.Context, tenantID, dokumentID string, nummer int) (Version, error)
	ListVersionen(ctx context.Context, tenantID, dokumentID string) ([]Version, error)
	MarkVersionFinal(ctx context.Context, tenantID, dokumentID string, nummer int) error
	// SetMiniatur records the thumbnail (a derived blob) of a version.
	SetMiniatur(ctx context.Context, tenantID, dokumentID string, nummer int, sha string) error
	// Miniatur returns the thumbnail's hash of a version ("" if none).
	Miniatur(ctx context.Context, tenantID, dokumentID string, nummer int) (string, error)
	// SetMiniaturStatus records the thumbnail state of a version
	// (MiniaturKeine, …; SetMiniatur sets erstellt itself).
	// MiniaturEingereiht replaces only MiniaturAusstehend (else nothing
	// happens, no error): a job that finished meanwhile keeps its state.
	SetMiniaturStatus(ctx context.Context, tenantID, dokumentID string, nummer int, status string) error
	// MiniaturenAusstehend lists versions (any tenant) in thumbnail state
	// ausstehend created before a time, oldest first.
	MiniaturenAusstehend(ctx context.Context, before time.Time, limit int) ([]Version, error)
	// BlobReferenced reports whether any version, thumbnail, searchable copy or
	// Posteingang item or attachment points at sha (any tenant).
	BlobReferenced(ctx context.Context, sha string) (bool, error)
	// WalkBlobRefs lists every distinct blob hash referenced (see
	// BlobReferenced).
	WalkBlobRefs(ctx context.Context, fn func(sha string) error) error

	// Search index. Inserts and updates of Akten, Vorgänge and Dokumente
	// mark them in search_pending (in the same transaction) and copy the
	// access columns (owning unit, restriction flags) into their existing
	// index rows at once, so the index never shows an object to someone the
	// object itself is hidden from.
	MarkSearch(ctx context.Context, m SearchPending) error
	// MarkAllSearch marks every Akte of every tenant with its subtree.
	MarkAllSearch(ctx context.Context, now time.Time) (int, error)
	// PendingSearch lists marks, oldest first; in a write transaction on
	// PostgreSQL it claims them (rows locked by another indexer are skipped).
	PendingSearch(ctx context.Context, limit int) ([]SearchPending, error)
	// ExpandSearch marks the children of a subtree mark (Vorgänge of an
	// Akte with their subtrees, Dokumente of a Vorgang).
	ExpandSearch(ctx context.Context, m SearchPending, now time.Time) error
	// ClearSearchMark removes a mark unless it was renewed (gen changed).
	ClearSearchMark(ctx context.Context, objectID string, gen int64) error
	// ReplaceSearchDocs replaces an object's index rows by docs (none:
	// remove the object from the index).
	ReplaceSearchDocs(ctx context.Context, objectID string, docs []SearchDoc, now time.Time) error
	// SearchCandidates returns the newest (highest seq) index rows that
	// match q and that q.Viewer may see, at most q.Limit.
	SearchCandidates(ctx context.Context, q SearchQuery) ([]SearchCandidate, error)
	// LockForIndex share-locks an Akte before the indexer reads it and
	// its grants, so that a concurrent change of them waits (PostgreSQL).
	LockForIndex(ctx context.Context, akteID string) error
	// SearchStats counts index rows and pending marks.
	SearchStats(ctx context.Context) (rows, pending int, err error)
	// BackfillSearch completes, for at most rows index rows, what a
	// migration added to the index format without rewriting the table
	// (PostgreSQL: the word pairs), newest rows first, and returns how many
	// rows are left to look at (0: done).
	BackfillSearch(ctx context.Context, rows int) (left int64, err error)
	// DokumentTextHeads loads the first maxChars characters of the
	// recognised texts of the Dokumente ids in one statement (the snippets
	// of a page of hits); Dokumente without a text (none recognised yet, or
	// an empty one) are missing from the map.
	DokumentTextHeads(ctx context.Context, ids []string, maxChars int) (map[string]string, error)
	// DokumentText loads a Dokument's recognised text; ErrNoRows if none.
	DokumentText(ctx context.Context, dokumentID string) (DokumentText, error)
	// PutDokumentText stores it (insert or replace) and marks the Dokument
	// for the index.
	PutDokumentText(ctx context.Context, t DokumentText) error
	// SetTextState records the state of text recognition of a version
	// (status, reason) and keeps the text recognised so far.
	SetTextState(ctx context.Context, t DokumentText) error
	// DokumentTexteIn lists texts in a status updated before a time (the
	// extraction sweeper re-enqueues those).
	DokumentTexteIn(ctx context.Context, status string, before time.Time, limit int) ([]DokumentText, error)

	// Posteingang. InsertPostItem answers ErrDuplicate when the source
	// reference or the Message-ID is known.
	InsertPostItem(ctx context.Context, it PostItem) error
	GetPostItem(ctx context.Context, tenantID, id string) (PostItem, error)
	FindPostItem(ctx context.Context, id string) (PostItem, error)
	PostItemBySource(ctx context.Context, tenantID, quelle, ref string) (PostItem, error)
	PostItemByMessageID(ctx context.Context, tenantID, messageID string) (PostItem, error)
	// ListPostItems lists items newest first (id descending), those of the
	// units in q.Units and tenant-wide ones (all with q.All).
	ListPostItems(ctx context.Context, q PostQuery) ([]PostItem, error)
	// UpdatePostItem stores status, text, suggestions, Betreff/Absender,
	// Message-ID and the assignment.
	UpdatePostItem(ctx context.Context, it PostItem) error
	ReplacePostAttachments(ctx context.Context, itemID string, atts []PostAnhang) error
	ListPostAttachments(ctx context.Context, itemID string) ([]PostAnhang, error)
	// PostAwaitingText lists items (any tenant) in text state ausstehend or
	// laeuft that arrived before a time, oldest first.
	PostAwaitingText(ctx context.Context, before time.Time, limit int) ([]PostItem, error)
	// SetPostMiniatur records an item's thumbnail (sha, "" for none) and
	// its thumbnail state; MiniaturEingereiht without sha as for
	// SetMiniaturStatus.
	SetPostMiniatur(ctx context.Context, id, sha, status string) error
	// PostMiniaturenAusstehend lists items (any tenant) in thumbnail state
	// ausstehend that arrived before a time, oldest first.
	PostMiniaturenAusstehend(ctx context.Context, before time.Time, limit int) ([]PostItem, error)

	// AppendAudit writes an unchained entry (Seq 0) in this transaction.
	AppendAudit(ctx context.Context, e audit.Entry) error
	// LockAuditHead locks a tenant's chain head for this transaction and
	// returns it; only the chainer calls it.
	LockAuditHead(ctx context.Context, tenantID string) (audit.Head, error)
	SetAuditHead(ctx context.Context, h audit.Head) error
	// PendingAudit lists unchained entries of a tenant in id order.
	PendingAudit(ctx context.Context, tenantID string, limit int) ([]audit.Entry, error)
	// ChainAuditEntry sets an unchained entry's place in the chain.
	ChainAuditEntry(ctx context.Context, e audit.Entry) error
	// PendingAuditTenants lists tenants with unchained entries and the age
	// of their oldest one.
	PendingAuditTenants(ctx context.Context) ([]PendingAudit, error)
	// ListAudit lists an object's entries (chained or not) in id order.
	ListAudit(ctx context.Context, tenantID, objectID string, p Page) ([]audit.Entry, error)
	AuditHeads(ctx context.Context) ([]audit.Head, error)
	// WalkAudit walks a tenant's chained entries in chain order.
	WalkAudit(ctx context.Context, tenantID string, fn func(audit.Entry) error) error

	// Saved searches of one user in a tenant (savedsearches.go); a search
	// of another user or tenant is ErrNoRows. InsertSavedSearch answers
	// ErrDuplicate for a name the user already has.
	InsertSavedSearch(ctx context.Context, s SavedSearch) error
	// ListSavedSearches lists them in the order they were saved (id).
	ListSavedSearches(ctx context.Context, tenantID, userID string, limit int) ([]SavedSearch, error)
	GetSavedSearch(ctx context.Context, tenantID, userID, id string) (SavedSearch, error)
	DeleteSavedSearch(ctx context.Context, tenantID, userID, id string) error
	CountSavedSearches(ctx context.Context, tenantID, userID string) (int, error)

	// Recently opened Akten of one user (recent.go). NoteRecentAkte records
	// that the user opened an Akte at at (again: moved to the front) and
	// keeps only the user's keep newest; RecentAkten lists the ids, newest
	// first.
	NoteRecentAkte(ctx context.Context, tenantID, userID, akteID string, at time.Time, keep int) error
	RecentAkten(ctx context.Context, tenantID, userID string, limit int) ([]string, error)
}
