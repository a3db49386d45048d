package watch

import (
	"errors"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// renameat2 is not in package syscall for every architecture (it is frozen),
// so its numbers are listed here (from golang.org/x/sys/unix zsysnum_linux_*).
var sysRenameat2 = map[string]uintptr{
	"386":      353,
	"amd64":    316,
	"arm":      382,
	"arm64":    276,
	"loong64":  276,
	"mips":     4351,
	"mipsle":   4351,
	"mips64":   5311,
	"mips64le": 5311,
	"ppc64":    357,
	"ppc64le":  357,
	"riscv64":  276,
	"s390x":    347,
}

const (
	renameNoreplaceFlag = 0x1   // RENAME_NOREPLACE
	atFDCWD             = -0x64 // AT_FDCWD
)

// renameNoReplace renames oldpath to newpath atomically unless newpath
// exists (then an error matching fs.ErrExist), using
// renameat2(RENAME_NOREPLACE). Kernels before 3.15 and filesystems without
// the flag (NFS, CIFS …) get the check-then-rename fallback.
func renameNoReplace(oldpath, newpath string) error {
	nr, ok := sysRenameat2[runtime.GOARCH]
	if !ok {
		return renameCheckThenRename(oldpath, newpath)
	}
	err := renameat2(nr, oldpath, newpath, renameNoreplaceFlag)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EINVAL),
		errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.EOPNOTSUPP):
		return renameCheckThenRename(oldpath, newpath)
	default:
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
}

func renameat2(nr uintptr, oldpath, newpath string, flags uint) error {
	o, err := syscall.BytePtrFromString(oldpath)
	if err != nil {
		return err
	}
	n, err := syscall.BytePtrFromString(newpath)
	if err != nil {
		return err
	}
	fdcwd := atFDCWD
	for {
		_, _, e := syscall.Syscall6(nr, uintptr(fdcwd), uintptr(unsafe.Pointer(o)),
			uintptr(fdcwd), uintptr(unsafe.Pointer(n)), uintptr(flags), 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}
