package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// Static files of the UI (CSS, our script, vendored htmx with its licence)
// are embedded in the binary and served under /assets/. Pages link them as
// /assets/NAME?v=HASH (the first 12 hex digits of the content's SHA-256):
// such a request is cacheable for a year, because a changed file gets a new
// address; without the matching v the answer must be revalidated.

//go:embed assets
var assetFS embed.FS

type asset struct {
	body []byte
	hash string
}

var (
	assetsOnce sync.Once
	assets     map[string]asset
)

func loadAssets() map[string]asset {
	assetsOnce.Do(func() {
		assets = map[string]asset{}
		_ = fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := assetFS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			assets[strings.TrimPrefix(p, "assets/")] = asset{body: b, hash: hex.EncodeToString(sum[:])[:12]}
			return nil
		})
	})
	return assets
}

// assetURL is the versioned address of an embedded asset (template
// function "asset").
func assetURL(name string) string {
	a, ok := loadAssets()[name]
	if !ok {
		panic("ui: no asset " + name)
	}
	return "/assets/" + name + "?v=" + a.hash
}

var assetTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".ico": "image/x-icon",
	".md":  "text/plain; charset=utf-8",
	"":     "text/plain; charset=utf-8", // LICENSE
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	a, ok := loadAssets()[name]
	ct, known := assetTypes[path.Ext(name)]
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if !ok || !known {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("Nicht gefunden\n"))
		return
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	etag := `"` + a.hash + `"`
	h.Set("ETag", etag)
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(a.body)
}
