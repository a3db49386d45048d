package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// renameNoReplace must refuse to replace an existing file by itself, not
// only thanks to the check before the rename.
func TestRenameat2NoReplace(t *testing.T) {
	nr, ok := sysRenameat2[runtime.GOARCH]
	if !ok {
		t.Skipf("no renameat2 number for %s", runtime.GOARCH)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := renameat2(nr, a, b, renameNoreplaceFlag)
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOSYS) {
		t.Skipf("RENAME_NOREPLACE not supported here: %v", err)
	}
	if !errors.Is(err, syscall.EEXIST) {
		t.Fatalf("renameat2 onto an existing file: %v, want EEXIST", err)
	}
	if err := renameNoReplace(a, b); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("renameNoReplace: %v, want ErrExist", err)
	}
	for name, want := range map[string]string{a: "a", b: "b"} {
		if got, err := os.ReadFile(name); err != nil || string(got) != want {
			t.Fatalf("%s = %q, %v", name, got, err)
		}
	}
	c := filepath.Join(dir, "c")
	if err := renameNoReplace(a, c); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("source still there: %v", err)
	}
	if got, _ := os.ReadFile(c); string(got) != "a" {
		t.Fatalf("c = %q", got)
	}
}
