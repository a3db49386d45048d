package watch

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// Defaults of Folder.
const (
	DefaultMinAge   = 5 * time.Second
	DefaultMaxFiles = 200
	// DefaultInterval is used by Run when it gets an interval ≤ 0.
	DefaultInterval = 10 * time.Second
	// ProcessedName and FailedName are the default sub-folders of Dir.
	ProcessedName = "verarbeitet"
	FailedName    = "fehler"
	// SidecarSuffix is appended to the name of a file in Failed for the
	// text file holding the Sink's message.
	SidecarSuffix = ".fehler.txt"
)

// Folder is one watch folder. The zero values of the optional fields select
// the defaults. A Folder must not be copied after first use.
type Folder struct {
	Dir string // the drop folder
	// Processed receives imported files in Processed/YYYY-MM-DD/<name>
	// (default Dir/verarbeitet). It must be on the same filesystem as Dir.
	Processed string
	// Failed receives files the Sink rejects permanently (see Permanent),
	// each with a sidecar "<name>.fehler.txt" (default Dir/fehler). It must
	// be on the same filesystem as Dir.
	Failed string
	// MinAge: files modified more recently than MinAge before Now are still
	// being written and are skipped this pass (default 5s; < 0 disables the
	// check).
	MinAge time.Duration
	// MaxFiles bounds the files offered to the Sink per Scan (default 200).
	MaxFiles int
	// Now is the clock (default time.Now); it decides MinAge and the date
	// folder in Processed.
	Now func() time.Time
	// Logger (default slog.Default()).
	Logger *slog.Logger
	// AfterScan, if set, is called by Run after every pass with its result
	// (status page, metrics).
	AfterScan func(Result, error)

	mu sync.Mutex
	// noticed holds the keys of conditions logged at Warn in the previous
	// pass; a condition that persists is logged at Debug afterwards, so a
	// stray symlink or a file the Sink keeps refusing does not flood the
	// log every interval.
	noticed map[string]bool

	// test hooks
	openFile  func(name string) (*os.File, error)
	afterHash func(name string)
	noReplace func(oldpath, newpath string) error
}

// File is one file offered to a Sink.
type File struct {
	Name    string // base name
	Unit    string // "" for a file directly in Dir, else the unit sub-folder's name
	Path    string // current absolute path (open it to read)
	Size    int64
	SHA256  string // hex, computed by Scan
	ModTime time.Time
}

// rel is the file's path relative to Dir, for messages.
func (f File) rel() string {
	if f.Unit == "" {
		return f.Name
	}
	return f.Unit + "/" + f.Name
}

// Sink stores one file. It must be idempotent on (Unit, Name, SHA256): after
// a crash between Sink and the move, the same file is offered again. A nil
// error means the file is stored durably; the file is then moved to
// Processed. An error wrapped with Permanent moves the file to Failed; any
// other error leaves it in Dir for the next pass.
type Sink func(ctx context.Context, f File) error

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks a Sink error as permanent: the file will never be
// accepted (not a PDF, too large, unknown unit …), so it is moved to Failed
// with a sidecar "<name>.fehler.txt" holding the message instead of being
// offered again. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// Result is what one Scan did.
type Result struct {
	// Imported counts files that the Sink accepted and that were moved to
	// Processed.
	Imported int
	// Skipped counts files left in Dir for a later pass without an error:
	// younger than MinAge, changed while hashed, or beyond MaxFiles.
	Skipped int
	// Failed counts files that the Sink rejected permanently and that were
	// moved to Failed.
	Failed int
	// Errors holds one error per problem of the pass, each naming the file
	// or folder: permanent rejections (IsPermanent reports true for them),
	// transient Sink errors, files or unit folders that cannot be read,
	// failed moves. Apart from the permanent rejections, the files
	// concerned are still in Dir and are offered again by the next pass.
	Errors []error
	// Remaining is true when MaxFiles ended the pass before all files that
	// were old enough had been offered.
	Remaining bool
}

// errUnstable marks a file that changed (or was replaced) while it was
// being hashed; it is skipped this pass.
var errUnstable = errors.New("file changed while it was read")

// config is a Folder with its defaults resolved, for one pass.
type config struct {
	dir, processed, failed string
	minAge                 time.Duration
	maxFiles               int
	now                    func() time.Time
	log                    *slog.Logger
	open                   func(string) (*os.File, error)
	afterHash              func(string)
	rename                 func(string, string) error
}

func (f *Folder) config() (config, error) {
	c := config{
		minAge:    f.MinAge,
		maxFiles:  f.MaxFiles,
		now:       f.Now,
		log:       f.Logger,
		open:      f.openFile,
		afterHash: f.afterHash,
		rename:    f.noReplace,
	}
	if f.Dir == "" {
		return c, errors.New("watch: Folder.Dir is empty")
	}
	var err error
	if c.dir, err = filepath.Abs(f.Dir); err != nil {
		return c, fmt.Errorf("watch: %w", err)
	}
	c.processed, c.failed = filepath.Join(c.dir, ProcessedName), filepath.Join(c.dir, FailedName)
	if f.Processed != "" {
		if c.processed, err = filepath.Abs(f.Processed); err != nil {
			return c, fmt.Errorf("watch: %w", err)
		}
	}
	if f.Failed != "" {
		if c.failed, err = filepath.Abs(f.Failed); err != nil {
			return c, fmt.Errorf("watch: %w", err)
		}
	}
	if c.processed == c.dir || c.failed == c.dir {
		return c, fmt.Errorf("watch: Processed (%s) and Failed (%s) must differ from Dir (%s)", c.processed, c.failed, c.dir)
	}
	if c.minAge == 0 {
		c.minAge = DefaultMinAge
	}
	if c.maxFiles <= 0 {
		c.maxFiles = DefaultMaxFiles
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.log = c.log.With(slog.String("watch_dir", c.dir))
	if c.open == nil {
		c.open = openNoFollow
	}
	if c.rename == nil {
		c.rename = renameNoReplace
	}
	return c, nil
}

// candidate is a regular file found by the listing.
type candidate struct {
	unit, name, path string
	info             fs.FileInfo // from Lstat
}

func (c candidate) rel() string {
	if c.unit == "" {
		return c.name
	}
	return c.unit + "/" + c.name
}

// pass is the state of one Scan.
type pass struct {
	f *Folder
	config
	res     Result
	noticed map[string]bool
	date    string // YYYY-MM-DD of Now, the folder in Processed
}

// notice logs a condition at Warn the first time it is seen and at Debug
// while it persists in the following passes.
func (p *pass) notice(key, msg string, attrs ...any) {
	p.noticed[key] = true
	if p.f.noticed[key] {
		p.log.Debug(msg, attrs...)
		return
	}
	p.log.Warn(msg, attrs...)
}

// problem records a per-file error and logs it.
func (p *pass) problem(key string, err error) {
	p.res.Errors = append(p.res.Errors, err)
	p.notice(key, "watch folder: file not imported", slog.Any("error", err))
}

// Scan makes one pass over the folder: it lists and hashes the files that
// are old enough, offers them to sink oldest first (at most MaxFiles), and
// moves each one the sink accepted to Processed and each one it rejected
// permanently to Failed. Problems with single files are collected in
// Result.Errors and do not end the pass. Scan returns an error when the
// folder cannot be listed or the configuration is invalid, and the context's
// error when ctx ends; Result then counts what was done before.
func (f *Folder) Scan(ctx context.Context, sink Sink) (Result, error) {
	if sink == nil {
		return Result{}, errors.New("watch: nil Sink")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cfg, err := f.config()
	if err != nil {
		return Result{}, err
	}
	p := &pass{f: f, config: cfg, noticed: map[string]bool{}}
	defer func() { f.noticed = p.noticed }()
	now := p.now()
	p.date = now.Format(time.DateOnly)

	cands, err := p.list()
	if err != nil {
		// Keep the notices of the previous pass: nothing was looked at.
		p.noticed = f.noticed
		return p.res, err
	}

	// Old enough?
	ready := cands[:0]
	for _, c := range cands {
		age := now.Sub(c.info.ModTime())
		if p.minAge > 0 && age < p.minAge {
			p.res.Skipped++
			if age < -time.Minute {
				p.notice("future:"+c.path, "watch folder: file modified in the future, skipped until then",
					slog.String("file", c.rel()), slog.Time("mtime", c.info.ModTime()), slog.Time("now", now))
			} else {
				p.log.Debug("watch folder: file too young, skipped this pass",
					slog.String("file", c.rel()), slog.Duration("age", age))
			}
			continue
		}
		ready = append(ready, c)
	}
	slices.SortFunc(ready, func(a, b candidate) int {
		return cmp.Or(a.info.ModTime().Compare(b.info.ModTime()),
			strings.Compare(a.unit, b.unit), strings.Compare(a.name, b.name))
	})
	if len(ready) > p.maxFiles {
		p.res.Skipped += len(ready) - p.maxFiles
		p.res.Remaining = true
		ready = ready[:p.maxFiles]
	}

	for _, c := range ready {
		if err := ctx.Err(); err != nil {
			p.noticed = mergeNotices(f.noticed, p.noticed)
			return p.res, err
		}
		if err := p.process(ctx, c, sink); err != nil {
			// only the context's error ends the pass
			p.noticed = mergeNotices(f.noticed, p.noticed)
			return p.res, err
		}
	}
	return p.res, nil
}

// mergeNotices keeps the old notices for an interrupted pass, so that what
// was not looked at again is not logged at Warn again.
func mergeNotices(old, cur map[string]bool) map[string]bool {
	for k := range old {
		cur[k] = true
	}
	return cur
}

// list returns the regular files of Dir and of its unit folders.
func (p *pass) list() ([]candidate, error) {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return nil, fmt.Errorf("watch: list %s: %w", p.dir, err)
	}
	procInfo, _ := os.Stat(p.processed)
	failInfo, _ := os.Stat(p.failed)
	var cands []candidate
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(p.dir, name)
		if ignoredName(name) {
			p.log.Debug("watch folder: ignored name", slog.String("file", name))
			continue
		}
		info, err := os.Lstat(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // gone since ReadDir: nothing to do
				p.problem("lstat:"+path, fmt.Errorf("watch: %s: %w", name, err))
			}
			continue
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			p.notice("symlink:"+path, "watch folder: symlink skipped (symlinks are never followed)",
				slog.String("file", name))
		case info.IsDir():
			if path == p.processed || path == p.failed || sameFile(info, procInfo) || sameFile(info, failInfo) {
				continue
			}
			if ignoredDir(name) {
				p.log.Debug("watch folder: ignored folder", slog.String("folder", name))
				continue
			}
			cands = append(cands, p.listUnit(name, path, procInfo, failInfo)...)
		case info.Mode().IsRegular():
			cands = append(cands, candidate{name: name, path: path, info: info})
		default:
			p.log.Debug("watch folder: not a regular file, skipped", slog.String("file", name),
				slog.String("mode", info.Mode().String()))
		}
	}
	return cands, nil
}

// listUnit returns the regular files of the unit folder Dir/unit. Its
// sub-folders are ignored.
func (p *pass) listUnit(unit, dir string, procInfo, failInfo fs.FileInfo) []candidate {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			p.problem("readdir:"+dir, fmt.Errorf("watch: unit folder %s: %w", unit, err))
		}
		return nil
	}
	var cands []candidate
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		rel := unit + "/" + name
		if ignoredName(name) {
			p.log.Debug("watch folder: ignored name", slog.String("file", rel))
			continue
		}
		info, err := os.Lstat(path)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				p.problem("lstat:"+path, fmt.Errorf("watch: %s: %w", rel, err))
			}
			continue
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			p.notice("symlink:"+path, "watch folder: symlink skipped (symlinks are never followed)",
				slog.String("file", rel))
		case info.IsDir():
			if path != p.processed && path != p.failed && !sameFile(info, procInfo) && !sameFile(info, failInfo) {
				p.log.Debug("watch folder: folder below a unit folder ignored", slog.String("folder", rel))
			}
		case info.Mode().IsRegular():
			cands = append(cands, candidate{unit: unit, name: name, path: path, info: info})
		default:
			p.log.Debug("watch folder: not a regular file, skipped", slog.String("file", rel),
				slog.String("mode", info.Mode().String()))
		}
	}
	return cands
}

func sameFile(a, b fs.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b)
}

// ignoredName reports whether a file or folder name is hidden, temporary or
// system litter.
func ignoredName(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
		return true
	}
	lower := strings.ToLower(name)
	for _, suffix := range []string{".tmp", ".part", ".crdownload"} {
		if strings.HasSuffix(lower, suffix) {
			return true
		}
	}
	switch lower {
	case "thumbs.db", "ehthumbs.db", "desktop.ini":
		return true
	}
	return false
}

// ignoredDir reports whether a folder directly in Dir is system litter
// rather than a unit folder.
func ignoredDir(name string) bool {
	switch strings.ToLower(name) {
	case "$recycle.bin", "system volume information", "@eadir", "#recycle", "#snapshot", "lost+found":
		return true
	}
	return false
}

// process hashes one file, offers it to the sink and moves it. It returns
// an error only when ctx has ended.
func (p *pass) process(ctx context.Context, c candidate, sink Sink) error {
	file, err := p.hash(ctx, c)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, errUnstable):
		p.res.Skipped++
		p.log.Debug("watch folder: file changed while it was read, skipped this pass",
			slog.String("file", c.rel()), slog.Any("error", err))
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return nil // gone since the listing (another scanner, a user)
	default:
		p.problem("read:"+c.path, fmt.Errorf("watch: read %s: %w", c.rel(), err))
		return nil
	}

	err = callSink(ctx, sink, file)
	switch {
	case err == nil:
		p.imported(c, file)
		return nil
	case IsPermanent(err):
		p.rejected(c, file, err)
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		p.problem("sink:"+c.path, fmt.Errorf("watch: %s: not stored, left in place for the next pass: %w", c.rel(), err))
		return nil
	}
}

// callSink calls sink and turns a panic into a (transient) error, so that
// one file the Sink chokes on does not take the server down — over and over
// again, since the file is offered again after each restart.
func callSink(ctx context.Context, sink Sink, f File) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sink panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return sink(ctx, f)
}

// ctxReader ends a read when ctx ends (hashing a large file).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(b []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(b)
}

// hash reads the file and computes its SHA-256. The opened file must be the
// inode that was listed (not a symlink or a file swapped in since), and its
// size and mtime must not change while it is read; otherwise errUnstable.
func (p *pass) hash(ctx context.Context, c candidate) (File, error) {
	fh, err := p.open(c.path)
	if err != nil {
		if isSymlinkOpenErr(err) {
			return File{}, fmt.Errorf("%w: replaced by a symlink", errUnstable)
		}
		return File{}, err
	}
	defer fh.Close()
	before, err := fh.Stat()
	if err != nil {
		return File{}, err
	}
	if err := unchanged(c.info, before); err != nil {
		return File{}, err
	}
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx: ctx, r: fh})
	if err != nil {
		return File{}, err
	}
	if p.afterHash != nil {
		p.afterHash(c.path)
	}
	after, err := fh.Stat()
	if err != nil {
		return File{}, err
	}
	if err := unchanged(c.info, after); err != nil {
		return File{}, err
	}
	if n != c.info.Size() {
		return File{}, fmt.Errorf("%w: read %d bytes, size %d", errUnstable, n, c.info.Size())
	}
	// Still under its name? (not renamed away or replaced meanwhile)
	now, err := os.Lstat(c.path)
	if err != nil {
		return File{}, err
	}
	if err := unchanged(c.info, now); err != nil {
		return File{}, err
	}
	return File{
		Name:    c.name,
		Unit:    c.unit,
		Path:    c.path,
		Size:    n,
		SHA256:  hex.EncodeToString(h.Sum(nil)),
		ModTime: c.info.ModTime(),
	}, nil
}

// unchanged checks that now is the regular file listed as was, with the
// same size and mtime.
func unchanged(was, now fs.FileInfo) error {
	switch {
	case !now.Mode().IsRegular() || !os.SameFile(was, now):
		return fmt.Errorf("%w: replaced", errUnstable)
	case now.Size() != was.Size():
		return fmt.Errorf("%w: size %d, was %d", errUnstable, now.Size(), was.Size())
	case !now.ModTime().Equal(was.ModTime()):
		return fmt.Errorf("%w: mtime %s, was %s", errUnstable, now.ModTime(), was.ModTime())
	}
	return nil
}

// stillThere checks, after the Sink, that the file under c.path is still
// the one that was hashed; a file changed or replaced in the meantime is
// not moved (its new content has not been stored).
func stillThere(c candidate) error {
	now, err := os.Lstat(c.path)
	if err != nil {
		return err
	}
	return unchanged(c.info, now)
}

// imported moves a file the sink accepted to Processed/<date>/.
func (p *pass) imported(c candidate, file File) {
	if err := stillThere(c); err != nil {
		p.problem("move:"+c.path, fmt.Errorf("watch: %s: stored, but not moved (it will be offered again): %w", c.rel(), err))
		return
	}
	dir := filepath.Join(p.processed, p.date)
	dst, syncErr, err := p.move(c.path, dir, file.Name, nil)
	if err != nil {
		p.problem("move:"+c.path, fmt.Errorf("watch: %s: stored, but not moved to %s (it will be offered again): %w", c.rel(), dir, err))
		return
	}
	p.res.Imported++
	p.log.Info("watch folder: file imported", slog.String("file", c.rel()), slog.String("unit", file.Unit),
		slog.Int64("size", file.Size), slog.String("sha256", file.SHA256), slog.String("moved_to", dst))
	if syncErr != nil {
		p.problem("sync:"+dst, fmt.Errorf("watch: %s: moved to %s, but fsync failed: %w", c.rel(), dst, syncErr))
	}
}

// rejected moves a file the sink rejected permanently to Failed and writes
// the sidecar with the message.
func (p *pass) rejected(c candidate, file File, sinkErr error) {
	if err := stillThere(c); err != nil {
		p.problem("move:"+c.path, fmt.Errorf("watch: %s: rejected, but not moved (it will be offered again): %w; rejected because: %w", c.rel(), err, sinkErr))
		return
	}
	// The name is only taken if the sidecar's name is free, too.
	sidecarFree := func(name string) bool {
		_, err := os.Lstat(filepath.Join(p.failed, name+SidecarSuffix))
		return errors.Is(err, fs.ErrNotExist)
	}
	dst, syncErr, err := p.move(c.path, p.failed, file.Name, sidecarFree)
	if err != nil {
		p.problem("move:"+c.path, fmt.Errorf("watch: %s: rejected, but not moved to %s (it will be offered again): %w; rejected because: %w", c.rel(), p.failed, err, sinkErr))
		return
	}
	p.res.Failed++
	err = fmt.Errorf("watch: %s: rejected, moved to %s: %w", c.rel(), dst, sinkErr)
	p.res.Errors = append(p.res.Errors, err)
	p.log.Warn("watch folder: file rejected", slog.String("file", c.rel()), slog.String("unit", file.Unit),
		slog.String("sha256", file.SHA256), slog.String("moved_to", dst), slog.Any("error", sinkErr))
	if syncErr != nil {
		p.problem("sync:"+dst, fmt.Errorf("watch: %s: moved to %s, but fsync failed: %w", c.rel(), dst, syncErr))
	}
	if err := p.writeSidecar(dst, file, sinkErr); err != nil {
		p.problem("sidecar:"+dst, fmt.Errorf("watch: %s: moved to %s, but the error file was not written: %w; rejected because: %w", c.rel(), dst, err, sinkErr))
	}
}

func (p *pass) writeSidecar(dst string, file File, sinkErr error) error {
	unit := file.Unit
	if unit == "" {
		unit = "-"
	}
	text := fmt.Sprintf("Datei: %s\nEinheit: %s\nUrsprung: %s\nGröße: %d Bytes\nSHA-256: %s\nZeitpunkt: %s\nFehler: %s\n",
		file.Name, unit, file.Path, file.Size, file.SHA256, p.now().Format(time.RFC3339), sinkErr.Error())
	dir, base := filepath.Split(dst)
	for i := 1; i <= maxNameTries; i++ {
		name := filepath.Join(dir, uniqueName(base+SidecarSuffix, i))
		fh, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		_, err = fh.WriteString(text)
		if err == nil {
			err = fh.Sync()
		}
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return syncDir(dir)
	}
	return fmt.Errorf("no free name for %s", base+SidecarSuffix)
}

// Run scans the folder every interval (DefaultInterval if ≤ 0) until ctx
// ends, and returns ctx's error then. The first pass starts at once; when a
// pass stopped at MaxFiles and made progress, the next one starts at once,
// too. Errors are logged and never end the loop: a folder that cannot be
// listed (a share that is not mounted yet) is tried again at the next
// interval.
func (f *Folder) Run(ctx context.Context, interval time.Duration, sink Sink) error {
	if interval <= 0 {
		interval = DefaultInterval
	}
	if sink == nil {
		return errors.New("watch: nil Sink")
	}
	log := f.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With(slog.String("watch_dir", f.Dir))
	log.Info("watch folder started", slog.Duration("interval", interval))
	timer := time.NewTimer(0)
	defer timer.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			log.Info("watch folder stopped")
			return ctx.Err()
		case <-timer.C:
		}
		res, err := f.Scan(ctx, sink)
		if f.AfterScan != nil {
			f.AfterScan(res, err)
		}
		attrs := []any{slog.Int("imported", res.Imported), slog.Int("failed", res.Failed),
			slog.Int("skipped", res.Skipped), slog.Int("errors", len(res.Errors))}
		next := interval
		switch {
		case err != nil && ctx.Err() != nil:
			// stopping
		case err != nil:
			// per-file problems are logged by Scan; this is the folder itself
			if msg := err.Error(); msg != lastErr {
				log.Error("watch folder scan failed", append(attrs, slog.Any("error", err))...)
				lastErr = msg
			} else {
				log.Debug("watch folder scan failed", append(attrs, slog.Any("error", err))...)
			}
		default:
			if lastErr != "" {
				log.Info("watch folder readable again")
				lastErr = ""
			}
			if res.Imported > 0 || res.Failed > 0 {
				log.Info("watch folder scanned", attrs...)
			} else {
				log.Debug("watch folder scanned", attrs...)
			}
			if res.Remaining && res.Imported+res.Failed > 0 {
				next = 0
			}
		}
		timer.Reset(next)
	}
}
