// Package watch imports files from a per-tenant watch folder ("Scan-Ordner")
// into the Posteingang: a scanner or a user drops files into Dir (or into
// Dir/<unit>/ for a unit of the tenant), and every file must reach the
// Posteingang exactly once and must never be lost.
//
// # What is offered
//
// Scan offers the regular files directly in Dir (Unit "") and in the
// sub-folders one level below Dir (Unit = the sub-folder's name) to a Sink,
// oldest modification time first, at most MaxFiles per pass. It ignores:
//
//   - hidden names (".*"), temporary names ("~$*", "*.tmp", "*.part",
//     "*.crdownload", case-insensitive) and the Windows/NAS litter
//     "Thumbs.db", "ehthumbs.db", "desktop.ini", "$RECYCLE.BIN", "System Volume
//     Information", "@eaDir", "#recycle", "#snapshot", "lost+found";
//   - the Processed and Failed folders, and every directory deeper than one
//     level of unit folders;
//   - symlinks, whether to files or to directories: they are never followed
//     (a symlink to /etc/passwd is logged and left alone). The file is
//     opened with O_NOFOLLOW (on Unix) and checked to be the very inode that
//     was listed, so a symlink, a FIFO or another file swapped in after the
//     listing is not read either;
//   - devices, FIFOs and sockets;
//   - files modified less than MinAge ago (they are probably still being
//     written; the next pass takes them), and files whose size or
//     modification time changes while Scan hashes them.
//
// # Guarantees
//
// Only after the Sink has returned nil is the file moved out of Dir, by a
// rename to Processed/YYYY-MM-DD/<name> on the same filesystem, followed by
// an fsync of the destination (and the source) directory. The folder is the
// queue, and a file leaves the queue only after it was stored. A rename
// never replaces anything: a name that is taken becomes "name (2).pdf",
// "name (3).pdf" … (on Linux with renameat2(RENAME_NOREPLACE), so even a
// second scanner writing into the same Processed folder cannot make one file
// overwrite another; on other systems and on filesystems without
// RENAME_NOREPLACE the name is checked first, which is safe as long as only
// one scanner moves files into that folder). Files are never deleted and
// never copied-then-removed.
//
// Crash safety follows from the order Sink → rename → fsync and from the
// atomicity of rename(2). Wherever the process dies, the file has exactly
// one name, and it is one of two places:
//
//   - before or during the Sink, or after the Sink committed but before the
//     rename reached the disk: the file is still in Dir (rename is atomic,
//     there is no moment in which it is in neither place or half moved). The
//     next pass offers it again with the same Unit, Name and SHA256 (a file
//     older than MinAge does not change), and the Sink, which must be
//     idempotent on (Unit, Name, SHA256), recognises the record it already
//     stored and returns nil, after which the file is moved. At-least-once
//     offer plus an idempotent Sink is exactly-once import.
//   - after the rename: the file is in Processed, and the Sink had committed
//     before the rename was issued.
//
// Hence a file in Processed has always been stored, and a file that has not
// been stored is always still in Dir. Permanent rejections work the same way
// with Failed in place of Processed: the file is renamed there only after
// the Sink said so, and the sidecar "<name>.fehler.txt" holding the Sink's
// message is written after the rename (a crash between the two leaves the
// file in Failed without its sidecar; the message is in the log).
//
// A Sink error that is not wrapped with Permanent is transient: the file
// stays where it is and is offered again by the next pass, while the other
// files of the pass go on. So does a file that cannot be read, and a file
// whose rename fails (for example because Processed is on another
// filesystem; EXDEV is reported, the file is never copied).
//
// If a file is replaced or changed after the Sink stored it but before the
// rename, it is left in Dir and offered again (with its new hash), rather
// than moving unstored content into Processed.
//
// The Sink reads the file from File.Path while it is still in Dir. It may
// compare what it reads with File.SHA256, which Scan computed from a stable
// file; a file older than MinAge is not expected to change.
//
// One Folder serialises its own passes (Scan holds a lock). Two scanners of
// the same folder (two processes, two nodes on a shared mount) are safe —
// the Sink dedupes, and the loser of a rename finds the file gone and
// reports it — but they do the work twice; run one watcher per folder.
package watch
