package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"aktenwerk/internal/config"
	"aktenwerk/internal/records"
)

func init() {
	// "search reindex" before "search": the first command whose words
	// begin the arguments wins.
	moreCommands = append(moreCommands,
		command{"search reindex", "Suchindex neu aufbauen (alle Akten, Vorgänge, Dokumente)", cmdSearchReindex},
		command{"search", "Volltextsuche als Benutzer: \"Anfrage\" --tenant TFM --login anna [--format table|json]", cmdSearch},
	)
}

// parseInterspersed parses flags that may stand before or after the
// positional arguments (aktenwerk search "Kita*" --tenant TFM …).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

func cmdSearch(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("search", `"ANFRAGE" --tenant CODE --login LOGIN [--objekt akte|vorgang|dokument] [--typ TYP] [--jahr JJJJ] [--status offen|zda] [--limit N] [--format table|json]`)
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel) des suchenden Benutzers")
	login := fs.String("login", "", "Anmeldename des suchenden Benutzers: gefunden wird, was er sehen darf")
	objekt := fs.String("objekt", "", "nur akte, vorgang oder dokument")
	typ := fs.String("typ", "", "nur dieser Typ (Dokumenttyp, Akte, Vorgang)")
	jahr := fs.Int("jahr", 0, "nur Objekte mit Datum in diesem Jahr")
	status := fs.String("status", "", "nur offen oder zda")
	limit := fs.Int("limit", 20, "Treffer (1 bis 100)")
	cursor := fs.String("cursor", "", "weitere Treffer: der Cursor, den die vorige Ausgabe nennt")
	format := fs.String("format", "table", "Ausgabe: table oder json (wie GET /api/v1/suche)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if err := required(fs, "tenant", "login"); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintln(fs.Output(), "--format: table oder json")
		return errUsage
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		p, err := svc.UserPrincipal(ctx, *tenant, *login)
		if err != nil {
			return err
		}
		// objects changed since the server's indexer last ran (or without a
		// running server) are indexed first
		if _, err := svc.IndexPending(ctx, 10000); err != nil {
			return err
		}
		res, err := svc.Search(ctx, p, records.SearchRequest{Query: strings.Join(pos, " "), ObjectType: *objekt, Typ: *typ,
			Jahr: *jahr, Status: *status, Limit: *limit, Cursor: *cursor})
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(res)
		}
		printSearch(out, res)
		return nil
	})
}

func printSearch(out io.Writer, res records.SearchResult) {
	if res.Direkt != nil {
		fmt.Fprintf(out, "Aktenzeichen %s: %s %s\n\n", res.Direkt.Aktenzeichen, res.Direkt.ObjectType, res.Direkt.ID)
	}
	count := fmt.Sprint(res.Anzahl)
	if !res.AnzahlGenau {
		count = "mehr als " + count
	}
	fmt.Fprintf(out, "%s Treffer\n", count)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RELEVANZ\tART\tAKTENZEICHEN\tDATUM\tTYP\tTITEL")
	for _, h := range res.Items {
		datum := ""
		if h.Datum != nil {
			datum = *h.Datum
		}
		az := h.Aktenzeichen
		if h.Mandant != "" && !strings.HasPrefix(az, h.Mandant) {
			az += " (" + h.Mandant + ")"
		}
		fmt.Fprintf(tw, "%.2f\t%s\t%s\t%s\t%s\t%s\n", h.Relevanz, h.ObjectType, az, datum, h.Typ, h.Titel)
		if h.Ausschnitt != "" && h.Ausschnitt != h.Titel {
			fmt.Fprintf(tw, "\t\t\t\t\t  %s\n", h.Ausschnitt)
		}
	}
	tw.Flush()
	for k, vals := range res.Facetten {
		var parts []string
		for _, v := range vals {
			parts = append(parts, fmt.Sprintf("%s (%d)", v.Bezeichnung, v.Anzahl))
		}
		if len(parts) > 0 {
			fmt.Fprintf(out, "%s: %s\n", k, strings.Join(parts, ", "))
		}
	}
	if res.NextCursor != nil {
		fmt.Fprintf(out, "weitere Treffer: --cursor %s\n", *res.NextCursor)
	}
}

func cmdSearchReindex(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("search reindex", "[--nur-markieren]")
	st.Register(fs)
	markOnly := fs.Bool("nur-markieren", false, "nur vormerken; den Aufbau übernimmt der laufende Server im Hintergrund")
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		n, err := svc.Reindex(ctx)
		if err != nil {
			return err
		}
		akten := "Akten"
		if n == 1 {
			akten = "Akte"
		}
		fmt.Fprintf(out, "%d %s mit ihren Vorgängen und Dokumenten zum Neuaufbau vorgemerkt.\n", n, akten)
		if *markOnly {
			return nil
		}
		total := 0
		for {
			k, err := svc.IndexPending(ctx, 5000)
			total += k
			if err != nil {
				return err
			}
			if k < 5000 {
				break
			}
			fmt.Fprintf(out, "… %d Objekte indiziert\n", total)
		}
		rows, pending, err := svc.SearchStats(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Fertig: %d Objekte indiziert, %d Indexzeilen, %d noch vorgemerkt.\n", total, rows, pending)
		return nil
	})
}
