package mailbox

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Message is one mail offered to a Sink.
type Message struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
	// MessageID is the Message-ID header field without the angle brackets
	// ("" when the message has none); never decoded further, invalid UTF-8
	// replaced by U+FFFD.
	MessageID    string
	InternalDate time.Time // when the server received the message
	Size         int64     // RFC822.SIZE as reported by the server
	// Raw is the original RFC 5322 message (.eml) as the server returns it,
	// nil when TooLarge.
	Raw      []byte
	TooLarge bool
}

// SourceRef identifies the message at its source, for the Sink's dedupe
// together with an account prefix: "INBOX;UIDVALIDITY=1795533213;UID=17"
// (the form of RFC 5092 IMAP URLs).
func (m Message) SourceRef() string {
	return m.Mailbox + ";UIDVALIDITY=" + strconv.FormatUint(uint64(m.UIDValidity), 10) +
		";UID=" + strconv.FormatUint(uint64(m.UID), 10)
}

// Sink stores one message. It must be idempotent (the caller dedupes on
// (UIDValidity, UID) and Message-ID): after a crash between Sink and the
// move, the same message is offered again.
//
// A Sink should fail only for transient reasons (database or blob store
// unavailable). A message it can never parse should still be stored (as the
// original .eml, for a person to look at): a message that fails every time
// is offered again on every poll, and MaxPerPoll such messages would block
// the ones behind them.
type Sink func(ctx context.Context, m Message) error

// Result is what one Poll did.
type Result struct {
	// Imported counts messages that the Sink accepted and that were moved.
	Imported int
	// Failed counts messages that stay in the mailbox because the Sink or
	// the move failed; they are offered again by the next Poll.
	Failed int
	// Errors holds one error per failed message.
	Errors []error
	// Remaining is true when MaxPerPoll stopped the poll before the end of
	// the mailbox.
	Remaining bool
}

// Check connects and logs in only (for configuration checks / status page).
func Check(ctx context.Context, cfg Config) error {
	cfg = cfg.withDefaults()
	s, err := open(ctx, cfg)
	if err != nil {
		return redact(err, cfg.Password)
	}
	s.close()
	return nil
}

// Poll connects, logs in, processes up to MaxPerPoll messages of Mailbox in
// UID order: Sink, then mark \Seen and move to ProcessedMailbox (UID MOVE
// when the server has MOVE, else COPY + \Deleted + UID EXPUNGE). A message
// whose Sink fails stays in the mailbox (retried next poll) and is counted
// in Failed; other messages go on. Connection/login errors are returned,
// as is the context's error; the Result then counts what was done before.
func Poll(ctx context.Context, cfg Config, sink Sink) (Result, error) {
	cfg = cfg.withDefaults()
	var res Result
	s, err := open(ctx, cfg)
	if err != nil {
		return res, redact(err, cfg.Password)
	}
	defer s.close()
	err = s.poll(ctx, sink, &res)
	for i, e := range res.Errors {
		res.Errors[i] = redact(e, cfg.Password)
	}
	return res, redact(err, cfg.Password)
}

type meta struct {
	size      int64
	date      time.Time
	messageID string
	seen      bool
}

func (s *session) poll(ctx context.Context, sink Sink, res *Result) error {
	cfg := s.cfg
	if err := s.ensureMailbox(ctx, cfg.ProcessedMailbox); err != nil {
		return err
	}

	var sel *imap.SelectData
	err := s.do(ctx, "select "+strconv.Quote(cfg.Mailbox), func() (err error) {
		sel, err = s.c.Select(cfg.Mailbox, nil).Wait()
		return err
	})
	if err != nil {
		return err
	}
	if sel.NumMessages == 0 {
		return nil
	}

	var uids []imap.UID
	err = s.do(ctx, "search", func() error {
		data, err := s.c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}, nil).Wait()
		if err != nil {
			return err
		}
		uids = data.AllUIDs()
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(uids)
	if len(uids) > cfg.MaxPerPoll {
		uids = uids[:cfg.MaxPerPoll]
		res.Remaining = true
	}
	if len(uids) == 0 {
		return nil
	}

	metas, err := s.fetchMeta(ctx, uids)
	if err != nil {
		return err
	}

	for _, uid := range uids {
		mt, ok := metas[uid]
		if !ok {
			continue // expunged meanwhile by somebody else
		}
		m := Message{
			Mailbox:      cfg.Mailbox,
			UIDValidity:  sel.UIDValidity,
			UID:          uint32(uid),
			MessageID:    mt.messageID,
			InternalDate: mt.date,
			Size:         mt.size,
		}
		if mt.size > cfg.MaxMessageBytes {
			m.TooLarge = true
		} else {
			raw, tooLarge, found, err := s.fetchBody(ctx, uid)
			if err != nil {
				if isIMAPNo(err) {
					res.fail(fmt.Errorf("mailbox: message UID %d: %w", uid, err))
					continue
				}
				return err
			}
			if !found {
				continue
			}
			m.Raw, m.TooLarge = raw, tooLarge
		}

		if err := sink(ctx, m); err != nil {
			res.fail(fmt.Errorf("mailbox: storing message UID %d (Message-ID %q): %w", uid, m.MessageID, err))
			continue
		}
		// Stored. If we stop here (context, crash, connection), the message
		// stays in the mailbox and is offered again: the Sink dedupes.
		if err := s.markAndMove(ctx, uid, mt.seen); err != nil {
			if isIMAPNo(err) {
				res.fail(fmt.Errorf("mailbox: message UID %d stored but not moved to %q: %w", uid, cfg.ProcessedMailbox, err))
				continue
			}
			return err
		}
		res.Imported++
	}
	return nil
}

func (r *Result) fail(err error) {
	r.Failed++
	r.Errors = append(r.Errors, err)
}

// ensureMailbox creates name unless it exists, and subscribes it so that
// mail clients show it.
func (s *session) ensureMailbox(ctx context.Context, name string) error {
	exists := func() (bool, error) {
		var found bool
		err := s.do(ctx, "list "+strconv.Quote(name), func() error {
			l, err := s.c.List("", name, nil).Collect()
			for _, d := range l {
				if d.Mailbox == name || strings.EqualFold(name, "INBOX") && strings.EqualFold(d.Mailbox, "INBOX") {
					found = !slices.Contains(d.Attrs, imap.MailboxAttrNonExistent) && !slices.Contains(d.Attrs, imap.MailboxAttrNoSelect)
				}
			}
			return err
		})
		return found, err
	}
	ok, err := exists()
	if err != nil || ok {
		return err
	}
	cerr := s.do(ctx, "create "+strconv.Quote(name), func() error { return s.c.Create(name, nil).Wait() })
	if cerr != nil && !isIMAPNo(cerr) {
		return cerr
	}
	if cerr != nil {
		// Somebody (another node) may have created it meanwhile.
		if ok, err := exists(); err != nil || ok {
			return err
		}
		return cerr
	}
	_ = s.do(ctx, "subscribe "+strconv.Quote(name), func() error { return s.c.Subscribe(name).Wait() })
	return nil
}

func (s *session) fetchMeta(ctx context.Context, uids []imap.UID) (map[imap.UID]meta, error) {
	hdr := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: []string{"Message-ID"}, Peek: true}
	opts := &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true, Flags: true, BodySection: []*imap.FetchItemBodySection{hdr}}
	out := make(map[imap.UID]meta, len(uids))
	err := s.do(ctx, "fetch", func() error {
		bufs, err := s.c.Fetch(imap.UIDSetNum(uids...), opts).Collect()
		for _, b := range bufs {
			if b.UID == 0 {
				continue
			}
			out[b.UID] = meta{
				size:      b.RFC822Size,
				date:      b.InternalDate,
				messageID: parseMessageID(b.FindBodySection(hdr)),
				seen:      slices.Contains(b.Flags, imap.FlagSeen),
			}
		}
		return err
	})
	return out, err
}

// fetchBody downloads one message. found is false when the message is gone.
func (s *session) fetchBody(ctx context.Context, uid imap.UID) (raw []byte, tooLarge, found bool, err error) {
	section := &imap.FetchItemBodySection{Peek: true}
	opts := &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}
	err = s.do(ctx, fmt.Sprintf("fetch message UID %d", uid), func() error {
		cmd := s.c.Fetch(imap.UIDSetNum(uid), opts)
		for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
			for item := msg.Next(); item != nil; item = msg.Next() {
				body, ok := item.(imapclient.FetchItemDataBodySection)
				if !ok || body.Literal == nil {
					continue
				}
				b, big, err := readLimited(body.Literal, s.cfg.MaxMessageBytes)
				if err != nil {
					cmd.Close()
					return err
				}
				raw, tooLarge, found = b, big, true
			}
		}
		return cmd.Close()
	})
	if err != nil {
		return nil, false, false, err
	}
	if found && !tooLarge && raw == nil {
		raw = []byte{}
	}
	return raw, tooLarge, found, nil
}

// markAndMove sets \Seen and moves the message to the processed mailbox.
func (s *session) markAndMove(ctx context.Context, uid imap.UID, seen bool) error {
	set := imap.UIDSetNum(uid)
	dest := s.cfg.ProcessedMailbox
	if !seen {
		err := s.do(ctx, fmt.Sprintf("mark message UID %d seen", uid), func() error {
			return s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
		})
		if err != nil {
			return err
		}
	}
	caps := s.c.Caps()
	what := fmt.Sprintf("move message UID %d to %q", uid, dest)
	if caps.Has(imap.CapMove) && !s.cfg.disableMove {
		return s.do(ctx, what, func() error {
			_, err := s.c.Move(set, dest).Wait()
			return err
		})
	}
	// No MOVE: COPY, flag \Deleted, and expunge exactly this UID. Without
	// UIDPLUS a plain EXPUNGE would also remove messages others flagged
	// \Deleted, so the message then stays flagged (and is skipped by later
	// polls) until a client expunges the mailbox.
	return s.do(ctx, what, func() error {
		if _, err := s.c.Copy(set, dest).Wait(); err != nil {
			return err
		}
		if err := s.c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			return err
		}
		if caps.Has(imap.CapUIDPlus) || caps.Has(imap.CapIMAP4rev2) {
			return s.c.UIDExpunge(set).Close()
		}
		return nil
	})
}

// parseMessageID returns the first Message-ID field of a header block (as
// returned by BODY[HEADER.FIELDS (MESSAGE-ID)]), unfolded and without angle
// brackets.
func parseMessageID(hdr []byte) string {
	var value []byte
	found := false
	for line := range bytes.Lines(hdr) {
		line = bytes.TrimRight(line, "\r\n")
		if found {
			if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
				value = append(value, line...)
				continue
			}
			break
		}
		name, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(name)), "Message-ID") {
			value = append(value, v...)
			found = true
		}
	}
	id := strings.TrimSpace(string(value))
	if i := strings.IndexByte(id, '<'); i >= 0 {
		if j := strings.IndexByte(id[i:], '>'); j > 0 {
			id = id[i+1 : i+j]
		}
	}
	id = strings.TrimSpace(id)
	if !utf8.ValidString(id) {
		id = strings.ToValidUTF8(id, "\uFFFD")
	}
	const maxLen = 998 // the longest line RFC 5322 allows
	if len(id) > maxLen {
		id = id[:maxLen]
		for !utf8.ValidString(id) {
			id = id[:len(id)-1]
		}
	}
	return id
}
