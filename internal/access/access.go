// Package access answers "may X do Y on Z". In this first stage it knows
// tenants, users and roles; org units, need-to-know grants and Vertretung
// extend the same entry points (Principal, Can) later, so that every caller
// already goes through one place.
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
)

var labels = map[Action]string{
	ReadMetadata: "Metadaten lesen", ReadContent: "Inhalte lesen", Create: "Anlegen", Edit: "Bearbeiten",
	Close: "z.d.A. verfügen", Reopen: "Wiederaufnehmen", Refile: "Verschieben und Umprotokollieren",
	ManageAktenplan: "Aktenplan pflegen", ManageUsers: "Benutzer verwalten", ReadAudit: "Protokoll lesen",
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
	RoleAdmin:           {ReadMetadata, ReadContent, Create, Edit, Close, Reopen, Refile, ManageAktenplan, ManageUsers, ReadAudit},
	RoleRegistratur:     {ReadMetadata, ReadContent, Create, Edit, Close, Reopen, Refile, ManageAktenplan},
	RoleSachbearbeitung: {ReadMetadata, ReadContent, Create, Edit, Close},
	RoleLeitung:         {ReadMetadata, ReadContent, Create, Edit, Close, Reopen},
	RoleAudit:           {ReadMetadata, ReadAudit},
}

// Principal is the authenticated caller of an operation.
type Principal struct {
	TenantID   string
	TenantCode string
	UserID     string
	Login      string
	Roles      []Role
	// System marks internal callers (CLI administration, demo loader) that
	// act for the platform operator rather than a person.
	System bool
}

// Can reports whether p may perform a on objects of its own tenant.
// Object-level rules (grants, restrictions) come with the access issue.
func Can(p Principal, a Action) bool {
	if p.System {
		return true
	}
	for _, r := range p.Roles {
		if slices.Contains(matrix[r], a) {
			return true
		}
	}
	return false
}

// Actor is the name written into the audit trail for p.
func (p Principal) Actor() string {
	if p.Login == "" && p.System {
		return "system"
	}
	return p.Login
}
