package access

import "testing"

func TestCanRolesScopesDeputy(t *testing.T) {
	sb := Principal{Roles: []Role{RoleSachbearbeitung}}
	admin := Principal{Roles: []Role{RoleAdmin}}
	cases := []struct {
		name string
		p    Principal
		a    Action
		want bool
	}{
		{"sachbearbeitung creates", sb, Create, true},
		{"sachbearbeitung may not re-file", sb, Refile, false},
		{"sachbearbeitung may not read the audit log", sb, ReadAudit, false},
		{"audit reads metadata", Principal{Roles: []Role{RoleAudit}}, ReadMetadata, true},
		{"audit may not read content", Principal{Roles: []Role{RoleAudit}}, ReadContent, false},
		{"admin manages users", admin, ManageUsers, true},
		{"read scope narrows admin", Principal{Roles: []Role{RoleAdmin}, Scopes: []Scope{ScopeRead}}, Create, false},
		{"read scope still reads", Principal{Roles: []Role{RoleAdmin}, Scopes: []Scope{ScopeRead}}, ReadContent, true},
		{"scope never widens roles", Principal{Roles: []Role{RoleSachbearbeitung}, Scopes: AllScopes}, ManageUsers, false},
		{"deputy of an admin cannot manage users", Principal{Roles: []Role{RoleAdmin}, Deputy: &Deputy{Login: "bernd"}}, ManageUsers, false},
		{"deputy of an admin cannot read the audit log", Principal{Roles: []Role{RoleAdmin}, Deputy: &Deputy{Login: "bernd"}}, ReadAudit, false},
		{"deputy does case work", Principal{Roles: []Role{RoleLeitung}, Deputy: &Deputy{Login: "bernd"}}, Reopen, true},
		{"system may everything", Principal{System: true}, ManageUsers, true},
		{"no roles, nothing", Principal{}, ReadMetadata, false},
	}
	for _, c := range cases {
		if got := Can(c.p, c.a); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAllowsByLevel(t *testing.T) {
	want := map[Level]map[Action]bool{
		LevelNone:  {ReadMetadata: false, ReadContent: false, Create: false, Edit: false, Close: false, ManageGrants: false},
		LevelRead:  {ReadMetadata: true, ReadContent: true, Create: false, Edit: false, Close: false, ManageGrants: false},
		LevelWrite: {ReadMetadata: true, ReadContent: true, Create: true, Edit: true, Close: false, Refile: false, ManageGrants: false},
		LevelOwner: {ReadMetadata: true, Create: true, Close: true, Reopen: true, Refile: true, ManageGrants: true},
	}
	for lvl, acts := range want {
		for a, w := range acts {
			if got := Allows(lvl, a); got != w {
				t.Errorf("Allows(%s, %s) = %v, want %v", lvl, a, got, w)
			}
		}
	}
}

func TestActorWhenDeputising(t *testing.T) {
	p := Principal{UserID: "u-anna", Login: "anna", Deputy: &Deputy{UserID: "u-bernd", Login: "bernd"}}
	if p.Actor() != "bernd" || p.ActorID() != "u-bernd" || p.OnBehalfOf() != "anna" {
		t.Fatalf("actor %q/%q on behalf of %q", p.Actor(), p.ActorID(), p.OnBehalfOf())
	}
	q := Principal{UserID: "u-anna", Login: "anna"}
	if q.Actor() != "anna" || q.OnBehalfOf() != "" {
		t.Fatalf("actor %q on behalf of %q", q.Actor(), q.OnBehalfOf())
	}
}
