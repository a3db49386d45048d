package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"aktenwerk/internal/testutil"
)

// countingFile is an *os.File that counts what is read from it.
type countingFile struct {
	*os.File
	n int64
}

func (c *countingFile) Read(p []byte) (int, error) {
	n, err := c.File.Read(p)
	c.n += int64(n)
	return n, err
}

// sized is a reader that knows its size, like blob.File.
type sized struct {
	io.Reader
	size  int64
	reads int
}

func (s *sized) Size() int64 { return s.size }
func (s *sized) Read(p []byte) (int, error) {
	s.reads++
	return s.Reader.Read(p)
}

// zeros is an endless stream without a size.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

func TestTwoGigabyteFileRefusedWithoutReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "riesig.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()

	_, err = ExtractFile(context.Background(), path, "application/pdf", Options{Tools: &Tools{}})
	if !errors.Is(err, ErrTooLarge) || Retryable(err) {
		t.Fatalf("ExtractFile: %v", err)
	}
	if r := Reason(err); r != "Datei ist zu groß für die Texterkennung: 2,0 GiB, erlaubt sind höchstens 512,0 MiB" {
		t.Errorf("reason %q", r)
	}

	f, _ = os.Open(path)
	defer f.Close()
	cf := &countingFile{File: f}
	_, err = Extract(context.Background(), cf, "", Options{Tools: &Tools{}, TempDir: t.TempDir()})
	if !errors.Is(err, ErrTooLarge) || cf.n != 0 {
		t.Errorf("Extract(*os.File): %v after reading %d bytes", err, cf.n)
	}

	s := &sized{Reader: &zeros{}, size: 2 << 30}
	_, err = Extract(context.Background(), s, "", Options{Tools: &Tools{}, TempDir: t.TempDir()})
	if !errors.Is(err, ErrTooLarge) || s.reads != 0 {
		t.Errorf("Extract(sized): %v after %d reads", err, s.reads)
	}

	// a stream without a size is read up to the limit and not further
	z := &zeros{}
	_, err = Extract(context.Background(), z, "", Options{Tools: &Tools{}, TempDir: t.TempDir(), MaxInputBytes: 1 << 20})
	if !errors.Is(err, ErrTooLarge) || z.n > 1<<20+64<<10 {
		t.Errorf("stream: %v after reading %d bytes", err, z.n)
	}
}

// fakeTool writes an executable script that stands in for a program.
func fakeTool(t *testing.T, script string) *Tools {
	t.Helper()
	testutilNeedSh(t)
	path := filepath.Join(t.TempDir(), "fake-pdftotext")
	if err := os.WriteFile(path, []byte("#!/bin/sh\nPATH=/usr/bin:/bin\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return &Tools{All: []Tool{{Name: ToolPdftotext, Path: path, Available: true, Version: "fake"}}}
}

func testutilNeedSh(t *testing.T) {
	// the fake tools are shell scripts: missing sh fails in CI, skips elsewhere
	testutil.NeedTool(t, "sh")
}

var minimalPDF = []byte("%PDF-1.4\n%%EOF\n")

func TestToolTimeoutKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "child.pid")
	// the "tool" starts a child and then hangs; both must be stopped
	tools := fakeTool(t, "sleep 600 &\necho $! > "+pidFile+"\nsleep 600\n")
	_, err := extractBytes(t, minimalPDF, "application/pdf", Options{Tools: tools, ToolTimeout: 500 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || !Retryable(err) {
		t.Fatalf("want ErrTimeout, got %v", err)
	}
	if r := Reason(err); !strings.Contains(r, "pdftotext lief länger als 500 ms") {
		t.Errorf("reason %q", r)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	// the orphaned child is killed with the group; wait until it is reaped
	// by init (bounded, no timing claim)
	for i := 0; ; i++ {
		err := syscall.Kill(pid, 0)
		if errors.Is(err, syscall.ESRCH) {
			break
		}
		if stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); strings.Contains(string(stat), ") Z ") {
			break // killed, only not reaped yet
		}
		if i == 100 {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child %d of the timed-out tool still runs", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestToolOutputLimit(t *testing.T) {
	tools := fakeTool(t, "exec yes Bewilligungsbescheid\n")
	r, err := extractBytes(t, minimalPDF, "application/pdf", Options{Tools: tools, MaxTextBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Text) > 64<<10 || !strings.HasPrefix(r.Text, "Bewilligungsbescheid\nBewilligungsbescheid") {
		t.Errorf("text of %d bytes", len(r.Text))
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "abgeschnitten") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestToolCannotStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not-executable")
	os.WriteFile(path, []byte("nothing"), 0o644)
	tools := &Tools{All: []Tool{{Name: ToolPdftotext, Path: path, Available: true}}}
	_, err := extractBytes(t, minimalPDF, "application/pdf", Options{Tools: tools})
	var tm *ErrToolMissing
	if !errors.As(err, &tm) || tm.Problem != "lässt sich nicht starten" {
		t.Errorf("%v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	tools := fakeTool(t, "sleep 600\n")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()
	_, err := Extract(ctx, strings.NewReader(string(minimalPDF)), "application/pdf", Options{Tools: tools, TempDir: t.TempDir()})
	if !errors.Is(err, context.Canceled) || Reason(err) != "Texterkennung abgebrochen" || !Retryable(err) {
		t.Errorf("%v", err)
	}
}

func TestTempDirRemoved(t *testing.T) {
	tools := need(t, ToolPdftotext, ToolPdfinfo)
	tmp := t.TempDir()
	pdf := makePDF(t, []pdfPage{textLines(bescheidLines...)}, nil)
	if _, err := Extract(context.Background(), strings.NewReader(string(pdf)), "", Options{Tools: tools, TempDir: tmp}); err != nil {
		t.Fatal(err)
	}
	if _, err := Extract(context.Background(), strings.NewReader("%PDF-kaputt"), "", Options{Tools: tools, TempDir: tmp}); !errors.Is(err, ErrCorrupt) {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// LibreOffice calls run side by side, each with its own profile.
func TestLibreOfficeParallel(t *testing.T) {
	tools := need(t, ToolLibreOffice)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	texts := make([]string, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := makeDOCX(t, []string{"Parallel " + strconv.Itoa(i), officeParas[0]}, nil, "")
			r, err := Extract(context.Background(), strings.NewReader(string(doc)), "", Options{Tools: tools, UseLibreOffice: true, TempDir: t.TempDir()})
			errs[i], texts[i] = err, r.Text
		}()
	}
	wg.Wait()
	for i := range 3 {
		if errs[i] != nil || !strings.Contains(texts[i], "Parallel "+strconv.Itoa(i)) {
			t.Errorf("%d: %v %q", i, errs[i], texts[i])
		}
	}
}
