package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"aktenwerk/internal/auth"
	"aktenwerk/internal/config"
	"aktenwerk/internal/records"
	"aktenwerk/internal/web"
)

// Sign-in administration: passwords, the second factor, sessions.

func init() {
	moreCommands = append(moreCommands,
		command{"user password", "Passwort setzen (von stdin oder --generate): --tenant TFM --login anna", cmdUserPassword},
		command{"user reset-totp", "Zweiten Faktor (TOTP) und Wiederherstellungscodes entfernen: --tenant TFM --login anna", cmdUserResetTOTP},
		command{"user logout", "Alle Sitzungen eines Benutzers beenden: --tenant TFM --login anna", cmdUserLogout},
	)
}

// stdin is where `user password` reads from (a variable for tests).
var stdin io.Reader = os.Stdin

func cmdUserPassword(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("user password", "--tenant CODE --login LOGIN [--generate]")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel)")
	login := fs.String("login", "", "Anmeldename")
	generate := fs.Bool("generate", false, "zufälliges Passwort erzeugen und einmal ausgeben (nur das Passwort auf stdout)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Aufruf: aktenwerk user password --tenant CODE --login LOGIN [--generate]\n\n"+
			"Setzt das Passwort eines Benutzers für die Anmeldung (POST /api/v1/anmeldung). Ohne --generate\n"+
			"wird es von der Standardeingabe gelesen (erste Zeile; am Terminal verdeckt und zweimal).\n"+
			"Mindestens %d Zeichen, höchstens %d Bytes, nicht der Anmeldename. Alle Sitzungen des\n"+
			"Benutzers enden, eine Sperre nach Fehlversuchen wird aufgehoben.\n\nOptionen:\n", auth.MinPasswordChars, auth.MaxPasswordBytes)
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant", "login"); err != nil {
		return err
	}
	var pw string
	if *generate {
		pw = auth.GeneratePassword()
	} else {
		var err error
		if pw, err = readPassword(); err != nil {
			return err
		}
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		n, err := auth.New(svc, auth.Options{}).SetPassword(ctx, *tenant, *login, pw)
		if err != nil {
			return err
		}
		if *generate {
			// only the password on stdout (like token create), shown once
			fmt.Fprintln(out, pw)
			fmt.Fprintf(os.Stderr, "Passwort für %s (%s) gesetzt – wird nur jetzt angezeigt; %d Sitzung(en) beendet.\n", *login, *tenant, n)
			return nil
		}
		fmt.Fprintf(out, "Passwort für %s (%s) gesetzt; %d Sitzung(en) beendet.\n", *login, *tenant, n)
		return nil
	})
}

// readPassword reads the new password: hidden and twice on a terminal,
// else the first line of stdin.
func readPassword() (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(os.Stderr, "Neues Passwort: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(os.Stderr, "Noch einmal: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("die beiden Eingaben stimmen nicht überein")
		}
		return string(a), nil
	}
	line, err := bufio.NewReaderSize(stdin, auth.MaxPasswordBytes+2).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if pw == "" {
		return "", errors.New("kein Passwort auf der Standardeingabe (oder --generate angeben)")
	}
	return pw, nil
}

func cmdUserResetTOTP(ctx context.Context, args []string, out io.Writer) error {
	return userCommand(ctx, "user reset-totp", args, func(svc *records.Service, tenant, login string) error {
		if err := auth.New(svc, auth.Options{}).ResetTOTP(ctx, tenant, login); err != nil {
			return err
		}
		fmt.Fprintf(out, "Zweiter Faktor von %s (%s) entfernt; die Anmeldung geht mit dem Passwort allein, bis er neu eingerichtet ist.\n", login, tenant)
		return nil
	})
}

func cmdUserLogout(ctx context.Context, args []string, out io.Writer) error {
	return userCommand(ctx, "user logout", args, func(svc *records.Service, tenant, login string) error {
		n, err := auth.New(svc, auth.Options{}).EndSessions(ctx, tenant, login)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%d Sitzung(en) von %s (%s) beendet (API-Tokens bleiben gültig: aktenwerk token revoke).\n", n, login, tenant)
		return nil
	})
}

// sessionOpts are the sign-in options of `serve`.
type sessionOpts struct {
	cookieSecure *bool
	idle, max    *time.Duration
	proxies      stringList
	trusted      []netip.Prefix
}

// sessionFlags registers --cookie-secure, --session-idle and --session-max
// with their defaults from the environment.
func sessionFlags(fs *flag.FlagSet) (*sessionOpts, error) {
	secure := true
	if v := os.Getenv("AKTENWERK_COOKIE_SECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("AKTENWERK_COOKIE_SECURE=%q: true oder false erwartet", v)
		}
		secure = b
	}
	dur := func(env string, def time.Duration) (time.Duration, error) {
		v := os.Getenv(env)
		if v == "" {
			return def, nil
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			return 0, fmt.Errorf("%s=%q: Dauer wie 30m oder 10h erwartet", env, v)
		}
		return d, nil
	}
	idle, err := dur("AKTENWERK_SESSION_IDLE", auth.DefaultIdleTimeout)
	if err != nil {
		return nil, err
	}
	maxAge, err := dur("AKTENWERK_SESSION_MAX", auth.DefaultMaxAge)
	if err != nil {
		return nil, err
	}
	o := &sessionOpts{
		cookieSecure: fs.Bool("cookie-secure", secure, "Sitzungs-Cookie nur über HTTPS (Secure, Name __Host-aktenwerk); false nur für Entwicklung ohne HTTPS (env AKTENWERK_COOKIE_SECURE)"),
		idle:         fs.Duration("session-idle", idle, "eine Sitzung endet nach so langer Zeit ohne Anfrage (env AKTENWERK_SESSION_IDLE)"),
		max:          fs.Duration("session-max", maxAge, "eine Sitzung endet spätestens so lange nach der Anmeldung (env AKTENWERK_SESSION_MAX)"),
	}
	if v := os.Getenv("AKTENWERK_TRUSTED_PROXIES"); v != "" {
		o.proxies = strings.Split(v, ",")
	}
	fs.Var(&o.proxies, "trusted-proxy", "Netz eines Lastverteilers/Reverse-Proxys (CIDR, wiederholbar), dessen X-Forwarded-For für die Anmeldesperre je Adresse gilt (env AKTENWERK_TRUSTED_PROXIES, kommagetrennt)")
	return o, nil
}

func (o *sessionOpts) check() error {
	o.trusted = nil
	for _, p := range o.proxies {
		pr, err := netip.ParsePrefix(strings.TrimSpace(p))
		if err != nil {
			if a, aerr := netip.ParseAddr(strings.TrimSpace(p)); aerr == nil {
				pr = netip.PrefixFrom(a, a.BitLen())
			} else {
				return fmt.Errorf("--trusted-proxy %q: Netz wie 10.0.0.0/8 oder Adresse erwartet", p)
			}
		}
		o.trusted = append(o.trusted, pr)
	}
	switch {
	case *o.idle < time.Minute:
		return errors.New("--session-idle: mindestens 1m")
	case *o.max < time.Minute:
		return errors.New("--session-max: mindestens 1m")
	case *o.idle > *o.max:
		return errors.New("--session-idle darf nicht länger sein als --session-max")
	}
	return nil
}

func (o *sessionOpts) options(log *slog.Logger) web.Options {
	if !*o.cookieSecure {
		log.Warn("Sitzungs-Cookie ohne Secure (--cookie-secure=false): nur für die Entwicklung ohne HTTPS")
	}
	return web.Options{InsecureCookie: !*o.cookieSecure, TrustedProxies: o.trusted, Auth: auth.Options{IdleTimeout: *o.idle, MaxAge: *o.max, Log: log}}
}
