package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"aktenwerk/internal/bench"
)

// cmdBench runs the whole-system benchmark on fresh stores: progress on
// stderr, the Markdown report on stdout (and into --out).
func cmdBench(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("bench", "[--backend sqlite|postgres|both] [--postgres DSN] [--uploads N] [--akten 1000,10000,100000] [--out docs/benchmarks.md]")
	backend := fs.String("backend", "", "sqlite, postgres oder both (Standard: both, wenn eine PostgreSQL-DSN bekannt ist, sonst sqlite)")
	dsn := fs.String("postgres", envOr("AKTENWERK_TEST_POSTGRES", os.Getenv("AKTENWERK_DATABASE_URL")),
		"PostgreSQL-Datenbank, in der ein frisches Schema angelegt und danach gelöscht wird (env AKTENWERK_TEST_POSTGRES oder AKTENWERK_DATABASE_URL)")
	uploads := fs.Int("uploads", 500, "hochgeladene Dokumente je Parallelität (und ebenso viele für die Rohmessung)")
	conc := fs.String("concurrency", "1,4", "Anzahl paralleler Clients beim Hochladen, kommagetrennt")
	size := fs.Int("size", 10<<10, "Größe eines hochgeladenen Dokuments in Bytes")
	dokumente := fs.Int("dokumente", 1000, "Dokumente im Vorgang für die Latenzmessung")
	akten := fs.String("akten", "1000,10000,100000", "Akten je Mandant, bei denen gemessen wird (kommagetrennt, aufsteigend)")
	samples := fs.Int("samples", 300, "gemessene Anfragen je Messreihe")
	warmup := fs.Int("warmup", 30, "ungemessene Anfragen vor jeder Messreihe")
	dir := fs.String("dir", "", "Verzeichnis für die temporären Daten (Standard: System-Temp); es muss auf dem zu messenden Datenträger liegen")
	profile := fs.String("profile", "", "Verzeichnis für CPU-Profile der Upload-Läufe (upload-BACKEND-cN.pprof, auszuwerten mit go tool pprof)")
	outFile := fs.String("out", "", "Bericht zusätzlich in diese Markdown-Datei schreiben (zwischen den Markierungen <!-- bench:begin … --> und <!-- bench:end -->, Text außerhalb bleibt erhalten)")
	if err := parse(fs, args); err != nil {
		return err
	}
	steps, err := intList(*akten)
	if err != nil {
		fmt.Fprintf(fs.Output(), "--akten: %v\n", err)
		return errUsage
	}
	levels, err := intList(*conc)
	if err != nil {
		fmt.Fprintf(fs.Output(), "--concurrency: %v\n", err)
		return errUsage
	}
	var backends []string
	switch *backend {
	case "":
		backends = []string{"sqlite"}
		if *dsn != "" {
			backends = append(backends, "postgres")
		} else {
			fmt.Fprintln(os.Stderr, "Hinweis: keine PostgreSQL-DSN (--postgres oder AKTENWERK_TEST_POSTGRES) – nur SQLite wird gemessen.")
		}
	case "sqlite", "postgres":
		backends = []string{*backend}
	case "both":
		backends = []string{"sqlite", "postgres"}
	default:
		fmt.Fprintf(fs.Output(), "--backend: sqlite, postgres oder both, nicht %q\n", *backend)
		return errUsage
	}
	for _, b := range backends {
		if b == "postgres" && *dsn == "" {
			fmt.Fprintln(fs.Output(), "PostgreSQL braucht --postgres postgres://… (oder AKTENWERK_TEST_POSTGRES / AKTENWERK_DATABASE_URL)")
			return errUsage
		}
	}

	var reps []bench.Report
	for _, b := range backends {
		o := bench.Options{Backend: b, Dir: *dir, Uploads: *uploads, Concurrency: levels, DocSize: *size,
			Dokumente: *dokumente, AktenSteps: steps, Samples: *samples, Warmup: *warmup, ProfileDir: *profile}
		if b == "postgres" {
			o.PostgresDSN = *dsn
		}
		rep, err := bench.Run(ctx, o, os.Stderr)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	md := bench.Merge(reps...).Markdown()
	if _, err := io.WriteString(out, md); err != nil {
		return err
	}
	if *outFile != "" {
		if err := bench.UpdateDocument(*outFile, md); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Bericht geschrieben: %s\n", *outFile)
	}
	return nil
}

// intList parses "1000,10000,100000" (underscores allowed: 100_000).
func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.ReplaceAll(strings.TrimSpace(f), "_", "")
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q ist keine positive ganze Zahl", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("leere Liste")
	}
	return out, nil
}
