//go:build unix

package extract

import (
	"os/exec"
	"syscall"
)

// isolate puts the command into its own process group so that a timeout
// stops the program and everything it started (LibreOffice's soffice.bin,
// OCRmyPDF's tesseract and Ghostscript children), not just the first process.
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		// The leader is not reaped yet (Cancel runs before Wait returns), so
		// its pid is still the group's id and cannot have been reused.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return cmd.Process.Kill()
	}
}
