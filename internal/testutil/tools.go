// Package testutil holds helpers shared by tests.
package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTool returns the path of an external program a test needs. When
// AKTENWERK_REQUIRE_TOOLS is set (.ci/run sets it) a missing tool fails the
// test; otherwise, on a developer's machine, the test is skipped.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("AKTENWERK_REQUIRE_TOOLS") != "" {
		t.Fatalf("%s is required (AKTENWERK_REQUIRE_TOOLS is set) but not installed", name)
	}
	t.Skipf("%s not installed", name)
	return ""
}
