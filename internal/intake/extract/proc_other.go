//go:build !unix

package extract

import "os/exec"

// isolate: without process groups only the started process is killed.
func isolate(cmd *exec.Cmd) {}
