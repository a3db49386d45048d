package audit_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"aktenwerk/internal/audit"
)

func TestCSVWriter(t *testing.T) {
	at := time.Date(2026, 7, 1, 8, 0, 0, 5000, time.UTC) // summer: +02:00
	es := []audit.Entry{
		{ID: "1", Seq: 7, At: at, Actor: "anna", OnBehalfOf: "bernd", Action: "akte.update", ObjectType: "akte", ObjectID: "a1",
			Changes: json.RawMessage(`{"titel":{"before":"Alt, \"zitiert\"","after":"Zeile 1\nZeile 2; Ä"}}`), Hash: "h"},
		// values a spreadsheet would run as formulas are defused
		{ID: "2", At: at, Actor: "=HYPERLINK(\"x\")", Action: "+1", ObjectType: "-2", ObjectID: "@SUM(A1)"},
	}
	for _, comma := range []rune{',', ';'} {
		var buf bytes.Buffer
		w, err := audit.NewCSVWriter(&buf, comma)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if err := w.Write(e); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		b, ok := bytes.CutPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF"))
		if !ok {
			t.Fatal("no byte order mark")
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.Comma = comma
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{
			audit.CSVColumns,
			{"1", "7", "2026-07-01T10:00:00.000005+02:00", "anna", "bernd", "akte.update", "akte", "a1", string(es[0].Changes), "h"},
			{"2", "0", "2026-07-01T10:00:00.000005+02:00", "'=HYPERLINK(\"x\")", "", "'+1", "'-2", "'@SUM(A1)", "", ""},
		}
		if !reflect.DeepEqual(rows, want) {
			t.Fatalf("comma %q:\n got %q\nwant %q", comma, rows, want)
		}
	}
}

func TestJSONWriter(t *testing.T) {
	for n := range 3 {
		var buf bytes.Buffer
		w, err := audit.NewJSONWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := w.Write(audit.Entry{ID: string(rune('a' + i)), Action: "<akte.create>", Changes: json.RawMessage(`{"a": 1}`)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var got []audit.Entry
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != n {
			t.Fatalf("%d entries: %v %q", n, err, buf.String())
		}
		if n > 0 && (!bytes.Contains(buf.Bytes(), []byte(`"<akte.create>"`)) || bytes.Count(buf.Bytes(), []byte("\n")) != n+2) {
			t.Fatalf("one entry per line, HTML not escaped: %q", buf.String())
		}
	}
}
