package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// dokumentFields are the text parts accepted next to the file part.
var dokumentFields = map[string]bool{"betreff": true, "typ": true, "absender": true, "empfaenger": true, "dokumentdatum": true, "eingangsdatum": true}

const maxFieldBytes = 64 << 10

// readUpload streams a multipart/form-data body: the part "file" goes
// straight into the blob store (never held whole in memory), text parts in
// allowed are collected. It answers the client itself when it returns false.
//
// before, if not nil, sees the text parts that came before the file part and
// may refuse the request before the file is streamed.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, allowed map[string]bool, before func(map[string]string) error) (map[string]string, records.Content, bool) {
	var content records.Content
	fields := map[string]string{}
	mr, err := s.multipartBody(w, r, 1, len(allowed))
	var bm *badMultipart
	switch {
	case errors.Is(err, errNotMultipart):
		writeProblem(w, r, Problem{Type: "/probleme/falscher-inhaltstyp", Title: "Falscher Inhaltstyp", Status: http.StatusUnsupportedMediaType,
			Detail: "multipart/form-data mit dem Teil \"file\" erwartet"})
		return nil, content, false
	case errors.As(err, &bm):
		badRequest(w, r, bm.Error())
		return nil, content, false
	case err != nil:
		writeError(w, r, err)
		return nil, content, false
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.uploadReadError(w, r, err)
			return nil, content, false
		}
		name := part.FormName()
		switch {
		case name == "file":
			if content.SHA256 != "" {
				badRequest(w, r, "Nur eine Datei je Anfrage", apperrField("file", "mehrfach angegeben"))
				return nil, content, false
			}
			if before != nil {
				if err := before(fields); err != nil {
					writeError(w, r, err)
					return nil, content, false
				}
			}
			content, err = s.svc.StoreContent(r.Context(), principal(r), part, part.FileName())
			if err != nil {
				s.uploadReadError(w, r, err)
				return nil, content, false
			}
		case allowed[name]:
			v, err := readTextPart(part)
			if errors.Is(err, errBadTextPart) {
				badRequest(w, r, "Ungültiges Feld", apperrField(name, "höchstens 64 KiB gültiges UTF-8"))
				return nil, content, false
			}
			if err != nil {
				s.uploadReadError(w, r, err)
				return nil, content, false
			}
			fields[name] = v
		default:
			badRequest(w, r, "Unbekanntes Feld", apperrField(name, "unbekanntes Feld"))
			return nil, content, false
		}
	}
	if content.SHA256 == "" {
		writeError(w, r, apperr.Invalid("file", "Datei fehlt (Teil \"file\")"))
		return nil, content, false
	}
	return fields, content, true
}

// errNotMultipart answers a body that is not multipart/form-data.
var errNotMultipart = errors.New("not multipart")

// multipartBody checks the type and announced length of an upload body
// (files file parts and fields text parts) and returns its part reader.
// The body is limited to the file limit per file plus room for the parts'
// headers and text fields; the file limit itself is enforced exactly by
// the blob store. A body announced as larger is refused before a byte of
// it is read (with Expect: 100-continue, before it is even sent).
func (s *Server) multipartBody(w http.ResponseWriter, r *http.Request, files, fields int) (*multipart.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, errNotMultipart
	}
	bodyLimit := int64(files)*s.svc.MaxUpload() + int64(fields+4)*maxFieldBytes
	if r.ContentLength > bodyLimit {
		return nil, apperr.TooLarge("Datei ist größer als die erlaubten %d MiB", s.svc.MaxUpload()>>20)
	}
	r.Body = http.MaxBytesReader(w, r.Body, bodyLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, &badMultipart{err}
	}
	return mr, nil
}

type badMultipart struct{ err error }

func (e *badMultipart) Error() string { return "Ungültiger multipart-Körper: " + e.err.Error() }

// errBadTextPart: a text field longer than 64 KiB or not UTF-8.
var errBadTextPart = errors.New("text part: more than 64 KiB or not UTF-8")

// readTextPart reads a text field of a multipart body: at most 64 KiB of
// valid UTF-8.
func readTextPart(part io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxFieldBytes || !utf8.Valid(b) {
		return "", errBadTextPart
	}
	return string(b), nil
}

func (s *Server) uploadReadError(w http.ResponseWriter, r *http.Request, err error) {
	if _, ok := apperr.As(err); ok {
		writeError(w, r, err)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, r, apperr.TooLarge("Datei ist größer als die erlaubten %d MiB", s.svc.MaxUpload()>>20))
		return
	}
	if r.Context().Err() != nil {
		writeError(w, r, err)
		return
	}
	s.log.Warn("upload aborted", "err", err, "request_id", requestID(r.Context()))
	badRequest(w, r, "Hochladen abgebrochen oder Körper unvollständig")
}

func optional(fields map[string]string, k string) *string {
	if v, ok := fields[k]; ok {
		return &v
	}
	return nil
}

func newDokument(f map[string]string) records.NewDokument {
	return records.NewDokument{Betreff: f["betreff"], Typ: f["typ"], Absender: f["absender"], Empfaenger: f["empfaenger"],
		Dokumentdatum: optional(f, "dokumentdatum"), Eingangsdatum: optional(f, "eingangsdatum")}
}

type dokumentCreated struct {
	records.Dokument
	Version records.Version `json:"version"`
}

// precheckBytes: bodies larger than this (or of unknown length) are
// checked against the target before they are streamed, so that nobody
// uploads half a gigabyte into a closed Vorgang. Smaller ones skip the extra
// read; the write transaction checks again in any case.
const precheckBytes = 1 << 20

func needsPrecheck(r *http.Request) bool {
	return r.ContentLength < 0 || r.ContentLength > precheckBytes
}

func (s *Server) createDokument(w http.ResponseWriter, r *http.Request) {
	vorgangID := r.PathValue("id")
	if needsPrecheck(r) {
		if err := s.svc.CheckVorgangWritable(r.Context(), principal(r), vorgangID); err != nil {
			writeError(w, r, err)
			return
		}
	}
	fields, content, ok := s.readUpload(w, r, dokumentFields, func(f map[string]string) error {
		// Metadata sent before the file (the usual order) is checked before
		// the file is stored, so a bad field costs no upload.
		if _, ok := f["betreff"]; !ok {
			return nil
		}
		return records.ValidateNewDokument(newDokument(f))
	})
	if !ok {
		return
	}
	d, v, err := s.svc.CreateDokument(r.Context(), principal(r), vorgangID, newDokument(fields), content)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/dokumente/"+d.ID)
	writeJSON(w, http.StatusCreated, dokumentCreated{d, v})
}

func (s *Server) addVersion(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if needsPrecheck(r) {
		if err := s.svc.CheckDokumentWritable(r.Context(), principal(r), id); err != nil {
			writeError(w, r, err)
			return
		}
	}
	_, content, ok := s.readUpload(w, r, nil, nil)
	if !ok {
		return
	}
	v, err := s.svc.AddVersion(r.Context(), principal(r), id, content)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/dokumente/%s/versionen/%d/inhalt", id, v.Nummer))
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) listDokumente(w http.ResponseWriter, r *http.Request) {
	pg, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.svc.ListDokumente(r.Context(), principal(r), r.PathValue("id"), pg)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeList(w, list, pg, func(d records.Dokument) string { return d.ID })
}

func (s *Server) getDokument(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.GetDokument(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) patchDokument(w http.ResponseWriter, r *http.Request) {
	var p records.DokumentPatch
	if !decodePatch(w, r, map[string]func(json.RawMessage) error{
		"betreff":       strField(&p.Betreff),
		"typ":           strField(&p.Typ),
		"absender":      strField(&p.Absender),
		"empfaenger":    strField(&p.Empfaenger),
		"dokumentdatum": nullableStrField(&p.Dokumentdatum),
		"eingangsdatum": nullableStrField(&p.Eingangsdatum),
	}) {
		return
	}
	d, err := s.svc.UpdateDokument(r.Context(), principal(r), r.PathValue("id"), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) listVersionen(w http.ResponseWriter, r *http.Request) {
	vs, err := s.svc.ListVersionen(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	if vs == nil {
		vs = []records.Version{}
	}
	writeJSON(w, http.StatusOK, listResponse[records.Version]{Items: vs})
}

func nummerParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("nummer"))
	if err != nil || n < 1 {
		writeError(w, r, apperr.NotFound("Version"))
		return 0, false
	}
	return n, true
}

func (s *Server) markFinal(w http.ResponseWriter, r *http.Request) {
	n, ok := nummerParam(w, r)
	if !ok {
		return
	}
	v, err := s.svc.MarkFinal(r.Context(), principal(r), r.PathValue("id"), n)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) downloadLatest(w http.ResponseWriter, r *http.Request) { s.serveVersion(w, r, 0) }

func (s *Server) downloadVersion(w http.ResponseWriter, r *http.Request) {
	n, ok := nummerParam(w, r)
	if !ok {
		return
	}
	s.serveVersion(w, r, n)
}

func versionHeaders(w http.ResponseWriter, v records.Version) {
	h := w.Header()
	h.Set("Content-Type", v.MimeType)
	h.Set("ETag", `"`+v.SHA256+`"`)
	h.Set("Content-Disposition", ContentDisposition("attachment", v.Dateiname))
	// Content is never rendered as a page of ours, even if it is HTML.
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	// Versions never change; "latest" may, so clients revalidate by ETag.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Aktenwerk-Version", strconv.Itoa(v.Nummer))
}

// serveVersion sends content with Range, If-None-Match/If-Range support.
// Every GET is recorded in the audit trail; HEAD reads metadata only.
func (s *Server) serveVersion(w http.ResponseWriter, r *http.Request, nummer int) {
	if r.Method == http.MethodHead {
		v, err := s.svc.GetVersion(r.Context(), principal(r), r.PathValue("id"), nummer)
		if err != nil {
			writeError(w, r, err)
			return
		}
		versionHeaders(w, v)
		w.Header().Set("Content-Length", strconv.FormatInt(v.Size, 10))
		w.Header().Set("Accept-Ranges", "bytes")
		return
	}
	v, f, err := s.svc.OpenVersion(r.Context(), principal(r), r.PathValue("id"), nummer)
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer f.Close()
	versionHeaders(w, v)
	http.ServeContent(w, r, "", v.CreatedAt, f)
}

// ContentDisposition builds a header value with an ASCII fallback name and
// the exact UTF-8 name (RFC 6266 / RFC 8187).
func ContentDisposition(kind, name string) string {
	fallback := asciiFallback(name)
	v := kind + `; filename="` + fallback + `"`
	if fallback != name {
		v += "; filename*=UTF-8''" + rfc8187(name)
	}
	return v
}

// rfc8187 percent-encodes everything but attr-char.
func rfc8187(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

var translit = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss")

func asciiFallback(name string) string {
	name = translit.Replace(name)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' || r == ';' {
			return '_'
		}
		return r
	}, name)
}

// downloadSearchable sends the searchable PDF/A copy OCR made of a scan.
func (s *Server) downloadSearchable(w http.ResponseWriter, r *http.Request) {
	v, f, err := s.svc.OpenSearchableCopy(r.Context(), principal(r), r.PathValue("id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	defer f.Close()
	versionHeaders(w, v)
	http.ServeContent(w, r, "", v.CreatedAt, f)
}
