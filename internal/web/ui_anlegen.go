package web

import (
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/records"
)

// Creating records from their pages: a new Akte on an Aktenplan position's
// page, a new Vorgang on an Akte's page, a new version on a Dokument's
// page. Each form calls the same records.Service method as the API route
// (POST /api/v1/akten, /api/v1/akten/{id}/vorgaenge,
// /api/v1/dokumente/{id}/versionen), which decides tenant, permission and
// state; the pages offer a form only where that call would be allowed.
// A refused form is shown again with the message at its field and nothing
// changed; a missing right gives the 403 page, another tenant's (or an
// invisible) object the same 404 page as an unknown id.

func init() {
	uiRouteGroups = append(uiRouteGroups, func() []uiRoute {
		return []uiRoute{
			{"POST", "/aktenplan/{id}/akten", true, (*Server).uiAkteAnlegen, false},
			{"POST", "/akten/{id}/vorgaenge", true, (*Server).uiVorgangAnlegen, false},
			{"POST", "/dokumente/{id}/versionen", true, (*Server).uiVersionHochladen, true},
		}
	})
	meldungen["akte-angelegt"] = "Die Akte ist angelegt."
	meldungen["vorgang-angelegt"] = "Der Vorgang ist angelegt."
	meldungen["version-hochgeladen"] = "Die neue Version ist gespeichert."
}

// --- new Akte ------------------------------------------------------------------------------

// neueAkteForm is the form "Neue Akte" of a position's page.
type neueAkteForm struct {
	Form *formular
	// Offen: the form is offered (the position is open). A refusal of a
	// closed position is shown in Form.Meldung without the form.
	Offen bool
	// Einheiten are the owning units the caller may choose (records'
	// ownerUnit: the caller's units and those below them); none for a
	// caller without unit, whose Akten belong to the whole tenant.
	Einheiten []option
}

// neueAkteForm builds the form for position pos, or nil when the caller
// may not create Akten at all (role without access.Create, as
// records.Service.CreateAkte checks first).
func (s *Server) neueAkteForm(ctx context.Context, c *uiCtx, pos records.AktenplanEintrag, f *formular) (*neueAkteForm, error) {
	if !access.Can(c.p, access.Create) {
		return nil, nil
	}
	n := &neueAkteForm{Form: f, Offen: !pos.Geschlossen}
	if len(c.p.Units) == 0 {
		return n, nil
	}
	units, err := s.svc.ListUnitsAs(ctx, c.p)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if slices.Contains(c.p.Units, u.ID) {
			n.Einheiten = append(n.Einheiten, option{Wert: u.Kennung, Text: u.Kennung + " – " + u.Name})
		}
	}
	slices.SortFunc(n.Einheiten, func(a, b option) int { return strings.Compare(a.Wert, b.Wert) })
	if _, chosen := f.Werte["einheit"]; !chosen && len(n.Einheiten) > 0 {
		// preselect the caller's own unit (its first membership)
		def := n.Einheiten[0].Wert
		if me, err := s.svc.GetUserAs(ctx, c.p, c.p.Login); err == nil {
			for _, m := range me.Einheiten {
				if slices.ContainsFunc(n.Einheiten, func(o option) bool { return o.Wert == m.Kennung }) {
					def = m.Kennung
					break
				}
			}
		} else if apperr.KindOf(err) != apperr.KindNotFound {
			return nil, err
		}
		f.Werte.Set("einheit", def)
	}
	return n, nil
}

// uiAkteAnlegen creates an Akte under the position of the page
// (records.Service.CreateAkte, as POST /api/v1/akten) and leads to it.
func (s *Server) uiAkteAnlegen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	ctx := r.Context()
	id := r.PathValue("id")
	// another tenant's or an unknown position: the 404 page (the service
	// itself would call it an invalid field)
	if _, err := s.svc.GetAktenplan(ctx, c.p, id); err != nil {
		c.fail(w, err)
		return
	}
	f := r.PostForm
	a, err := s.svc.CreateAkte(ctx, c.p, records.NewAkte{AktenplanID: id, Titel: f.Get("titel"),
		Beschreibung: f.Get("beschreibung"), Einheit: strings.TrimSpace(f.Get("einheit"))})
	if err != nil {
		form := newFormular("na").withValues(f)
		if !form.failed(err, nil) {
			c.fail(w, err)
			return
		}
		s.aktenplanPage(w, r, c, form.status(), func(v *aktenplanView) {
			if v.NeueAkte != nil {
				v.NeueAkte.Form.Werte, v.NeueAkte.Form.Felder, v.NeueAkte.Form.Meldung = form.Werte, form.Felder, form.Meldung
			}
		})
		return
	}
	http.Redirect(w, r, "/akten/"+a.ID+"?meldung=akte-angelegt", http.StatusSeeOther)
}

// --- new Vorgang -----------------------------------------------------------------------------

// uiVorgangAnlegen creates a Vorgang in the Akte of the page
// (records.Service.CreateVorgang, as POST /api/v1/akten/{id}/vorgaenge).
func (s *Server) uiVorgangAnlegen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	id := r.PathValue("id")
	vg, err := s.svc.CreateVorgang(r.Context(), c.p, id, r.PostForm.Get("betreff"), nil)
	if err != nil {
		form := newFormular("nv").withValues(r.PostForm)
		if !form.failed(err, nil) {
			c.fail(w, err)
			return
		}
		// (a closed Akte offers no form: the message stands alone)
		s.aktePage(w, r, c, form.status(), func(v *uiAkteView) { v.NeuerVorgang = form })
		return
	}
	http.Redirect(w, r, "/vorgaenge/"+vg.ID+"?meldung=vorgang-angelegt", http.StatusSeeOther)
}

// --- new version -------------------------------------------------------------------------------

var versionFields = map[string]bool{"csrf": true}

// uiVersionHochladen adds one uploaded file as a new version of the
// Dokument (records.Service.AddVersion, as POST
// /api/v1/dokumente/{id}/versionen). The body streams through the Vorgang
// upload's helpers (eachUploadedFile: CSRF field before the file, the same
// size limit, StoreContent), but for one file only; the version is added
// after the whole body was read, so a refused request adds nothing.
func (s *Server) uiVersionHochladen(w http.ResponseWriter, r *http.Request, c *uiCtx) {
	ctx := r.Context()
	id := r.PathValue("id")
	fail := s.uploadFailure(r, "Sie dürfen diesem Dokument keine neue Version hinzufügen.")
	// refused before a byte of the file is read: unknown, invisible,
	// forbidden, closed (AddVersion checks again when it writes)
	uerr := func() *uploadError {
		if err := s.svc.CheckDokumentWritable(ctx, c.p, id); err != nil {
			return fail(err)
		}
		return nil
	}()
	var content *records.Content
	if uerr == nil {
		uerr = s.eachUploadedFile(w, r, c, 1, versionFields, fail, func(part *multipart.Part, _ map[string]string) error {
			ct, err := s.svc.StoreContent(ctx, c.p, part, part.FileName())
			if err != nil {
				return err
			}
			content = &ct
			return nil
		})
	}
	if uerr != nil && uerr.status == http.StatusRequestEntityTooLarge {
		// one file here (the Vorgang upload's wording speaks of several)
		uerr.msg = fmt.Sprintf("Die Datei ist zu groß: höchstens %d MiB.", s.svc.MaxUpload()>>20)
	}
	if uerr == nil && content == nil {
		uerr = &uploadError{status: http.StatusUnprocessableEntity, msg: "Bitte eine Datei auswählen."}
	}
	if uerr == nil {
		if _, err := s.svc.AddVersion(ctx, c.p, id, *content); err != nil {
			uerr = fail(err)
		}
	}
	switch {
	case uerr == nil:
		http.Redirect(w, r, "/dokumente/"+id+"?meldung=version-hochgeladen#h-versionen", http.StatusSeeOther)
	case uerr.status == http.StatusForbidden && uerr.msg == "":
		c.csrfFailed(w)
	case uerr.status == http.StatusNotFound:
		c.notFound(w)
	case uerr.status == http.StatusForbidden:
		c.errorPage(w, http.StatusForbidden, "Keine Berechtigung", uerr.msg)
	default:
		s.dokumentPage(w, r, c, uerr.status, func(v *dokumentView) { v.VersionFehler = uerr.msg })
	}
}
