// Package intake is the Posteingang: items arrive by upload, from watch
// folders and from IMAP mailboxes, and the text of every stored version is
// recognised by background jobs (text extraction, OCR) so that search
// finds it.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// KindText is the job kind of text recognition of one version.
const KindText = "text.erkennen"

// TextJobs recognises the text of document versions as durable jobs: one
// job per version (unique key), retried with backoff when a tool is missing
// or timed out, dead after MaxAttempts (visible to operators: aktenwerk
// jobs dead). Content that cannot give text (unsupported, encrypted,
// corrupt, too large) is not retried: the Dokument shows "fehlgeschlagen"
// with the reason, and the job ends. Nothing here can take the server
// down: the extractor runs tools as processes with limits and timeouts,
// and a panic in a handler only fails that attempt.
type TextJobs struct {
	Svc   *records.Service
	Queue *jobs.Store
	// Tools are the detected external programs (nil: extract.Detect once).
	Tools *extract.Tools
	// TempDir holds per-job work files ("" = os.TempDir()).
	TempDir string
	// Limits and options of the extractor (Filename, Tools, TempDir and
	// SearchablePDFDir are set per job).
	Extract extract.Options
	Log     *slog.Logger
	// MaxAttempts (default 5) and Backoff (default the queue's) of the
	// retries after a missing tool or a timeout.
	MaxAttempts int
	Backoff     func(attempt int) time.Duration
}

type textPayload struct {
	Dokument string `json:"dokument"`
	Version  int    `json:"version"`
}

func textKey(dokumentID string, version int) string {
	return fmt.Sprintf("%s:%s:%d", KindText, dokumentID, version)
}

// Register adds the handler to a runner.
func (tj *TextJobs) Register(r *jobs.Runner) error {
	n := tj.MaxAttempts
	if n <= 0 {
		n = 5
	}
	return r.Handle(KindText, tj.run, jobs.KindOptions{Concurrency: 1, MaxAttempts: n, Timeout: 20 * time.Minute, Backoff: tj.Backoff})
}

// Enqueue asks for the text of a version of a Dokument of a tenant
// (idempotent per version).
func (tj *TextJobs) Enqueue(ctx context.Context, tenantID, dokumentID string, version int) error {
	_, err := tj.Queue.Enqueue(ctx, KindText, textPayload{Dokument: dokumentID, Version: version},
		jobs.Unique(textKey(dokumentID, version)), jobs.Tenant(tenantID))
	return err
}

// OnVersion is the records hook: enqueue after each new version. An error
// is logged only; the sweeper enqueues the version later.
func (tj *TextJobs) OnVersion(ctx context.Context, v records.Version) {
	if err := tj.Enqueue(context.WithoutCancel(ctx), v.TenantID, v.DokumentID, v.Nummer); err != nil && tj.Log != nil {
		tj.Log.Warn("text job not enqueued; the sweeper retries", "dokument", v.DokumentID, "version", v.Nummer, "err", err)
	}
}

// Sweep enqueues versions still waiting for text after age (their job was
// lost: a crash between commit and enqueue) and returns how many.
func (tj *TextJobs) Sweep(ctx context.Context, age time.Duration) (int, error) {
	n := 0
	for _, st := range []string{records.TextAusstehend, records.TextLaeuft} {
		texts, err := tj.Svc.PendingTexts(ctx, st, time.Now().Add(-age), 500)
		if err != nil {
			return n, err
		}
		for _, t := range texts {
			if err := tj.Enqueue(ctx, t.TenantID, t.DokumentID, t.Version); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func (tj *TextJobs) run(ctx context.Context, job *jobs.Job) error {
	var pl textPayload
	if err := job.Decode(&pl); err != nil || pl.Dokument == "" || pl.Version < 1 {
		return jobs.Permanent(fmt.Errorf("bad payload %s: %v", job.Payload, err))
	}
	if t, err := tj.Svc.RecognisedText(ctx, pl.Dokument); err == nil && t.Version >= pl.Version && t.Status == records.TextErkannt {
		return nil // already known (taken over from the Posteingang) or superseded
	}
	state := func(status, methode, grund string) error {
		return tj.Svc.SetTextState(ctx, records.DokumentText{DokumentID: pl.Dokument, Version: pl.Version, Status: status, Methode: methode, Grund: grund})
	}
	ver, f, err := tj.Svc.VersionContent(ctx, pl.Dokument, pl.Version)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return jobs.Permanent(err)
		}
		return err
	}
	defer f.Close()
	methode := ""
	if strings.HasPrefix(ver.MimeType, "image/") {
		methode = extract.MethodOCR
	}
	if err := state(records.TextLaeuft, methode, ""); err != nil {
		return err
	}
	work, err := os.MkdirTemp(tj.TempDir, "aktenwerk-text-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	opts := tj.Extract
	opts.Filename, opts.Tools, opts.TempDir, opts.SearchablePDFDir = ver.Dateiname, tj.Tools, work, work
	res, err := extract.Extract(ctx, f, ver.MimeType, opts)
	if err != nil {
		status := records.TextFehlgeschlagen
		if errors.Is(err, extract.ErrUnsupported) {
			status = records.TextNichtUnterstuetzt
		}
		if serr := state(status, "", extract.Reason(err)); serr != nil {
			return serr
		}
		if !extract.Retryable(err) {
			return nil // flagged on the Dokument; nothing to retry
		}
		return err // missing tool, timeout: retried with backoff, then dead
	}
	t := records.DokumentText{DokumentID: pl.Dokument, Version: pl.Version, Status: records.TextErkannt,
		Methode: res.Method, OCR: res.OCR, Seiten: res.Pages, Text: res.Text}
	if len(res.Warnings) > 0 {
		t.Grund = strings.Join(res.Warnings, "; ")
	}
	if res.SearchablePDF != "" {
		if sha, err := tj.storeCopy(ctx, res.SearchablePDF); err == nil {
			t.PDFASHA256 = sha
		} else if tj.Log != nil {
			tj.Log.Warn("searchable copy not stored", "dokument", pl.Dokument, "err", err)
		}
	}
	return tj.Svc.SaveText(ctx, t)
}

func (tj *TextJobs) storeCopy(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return tj.Svc.StoreDerived(ctx, f)
}
