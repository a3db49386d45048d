// Command aktenwerk is the single binary of the Aktenwerk platform: server,
// administration CLI and tools. Subcommands are thin: they parse flags and
// call the internal packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/config"
	"aktenwerk/internal/records"
	"aktenwerk/internal/web"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, out io.Writer) error
}

// moreCommands are registered in init by files of further areas (access,
// audit query, sign-in), so that the table here stays short.
var moreCommands []command

func commands() []command {
	return append([]command{
		{"serve", "Server starten (API, später Weboberfläche)", cmdServe},
		{"demo", "Beispieldaten (vier Mandanten, einige hundert Akten) laden", cmdDemo},
		{"tenant add", "Mandanten anlegen: --code TFM --name \"…\"", cmdTenantAdd},
		{"tenant update", "Name oder Aktenzeichenmuster eines Mandanten ändern", cmdTenantUpdate},
		{"tenant list", "Mandanten auflisten", cmdTenantList},
		{"user add", "Benutzer anlegen: --tenant TFM --login anna --name \"…\" [--role …]", cmdUserAdd},
		{"user deactivate", "Benutzer deaktivieren (nie löschen): --tenant TFM --login anna", cmdUserActive(false)},
		{"user activate", "Deaktivierten Benutzer wieder aktivieren", cmdUserActive(true)},
		{"unit add", "Organisationseinheit anlegen: --tenant TFM --kennung Z1 --name \"…\" --typ referat [--parent Z]", cmdUnitAdd},
		{"unit list", "Organisationseinheiten eines Mandanten auflisten", cmdUnitList},
		{"token create", "API-Token erzeugen (nur das Token auf stdout): --tenant TFM --login anna", cmdTokenCreate},
		{"token list", "API-Tokens eines Benutzers auflisten (ohne Geheimnis): --tenant TFM --login anna", cmdTokenList},
		{"token revoke", "API-Token widerrufen (wirkt sofort): --tenant TFM --id …", cmdTokenRevoke},
		{"audit verify", "Hash-Ketten des Protokolls prüfen (Exit-Code 0 = unversehrt)", cmdAuditVerify},
		{"fsck", "Inhalte und Datenbank abgleichen: fehlende und verwaiste Blobs melden", cmdFsck},
		{"migrate", "Datenbankschema aktualisieren und beenden", cmdMigrate},
		{"bench", "Last- und Latenzmessung gegen einen frischen Datenbestand", cmdBench},
		{"version", "Version ausgeben", func(context.Context, []string, io.Writer) error { fmt.Println(web.Version); return nil }},
	}, moreCommands...)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Aktenwerk – E-Akte und Onlinedienste\n\nAufruf: aktenwerk <befehl> [optionen]\n\nBefehle:")
	cs := commands()
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nJeder Befehl kennt --help. Gemeinsame Speicheroptionen: --data DIR (Standard ./aktenwerk-data), AKTENWERK_DATABASE_URL=postgres://…")
}

// errUsage marks a usage error (exit code 2).
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	var cmd *command
	rest := args
	for _, c := range commands() {
		parts := strings.Fields(c.name)
		if len(args) >= len(parts) && strings.Join(args[:len(parts)], " ") == c.name {
			c := c
			cmd, rest = &c, args[len(parts):]
			break
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "aktenwerk: unbekannter Befehl %q\n\n", strings.Join(args, " "))
		usage(stderr)
		return 2
	}
	err := cmd.run(ctx, rest, stdout)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "aktenwerk %s: %s\n", cmd.name, describe(err))
	var ee exitError
	if errors.As(err, &ee) {
		return int(ee)
	}
	return 1
}

// exitError carries a specific exit code after a message was printed.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// describe renders domain errors with their field details.
func describe(err error) string {
	if e, ok := apperr.As(err); ok {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, f := range e.Fields {
			fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
		}
		return b.String()
	}
	return err.Error()
}

// newFlags makes a FlagSet whose errors end in a usage message (exit 2).
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Aufruf: aktenwerk %s %s\n\nOptionen:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unerwartete Argumente: %s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	return nil
}

func required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			fmt.Fprintf(fs.Output(), "Option --%s fehlt\n", n)
			fs.Usage()
			return errUsage
		}
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// withService opens the store selected by st, runs fn and closes the store
// again, reporting a failure to close (for example to chain the audit
// entries fn wrote) together with fn's own error.
func withService(ctx context.Context, st *config.Storage, fn func(*records.Service) error) error {
	svc, closeFn, err := st.Open(ctx)
	if err != nil {
		return err
	}
	return errors.Join(fn(svc), closeFn())
}

// userCommand parses the flags of a command that acts on one user of a
// tenant (--tenant, --login and the storage options) and runs fn with the
// opened service.
func userCommand(ctx context.Context, name string, args []string, fn func(svc *records.Service, tenant, login string) error) error {
	var st config.Storage
	fs := newFlags(name, "--tenant CODE --login LOGIN")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	login := fs.String("login", "", "Anmeldename")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "login"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error { return fn(svc, *tenant, *login) })
}
