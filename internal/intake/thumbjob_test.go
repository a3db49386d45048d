package intake_test

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"testing"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/demo"
	"aktenwerk/internal/intake"
	"aktenwerk/internal/intake/extract"
	"aktenwerk/internal/jobs"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/testutil"
)

// thumbPipeline is a records service whose job runner makes thumbnails
// only (no text recognition), with the given tools.
func thumbPipeline(t *testing.T, b storetest.Backend, tools *extract.Tools) (*storetest.Fixture, *jobs.Store, records.Vorgang) {
	f, q, vg, _ := thumbPipelineJobs(t, b, tools)
	return f, q, vg
}

func thumbPipelineJobs(t *testing.T, b storetest.Backend, tools *extract.Tools) (*storetest.Fixture, *jobs.Store, records.Vorgang, *intake.ThumbJobs) {
	t.Helper()
	f := storetest.NewFixture(t, b.Open)
	q, err := jobs.New(f.DB, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	th := &intake.ThumbJobs{Svc: f.Svc, Queue: q, Tools: tools, Thumb: extract.ThumbOptions{TempDir: t.TempDir()}, MaxAttempts: 2,
		Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
	r := q.NewRunner(jobs.RunnerOptions{PollInterval: 20 * time.Millisecond})
	if err := th.Register(r); err != nil {
		t.Fatal(err)
	}
	f.Svc.SetOnVersion(th.OnVersion)
	f.Svc.SetOnPost(th.OnPost)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	plan := f.Plan(t, f.Anna, "511", "Kindertagesbetreuung")
	akte := f.Akte(t, f.Anna, plan.ID, "Förderung")
	return f, q, f.Vorgang(t, f.Anna, akte.ID, "Anträge 2026"), th
}

// thumbsIdle waits until no thumbnail job is queued, waiting for a retry
// or running.
func thumbsIdle(t *testing.T, q *jobs.Store) jobs.KindStats {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		stats, err := q.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var s jobs.KindStats
		for _, x := range stats {
			if x.Kind == intake.KindThumb {
				s = x
			}
		}
		if s.Queued+s.Failed+s.Running == 0 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("thumbnail jobs never finished: %+v", s)
		}
	}
}

func thumbWidth(t *testing.T, f *storetest.Fixture, id string) int {
	t.Helper()
	_, fh, err := f.Svc.OpenMiniatur(context.Background(), f.Anna, id)
	if apperr.KindOf(err) == apperr.KindNotFound {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	b, err := io.ReadAll(fh)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("thumbnail of %s is no PNG: %v", id, err)
	}
	return img.Bounds().Dx()
}

// TestThumbJobs: new versions enqueue the job; a PDF (real pdftoppm) and an
// image get a 160 px PNG, a corrupt PDF and a text file none, and nothing
// of it is retried or dead.
func TestThumbJobs(t *testing.T) {
	pdftoppm := testutil.NeedTool(t, "pdftoppm")
	tools := &extract.Tools{All: []extract.Tool{{Name: extract.ToolPdftoppm, Path: pdftoppm, Available: true}}}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f, q, vg, th := thumbPipelineJobs(t, b, tools)
			pdf, _ := f.Dokument(t, f.Anna, vg.ID, "Bescheid", "bescheid.pdf", demo.TextPDF("Bescheid", "Die Förderung wird bewilligt."))
			scan, _ := f.Dokument(t, f.Anna, vg.ID, "Scan", "scan.png", renderPNG(t, "Antrag auf Förderung"))
			kaputt, _ := f.Dokument(t, f.Anna, vg.ID, "Kaputt", "kaputt.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage"))
			text, _ := f.Dokument(t, f.Anna, vg.ID, "Vermerk", "vermerk.txt", []byte("Vermerk"))
			s := thumbsIdle(t, q)
			if s.Dead != 0 {
				t.Errorf("dead thumbnail jobs: %+v", s)
			}
			for _, c := range []struct {
				d records.Dokument
				w int
			}{{pdf, 160}, {scan, 160}, {kaputt, 0}, {text, 0}} {
				if got := thumbWidth(t, f, c.d.ID); got != c.w {
					t.Errorf("%s: thumbnail width %d, want %d", c.d.Betreff, got, c.w)
				}
			}
			d, err := f.Svc.GetDokument(context.Background(), f.Anna, pdf.ID)
			if err != nil || !d.Miniatur {
				t.Errorf("Dokument.Miniatur: %v %v", d.Miniatur, err)
			}
			// the jobs left final states: the sweeper only marks the text
			// file (no job for it), and then finds nothing
			f.Clock.Advance(time.Second)
			wantSweep(t, th, 1, 0, 1)
			wantSweep(t, th, 1, 0, 0)
		})
	}
}

// TestThumbJobsToolMissing: without pdftoppm a PDF gets no thumbnail (the
// job is retried, then dead: visible to operators), an image still gets
// one, and nothing crashes.
func TestThumbJobsToolMissing(t *testing.T) {
	f, q, vg, th := thumbPipelineJobs(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite}, &extract.Tools{})
	pdf, _ := f.Dokument(t, f.Anna, vg.ID, "Bescheid", "bescheid.pdf", demo.TextPDF("Bescheid", "Text"))
	scan, _ := f.Dokument(t, f.Anna, vg.ID, "Scan", "scan.png", renderPNG(t, "Antrag"))
	if s := thumbsIdle(t, q); s.Dead != 1 {
		t.Errorf("want the PDF's job dead after its retries: %+v", s)
	}
	if w := thumbWidth(t, f, pdf.ID); w != 0 {
		t.Errorf("PDF thumbnail without pdftoppm: %d", w)
	}
	if w := thumbWidth(t, f, scan.ID); w != 160 {
		t.Errorf("image thumbnail: %d", w)
	}
	// the dead job is the operators' (Aufträge): the sweeper does not
	// enqueue it again and again
	f.Clock.Advance(time.Second)
	wantSweep(t, th, 1, 0, 0)
	if s := thumbsIdle(t, q); s.Dead != 1 || s.Queued != 0 {
		t.Errorf("after the sweep: %+v", s)
	}
}

func wantSweep(t *testing.T, th *intake.ThumbJobs, limit, enqueued, none int) {
	t.Helper()
	n, k, err := th.Sweep(context.Background(), 0, limit)
	if err != nil || n != enqueued || k != none {
		t.Fatalf("sweep (limit %d): %d enqueued, %d none, %v; want %d, %d", limit, n, k, err, enqueued, none)
	}
}

// TestThumbSweep: versions and Posteingang items whose job was lost (here:
// no hooks, as after a crash between commit and enqueue, or stored before
// thumbnails existed) are found by the sweeper in bounded batches, only
// once they are older than the given age; PDFs and images get their
// thumbnails, other types are marked without a job; nothing is swept twice.
func TestThumbSweep(t *testing.T) {
	pdftoppm := testutil.NeedTool(t, "pdftoppm")
	tools := &extract.Tools{All: []extract.Tool{{Name: extract.ToolPdftoppm, Path: pdftoppm, Available: true}}}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			f, q, vg, th := thumbPipelineJobs(t, b, tools)
			f.Svc.SetOnVersion(nil)
			f.Svc.SetOnPost(nil)
			pdf, _ := f.Dokument(t, f.Anna, vg.ID, "Bescheid", "bescheid.pdf", demo.TextPDF("Bescheid", "Die Förderung wird bewilligt."))
			f.Clock.Advance(time.Millisecond)
			scan, _ := f.Dokument(t, f.Anna, vg.ID, "Scan", "scan.png", renderPNG(t, "Antrag auf Förderung"))
			f.Clock.Advance(time.Millisecond)
			text, _ := f.Dokument(t, f.Anna, vg.ID, "Vermerk", "vermerk.txt", []byte("Vermerk"))
			sys, err := f.Svc.SystemPrincipal(ctx, "TFM")
			if err != nil {
				t.Fatal(err)
			}
			item := func(name string, data []byte) records.PostItem {
				t.Helper()
				c, err := f.Svc.StoreContent(ctx, sys, bytes.NewReader(data), name)
				if err != nil {
					t.Fatal(err)
				}
				it, _, err := f.Svc.ReceivePost(ctx, sys, records.PostIn{Quelle: records.QuelleUpload, Content: c})
				if err != nil {
					t.Fatal(err)
				}
				f.Clock.Advance(time.Millisecond)
				return it
			}
			brief := item("eingang.pdf", demo.TextPDF("Eingang", "Sehr geehrte Damen und Herren"))
			notiz := item("notiz.txt", []byte("Notiz"))
			if s := thumbsIdle(t, q); s.Queued+s.Dead != 0 {
				t.Fatalf("jobs without hooks: %+v", s)
			}
			// younger than the age: left alone
			if n, k, err := th.Sweep(ctx, time.Hour, 0); err != nil || n+k != 0 {
				t.Fatalf("sweep of young work: %d %d %v", n, k, err)
			}
			f.Clock.Advance(time.Second)
			// batches of 2: the PDF and the image, then the item and the note
			wantSweep(t, th, 2, 3, 1)
			wantSweep(t, th, 2, 0, 1) // the text version
			wantSweep(t, th, 2, 0, 0)
			if s := thumbsIdle(t, q); s.Dead != 0 {
				t.Errorf("dead thumbnail jobs: %+v", s)
			}
			for _, c := range []struct {
				d records.Dokument
				w int
			}{{pdf, 160}, {scan, 160}, {text, 0}} {
				if got := thumbWidth(t, f, c.d.ID); got != c.w {
					t.Errorf("%s: thumbnail width %d, want %d", c.d.Betreff, got, c.w)
				}
			}
			_, fh, err := f.Svc.OpenPostMiniatur(ctx, f.Anna, brief.ID)
			if err != nil {
				t.Fatalf("item thumbnail: %v", err)
			}
			img, err := png.Decode(fh)
			fh.Close()
			if err != nil || img.Bounds().Dx() != 160 {
				t.Errorf("item thumbnail: %v %v", img, err)
			}
			if _, _, err := f.Svc.OpenPostMiniatur(ctx, f.Anna, notiz.ID); apperr.KindOf(err) != apperr.KindNotFound {
				t.Errorf("text item thumbnail: %v", err)
			}
			// with the hook, a new item gets its thumbnail without the sweeper
			f.Svc.SetOnPost(th.OnPost)
			neu := item("zweites.png", renderPNG(t, "Zweiter Eingang"))
			thumbsIdle(t, q)
			f.Clock.Advance(time.Second)
			if it, err := f.Svc.GetPost(ctx, f.Anna, neu.ID); err != nil || it.MiniaturSHA256 == "" {
				t.Errorf("item by the hook: %v %v", it.MiniaturSHA256, err)
			}
			wantSweep(t, th, 2, 0, 0)
		})
	}
}
