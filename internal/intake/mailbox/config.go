package mailbox

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// Security selects how the connection to the server is protected.
type Security string

const (
	// SecurityNone is a plain-text connection. It is accepted only for a
	// loopback address (tests, a local Dovecot): the password would
	// otherwise cross the network in clear.
	SecurityNone Security = "none"
	// SecurityStartTLS connects in plain text and upgrades with STARTTLS
	// before logging in (usually port 143).
	SecurityStartTLS Security = "starttls"
	// SecurityTLS is implicit TLS (IMAPS, usually port 993). It is the
	// default when Security is empty.
	SecurityTLS Security = "tls"
)

// Defaults applied to zero fields of Config.
const (
	DefaultMailbox          = "INBOX"
	DefaultProcessedMailbox = "Verarbeitet"
	DefaultMaxMessageBytes  = 50 << 20
	DefaultMaxPerPoll       = 100
	DefaultDialTimeout      = 30 * time.Second
	DefaultCommandTimeout   = 2 * time.Minute
)

// Config describes one functional mailbox.
type Config struct {
	Addr     string // host:port
	Security Security
	Username string
	Password string
	// Mailbox is polled; default "INBOX".
	Mailbox string
	// ProcessedMailbox receives imported messages; default "Verarbeitet".
	// It is created (and subscribed) when missing. A hierarchical name must
	// use the server's separator ("Posteingang/Verarbeitet" or
	// "Posteingang.Verarbeitet").
	ProcessedMailbox string
	// InsecureSkipVerify disables certificate verification (a test server
	// with a self-signed certificate). Prefer RootCAs.
	InsecureSkipVerify bool
	// RootCAs verifies the server certificate; nil means the system roots.
	RootCAs *x509.CertPool
	// MaxMessageBytes: larger messages are offered with TooLarge=true and
	// Raw=nil instead of being downloaded. Default 50 MiB.
	MaxMessageBytes int64
	// MaxPerPoll bounds the messages one Poll processes; default 100.
	MaxPerPoll int
	// DialTimeout bounds connecting (and the TLS handshake); default 30 s.
	DialTimeout time.Duration
	// CommandTimeout bounds each IMAP command, including the download of
	// one message; default 2 min.
	CommandTimeout time.Duration

	// disableMove makes the client behave as if the server had no MOVE
	// extension, so that tests exercise the COPY fallback.
	disableMove bool
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("mailbox: invalid configuration")

func (c Config) withDefaults() Config {
	if c.Security == "" {
		c.Security = SecurityTLS
	}
	if c.Mailbox == "" {
		c.Mailbox = DefaultMailbox
	}
	if c.ProcessedMailbox == "" {
		c.ProcessedMailbox = DefaultProcessedMailbox
	}
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if c.MaxPerPoll <= 0 {
		c.MaxPerPoll = DefaultMaxPerPoll
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.CommandTimeout <= 0 {
		c.CommandTimeout = DefaultCommandTimeout
	}
	return c
}

// Validate reports what is wrong with the configuration (after defaults are
// applied), without connecting.
func (c Config) Validate() error {
	c = c.withDefaults()
	var problems []string
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		problems = append(problems, fmt.Sprintf("address %q is not host:port", c.Addr))
	}
	switch c.Security {
	case SecurityTLS, SecurityStartTLS:
	case SecurityNone:
		if err == nil && host != "" && !isLoopback(host) {
			problems = append(problems, fmt.Sprintf("security %q is only allowed for a loopback address, not %q (use starttls or tls)", c.Security, host))
		}
	default:
		problems = append(problems, fmt.Sprintf("security %q is not one of none, starttls, tls", c.Security))
	}
	if c.Username == "" {
		problems = append(problems, "username is empty")
	}
	if strings.EqualFold(c.Mailbox, c.ProcessedMailbox) {
		problems = append(problems, fmt.Sprintf("mailbox and processed mailbox are both %q", c.Mailbox))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the configuration without the password.
func (c Config) String() string {
	pw := ""
	if c.Password != "" {
		pw = " password=[redacted]"
	}
	return fmt.Sprintf("imap %s (%s) user=%q%s mailbox=%q processed=%q",
		c.Addr, c.Security, c.Username, pw, c.Mailbox, c.ProcessedMailbox)
}

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string { return "mailbox.Config{" + c.String() + "}" }

// LogValue implements slog.LogValuer without the password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("security", string(c.Security)),
		slog.String("username", c.Username),
		slog.String("mailbox", c.Mailbox),
		slog.String("processed_mailbox", c.ProcessedMailbox),
	)
}
