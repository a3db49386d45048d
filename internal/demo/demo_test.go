package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/blob"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/testutil"
)

func newService(t *testing.T, open storetest.Opener) *records.Service {
	t.Helper()
	bs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return records.NewService(open(t), bs, records.Options{})
}

func seed() *rand.Rand { return rand.New(rand.NewPCG(2026, 11)) }

func TestLoad(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := newService(t, b.Open)
			start := time.Now()
			sum, err := Load(ctx, svc, seed())
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			t.Logf("%s: Load took %s: %d Mandanten, %d Benutzer, %d Aktenplanpositionen, %d Akten, %d Vorgänge, %d Dokumente, %d Versionen",
				b.Name, time.Since(start).Round(time.Millisecond), sum.Tenants, sum.Users, sum.Aktenplan, sum.Akten, sum.Vorgaenge, sum.Dokumente, sum.Versionen)
			checkLoaded(t, ctx, svc, sum)

			// A second Load changes nothing.
			again, err := Load(ctx, svc, seed())
			if !errors.Is(err, ErrAlreadyLoaded) {
				t.Fatalf("second Load: err = %v, want ErrAlreadyLoaded", err)
			}
			if again.Tenants != 0 || again.Akten != 0 || len(again.Tokens) != 0 {
				t.Errorf("second Load reported %+v, want an empty Summary", again)
			}
			tenants, err := svc.ListTenants(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(tenants) != 4 {
				t.Errorf("after second Load: %d tenants, want 4", len(tenants))
			}
			p := principal(t, ctx, svc, sum, "TFM", access.RoleRegistratur)
			if n := len(allAkten(t, ctx, svc, p)); n != countFor(t, ctx, svc, sum, "TFM") {
				t.Errorf("after second Load: TFM has %d Akten, want unchanged", n)
			}
		})
	}
}

// checkLoaded compares the Summary with what the service lists, and checks
// the content of every Dokument.
func checkLoaded(t *testing.T, ctx context.Context, svc *records.Service, sum Summary) {
	t.Helper()
	tenants, err := svc.ListTenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, tn := range tenants {
		codes = append(codes, tn.Code)
	}
	slices.Sort(codes)
	if want := []string{"ERF", "STK", "TFM", "TMBJS"}; !slices.Equal(codes, want) || sum.Tenants != 4 {
		t.Fatalf("tenants = %v (Summary %d), want %v", codes, sum.Tenants, want)
	}

	// Every token works and belongs to the user it is listed for.
	if len(sum.Tokens) != sum.Users {
		t.Errorf("%d tokens for %d users", len(sum.Tokens), sum.Users)
	}
	perTenant := map[string]int{}
	for who, tok := range sum.Tokens {
		p, err := svc.Authenticate(ctx, tok)
		if err != nil {
			t.Fatalf("token of %s: %v", who, err)
		}
		if got := p.TenantCode + "/" + p.Login; got != who {
			t.Errorf("token listed for %s authenticates %s", who, got)
		}
		perTenant[p.TenantCode]++
	}
	for _, c := range codes {
		if n := perTenant[c]; n < 3 || n > 6 {
			t.Errorf("%s has %d users, want 3 to 6", c, n)
		}
	}

	var nPlan, nAkten, nVorg, nDok, nVers int
	var closedAkten, openAkten, closedVorg, openVorg, finals, twoVersions, closedPositions int
	mimes := map[string]int{}
	var sawUmlautText, sawPDF, sawEML, sawDraft bool
	for _, code := range codes {
		p := principal(t, ctx, svc, sum, code, access.RoleRegistratur)
		audit := principal(t, ctx, svc, sum, code, access.RoleAudit)

		plan, err := svc.ListAktenplan(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		nPlan += len(plan)
		checkAktenplan(t, code, plan)
		for _, e := range plan {
			if e.Geschlossen {
				closedPositions++
			}
		}

		akten := allAkten(t, ctx, svc, p)
		nAkten += len(akten)
		if len(akten) < 15 {
			t.Errorf("%s has only %d Akten", code, len(akten))
		}
		posByID := map[string]records.AktenplanEintrag{}
		parents := map[string]bool{}
		for _, e := range plan {
			posByID[e.ID] = e
			if e.ParentID != nil {
				parents[*e.ParentID] = true
			}
		}
		for _, a := range akten {
			pos, ok := posByID[a.AktenplanID]
			if !ok {
				t.Fatalf("Akte %s under unknown position", a.Aktenzeichen)
			}
			if parents[pos.ID] {
				t.Errorf("Akte %s filed under %s, which has sub-positions", a.Aktenzeichen, pos.Kennzeichen)
			}
			if !strings.HasPrefix(a.Aktenzeichen, code+"-"+pos.Kennzeichen+"-") {
				t.Errorf("Aktenzeichen %s does not name tenant %s and position %s", a.Aktenzeichen, code, pos.Kennzeichen)
			}
			noPlaceholder(t, "Akte title", a.Titel)
			noPlaceholder(t, "Akte description", a.Beschreibung)
			for key, v := range a.Metadaten {
				if s, ok := v.(string); ok {
					noPlaceholder(t, "Akte metadata "+key, s)
				}
			}
			if a.Status == records.StatusZdA {
				closedAkten++
				if a.ClosedAt == nil {
					t.Errorf("closed Akte %s without closing time", a.Aktenzeichen)
				}
			} else {
				openAkten++
			}
			vs := allVorgaenge(t, ctx, svc, p, a.ID)
			if len(vs) == 0 {
				t.Errorf("Akte %s has no Vorgang", a.Aktenzeichen)
			}
			nVorg += len(vs)
			for _, v := range vs {
				noPlaceholder(t, "Vorgang Betreff", v.Betreff)
				if !strings.HasPrefix(v.Aktenzeichen, a.Aktenzeichen+"-") {
					t.Errorf("Vorgang %s not numbered under its Akte %s", v.Aktenzeichen, a.Aktenzeichen)
				}
				switch {
				case a.Status == records.StatusZdA && v.Status != records.StatusZdA:
					t.Errorf("Vorgang %s is open in closed Akte", v.Aktenzeichen)
				case v.Status == records.StatusZdA:
					closedVorg++
				default:
					openVorg++
				}
				ds, err := svc.ListDokumente(ctx, p, v.ID, records.Page{Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				if len(ds) == 0 {
					t.Errorf("Vorgang %s has no Dokument", v.Aktenzeichen)
				}
				nDok += len(ds)
				for _, d := range ds {
					nVers += d.Versionen
					if d.Final {
						finals++
					}
					if d.Versionen > 1 {
						twoVersions++
					}
					checkDokumentMeta(t, v, d)
					vers, err := svc.ListVersionen(ctx, audit, d.ID)
					if err != nil {
						t.Fatal(err)
					}
					if len(vers) != d.Versionen {
						t.Errorf("Dokument %q: %d versions listed, %d counted", d.Betreff, len(vers), d.Versionen)
					}
					for _, ver := range vers {
						if ver.Final != (d.Final && ver.Nummer == d.Versionen) {
							t.Errorf("Dokument %q version %d: final=%v, Dokument final=%v of %d", d.Betreff, ver.Nummer, ver.Final, d.Final, d.Versionen)
						}
						if strings.Contains(ver.Dateiname, "_Entwurf") {
							sawDraft = true
						}
						content := open(t, ctx, svc, p, d.ID, ver.Nummer)
						mimes[ver.MimeType]++
						switch {
						case strings.HasSuffix(ver.Dateiname, ".pdf"):
							sawPDF = true
							if ver.MimeType != "application/pdf" {
								t.Errorf("%s: mime %s", ver.Dateiname, ver.MimeType)
							}
							if err := checkPDF(content); err != nil {
								t.Errorf("%s: %v", ver.Dateiname, err)
							}
							if strings.ContainsAny(d.Betreff, "äöüß") && !bytes.Contains(content, []byte(`\3`)) {
								t.Errorf("%s: Betreff %q has umlauts, the PDF no WinAnsi escapes", ver.Dateiname, d.Betreff)
							}
						case strings.HasSuffix(ver.Dateiname, ".txt"):
							if ver.MimeType != "text/plain; charset=utf-8" {
								t.Errorf("%s: mime %s", ver.Dateiname, ver.MimeType)
							}
							checkText(t, ver.Dateiname, content)
							if strings.ContainsAny(d.Betreff, "äöüß") && bytes.Contains(content, []byte(d.Betreff)) {
								sawUmlautText = true
							}
						case strings.HasSuffix(ver.Dateiname, ".eml"):
							sawEML = true
							if ver.MimeType != "message/rfc822" {
								t.Errorf("%s: mime %s", ver.Dateiname, ver.MimeType)
							}
							checkText(t, ver.Dateiname, content)
							if !bytes.Contains(content, []byte("\r\nSubject: ")) || !bytes.Contains(content, []byte("\r\n\r\n")) {
								t.Errorf("%s: no Subject header or no body", ver.Dateiname)
							}
						default:
							t.Errorf("unexpected file name %s", ver.Dateiname)
						}
						if len(content) < 300 {
							t.Errorf("%s: only %d bytes", ver.Dateiname, len(content))
						}
					}
				}
			}
		}
		// The audit role reads metadata but no content.
		ds := firstDokument(t, ctx, svc, p, akten)
		if _, _, err := svc.OpenVersion(ctx, audit, ds, 0); err == nil {
			t.Errorf("%s: audit user could open content", code)
		}
	}

	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"Aktenplan", nPlan, sum.Aktenplan}, {"Akten", nAkten, sum.Akten}, {"Vorgänge", nVorg, sum.Vorgaenge},
		{"Dokumente", nDok, sum.Dokumente}, {"Versionen", nVers, sum.Versionen},
	} {
		if c.got != c.want {
			t.Errorf("%s: service lists %d, Summary says %d", c.what, c.got, c.want)
		}
	}
	if sum.Akten < 80 || sum.Vorgaenge < 200 || sum.Dokumente < 400 {
		t.Errorf("sample too small: %d Akten, %d Vorgänge, %d Dokumente", sum.Akten, sum.Vorgaenge, sum.Dokumente)
	}
	if closedAkten == 0 || openAkten == 0 || closedVorg == 0 || openVorg == 0 {
		t.Errorf("statuses do not vary: Akten %d closed/%d open, Vorgänge %d closed/%d open", closedAkten, openAkten, closedVorg, openVorg)
	}
	if finals == 0 || twoVersions == 0 || !sawDraft {
		t.Errorf("no final Dokument (%d) or none with two versions (%d) or no draft file name (%v)", finals, twoVersions, sawDraft)
	}
	if closedPositions == 0 {
		t.Error("no closed Aktenplan position")
	}
	if !sawPDF || !sawEML || !sawUmlautText {
		t.Errorf("missing content kinds: pdf %v, eml %v, text with umlauts %v (mime types %v)", sawPDF, sawEML, sawUmlautText, mimes)
	}

	rep, err := svc.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Breaks) != 0 || rep.Tenants != 4 {
		t.Errorf("VerifyAudit: %d tenants, breaks %v", rep.Tenants, rep.Breaks)
	}
	fsck, err := svc.Fsck(ctx, records.FsckOptions{VerifyContent: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(fsck.Missing) != 0 || len(fsck.Corrupt) != 0 || len(fsck.Orphans) != 0 {
		t.Errorf("Fsck: missing %v, corrupt %v, orphans %v", fsck.Missing, fsck.Corrupt, fsck.Orphans)
	}
}

func checkAktenplan(t *testing.T, code string, plan []records.AktenplanEintrag) {
	t.Helper()
	if len(plan) < 10 {
		t.Errorf("%s: Aktenplan has only %d positions", code, len(plan))
	}
	ids := map[string]records.AktenplanEintrag{}
	kz := map[string]bool{}
	for _, e := range plan {
		ids[e.ID] = e
		if kz[e.Kennzeichen] {
			t.Errorf("%s: Kennzeichen %s twice", code, e.Kennzeichen)
		}
		kz[e.Kennzeichen] = true
	}
	var withParent, withFrist, withArchiv int
	for _, e := range plan {
		if e.ParentID != nil {
			withParent++
			parent, ok := ids[*e.ParentID]
			if !ok {
				t.Errorf("%s: position %s has an unknown parent", code, e.Kennzeichen)
			} else if !strings.HasPrefix(e.Kennzeichen, parent.Kennzeichen) {
				t.Errorf("%s: position %s under %s", code, e.Kennzeichen, parent.Kennzeichen)
			}
		}
		if e.Aufbewahrung != nil {
			withFrist++
		}
		if e.Archiv != "" {
			withArchiv++
		}
	}
	if withParent == 0 || withFrist == 0 || withArchiv == 0 {
		t.Errorf("%s: Aktenplan has %d positions with parent, %d with retention, %d with archive decision", code, withParent, withFrist, withArchiv)
	}
}

func checkDokumentMeta(t *testing.T, v records.Vorgang, d records.Dokument) {
	t.Helper()
	noPlaceholder(t, "Dokument Betreff", d.Betreff)
	noPlaceholder(t, "Absender", d.Absender)
	noPlaceholder(t, "Empfänger", d.Empfaenger)
	if !slices.Contains(records.Dokumenttypen, d.Typ) {
		t.Errorf("Dokument %q: unknown type %q", d.Betreff, d.Typ)
	}
	if d.Dokumentdatum == nil || !strings.HasPrefix(*d.Dokumentdatum, "2025-") && !strings.HasPrefix(*d.Dokumentdatum, "2026-") {
		t.Errorf("Dokument %q in %s: Dokumentdatum %v not in 2025–2026", d.Betreff, v.Aktenzeichen, d.Dokumentdatum)
	}
	if d.Eingangsdatum != nil && d.Dokumentdatum != nil && *d.Eingangsdatum < *d.Dokumentdatum {
		t.Errorf("Dokument %q: received %s before it was written %s", d.Betreff, *d.Eingangsdatum, *d.Dokumentdatum)
	}
	if d.Absender == "" {
		t.Errorf("Dokument %q without Absender", d.Betreff)
	}
}

var placeholder = regexp.MustCompile(`\{[a-z_0-9|]+\}`)

func noPlaceholder(t *testing.T, what, s string) {
	t.Helper()
	if m := placeholder.FindString(s); m != "" {
		t.Errorf("%s has unresolved %s: %q", what, m, s)
	}
}

func checkText(t *testing.T, name string, content []byte) {
	t.Helper()
	if !utf8.Valid(content) {
		t.Errorf("%s is not UTF-8", name)
	}
	noPlaceholder(t, name, string(content))
}

// checkPDF checks the structure a reader relies on: header, every xref
// offset pointing at its object, stream lengths, trailer and startxref.
func checkPDF(b []byte) error {
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) {
		return errors.New("no %PDF-1.4 header")
	}
	if !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		return errors.New("no %%EOF at the end")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		return errors.New("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(b) || !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		return fmt.Errorf("startxref %d does not point at the xref table", xref)
	}
	rest := b[xref+len("xref\n0 "):]
	nl := bytes.IndexByte(rest, '\n')
	n, err := strconv.Atoi(string(rest[:nl]))
	if err != nil {
		return fmt.Errorf("xref size: %v", err)
	}
	entries := rest[nl+1:]
	if len(entries) < 20*n {
		return errors.New("xref table truncated")
	}
	if string(entries[:20]) != "0000000000 65535 f \n" {
		return fmt.Errorf("xref entry 0 is %q", entries[:20])
	}
	for i := 1; i < n; i++ {
		e := entries[20*i : 20*i+20]
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || string(e[10:]) != " 00000 n \n" {
			return fmt.Errorf("xref entry %d malformed: %q", i, e)
		}
		if !bytes.HasPrefix(b[off:], fmt.Appendf(nil, "%d 0 obj\n", i)) {
			return fmt.Errorf("xref entry %d points at %q", i, b[off:min(off+12, len(b))])
		}
	}
	if !bytes.Contains(entries[20*n:], fmt.Appendf(nil, "trailer\n<< /Size %d /Root 1 0 R", n)) {
		return errors.New("trailer /Size does not match the xref table")
	}
	for _, sm := range regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(b, -1) {
		length, _ := strconv.Atoi(string(b[sm[2]:sm[3]]))
		end := sm[1] + length
		if end > len(b) || !bytes.HasPrefix(b[end:], []byte("\nendstream")) {
			return fmt.Errorf("stream at %d: /Length %d does not end at endstream", sm[0], length)
		}
	}
	if !bytes.Contains(b, []byte("/Encoding /WinAnsiEncoding")) || !bytes.Contains(b, []byte("/BaseFont /Helvetica")) {
		return errors.New("no WinAnsi Helvetica font")
	}
	return nil
}

// ---------------------------------------------------------------------------
// Helpers

func principal(t *testing.T, ctx context.Context, svc *records.Service, sum Summary, code string, role access.Role) records.Principal {
	t.Helper()
	var logins []string
	for who := range sum.Tokens {
		if strings.HasPrefix(who, code+"/") {
			logins = append(logins, who)
		}
	}
	slices.Sort(logins)
	for _, who := range logins {
		p, err := svc.Authenticate(ctx, sum.Tokens[who])
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(p.Roles, role) {
			return p
		}
	}
	t.Fatalf("%s has no user with role %s", code, role)
	return records.Principal{}
}

func allAkten(t *testing.T, ctx context.Context, svc *records.Service, p records.Principal) []records.Akte {
	t.Helper()
	var out []records.Akte
	pg := records.Page{Limit: 7} // small pages, so that paging is exercised
	for {
		as, err := svc.ListAkten(ctx, p, records.AkteFilter{}, pg)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, as...)
		if len(as) < pg.Limit {
			return out
		}
		pg.After = as[len(as)-1].ID
	}
}

func allVorgaenge(t *testing.T, ctx context.Context, svc *records.Service, p records.Principal, akteID string) []records.Vorgang {
	t.Helper()
	vs, err := svc.ListVorgaenge(ctx, p, akteID, records.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func countFor(t *testing.T, ctx context.Context, svc *records.Service, sum Summary, code string) int {
	t.Helper()
	return len(allAkten(t, ctx, svc, principal(t, ctx, svc, sum, code, access.RoleAdmin)))
}

func firstDokument(t *testing.T, ctx context.Context, svc *records.Service, p records.Principal, akten []records.Akte) string {
	t.Helper()
	for _, a := range akten {
		for _, v := range allVorgaenge(t, ctx, svc, p, a.ID) {
			ds, err := svc.ListDokumente(ctx, p, v.ID, records.Page{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) > 0 {
				return ds[0].ID
			}
		}
	}
	t.Fatal("no Dokument")
	return ""
}

func open(t *testing.T, ctx context.Context, svc *records.Service, p records.Principal, dokID string, nummer int) []byte {
	t.Helper()
	_, f, err := svc.OpenVersion(ctx, p, dokID, nummer)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ---------------------------------------------------------------------------

// The same seed gives the same sample, down to the bytes of every version
// (one tenant is enough to show it, and keeps the test quick).
func TestLoadIsDeterministic(t *testing.T) {
	ctx := context.Background()
	run := func() []string {
		svc := newService(t, storetest.OpenSQLite)
		l := &loader{svc: svc, r: seed(), sum: Summary{Tokens: map[string]string{}}}
		if err := l.tenant(ctx, erf()); err != nil {
			t.Fatal(err)
		}
		p := l.p(l.registr)
		var out []string
		for _, a := range allAkten(t, ctx, svc, p) {
			out = append(out, a.Aktenzeichen+" "+a.Titel+" "+a.Status)
			for _, v := range allVorgaenge(t, ctx, svc, p, a.ID) {
				out = append(out, v.Aktenzeichen+" "+v.Betreff+" "+v.Status)
				ds, err := svc.ListDokumente(ctx, p, v.ID, records.Page{Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range ds {
					vers, err := svc.ListVersionen(ctx, p, d.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, ver := range vers {
						out = append(out, fmt.Sprintf("%s %s %s %v", d.Betreff, ver.Dateiname, ver.SHA256, ver.Final))
					}
				}
			}
		}
		return out
	}
	a, b := run(), run()
	if len(a) < 100 {
		t.Fatalf("only %d lines to compare", len(a))
	}
	if !slices.Equal(a, b) {
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("two loads with the same seed differ at line %d:\n%s\n%s", i, a[i], b[i])
			}
		}
		t.Fatalf("two loads with the same seed differ in length: %d, %d", len(a), len(b))
	}
}

func TestLoadRefusesPartialState(t *testing.T) {
	ctx := context.Background()
	svc := newService(t, storetest.OpenSQLite)
	if _, err := svc.CreateTenant(ctx, "TFM", "Thüringer Finanzministerium"); err != nil {
		t.Fatal(err)
	}
	_, err := Load(ctx, svc, seed())
	if err == nil || errors.Is(err, ErrAlreadyLoaded) {
		t.Fatalf("Load with an existing TFM: err = %v, want a refusal", err)
	}
	tenants, err := svc.ListTenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tenants) != 1 {
		t.Errorf("Load changed the store: %d tenants", len(tenants))
	}
}

func TestPDF(t *testing.T) {
	var lines []pdfLine
	lines = append(lines, pdfLine{Text: "Bescheid (Entwurf) – Gebühr 12,50 € für Jürgen Müller, Straße „Am Anger“", Bold: true})
	for i := range 120 { // more than one page
		lines = append(lines, pdfLine{Text: fmt.Sprintf("Zeile %d: Grüße aus Thüringen \\ Backslash", i)})
	}
	b := makePDF("Bescheid Müller", "Anna Schmidt", time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC), lines)
	if err := checkPDF(b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`(Bescheid \(Entwurf\) \226 Geb\374hr 12,50 \200 f\374r J\374rgen M\374ller, Stra\337e \204Am Anger\223)`,
		`Backslash`, `\\ Backslash`, "/Count 3", "(Seite 3 von 3)", "/Title <FEFF", "/F2 10.5 Tf",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	// A real checker: qpdf (installed by .ci/run).
	qpdf := testutil.NeedTool(t, "qpdf")
	f := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(qpdf, "--check", f).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
	if err := checkPDF(bytes.Replace(b, []byte("\n2 0 obj"), []byte("\n2 0 obk"), 1)); err == nil {
		t.Error("checkPDF accepts a wrong xref offset")
	}
}

func TestWrapAndEuro(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{0, "0,00\u00a0€"}, {12.5, "12,50\u00a0€"}, {1234567.89, "1.234.567,89\u00a0€"}, {500, "500,00\u00a0€"}} {
		if got := euro(c.v); got != c.want {
			t.Errorf("euro(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	text := "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden."
	ls := wrap(text, 30)
	if strings.Join(ls, " ") != text {
		t.Errorf("wrap lost words: %q", ls)
	}
	for _, l := range ls {
		if utf8.RuneCountInString(l) > 30 {
			t.Errorf("line too long: %q", l)
		}
	}
	// An amount is never split from its currency.
	ls = wrap("Die Gebühr beträgt "+euro(1234.5)+" zuzüglich Auslagen.", 24)
	if !slices.ContainsFunc(ls, func(l string) bool { return strings.Contains(l, euro(1234.5)) }) {
		t.Errorf("amount split across lines: %q", ls)
	}
}
