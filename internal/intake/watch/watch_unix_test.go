//go:build unix

package watch

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// FIFOs (and other non-regular files) are neither read nor moved: reading
// a FIFO without a writer would block the pass.
func TestFIFOsAreSkipped(t *testing.T) {
	f, _, _ := newFolder(t)
	put(t, filepath.Join(f.Dir, "echt.pdf"), "real", t0.Add(-time.Hour))
	fifos := []string{filepath.Join(f.Dir, "rohr.pdf"), filepath.Join(f.Dir, "Bauamt", "rohr.pdf")}
	if err := os.MkdirAll(filepath.Join(f.Dir, "Bauamt"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range fifos {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		if err := os.Chtimes(p, t0.Add(-time.Hour), t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	st := &store{}
	res := scan(t, f, st.Sink)
	if res.Imported != 1 || res.Skipped != 0 || len(res.Errors) != 0 || len(st.Offers()) != 1 || st.Offers()[0].Name != "echt.pdf" {
		t.Fatalf("result %+v, offers %+v", res, st.Offers())
	}
	for _, p := range fifos {
		if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s: %v, %v; want the FIFO left in place", p, fi, err)
		}
	}
}

// A FIFO swapped in for a listed file after the listing is not read.
func TestFIFOSwappedInIsNotRead(t *testing.T) {
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "scan.pdf")
	put(t, path, "scan", t0.Add(-time.Hour))
	f.openFile = func(name string) (*os.File, error) {
		f.openFile = nil
		if err := os.Rename(name, name+".orig"); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(name, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return openNoFollow(name)
	}
	st := &store{}
	res := scan(t, f, st.Sink)
	if res.Imported != 0 || res.Skipped != 1 || len(st.Offers()) != 0 {
		t.Fatalf("result %+v, offers %+v", res, st.Offers())
	}
}
