package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"aktenwerk/internal/blob"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
	"aktenwerk/internal/web"
)

// patternReader yields n pseudo-random bytes without holding them.
type patternReader struct {
	n   int64
	rnd *rand.ChaCha8
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > p.n {
		b = b[:p.n]
	}
	p.rnd.Read(b)
	p.n -= int64(len(b))
	return len(b), nil
}

// A large upload is streamed: the server allocates far less than the file's
// size, and the stored content hashes like what was sent.
func TestLargeUploadIsStreamed(t *testing.T) {
	const size = 300 << 20
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	bs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc := records.NewService(db, bs, records.Options{}) // default limit 512 MiB
	if _, err := svc.CreateTenant(ctx, "TFM", "Finanzministerium"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, "TFM", "anna", "Anna", nil); err != nil {
		t.Fatal(err)
	}
	tok, _, _ := svc.CreateToken(ctx, "TFM", "anna", "t", 0)
	srv := httptest.NewServer(web.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	e := &env{t: t, srv: srv, svc: svc, anna: tok, bernd: tok}
	p, _ := svc.Authenticate(ctx, tok)
	sysAdmin := p
	sysAdmin.System = true
	pos, err := svc.CreateAktenplan(ctx, sysAdmin, records.NewAktenplan{Kennzeichen: "1", Titel: "Organisation"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := svc.CreateAkte(ctx, p, records.NewAkte{AktenplanID: pos.ID, Titel: "Große Scans"})
	v, _ := svc.CreateVorgang(ctx, p, a.ID, "Scan", nil)

	pr, pw := io.Pipe()
	boundary := "grenze"
	go func() {
		fmt.Fprintf(pw, "--%s\r\nContent-Disposition: form-data; name=\"betreff\"\r\n\r\nGroßer Scan\r\n--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.bin\"\r\n\r\n", boundary, boundary)
		io.Copy(pw, &patternReader{n: size, rnd: rand.NewChaCha8([32]byte{1})})
		fmt.Fprintf(pw, "\r\n--%s--\r\n", boundary)
		pw.Close()
	}()
	sum := sha256.New()
	io.Copy(sum, &patternReader{n: size, rnd: rand.NewChaCha8([32]byte{1})})

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := e.do("POST", "/api/v1/vorgaenge/"+v.ID+"/dokumente", tok, pr, map[string]string{"Content-Type": "multipart/form-data; boundary=" + boundary})
	runtime.ReadMemStats(&after)
	m := want(t, r, http.StatusCreated)
	ver := m["version"].(map[string]any)
	if ver["sha256"] != hex.EncodeToString(sum.Sum(nil)) || ver["groesse"].(float64) != size {
		t.Fatalf("stored %v", ver)
	}
	// client and server run in this process: everything either allocated
	// is counted, and it must stay far below the file's size
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for a %d MiB upload", alloc>>10, size>>20)
	if alloc > 32<<20 {
		t.Fatalf("upload of %d MiB allocated %d MiB: not streamed", size>>20, alloc>>20)
	}
}
