package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
// the pages show a neutral placeholder. Posteingang items get theirs the
// same way, from the item's content.
//
// Every version and item has a thumbnail state (records.Miniatur*,
// migration 00015): the job sets erstellt or keine (final), or eingereiht
// when an attempt failed in a way a retry may cure (the queue owns it from
// then on: retries, dead letter). Sweep finds what is still ausstehend
// after a while (a job lost between commit and enqueue, versions stored
// before thumbnails existed) in bounded batches; types that cannot give a
// thumbnail are marked keine there without a job, so nothing is retried
// forever.
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

func thumbPostKey(itemID string) string { return KindThumb + ":post:" + itemID }

// thumbPayload names a version of a Dokument, or a Posteingang item.
type thumbPayload struct {
	Dokument string `json:"dokument,omitempty"`
	Version  int    `json:"version,omitempty"`
	Item     string `json:"item,omitempty"`
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
	_, err := th.Queue.Enqueue(ctx, KindThumb, thumbPayload{Dokument: dokumentID, Version: version},
		jobs.Unique(thumbKey(dokumentID, version)), jobs.Tenant(tenantID))
	return err
}

// EnqueuePost asks for the thumbnail of a Posteingang item (idempotent).
func (th *ThumbJobs) EnqueuePost(ctx context.Context, tenantID, itemID string) error {
	_, err := th.Queue.Enqueue(ctx, KindThumb, thumbPayload{Item: itemID}, jobs.Unique(thumbPostKey(itemID)), jobs.Tenant(tenantID))
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
// An error is logged only: the version stays ausstehend and Sweep
// enqueues it later.
func (th *ThumbJobs) OnVersion(ctx context.Context, v records.Version) {
	if v.MimeType != "" && !WantsThumb(v.MimeType) {
		return // Sweep marks it keine without a job
	}
	if err := th.Enqueue(context.WithoutCancel(ctx), v.TenantID, v.DokumentID, v.Nummer); err != nil && th.Log != nil {
		th.Log.Warn("thumbnail job not enqueued; the sweeper retries", "dokument", v.DokumentID, "version", v.Nummer, "err", err)
	}
}

// OnPost is the records hook for new Posteingang items.
func (th *ThumbJobs) OnPost(ctx context.Context, it records.PostItem) {
	if !WantsThumb(it.MimeType) {
		return
	}
	if err := th.EnqueuePost(context.WithoutCancel(ctx), it.TenantID, it.ID); err != nil && th.Log != nil {
		th.Log.Warn("thumbnail job not enqueued; the sweeper retries", "item", it.ID, "err", err)
	}
}

// SweepBatch is how many versions and how many items one Sweep looks at
// (at most; the rest waits for the next round).
const SweepBatch = 200

// Sweep looks at up to limit versions and limit Posteingang items (0:
// SweepBatch) whose thumbnail is still ausstehend after age, oldest first:
// a PDF or image gets its job (idempotent: a job still queued is not
// doubled) and becomes eingereiht, anything else becomes keine. It returns
// how many jobs it enqueued and how many it marked keine.
func (th *ThumbJobs) Sweep(ctx context.Context, age time.Duration, limit int) (enqueued, none int, err error) {
	if limit <= 0 {
		limit = SweepBatch
	}
	before := th.Svc.Now().Add(-age)
	vs, err := th.Svc.PendingMiniaturen(ctx, before, limit)
	if err != nil {
		return 0, 0, err
	}
	for _, v := range vs {
		if !WantsThumb(v.MimeType) {
			if err := th.Svc.MarkMiniatur(ctx, v.DokumentID, v.Nummer, records.MiniaturKeine); err != nil {
				return enqueued, none, err
			}
			none++
			continue
		}
		// enqueue first: a crash before the mark only means another
		// (idempotent) enqueue in the next round
		if err := th.Enqueue(ctx, v.TenantID, v.DokumentID, v.Nummer); err != nil {
			return enqueued, none, err
		}
		if err := th.Svc.MarkMiniatur(ctx, v.DokumentID, v.Nummer, records.MiniaturEingereiht); err != nil {
			return enqueued, none, err
		}
		enqueued++
	}
	items, err := th.Svc.PendingPostMiniaturen(ctx, before, limit)
	if err != nil {
		return enqueued, none, err
	}
	for _, it := range items {
		if !WantsThumb(it.MimeType) {
			if err := th.Svc.SavePostMiniatur(ctx, it.ID, "", records.MiniaturKeine); err != nil {
				return enqueued, none, err
			}
			none++
			continue
		}
		if err := th.EnqueuePost(ctx, it.TenantID, it.ID); err != nil {
			return enqueued, none, err
		}
		if err := th.Svc.SavePostMiniatur(ctx, it.ID, "", records.MiniaturEingereiht); err != nil {
			return enqueued, none, err
		}
		enqueued++
	}
	return enqueued, none, nil
}

func (th *ThumbJobs) run(ctx context.Context, job *jobs.Job) error {
	var pl thumbPayload
	if err := job.Decode(&pl); err != nil || (pl.Item == "" && (pl.Dokument == "" || pl.Version < 1)) {
		return jobs.Permanent(fmt.Errorf("bad payload %s: %v", job.Payload, err))
	}
	if pl.Item != "" {
		return th.MakePost(ctx, pl.Item)
	}
	return th.Make(ctx, pl.Dokument, pl.Version)
}

// Make renders and stores the thumbnail of one version now (the job's
// work; tests call it directly). Content that cannot give a thumbnail is
// not an error: the version stays without one (state keine). Errors are
// what a retry may cure (missing tool, timeout, database or blob store).
func (th *ThumbJobs) Make(ctx context.Context, dokumentID string, version int) error {
	mark := func(status string) error { return th.Svc.MarkMiniatur(ctx, dokumentID, version, status) }
	ver, f, err := th.Svc.VersionContent(ctx, dokumentID, version)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			_ = mark(records.MiniaturKeine) // the version may be gone too
			return jobs.Permanent(err)
		}
		return err
	}
	defer f.Close()
	return th.finish(ctx, f, ver.MimeType, "dokument", dokumentID, mark, func(sha string) error {
		return th.Svc.SaveMiniatur(ctx, dokumentID, version, sha)
	})
}

// finish renders the thumbnail of an open content, stores it and saves
// its hash; mark records the state when there is no thumbnail (keine) or
// the attempt failed and the queue owns the retry (eingereiht).
func (th *ThumbJobs) finish(ctx context.Context, f io.Reader, mime, kind, id string, mark func(string) error, save func(sha string) error) error {
	png, err := th.render(ctx, f, mime, kind, id)
	if err != nil {
		if merr := mark(records.MiniaturEingereiht); merr != nil && th.Log != nil {
			th.Log.Warn("thumbnail state not recorded", kind, id, "err", merr)
		}
		return err
	}
	if png == nil {
		return mark(records.MiniaturKeine)
	}
	sha, err := th.Svc.StoreDerived(ctx, bytes.NewReader(png))
	if err != nil {
		return err
	}
	return save(sha)
}

// MakePost renders and stores the thumbnail of a Posteingang item now.
func (th *ThumbJobs) MakePost(ctx context.Context, itemID string) error {
	mark := func(status string) error { return th.Svc.SavePostMiniatur(ctx, itemID, "", status) }
	it, f, err := th.Svc.OpenPostSystem(ctx, itemID)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			_ = mark(records.MiniaturKeine)
			return jobs.Permanent(err)
		}
		return err
	}
	defer f.Close()
	return th.finish(ctx, f, it.MimeType, "item", itemID, mark, func(sha string) error {
		return th.Svc.SavePostMiniatur(ctx, itemID, sha, records.MiniaturErstellt)
	})
}

// render makes the PNG; nil without error when the content cannot give
// one (not a PDF or image, corrupt, encrypted, too large).
func (th *ThumbJobs) render(ctx context.Context, f io.Reader, mimeType, what, id string) ([]byte, error) {
	if !WantsThumb(mimeType) {
		return nil, nil
	}
	opts := th.Thumb
	opts.Tools = th.Tools
	png, err := extract.Thumbnail(ctx, f, mimeType, opts)
	if err != nil {
		if !extract.Retryable(err) {
			if th.Log != nil {
				th.Log.Info("no thumbnail", what, id, "reason", extract.Reason(err))
			}
			return nil, nil
		}
		return nil, err
	}
	return png, nil
}
