package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

var kindStatus = map[apperr.Kind]struct {
	status int
	slug   string
	title  string
}{
	apperr.KindNotFound:        {http.StatusNotFound, "nicht-gefunden", "Nicht gefunden"},
	apperr.KindInvalid:         {http.StatusUnprocessableEntity, "ungueltige-eingabe", "Ungültige Eingabe"},
	apperr.KindConflict:        {http.StatusConflict, "konflikt", "Konflikt mit dem Zustand des Objekts"},
	apperr.KindForbidden:       {http.StatusForbidden, "keine-berechtigung", "Keine Berechtigung"},
	apperr.KindUnauthorized:    {http.StatusUnauthorized, "nicht-angemeldet", "Nicht angemeldet"},
	apperr.KindTooLarge:        {http.StatusRequestEntityTooLarge, "zu-gross", "Inhalt zu groß"},
	apperr.KindUnsupportedType: {http.StatusUnsupportedMediaType, "dateityp-abgelehnt", "Dateityp wird nicht angenommen"},
}

// writeError maps a domain error to a problem response. Internal errors are
// logged with the request id and answered without details.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apperr.As(err); ok {
		if e.Kind == apperr.KindForbidden {
			// audited after the request (see recordDenials)
			records.NoteDenial(r.Context(), records.Denial{ObjectType: "anfrage", ObjectID: r.Method + " " + r.URL.Path, Reason: e.Message})
		}
		if ks, ok := kindStatus[e.Kind]; ok {
			writeProblem(w, r, Problem{Type: "/probleme/" + ks.slug, Title: ks.title, Status: ks.status, Detail: e.Message, Errors: e.Fields})
			return
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeProblem(w, r, Problem{Type: "/probleme/zu-gross", Title: "Inhalt zu groß", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("Anfrage ist größer als %d Bytes", mbe.Limit)})
		return
	}
	if r.Context().Err() != nil {
		// The client went away; nobody reads this answer.
		writeProblem(w, r, Problem{Type: "/probleme/abgebrochen", Title: "Anfrage abgebrochen", Status: 499})
		return
	}
	slog.ErrorContext(r.Context(), "internal error", "err", err, "request_id", requestID(r.Context()))
	writeProblem(w, r, Problem{Type: "/probleme/intern", Title: "Interner Fehler", Status: http.StatusInternalServerError,
		Detail: "Ein interner Fehler ist aufgetreten. Bitte die Anfrage-ID an den Betrieb melden."})
}

func writeProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	p.Instance = r.URL.Path
	p.RequestID = requestID(r.Context())
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Del("Content-Disposition")
	w.Header().Del("ETag")
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aktenwerk"`)
	}
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func badRequest(w http.ResponseWriter, r *http.Request, detail string, fields ...apperr.FieldError) {
	writeProblem(w, r, Problem{Type: "/probleme/ungueltige-anfrage", Title: "Ungültige Anfrage", Status: http.StatusBadRequest, Detail: detail, Errors: fields})
}

// jsonError turns a decoding error into a field-level problem.
func jsonError(w http.ResponseWriter, r *http.Request, err error) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, r, err)
	case errors.As(err, &se):
		badRequest(w, r, fmt.Sprintf("Ungültiges JSON an Position %d", se.Offset))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(Dokument)"
		}
		badRequest(w, r, "Falscher Datentyp", apperr.FieldError{Field: field, Message: "erwartet " + jsonTypeName(te.Type.Kind().String()) + ", erhalten " + te.Value})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		badRequest(w, r, "Unbekanntes Feld", apperr.FieldError{Field: name, Message: "unbekanntes Feld"})
	case errors.Is(err, errEmptyBody):
		badRequest(w, r, "Leerer Anfragekörper: JSON-Objekt erwartet")
	case errors.Is(err, errTrailing):
		badRequest(w, r, "Nach dem JSON-Objekt folgen weitere Daten")
	default:
		var fe *fieldDecodeError
		if errors.As(err, &fe) {
			badRequest(w, r, "Ungültiges Feld", apperr.FieldError{Field: fe.field, Message: fe.msg})
			return
		}
		badRequest(w, r, "Ungültiges JSON: "+err.Error())
	}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "Text"
	case "int", "int64", "float64", "uint", "int32":
		return "Zahl"
	case "bool":
		return "true/false"
	case "map", "struct":
		return "Objekt"
	case "slice":
		return "Liste"
	case "ptr":
		return "Wert"
	}
	return kind
}
