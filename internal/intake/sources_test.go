package intake_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aktenwerk/internal/intake"
	"aktenwerk/internal/intake/mailbox"
	"aktenwerk/internal/intake/mailbox/dovecottest"
	"aktenwerk/internal/intake/watch"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/storetest"
)

func postItems(t *testing.T, f *storetest.Fixture) []records.PostItem {
	t.Helper()
	sys, err := f.Svc.SystemPrincipal(context.Background(), "TFM")
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.Svc.ListPost(context.Background(), sys, records.PostFilter{Status: "alle"}, records.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A scanner drop folder: files land in the Posteingang once, unit
// sub-folders route to the unit, refused files go to "fehler" with the
// reason, and a file offered again after a crash is not filed twice.
func TestWatchFolderIntoPosteingang(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := storetest.NewFixture(t, b.Open)
			ctx := context.Background()
			if _, err := f.Svc.CreateUnit(ctx, "TFM", records.NewUnit{Kennung: "Z1", Name: "Referat Personal", Typ: "referat"}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write := func(rel, content string) {
				p := filepath.Join(dir, rel)
				os.MkdirAll(filepath.Dir(p), 0o750)
				if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			write("brief-0001.txt", "Antrag auf Erstattung der Reisekosten")
			write("Z1/scan-0002.txt", "Personalsache Muster")
			write("X9/irrlaeufer.txt", "für eine unbekannte Einheit")
			write("leer.txt", "")
			folder := &watch.Folder{Dir: dir, MinAge: -1}
			res, err := folder.Scan(ctx, intake.FolderSink(f.Svc, "TFM"))
			if err != nil {
				t.Fatal(err)
			}
			if res.Imported != 2 || res.Failed != 2 {
				t.Fatalf("scan: %+v", res)
			}
			items := postItems(t, f)
			var names []string
			for _, it := range items {
				names = append(names, it.Dateiname)
				if it.Quelle != records.QuelleOrdner {
					t.Errorf("source %s", it.Quelle)
				}
				if it.Dateiname == "scan-0002.txt" && (it.Einheit == nil || *it.Einheit != "Z1") {
					t.Errorf("unit routing: %+v", it.Einheit)
				}
			}
			slices.Sort(names)
			if !slices.Equal(names, []string{"brief-0001.txt", "scan-0002.txt"}) {
				t.Fatalf("items %v", names)
			}
			side, err := os.ReadFile(filepath.Join(dir, "fehler", "X9", "irrlaeufer.txt.fehler.txt"))
			if err != nil {
				side, err = os.ReadFile(filepath.Join(dir, "fehler", "irrlaeufer.txt.fehler.txt"))
			}
			if err != nil || !strings.Contains(string(side), "X9") {
				entries, _ := filepath.Glob(filepath.Join(dir, "fehler", "*"))
				t.Fatalf("sidecar of the file for an unknown unit: %v %q (fehler: %v)", err, side, entries)
			}
			// a crash after filing, before the move: the same file is offered again
			write("brief-0001.txt", "Antrag auf Erstattung der Reisekosten")
			res, err = folder.Scan(ctx, intake.FolderSink(f.Svc, "TFM"))
			if err != nil || res.Imported != 1 {
				t.Fatalf("second scan: %+v %v", res, err)
			}
			if n := len(postItems(t, f)); n != 2 {
				t.Errorf("%d items after the file came again, want 2", n)
			}
			if _, err := os.Stat(filepath.Join(dir, "brief-0001.txt")); !os.IsNotExist(err) {
				t.Errorf("the file is still in the drop folder: %v", err)
			}
		})
	}
}

// A functional mailbox on a real Dovecot: every message lands in the
// Posteingang once with its original .eml, also when offered again, and is
// moved to the processed folder.
func TestMailboxIntoPosteingang(t *testing.T) {
	srv := dovecottest.Start(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			f := storetest.NewFixture(t, b.Open)
			ctx := context.Background()
			box := "Eingang-" + b.Name
			raw := mailWith("Antrag auf Förderung", "Erika Muster <erika@example.org>", "<f1-"+b.Name+"@example.org>", "Bitte um Förderung", "utf-8",
				[2]string{"Anlage.txt", "Kostenplan"})
			c := srv.Client(t)
			if err := c.Create(box, nil).Wait(); err != nil {
				t.Fatal(err)
			}
			c.Logout()
			srv.Append(t, box, raw)
			srv.Append(t, box, []byte("From: x@example.org\r\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=\r\n\r\nkurz\r\n"))
			cfg := mailbox.Config{Addr: srv.Addr, Security: mailbox.Security("none"), Username: srv.User, Password: srv.Password,
				Mailbox: box, ProcessedMailbox: box + "-verarbeitet"}
			sink := intake.MailSink(f.Svc, "TFM", "", "poststelle@tfm.example")
			res, err := mailbox.Poll(ctx, cfg, sink)
			if err != nil || res.Imported != 2 {
				t.Fatalf("poll: %+v %v", res, err)
			}
			items := postItems(t, f)
			if len(items) != 2 {
				t.Fatalf("%d items", len(items))
			}
			var first records.PostItem
			for _, it := range items {
				if it.Quelle != records.QuelleIMAP {
					t.Errorf("source %s", it.Quelle)
				}
				if strings.Contains(it.Betreff, "Förderung") {
					first = it
				}
			}
			if first.ID == "" || first.Absender != "Erika Muster <erika@example.org>" || first.MessageID != "f1-"+b.Name+"@example.org" {
				t.Fatalf("mail item %+v", items)
			}
			if !slices.ContainsFunc(items, func(it records.PostItem) bool { return it.Betreff == "Grüße" }) {
				t.Errorf("encoded subject not decoded: %+v", items)
			}
			sys, _ := f.Svc.SystemPrincipal(ctx, "TFM")
			_, fh, err := f.Svc.OpenPost(ctx, sys, first.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			stored := make([]byte, len(raw)+10)
			n, _ := fh.Read(stored)
			fh.Close()
			if string(stored[:n]) != string(raw) {
				t.Errorf("the stored .eml differs from the original")
			}
			if uids := srv.UIDs(t, box); len(uids) != 0 {
				t.Errorf("messages left in the mailbox: %v", uids)
			}
			if uids := srv.UIDs(t, box+"-verarbeitet"); len(uids) != 2 {
				t.Errorf("processed folder holds %v", uids)
			}
			// the same mail again (copied back by someone): known by its Message-ID
			srv.Append(t, box, raw)
			if res, err := mailbox.Poll(ctx, cfg, sink); err != nil || res.Imported != 1 {
				t.Fatalf("second poll: %+v %v", res, err)
			}
			if n := len(postItems(t, f)); n != 2 {
				t.Errorf("%d items after the mail came again, want 2", n)
			}
			// nothing new: nothing imported
			if res, err := mailbox.Poll(ctx, cfg, sink); err != nil || res.Imported != 0 {
				t.Errorf("third poll: %+v %v", res, err)
			}
		})
	}
}
