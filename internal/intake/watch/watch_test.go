package watch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// t0 is the test clock's "now"; all mtimes are set relative to it.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const today = "2026-03-02"

func sum(content string) string {
	h := sha256.Sum256([]byte(content))
	return hex.EncodeToString(h[:])
}

// put writes a file with content and mtime, creating its folder.
func put(t *testing.T, path, content string, mtime time.Time) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Lstat(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return err == nil
}

// logBuf collects log output.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func newFolder(t *testing.T) (*Folder, *clock, *logBuf) {
	t.Helper()
	clk := &clock{now: t0}
	logs := &logBuf{}
	f := &Folder{
		Dir:    t.TempDir(),
		Now:    clk.Now,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	})
	return f, clk, logs
}

// record is what the store keeps of one stored file.
type record struct {
	File
	Content string
}

// store is an idempotent Sink on (Unit, Name, SHA256), as the real
// Posteingang sink must be.
type store struct {
	mu      sync.Mutex
	records []record
	offers  []File
	fail    func(File) error // consulted before storing
}

func (s *store) Sink(_ context.Context, f File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offers = append(s.offers, f)
	if s.fail != nil {
		if err := s.fail(f); err != nil {
			return err
		}
	}
	b, err := os.ReadFile(f.Path)
	if err != nil {
		return err
	}
	if got := sum(string(b)); got != f.SHA256 {
		return fmt.Errorf("content of %s has hash %s, offered with %s", f.Path, got, f.SHA256)
	}
	for _, r := range s.records {
		if r.Unit == f.Unit && r.Name == f.Name && r.SHA256 == f.SHA256 {
			return nil // already stored
		}
	}
	s.records = append(s.records, record{File: f, Content: string(b)})
	return nil
}

func (s *store) Records() []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.records)
}

func (s *store) Offers() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.offers)
}

// testCommand runs this test binary again.
func testCommand(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exec.Command(exe, args...)
}

func sameOffer(a, b File) bool {
	return a.Unit == b.Unit && a.Name == b.Name && a.Path == b.Path && a.Size == b.Size &&
		a.SHA256 == b.SHA256 && a.ModTime.Equal(b.ModTime)
}

func scan(t *testing.T, f *Folder, sink Sink) Result {
	t.Helper()
	res, err := f.Scan(context.Background(), sink)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return res
}

func TestScanImportsTopLevelAndUnitFiles(t *testing.T) {
	f, _, _ := newFolder(t)
	// "abc" has the well-known SHA-256 below (FIPS 180-2 example).
	const abcSHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	put(t, filepath.Join(f.Dir, "Ordnungsamt", "antrag.txt"), "Antrag auf Sondernutzung", t0.Add(-1*time.Hour))
	put(t, filepath.Join(f.Dir, "abc.pdf"), "abc", t0.Add(-3*time.Hour))
	put(t, filepath.Join(f.Dir, "Bauamt", "plan.pdf"), "%PDF-1.7 Bauplan", t0.Add(-2*time.Hour))
	st := &store{}

	res := scan(t, f, st.Sink)
	if res.Imported != 3 || res.Skipped != 0 || res.Failed != 0 || len(res.Errors) != 0 {
		t.Fatalf("result = %+v, want 3 imported", res)
	}
	want := []struct{ unit, name, content string }{ // oldest first
		{"", "abc.pdf", "abc"},
		{"Bauamt", "plan.pdf", "%PDF-1.7 Bauplan"},
		{"Ordnungsamt", "antrag.txt", "Antrag auf Sondernutzung"},
	}
	recs := st.Records()
	if len(recs) != len(want) {
		t.Fatalf("stored %d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if r.Unit != w.unit || r.Name != w.name || r.Content != w.content {
			t.Errorf("record %d = %q/%q %q, want %q/%q %q", i, r.Unit, r.Name, r.Content, w.unit, w.name, w.content)
		}
		if r.Size != int64(len(w.content)) {
			t.Errorf("%s: Size = %d, want %d", w.name, r.Size, len(w.content))
		}
		if r.SHA256 != sum(w.content) {
			t.Errorf("%s: SHA256 = %s, want %s", w.name, r.SHA256, sum(w.content))
		}
		wantPath := filepath.Join(f.Dir, w.unit, w.name)
		if r.Path != wantPath || !filepath.IsAbs(r.Path) {
			t.Errorf("%s: Path = %q, want %q", w.name, r.Path, wantPath)
		}
		if exists(t, wantPath) {
			t.Errorf("%s still in the drop folder", wantPath)
		}
		moved := filepath.Join(f.Dir, ProcessedName, today, w.name)
		if got := read(t, moved); got != w.content {
			t.Errorf("%s: content %q, want %q", moved, got, w.content)
		}
	}
	if recs[0].SHA256 != abcSHA {
		t.Errorf("SHA256(abc) = %s, want %s", recs[0].SHA256, abcSHA)
	}
	if !recs[0].ModTime.Equal(t0.Add(-3 * time.Hour)) {
		t.Errorf("ModTime = %v, want %v", recs[0].ModTime, t0.Add(-3*time.Hour))
	}
	for _, d := range []string{filepath.Join(f.Dir, ProcessedName), filepath.Join(f.Dir, ProcessedName, today)} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&^0o750 != 0 {
			t.Errorf("%s: mode %v, want at most 0750", d, perm)
		}
	}
	// The unit folders themselves stay.
	if !exists(t, filepath.Join(f.Dir, "Bauamt")) {
		t.Error("unit folder was removed")
	}

	// A second pass finds nothing.
	res = scan(t, f, st.Sink)
	if res.Imported != 0 || len(st.Offers()) != 3 || len(res.Errors) != 0 {
		t.Fatalf("second scan: result %+v, %d offers; want nothing", res, len(st.Offers()))
	}
}

func TestNameCollisionsGetUniqueNames(t *testing.T) {
	renamers := map[string]func(string, string) error{
		"default":            nil,
		"check-then-rename":  renameCheckThenRename,
		"renameNoReplace":    renameNoReplace,
		"racing-second-file": nil, // set below
	}
	for name, rename := range renamers {
		t.Run(name, func(t *testing.T) {
			f, _, _ := newFolder(t)
			f.noReplace = rename
			day := filepath.Join(f.Dir, ProcessedName, today)
			put(t, filepath.Join(day, "scan.pdf"), "from yesterday's import", t0.Add(-24*time.Hour))
			put(t, filepath.Join(day, "scan (3).pdf"), "also there", t0.Add(-24*time.Hour))
			put(t, filepath.Join(f.Dir, "scan.pdf"), "one", t0.Add(-3*time.Hour))
			put(t, filepath.Join(f.Dir, "Bauamt", "scan.pdf"), "two", t0.Add(-2*time.Hour))
			put(t, filepath.Join(f.Dir, "Kasse", "scan.pdf"), "three", t0.Add(-1*time.Hour))
			if name == "racing-second-file" {
				// Another writer takes "scan (2).pdf" between our check and
				// our rename: the atomic rename must not replace it.
				f.noReplace = func(oldpath, newpath string) error {
					if filepath.Base(newpath) == "scan (2).pdf" && !exists(t, newpath) {
						put(t, newpath, "racer", t0)
					}
					return renameNoReplace(oldpath, newpath)
				}
			}
			st := &store{}
			res := scan(t, f, st.Sink)
			if res.Imported != 3 || len(res.Errors) != 0 {
				t.Fatalf("result = %+v", res)
			}
			want := map[string]string{
				"scan.pdf":     "from yesterday's import",
				"scan (3).pdf": "also there",
				"scan (2).pdf": "one",
				"scan (4).pdf": "two",
				"scan (5).pdf": "three",
			}
			if name == "racing-second-file" {
				want["scan (2).pdf"] = "racer"
				want["scan (4).pdf"] = "one"
				want["scan (5).pdf"] = "two"
				want["scan (6).pdf"] = "three"
			}
			entries, err := os.ReadDir(day)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != len(want) {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("Processed holds %q, want %d files", names, len(want))
			}
			for n, content := range want {
				if got := read(t, filepath.Join(day, n)); got != content {
					t.Errorf("%s = %q, want %q", n, got, content)
				}
			}
		})
	}
}

func TestUniqueName(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want string
	}{
		{"brief.pdf", 1, "brief.pdf"},
		{"brief.pdf", 2, "brief (2).pdf"},
		{"archiv.tar.gz", 3, "archiv.tar (3).gz"},
		{"ohne", 2, "ohne (2)"},
		{"x.pdf.fehler.txt", 2, "x.pdf.fehler (2).txt"},
	} {
		if got := uniqueName(tc.name, tc.n); got != tc.want {
			t.Errorf("uniqueName(%q, %d) = %q, want %q", tc.name, tc.n, got, tc.want)
		}
	}
}

func TestYoungFilesWaitUntilOldEnough(t *testing.T) {
	f, clk, _ := newFolder(t) // MinAge: default 5s
	path := filepath.Join(f.Dir, "frisch.pdf")
	put(t, path, "still being written", t0.Add(-2*time.Second))
	put(t, filepath.Join(f.Dir, "Kasse", "frisch2.pdf"), "also young", t0.Add(-4*time.Second))
	st := &store{}

	res := scan(t, f, st.Sink)
	if res.Imported != 0 || res.Skipped != 2 || len(st.Offers()) != 0 {
		t.Fatalf("young: result %+v, %d offers; want 2 skipped, none offered", res, len(st.Offers()))
	}
	if !exists(t, path) {
		t.Fatal("young file was moved")
	}

	clk.Set(t0.Add(3 * time.Second)) // frisch.pdf is 5s old now, frisch2.pdf 7s
	res = scan(t, f, st.Sink)
	if res.Imported != 2 || res.Skipped != 0 {
		t.Fatalf("old enough: result %+v, want 2 imported", res)
	}
	res = scan(t, f, st.Sink)
	if res.Imported != 0 || len(st.Records()) != 2 || len(st.Offers()) != 2 {
		t.Fatalf("third scan: result %+v, %d records, %d offers", res, len(st.Records()), len(st.Offers()))
	}
}

func TestMinAgeOption(t *testing.T) {
	f, _, _ := newFolder(t)
	f.MinAge = time.Hour
	put(t, filepath.Join(f.Dir, "a.pdf"), "a", t0.Add(-59*time.Minute))
	put(t, filepath.Join(f.Dir, "b.pdf"), "b", t0.Add(-61*time.Minute))
	st := &store{}
	res := scan(t, f, st.Sink)
	if res.Imported != 1 || res.Skipped != 1 || st.Records()[0].Name != "b.pdf" {
		t.Fatalf("result %+v, records %+v; want b.pdf imported, a.pdf skipped", res, st.Records())
	}

	f.MinAge = -1 // no age check
	put(t, filepath.Join(f.Dir, "c.pdf"), "c", t0.Add(time.Hour))
	res = scan(t, f, st.Sink)
	if res.Imported != 2 {
		t.Fatalf("MinAge < 0: result %+v, want a.pdf and c.pdf imported", res)
	}
}

func TestIgnoredEntriesAreLeftAlone(t *testing.T) {
	f, _, logs := newFolder(t)
	old := t0.Add(-time.Hour)
	outside := t.TempDir()
	secret := filepath.Join(outside, "passwd")
	put(t, secret, "root:x:0:0", old)
	put(t, filepath.Join(outside, "einheit", "geheim.pdf"), "secret unit file", old)

	ignored := []string{
		".versteckt.pdf",
		"~$brief.docx",
		"upload.tmp",
		"upload.TMP",
		"download.pdf.part",
		"firefox.pdf.crdownload",
		"Thumbs.db",
		"Bauamt/.DS_Store",
		"Bauamt/~$notiz.docx",
		"Bauamt/tief/unten.pdf", // two levels down
		".Archiv/alt.pdf",       // hidden folder
		"$RECYCLE.BIN/$R1234.pdf",
		ProcessedName + "/" + today + "/schon.pdf",
		ProcessedName + "/lose.pdf",
		FailedName + "/kaputt.pdf",
	}
	for _, p := range ignored {
		put(t, filepath.Join(f.Dir, p), "ignored "+p, old)
	}
	put(t, filepath.Join(f.Dir, "echt.pdf"), "real", old)
	put(t, filepath.Join(f.Dir, "Bauamt", "echt2.pdf"), "real too", old)
	symlinks := map[string]string{
		"passwd.pdf":          secret,
		"Bauamt/passwd.pdf":   secret,
		"einheit-link":        filepath.Join(outside, "einheit"), // symlinked unit folder
		"relativ.pdf":         "echt.pdf",                        // even inside the folder
		"kaputt.pdf":          filepath.Join(outside, "gibt-es-nicht"),
		"Bauamt/etc-passwd":   "/etc/passwd",
		"Bauamt/ordner-link":  outside,
		"Bauamt/schleife.pdf": "schleife.pdf",
	}
	for link, target := range symlinks {
		if err := os.Symlink(target, filepath.Join(f.Dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	secretBefore, err := os.Stat(secret)
	if err != nil {
		t.Fatal(err)
	}

	st := &store{}
	res := scan(t, f, st.Sink)
	if res.Imported != 2 || len(res.Errors) != 0 {
		t.Fatalf("result %+v, want exactly the 2 real files imported", res)
	}
	var got []string
	for _, r := range st.Records() {
		got = append(got, r.Unit+"/"+r.Name)
	}
	slices.Sort(got)
	if want := []string{"/echt.pdf", "Bauamt/echt2.pdf"}; !slices.Equal(got, want) {
		t.Fatalf("imported %q, want %q", got, want)
	}
	for _, p := range ignored {
		if !exists(t, filepath.Join(f.Dir, p)) {
			t.Errorf("ignored %s was moved", p)
		}
	}
	for link, target := range symlinks {
		fi, err := os.Lstat(filepath.Join(f.Dir, link))
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("symlink %s: %v, mode %v; want it left in place", link, err, fi)
			continue
		}
		if got, _ := os.Readlink(filepath.Join(f.Dir, link)); got != target {
			t.Errorf("symlink %s now points to %q", link, got)
		}
	}
	if got := read(t, secret); got != "root:x:0:0" {
		t.Errorf("symlink target changed: %q", got)
	}
	if after, err := os.Stat(secret); err != nil || !os.SameFile(secretBefore, after) || !after.ModTime().Equal(secretBefore.ModTime()) {
		t.Errorf("symlink target touched: %v", err)
	}
	if !exists(t, filepath.Join(outside, "einheit", "geheim.pdf")) {
		t.Error("file behind a symlinked unit folder was moved")
	}
	for _, name := range []string{"passwd.pdf", "Bauamt/passwd.pdf", "einheit-link"} {
		if !strings.Contains(logs.String(), "symlink skipped") || !strings.Contains(logs.String(), name) {
			t.Errorf("no log line for the skipped symlink %s", name)
		}
	}
	if strings.Count(logs.String(), "level=WARN msg=\"watch folder: symlink skipped") != len(symlinks) {
		t.Errorf("want one WARN line per symlink")
	}

	// A persisting symlink is logged at Debug in later passes, not at Warn
	// again.
	before := strings.Count(logs.String(), "level=WARN")
	scan(t, f, st.Sink)
	if after := strings.Count(logs.String(), "level=WARN"); after != before {
		t.Errorf("second pass logged %d more WARN lines, want 0", after-before)
	}
}

// A symlink swapped in between listing and opening must not be read.
func TestSymlinkSwappedInAfterListingIsNotRead(t *testing.T) {
	f, _, _ := newFolder(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "shadow")
	put(t, secret, "secret", t0.Add(-time.Hour))
	path := filepath.Join(f.Dir, "scan.pdf")
	put(t, path, "scan", t0.Add(-time.Hour))

	swap := true
	// Same with a plain open (no O_NOFOLLOW): the inode check must catch it.
	for _, open := range []func(string) (*os.File, error){openNoFollow, os.Open} {
		swap = true
		put(t, path+".orig", "scan", t0.Add(-time.Hour))
		_ = os.Remove(path)
		if err := os.Rename(path+".orig", path); err != nil {
			t.Fatal(err)
		}
		o := open
		f.openFile = func(name string) (*os.File, error) {
			if swap && name == path {
				swap = false
				if err := os.Rename(path, path+".orig"); err != nil {
					return nil, err
				}
				if err := os.Symlink(secret, path); err != nil {
					return nil, err
				}
			}
			return o(name)
		}
		st := &store{}
		res := scan(t, f, st.Sink)
		if len(st.Offers()) != 0 || res.Imported != 0 {
			t.Fatalf("offered %+v after the swap (result %+v)", st.Offers(), res)
		}
		if got := read(t, secret); got != "secret" || !exists(t, secret) {
			t.Fatal("symlink target touched")
		}
		if fi, err := os.Lstat(path); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the swapped-in symlink was moved: %v", err)
		}
	}
}

func TestTransientSinkErrorLeavesFileForNextScan(t *testing.T) {
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "Bauamt", "antrag.pdf")
	put(t, path, "antrag", t0.Add(-2*time.Hour))
	put(t, filepath.Join(f.Dir, "anderes.pdf"), "other", t0.Add(-time.Hour))
	st := &store{}
	calls := 0
	st.fail = func(f File) error {
		if f.Name == "antrag.pdf" {
			calls++
			if calls == 1 {
				return errors.New("database is down")
			}
		}
		return nil
	}

	res := scan(t, f, st.Sink)
	if res.Imported != 1 || res.Failed != 0 || len(res.Errors) != 1 {
		t.Fatalf("result %+v, want 1 imported and 1 error", res)
	}
	if msg := res.Errors[0].Error(); !strings.Contains(msg, "Bauamt/antrag.pdf") || !strings.Contains(msg, "database is down") {
		t.Errorf("error %q names neither file nor cause", msg)
	}
	if IsPermanent(res.Errors[0]) {
		t.Error("transient error reported as permanent")
	}
	if got := read(t, path); got != "antrag" {
		t.Fatalf("file after transient error: %q", got)
	}

	res = scan(t, f, st.Sink)
	if res.Imported != 1 || len(res.Errors) != 0 {
		t.Fatalf("retry: result %+v, want 1 imported", res)
	}
	if exists(t, path) || read(t, filepath.Join(f.Dir, ProcessedName, today, "antrag.pdf")) != "antrag" {
		t.Fatal("retried file not in Processed")
	}
}

func TestPermanentErrorMovesToFailedWithSidecar(t *testing.T) {
	f, _, _ := newFolder(t)
	f.Failed = filepath.Join(t.TempDir(), "abgelehnt") // outside Dir, created on demand
	path := filepath.Join(f.Dir, "Kasse", "virus.exe")
	put(t, path, "MZ...", t0.Add(-time.Hour))
	st := &store{fail: func(File) error {
		return Permanent(errors.New("Dateityp nicht zulässig: application/x-msdownload"))
	}}

	res := scan(t, f, st.Sink)
	if res.Imported != 0 || res.Failed != 1 || len(res.Errors) != 1 || !IsPermanent(res.Errors[0]) {
		t.Fatalf("result %+v, want 1 failed with a permanent error", res)
	}
	if exists(t, path) {
		t.Fatal("rejected file still in the drop folder")
	}
	moved := filepath.Join(f.Failed, "virus.exe")
	if got := read(t, moved); got != "MZ..." {
		t.Fatalf("moved content %q", got)
	}
	sidecar := read(t, moved+SidecarSuffix)
	for _, want := range []string{"Dateityp nicht zulässig: application/x-msdownload", "Kasse", "virus.exe", sum("MZ...")} {
		if !strings.Contains(sidecar, want) {
			t.Errorf("sidecar lacks %q:\n%s", want, sidecar)
		}
	}
	if fi, err := os.Stat(f.Failed); err != nil || fi.Mode().Perm()&^0o750 != 0 {
		t.Errorf("Failed folder: %v %v", fi, err)
	}
	if exists(t, filepath.Join(f.Dir, ProcessedName)) {
		t.Error("Processed created although nothing was imported")
	}
	res = scan(t, f, st.Sink)
	if res.Failed != 0 || len(st.Offers()) != 1 {
		t.Fatalf("second scan: %+v, %d offers", res, len(st.Offers()))
	}

	// A name is only taken when its sidecar's name is free, too; nothing in
	// Failed is overwritten.
	put(t, filepath.Join(f.Failed, "makro.docm.fehler.txt"), "orphan", t0.Add(-48*time.Hour))
	put(t, filepath.Join(f.Dir, "makro.docm"), "macro 1", t0.Add(-time.Hour))
	put(t, filepath.Join(f.Dir, "Kasse", "virus.exe"), "MZ again", t0.Add(-time.Hour))
	res = scan(t, f, st.Sink)
	if res.Failed != 2 || len(res.Errors) != 2 {
		t.Fatalf("third scan: %+v", res)
	}
	for name, content := range map[string]string{
		"makro.docm.fehler.txt": "orphan",
		"makro (2).docm":        "macro 1",
		"virus.exe":             "MZ...",
		"virus (2).exe":         "MZ again",
	} {
		if got := read(t, filepath.Join(f.Failed, name)); got != content {
			t.Errorf("%s = %q, want %q", name, got, content)
		}
	}
	if exists(t, filepath.Join(f.Failed, "makro.docm")) {
		t.Error("file took a name whose sidecar name is taken")
	}
	for _, name := range []string{"makro (2).docm", "virus (2).exe"} {
		if !strings.Contains(read(t, filepath.Join(f.Failed, name+SidecarSuffix)), "Dateityp nicht zulässig") {
			t.Errorf("%s has no sidecar", name)
		}
	}
}

func TestPermanent(t *testing.T) {
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	base := errors.New("kaputt")
	err := fmt.Errorf("sink: %w", Permanent(base))
	if !IsPermanent(err) || !errors.Is(err, base) || err.Error() != "sink: kaputt" {
		t.Errorf("wrapped permanent error: %v", err)
	}
	if IsPermanent(base) {
		t.Error("plain error is permanent")
	}
}

// The idempotent sink stored the file, then the move did not happen (the
// process "died"): the next pass offers the same file again, the sink
// dedupes, and the file ends in Processed, with one record.
func TestOfferedAgainAfterLostMoveIsStoredOnce(t *testing.T) {
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "Bauamt", "bescheid.pdf")
	put(t, path, "bescheid", t0.Add(-time.Hour))
	st := &store{}

	// First pass: the sink commits, then the rename fails the way a crash
	// would leave things: nothing moved.
	f.noReplace = func(string, string) error { return syscall.EXDEV }
	res := scan(t, f, st.Sink)
	if res.Imported != 0 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], syscall.EXDEV) {
		t.Fatalf("result %+v, want the move error", res)
	}
	if len(st.Records()) != 1 || read(t, path) != "bescheid" {
		t.Fatal("want the record stored and the file still in place")
	}

	f.noReplace = nil
	res = scan(t, f, st.Sink)
	if res.Imported != 1 {
		t.Fatalf("second pass: %+v", res)
	}
	offers := st.Offers()
	if len(offers) != 2 || !sameOffer(offers[0], offers[1]) {
		t.Fatalf("offers %+v, want the same file twice", offers)
	}
	if len(st.Records()) != 1 {
		t.Fatalf("%d records, want 1", len(st.Records()))
	}
	if exists(t, path) || read(t, filepath.Join(f.Dir, ProcessedName, today, "bescheid.pdf")) != "bescheid" {
		t.Fatal("file not in Processed")
	}
}

// crashEnv makes TestCrashHelper act: it runs a Scan whose sink stores the
// file in a file-backed store and then kills the process before Scan can
// move the file.
const crashEnv = "WATCH_TEST_CRASH_HELPER"

// fileStore is an idempotent sink that survives the process: one line per
// stored file, "unit\tname\tsha256".
type fileStore string

func (s fileStore) lines() []string {
	b, err := os.ReadFile(string(s))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		panic(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func (s fileStore) Sink(_ context.Context, f File) error {
	key := f.Unit + "\t" + f.Name + "\t" + f.SHA256
	if slices.Contains(s.lines(), key) {
		return nil
	}
	fh, err := os.OpenFile(string(s), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer fh.Close()
	if _, err := fh.WriteString(key + "\n"); err != nil {
		return err
	}
	return fh.Sync()
}

func TestCrashHelper(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashBetweenSinkAndMove")
	}
	f := &Folder{Dir: dir, Now: func() time.Time { return t0 }}
	st := fileStore(filepath.Join(dir, ".store"))
	_, _ = f.Scan(context.Background(), func(ctx context.Context, file File) error {
		if err := st.Sink(ctx, file); err != nil {
			return err
		}
		os.Exit(42) // the record is committed; the process dies before the move
		return nil
	})
	t.Fatal("not reached")
}

func TestCrashBetweenSinkAndMove(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip()
	}
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "Standesamt", "urkunde.pdf")
	put(t, path, "urkunde", t0.Add(-time.Hour))
	st := fileStore(filepath.Join(f.Dir, ".store")) // hidden: not imported itself

	cmd := testCommand(t, "-test.run=^TestCrashHelper$")
	cmd.Env = append(os.Environ(), crashEnv+"="+f.Dir)
	out, err := cmd.CombinedOutput()
	var exit interface{ ExitCode() int }
	if !errors.As(err, &exit) || exit.ExitCode() != 42 {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if got := st.lines(); len(got) != 1 {
		t.Fatalf("store after crash: %q, want 1 record", got)
	}
	if read(t, path) != "urkunde" {
		t.Fatal("file not in the drop folder after the crash")
	}

	offers := 0
	res := scan(t, f, func(ctx context.Context, file File) error {
		offers++
		return st.Sink(ctx, file)
	})
	if res.Imported != 1 || offers != 1 {
		t.Fatalf("after restart: result %+v, %d offers", res, offers)
	}
	if got := st.lines(); len(got) != 1 || got[0] != "Standesamt\turkunde.pdf\t"+sum("urkunde") {
		t.Fatalf("store: %q, want the one record", got)
	}
	if exists(t, path) || read(t, filepath.Join(f.Dir, ProcessedName, today, "urkunde.pdf")) != "urkunde" {
		t.Fatal("file not in Processed")
	}
}

func TestMaxFiles(t *testing.T) {
	f, _, _ := newFolder(t)
	f.MaxFiles = 2
	for i := range 5 {
		put(t, filepath.Join(f.Dir, fmt.Sprintf("f%d.pdf", i)), fmt.Sprint(i), t0.Add(-time.Duration(10-i)*time.Minute))
	}
	st := &store{}
	var imported []string
	for pass, want := range []int{2, 2, 1, 0} {
		res := scan(t, f, st.Sink)
		if res.Imported != want || res.Remaining != (pass < 2) || res.Skipped != 5-len(imported)-want {
			t.Fatalf("pass %d: result %+v, want %d imported", pass, res, want)
		}
		for _, r := range st.Records()[len(imported):] {
			imported = append(imported, r.Name)
		}
	}
	if want := []string{"f0.pdf", "f1.pdf", "f2.pdf", "f3.pdf", "f4.pdf"}; !slices.Equal(imported, want) {
		t.Fatalf("imported %q, want oldest first %q", imported, want)
	}
}

func TestUnreadableFileIsReportedNotFatal(t *testing.T) {
	t.Run("chmod", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads files with mode 000")
		}
		f, _, _ := newFolder(t)
		path := filepath.Join(f.Dir, "gesperrt.pdf")
		put(t, path, "locked", t0.Add(-2*time.Hour))
		put(t, filepath.Join(f.Dir, "offen.pdf"), "open", t0.Add(-time.Hour))
		if err := os.Chmod(path, 0); err != nil {
			t.Fatal(err)
		}
		unit := filepath.Join(f.Dir, "Gesperrt")
		put(t, filepath.Join(unit, "x.pdf"), "x", t0.Add(-time.Hour))
		if err := os.Chmod(unit, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(unit, 0o755) })
		st := &store{}
		res := scan(t, f, st.Sink)
		if res.Imported != 1 || len(res.Errors) != 2 {
			t.Fatalf("result %+v, want 1 imported, 2 errors", res)
		}
		if !errors.Is(errors.Join(res.Errors...), fs.ErrPermission) {
			t.Errorf("errors %v, want permission errors", res.Errors)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if read(t, path) != "locked" {
			t.Fatal("unreadable file touched")
		}
	})
	t.Run("open error", func(t *testing.T) {
		f, _, _ := newFolder(t)
		path := filepath.Join(f.Dir, "Kasse", "gesperrt.pdf")
		put(t, path, "locked", t0.Add(-2*time.Hour))
		put(t, filepath.Join(f.Dir, "offen.pdf"), "open", t0.Add(-time.Hour))
		f.openFile = func(name string) (*os.File, error) {
			if name == path {
				return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
			}
			return openNoFollow(name)
		}
		st := &store{}
		res := scan(t, f, st.Sink)
		if res.Imported != 1 || len(res.Errors) != 1 || !errors.Is(res.Errors[0], fs.ErrPermission) ||
			!strings.Contains(res.Errors[0].Error(), "Kasse/gesperrt.pdf") {
			t.Fatalf("result %+v, want 1 imported and the permission error", res)
		}
		if read(t, path) != "locked" {
			t.Fatal("unreadable file touched")
		}
	})
}

func TestFileChangedWhileHashedIsSkipped(t *testing.T) {
	appendTo := func(t *testing.T, name, text string, mtime time.Time) {
		w, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.WriteString(text); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, f *Folder, path string) // installs a hook that changes the file once
		want   string
	}{
		{"grows between listing and open", func(t *testing.T, f *Folder, path string) {
			f.openFile = func(name string) (*os.File, error) {
				f.openFile = nil
				appendTo(t, name, ", part 2", t0.Add(-time.Minute))
				return openNoFollow(name)
			}
		}, "part 1, part 2"},
		{"grows while read", func(t *testing.T, f *Folder, path string) {
			f.afterHash = func(name string) {
				f.afterHash = nil
				appendTo(t, name, ", part 2", t0.Add(-time.Minute))
			}
		}, "part 1, part 2"},
		{"same size, new mtime while read", func(t *testing.T, f *Folder, path string) {
			f.afterHash = func(name string) {
				f.afterHash = nil
				if err := os.WriteFile(name, []byte("part X"), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(name, t0.Add(-time.Minute), t0.Add(-time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
		}, "part X"},
		{"replaced while read", func(t *testing.T, f *Folder, path string) {
			f.afterHash = func(name string) {
				f.afterHash = nil
				put(t, name+".neu", "part 1", t0.Add(-time.Hour)) // same size and mtime, other inode
				if err := os.Rename(name+".neu", name); err != nil {
					t.Fatal(err)
				}
			}
		}, "part 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, _ := newFolder(t)
			path := filepath.Join(f.Dir, "wachsend.pdf")
			put(t, path, "part 1", t0.Add(-time.Hour))
			tc.change(t, f, path)
			st := &store{}
			res := scan(t, f, st.Sink)
			if res.Imported != 0 || res.Skipped != 1 || len(res.Errors) != 0 || len(st.Offers()) != 0 {
				t.Fatalf("result %+v, offers %d; want the file skipped", res, len(st.Offers()))
			}
			res = scan(t, f, st.Sink)
			if res.Imported != 1 || st.Records()[0].Content != tc.want || st.Records()[0].SHA256 != sum(tc.want) {
				t.Fatalf("next pass: %+v %+v", res, st.Records())
			}
		})
	}
}

// A file that changes while the sink stores it is not moved: what is in the
// folder now was not stored.
func TestFileChangedDuringSinkStaysInPlace(t *testing.T) {
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "brief.pdf")
	put(t, path, "v1", t0.Add(-time.Hour))
	st := &store{}
	first := true
	sink := func(ctx context.Context, file File) error {
		err := st.Sink(ctx, file)
		if first {
			first = false
			put(t, path, "v2 longer", t0.Add(-30*time.Minute))
		}
		return err
	}
	res := scan(t, f, sink)
	if res.Imported != 0 || len(res.Errors) != 1 || read(t, path) != "v2 longer" {
		t.Fatalf("result %+v, want the file left in place with an error", res)
	}
	res = scan(t, f, sink)
	if res.Imported != 1 || len(st.Records()) != 2 {
		t.Fatalf("next pass: %+v, records %+v", res, st.Records())
	}
	if read(t, filepath.Join(f.Dir, ProcessedName, today, "brief.pdf")) != "v2 longer" {
		t.Fatal("wrong content in Processed")
	}
}

func TestSinkPanicIsAnError(t *testing.T) {
	f, _, _ := newFolder(t)
	path := filepath.Join(f.Dir, "a.pdf")
	put(t, path, "a", t0.Add(-time.Hour))
	res := scan(t, f, func(context.Context, File) error { panic("boom") })
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), "boom") || !exists(t, path) {
		t.Fatalf("result %+v", res)
	}
}

func TestScanErrors(t *testing.T) {
	f, _, _ := newFolder(t)
	f.Dir = filepath.Join(f.Dir, "nicht-gemountet")
	if _, err := f.Scan(context.Background(), (&store{}).Sink); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing Dir: err = %v", err)
	}
	f.Dir = t.TempDir()
	f.Processed = f.Dir
	if _, err := f.Scan(context.Background(), (&store{}).Sink); err == nil {
		t.Error("Processed == Dir accepted")
	}
	f.Processed = ""
	if _, err := f.Scan(context.Background(), nil); err == nil {
		t.Error("nil sink accepted")
	}

	put(t, filepath.Join(f.Dir, "a.pdf"), "a", t0.Add(-time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := f.Scan(ctx, (&store{}).Sink)
	if !errors.Is(err, context.Canceled) || res.Imported != 0 || !exists(t, filepath.Join(f.Dir, "a.pdf")) {
		t.Errorf("cancelled: %+v, %v", res, err)
	}
}

// Processed configured as a sub-folder with another name is not scanned as
// a unit folder.
func TestCustomProcessedInsideDir(t *testing.T) {
	f, _, _ := newFolder(t)
	f.Processed = filepath.Join(f.Dir, "Erledigt")
	put(t, filepath.Join(f.Dir, "a.pdf"), "a", t0.Add(-time.Hour))
	st := &store{}
	if res := scan(t, f, st.Sink); res.Imported != 1 {
		t.Fatalf("result %+v", res)
	}
	if read(t, filepath.Join(f.Dir, "Erledigt", today, "a.pdf")) != "a" {
		t.Fatal("not in the custom Processed folder")
	}
	// Erledigt/<date>/a.pdf is two levels down anyway; a file directly in
	// Erledigt would be one level down.
	put(t, filepath.Join(f.Dir, "Erledigt", "b.pdf"), "b", t0.Add(-time.Hour))
	if res := scan(t, f, st.Sink); res.Imported != 0 || len(st.Offers()) != 1 {
		t.Fatalf("Processed folder scanned as a unit: %+v", res)
	}
	// The default name is then an ordinary unit folder.
	put(t, filepath.Join(f.Dir, ProcessedName, "c.pdf"), "c", t0.Add(-time.Hour))
	if res := scan(t, f, st.Sink); res.Imported != 1 || st.Records()[1].Unit != ProcessedName {
		t.Fatalf("result %+v", res)
	}
}

func TestRunImportsUntilCancelled(t *testing.T) {
	f, _, _ := newFolder(t)
	put(t, filepath.Join(f.Dir, "a.pdf"), "a", t0.Add(-time.Hour))
	st := &store{}
	imported := make(chan string, 10)
	sink := func(ctx context.Context, file File) error {
		if err := st.Sink(ctx, file); err != nil {
			return err
		}
		imported <- file.Name
		return nil
	}
	scans := make(chan Result, 100)
	f.AfterScan = func(r Result, _ error) {
		select {
		case scans <- r:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx, time.Millisecond, sink) }()

	if got := <-imported; got != "a.pdf" {
		t.Fatalf("first import %q", got)
	}
	// A file dropped while Run is running is picked up by a later pass.
	put(t, filepath.Join(f.Dir, "Bauamt", "b.pdf"), "b", t0.Add(-time.Hour))
	if got := <-imported; got != "b.pdf" {
		t.Fatalf("second import %q", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v, want context.Canceled", err)
	}
	if len(scans) == 0 {
		t.Error("AfterScan not called")
	}
	if n := len(st.Records()); n != 2 {
		t.Fatalf("%d records", n)
	}
}

// When MaxFiles ended a pass, Run starts the next one at once instead of
// waiting for the interval (an hour here; the deadline only turns a hang
// into a failure).
func TestRunContinuesAtOnceAfterMaxFiles(t *testing.T) {
	f, _, _ := newFolder(t)
	f.MaxFiles = 1
	for i := range 3 {
		put(t, filepath.Join(f.Dir, fmt.Sprintf("f%d.pdf", i)), fmt.Sprint(i), t0.Add(-time.Hour))
	}
	st := &store{}
	imported := make(chan struct{}, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- f.Run(ctx, time.Hour, func(ctx context.Context, file File) error {
			err := st.Sink(ctx, file)
			imported <- struct{}{}
			return err
		})
	}()
	deadline := time.After(time.Minute)
	for i := range 3 {
		select {
		case <-imported:
		case <-deadline:
			t.Fatalf("only %d of 3 files imported: Run waited for the interval", i)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
}

func TestRunKeepsGoingWhenDirIsMissing(t *testing.T) {
	f, _, logs := newFolder(t)
	dir := f.Dir
	f.Dir = filepath.Join(dir, "share")
	errs := make(chan error, 100)
	f.AfterScan = func(_ Result, err error) {
		select {
		case errs <- err:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	imported := make(chan struct{}, 1)
	st := &store{}
	done := make(chan error, 1)
	go func() {
		done <- f.Run(ctx, time.Millisecond, func(ctx context.Context, file File) error {
			err := st.Sink(ctx, file)
			imported <- struct{}{}
			return err
		})
	}()
	if err := <-errs; !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("first pass: %v", err)
	}
	<-errs // a second failing pass: Run went on
	// The share gets mounted.
	put(t, filepath.Join(dir, "share.tmp", "a.pdf"), "a", t0.Add(-time.Hour))
	if err := os.Rename(filepath.Join(dir, "share.tmp"), f.Dir); err != nil {
		t.Fatal(err)
	}
	<-imported
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 {
		t.Errorf("%d ERROR lines for the same missing folder, want 1", n)
	}
}
