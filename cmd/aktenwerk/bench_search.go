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

// The search benchmark is "bench-search", not "bench search": commands are
// matched in list order and the built-in "bench" comes first, so it would
// take "bench search" as "bench" with an unexpected argument.
func init() {
	moreCommands = append(moreCommands,
		command{"bench-search", "Volltextsuche messen: Korpus laden, Anfragen über die Suchschicht und roh an der Engine", cmdBenchSearch})
}

// cmdBenchSearch runs the search benchmark on fresh stores: progress on
// stderr, the Markdown report on stdout (and into --out / --json).
func cmdBenchSearch(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("bench-search", "[--backend sqlite|postgres|both] [--postgres DSN] [--docs 1000000] [--queries 20] [--rounds 2] [--service-index N] [--data DIR] [--keep] [--reuse SCHEMA|FILE] [--out FILE] [--json FILE]")
	backend := fs.String("backend", "", "sqlite, postgres oder both (Standard: both, wenn eine PostgreSQL-DSN bekannt ist, sonst sqlite)")
	dsn := fs.String("postgres", envOr("AKTENWERK_TEST_POSTGRES", os.Getenv("AKTENWERK_DATABASE_URL")),
		"PostgreSQL-Datenbank, in der ein frisches Schema angelegt und danach gelöscht wird (env AKTENWERK_TEST_POSTGRES oder AKTENWERK_DATABASE_URL)")
	docs := fs.String("docs", "1000000", "Dokumente des Korpus (Unterstriche erlaubt: 1_000_000)")
	queries := fs.Int("queries", 20, "Anfragen je Klasse (Wort selten/mittel/häufig, Phrase, Präfix, Facette, Feld)")
	rounds := fs.Int("rounds", 2, "gemessene Durchläufe über alle Anfragen (nach einem ungemessenen)")
	batch := fs.Int("batch", 1000, "Dokumente je Schreibtransaktion beim Laden")
	sample := fs.Int("sample", 20000, "Dokumente, aus denen die Anfragen gezogen werden (und an denen die Analyse allein gemessen wird)")
	seed := fs.Uint64("seed", 1, "Startwert des Korpus und der Anfragenauswahl")
	dir := fs.String("data", "", "Verzeichnis für die temporären Daten (Standard: System-Temp); es muss auf dem zu messenden Datenträger liegen")
	profile := fs.String("profile", "", "Verzeichnis für CPU-Profile (search-BACKEND-load.pprof, search-BACKEND-queries.pprof)")
	serviceIndex := fs.String("service-index", "0", "nur so viele Dokumente über Tx.ReplaceSearchDocs indexieren (gemessener Pfad), den Rest mit mehrzeiligen INSERTs derselben Zeilen (0: alle über ReplaceSearchDocs)")
	reuse := fs.String("reuse", "", "mit --keep behaltene Daten erneut messen statt zu laden: PostgreSQL-Schema (awbench_…) bzw. SQLite-Datei; nur mit einem --backend")
	keep := fs.Bool("keep", false, "Daten (Verzeichnis bzw. Schema) nach der Messung behalten, z. B. für EXPLAIN von Hand")
	outFile := fs.String("out", "", "Bericht zusätzlich in diese Markdown-Datei schreiben (überschreibt sie)")
	jsonFile := fs.String("json", "", "alle Zahlen (jede Anfrage) als JSON in diese Datei schreiben")
	if err := parse(fs, args); err != nil {
		return err
	}
	n, err := strconv.Atoi(strings.ReplaceAll(*docs, "_", ""))
	if err != nil || n <= 0 {
		fmt.Fprintf(fs.Output(), "--docs: %q ist keine positive ganze Zahl\n", *docs)
		return errUsage
	}
	si, err := strconv.Atoi(strings.ReplaceAll(*serviceIndex, "_", ""))
	if err != nil || si < 0 {
		fmt.Fprintf(fs.Output(), "--service-index: %q ist keine ganze Zahl ≥ 0\n", *serviceIndex)
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
	if *reuse != "" && len(backends) != 1 {
		fmt.Fprintln(fs.Output(), "--reuse braucht genau ein --backend (sqlite oder postgres)")
		return errUsage
	}
	var reps []bench.SearchReport
	for _, b := range backends {
		o := bench.SearchOptions{Backend: b, Dir: *dir, Docs: n, QueriesPerClass: *queries, Rounds: *rounds, Batch: *batch,
			SampleDocs: *sample, Seed: *seed, ProfileDir: *profile, Keep: *keep, ServiceIndexDocs: si, Reuse: *reuse}
		if b == "postgres" {
			o.PostgresDSN = *dsn
		}
		rep, err := bench.RunSearch(ctx, o, os.Stderr)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	rep := bench.MergeSearch(reps...)
	md := rep.Markdown()
	if _, err := io.WriteString(out, md); err != nil {
		return err
	}
	if *outFile != "" {
		if err := os.WriteFile(*outFile, []byte(md), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Bericht geschrieben: %s\n", *outFile)
	}
	if *jsonFile != "" {
		j, err := rep.JSON()
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonFile, j, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Zahlen geschrieben: %s\n", *jsonFile)
	}
	return nil
}
