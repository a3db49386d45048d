//go:build !linux

package watch

// renameNoReplace renames oldpath to newpath unless newpath exists (then an
// error matching fs.ErrExist). Without renameat2(RENAME_NOREPLACE) this is
// a check followed by a rename; see renameCheckThenRename.
func renameNoReplace(oldpath, newpath string) error {
	return renameCheckThenRename(oldpath, newpath)
}
