package mailbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"
)

func TestParseMessageID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ hdr, want string }{
		{"Message-ID: <a@b.example>\r\n\r\n", "a@b.example"},
		{"message-id:<a@b>\r\n", "a@b"},
		{"Message-ID:\r\n <folded@x.example>\r\n\r\n", "folded@x.example"},
		{"Message-ID: ohne-klammern@x\r\n", "ohne-klammern@x"},
		{"Message-ID: <erste@x>\r\nMessage-ID: <zweite@x>\r\n", "erste@x"},
		{"Message-Id : (Kommentar) <k@x>\r\n", "k@x"},
		{"Message-ID: <kaputt\xff@x>\r\n", "kaputt\uFFFD@x"},
		{"\r\n", ""},
		{"", ""},
		{"X-Message-ID: <nicht@x>\r\n", ""},
	} {
		if got := parseMessageID([]byte(tc.hdr)); got != tc.want {
			t.Errorf("parseMessageID(%q) = %q, want %q", tc.hdr, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	inner := errors.New("server said: wrong password hunter2 for user")
	err := redact(fmt.Errorf("%w: %w", ErrAuth, inner), "hunter2")
	if strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("redact = %q", err)
	}
	if !errors.Is(err, ErrAuth) || !errors.Is(err, inner) {
		t.Fatalf("redacted error lost its identity")
	}
	if errors.Unwrap(err) != nil {
		t.Fatalf("redacted error can be unwrapped to the unredacted one")
	}
	plain := errors.New("no secret here")
	if redact(plain, "hunter2") != plain || redact(plain, "") != plain {
		t.Fatal("redact changed an error without the secret")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := Config{Addr: "imap.example.org:993", Username: "poststelle"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(%v) = %v", ok, err)
	}
	for name, c := range map[string]Config{
		"no port":            {Addr: "imap.example.org", Username: "u"},
		"no user":            {Addr: "imap.example.org:993"},
		"plain over network": {Addr: "imap.example.org:143", Security: SecurityNone, Username: "u"},
		"unknown security":   {Addr: "imap.example.org:143", Security: "ssl3", Username: "u"},
		"same mailboxes":     {Addr: "imap.example.org:993", Username: "u", Mailbox: "INBOX", ProcessedMailbox: "inbox"},
	} {
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: Validate = %v, want ErrConfig", name, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:143", "[::1]:143", "localhost:143"} {
		c := Config{Addr: addr, Security: SecurityNone, Username: "u"}
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%s none) = %v", addr, err)
		}
	}
}

func TestConfigDoesNotPrintPassword(t *testing.T) {
	t.Parallel()
	c := Config{Addr: "imap.example.org:993", Username: "poststelle", Password: "Sehr-Geheim-1"}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", slog.Any("cfg", c))
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", slog.Any("cfg", c))
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logs.String()} {
		if strings.Contains(s, c.Password) {
			t.Fatalf("password printed: %s", s)
		}
		if !strings.Contains(s, "poststelle") {
			t.Fatalf("user missing: %s", s)
		}
	}
}

// silentServer greets (when greet is set) and then never answers.
func silentServer(t *testing.T, greet bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
			if greet {
				io.WriteString(c, "* OK silent server ready\r\n")
			}
			go io.Copy(io.Discard, c)
		}
	}()
	return l.Addr().String()
}

func TestCommandTimeoutAbortsConnection(t *testing.T) {
	t.Parallel()
	cfg := Config{Addr: silentServer(t, true), Security: SecurityNone, Username: "u", Password: "Geheim-Timeout",
		CommandTimeout: 300 * time.Millisecond}
	_, err := Poll(t.Context(), cfg, func(context.Context, Message) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), cfg.Password) {
		t.Fatalf("Poll = %v, want a timeout without the password", err)
	}
}

func TestGreetingTimeout(t *testing.T) {
	t.Parallel()
	cfg := Config{Addr: silentServer(t, false), Security: SecurityNone, Username: "u", DialTimeout: 300 * time.Millisecond}
	if err := Check(t.Context(), cfg); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Check = %v, want a timeout", err)
	}
}

func TestContextCancelAbortsCommand(t *testing.T) {
	t.Parallel()
	cfg := Config{Addr: silentServer(t, true), Security: SecurityNone, Username: "u"}
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	if err := Check(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("Check = %v, want context.Canceled", err)
	}
}
