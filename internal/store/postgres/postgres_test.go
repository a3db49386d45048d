package postgres_test

import (
	"context"
	"net/url"
	"testing"

	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/storetest"
)

func TestConformance(t *testing.T) { storetest.Run(t, storetest.OpenPostgres) }

// Every pooled connection runs without JIT (see Open), unless the DSN asks
// for it.
func TestOpenJIT(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	for _, c := range []struct{ param, want string }{{"", "off"}, {"on", "on"}} {
		d := dsn
		if c.param != "" {
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			q.Set("jit", c.param)
			u.RawQuery = q.Encode()
			d = u.String()
		}
		db, err := postgres.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		// several connections at once: each one is configured
		conns := make([]interface{ Close() error }, 0, 3)
		for range 3 {
			conn, err := db.Writer().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, conn)
			var jit string
			if err := conn.QueryRowContext(ctx, `SHOW jit`).Scan(&jit); err != nil {
				t.Fatal(err)
			}
			if jit != c.want {
				t.Errorf("dsn jit=%q: SHOW jit = %q, want %q", c.param, jit, c.want)
			}
		}
		for _, conn := range conns {
			conn.Close()
		}
		db.Close()
	}
}
