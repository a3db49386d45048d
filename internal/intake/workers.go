package intake

import (
	"context"
	"log/slog"
	"time"

	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

// Workers is the background work of this package as "aktenwerk serve"
// runs it: text recognition of versions, recognition of Posteingang items
// and thumbnails, registered on one job runner, with the records hooks
// that enqueue them and the sweepers that find lost jobs. Tests that want
// the server's behaviour use the same wiring.
type Workers struct {
	Text  *TextJobs
	Thumb *ThumbJobs
	Log   *slog.Logger
}

// NewWorkers returns the workers of svc on queue q (their options can be
// changed before Register).
func NewWorkers(svc *records.Service, q *jobs.Store, log *slog.Logger) *Workers {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Workers{
		Text:  &TextJobs{Svc: svc, Queue: q, Log: log},
		Thumb: &ThumbJobs{Svc: svc, Queue: q, Log: log},
		Log:   log,
	}
}

// Register adds every handler to r and sets the service's hooks.
func (w *Workers) Register(r *jobs.Runner) error {
	if err := w.Text.Register(r); err != nil {
		return err
	}
	if err := w.Text.RegisterPost(r); err != nil {
		return err
	}
	if err := w.Thumb.Register(r); err != nil {
		return err
	}
	svc := w.Text.Svc
	svc.SetOnVersion(func(ctx context.Context, v records.Version) {
		w.Text.OnVersion(ctx, v)
		w.Thumb.OnVersion(ctx, v)
	})
	svc.SetOnPost(func(ctx context.Context, it records.PostItem) {
		w.Text.OnPost(ctx, it)
		w.Thumb.OnPost(ctx, it)
	})
	return nil
}

// SweepOnce runs every sweeper once for work older than age and logs what
// it did.
func (w *Workers) SweepOnce(ctx context.Context, age time.Duration) {
	if n, err := w.Text.Sweep(ctx, age); err != nil && ctx.Err() == nil {
		w.Log.Warn("text job sweeper", "err", err)
	} else if n > 0 {
		w.Log.Info("text jobs enqueued again", "count", n)
	}
	if n, err := w.Text.SweepPost(ctx, age); err != nil && ctx.Err() == nil {
		w.Log.Warn("post job sweeper", "err", err)
	} else if n > 0 {
		w.Log.Info("post jobs enqueued again", "count", n)
	}
	if n, none, err := w.Thumb.Sweep(ctx, age, SweepBatch); err != nil && ctx.Err() == nil {
		w.Log.Warn("thumbnail sweeper", "err", err)
	} else if n+none > 0 {
		w.Log.Info("thumbnails swept", "enqueued", n, "none_possible", none)
	}
}

// RunSweepers runs SweepOnce at once and then every interval until ctx
// ends.
func (w *Workers) RunSweepers(ctx context.Context, interval, age time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		w.SweepOnce(ctx, age)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
