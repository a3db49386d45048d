// Package mailbox fetches mail from an IMAP functional mailbox (for example
// poststelle@…) into the Posteingang.
//
// # Guarantees
//
// Poll offers every message of the configured mailbox to a Sink, oldest UID
// first, and only after the Sink has returned nil does it mark the message
// \Seen and move it to the processed mailbox (UID MOVE, or COPY + \Deleted +
// UID EXPUNGE on servers without MOVE). The mailbox on the server is the
// queue, and a message leaves the queue only after it was stored. That gives
// at-least-once delivery to the Sink:
//
//   - A Sink that fails leaves its message where it is; it is offered again by
//     the next Poll, while the other messages of the same poll go on.
//   - A crash, a lost connection or a cancelled context between a successful
//     Sink and the move leaves the message in the mailbox, so it is offered
//     again, with the same UIDValidity, UID and MessageID (the server keeps
//     them; UIDs are only reassigned when the server changes UIDVALIDITY,
//     which is why MessageID is a second key).
//
// The Sink must therefore be idempotent: it dedupes on (account, Mailbox,
// UIDValidity, UID) — see Message.SourceRef — and on MessageID. At-least-once
// offer plus an idempotent Sink is exactly-once import. Nothing is ever
// deleted from the server: processed mail stays in the processed mailbox
// ("Verarbeitet"), where the Poststelle can still see it in any mail client.
//
// Messages are fetched with BODY.PEEK[], so a failed import does not mark a
// message as read. Raw is the message exactly as the server returns it (IMAP
// line endings are CRLF); it is never decoded, so a message with broken
// headers or a body in an undeclared 8-bit charset is imported like any
// other, and parsing it is the Sink's business. Messages larger than
// Config.MaxMessageBytes are not downloaded: they are offered with
// TooLarge=true and Raw=nil (so the Sink can record "mail from … too large"
// for the Registratur) and then moved like the others. Messages that carry
// \Deleted in the source mailbox are skipped: somebody has deleted them
// already.
//
// Errors returned by this package never contain the password, and Config
// logs itself (slog.LogValuer, fmt.Stringer) without it.
//
// # Why go-imap v2
//
// github.com/emersion/go-imap/v2 (imapclient) is the maintained IMAP client
// for Go: it speaks IMAP4rev1 and IMAP4rev2, has UIDPLUS, MOVE, ESEARCH and
// literal streaming, and its commands are explicit values (Fetch, Move,
// UIDExpunge …) so this package can decide itself how to fall back when MOVE
// is missing. v1 is no longer developed. v2 is still tagged beta
// (v2.0.0-beta.8 is the only v2 the module proxy here serves), which is why
// the tests run it against a real Dovecot (see dovecottest).
//
// Commands of go-imap v2 do not take a context. This package runs each
// command under the caller's context and Config.CommandTimeout and closes
// the connection when either ends, which makes the pending command return.
package mailbox
