package intake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/intake/mailbox"
	"aktenwerk/internal/intake/watch"
	"aktenwerk/internal/records"
)

// Sources deliver into the Posteingang of one tenant as its system
// principal. Each source offers an item until it is stored (at least once);
// records.ReceivePost knows an item by its source reference (and a mail by
// its Message-ID), so an item offered again after a crash is not filed twice.

// FolderSink files the files of a tenant's watch folder: a file directly in
// the folder goes to the tenant's central Posteingang, a file in a
// sub-folder named like a unit (Kennung) to that unit's. A file the
// Posteingang refuses for good (empty, an executable, an unknown unit) is
// moved to the folder's "fehler" folder with the reason.
func FolderSink(svc *records.Service, tenantCode string) watch.Sink {
	return func(ctx context.Context, f watch.File) error {
		sys, err := svc.SystemPrincipal(ctx, tenantCode)
		if err != nil {
			return err
		}
		fh, err := os.Open(f.Path)
		if err != nil {
			return err
		}
		defer fh.Close()
		c, err := svc.StoreContent(ctx, sys, fh, f.Name)
		if err != nil {
			return permanentIfDomain(err)
		}
		if c.SHA256 != f.SHA256 {
			// changed since it was hashed: the next pass offers the new content
			return fmt.Errorf("%s changed while it was read", f.Name)
		}
		ref := f.Name + "|" + f.SHA256
		if f.Unit != "" {
			ref = f.Unit + "/" + ref
		}
		_, _, err = svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleOrdner, SourceRef: ref, Einheit: f.Unit,
			Content: c, EingegangenAm: f.ModTime})
		return permanentIfDomain(err)
	}
}

// permanentIfDomain marks refusals of the domain (invalid, too large,
// refused type) as permanent for the watch folder; other errors (database,
// disk) are retried at the next pass.
func permanentIfDomain(err error) error {
	if e, ok := apperr.As(err); ok {
		switch e.Kind {
		case apperr.KindInvalid, apperr.KindTooLarge, apperr.KindUnsupportedType:
			return watch.Permanent(err)
		}
	}
	return err
}

// MailSink files the messages of a functional mailbox (account names it in
// the source reference, e.g. "poststelle@tfm.thueringen.de") into the
// Posteingang of tenant (and unit, "" = central). The original message is
// stored as .eml; a message above the mailbox's size limit is filed as a
// note saying so (the message itself stays on the mail server).
func MailSink(svc *records.Service, tenantCode, unit, account string) mailbox.Sink {
	return func(ctx context.Context, m mailbox.Message) error {
		sys, err := svc.SystemPrincipal(ctx, tenantCode)
		if err != nil {
			return err
		}
		in := records.PostIn{Quelle: records.QuelleIMAP, SourceRef: account + "|" + m.SourceRef(), MessageID: m.MessageID,
			Einheit: unit, EingegangenAm: m.InternalDate}
		name := fmt.Sprintf("e-mail-%d.eml", m.UID)
		body := m.Raw
		if m.TooLarge {
			name = fmt.Sprintf("e-mail-%d-zu-gross.txt", m.UID)
			body = []byte(fmt.Sprintf("Die E-Mail (UID %d, %d Bytes) im Postfach %s ist größer als die eingestellte Grenze und wurde nicht übernommen.\n"+
				"Sie liegt im Ordner für verarbeitete Nachrichten auf dem Mailserver.\n", m.UID, m.Size, account))
			in.Betreff = "E-Mail zu groß für den Posteingang"
		} else {
			in.Betreff, in.Absender = mailHeaders(m.Raw)
		}
		c, err := svc.StoreContent(ctx, sys, bytes.NewReader(body), name)
		if e, ok := apperr.As(err); ok {
			// refused as content (empty, looks like a program): file a note,
			// never leave a message that fails every time in the inbox
			note := fmt.Sprintf("Die E-Mail (UID %d) im Postfach %s wurde nicht übernommen: %s\n"+
				"Sie liegt im Ordner für verarbeitete Nachrichten auf dem Mailserver.\n", m.UID, account, e.Message)
			c, err = svc.StoreContent(ctx, sys, strings.NewReader(note), fmt.Sprintf("e-mail-%d-abgelehnt.txt", m.UID))
			in.Betreff = "E-Mail nicht übernommen: " + e.Message
		}
		if err != nil {
			return err
		}
		in.Content = c
		_, _, err = svc.ReceivePost(ctx, sys, in)
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindInvalid && unit != "" {
			// the configured unit is gone: file centrally rather than lose the mail
			in.Einheit = ""
			_, _, err = svc.ReceivePost(ctx, sys, in)
		}
		return err
	}
}

// mailHeaders reads Subject and From for the list; undecodable words are
// kept as they are. The recognition job fills in what it finds later.
func mailHeaders(raw []byte) (subject, from string) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", ""
	}
	dec := mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(charset)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(r), nil
	}}
	decode := func(s string) string {
		if d, err := dec.DecodeHeader(s); err == nil {
			s = d
		}
		return strings.ToValidUTF8(strings.Join(strings.Fields(s), " "), "\uFFFD")
	}
	return decode(msg.Header.Get("Subject")), decode(msg.Header.Get("From"))
}
