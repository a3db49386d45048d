package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin for the CSV times, without relying on the host
)

// The export formats of the audit log, shared by the API and the CLI.

// CSVColumns are the columns of the CSV export, in order.
var CSVColumns = []string{"id", "seq", "zeitpunkt", "akteur", "i_v_fuer", "aktion", "objekt_typ", "objekt_id", "aenderungen", "hash"}

// CSVTimeLayout is the layout of the zeitpunkt column: RFC 3339 with a fixed
// six-digit fraction, in Europe/Berlin with its offset (unambiguous, and the
// local time a reader expects).
const CSVTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}()

// CSVWriter writes entries as CSV (RFC 4180: CRLF line ends, fields quoted
// where needed) with a header row, in UTF-8 with a byte order mark so that
// spreadsheet programs (Excel) detect the encoding.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter writes the byte order mark and the header row. comma is the
// field separator: ',' (RFC 4180) or ';' (what Excel in a German locale
// expects when a file is opened by double-click).
func NewCSVWriter(w io.Writer, comma rune) (*CSVWriter, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma = comma
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns); err != nil {
		return nil, err
	}
	return &CSVWriter{w: cw}, nil
}

// Write adds one entry. The changes column holds the changes as compact
// JSON; seq is 0 for an entry not yet chained, hash then empty.
func (c *CSVWriter) Write(e Entry) error {
	return c.w.Write([]string{
		e.ID,
		strconv.FormatInt(e.Seq, 10),
		e.At.In(berlin).Format(CSVTimeLayout),
		cell(e.Actor),
		cell(e.OnBehalfOf),
		cell(e.Action),
		cell(e.ObjectType),
		cell(e.ObjectID),
		cell(string(e.Changes)),
		e.Hash,
	})
}

// Flush writes what is buffered and reports any write error so far.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}

// cell defuses text that a spreadsheet would run as a formula (CSV
// injection): a leading = + - @ or control character gets a leading
// apostrophe. The application never writes such values (logins, action
// names, ids, JSON objects), so in practice nothing is changed; the guard is
// for entries of future areas.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// JSONWriter writes entries as one JSON array, one entry per line, as they
// come: the array is never held in memory.
type JSONWriter struct {
	w   io.Writer
	n   int
	buf bytes.Buffer
}

// NewJSONWriter writes the opening bracket.
func NewJSONWriter(w io.Writer) (*JSONWriter, error) {
	if _, err := io.WriteString(w, "["); err != nil {
		return nil, err
	}
	return &JSONWriter{w: w}, nil
}

// Write adds one entry, in the same form as the entries of the API's lists.
func (j *JSONWriter) Write(e Entry) error {
	j.buf.Reset()
	if j.n > 0 {
		j.buf.WriteByte(',')
	}
	j.buf.WriteByte('\n')
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return err
	}
	j.buf.Truncate(j.buf.Len() - 1) // Encode's newline
	j.n++
	_, err := j.w.Write(j.buf.Bytes())
	return err
}

// Close writes the closing bracket.
func (j *JSONWriter) Close() error {
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}
