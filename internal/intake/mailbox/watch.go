package mailbox

import (
	"context"
	"log/slog"
	"time"
)

// WatchOption configures Watch.
type WatchOption func(*watchOptions)

type watchOptions struct {
	logger *slog.Logger
	after  func(Result, error)
}

// WithLogger sets the logger of Watch (default slog.Default()). The
// configuration is logged without its password.
func WithLogger(l *slog.Logger) WatchOption {
	return func(o *watchOptions) { o.logger = l }
}

// WithAfterPoll calls f after every poll of Watch with its result (status
// page, metrics).
func WithAfterPoll(f func(Result, error)) WatchOption {
	return func(o *watchOptions) { o.after = f }
}

// DefaultWatchInterval is used when Watch gets an interval ≤ 0.
const DefaultWatchInterval = time.Minute

// Watch polls cfg every interval until ctx ends, and returns ctx's error
// then. When a poll stopped at MaxPerPoll, the next one starts at once.
// Errors are logged and retried at the next interval; they never end the
// loop. For a cluster, run Watch on one node only (or schedule Poll as a
// job): two pollers of one mailbox are safe, since the Sink dedupes, but do
// the work twice.
func Watch(ctx context.Context, cfg Config, sink Sink, interval time.Duration, opts ...WatchOption) error {
	o := watchOptions{logger: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	log := o.logger.With(slog.Any("mailbox", cfg.withDefaults()))
	if err := cfg.Validate(); err != nil {
		log.Error("mailbox watch not started", slog.Any("error", redact(err, cfg.Password)))
		return err
	}
	log.Info("mailbox watch started", slog.Duration("interval", interval))
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			log.Info("mailbox watch stopped")
			return ctx.Err()
		case <-timer.C:
		}
		res, err := Poll(ctx, cfg, sink)
		attrs := []any{slog.Int("imported", res.Imported), slog.Int("failed", res.Failed)}
		for _, e := range res.Errors {
			log.Warn("mailbox message not imported", slog.Any("error", e))
		}
		next := interval
		switch {
		case err != nil && ctx.Err() != nil:
			// stopping; reported above
		case err != nil:
			log.Error("mailbox poll failed", append(attrs, slog.Any("error", err))...)
		case res.Imported > 0 || res.Failed > 0:
			log.Info("mailbox polled", attrs...)
			if res.Remaining && res.Imported > 0 {
				next = 0
			}
		default:
			log.Debug("mailbox polled", attrs...)
		}
		if o.after != nil {
			o.after(res, err)
		}
		timer.Reset(next)
	}
}
