//go:build unix

package watch

import (
	"errors"
	"os"
	"syscall"
)

// openNoFollow opens a file for reading without following a symlink in its
// last component (ELOOP and friends instead), and without blocking on a
// FIFO that was swapped in after the listing.
func openNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// isSymlinkOpenErr reports whether err is what open(O_NOFOLLOW) returns for
// a symlink: ELOOP on Linux and macOS, EMLINK on FreeBSD, EFTYPE on NetBSD
// (not in package syscall everywhere, so only the first two are checked).
func isSymlinkOpenErr(err error) bool {
	return errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)
}

// syncUnsupported reports whether fsync on a directory failed because the
// filesystem does not support it.
func syncUnsupported(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, errors.ErrUnsupported)
}
