// Package apperr defines the typed domain errors shared by all domain
// packages. The web layer maps them to HTTP status codes and RFC 9457
// problem documents; nothing below the web layer knows about HTTP.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error for callers (and for the HTTP mapping).
type Kind int

const (
	KindInternal Kind = iota
	KindNotFound
	KindInvalid
	KindConflict
	KindForbidden
	KindUnauthorized
	KindTooLarge
	KindUnsupportedType
)

// FieldError names one bad input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a domain error with a kind, a human message and optional field details.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldError
	Err     error // wrapped cause, never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, KindInternal for foreign errors.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// As extracts the *Error from err.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// NotFound reports a missing object. The message must not reveal whether the
// object exists in another tenant.
func NotFound(what string) error {
	return &Error{Kind: KindNotFound, Message: what + " nicht gefunden"}
}

// Conflict reports a state conflict (closed Vorgang, duplicate Kennzeichen, ...).
func Conflict(format string, args ...any) error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports a missing permission on a visible object.
func Forbidden(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorized reports missing or bad credentials.
func Unauthorized(msg string) error {
	return &Error{Kind: KindUnauthorized, Message: msg}
}

// TooLarge reports an upload or body above the configured limit.
func TooLarge(format string, args ...any) error {
	return &Error{Kind: KindTooLarge, Message: fmt.Sprintf(format, args...)}
}

// UnsupportedType reports an upload whose detected content type is refused.
func UnsupportedType(format string, args ...any) error {
	return &Error{Kind: KindUnsupportedType, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input naming one field.
func Invalid(field, msg string) error {
	return &Error{Kind: KindInvalid, Message: "Ungültige Eingabe", Fields: []FieldError{{Field: field, Message: msg}}}
}

// Validation collects field errors and returns nil when there are none.
type Validation struct{ fields []FieldError }

// Add records a problem with field.
func (v *Validation) Add(field, msg string) { v.fields = append(v.fields, FieldError{field, msg}) }

// Err returns the collected problems as one KindInvalid error, or nil.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Message: "Ungültige Eingabe", Fields: v.fields}
}
