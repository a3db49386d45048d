// Package blob is the content-addressed store for document content. A blob
// is named by the SHA-256 of its bytes and never changes. Writes stream to a
// temporary file, are fsynced, and only then renamed into place, so a crash
// leaves either no blob or a complete one; the database row that points at a
// blob is committed by the caller after Put returns.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrTooLarge is returned by Put when the content exceeds the limit.
var ErrTooLarge = errors.New("blob: content exceeds size limit")

// ErrNotFound is returned for unknown blobs.
var ErrNotFound = errors.New("blob: not found")

// HeadSize is how many leading bytes Put keeps for content-type detection.
const HeadSize = 8192

// Info describes a stored blob.
type Info struct {
	SHA256 string
	Size   int64
	Head   []byte // first HeadSize bytes, for type detection
}

// Object is one listed blob.
type Object struct {
	SHA256  string
	Size    int64
	ModTime time.Time
}

// Store is the blob store interface (local folder now, S3 later).
type Store interface {
	// Put streams r into the store; limit <= 0 means unlimited.
	Put(ctx context.Context, r io.Reader, limit int64) (Info, error)
	// Open returns the content for reading (and seeking, for Range requests).
	Open(ctx context.Context, sha string) (File, error)
	Stat(ctx context.Context, sha string) (Object, error)
	Delete(ctx context.Context, sha string) error
	// Walk lists all blobs.
	Walk(ctx context.Context, fn func(Object) error) error
	// CleanTemp removes temporary files older than age (left by crashes).
	CleanTemp(ctx context.Context, age time.Duration) (int, error)
	Ping(ctx context.Context) error
}

// File is readable, seekable blob content.
type File interface {
	io.ReadSeekCloser
	Size() int64
}

// Local stores blobs in a folder: ROOT/ab/abcd… (256 fan-out folders made
// when the store is opened), temp files in ROOT/tmp. All folders exist
// before the first upload, so Put never creates a directory whose own entry
// would need an fsync of its parent.
type Local struct{ root string }

// NewLocal opens (and creates) a local blob folder.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", root, err)
	}
	created := false
	for i := 0; i < 256; i++ {
		dir := filepath.Join(root, fmt.Sprintf("%02x", i))
		if _, err := os.Stat(dir); err == nil {
			continue
		}
		if err := os.Mkdir(dir, 0o750); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("blob store %s: %w", root, err)
		}
		created = true
	}
	if created {
		if err := syncDir(root); err != nil {
			return nil, fmt.Errorf("blob store %s: fsync: %w", root, err)
		}
	}
	return &Local{root: root}, nil
}

func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (l *Local) path(sha string) string {
	return filepath.Join(l.root, sha[:2], sha)
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, r io.Reader, limit int64) (Info, error) {
	tmp, err := os.CreateTemp(filepath.Join(l.root, "tmp"), "upload-*")
	if err != nil {
		return Info{}, fmt.Errorf("blob put: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	head := &headBuffer{max: HeadSize}
	src := io.Reader(ctxReader{ctx, r})
	if limit > 0 {
		src = io.LimitReader(src, limit+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), src)
	if err != nil {
		return Info{}, fmt.Errorf("blob put: %w", err)
	}
	if limit > 0 && n > limit {
		return Info{}, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("blob put: fsync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("blob put: %w", err)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	final := l.path(sha)
	if fi, err := os.Stat(final); err == nil && fi.Size() == n {
		// Already stored (same content). Refresh its time so that an orphan
		// sweep cannot remove it while this upload's row is being committed.
		now := time.Now()
		_ = os.Chtimes(final, now, now)
		os.Remove(tmp.Name())
		done = true
		return Info{SHA256: sha, Size: n, Head: head.b}, nil
	}
	dir := filepath.Dir(final)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Info{}, fmt.Errorf("blob put: rename: %w", err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return Info{}, fmt.Errorf("blob put: fsync dir: %w", err)
	}
	return Info{SHA256: sha, Size: n, Head: head.b}, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

type headBuffer struct {
	b   []byte
	max int
}

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		h.b = append(h.b, p[:room]...)
	}
	return len(p), nil
}

type localFile struct {
	*os.File
	size int64
}

func (f localFile) Size() int64 { return f.size }

// Open implements Store.
func (l *Local) Open(ctx context.Context, sha string) (File, error) {
	if !validSHA(sha) {
		return nil, ErrNotFound
	}
	f, err := os.Open(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localFile{f, fi.Size()}, nil
}

// Stat implements Store.
func (l *Local) Stat(ctx context.Context, sha string) (Object, error) {
	if !validSHA(sha) {
		return Object{}, ErrNotFound
	}
	fi, err := os.Stat(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return Object{}, ErrNotFound
	}
	if err != nil {
		return Object{}, err
	}
	return Object{SHA256: sha, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Delete implements Store.
func (l *Local) Delete(ctx context.Context, sha string) error {
	if !validSHA(sha) {
		return ErrNotFound
	}
	err := os.Remove(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound
	}
	return err
}

// Walk implements Store.
func (l *Local) Walk(ctx context.Context, fn func(Object) error) error {
	return filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" && filepath.Dir(p) == filepath.Clean(l.root) {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !validSHA(name) || !strings.HasPrefix(name, filepath.Base(filepath.Dir(p))) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil // vanished meanwhile
		}
		return fn(Object{SHA256: name, Size: fi.Size(), ModTime: fi.ModTime()})
	})
}

// CleanTemp implements Store.
func (l *Local) CleanTemp(ctx context.Context, age time.Duration) (int, error) {
	dir := filepath.Join(l.root, "tmp")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	cutoff := time.Now().Add(-age)
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || fi.ModTime().After(cutoff) {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n, nil
}

// Ping implements Store: the folder must exist and be writable.
func (l *Local) Ping(ctx context.Context) error {
	f, err := os.CreateTemp(filepath.Join(l.root, "tmp"), "ping-*")
	if err != nil {
		return fmt.Errorf("blob store not writable: %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}
