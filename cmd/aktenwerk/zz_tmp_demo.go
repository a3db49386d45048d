package main

import (
	"context"
	"errors"
	"io"

	"aktenwerk/internal/records"
)

// Temporary until internal/demo lands: the demo loader is not available yet.
var errNoDemo = errors.New("Beispieldaten sind in diesem Stand noch nicht verfügbar")

func cmdDemo(ctx context.Context, args []string, out io.Writer) error { return errNoDemo }
func loadDemo(ctx context.Context, svc *records.Service, out io.Writer) error {
	return errNoDemo
}
