package dovecottest

import (
	"bytes"
	"crypto/tls"
	"runtime"
	"slices"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"
)

func TestStartAppendUIDs(t *testing.T) {
	t.Parallel()
	s := Start(t)
	a := []byte("From: a@example.org\r\nSubject: eins\r\n\r\nerste\r\n")
	b := []byte("From: b@example.org\r\nSubject: zwei\r\n\r\nzweite\r\n")
	ua := s.Append(t, "INBOX", a)
	ub := s.Append(t, "INBOX", b)
	if ua == 0 || ub <= ua {
		t.Fatalf("UIDs %d, %d: want ascending and non-zero", ua, ub)
	}
	if got := s.UIDs(t, "INBOX"); !slices.Equal(got, []uint32{ua, ub}) {
		t.Fatalf("UIDs = %v, want %v", got, []uint32{ua, ub})
	}
	msgs := s.Messages(t, "INBOX")
	if len(msgs) != 2 || !bytes.Equal(msgs[0].Raw, a) || !bytes.Equal(msgs[1].Raw, b) {
		t.Fatalf("Messages = %+v", msgs)
	}
	if msgs[0].Seen() {
		t.Fatalf("appended message is \\Seen: %v", msgs[0].Flags)
	}
	// Append creates a missing mailbox.
	s.Append(t, "Archiv", a)
	if got := s.Mailboxes(t); !slices.Contains(got, "Archiv") {
		t.Fatalf("Mailboxes = %v, want Archiv", got)
	}
	if s.UIDValidity(t, "INBOX") == 0 {
		t.Fatal("UIDVALIDITY 0")
	}
}

func TestWrongPasswordRefused(t *testing.T) {
	t.Parallel()
	s := Start(t)
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password+"x").Wait(); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	s := Start(t, WithTLS())
	c, err := imapclient.DialTLS(s.TLSAddr, &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	c2, err := imapclient.DialStartTLS(s.Addr, &imapclient.Options{TLSConfig: s.TLSConfig()})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	// Without the server's certificate the handshake fails.
	if c3, err := imapclient.DialTLS(s.TLSAddr, &imapclient.Options{TLSConfig: &tls.Config{ServerName: "127.0.0.1"}}); err == nil {
		c3.Close()
		t.Fatal("TLS with an untrusted certificate succeeded")
	}
}

// recordTB records Fatalf and Skipf; like the real ones they end the
// calling goroutine (see needIn).
type recordTB struct {
	testing.TB
	fatal, skip bool
}

func (r *recordTB) Helper()               {}
func (r *recordTB) Fatalf(string, ...any) { r.fatal = true; runtime.Goexit() }
func (r *recordTB) Skipf(string, ...any)  { r.skip = true; runtime.Goexit() }

// needIn runs needDovecot in a goroutine of its own, as testing does.
func needIn(t *testing.T) (r *recordTB, path string) {
	r = &recordTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = needDovecot(r)
	}()
	<-done
	return r, path
}

func TestNeedDovecotSkipsOrFails(t *testing.T) {
	// Not parallel: it replaces binary and sets the environment.
	old := binary
	defer func() { binary = old }()
	binary = func() string { return "" }

	t.Setenv("AKTENWERK_REQUIRE_TOOLS", "")
	if r, _ := needIn(t); !r.skip || r.fatal {
		t.Errorf("without AKTENWERK_REQUIRE_TOOLS: skip=%v fatal=%v, want skip", r.skip, r.fatal)
	}
	t.Setenv("AKTENWERK_REQUIRE_TOOLS", "1")
	if r, _ := needIn(t); !r.fatal || r.skip {
		t.Errorf("with AKTENWERK_REQUIRE_TOOLS: skip=%v fatal=%v, want fatal", r.skip, r.fatal)
	}
	binary = func() string { return "/usr/sbin/dovecot" }
	if r, p := needIn(t); p != "/usr/sbin/dovecot" || r.fatal || r.skip {
		t.Errorf("installed: needDovecot = %q, fatal=%v skip=%v", p, r.fatal, r.skip)
	}
}
