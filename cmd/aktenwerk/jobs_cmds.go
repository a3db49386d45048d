package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"aktenwerk/internal/config"
	"aktenwerk/internal/intake"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
)

func init() {
	// the longer names first: the first command whose words begin the
	// arguments wins
	moreCommands = append(moreCommands,
		command{"jobs retry", "gescheiterten Auftrag erneut einreihen: --id ID", cmdJobsRetry},
		command{"jobs discard", "gescheiterten Auftrag verwerfen: --id ID", cmdJobsDiscard},
		command{"jobs", "Hintergrundaufträge: Übersicht je Art und Zustand, mit --tot die Liste der gescheiterten", cmdJobs},
	)
}

// jobsOf opens the job queue on the service's database (log: nil for the
// CLI's quiet default).
func jobsOf(svc *records.Service, log *slog.Logger) (*jobs.Store, error) {
	db, ok := svc.Store().(jobs.DB)
	if !ok {
		return nil, fmt.Errorf("die Datenbank unterstützt keine Hintergrundaufträge")
	}
	return jobs.New(db, jobs.Options{Logger: log})
}

// startJobs runs the job runner with the handlers of every area (text
// recognition, Posteingang, thumbnails; intake.Workers) and the sweepers
// of lost or missing jobs every minute; the channel closes when the runner
// stopped.
func startJobs(ctx context.Context, svc *records.Service, q *jobs.Store, log *slog.Logger) (<-chan struct{}, error) {
	r := q.NewRunner(jobs.RunnerOptions{})
	w := intake.NewWorkers(svc, q, log)
	if err := w.Register(r); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := r.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("job runner stopped", "err", err)
		}
	}()
	go w.RunSweepers(ctx, time.Minute, 2*time.Minute)
	return done, nil
}

func cmdJobs(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("jobs", "[--tot] [--art KIND]")
	st.Register(fs)
	dead := fs.Bool("tot", false, "gescheiterte Aufträge (Dead Letters) mit ihrem letzten Fehler auflisten")
	kind := fs.String("art", "", "nur Aufträge dieser Art, z. B. "+intake.KindText)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		q, err := jobsOf(svc, nil)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		defer tw.Flush()
		if !*dead {
			stats, err := q.Stats(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintln(tw, "ART\tWARTEND\tWIEDERHOLUNG\tLAUFEND\tGESCHEITERT")
			for _, s := range stats {
				if *kind != "" && s.Kind != *kind {
					continue
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", s.Kind, s.Queued, s.Failed, s.Running, s.Dead)
			}
			return nil
		}
		fmt.Fprintln(tw, "ID\tART\tVERSUCHE\tGESCHEITERT AM\tLETZTER FEHLER\tAUFTRAG")
		after := ""
		for {
			list, err := q.ListDead(ctx, *kind, after, 500)
			if err != nil {
				return err
			}
			for _, j := range list {
				at := ""
				if j.DeadAt != nil {
					at = j.DeadAt.Local().Format("02.01.2006 15:04:05")
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", j.ID, j.Kind, j.Attempt, at, oneLine(j.LastError), oneLine(string(j.Payload)))
				after = j.ID
			}
			if len(list) < 500 {
				return nil
			}
		}
	})
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:119]) + "…"
	}
	return s
}

func jobCommand(ctx context.Context, name string, args []string, out io.Writer, fn func(q *jobs.Store, id string) error, done string) error {
	var st config.Storage
	fs := newFlags(name, "--id ID")
	st.Register(fs)
	id := fs.String("id", "", "Kennung des Auftrags (aus aktenwerk jobs --tot)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "id"); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		q, err := jobsOf(svc, nil)
		if err != nil {
			return err
		}
		if err := fn(q, *id); err != nil {
			return err
		}
		fmt.Fprintf(out, "Auftrag %s %s.\n", *id, done)
		return nil
	})
}

func cmdJobsRetry(ctx context.Context, args []string, out io.Writer) error {
	return jobCommand(ctx, "jobs retry", args, out, func(q *jobs.Store, id string) error { return q.Retry(ctx, id) }, "wird erneut ausgeführt")
}

func cmdJobsDiscard(ctx context.Context, args []string, out io.Writer) error {
	return jobCommand(ctx, "jobs discard", args, out, func(q *jobs.Store, id string) error { return q.Discard(ctx, id) }, "wurde verworfen")
}
