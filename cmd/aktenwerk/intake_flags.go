package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/intake/mailbox"
	"aktenwerk/internal/intake/watch"
	"aktenwerk/internal/records"
)

// Intake sources of serve: watch folders (scanner drop folders) and
// functional mailboxes, each delivering into one tenant's Posteingang.
//
//	--eingangsordner TFM=/srv/scan/tfm          (repeatable; env AKTENWERK_EINGANGSORDNER, comma-separated)
//	--postfach 'TFM=imaps://poststelle%40tfm.example@mail.example:993/INBOX'
//	--postfach 'TFM/Z1=imap://z1@mail.example/INBOX?verarbeitet=Archiv'
//
// A mailbox's password never appears in options or logs: it is read from
// the file named by ?passwort-datei=… or from the environment variable
// AKTENWERK_POSTFACH_PASSWORT_<KÜRZEL>[_<EINHEIT>]. imaps:// is implicit
// TLS, imap:// STARTTLS; ?sicherheit=none (plain) only on loopback.

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

type intakeFlags struct {
	folders, mailboxes multiFlag
	folderEvery        *time.Duration
	mailEvery          *time.Duration
}

func registerIntakeFlags(fs *flag.FlagSet) *intakeFlags {
	f := &intakeFlags{}
	for _, v := range strings.Split(os.Getenv("AKTENWERK_EINGANGSORDNER"), ",") {
		if v = strings.TrimSpace(v); v != "" {
			f.folders = append(f.folders, v)
		}
	}
	for _, v := range strings.Split(os.Getenv("AKTENWERK_POSTFACH"), ",") {
		if v = strings.TrimSpace(v); v != "" {
			f.mailboxes = append(f.mailboxes, v)
		}
	}
	fs.Var(&f.folders, "eingangsordner", "Eingangsordner eines Mandanten für den Posteingang: KÜRZEL=VERZEICHNIS (mehrfach; Unterordner = Organisationseinheit; env AKTENWERK_EINGANGSORDNER)")
	fs.Var(&f.mailboxes, "postfach", "Funktionspostfach eines Mandanten: KÜRZEL[/EINHEIT]=imaps://benutzer@server:port/ORDNER[?verarbeitet=ORDNER&passwort-datei=DATEI] (mehrfach; env AKTENWERK_POSTFACH)")
	f.folderEvery = fs.Duration("eingangsordner-intervall", 10*time.Second, "wie oft die Eingangsordner durchsucht werden")
	f.mailEvery = fs.Duration("postfach-intervall", time.Minute, "wie oft die Postfächer abgerufen werden")
	return f
}

type folderSource struct {
	tenant string
	dir    string
}

type mailSource struct {
	tenant, unit, account string
	cfg                   mailbox.Config
}

// parse checks every source without connecting; errors name the option.
func (f *intakeFlags) parse() ([]folderSource, []mailSource, error) {
	var folders []folderSource
	for _, v := range f.folders {
		code, dir, ok := strings.Cut(v, "=")
		if !ok || code == "" || dir == "" {
			return nil, nil, fmt.Errorf("--eingangsordner %q: KÜRZEL=VERZEICHNIS erwartet", v)
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, nil, fmt.Errorf("--eingangsordner %q: %s ist kein Verzeichnis", v, dir)
		}
		folders = append(folders, folderSource{tenant: code, dir: dir})
	}
	var boxes []mailSource
	for _, v := range f.mailboxes {
		s, err := parseMailbox(v)
		if err != nil {
			return nil, nil, fmt.Errorf("--postfach: %w", err)
		}
		boxes = append(boxes, s)
	}
	return folders, boxes, nil
}

func parseMailbox(v string) (mailSource, error) {
	target, raw, ok := strings.Cut(v, "=")
	if !ok || target == "" {
		return mailSource{}, fmt.Errorf("KÜRZEL[/EINHEIT]=imaps://… erwartet")
	}
	var s mailSource
	s.tenant, s.unit, _ = strings.Cut(target, "/")
	u, err := url.Parse(raw)
	if err != nil || u.User == nil || u.Host == "" {
		return s, fmt.Errorf("%s: Adresse imaps://benutzer@server[:port]/ORDNER erwartet", target)
	}
	if _, set := u.User.Password(); set {
		return s, fmt.Errorf("%s: kein Passwort in der Adresse (es stünde in Prozesslisten und Protokollen); passwort-datei=… oder AKTENWERK_POSTFACH_PASSWORT_… verwenden", target)
	}
	q := u.Query()
	host, port := u.Hostname(), u.Port()
	switch u.Scheme {
	case "imaps":
		s.cfg.Security = mailbox.SecurityTLS
		if port == "" {
			port = "993"
		}
	case "imap":
		s.cfg.Security = mailbox.SecurityStartTLS
		if q.Get("sicherheit") == "none" {
			s.cfg.Security = mailbox.SecurityNone
		}
		if port == "" {
			port = "143"
		}
	default:
		return s, fmt.Errorf("%s: Schema imaps:// oder imap:// erwartet", target)
	}
	s.cfg.Addr = net.JoinHostPort(host, port)
	s.cfg.Username = u.User.Username()
	s.cfg.Mailbox = strings.TrimPrefix(u.Path, "/")
	s.cfg.ProcessedMailbox = q.Get("verarbeitet")
	s.account = s.cfg.Username + "@" + host
	env := "AKTENWERK_POSTFACH_PASSWORT_" + strings.ToUpper(s.tenant)
	if s.unit != "" {
		env += "_" + strings.ToUpper(s.unit)
	}
	if file := q.Get("passwort-datei"); file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return s, fmt.Errorf("%s: Passwortdatei: %v", target, err)
		}
		s.cfg.Password = strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	} else if pw := os.Getenv(env); pw != "" {
		s.cfg.Password = pw
	} else {
		return s, fmt.Errorf("%s: kein Passwort (passwort-datei=… oder env %s)", target, env)
	}
	if err := s.cfg.Validate(); err != nil {
		return s, fmt.Errorf("%s: %v", target, err)
	}
	return s, nil
}

// startIntake runs the sources until ctx ends. Every node of a cluster may
// run them: items are filed once whatever the number of nodes (records
// knows them by source reference and Message-ID).
func startIntake(ctx context.Context, svc *records.Service, log *slog.Logger, f *intakeFlags, folders []folderSource, boxes []mailSource) error {
	for _, s := range folders {
		if _, err := svc.SystemPrincipal(ctx, s.tenant); err != nil {
			return fmt.Errorf("--eingangsordner %s: %w", s.tenant, err)
		}
		fo := &watch.Folder{Dir: s.dir, Logger: log.With("eingangsordner", s.dir, "mandant", s.tenant)}
		sink := intake.FolderSink(svc, s.tenant)
		go func() {
			if err := fo.Run(ctx, *f.folderEvery, sink); err != nil && ctx.Err() == nil {
				log.Error("watch folder stopped", "dir", s.dir, "err", err)
			}
		}()
		log.Info("watch folder started", "mandant", s.tenant, "dir", s.dir)
	}
	for _, s := range boxes {
		if _, err := svc.SystemPrincipal(ctx, s.tenant); err != nil {
			return fmt.Errorf("--postfach %s: %w", s.tenant, err)
		}
		sink := intake.MailSink(svc, s.tenant, s.unit, s.account)
		go func() {
			_ = mailbox.Watch(ctx, s.cfg, sink, *f.mailEvery, mailbox.WithLogger(log.With("mandant", s.tenant)))
		}()
	}
	return nil
}
