package main

import (
	"context"
	"fmt"
	"io"

	"aktenwerk/internal/records"
)

// The installation-wide operator mark (Betrieb, records/betrieb.go): an
// administrator with it may list and create tenants in the web
// application. Only this CLI grants or withdraws it.

func init() {
	moreCommands = append(moreCommands,
		command{"user betrieb", "Betrieb der Installation (Mandanten in der Weboberfläche auflisten und anlegen) erlauben: --tenant LV --login admin", cmdUserBetrieb},
		command{"user betrieb-entziehen", "Betrieb der Installation wieder entziehen: --tenant LV --login admin", cmdUserBetriebEntziehen},
	)
}

func cmdUserBetrieb(ctx context.Context, args []string, out io.Writer) error {
	return userCommand(ctx, "user betrieb", args, func(svc *records.Service, tenant, login string) error {
		if err := svc.SetOperator(ctx, tenant, login, true); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s (%s) darf jetzt als Betrieb Mandanten auflisten und anlegen (zusammen mit der Rolle admin).\n", login, tenant)
		return nil
	})
}

func cmdUserBetriebEntziehen(ctx context.Context, args []string, out io.Writer) error {
	return userCommand(ctx, "user betrieb-entziehen", args, func(svc *records.Service, tenant, login string) error {
		if err := svc.SetOperator(ctx, tenant, login, false); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s (%s) ist nicht mehr Betrieb der Installation.\n", login, tenant)
		return nil
	})
}
