package records_test

import (
	"testing"
	"time"

	"aktenwerk/internal/records"
)

func TestParseAuditTime(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		in   string
		end  bool
		want time.Time
	}{
		// calendar dates are days in Europe/Berlin: winter (CET) …
		{"2026-01-15", false, utc("2026-01-14T23:00:00Z")},
		{"2026-01-15", true, utc("2026-01-15T22:59:59.999999Z")},
		// … the day summer time starts (23 hours) …
		{"2026-03-29", false, utc("2026-03-28T23:00:00Z")},
		{"2026-03-29", true, utc("2026-03-29T21:59:59.999999Z")},
		// … and the day it ends (25 hours)
		{"2026-10-25", false, utc("2026-10-24T22:00:00Z")},
		{"2026-10-25", true, utc("2026-10-25T22:59:59.999999Z")},
		{" 2026-07-01 ", false, utc("2026-06-30T22:00:00Z")},
		// points in time are taken as given, whatever end says
		{"2026-03-15T09:30:00+01:00", false, utc("2026-03-15T08:30:00Z")},
		{"2026-03-15T09:30:00+01:00", true, utc("2026-03-15T08:30:00Z")},
		{"2026-03-15T08:30:00.123456Z", true, utc("2026-03-15T08:30:00.123456Z")},
	} {
		got, err := records.ParseAuditTime(c.in, c.end)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("%q (end %v): %v, want %v", c.in, c.end, got, c.want)
		}
	}
	for _, bad := range []string{"", "15.03.2026", "2026-02-30", "2026-3-5", "2026-03-15 09:30", "2026-03-15T09:30:00", "gestern"} {
		if got, err := records.ParseAuditTime(bad, false); err == nil {
			t.Errorf("%q accepted as %v", bad, got)
		}
	}
}
