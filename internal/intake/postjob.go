package intake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// KindPost is the job kind of recognising a Posteingang item: its text
// (for suggestions and preview), and for a mail its headers and
// attachments, each stored as a blob of its own.
const KindPost = "posteingang.erkennen"

// MaxPostAttachments is how many attachments of a mail become Dokumente of
// their own; the rest stay in the original .eml (the item says so).
const MaxPostAttachments = 100

type postPayload struct {
	Item string `json:"item"`
}

// RegisterPost adds the Posteingang handler to a runner.
func (tj *TextJobs) RegisterPost(r *jobs.Runner) error {
	n := tj.MaxAttempts
	if n <= 0 {
		n = 5
	}
	return r.Handle(KindPost, tj.runPost, jobs.KindOptions{Concurrency: 1, MaxAttempts: n, Timeout: 20 * time.Minute, Backoff: tj.Backoff})
}

// OnPost is the records hook: recognise each new item.
func (tj *TextJobs) OnPost(ctx context.Context, it records.PostItem) {
	if err := tj.EnqueuePost(context.WithoutCancel(ctx), it.TenantID, it.ID); err != nil && tj.Log != nil {
		tj.Log.Warn("post job not enqueued; the sweeper retries", "item", it.ID, "err", err)
	}
}

// EnqueuePost asks for the recognition of an item of a tenant (idempotent).
func (tj *TextJobs) EnqueuePost(ctx context.Context, tenantID, id string) error {
	_, err := tj.Queue.Enqueue(ctx, KindPost, postPayload{Item: id}, jobs.Unique(KindPost+":"+id), jobs.Tenant(tenantID))
	return err
}

// SweepPost enqueues items still waiting for recognition after age.
func (tj *TextJobs) SweepPost(ctx context.Context, age time.Duration) (int, error) {
	items, err := tj.Svc.PostAwaitingText(ctx, time.Now().Add(-age), 500)
	if err != nil {
		return 0, err
	}
	for i, it := range items {
		if err := tj.EnqueuePost(ctx, it.TenantID, it.ID); err != nil {
			return i, err
		}
	}
	return len(items), nil
}

func (tj *TextJobs) runPost(ctx context.Context, job *jobs.Job) error {
	var pl postPayload
	if err := job.Decode(&pl); err != nil || pl.Item == "" {
		return jobs.Permanent(fmt.Errorf("bad payload %s: %v", job.Payload, err))
	}
	it, f, err := tj.Svc.OpenPostSystem(ctx, pl.Item)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return jobs.Permanent(err)
		}
		return err
	}
	defer f.Close()
	work, err := os.MkdirTemp(tj.TempDir, "aktenwerk-post-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	opts := tj.Extract
	opts.Filename, opts.Tools, opts.TempDir = it.Dateiname, tj.Tools, work
	if opts.MaxAttachments == 0 {
		// each attachment becomes a Dokument: a mail with 50 attachments
		// is ordinary post, more are kept in the original
		opts.MaxAttachments = MaxPostAttachments
	}
	res, err := extract.Extract(ctx, f, it.MimeType, opts)
	if err != nil {
		status := records.TextFehlgeschlagen
		if errors.Is(err, extract.ErrUnsupported) {
			status = records.TextNichtUnterstuetzt
		}
		if serr := tj.Svc.SetPostRecognition(ctx, it.ID, records.PostRecognition{Status: status, Grund: extract.Reason(err)}); serr != nil {
			return serr
		}
		if !extract.Retryable(err) {
			return nil
		}
		return err
	}
	rec := records.PostRecognition{Status: records.TextErkannt, Text: res.Text, Grund: strings.Join(res.Warnings, "; ")}
	if m := res.Mail; m != nil {
		rec.Betreff, rec.Absender, rec.MessageID = m.Subject, m.From, m.MessageID
	}
	for i, a := range res.Attachments {
		name := a.Filename
		if name == "" {
			name = fmt.Sprintf("anhang-%d", i+1)
		}
		c, err := tj.Svc.StoreIntake(ctx, bytes.NewReader(a.Data), name)
		if e, ok := apperr.As(err); ok {
			// empty or executable: not taken over, but said
			rec.Grund = strings.TrimPrefix(rec.Grund+"; Anhang "+name+" nicht übernommen: "+e.Message, "; ")
			continue
		}
		if err != nil {
			return err
		}
		rec.Anhaenge = append(rec.Anhaenge, records.PostAnhang{Nr: len(rec.Anhaenge) + 1, Dateiname: c.Dateiname, SHA256: c.SHA256, Size: c.Size, MimeType: c.MimeType})
	}
	return tj.Svc.SetPostRecognition(ctx, it.ID, rec)
}
