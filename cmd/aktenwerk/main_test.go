package main

import "testing"

func TestBuilds(t *testing.T) {
	if len("aktenwerk") == 0 {
		t.Fatal("unreachable")
	}
}
