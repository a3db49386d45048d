// Command aktenwerk is the single binary of the Aktenwerk platform: server,
// administration CLI and tools. Subcommands are thin; the work happens in
// the internal packages.
package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: aktenwerk serve")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		ln, err := net.Listen("tcp", "127.0.0.1:8080")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })}
		go func() { <-ctx.Done(); srv.Close() }()
		fmt.Println("Aktenwerk läuft auf http://" + ln.Addr().String())
		_ = srv.Serve(ln)
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
