package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Upload of one or more files into a Vorgang from its page. Without
// JavaScript the form sends all files of <input type=file multiple> in one
// multipart body; the script sends one request per file (for one progress
// bar each). Either way the body is streamed part by part into the blob
// store, as with the API (multipartBody, readTextPart, StoreContent), and
// each file becomes a Dokument whose Betreff is the file name.
//
// The CSRF token is the form field "csrf", which the form puts before the
// files: it is checked before the first file is stored.

// uiMaxFiles bounds the files of one request.
const uiMaxFiles = 20

var uploadFields = map[string]bool{"csrf": true, "typ": true}

// uploadError is a refusal to show at the upload form.
// answerScript answers the upload script (one request per file) in plain
// text: the error's status and message (a refused CSRF token has none: the
// form expired), or 201 and done.
func answerScript(w http.ResponseWriter, uerr *uploadError, done string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if uerr == nil {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, done)
		return
	}
	msg := uerr.msg
	if msg == "" && uerr.status == http.StatusForbidden {
		msg = "Das Formular ist abgelaufen. Bitte die Seite neu laden."
	}
	w.WriteHeader(uerr.status)
	_, _ = io.WriteString(w, msg)
}

type uploadError struct {
	status int
	msg    string
	field  string // the form field the message belongs to ("": the files)
}

func (s *Server) uiUpload(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	script := r.Header.Get("X-Requested-With") == "XMLHttpRequest"
	created, uerr := s.uploadFiles(w, r, c)
	if uerr == nil && len(created) == 0 {
		uerr = &uploadError{status: http.StatusUnprocessableEntity, msg: "Bitte mindestens eine Datei auswählen."}
	}
	if script {
		if uerr != nil && uerr.status == http.StatusNotFound {
			uerr.msg = "Der Vorgang wurde nicht gefunden."
		}
		answerScript(w, uerr, anzahl(len(created), "Dokument", "Dokumente")+" angelegt")
		return
	}
	if uerr != nil && uerr.status == http.StatusForbidden && uerr.msg == "" {
		c.csrfFailed(w)
		return
	}
	if uerr != nil && uerr.status == http.StatusNotFound {
		c.notFound(w)
		return
	}
	if uerr != nil {
		s.vorgangPage(w, r, c, uerr.status, func(v *uiVorgangView) {
			v.Fehler, v.FehlerFeld, v.Hochgeladen = uerr.msg, "dateien", created
		})
		return
	}
	http.Redirect(w, r, "/vorgaenge/"+r.PathValue("id")+"?meldung=hochgeladen", http.StatusSeeOther)
}

// uploadFailure turns an error of a UI upload into the refusal to show:
// the body's limits and format, the service's messages (a field's message
// if it names one), 404 without a message for an unknown or invisible
// target, and 403 with verboten (audited as a denied access).
func (s *Server) uploadFailure(r *http.Request, verboten string) func(error) *uploadError {
	ctx := r.Context()
	return func(err error) *uploadError {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return &uploadError{status: http.StatusRequestEntityTooLarge, msg: "Die Dateien sind zusammen zu groß (je Datei höchstens " + mib(s.svc.MaxUpload()) + ")."}
		case errors.Is(err, errNotMultipart):
			return &uploadError{status: http.StatusUnsupportedMediaType, msg: "Das Formular wurde nicht als Datei-Upload gesendet."}
		case errors.Is(err, errBadTextPart):
			return &uploadError{status: http.StatusBadRequest, msg: "Ein Formularfeld ist ungültig."}
		}
		var bm *badMultipart
		if errors.As(err, &bm) {
			return &uploadError{status: http.StatusBadRequest, msg: "Das Hochladen wurde abgebrochen oder ist unvollständig."}
		}
		if e, ok := apperr.As(err); ok {
			switch e.Kind {
			case apperr.KindNotFound:
				return &uploadError{status: http.StatusNotFound, msg: ""}
			case apperr.KindForbidden:
				records.NoteDenial(ctx, records.Denial{ObjectType: "anfrage", ObjectID: r.Method + " " + r.URL.Path, Reason: e.Message})
				return &uploadError{status: http.StatusForbidden, msg: verboten}
			}
			msg := e.Message
			for _, f := range e.Fields {
				msg = f.Message
			}
			if ks, ok := kindStatus[e.Kind]; ok {
				return &uploadError{status: ks.status, msg: msg}
			}
		}
		if ctx.Err() == nil {
			s.log.Warn("ui upload", "err", err, "request_id", requestID(ctx))
		}
		return &uploadError{status: http.StatusBadRequest, msg: "Das Hochladen wurde abgebrochen oder ist unvollständig."}
	}
}

// uploadFiles streams the body and creates one Dokument per file part.
func (s *Server) uploadFiles(w http.ResponseWriter, r *http.Request, c *uiCtx) ([]records.Dokument, *uploadError) {
	ctx := r.Context()
	vorgangID := r.PathValue("id")
	fail := s.uploadFailure(r, "Sie dürfen in diesem Vorgang keine Dokumente anlegen.")
	if needsPrecheck(r) {
		if err := s.svc.CheckVorgangWritable(ctx, c.p, vorgangID); err != nil {
			return nil, fail(err)
		}
	}
	var created []records.Dokument
	uerr := s.eachUploadedFile(w, r, c, uiMaxFiles, uploadFields, fail, func(part *multipart.Part, fields map[string]string) error {
		in := records.NewDokument{Betreff: betreffOf(part.FileName()), Typ: fields["typ"]}
		if err := records.ValidateNewDokument(in); err != nil {
			return err
		}
		content, err := s.svc.StoreContent(ctx, c.p, part, part.FileName())
		if err != nil {
			return err
		}
		d, _, err := s.svc.CreateDokument(ctx, c.p, vorgangID, in, content)
		if err != nil {
			return err
		}
		created = append(created, d)
		return nil
	})
	return created, uerr
}

// eachUploadedFile streams a multipart upload of the UI: the text fields
// named in fields (the CSRF token first of all), then the files, each
// handed to each as it arrives (no file is buffered whole). The CSRF
// token must precede the first file; at most maxFiles files (the body is
// limited to maxFiles times the file limit); an error of each or of the
// body goes through fail.
func (s *Server) eachUploadedFile(w http.ResponseWriter, r *http.Request, c *uiCtx, maxFiles int, allowed map[string]bool,
	fail func(error) *uploadError, each func(*multipart.Part, map[string]string) error) *uploadError {
	mr, err := s.multipartBody(w, r, maxFiles, len(allowed))
	if err != nil {
		return fail(err)
	}
	fields := map[string]string{}
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fail(err)
		}
		name := part.FormName()
		switch {
		case name == "file":
			if !c.csrfOK(fields["csrf"]) {
				return &uploadError{status: http.StatusForbidden, msg: ""}
			}
			if part.FileName() == "" {
				continue // the empty file input of a form sent without a choice
			}
			if files == maxFiles {
				if maxFiles == 1 {
					return &uploadError{status: http.StatusUnprocessableEntity, msg: "Bitte nur eine Datei wählen."}
				}
				return &uploadError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("Höchstens %d Dateien auf einmal.", maxFiles)}
			}
			if err := each(part, fields); err != nil {
				return fail(err)
			}
			files++
		case allowed[name]:
			v, err := readTextPart(part)
			if err != nil {
				return fail(err)
			}
			fields[name] = v
		default:
			return &uploadError{status: http.StatusBadRequest, msg: "Unbekanntes Formularfeld " + name + "."}
		}
	}
}

// betreffOf makes the Betreff of an uploaded file from its name.
func betreffOf(filename string) string {
	name := records.SanitizeFilename(filename)
	if ext := path.Ext(name); len(ext) > 0 && len(ext) <= 6 {
		name = strings.TrimSuffix(name, ext)
	}
	name = strings.TrimSpace(strings.NewReplacer("_", " ").Replace(name))
	if name == "" {
		return "Dokument"
	}
	return name
}
