//go:build unix

package dovecottest

import "syscall"

// sysProcAttr puts Dovecot into a process group of its own, so that
// killGroup reaches its children too.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup signals the process group of the Dovecot master started by
// Start (and nothing else).
func signalGroup(pid int, kill bool) {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	syscall.Kill(-pid, sig)
}
