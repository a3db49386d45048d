// Package dovecottest starts a real Dovecot IMAP server for tests: its own
// configuration, base_dir, passwd-file with one user and maildir storage in
// the test's temporary directory, listening on a free loopback port. Debian's
// dovecot-imapd does not start a server on install (and the system instance,
// if any, is not touched): each Start runs `dovecot -F -c <tmp>/dovecot.conf`
// as a child process and stops it in t.Cleanup.
//
// It works as root (mail processes then run as "nobody", since Dovecot
// refuses mail access as root, login processes as "dovenull", internal ones
// as "dovecot") and as an ordinary user (everything runs as that user).
//
// When Dovecot is not installed the test is skipped, unless
// AKTENWERK_REQUIRE_TOOLS is set (as in CI), in which case it fails: the same
// rule as testutil.NeedTool, but also looking in /usr/sbin, which is often not
// on PATH.
package dovecottest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Server is a running Dovecot.
type Server struct {
	Addr     string // 127.0.0.1:port, plain IMAP (STARTTLS too with WithTLS)
	User     string
	Password string

	// With WithTLS only:
	TLSAddr string         // 127.0.0.1:port, implicit TLS (IMAPS)
	RootCAs *x509.CertPool // trusts the server's self-signed certificate

	dir     string // configuration, logs, sockets (short path)
	logPath string
	errPath string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// Option configures Start.
type Option func(*options)

type options struct {
	tls bool
}

// WithTLS gives the server a self-signed certificate for 127.0.0.1 and
// localhost: STARTTLS on Addr and implicit TLS on TLSAddr.
func WithTLS() Option { return func(o *options) { o.tls = true } }

// Binary returns the path of the dovecot binary, or "" when it is not
// installed.
func Binary() string {
	if p, err := exec.LookPath("dovecot"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/dovecot", "/usr/local/sbin/dovecot"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// binary is Binary, replaced in a test of needDovecot.
var binary = Binary

// needDovecot follows testutil.NeedTool: skip locally, fail when
// AKTENWERK_REQUIRE_TOOLS is set.
func needDovecot(t testing.TB) string {
	t.Helper()
	if p := binary(); p != "" {
		return p
	}
	if os.Getenv("AKTENWERK_REQUIRE_TOOLS") != "" {
		t.Fatalf("dovecot is required (AKTENWERK_REQUIRE_TOOLS is set) but not installed (Debian: dovecot-imapd)")
	}
	t.Skipf("dovecot not installed (Debian: dovecot-imapd)")
	return ""
}

// Start starts a Dovecot with one user and returns when it answers.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	bin := needDovecot(t)
	var o options
	for _, opt := range opts {
		opt(&o)
	}

	ids, err := processUsers()
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}

	// Unix sockets live in base_dir and their paths must stay below 108
	// bytes, so the configuration directory is a short one of our own, not
	// t.TempDir() (whose name contains the test name).
	dir, err := os.MkdirTemp("", "dovecottest-")
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// The auth process (default_internal_user) reads the passwd-file.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}

	mailRoot := filepath.Join(t.TempDir(), "mail")
	if err := os.Mkdir(mailRoot, 0o700); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if ids.root {
		// Mail processes run as nobody: they need to reach and own the
		// mail directory inside the root-owned test directories.
		for d := filepath.Dir(mailRoot); d != "/" && d != os.TempDir() && strings.HasPrefix(d, os.TempDir()); d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o711); err != nil {
				t.Fatalf("dovecottest: %v", err)
			}
		}
		if err := os.Chown(mailRoot, ids.mailUID, ids.mailGID); err != nil {
			t.Fatalf("dovecottest: %v", err)
		}
	}

	s := &Server{
		User:     "poststelle",
		Password: "pw-" + randomHex(12),
		dir:      dir,
		logPath:  filepath.Join(dir, "dovecot.log"),
		errPath:  filepath.Join(dir, "stderr.log"),
	}
	users := fmt.Sprintf("%s:{PLAIN}%s::::::\n", s.User, s.Password)
	if err := os.WriteFile(filepath.Join(dir, "users"), []byte(users), 0o644); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if o.tls {
		s.RootCAs = writeCert(t, dir)
	}

	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("dovecot log:\n%s", s.Logs())
		}
	})

	// Another process may take the port between choosing and binding it:
	// try a few times.
	var lastErr error
	for range 3 {
		port, tlsPort := freePort(t), 0
		if o.tls {
			tlsPort = freePort(t)
		}
		conf := config(dir, mailRoot, ids, port, tlsPort, o.tls)
		if err := os.WriteFile(filepath.Join(dir, "dovecot.conf"), []byte(conf), 0o644); err != nil {
			t.Fatalf("dovecottest: %v", err)
		}
		s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if o.tls {
			s.TLSAddr = net.JoinHostPort("127.0.0.1", strconv.Itoa(tlsPort))
		}
		if lastErr = s.start(bin); lastErr == nil {
			return s
		}
		s.stop()
	}
	t.Fatalf("dovecottest: dovecot did not start: %v\n%s", lastErr, s.Logs())
	return nil
}

func (s *Server) start(bin string) error {
	errf, err := os.OpenFile(s.errPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer errf.Close()
	cmd := exec.Command(bin, "-F", "-c", filepath.Join(s.dir, "dovecot.conf"))
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = errf, errf
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() { cmd.Wait(); close(s.exited) }()

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-s.exited:
			return fmt.Errorf("dovecot exited: %v", cmd.ProcessState)
		default:
		}
		if greets(s.Addr) {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("dovecot does not answer on " + s.Addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// greets reports whether an IMAP greeting arrives on addr.
func greets(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "* OK")
}

// stop ends Dovecot: SIGTERM to its whole process group (the master and
// its children, nothing else), so that the master reaps the children
// quickly; SIGKILL when that takes too long.
func (s *Server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	select {
	case <-exited:
		return
	default:
	}
	signalGroup(cmd.Process.Pid, false)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		signalGroup(cmd.Process.Pid, true)
		<-exited
	}
}

// Logs returns Dovecot's log and anything it wrote to stderr.
func (s *Server) Logs() string {
	var b strings.Builder
	for _, p := range []string{s.errPath, s.logPath} {
		if data, err := os.ReadFile(p); err == nil && len(data) > 0 {
			b.Write(data)
		}
	}
	return b.String()
}

type processIDs struct {
	root                    bool
	internalUser, loginUser string
	internalGroup           string
	mailUID, mailGID        int
}

// processUsers chooses the users Dovecot's processes run as.
func processUsers() (processIDs, error) {
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return processIDs{}, err
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			return processIDs{}, err
		}
		return processIDs{internalUser: u.Username, loginUser: u.Username, internalGroup: g.Name,
			mailUID: os.Geteuid(), mailGID: os.Getegid()}, nil
	}
	// As root, Dovecot refuses to run login processes or to access mail
	// as root.
	ids := processIDs{root: true}
	pick := func(names ...string) (*user.User, error) {
		for _, n := range names {
			if u, err := user.Lookup(n); err == nil {
				return u, nil
			}
		}
		return nil, fmt.Errorf("none of the users %v exists", names)
	}
	internal, err := pick("dovecot", "nobody")
	if err != nil {
		return ids, err
	}
	login, err := pick("dovenull", "nobody")
	if err != nil {
		return ids, err
	}
	mail, err := pick("nobody")
	if err != nil {
		return ids, err
	}
	g, err := user.LookupGroupId(internal.Gid)
	if err != nil {
		return ids, err
	}
	ids.internalUser, ids.loginUser, ids.internalGroup = internal.Username, login.Username, g.Name
	ids.mailUID, _ = strconv.Atoi(mail.Uid)
	ids.mailGID, _ = strconv.Atoi(mail.Gid)
	return ids, nil
}

// config is a complete dovecot.conf for Dovecot 2.3: nothing is included
// from /etc/dovecot.
func config(dir, mailRoot string, ids processIDs, port, tlsPort int, withTLS bool) string {
	ssl := "ssl = no\n"
	imaps := "  inet_listener imaps {\n    port = 0\n  }\n"
	if withTLS {
		ssl = fmt.Sprintf("ssl = yes\nssl_cert = <%s\nssl_key = <%s\nssl_min_protocol = TLSv1.2\n",
			filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
		imaps = fmt.Sprintf("  inet_listener imaps {\n    address = 127.0.0.1\n    port = %d\n    ssl = yes\n  }\n", tlsPort)
	}
	return fmt.Sprintf(`# written by dovecottest
base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = dovecottest-%[7]s
protocols = imap
listen = 127.0.0.1
log_path = %[1]s/dovecot.log
%[8]s
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = %[3]s
default_internal_group = %[4]s
default_login_user = %[5]s
first_valid_uid = 1
first_valid_gid = 1
mail_uid = %[9]d
mail_gid = %[10]d
mail_home = %[2]s/%%u
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/users
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[1]s/users
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[6]d
  }
%[11]s}
service anvil {
  chroot =
  # no auth penalty (login delays of up to 15 s after failed logins)
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  chroot =
}
`, dir, mailRoot, ids.internalUser, ids.internalGroup, ids.loginUser, port,
		filepath.Base(dir), ssl, ids.mailUID, ids.mailGID, imaps)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// writeCert writes a self-signed certificate for 127.0.0.1 and localhost.
func writeCert(t testing.TB, dir string) *x509.CertPool {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "dovecottest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	// Dovecot's config process reads both (as root before dropping
	// privileges, or as the current user).
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return pool
}

// Client returns a logged-in client (plain IMAP), closed at the end of the
// test.
func (s *Server) Client(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatalf("dovecottest: connect: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatalf("dovecottest: login: %v", err)
	}
	return c
}

// Append stores raw in mailbox (created when missing) via IMAP APPEND and
// returns its UID.
func (s *Server) Append(t testing.TB, mailbox string, raw []byte) uint32 {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	data, err := appendMsg(c, mailbox, raw)
	var ierr *imap.Error
	if errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate {
		if err := c.Create(mailbox, nil).Wait(); err != nil {
			t.Fatalf("dovecottest: create %q: %v", mailbox, err)
		}
		data, err = appendMsg(c, mailbox, raw)
	}
	if err != nil {
		t.Fatalf("dovecottest: append to %q: %v", mailbox, err)
	}
	return uint32(data.UID)
}

func appendMsg(c *imapclient.Client, mailbox string, raw []byte) (*imap.AppendData, error) {
	cmd := c.Append(mailbox, int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return nil, err
	}
	if err := cmd.Close(); err != nil {
		return nil, err
	}
	return cmd.Wait()
}

// Stored is a message as the server has it.
type Stored struct {
	UID   uint32
	Flags []string
	Raw   []byte
}

// Seen reports whether the message has the \Seen flag.
func (m Stored) Seen() bool { return slices.Contains(m.Flags, string(imap.FlagSeen)) }

// Messages returns the messages of mailbox in UID order, without changing
// their flags. The mailbox must exist.
func (s *Server) Messages(t testing.TB, mailbox string) []Stored {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("dovecottest: examine %q: %v", mailbox, err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	section := &imap.FetchItemBodySection{Peek: true}
	bufs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{
		UID: true, Flags: true, BodySection: []*imap.FetchItemBodySection{section},
	}).Collect()
	if err != nil {
		t.Fatalf("dovecottest: fetch %q: %v", mailbox, err)
	}
	out := make([]Stored, 0, len(bufs))
	for _, b := range bufs {
		m := Stored{UID: uint32(b.UID), Raw: b.FindBodySection(section)}
		for _, f := range b.Flags {
			m.Flags = append(m.Flags, string(f))
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Stored) int { return int(a.UID) - int(b.UID) })
	return out
}

// UIDs returns the UIDs of the messages in mailbox, ascending. The mailbox
// must exist.
func (s *Server) UIDs(t testing.TB, mailbox string) []uint32 {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	if _, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatalf("dovecottest: examine %q: %v", mailbox, err)
	}
	data, err := c.UIDSearch(&imap.SearchCriteria{}, nil).Wait()
	if err != nil {
		t.Fatalf("dovecottest: search %q: %v", mailbox, err)
	}
	var out []uint32
	for _, u := range data.AllUIDs() {
		out = append(out, uint32(u))
	}
	slices.Sort(out)
	return out
}

// UIDValidity returns the UIDVALIDITY of mailbox.
func (s *Server) UIDValidity(t testing.TB, mailbox string) uint32 {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("dovecottest: examine %q: %v", mailbox, err)
	}
	return sel.UIDValidity
}

// Mailboxes lists the names of all mailboxes.
func (s *Server) Mailboxes(t testing.TB) []string {
	t.Helper()
	c := s.Client(t)
	defer c.Logout()
	l, err := c.List("", "*", nil).Collect()
	if err != nil {
		t.Fatalf("dovecottest: list: %v", err)
	}
	var out []string
	for _, d := range l {
		out = append(out, d.Mailbox)
	}
	slices.Sort(out)
	return out
}

// TLSConfig returns a client TLS configuration that trusts the server (With
// WithTLS only).
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.RootCAs, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}
