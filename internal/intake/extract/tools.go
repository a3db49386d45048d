package extract

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Names of the external programs (Tool.Name).
const (
	ToolPdftotext   = "pdftotext"
	ToolPdfinfo     = "pdfinfo"
	ToolPdftoppm    = "pdftoppm"
	ToolTesseract   = "tesseract"
	ToolOCRmyPDF    = "ocrmypdf"
	ToolLibreOffice = "soffice"
)

// OCRLanguage is the tesseract language every installation must have.
const OCRLanguage = "deu"

// Tool is one external program as found on this machine.
type Tool struct {
	Name      string // ToolPdftotext, …
	Package   string // Debian package that provides it
	Path      string // absolute path; "" when not found
	Version   string // as the program reports it, e.g. "22.12.0"
	Available bool   // found and usable (tesseract: with German language data)
	Problem   string // German, why not available ("nicht installiert", …)
	Note      string // German, a limitation while available (e.g. LibreOffice without Calc)
	Purpose   string // German: what aktenwerk uses it for
	Disables  string // German: what does not work while it is missing
}

// Tools is the result of Detect. The zero value has no tools: every
// extraction that needs one fails with *ErrToolMissing.
type Tools struct {
	All        []Tool
	Languages  []string // tesseract's installed languages
	CalcReady  bool     // LibreOffice can open spreadsheets (XLS)
	DetectedAt time.Time
}

// Get returns the named tool (Available false when unknown).
func (t Tools) Get(name string) Tool {
	for _, x := range t.All {
		if x.Name == name {
			return x
		}
	}
	d := describe(name)
	d.Problem = "nicht installiert"
	return d
}

// Has reports whether the named tool is available.
func (t Tools) Has(name string) bool { return t.Get(name).Available }

func (t Tools) path(name string) string {
	if x := t.Get(name); x.Available {
		return x.Path
	}
	return ""
}

// Missing lists the tools that are not available.
func (t Tools) Missing() []Tool {
	var m []Tool
	for _, x := range t.All {
		if !x.Available {
			m = append(m, x)
		}
	}
	return m
}

// StatusLines is a German description, one line per tool, for the log and
// the status page.
func (t Tools) StatusLines() []string {
	var lines []string
	for _, x := range t.All {
		if x.Available {
			l := fmt.Sprintf("%s %s: verfügbar (%s)", x.Name, x.Version, x.Path)
			if x.Note != "" {
				l += "; " + x.Note
			}
			lines = append(lines, l)
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s (Debian-Paket %s). Folge: %s", x.Name, x.Problem, x.Package, x.Disables))
	}
	return lines
}

func (t Tools) missing(name string) error {
	x := t.Get(name)
	return &ErrToolMissing{Tool: name, Package: x.Package, Problem: x.Problem}
}

var catalogue = []Tool{
	{Name: ToolPdftotext, Package: "poppler-utils",
		Purpose:  "Text aus PDF-Dateien auslesen",
		Disables: "PDF-Dateien werden nicht ausgelesen und bleiben ohne Volltext."},
	{Name: ToolPdfinfo, Package: "poppler-utils",
		Purpose:  "Seitenzahl und Kennwortschutz von PDF-Dateien prüfen",
		Disables: "Seitenzahl und Kennwortprüfung von PDF-Dateien entfallen; der Text wird trotzdem ausgelesen."},
	{Name: ToolPdftoppm, Package: "poppler-utils",
		Purpose:  "Seiten gescannter PDF-Dateien für die OCR in Bilder umwandeln; Miniaturansicht der ersten Seite",
		Disables: "Gescannte PDF-Dateien werden nur mit OCRmyPDF erkannt; PDF-Dateien bekommen keine Miniaturansicht."},
	{Name: ToolTesseract, Package: "tesseract-ocr-deu",
		Purpose:  "Texterkennung (OCR, deutsch) für Bilder und gescannte PDF-Dateien",
		Disables: "Keine Texterkennung (OCR): Bilder und gescannte PDF-Dateien bleiben ohne Volltext."},
	{Name: ToolOCRmyPDF, Package: "ocrmypdf",
		Purpose:  "durchsuchbare PDF/A-Kopie gescannter PDF-Dateien erzeugen",
		Disables: "Keine durchsuchbare PDF/A-Kopie gescannter PDF-Dateien; die OCR läuft dann über pdftoppm und tesseract."},
	{Name: ToolLibreOffice, Package: "libreoffice-writer-nogui",
		Purpose:  "ältere Office-Formate (DOC, RTF, XLS, PPT) auslesen",
		Disables: "DOC, RTF und andere ältere Office-Formate werden nicht ausgelesen; DOCX, ODT, ODS und XLSX liest aktenwerk selbst."},
}

func describe(name string) Tool {
	for _, c := range catalogue {
		if c.Name == name {
			return c
		}
	}
	return Tool{Name: name}
}

func packageOf(name string) string { return describe(name).Package }

var (
	detectOnce sync.Once
	detected   Tools
)

// detectedTools is Detect's result, found once per process (used when
// Options.Tools is nil). A tool installed later needs a restart, or a
// caller that passes a fresh Detect() in Options.Tools.
func detectedTools() Tools {
	detectOnce.Do(func() { detected = Detect() })
	return detected
}

// Detect finds the external programs and their versions. It never fails:
// what is missing is reported in the result, with what it disables.
func Detect() Tools { return DetectContext(context.Background()) }

// DetectContext is Detect with a context; each probe also has its own
// time limit.
func DetectContext(ctx context.Context) Tools {
	dir, err := os.MkdirTemp("", "aktenwerk-detect-*")
	if err != nil {
		dir = os.TempDir()
	} else {
		defer os.RemoveAll(dir)
	}
	t := Tools{DetectedAt: time.Now()}
	for _, c := range catalogue {
		x := c
		var names []string
		if x.Name == ToolLibreOffice {
			names = []string{"soffice", "libreoffice"}
		} else {
			names = []string{x.Name}
		}
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				if abs, err := filepath.Abs(p); err == nil {
					p = abs
				}
				x.Path = p
				break
			}
		}
		if x.Path == "" {
			x.Problem = "nicht installiert"
			t.All = append(t.All, x)
			continue
		}
		x.Available = true
		x.Version, x.Problem = probeVersion(ctx, dir, x)
		if x.Problem != "" {
			x.Available = false
		}
		switch x.Name {
		case ToolTesseract:
			if x.Available {
				t.Languages = tesseractLanguages(ctx, dir, x.Path)
				if !slices.Contains(t.Languages, OCRLanguage) {
					x.Available = false
					x.Problem = "Sprachdaten „deu“ fehlen"
				}
			}
		case ToolLibreOffice:
			t.CalcReady = libreOfficeHasCalc(x.Path)
			if x.Available && !t.CalcReady {
				x.Note = "ohne Tabellenkalkulation (libreoffice-calc-nogui): XLS wird nicht ausgelesen"
			}
		}
		t.All = append(t.All, x)
	}
	// OCRmyPDF calls tesseract itself: without German data it cannot help.
	if o := t.Get(ToolOCRmyPDF); o.Available && !t.Has(ToolTesseract) {
		for i := range t.All {
			if t.All[i].Name == ToolOCRmyPDF {
				t.All[i].Available = false
				t.All[i].Problem = "tesseract mit deutschen Sprachdaten fehlt"
			}
		}
	}
	return t
}

var versionRE = regexp.MustCompile(`\d+(\.\d+)+[^\s]*`)

// probeVersion runs the tool's version switch; a tool that does not answer
// is installed but broken.
func probeVersion(ctx context.Context, dir string, x Tool) (version, problem string) {
	var args []string
	switch x.Name {
	case ToolPdftotext, ToolPdfinfo, ToolPdftoppm:
		args = []string{"-v"}
	default:
		args = []string{"--version"}
	}
	res, err := run(ctx, proc{tool: x.Name, path: x.Path, args: args, dir: dir, timeout: 30 * time.Second, maxOut: 64 << 10})
	if err != nil {
		return "", "lässt sich nicht starten (" + Reason(err) + ")"
	}
	text := string(res.stdout) + "\n" + res.stderr
	if res.code != 0 {
		return "", fmt.Sprintf("lässt sich nicht starten (Exit-Code %d)", res.code)
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if v := versionRE.FindString(sc.Text()); v != "" {
			return v, ""
		}
	}
	return "unbekannt", ""
}

func tesseractLanguages(ctx context.Context, dir, path string) []string {
	res, err := run(ctx, proc{tool: ToolTesseract, path: path, args: []string{"--list-langs"}, dir: dir, timeout: 30 * time.Second, maxOut: 64 << 10})
	if err != nil || res.code != 0 {
		return nil
	}
	var langs []string
	for _, l := range strings.Split(string(res.stdout), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, " ") || strings.HasSuffix(l, ":") {
			continue
		}
		langs = append(langs, l)
	}
	return langs
}

// libreOfficeHasCalc looks for Calc's library beside the soffice binary
// (Debian: libreoffice-calc-nogui installs program/libsclo.so).
func libreOfficeHasCalc(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(filepath.Dir(real), "libsclo.so"))
	return err == nil
}
