package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"aktenwerk/internal/access"
	"aktenwerk/internal/config"
	"aktenwerk/internal/records"
)

func cmdTenantAdd(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("tenant add", "--code CODE --name NAME")
	st.Register(fs)
	code := fs.String("code", "", "Behördenkürzel, z. B. TFM (2–16 Großbuchstaben/Ziffern)")
	name := fs.String("name", "", "Name des Mandanten")
	az := fs.String("aktenzeichen-muster", "", "Aktenzeichenmuster der Akten (Standard "+records.DefaultAzPattern+"; Platzhalter {tenant} {kennzeichen} {year} {serial:N})")
	vg := fs.String("vorgang-muster", "", "Aktenzeichenmuster der Vorgänge (Standard "+records.DefaultVorgangPattern+"; Platzhalter {akte} {tenant} {year} {serial:N})")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "code", "name"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		t, err := svc.CreateTenantWith(ctx, records.NewTenant{Code: *code, Name: *name, AzPattern: *az, VorgangPattern: *vg})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Mandant %s „%s“ angelegt (Aktenzeichenmuster %s)\n", t.Code, t.Name, t.AzPattern)
		return nil
	})
}

func cmdTenantUpdate(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("tenant update", "--code CODE [--name NAME] [--aktenzeichen-muster M] [--vorgang-muster M]")
	st.Register(fs)
	code := fs.String("code", "", "Behördenkürzel des Mandanten")
	var patch records.TenantPatch
	fs.Func("name", "neuer Name", func(v string) error { patch.Name = &v; return nil })
	fs.Func("aktenzeichen-muster", "neues Aktenzeichenmuster der Akten (gilt für neue Akten)", func(v string) error { patch.AzPattern = &v; return nil })
	fs.Func("vorgang-muster", "neues Aktenzeichenmuster der Vorgänge (gilt für neue Vorgänge)", func(v string) error { patch.VorgangPattern = &v; return nil })
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "code"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		t, err := svc.UpdateTenant(ctx, *code, patch)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Mandant %s „%s“: Akten %s, Vorgänge %s\n", t.Code, t.Name, t.AzPattern, t.VorgangPattern)
		return nil
	})
}

func cmdTenantList(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("tenant list", "")
	st.Register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		ts, err := svc.ListTenants(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			fmt.Fprintf(out, "%-8s %-40s %s  %s\n", t.Code, t.Name, t.AzPattern, t.VorgangPattern)
		}
		return nil
	})
}

func cmdUserAdd(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("user add", "--tenant CODE --login LOGIN --name NAME [--role ROLLE]…")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	login := fs.String("login", "", "Anmeldename, z. B. anna")
	name := fs.String("name", "", "Voller Name")
	var roles stringList
	fs.Var(&roles, "role", "Rolle: registratur|sachbearbeitung|leitung|admin|audit (wiederholbar; Standard sachbearbeitung)")
	var units stringList
	fs.Var(&units, "unit", "Organisationseinheit (Kennung, wiederholbar; angelegt mit unit add)")
	position := fs.String("position", "sachbearbeitung", "Position in den Einheiten von --unit: "+strings.Join(records.Positions, "|"))
	kind := fs.String("typ", records.KindPerson, "person oder dienstkonto (Integration wie Portal oder Scanstation: nur Tokens, keine Anmeldung)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "login", "name"); err != nil {
		return err
	}
	if *kind != records.KindPerson && *kind != records.KindService {
		return fmt.Errorf("--typ: person oder dienstkonto, nicht %q", *kind)
	}
	var rs []access.Role
	for _, r := range roles {
		role, ok := access.ParseRole(r)
		if !ok {
			return fmt.Errorf("unbekannte Rolle %q (erlaubt: registratur, sachbearbeitung, leitung, admin, audit)", r)
		}
		rs = append(rs, role)
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		var ms []records.Membership
		for _, k := range units {
			ms = append(ms, records.Membership{Kennung: k, Position: *position})
		}
		var u records.User
		var err error
		if *kind == records.KindPerson {
			u, err = svc.CreateUser(ctx, *tenant, *login, *name, rs, ms...)
		} else {
			u, err = svc.CreateServiceAccount(ctx, *tenant, records.NewUser{Login: *login, Name: *name, Roles: rs, Kind: *kind, Einheiten: ms})
		}
		if err != nil {
			return err
		}
		what := "Benutzer"
		if u.Kind == records.KindService {
			what = "Dienstkonto"
		}
		fmt.Fprintf(out, "%s %s (%s) in %s angelegt, Rollen: %v", what, u.Login, u.Name, *tenant, u.Roles)
		if len(units) > 0 {
			fmt.Fprintf(out, ", Einheiten: %s (%s)", strings.Join(units, ", "), *position)
		}
		fmt.Fprintln(out)
		return nil
	})
}

func cmdUserActive(active bool) func(context.Context, []string, io.Writer) error {
	name := map[bool]string{true: "user activate", false: "user deactivate"}[active]
	return func(ctx context.Context, args []string, out io.Writer) error {
		return userCommand(ctx, name, args, func(svc *records.Service, tenant, login string) error {
			if err := svc.SetUserActive(ctx, tenant, login, active); err != nil {
				return err
			}
			if active {
				fmt.Fprintf(out, "Benutzer %s in %s ist wieder aktiv\n", login, tenant)
			} else {
				fmt.Fprintf(out, "Benutzer %s in %s ist deaktiviert; seine Tokens und Sitzungen gelten ab sofort nicht mehr\n", login, tenant)
			}
			return nil
		})
	}
}

func cmdUnitAdd(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("unit add", "--tenant CODE --kennung K --name NAME --typ TYP [--parent K]")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	kennung := fs.String("kennung", "", "Kennung der Einheit, z. B. Z1")
	name := fs.String("name", "", "Name, z. B. \"Referat Personal\"")
	typ := fs.String("typ", "", strings.Join(records.UnitTypes, "|"))
	parent := fs.String("parent", "", "Kennung der übergeordneten Einheit")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "kennung", "name", "typ"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		u, err := svc.CreateUnit(ctx, *tenant, records.NewUnit{Kennung: *kennung, Name: *name, Typ: *typ, Parent: *parent})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Organisationseinheit %s „%s“ (%s) in %s angelegt\n", u.Kennung, u.Name, u.Typ, *tenant)
		return nil
	})
}

func cmdUnitList(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("unit list", "--tenant CODE")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		us, err := svc.ListUnits(ctx, *tenant)
		if err != nil {
			return err
		}
		byID := map[string]string{}
		for _, u := range us {
			byID[u.ID] = u.Kennung
		}
		for _, u := range us {
			parent := "-"
			if u.ParentID != nil {
				parent = byID[*u.ParentID]
			}
			fmt.Fprintf(out, "%-10s %-12s %-10s %s\n", u.Kennung, u.Typ, parent, u.Name)
		}
		return nil
	})
}

func cmdTokenCreate(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("token create", "--tenant CODE --login LOGIN [--name NAME] [--ttl DAUER]")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	login := fs.String("login", "", "Anmeldename")
	name := fs.String("name", "cli", "Bezeichnung des Tokens")
	ttl := fs.Duration("ttl", 0, "Gültigkeitsdauer, z. B. 720h (0 = unbegrenzt)")
	var scopes stringList
	fs.Var(&scopes, "scope", "Bereich: read|write|admin|audit (wiederholbar; Standard alle)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "login"); err != nil {
		return err
	}
	if *ttl < 0 {
		return fmt.Errorf("--ttl darf nicht negativ sein")
	}
	var sc []access.Scope
	for _, s := range scopes {
		scope, ok := access.ParseScope(s)
		if !ok {
			return fmt.Errorf("unbekannter Bereich %q (erlaubt: read, write, admin, audit)", s)
		}
		sc = append(sc, scope)
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		tok, _, err := svc.CreateToken(ctx, *tenant, *login, *name, *ttl, sc...)
		if err != nil {
			return err
		}
		// The token alone on stdout, so that scripts can capture it.
		fmt.Fprintln(out, tok)
		return nil
	})
}

func cmdTokenList(ctx context.Context, args []string, out io.Writer) error {
	return userCommand(ctx, "token list", args, func(svc *records.Service, tenant, login string) error {
		toks, err := svc.ListTokens(ctx, tenant, login)
		if err != nil {
			return err
		}
		for _, k := range toks {
			state := "gültig"
			switch {
			case k.RevokedAt != nil:
				state = "widerrufen " + k.RevokedAt.Format(time.RFC3339)
			case k.ExpiresAt != nil && !time.Now().Before(*k.ExpiresAt):
				state = "abgelaufen " + k.ExpiresAt.Format(time.RFC3339)
			case k.ExpiresAt != nil:
				state = "gültig bis " + k.ExpiresAt.Format(time.RFC3339)
			}
			fmt.Fprintf(out, "%s  %-20s erstellt %s  %s\n", k.ID, k.Name, k.CreatedAt.Format(time.RFC3339), state)
		}
		return nil
	})
}

func cmdTokenRevoke(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("token revoke", "--tenant CODE --id TOKEN-ID")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	id := fs.String("id", "", "Kennung des Tokens (aus token list)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "id"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		if err := svc.RevokeToken(ctx, *tenant, *id); err != nil {
			return err
		}
		fmt.Fprintf(out, "Token %s widerrufen; es gilt ab der nächsten Anfrage nicht mehr\n", *id)
		return nil
	})
}

func cmdAuditVerify(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("audit verify", "")
	st.Register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		start := time.Now()
		rep, err := svc.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		names := tenantNames(ctx, svc)
		for _, b := range rep.Breaks {
			fmt.Fprintf(out, "GEBROCHEN: Mandant %s, Eintrag %d: %s\n", names[b.TenantID], b.Seq, b.Reason)
		}
		if len(rep.Breaks) > 0 {
			return fmt.Errorf("%d von %d Protokollketten gebrochen", len(rep.Breaks), rep.Tenants)
		}
		fmt.Fprintf(out, "Protokoll unversehrt: %d Mandanten, %d Einträge geprüft (%s)\n", rep.Tenants, rep.Entries, time.Since(start).Round(time.Millisecond))
		if rep.Pending > 0 {
			age := time.Since(rep.OldestPending).Round(time.Second)
			fmt.Fprintf(out, "%d Einträge sind geschrieben, aber noch nicht verkettet (ältester seit %s).\n", rep.Pending, age)
			if age > 10*time.Minute {
				fmt.Fprintln(out, "WARNUNG: Die Verkettung stockt. Läuft kein Server? Ein beliebiger aktenwerk-Befehl verkettet beim Beenden.")
			}
		}
		return nil
	})
}

func tenantNames(ctx context.Context, svc *records.Service) map[string]string {
	m := map[string]string{}
	ts, _ := svc.ListTenants(ctx)
	for _, t := range ts {
		m[t.ID] = t.Code
	}
	return m
}

func cmdFsck(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("fsck", "[--verify-content] [--repair] [--grace DAUER]")
	st.Register(fs)
	verify := fs.Bool("verify-content", false, "jeden Blob neu hashen (liest alle Inhalte)")
	repair := fs.Bool("repair", false, "verwaiste Blobs und Reste abgebrochener Uploads löschen, die älter als --grace sind")
	grace := fs.Duration("grace", time.Hour, "Schonfrist für verwaiste Blobs (laufende Uploads)")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		rep, err := svc.Fsck(ctx, records.FsckOptions{VerifyContent: *verify, Repair: *repair, Grace: *grace})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d Blobs im Speicher, %d von Versionen referenziert\n", rep.Blobs, rep.Referenced)
		for _, m := range rep.Missing {
			fmt.Fprintf(out, "FEHLT: %s (von einer Version referenziert, nicht im Blob-Speicher)\n", m)
		}
		for _, c := range rep.Corrupt {
			fmt.Fprintf(out, "BESCHÄDIGT: %s (Inhalt passt nicht zum Hash)\n", c)
		}
		for _, o := range rep.Orphans {
			fmt.Fprintf(out, "VERWAIST: %s (%d Bytes, %s)\n", o.SHA256, o.Size, o.ModTime.UTC().Format(time.RFC3339))
		}
		if *repair {
			fmt.Fprintf(out, "%d verwaiste Dateien entfernt\n", rep.Removed)
		}
		if len(rep.Missing) > 0 || len(rep.Corrupt) > 0 {
			return fmt.Errorf("%d fehlende, %d beschädigte Inhalte", len(rep.Missing), len(rep.Corrupt))
		}
		return nil
	})
}

func cmdMigrate(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("migrate", "")
	st.Register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(*records.Service) error {
		fmt.Fprintf(out, "Datenbankschema (%s) ist aktuell\n", st.Backend())
		return nil
	})
}
