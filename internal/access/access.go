// Package access answers "may X do Y on Z": roles bundle permissions (Can),
// token scopes narrow them, and the need-to-know level of an object (Level,
// from owning unit, grants and restrictions, computed by the records
// service) decides which objects a principal may touch at all (Allows).
package access

import (
	"slices"
	"strings"
)

// Role bundles permissions. The names are the contract of `user add --role`.
type Role string

const (
	RoleAdmin           Role = "admin"
	RoleRegistratur     Role = "registratur"
	RoleSachbearbeitung Role = "sachbearbeitung"
	RoleLeitung         Role = "leitung"
	RoleAudit           Role = "audit"
)

// AllRoles lists the known roles in a stable order.
var AllRoles = []Role{RoleAdmin, RoleRegistratur, RoleSachbearbeitung, RoleLeitung, RoleAudit}

// ParseRole validates a role name.
func ParseRole(s string) (Role, bool) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	return r, slices.Contains(AllRoles, r)
}

// Action is an operation that needs a permission.
type Action string

const (
	ReadMetadata    Action = "read_metadata"
	ReadContent     Action = "read_content"
	Create          Action = "create"
	Edit            Action = "edit"
	Close           Action = "close"
	Reopen          Action = "reopen"
	Refile          Action = "refile"
	ManageAktenplan Action = "manage_aktenplan"
	ManageUsers     Action = "manage_users"
	ReadAudit       Action = "read_audit"
	// ManageGrants shares an Akte or restricts its contents; it needs Edit
	// by role and ownership of the Akte (LevelOwner).
	ManageGrants Action = "manage_grants"
	// ManagePosteingang receives items into the Posteingang and assigns
	// them to Vorgänge (the Registratur's work).
	ManagePosteingang Action = "manage_posteingang"
)

var labels = map[Action]string{
	ReadMetadata: "Metadaten lesen", ReadContent: "Inhalte lesen", Create: "Anlegen", Edit: "Bearbeiten",
	Close: "z.d.A. verfügen", Reopen: "Wiederaufnehmen", Refile: "Verschieben und Umprotokollieren",
	ManageAktenplan: "Aktenplan pflegen", ManageUsers: "Benutzer verwalten", ReadAudit: "Protokoll lesen",
	ManageGrants: "Freigaben und Beschränkungen verwalten", ManagePosteingang: "Posteingang bearbeiten",
}

// Label is the German name of an action, for messages to users.
func (a Action) Label() string {
	if l, ok := labels[a]; ok {
		return l
	}
	return string(a)
}

// matrix is the roles × operations table documented in docs/access.md.
var matrix = map[Role][]Action{
	RoleAdmin:           {ReadMetadata, ReadContent, Create, Edit, Close, Reopen, Refile, ManageAktenplan, ManageUsers, ReadAudit, ManageGrants, ManagePosteingang},
	RoleRegistratur:     {ReadMetadata, ReadContent, Create, Edit, Close, Reopen, Refile, ManageAktenplan, ManageGrants, ManagePosteingang},
	RoleSachbearbeitung: {ReadMetadata, ReadContent, Create, Edit, Close, ManageGrants},
	RoleLeitung:         {ReadMetadata, ReadContent, Create, Edit, Close, Reopen, ManageGrants},
	RoleAudit:           {ReadMetadata, ReadAudit},
}

// Scope narrows what an API token may do, whatever its owner's roles.
type Scope string

const (
	ScopeRead  Scope = "read"  // read metadata and content
	ScopeWrite Scope = "write" // create, edit, close, reopen, re-file, Aktenplan
	ScopeAdmin Scope = "admin" // manage users, units, tokens of others
	ScopeAudit Scope = "audit" // read the audit log
)

// AllScopes lists the scopes in a stable order.
var AllScopes = []Scope{ScopeRead, ScopeWrite, ScopeAdmin, ScopeAudit}

// ParseScope validates a scope name.
func ParseScope(s string) (Scope, bool) {
	sc := Scope(strings.ToLower(strings.TrimSpace(s)))
	return sc, slices.Contains(AllScopes, sc)
}

// ScopeOf is the scope an action needs.
func ScopeOf(a Action) Scope {
	switch a {
	case ReadMetadata, ReadContent:
		return ScopeRead
	case ManageUsers:
		return ScopeAdmin
	case ReadAudit:
		return ScopeAudit
	}
	return ScopeWrite
}

// Deputy is the person who really acts when a principal works i.V. (in
// Vertretung) for someone else.
type Deputy struct {
	UserID string
	Login  string
}

// Principal is the authenticated caller of an operation. When a deputy acts
// for an absent colleague, the principal carries the colleague's identity,
// roles and units, and Deputy names the person at the keyboard.
type Principal struct {
	TenantID   string
	TenantCode string
	UserID     string
	Login      string
	Roles      []Role
	// Units are the ids of the org units whose Akten the principal sees:
	// the units it belongs to and every unit below them.
	Units []string
	// Scopes narrow a token's permissions; nil means no narrowing
	// (sessions, CLI).
	Scopes []Scope
	// Deputy is set when someone acts i.V. for this principal's user.
	Deputy *Deputy
	// System marks internal callers (CLI administration, demo loader) that
	// act for the platform operator rather than a person.
	System bool
}

// Can reports whether p's roles (and token scopes) allow a at all; which
// objects it may touch is decided by Allows with the object's Level.
func Can(p Principal, a Action) bool {
	if p.System {
		return true
	}
	if p.Scopes != nil && !slices.Contains(p.Scopes, ScopeOf(a)) {
		return false
	}
	if p.Deputy != nil && (a == ManageUsers || a == ReadAudit) {
		// Vertretung covers the absent colleague's case work, not the
		// administration of accounts or the audit log: a deputy must not
		// be able to make itself admin or read what it did.
		return false
	}
	for _, r := range p.Roles {
		if slices.Contains(matrix[r], a) {
			return true
		}
	}
	return false
}

// Level is what need-to-know grants a principal on one Akte (and what it
// contains).
type Level int

const (
	// LevelNone: the object does not exist for the principal (404).
	LevelNone Level = iota
	// LevelRead: a read grant (Beteiligung zur Kenntnis).
	LevelRead
	// LevelWrite: a write grant (Beteiligung zur Mitarbeit): add and edit
	// Vorgänge and Dokumente, but not close, reopen, re-file or share.
	LevelWrite
	// LevelOwner: the Akte belongs to one of the principal's units (or to
	// the whole tenant): everything its roles allow.
	LevelOwner
)

// String names a level as in the API ("read", "write", "owner").
func (l Level) String() string {
	return [...]string{"none", "read", "write", "owner"}[l]
}

// Allows reports whether an object at level l may be the subject of a.
func Allows(l Level, a Action) bool {
	switch a {
	case ReadMetadata, ReadContent:
		return l >= LevelRead
	case Create, Edit:
		return l >= LevelWrite
	}
	return l >= LevelOwner
}

// Actor is the name written into the audit trail for p: the person at the
// keyboard (the deputy when acting i.V.).
func (p Principal) Actor() string {
	if p.Deputy != nil {
		return p.Deputy.Login
	}
	if p.Login == "" && p.System {
		return "system"
	}
	return p.Login
}

// ActorID is the user id of the person at the keyboard.
func (p Principal) ActorID() string {
	if p.Deputy != nil {
		return p.Deputy.UserID
	}
	return p.UserID
}

// OnBehalfOf is the login p acts for when working i.V., else "".
func (p Principal) OnBehalfOf() string {
	if p.Deputy != nil {
		return p.Login
	}
	return ""
}
