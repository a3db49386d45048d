package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"aktenwerk/internal/config"
	"aktenwerk/internal/demo"
	"aktenwerk/internal/records"
)

func cmdDemo(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("demo", "[--data DIR]")
	st.Register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	return withService(ctx, &st, func(svc *records.Service) error {
		return loadDemo(ctx, svc, out)
	})
}

func loadDemo(ctx context.Context, svc *records.Service, out io.Writer) error {
	start := time.Now()
	sum, err := demo.Load(ctx, svc, rand.New(rand.NewPCG(2026, 11)))
	if errors.Is(err, demo.ErrAlreadyLoaded) {
		fmt.Fprintln(out, "Beispieldaten sind bereits geladen.")
		return nil
	}
	if err != nil {
		return fmt.Errorf("Beispieldaten: %w", err)
	}
	fmt.Fprintf(out, "Beispieldaten geladen in %s: %d Mandanten, %d Benutzer, %d Aktenplanpositionen, %d Akten, %d Vorgänge, %d Dokumente (%d Versionen).\n",
		time.Since(start).Round(time.Millisecond), sum.Tenants, sum.Users, sum.Aktenplan, sum.Akten, sum.Vorgaenge, sum.Dokumente, sum.Versionen)
	fmt.Fprintln(out, "Tokens zum Ausprobieren (erneut erzeugen mit aktenwerk token create):")
	who := make([]string, 0, len(sum.Tokens))
	for k := range sum.Tokens {
		who = append(who, k)
	}
	sort.Strings(who)
	for _, k := range who {
		fmt.Fprintf(out, "  %-28s %s\n", k, sum.Tokens[k])
	}
	return nil
}
