package extract

import (
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// LibreOffice headless converts formats aktenwerk does not read itself
// (DOC, RTF, WordPerfect; XLS with Calc), and DOCX/ODT/XLSX/ODS when
// Options.UseLibreOffice is set. Each call has its own user profile and
// output folder inside the call's temp dir, so calls never share state or
// block each other's profile lock.

var officeExt = map[string]string{
	"application/msword":          "doc",
	"application/vnd.ms-word":     "doc",
	"application/rtf":             "rtf",
	"text/rtf":                    "rtf",
	"application/vnd.ms-excel":    "xls",
	"application/vnd.wordperfect": "wpd",
	mimeDOCX:                      "docx",
	mimeXLSX:                      "xlsx",
	mimeODT:                       "odt",
	mimeODS:                       "ods",
}

func isSpreadsheet(mt string) bool {
	return mt == "application/vnd.ms-excel" || mt == mimeXLSX || mt == mimeODS
}

func extractLibreOffice(ctx context.Context, dir, in, mt string, opts Options, res *Result) error {
	ext, ok := officeExt[mt]
	if !ok {
		return fail(ErrUnsupported, nil, "%s", mt)
	}
	tools := opts.Tools
	if !tools.Has(ToolLibreOffice) {
		return tools.missing(ToolLibreOffice)
	}
	sheet := isSpreadsheet(mt)
	if sheet && !tools.CalcReady {
		return fail(ErrUnsupported, nil, "Tabellen brauchen LibreOffice Calc (Debian-Paket libreoffice-calc-nogui)")
	}
	if ext == "docx" || ext == "xlsx" || ext == "odt" || ext == "ods" {
		// a zip: unpack it once through the budget before LibreOffice does
		z, err := openZip(in, opts)
		if err != nil {
			return err
		}
		err = z.drain()
		z.Close()
		if err != nil {
			return err
		}
	}
	// LibreOffice tells the format partly by the extension, and names its
	// output after the input.
	doc := filepath.Join(dir, "dokument."+ext)
	if err := os.Symlink(in, doc); err != nil {
		return err
	}
	outDir := filepath.Join(dir, "lo-out")
	profile := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "lo-profile")}).String()
	filter := "txt:Text (encoded):UTF8"
	if sheet {
		// CSV, UTF-8 (76), every sheet into a file of its own (-1)
		filter = "csv:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,false,false,false,-1"
	}
	r, err := run(ctx, proc{tool: ToolLibreOffice, path: tools.path(ToolLibreOffice), dir: dir,
		args: []string{"--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--nofirststartwizard",
			"-env:UserInstallation=" + profile, "--convert-to", filter, "--outdir", outDir, doc},
		timeout: opts.ToolTimeout, maxOut: 1 << 20})
	if err != nil {
		return err
	}
	outs, _ := filepath.Glob(filepath.Join(outDir, "*"))
	sort.Strings(outs)
	if len(outs) == 0 {
		cause := &toolOutput{tool: ToolLibreOffice, code: r.code, stderr: r.stderr + string(r.stdout)}
		low := strings.ToLower(r.stderr)
		if strings.Contains(low, "password") {
			return fail(ErrEncrypted, cause, "Office-Dokument mit Kennwort")
		}
		return fail(ErrCorrupt, cause, "LibreOffice kann das Dokument nicht öffnen")
	}
	var parts []string
	budget := int64(opts.MaxTextBytes) + 1<<20
	for _, o := range outs {
		f, err := os.Open(o)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(f, budget+1))
		f.Close()
		if err != nil {
			return err
		}
		if int64(len(b)) > budget {
			b = b[:budget]
			res.warn("Text nach %s abgeschnitten", formatBytes(int64(opts.MaxTextBytes)))
		}
		budget -= int64(len(b))
		text := strings.TrimPrefix(string(b), "\uFEFF")
		if sheet && len(outs) > 1 {
			// dokument-Tabelle1.csv: the sheet's name first, as for XLSX
			name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(o), "dokument-"), ".csv")
			text = name + "\n" + text
		}
		parts = append(parts, text)
		if budget <= 0 {
			break
		}
	}
	res.Method = MethodLibreOffice
	res.Text = strings.Join(parts, "\f")
	return nil
}
