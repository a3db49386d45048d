package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/auth"
	"aktenwerk/internal/config"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/records"
	"aktenwerk/internal/web"
)

// First-start tenant and administrator.
const (
	firstTenantCode = "LV"
	firstTenantName = "Landesverwaltung"
	firstAdminLogin = "admin"
	firstTokenFile  = "erstes-admin-token.txt"
	firstPWFile     = "erstes-admin-passwort.txt"
)

func cmdServe(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("serve", "[--addr HOST:PORT] [--data DIR] [--demo]")
	st.Register(fs)
	addr := fs.String("addr", envOr("AKTENWERK_ADDR", "127.0.0.1:8080"), "Adresse, auf der der Server lauscht (env AKTENWERK_ADDR)")
	withDemo := fs.Bool("demo", false, "Beispieldaten laden, falls noch nicht vorhanden")
	logJSON := fs.Bool("log-json", os.Getenv("AKTENWERK_LOG_JSON") != "", "Protokoll als JSON-Zeilen (env AKTENWERK_LOG_JSON)")
	sf, err := sessionFlags(fs)
	if err != nil {
		return err
	}
	of, err := oidcFlags(fs)
	if err != nil {
		return err
	}
	inf := registerIntakeFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := sf.check(); err != nil {
		fmt.Fprintln(fs.Output(), err)
		return errUsage
	}
	oidcOpts, err := of.options()
	if err != nil {
		fmt.Fprintln(fs.Output(), err)
		return errUsage
	}
	folders, boxes, err := inf.parse()
	if err != nil {
		fmt.Fprintln(fs.Output(), err)
		return errUsage
	}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if *logJSON {
		handler = slog.NewJSONHandler(os.Stderr, nil)
	}
	log := slog.New(handler)
	slog.SetDefault(log)
	// Optional tools (text extraction, OCR): say at start what is missing
	// and what that disables; the server works without them.
	go func() {
		for _, t := range extract.DetectContext(ctx).Missing() {
			log.Warn("optional tool missing", "tool", t.Name, "package", t.Package, "problem", t.Problem, "disables", t.Disables)
		}
	}()

	svc, closeFn, err := st.Open(ctx)
	if err != nil {
		return err
	}
	defer closeFn()
	first, err := bootstrap(ctx, svc, st.DataDir)
	if err != nil {
		return fmt.Errorf("erster Start: %w", err)
	}
	if *withDemo {
		if err := loadDemo(ctx, svc, out); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("kann nicht auf %s lauschen: %w (andere Adresse mit --addr wählen)", *addr, err)
	}
	queue, err := jobsOf(svc, log)
	if err != nil {
		return err
	}
	webOpts := sf.options(log)
	webOpts.OIDC = oidcOpts
	webOpts.Jobs = queue
	srv := &http.Server{
		Handler:           web.New(svc, log, webOpts),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	banner(out, ln.Addr().String(), st, first)
	go janitor(ctx, svc, log)
	chainerCtx, stopChainer := context.WithCancel(ctx)
	chainerDone := make(chan struct{})
	go func() {
		svc.RunAuditChainer(chainerCtx, log, 200*time.Millisecond, 5*time.Second)
		close(chainerDone)
	}()
	// On any return: stop the chainer (it makes a last pass) before the
	// database closes.
	defer func() { stopChainer(); <-chainerDone }()
	// Background jobs: text recognition of every new version (and, from
	// other areas, more kinds). The runner stops before the database closes.
	runnerDone, err := startJobs(chainerCtx, svc, queue, log)
	if err != nil {
		return err
	}
	defer func() { stopChainer(); <-runnerDone }()
	if err := startIntake(chainerCtx, svc, log, inf, folders, boxes); err != nil {
		return err
	}
	indexerDone := make(chan struct{})
	go func() {
		svc.RunIndexer(chainerCtx, log, time.Second)
		close(indexerDone)
	}()
	defer func() { stopChainer(); <-indexerDone }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// firstStart describes what bootstrap created.
type firstStart struct {
	created   bool
	token     string
	tokenFile string // path of the stored first token, if it still exists
	password  string // first password of the administrator (web sign-in)
	pwFile    string // path of the stored first password, if it still exists
}

// bootstrap creates the first tenant and administrator on an empty system.
// The token is written to a file readable only by the operator, because it
// cannot be shown again.
func bootstrap(ctx context.Context, svc *records.Service, dataDir string) (firstStart, error) {
	var fs firstStart
	path := filepath.Join(dataDir, firstTokenFile)
	pwPath := filepath.Join(dataDir, firstPWFile)
	tenants, err := svc.ListTenants(ctx)
	if err != nil {
		return fs, err
	}
	if len(tenants) > 0 {
		if _, err := os.Stat(path); err == nil {
			fs.tokenFile = path
		}
		if _, err := os.Stat(pwPath); err == nil {
			fs.pwFile = pwPath
		}
		return fs, nil
	}
	if _, err := svc.CreateTenant(ctx, firstTenantCode, firstTenantName); err != nil {
		if apperr.KindOf(err) == apperr.KindConflict {
			return fs, nil // another node was first
		}
		return fs, err
	}
	if _, err := svc.CreateUser(ctx, firstTenantCode, firstAdminLogin, "Administrator", []access.Role{access.RoleAdmin, access.RoleRegistratur}); err != nil {
		return fs, err
	}
	// the first administrator runs the installation: it may create the
	// other tenants in the web application (records/betrieb.go)
	if err := svc.SetOperator(ctx, firstTenantCode, firstAdminLogin, true); err != nil {
		return fs, err
	}
	tok, _, err := svc.CreateToken(ctx, firstTenantCode, firstAdminLogin, "erster Start", 0)
	if err != nil {
		return fs, err
	}
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return fs, err
	}
	// A first password, so that the web application can be tried at once
	// (sign-in page at /); kept like the token, for the operator only.
	pw := auth.GeneratePassword()
	if _, err := auth.New(svc, auth.Options{}).SetPassword(ctx, firstTenantCode, firstAdminLogin, pw); err != nil {
		return fs, err
	}
	if err := os.WriteFile(pwPath, []byte(pw+"\n"), 0o600); err != nil {
		return fs, err
	}
	return firstStart{created: true, token: tok, tokenFile: path, password: pw, pwFile: pwPath}, nil
}

func banner(out io.Writer, addr string, st config.Storage, first firstStart) {
	url := "http://" + addr
	where := "SQLite in " + st.DataDir
	if st.Backend() == "postgres" {
		where = "PostgreSQL, Inhalte in " + filepath.Join(st.DataDir, "blobs")
	}
	fmt.Fprintf(out, "\nAktenwerk %s läuft auf %s  (%s)\n", web.Version, url, where)
	fmt.Fprintf(out, "Weboberfläche: %s/  ·  API-Beschreibung: %s/api/v1/openapi.json\n", url, url)
	if first.created {
		fmt.Fprintf(out, "\nErster Start: Mandant %s „%s“ und Administrator „%s“ wurden angelegt.\n", firstTenantCode, firstTenantName, firstAdminLogin)
		// The secret goes to an interactive terminal only, never into a
		// log collected from a service's stdout.
		if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintf(out, "API-Token des Administrators (wird nur jetzt angezeigt):\n\n    %s\n\n", first.token)
			fmt.Fprintf(out, "Ausprobieren:\n    curl -H 'Authorization: Bearer %s' %s/api/v1/ich\n", first.token, url)
			fmt.Fprintf(out, "Das Token liegt auch in %s – sicher verwahren und die Datei dann löschen.\n", first.tokenFile)
		} else {
			fmt.Fprintf(out, "Das API-Token des Administrators steht in %s (nur für Sie lesbar) – sicher verwahren und die Datei dann löschen.\n", first.tokenFile)
			fmt.Fprintf(out, "Ausprobieren:\n    curl -H \"Authorization: Bearer $(cat %s)\" %s/api/v1/ich\n", first.tokenFile, url)
		}
		if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			fmt.Fprintf(out, "Anmelden im Browser unter %s/ mit Mandant %s, Anmeldename %s und dem Passwort (wird nur jetzt angezeigt):\n\n    %s\n\n",
				url, firstTenantCode, firstAdminLogin, first.password)
		} else {
			fmt.Fprintf(out, "Anmelden im Browser unter %s/ mit Mandant %s, Anmeldename %s und dem Passwort aus %s.\n", url, firstTenantCode, firstAdminLogin, first.pwFile)
		}
		fmt.Fprintf(out, "Das Passwort liegt in %s – nach der ersten Anmeldung ändern (aktenwerk user password --tenant %s --login %s) und die Datei löschen.\n",
			first.pwFile, firstTenantCode, firstAdminLogin)
	} else {
		if first.tokenFile != "" {
			fmt.Fprintf(out, "Hinweis: %s enthält noch das erste Admin-Token – sicher verwahren und die Datei löschen.\n", first.tokenFile)
		}
		if first.pwFile != "" {
			fmt.Fprintf(out, "Hinweis: %s enthält noch das erste Admin-Passwort – ändern und die Datei löschen.\n", first.pwFile)
		}
	}
	fmt.Fprintf(out, "Weitere Tokens: aktenwerk token create --tenant %s --login %s\n", firstTenantCode, firstAdminLogin)
	fmt.Fprintln(out, "Beispieldaten: aktenwerk demo (oder serve --demo). Beenden mit Strg+C.")
}

// janitor removes what crashed or aborted uploads left behind: temp files
// and blobs no version references, both only after a grace period so that
// an upload in flight is never touched.
func janitor(ctx context.Context, svc *records.Service, log *slog.Logger) {
	run := func() {
		rep, err := svc.Fsck(ctx, records.FsckOptions{Repair: true, Grace: time.Hour})
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				log.Warn("janitor", "err", err)
			}
			return
		}
		if rep.Removed > 0 || len(rep.Missing) > 0 {
			log.Info("janitor", "removed", rep.Removed, "missing", len(rep.Missing))
		}
		for _, m := range rep.Missing {
			log.Error("blob missing", "sha256", m)
		}
	}
	run()
	t := time.NewTicker(15 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}
