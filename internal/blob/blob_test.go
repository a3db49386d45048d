package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPutOpenDedupLimit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("Aktenwerk "), 5000)
	sum := sha256.Sum256(data)
	info, err := l.Put(ctx, bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if info.SHA256 != hex.EncodeToString(sum[:]) || info.Size != int64(len(data)) || len(info.Head) != HeadSize {
		t.Fatalf("info %+v", info)
	}
	if _, err := os.Stat(filepath.Join(dir, info.SHA256[:2], info.SHA256)); err != nil {
		t.Fatal("blob not at its content address")
	}
	f, err := l.Open(ctx, info.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) || f.Size() != int64(len(data)) {
		t.Fatal("content differs")
	}
	// identical content is stored once
	again, err := l.Put(ctx, bytes.NewReader(data), 0)
	if err != nil || again.SHA256 != info.SHA256 {
		t.Fatal(again, err)
	}
	n := 0
	l.Walk(ctx, func(Object) error { n++; return nil })
	if n != 1 {
		t.Fatalf("%d blobs", n)
	}
	// over the limit: error and nothing left, not even a temp file
	if _, err := l.Put(ctx, strings.NewReader("12345678901"), 10); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("limit: %v", err)
	}
	if _, err := l.Put(ctx, strings.NewReader("1234567890"), 10); err != nil {
		t.Fatalf("exactly at limit: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(ents) != 0 {
		t.Fatalf("%d temp files left", len(ents))
	}
	// unknown and malformed names are not found (no path traversal)
	for _, name := range []string{strings.Repeat("0", 64), "../../etc/passwd", "zz"} {
		if _, err := l.Open(ctx, name); !errors.Is(err, ErrNotFound) {
			t.Fatalf("open %q: %v", name, err)
		}
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.ErrUnexpectedEOF
	}
	r.n -= len(p)
	return len(p), nil
}

func TestPutFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, _ := NewLocal(dir)
	if _, err := l.Put(ctx, &failingReader{n: 100000}, 0); err == nil {
		t.Fatal("broken reader accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.Put(cctx, strings.NewReader("abc"), 0); err == nil {
		t.Fatal("cancelled upload accepted")
	}
	n := 0
	l.Walk(ctx, func(Object) error { n++; return nil })
	ents, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if n != 0 || len(ents) != 0 {
		t.Fatalf("%d blobs, %d temp files left", n, len(ents))
	}
	// a temp file left by a crash is removed by CleanTemp after its age
	os.WriteFile(filepath.Join(dir, "tmp", "upload-crash"), []byte("halb"), 0o600)
	if c, _ := l.CleanTemp(ctx, time.Hour); c != 0 {
		t.Fatal("young temp file removed")
	}
	if c, _ := l.CleanTemp(ctx, 0); c != 1 {
		t.Fatal("old temp file kept")
	}
}
