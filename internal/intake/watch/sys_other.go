//go:build !unix

package watch

import "os"

// openNoFollow opens a file for reading. Without O_NOFOLLOW, Scan relies on
// its check that the opened file is the inode it listed (os.SameFile).
func openNoFollow(name string) (*os.File, error) { return os.Open(name) }

func isSymlinkOpenErr(error) bool { return false }

// syncUnsupported: directories cannot be fsynced on these systems (Windows
// flushes directory metadata itself).
func syncUnsupported(error) bool { return true }
