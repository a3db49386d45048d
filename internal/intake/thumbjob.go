package intake

import (
	"bytes"
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

// KindThumb is the job kind of the thumbnail of one version.
const KindThumb = "miniatur.erstellen"

// ThumbJobs make the thumbnail (PNG of the first page, 160 px wide) of
// every PDF or image version as durable jobs, one per version (unique
// key). The PNG is stored as a derived blob and referenced from the
// version (versionen.miniatur_sha256), so the blob check keeps it. A
// missing pdftoppm or a timeout is retried with backoff and ends dead
// after MaxAttempts; content that cannot give a thumbnail (corrupt,
// encrypted, too large, neither PDF nor image) ends the job without one:
// the pages show a neutral placeholder.
type ThumbJobs struct {
	Svc   *records.Service
	Queue *jobs.Store
	// Tools are the detected external programs (nil: extract.Detect once).
	Tools *extract.Tools
	// Options of the renderer (Tools is set from the field above).
	Thumb       extract.ThumbOptions
	Log         *slog.Logger
	MaxAttempts int // default 5
	Backoff     func(attempt int) time.Duration
}

func thumbKey(dokumentID string, version int) string {
	return fmt.Sprintf("%s:%s:%d", KindThumb, dokumentID, version)
}

// Register adds the handler to a runner.
func (th *ThumbJobs) Register(r *jobs.Runner) error {
	n := th.MaxAttempts
	if n <= 0 {
		n = 5
	}
	return r.Handle(KindThumb, th.run, jobs.KindOptions{Concurrency: 1, MaxAttempts: n, Timeout: 5 * time.Minute, Backoff: th.Backoff})
}

// Enqueue asks for the thumbnail of a version (idempotent per version).
func (th *ThumbJobs) Enqueue(ctx context.Context, tenantID, dokumentID string, version int) error {
	_, err := th.Queue.Enqueue(ctx, KindThumb, textPayload{Dokument: dokumentID, Version: version},
		jobs.Unique(thumbKey(dokumentID, version)), jobs.Tenant(tenantID))
	return err
}

// WantsThumb reports whether content of this type can get a thumbnail.
func WantsThumb(mimeType string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(mimeType), ";")
	mt = strings.TrimSpace(mt)
	return mt == "application/pdf" || strings.HasPrefix(mt, "image/")
}

// OnVersion is the records hook: enqueue after each new PDF or image
// version (type unknown, as from a Posteingang assignment: the job looks).
// An error is logged only (that version stays without thumbnail).
func (th *ThumbJobs) OnVersion(ctx context.Context, v records.Version) {
	if v.MimeType != "" && !WantsThumb(v.MimeType) {
		return
	}
	if err := th.Enqueue(context.WithoutCancel(ctx), v.TenantID, v.DokumentID, v.Nummer); err != nil && th.Log != nil {
		th.Log.Warn("thumbnail job not enqueued", "dokument", v.DokumentID, "version", v.Nummer, "err", err)
	}
}

func (th *ThumbJobs) run(ctx context.Context, job *jobs.Job) error {
	var pl textPayload
	if err := job.Decode(&pl); err != nil || pl.Dokument == "" || pl.Version < 1 {
		return jobs.Permanent(fmt.Errorf("bad payload %s: %v", job.Payload, err))
	}
	return th.Make(ctx, pl.Dokument, pl.Version)
}

// Make renders and stores the thumbnail of one version now (the job's
// work; tests call it directly). Content that cannot give a thumbnail is
// not an error: the version stays without one. Errors are what a retry
// may cure (missing tool, timeout, database or blob store).
func (th *ThumbJobs) Make(ctx context.Context, dokumentID string, version int) error {
	ver, f, err := th.Svc.VersionContent(ctx, dokumentID, version)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return jobs.Permanent(err)
		}
		return err
	}
	defer f.Close()
	if !WantsThumb(ver.MimeType) {
		return nil
	}
	opts := th.Thumb
	opts.Tools = th.Tools
	png, err := extract.Thumbnail(ctx, f, ver.MimeType, opts)
	if err != nil {
		if !extract.Retryable(err) {
			if th.Log != nil {
				th.Log.Info("no thumbnail", "dokument", dokumentID, "version", version, "reason", extract.Reason(err))
			}
			return nil
		}
		return err
	}
	sha, err := th.Svc.StoreDerived(ctx, bytes.NewReader(png))
	if err != nil {
		return err
	}
	return th.Svc.SaveMiniatur(ctx, dokumentID, version, sha)
}
