package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxNameTries bounds the search for a free name ("name (2).pdf" …).
const maxNameTries = 10000

// move renames src into dir under name, or under the first free variant of
// it ("name (2).pdf", "name (3).pdf" …) for which free (if not nil) agrees,
// never replacing anything. It creates dir on demand (0750) and fsyncs dir
// and src's directory afterwards. err is set when the file was not moved;
// syncErr when it was moved but an fsync failed.
func (p *pass) move(src, dir, name string, free func(name string) bool) (dst string, syncErr, err error) {
	if err := ensureDir(dir); err != nil {
		return "", nil, err
	}
	for i := 1; i <= maxNameTries; i++ {
		candidate := uniqueName(name, i)
		if free != nil && !free(candidate) {
			continue
		}
		dst = filepath.Join(dir, candidate)
		err := p.rename(src, dst)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		return dst, errors.Join(syncDir(dir), syncDir(filepath.Dir(src))), nil
	}
	return "", nil, fmt.Errorf("no free name for %s in %s", name, dir)
}

// uniqueName returns name for n ≤ 1, else name with " (n)" before its
// extension: "brief.pdf" → "brief (2).pdf", "brief" → "brief (2)".
func uniqueName(name string, n int) string {
	if n <= 1 {
		return name
	}
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if base == "" {
		base, ext = name, ""
	}
	return fmt.Sprintf("%s (%d)%s", base, n, ext)
}

// renameCheckThenRename renames oldpath to newpath unless newpath exists
// (then an error matching fs.ErrExist). The check and the rename are two
// steps, so this does not protect against a second writer creating newpath
// in between; it is the fallback where RENAME_NOREPLACE is not available.
func renameCheckThenRename(oldpath, newpath string) error {
	if _, err := os.Lstat(newpath); err == nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(oldpath, newpath)
}

// ensureDir creates dir and its missing parents (0750) and fsyncs the
// parent of each directory it created, so that the new directory entries
// are durable before a file is moved into them.
func ensureDir(dir string) error {
	var missing []string
	for d := dir; ; {
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if len(missing) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(filepath.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

// syncDir fsyncs a directory, making renames and creations in it durable.
// Filesystems that cannot fsync a directory are tolerated.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	cerr := d.Close()
	if err != nil && !syncUnsupported(err) {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return cerr
}
