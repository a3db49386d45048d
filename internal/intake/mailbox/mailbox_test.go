package mailbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aktenwerk/internal/intake/mailbox/dovecottest"

	"github.com/emersion/go-imap/v2"
)

// crlf turns a readable message with \n line ends into wire form.
func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

var (
	msgPlain = crlf(`From: Erika Mustermann <erika@example.org>
To: poststelle@stadt.example
Subject: Antrag auf Baugenehmigung
Date: Mon, 23 Nov 2026 09:15:00 +0100
Message-ID: <antrag-1@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Sehr geehrte Damen und Herren,
anbei mein Antrag. Grüße, Erika
`)

	msgAttachments = crlf(`From: Max Muster <max@example.org>
To: poststelle@stadt.example
Subject: =?UTF-8?Q?Unterlagen_f=C3=BCr_den_Bauantrag?=
Date: Mon, 23 Nov 2026 10:00:00 +0100
Message-ID:
 <anlagen-2@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XyZ"

--XyZ
Content-Type: text/plain; charset=utf-8

Drei Anlagen.
--XyZ
Content-Type: application/pdf; name="lageplan.pdf"
Content-Disposition: attachment; filename="lageplan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9GCg==
--XyZ
Content-Type: image/png; name="foto.png"
Content-Disposition: attachment; filename="foto.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
--XyZ
Content-Type: text/plain; charset=iso-8859-1
Content-Disposition: attachment; filename*=iso-8859-1''Begr%FCndung.txt
Content-Transfer-Encoding: quoted-printable

Begr=FCndung
--XyZ--
`)

	// ISO-8859-1 bytes in the body, no charset declared, 8-bit transfer.
	msgLatin1 = append(crlf(`From: alt@example.org
To: poststelle@stadt.example
Subject: Altes Mailprogramm
Message-ID: <latin1-3@example.org>
Content-Type: text/plain

`), crlf("Gr\xfc\xdfe aus M\xfcnchen, Stra\xdfe \xa7 12\n")...)

	// Malformed headers: a line without a colon, a broken encoded word, an
	// invalid date, no Message-ID, an unterminated address.
	msgMalformed = crlf(`From: <<kaputt@@example..org
To poststelle@stadt.example
Subject: =?UTF-8?B?!!!kaputt?= =?ISO-8859-1?Q?=FC
Date: gestern irgendwann
Content-Type: multipart/mixed; boundary=
Content-Transfer-Encoding: quantum

Text ohne Ende
--
`)
)

func cfgFor(s *dovecottest.Server) Config {
	return Config{Addr: s.Addr, Security: SecurityNone, Username: s.User, Password: s.Password}
}

// recorder is an idempotent Sink that remembers what it stored, keyed like
// the Posteingang does: (UIDValidity, UID) and Message-ID.
type recorder struct {
	mu      sync.Mutex
	offered []Message
	stored  map[string]Message
	fail    func(Message) error
}

func newRecorder() *recorder { return &recorder{stored: map[string]Message{}} }

func (r *recorder) sink(ctx context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.offered = append(r.offered, m)
	if r.fail != nil {
		if err := r.fail(m); err != nil {
			return err
		}
	}
	if m.MessageID != "" {
		for _, s := range r.stored {
			if s.MessageID == m.MessageID {
				return nil
			}
		}
	}
	r.stored[m.SourceRef()] = m
	return nil
}

func (r *recorder) offers() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.offered)
}

func (r *recorder) storedCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.stored)
}

func TestPollImportsAndMoves(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	msgs := [][]byte{msgPlain, msgAttachments, msgLatin1, msgMalformed}
	wantID := []string{"antrag-1@example.org", "anlagen-2@example.org", "latin1-3@example.org", ""}
	var uids []uint32
	for _, m := range msgs {
		uids = append(uids, s.Append(t, "INBOX", m))
	}
	uidValidity := s.UIDValidity(t, "INBOX")
	if slices.Contains(s.Mailboxes(t), DefaultProcessedMailbox) {
		t.Fatalf("%s exists before the first poll", DefaultProcessedMailbox)
	}

	rec := newRecorder()
	res, err := Poll(t.Context(), cfgFor(s), rec.sink)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	if res.Imported != 4 || res.Failed != 0 || len(res.Errors) != 0 || res.Remaining {
		t.Fatalf("Result = %+v, want 4 imported", res)
	}
	got := rec.offers()
	if len(got) != 4 {
		t.Fatalf("%d messages offered, want 4", len(got))
	}
	for i, m := range got {
		if m.UID != uids[i] {
			t.Errorf("offer %d: UID %d, want %d (UID order)", i, m.UID, uids[i])
		}
		if m.UIDValidity != uidValidity || m.Mailbox != "INBOX" {
			t.Errorf("offer %d: %s/%d, want INBOX/%d", i, m.Mailbox, m.UIDValidity, uidValidity)
		}
		if !bytes.Equal(m.Raw, msgs[i]) {
			t.Errorf("offer %d: Raw differs from the appended message:\n got %q\nwant %q", i, m.Raw, msgs[i])
		}
		if m.Size != int64(len(msgs[i])) || m.TooLarge {
			t.Errorf("offer %d: Size %d TooLarge %v, want %d false", i, m.Size, m.TooLarge, len(msgs[i]))
		}
		if m.MessageID != wantID[i] {
			t.Errorf("offer %d: MessageID %q, want %q", i, m.MessageID, wantID[i])
		}
		if m.InternalDate.IsZero() || time.Since(m.InternalDate) > time.Hour {
			t.Errorf("offer %d: InternalDate %v", i, m.InternalDate)
		}
	}

	if inbox := s.UIDs(t, "INBOX"); len(inbox) != 0 {
		t.Errorf("INBOX still holds %v", inbox)
	}
	processed := s.Messages(t, DefaultProcessedMailbox)
	if len(processed) != 4 {
		t.Fatalf("%s holds %d messages, want 4", DefaultProcessedMailbox, len(processed))
	}
	for i, p := range processed {
		if !p.Seen() {
			t.Errorf("processed message %d is not \\Seen: %v", i, p.Flags)
		}
		if !bytes.Equal(p.Raw, msgs[i]) {
			t.Errorf("processed message %d changed", i)
		}
	}

	// A second poll finds nothing.
	rec2 := newRecorder()
	res, err = Poll(t.Context(), cfgFor(s), rec2.sink)
	if err != nil {
		t.Fatalf("second Poll: %v", err)
	}
	if res.Imported != 0 || res.Failed != 0 || len(rec2.offers()) != 0 {
		t.Fatalf("second Poll: %+v, %d offered; want nothing", res, len(rec2.offers()))
	}
}

func TestPollSinkFailureKeepsOnlyThatMessage(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", msgPlain)
	bad := s.Append(t, "INBOX", msgAttachments)
	s.Append(t, "INBOX", msgLatin1)

	errDisk := errors.New("blob store full")
	rec := newRecorder()
	rec.fail = func(m Message) error {
		if m.UID == bad {
			return errDisk
		}
		return nil
	}
	res, err := Poll(t.Context(), cfgFor(s), rec.sink)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	if res.Imported != 2 || res.Failed != 1 || len(res.Errors) != 1 {
		t.Fatalf("Result = %+v, want 2 imported, 1 failed", res)
	}
	if !errors.Is(res.Errors[0], errDisk) || !strings.Contains(res.Errors[0].Error(), fmt.Sprint(bad)) {
		t.Errorf("error %q does not name UID %d and wrap the sink's error", res.Errors[0], bad)
	}
	if got := s.UIDs(t, "INBOX"); !slices.Equal(got, []uint32{bad}) {
		t.Fatalf("INBOX = %v, want only %d", got, bad)
	}
	if m := s.Messages(t, "INBOX"); m[0].Seen() {
		t.Errorf("failed message was marked \\Seen")
	}
	if n := len(s.UIDs(t, DefaultProcessedMailbox)); n != 2 {
		t.Fatalf("%s holds %d, want 2", DefaultProcessedMailbox, n)
	}

	// The next poll with a working sink imports it.
	rec.fail = nil
	res, err = Poll(t.Context(), cfgFor(s), rec.sink)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	if res.Imported != 1 || res.Failed != 0 {
		t.Fatalf("Result = %+v, want 1 imported", res)
	}
	offers := rec.offers()
	if last := offers[len(offers)-1]; last.UID != bad || !bytes.Equal(last.Raw, msgAttachments) {
		t.Fatalf("retried offer UID %d, want %d with the same bytes", last.UID, bad)
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX = %v, want empty", got)
	}
	if n := len(s.UIDs(t, DefaultProcessedMailbox)); n != 3 {
		t.Fatalf("%s holds %d, want 3", DefaultProcessedMailbox, n)
	}
	if rec.storedCount() != 3 {
		t.Fatalf("stored %d, want 3", rec.storedCount())
	}
}

// A crash after the Sink stored a message but before the move: the context
// ends inside the Sink. The message must stay in the mailbox and come again
// with the same identity, so that the idempotent Sink stores it once.
func TestPollCrashAfterSinkOffersSameMessageAgain(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	first := s.Append(t, "INBOX", msgPlain)
	s.Append(t, "INBOX", msgMalformed) // no Message-ID: dedupe by UID alone

	rec := newRecorder()
	ctx, cancel := context.WithCancel(t.Context())
	crash := rec.sink
	crashing := func(c context.Context, m Message) error {
		err := crash(c, m)
		cancel() // the process dies right after the store committed
		return err
	}
	res, err := Poll(ctx, cfgFor(s), crashing)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll error = %v, want context.Canceled", err)
	}
	if res.Imported != 0 {
		t.Fatalf("Result = %+v, want nothing counted as imported", res)
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 2 {
		t.Fatalf("INBOX = %v, want both messages still there", got)
	}
	if m := s.Messages(t, "INBOX"); m[0].Seen() {
		t.Fatalf("message marked \\Seen although the move never happened")
	}
	before := rec.offers()
	if len(before) != 1 || before[0].UID != first {
		t.Fatalf("offered %d messages before the crash, want exactly UID %d", len(before), first)
	}

	// Restart.
	res, err = Poll(t.Context(), cfgFor(s), rec.sink)
	if err != nil {
		t.Fatalf("Poll after crash: %v", err)
	}
	if res.Imported != 2 {
		t.Fatalf("Result = %+v, want 2 imported", res)
	}
	after := rec.offers()[1:]
	again := after[0]
	if again.UID != before[0].UID || again.UIDValidity != before[0].UIDValidity ||
		again.MessageID != before[0].MessageID || !bytes.Equal(again.Raw, before[0].Raw) {
		t.Fatalf("offered again as %s %q, want %s %q", again.SourceRef(), again.MessageID, before[0].SourceRef(), before[0].MessageID)
	}
	if rec.storedCount() != 2 {
		t.Fatalf("stored %d messages, want 2 (exactly once)", rec.storedCount())
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX = %v, want empty", got)
	}
}

func TestPollTooLarge(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	big := append(crlf("From: scanner@example.org\nSubject: Scan\nMessage-ID: <gross@example.org>\n\n"),
		bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"), 100)...)
	bigUID := s.Append(t, "INBOX", big)
	s.Append(t, "INBOX", msgPlain)

	cfg := cfgFor(s)
	cfg.MaxMessageBytes = 2000
	rec := newRecorder()
	res, err := Poll(t.Context(), cfg, rec.sink)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	if res.Imported != 2 || res.Failed != 0 {
		t.Fatalf("Result = %+v, want 2 imported", res)
	}
	offers := rec.offers()
	if len(offers) != 2 {
		t.Fatalf("%d offers", len(offers))
	}
	b := offers[0]
	if b.UID != bigUID || !b.TooLarge || b.Raw != nil || b.Size != int64(len(big)) || b.MessageID != "gross@example.org" {
		t.Fatalf("large message offered as UID %d TooLarge=%v Raw=%d bytes Size=%d MessageID=%q",
			b.UID, b.TooLarge, len(b.Raw), b.Size, b.MessageID)
	}
	if small := offers[1]; small.TooLarge || !bytes.Equal(small.Raw, msgPlain) {
		t.Fatalf("small message TooLarge=%v, Raw equal %v", small.TooLarge, bytes.Equal(small.Raw, msgPlain))
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX = %v, want empty (large message moved too)", got)
	}
	if n := len(s.UIDs(t, DefaultProcessedMailbox)); n != 2 {
		t.Fatalf("%s holds %d, want 2", DefaultProcessedMailbox, n)
	}
}

func TestWrongPasswordError(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", msgPlain)
	cfg := cfgFor(s)
	cfg.Password = "Falsches-Passwort-4711"

	called := false
	_, err := Poll(t.Context(), cfg, func(context.Context, Message) error { called = true; return nil })
	if err == nil {
		t.Fatal("Poll with a wrong password succeeded")
	}
	if !errors.Is(err, ErrAuth) {
		t.Errorf("error %q does not wrap ErrAuth", err)
	}
	if strings.Contains(err.Error(), cfg.Password) {
		t.Errorf("error contains the password: %q", err)
	}
	if called {
		t.Error("sink called without login")
	}
	err = Check(t.Context(), cfg)
	if err == nil || !errors.Is(err, ErrAuth) || strings.Contains(err.Error(), cfg.Password) {
		t.Errorf("Check = %v, want ErrAuth without the password", err)
	}
	if err := Check(t.Context(), cfgFor(s)); err != nil {
		t.Errorf("Check with the right password: %v", err)
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 1 {
		t.Errorf("INBOX = %v, want untouched", got)
	}
}

func TestConnectErrorHasNoPassword(t *testing.T) {
	t.Parallel()
	cfg := Config{Addr: "127.0.0.1:1", Security: SecurityNone, Username: "u", Password: "Geheim-0815", DialTimeout: 5 * time.Second}
	err := Check(t.Context(), cfg)
	if err == nil {
		t.Fatal("Check against a closed port succeeded")
	}
	if strings.Contains(err.Error(), cfg.Password) {
		t.Fatalf("error contains the password: %q", err)
	}
}

func TestMaxPerPoll(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	var uids []uint32
	for i := range 5 {
		uids = append(uids, s.Append(t, "INBOX", crlf(fmt.Sprintf("Subject: Nr. %d\nMessage-ID: <n%d@example.org>\n\nText %d\n", i, i, i))))
	}
	cfg := cfgFor(s)
	cfg.MaxPerPoll = 2
	rec := newRecorder()
	for i, want := range [][]uint32{uids[0:2], uids[2:4], uids[4:5]} {
		res, err := Poll(t.Context(), cfg, rec.sink)
		if err != nil {
			t.Fatalf("Poll %d: %v", i, err)
		}
		if res.Imported != len(want) || res.Remaining != (i < 2) {
			t.Fatalf("Poll %d: %+v, want %d imported, Remaining %v", i, res, len(want), i < 2)
		}
		if got := s.UIDs(t, "INBOX"); !slices.Equal(got, uids[i*2+len(want):]) {
			t.Fatalf("after Poll %d INBOX = %v, want %v", i, got, uids[i*2+len(want):])
		}
	}
	var offered []uint32
	for _, m := range rec.offers() {
		offered = append(offered, m.UID)
	}
	if !slices.Equal(offered, uids) {
		t.Fatalf("offered %v, want %v", offered, uids)
	}
}

func TestMoveFallbackWithoutMOVE(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", msgPlain)
	s.Append(t, "INBOX", msgLatin1)
	cfg := cfgFor(s)
	cfg.disableMove = true
	cfg.ProcessedMailbox = "Erledigt"
	rec := newRecorder()
	res, err := Poll(t.Context(), cfg, rec.sink)
	if err != nil || res.Imported != 2 {
		t.Fatalf("Poll = %+v, %v; want 2 imported", res, err)
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX = %v, want empty (UID EXPUNGE)", got)
	}
	moved := s.Messages(t, "Erledigt")
	if len(moved) != 2 || !moved[0].Seen() || !moved[1].Seen() || !bytes.Equal(moved[1].Raw, msgLatin1) {
		t.Fatalf("Erledigt = %+v", moved)
	}
	for _, m := range moved {
		if slices.Contains(m.Flags, string(imap.FlagDeleted)) {
			t.Fatalf("copy carries \\Deleted: %v", m.Flags)
		}
	}
}

func TestPollSkipsDeletedMessages(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	s.Append(t, "INBOX", msgPlain)
	deleted := s.Append(t, "INBOX", msgLatin1)
	c := s.Client(t)
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := c.Store(imap.UIDSetNum(imap.UID(deleted)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Fatal(err)
	}
	c.Logout()

	rec := newRecorder()
	res, err := Poll(t.Context(), cfgFor(s), rec.sink)
	if err != nil || res.Imported != 1 {
		t.Fatalf("Poll = %+v, %v; want 1 imported", res, err)
	}
	if got := s.UIDs(t, "INBOX"); !slices.Equal(got, []uint32{deleted}) {
		t.Fatalf("INBOX = %v, want only the \\Deleted %d", got, deleted)
	}
}

func TestTLSAndStartTLS(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t, dovecottest.WithTLS())
	s.Append(t, "INBOX", msgPlain)

	tlsCfg := cfgFor(s)
	tlsCfg.Addr, tlsCfg.Security, tlsCfg.RootCAs = s.TLSAddr, SecurityTLS, s.RootCAs
	if err := Check(t.Context(), tlsCfg); err != nil {
		t.Fatalf("Check tls: %v", err)
	}
	startCfg := cfgFor(s)
	startCfg.Security, startCfg.RootCAs = SecurityStartTLS, s.RootCAs
	rec := newRecorder()
	if res, err := Poll(t.Context(), startCfg, rec.sink); err != nil || res.Imported != 1 {
		t.Fatalf("Poll starttls = %+v, %v", res, err)
	}

	untrusted := tlsCfg
	untrusted.RootCAs = nil
	if err := Check(t.Context(), untrusted); err == nil {
		t.Fatal("Check accepted an untrusted certificate")
	}
	untrusted.InsecureSkipVerify = true
	if err := Check(t.Context(), untrusted); err != nil {
		t.Fatalf("Check with InsecureSkipVerify: %v", err)
	}
}

func TestWatch(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	var logBuf syncBuffer
	logger := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	rec := newRecorder()
	imported := make(chan int, 100)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	after := WithAfterPoll(func(r Result, _ error) { imported <- r.Imported })
	go func() { done <- Watch(ctx, cfgFor(s), rec.sink, 20*time.Millisecond, WithLogger(logger), after) }()

	s.Append(t, "INBOX", msgPlain)
	s.Append(t, "INBOX", msgLatin1)
	for total := 0; total < 2; {
		select {
		case n := <-imported:
			total += n
		case <-time.After(30 * time.Second):
			t.Fatalf("Watch imported %d only", total)
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Watch returned %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Watch did not stop")
	}
	var ids []string
	for _, m := range rec.offers() {
		ids = append(ids, m.MessageID)
	}
	if !slices.Equal(ids, []string{"antrag-1@example.org", "latin1-3@example.org"}) {
		t.Fatalf("offered %v", ids)
	}
	if got := s.UIDs(t, "INBOX"); len(got) != 0 {
		t.Fatalf("INBOX = %v, want empty", got)
	}
	logs := logBuf.String()
	if !strings.Contains(logs, "mailbox polled") || !strings.Contains(logs, "imported=") || strings.Contains(logs, s.Password) {
		t.Fatalf("log lacks polls or contains the password:\n%s", logs)
	}
}

func TestWatchLogsErrorsWithoutPassword(t *testing.T) {
	t.Parallel()
	s := dovecottest.Start(t)
	var logBuf syncBuffer
	logger := slog.New(slog.NewTextHandler(&logBuf, nil))
	cfg := cfgFor(s)
	cfg.Password = "Streng-Geheim-42"
	polls := make(chan error, 10)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, cfg, func(context.Context, Message) error { return nil }, 10*time.Millisecond,
			WithLogger(logger), WithAfterPoll(func(_ Result, err error) {
				select {
				case polls <- err:
				default:
				}
			}))
	}()
	for range 2 {
		if err := <-polls; !errors.Is(err, ErrAuth) {
			t.Fatalf("poll error %v, want ErrAuth", err)
		}
	}
	cancel()
	<-done
	logs := logBuf.String()
	if !strings.Contains(logs, "mailbox poll failed") || strings.Contains(logs, cfg.Password) {
		t.Fatalf("log lacks the failure or contains the password:\n%s", logs)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
