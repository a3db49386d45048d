package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"aktenwerk/internal/records"
)

const maxJSONBody = 1 << 20

var (
	errEmptyBody = errors.New("empty body")
	errTrailing  = errors.New("trailing data")
	errNotJSON   = errors.New("not json")
)

type fieldDecodeError struct{ field, msg string }

func (e *fieldDecodeError) Error() string { return e.field + ": " + e.msg }

func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	// Only JSON: form and text types are what a cross-site form could send.
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && mt != "application/problem+json") {
		return errNotJSON
	}
	return nil
}

// decodeJSON reads exactly one JSON object into v, refusing unknown fields.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := checkJSONContentType(r); err != nil {
		writeProblem(w, r, Problem{Type: "/probleme/falscher-inhaltstyp", Title: "Falscher Inhaltstyp", Status: http.StatusUnsupportedMediaType,
			Detail: "Content-Type application/json erwartet"})
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		jsonError(w, r, err)
		return false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		jsonError(w, r, errEmptyBody)
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		jsonError(w, r, err)
		return false
	}
	if dec.More() {
		jsonError(w, r, errTrailing)
		return false
	}
	return true
}

// patchFields decodes a JSON object whose keys must all be in fields; each
// present key's raw value is handed to its function (null included), so
// absent and null can be told apart.
func decodePatch(w http.ResponseWriter, r *http.Request, fields map[string]func(json.RawMessage) error) bool {
	var raw map[string]json.RawMessage
	if !decodeJSON(w, r, &raw) {
		return false
	}
	if raw == nil {
		jsonError(w, r, errEmptyBody)
		return false
	}
	for k, v := range raw {
		fn, ok := fields[k]
		if !ok {
			jsonError(w, r, fmt.Errorf("json: unknown field %q", k))
			return false
		}
		if err := fn(v); err != nil {
			jsonError(w, r, &fieldDecodeError{k, err.Error()})
			return false
		}
	}
	return true
}

func isNull(b json.RawMessage) bool { return string(bytes.TrimSpace(b)) == "null" }

func strField(dst **string) func(json.RawMessage) error {
	return func(b json.RawMessage) error {
		if isNull(b) {
			return errors.New("darf nicht null sein")
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return errors.New("Text erwartet")
		}
		*dst = &s
		return nil
	}
}

func nullableStrField(dst ***string) func(json.RawMessage) error {
	return func(b json.RawMessage) error {
		var s *string
		if !isNull(b) {
			var v string
			if err := json.Unmarshal(b, &v); err != nil {
				return errors.New("Text oder null erwartet")
			}
			s = &v
		}
		*dst = &s
		return nil
	}
}

func boolField(dst **bool) func(json.RawMessage) error {
	return func(b json.RawMessage) error {
		var v bool
		if isNull(b) || json.Unmarshal(b, &v) != nil {
			return errors.New("true oder false erwartet")
		}
		*dst = &v
		return nil
	}
}

func nullableIntField(dst ***int) func(json.RawMessage) error {
	return func(b json.RawMessage) error {
		var p *int
		if !isNull(b) {
			var v int
			if err := json.Unmarshal(b, &v); err != nil {
				return errors.New("ganze Zahl oder null erwartet")
			}
			p = &v
		}
		*dst = &p
		return nil
	}
}

func metaField(dst **records.Metadata) func(json.RawMessage) error {
	return func(b json.RawMessage) error {
		m := records.Metadata{}
		if !isNull(b) {
			if err := json.Unmarshal(b, &m); err != nil {
				return errors.New("Objekt erwartet")
			}
		}
		*dst = &m
		return nil
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// listResponse is the shape of every paginated list.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func encodeCursor(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// page reads limit and cursor from the query.
func page(w http.ResponseWriter, r *http.Request) (records.Page, bool) {
	var p records.Page
	q := r.URL.Query()
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			badRequest(w, r, "Ungültiger Parameter", apperrField("limit", "ganze Zahl von 1 bis 500"))
			return p, false
		}
		p.Limit = n
	}
	if p.Limit == 0 {
		p.Limit = 50
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || len(b) > 200 {
			badRequest(w, r, "Ungültiger Parameter", apperrField("cursor", "unbekannter Cursor"))
			return p, false
		}
		p.After = string(b)
	}
	return p, true
}

func writeList[T any](w http.ResponseWriter, items []T, p records.Page, key func(T) string) {
	resp := listResponse[T]{Items: items}
	if resp.Items == nil {
		resp.Items = []T{}
	}
	if len(items) == p.Limit && len(items) > 0 {
		c := encodeCursor(key(items[len(items)-1]))
		resp.NextCursor = &c
	}
	writeJSON(w, http.StatusOK, resp)
}
