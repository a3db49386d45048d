package mailbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// ErrAuth is wrapped by the error of a login the server refused.
var ErrAuth = errors.New("mailbox: login refused")

// session is one logged-in connection.
type session struct {
	cfg  Config
	conn net.Conn // the raw TCP connection; closing it aborts any command
	c    *imapclient.Client
}

// run runs f, a blocking IMAP exchange, bounded by ctx and timeout. When
// either ends first, the connection is closed (which makes f return) and
// the session is unusable. what names the exchange in the error.
func run(ctx context.Context, conn net.Conn, timeout time.Duration, what string, f func() error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mailbox: %s: %w", what, err)
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("mailbox: %s: %w", what, err)
		}
		return nil
	case <-tctx.Done():
		conn.Close()
		<-done
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("mailbox: %s: %w", what, err)
		}
		return fmt.Errorf("mailbox: %s: no answer within %s: %w", what, timeout, context.DeadlineExceeded)
	}
}

func (s *session) do(ctx context.Context, what string, f func() error) error {
	return run(ctx, s.conn, s.cfg.CommandTimeout, what, f)
}

// open connects and logs in. cfg must have its defaults applied.
func open(ctx context.Context, cfg Config) (*session, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(cfg.Addr)
	dctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	d := net.Dialer{}
	conn, err := d.DialContext(dctx, "tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mailbox: connect to %s: %w", cfg.Addr, err)
	}
	tlsConfig := &tls.Config{
		ServerName:         host,
		RootCAs:            cfg.RootCAs,
		InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // explicit opt-in for test servers
		MinVersion:         tls.VersionTLS12,
	}
	opts := &imapclient.Options{TLSConfig: tlsConfig}
	s := &session{cfg: cfg, conn: conn}

	switch cfg.Security {
	case SecurityTLS:
		tlsConfig.NextProtos = []string{"imap"}
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, fmt.Errorf("mailbox: TLS with %s: %w", cfg.Addr, err)
		}
		s.c = imapclient.New(tc, opts)
	case SecurityStartTLS:
		err := run(dctx, conn, cfg.DialTimeout, "STARTTLS with "+cfg.Addr, func() error {
			c, err := imapclient.NewStartTLS(conn, opts)
			s.c = c
			return err
		})
		if err != nil {
			conn.Close()
			return nil, err
		}
	default:
		s.c = imapclient.New(conn, opts)
	}

	if err := run(dctx, conn, cfg.DialTimeout, "greeting from "+cfg.Addr, s.c.WaitGreeting); err != nil {
		s.c.Close()
		return nil, err
	}
	if s.c.State() == imap.ConnStateAuthenticated {
		// PREAUTH: the server logged us in already (imapclient refuses it
		// on STARTTLS connections).
		return s, nil
	}
	err = s.do(ctx, "login", func() error { return s.c.Login(cfg.Username, cfg.Password).Wait() })
	if err != nil {
		s.c.Close()
		var ierr *imap.Error
		if errors.As(err, &ierr) {
			// The server answered NO/BAD: wrong credentials (or a locked
			// account); the text is the server's, e.g. "Authentication failed."
			return nil, fmt.Errorf("%w: user %q at %s: %w", ErrAuth, cfg.Username, cfg.Addr, err)
		}
		return nil, err
	}
	return s, nil
}

// close logs out politely (bounded) and closes the connection.
func (s *session) close() {
	_ = run(context.Background(), s.conn, 5*time.Second, "logout", func() error {
		return s.c.Logout().Wait()
	})
	s.c.Close()
}

// isIMAPNo reports whether err is a NO/BAD answer of the server to a
// command, after which the connection is still usable, as opposed to a
// broken or closed connection.
func isIMAPNo(err error) bool {
	var ierr *imap.Error
	return errors.As(err, &ierr)
}

// redact returns err with every occurrence of secret removed from its
// message. The result still matches errors.Is for the wrapped errors, but
// it cannot be unwrapped (an inner error would print the secret).
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, "[redacted]"), inner: err}
}

type redactedError struct {
	msg   string
	inner error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Is(target error) bool { return errors.Is(e.inner, target) }

// readLimited reads r up to limit bytes; tooLarge reports that r had more.
func readLimited(r io.Reader, limit int64) (b []byte, tooLarge bool, err error) {
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return nil, true, nil
	}
	return b, false, nil
}
