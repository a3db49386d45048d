package extract

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"time"
)

// proc is one call of an external program. Programs are started directly
// (never through a shell), with arguments that we build ourselves: file
// names are always our own ("input.pdf" in a fresh temp dir), never a
// user's, so a name like "-o" cannot become an option.
type proc struct {
	tool    string // name for messages, e.g. "pdftotext"
	path    string // resolved program path
	args    []string
	dir     string        // working dir: the call's private temp dir
	timeout time.Duration // hard limit for this process
	maxOut  int64         // stdout beyond this is dropped and the process stopped
	env     []string      // extra KEY=VALUE pairs
}

type procResult struct {
	stdout    []byte
	stderr    string
	code      int  // exit code; -1 when killed
	truncated bool // stdout reached maxOut; the process was stopped
}

const maxStderr = 64 << 10

// capWriter keeps at most max bytes and calls over once when more arrive.
type capWriter struct {
	buf  bytes.Buffer
	max  int64
	hit  bool
	over func()
}

func (w *capWriter) Write(p []byte) (int, error) {
	room := w.max - int64(w.buf.Len())
	if int64(len(p)) <= room {
		w.buf.Write(p)
		return len(p), nil
	}
	if room > 0 {
		w.buf.Write(p[:room])
	}
	if !w.hit {
		w.hit = true
		if w.over != nil {
			w.over()
		}
	}
	return len(p), nil
}

// toolEnv is the whole environment of a tool: no inherited secrets, HOME
// and TMPDIR inside the call's temp dir (LibreOffice and OCRmyPDF write
// there), one OpenMP thread for tesseract (parallel jobs are the job
// runner's business; nested threads only slow a 2-core machine down).
func toolEnv(dir string, extra []string) []string {
	env := []string{
		"PATH=" + envOr("PATH", "/usr/local/bin:/usr/bin:/bin"),
		"HOME=" + dir,
		"TMPDIR=" + dir,
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
		"OMP_THREAD_LIMIT=1",
	}
	if v := os.Getenv("TESSDATA_PREFIX"); v != "" {
		env = append(env, "TESSDATA_PREFIX="+v)
	}
	return append(env, extra...)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// run starts the program and waits for it. A non-zero exit is not an error
// here (callers read tools' exit codes); errors are: the program cannot be
// started (*ErrToolMissing), its time ran out (ErrTimeout), or ctx ended
// (ctx.Err()).
func run(ctx context.Context, p proc) (procResult, error) {
	if p.path == "" {
		return procResult{}, &ErrToolMissing{Tool: p.tool, Package: packageOf(p.tool)}
	}
	tctx, stop := context.WithTimeout(ctx, p.timeout)
	defer stop()
	kctx, kill := context.WithCancel(tctx)
	defer kill()

	cmd := exec.CommandContext(kctx, p.path, p.args...)
	cmd.Dir = p.dir
	cmd.Env = toolEnv(p.dir, p.env)
	cmd.Stdin = nil // /dev/null
	out := &capWriter{max: p.maxOut, over: kill}
	errb := &capWriter{max: maxStderr}
	cmd.Stdout = out
	cmd.Stderr = errb
	cmd.WaitDelay = 3 * time.Second // children holding our pipes cannot block Wait
	isolate(cmd)

	err := cmd.Run()
	res := procResult{stdout: out.buf.Bytes(), stderr: errb.buf.String(), code: cmd.ProcessState.ExitCode(), truncated: out.hit}
	if cmd.ProcessState == nil { // never started
		var ee *exec.Error
		if errors.As(err, &ee) || errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
			return res, &ErrToolMissing{Tool: p.tool, Package: packageOf(p.tool), Problem: "lässt sich nicht starten"}
		}
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		return res, err
	}
	switch {
	case ctx.Err() != nil:
		return res, ctx.Err()
	case out.hit:
		return res, nil // caller warns about the cut
	case tctx.Err() != nil:
		return res, fail(ErrTimeout, nil, "%s lief länger als %s und wurde beendet", p.tool, fmtDuration(p.timeout))
	}
	return res, nil
}

func fmtDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return formatInt(int64(d/time.Minute)) + " min"
	case d >= time.Second:
		return formatInt(int64(d/time.Second)) + " s"
	default:
		return formatInt(int64(d/time.Millisecond)) + " ms"
	}
}
