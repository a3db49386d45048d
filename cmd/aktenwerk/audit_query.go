package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"aktenwerk/internal/apperr"
	"aktenwerk/internal/audit"
	"aktenwerk/internal/config"
	"aktenwerk/internal/records"
)

func init() {
	moreCommands = append(moreCommands, command{"audit query",
		"Protokoll eines Mandanten abfragen/exportieren: --tenant TFM [--user anna] [--object ID] [--action akte.create] [--from 2026-01-01] [--to …] [--format table|csv|json]",
		cmdAuditQuery})
}

// auditFlagOf names the option behind a field of the audit query.
var auditFlagOf = map[string]string{
	"benutzer": "--user", "objekt": "--object", "objekt_typ": "--object-type", "aktion": "--action", "von": "--from", "bis": "--to",
}

func cmdAuditQuery(ctx context.Context, args []string, out io.Writer) error {
	var st config.Storage
	fs := newFlags("audit query", "--tenant CODE [--user LOGIN] [--object ID] [--object-type TYP] [--action AKTION] [--from ZEIT] [--to ZEIT] [--format table|csv|json]")
	st.Register(fs)
	tenant := fs.String("tenant", "", "Mandant (Kürzel), dessen Protokoll gelesen wird")
	user := fs.String("user", "", "nur Einträge dieses Benutzers (Login; die handelnde Person; login@KÜRZEL für Benutzer anderer Mandanten an freigegebenen Akten)")
	object := fs.String("object", "", "nur Einträge zu diesem Objekt (Kennung)")
	objectType := fs.String("object-type", "", "nur Einträge zu Objekten dieses Typs (akte, vorgang, dokument, aktenplan, user, unit, tenant, protokoll)")
	action := fs.String("action", "", "nur Einträge dieser Aktion, z. B. akte.create, dokument.download")
	from := fs.String("from", "", "ab (einschließlich): Datum JJJJ-MM-TT (Beginn des Tages in Europe/Berlin) oder Zeitpunkt nach RFC 3339")
	to := fs.String("to", "", "bis (einschließlich): Datum JJJJ-MM-TT (Ende des Tages in Europe/Berlin) oder Zeitpunkt nach RFC 3339")
	format := fs.String("format", "table", "Ausgabe: table (lesbar), csv (RFC 4180, UTF-8 mit BOM) oder json (ein JSON-Array)")
	semicolon := fs.Bool("semikolon", false, "CSV mit Semikolon statt Komma trennen (für Excel mit deutschen Ländereinstellungen)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := required(fs, "tenant"); err != nil {
		return err
	}
	bad := func(flag, msg string) error {
		fmt.Fprintf(fs.Output(), "--%s: %s\n", flag, msg)
		fs.Usage()
		return errUsage
	}
	q := records.AuditQuery{User: *user, ObjectID: *object, ObjectType: *objectType, Action: *action}
	for _, b := range []struct {
		flag, val string
		end       bool
		dst       **time.Time
	}{{"from", *from, false, &q.From}, {"to", *to, true, &q.To}} {
		if b.val == "" {
			continue
		}
		t, err := records.ParseAuditTime(b.val, b.end)
		if err != nil {
			return bad(b.flag, err.Error())
		}
		*b.dst = &t
	}
	comma := ','
	if *semicolon {
		comma = ';'
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return bad("format", "table, csv oder json")
	}

	return withService(ctx, &st, func(svc *records.Service) error {
		bw := bufio.NewWriter(out)
		var write func(audit.Entry) error
		var finish func() error
		switch *format {
		case "csv":
			cw, err := audit.NewCSVWriter(bw, comma)
			if err != nil {
				return err
			}
			write, finish = cw.Write, cw.Flush
		case "json":
			jw, err := audit.NewJSONWriter(bw)
			if err != nil {
				return err
			}
			write, finish = jw.Write, jw.Close
		default:
			tw := &auditTable{w: bw}
			write, finish = tw.write, tw.finish
		}
		// Operator access: the system principal reads the tenant's log, and
		// the export is recorded there with the actor "system".
		err := svc.ExportTenantAudit(ctx, *tenant, q, write)
		if err == nil {
			err = finish()
		}
		if err == nil {
			err = bw.Flush()
		}
		return flagNames(err)
	})
}

// flagNames renames the fields of a validation error to the options of
// this command.
func flagNames(err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindInvalid {
		return err
	}
	c := *e
	c.Fields = nil
	for _, f := range e.Fields {
		if n, ok := auditFlagOf[f.Field]; ok {
			f.Field = n
		}
		c.Fields = append(c.Fields, f)
	}
	return &c
}

// auditTable writes entries as aligned lines, one per entry, as they come.
type auditTable struct {
	w *bufio.Writer
	n int
}

var auditBerlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.UTC
	}
	return loc
}()

func (t *auditTable) write(e audit.Entry) error {
	if t.n == 0 {
		fmt.Fprintf(t.w, "%-19s %7s  %-20s %-20s %-10s %s\n", "ZEITPUNKT", "SEQ", "AKTEUR", "AKTION", "OBJEKTTYP", "OBJEKT")
	}
	t.n++
	actor := e.Actor
	if e.OnBehalfOf != "" {
		actor += " i.V. " + e.OnBehalfOf
	}
	seq := "-"
	if e.Seq > 0 {
		seq = fmt.Sprint(e.Seq)
	}
	_, err := fmt.Fprintf(t.w, "%-19s %7s  %-20s %-20s %-10s %s\n", e.At.In(auditBerlin).Format("2006-01-02 15:04:05"), seq, actor, e.Action, e.ObjectType, e.ObjectID)
	return err
}

func (t *auditTable) finish() error {
	_, err := fmt.Fprintf(t.w, "%d Einträge (Zeiten in Europe/Berlin; SEQ - = noch nicht verkettet)\n", t.n)
	return err
}
