package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The kinds of failure. Test with errors.Is; the text of each is German and
// fit for a document status ("fehlgeschlagen (Grund)", see Reason).
var (
	// ErrUnsupported: no extractor for this type of content.
	ErrUnsupported = errors.New("Dateityp wird für die Texterkennung nicht unterstützt")
	// ErrEncrypted: the document needs a password (or is encrypted).
	ErrEncrypted = errors.New("Dokument ist verschlüsselt oder kennwortgeschützt")
	// ErrTooLarge: above a configured limit (file size, unpacked size, pixels).
	ErrTooLarge = errors.New("Datei ist zu groß für die Texterkennung")
	// ErrCorrupt: the content cannot be read as what it claims to be.
	ErrCorrupt = errors.New("Datei ist beschädigt oder unlesbar")
	// ErrTimeout: an external program did not finish in time and was stopped.
	ErrTimeout = errors.New("Zeitüberschreitung bei der Texterkennung")
)

// ErrToolMissing reports that an external program is not installed (or not
// usable, e.g. tesseract without German language data).
type ErrToolMissing struct {
	Tool    string // program name, e.g. "tesseract"
	Package string // Debian package that provides it
	Problem string // German, e.g. "nicht installiert"
}

func (e *ErrToolMissing) Error() string {
	p := e.Problem
	if p == "" {
		p = "nicht installiert"
	}
	if e.Package != "" {
		return fmt.Sprintf("Programm %s fehlt: %s (Debian-Paket %s)", e.Tool, p, e.Package)
	}
	return fmt.Sprintf("Programm %s fehlt: %s", e.Tool, p)
}

// failure is one of the sentinel kinds with a German detail and an optional
// technical cause (e.g. a tool's stderr) that is kept for logs only.
type failure struct {
	kind   error
	detail string // German, shown to users
	cause  error  // technical, for logs
}

func (f *failure) Error() string {
	s := f.reason()
	if f.cause != nil {
		s += " [" + f.cause.Error() + "]"
	}
	return s
}

func (f *failure) reason() string {
	if f.detail == "" {
		return f.kind.Error()
	}
	return f.kind.Error() + ": " + f.detail
}

func (f *failure) Unwrap() []error {
	if f.cause != nil {
		return []error{f.kind, f.cause}
	}
	return []error{f.kind}
}

func fail(kind error, cause error, format string, args ...any) error {
	return &failure{kind: kind, detail: fmt.Sprintf(format, args...), cause: cause}
}

// toolOutput is a tool's failure output, kept as a technical cause.
type toolOutput struct {
	tool   string
	code   int
	stderr string
}

func (t *toolOutput) Error() string {
	s := strings.TrimSpace(t.stderr)
	if len(s) > 500 {
		s = s[:500] + " …"
	}
	return fmt.Sprintf("%s exit %d: %s", t.tool, t.code, s)
}

// Reason returns the short German reason for a document status such as
// "fehlgeschlagen (Grund)": the kind and detail of an extraction error,
// without technical tool output.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var f *failure
	if errors.As(err, &f) {
		return f.reason()
	}
	var tm *ErrToolMissing
	if errors.As(err, &tm) {
		return tm.Error()
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "Texterkennung abgebrochen"
	case errors.Is(err, context.DeadlineExceeded):
		return ErrTimeout.Error()
	case errors.Is(err, ErrUnsupported), errors.Is(err, ErrEncrypted), errors.Is(err, ErrTooLarge),
		errors.Is(err, ErrCorrupt), errors.Is(err, ErrTimeout):
		for _, k := range []error{ErrUnsupported, ErrEncrypted, ErrTooLarge, ErrCorrupt, ErrTimeout} {
			if errors.Is(err, k) {
				return k.Error()
			}
		}
	}
	return "interner Fehler bei der Texterkennung"
}

// Retryable tells a job runner whether trying again later can help: yes for
// missing tools (they may be installed), timeouts (load) and unknown errors;
// no for unsupported, encrypted, too large and corrupt content.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	for _, k := range []error{ErrUnsupported, ErrEncrypted, ErrTooLarge, ErrCorrupt} {
		if errors.Is(err, k) {
			return false
		}
	}
	return true
}
