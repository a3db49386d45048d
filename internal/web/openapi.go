package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
)

// The OpenAPI document is openapi.json plus fragments in openapi/*.json.
// Each fragment holds {"paths": {...}, "components": {"<kind>": {...}}} for
// one area of the API (sign-in, access, audit, …), so that areas can be
// documented next to their handlers without one huge file. Fragments are
// merged at start; a name defined twice is a programming error.
//
//go:embed openapi.json openapi
var openapiFS embed.FS

var openapiDoc = mustMergeOpenAPI()

func mustMergeOpenAPI() []byte {
	b, err := mergeOpenAPI(openapiFS)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	base, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	paths := doc["paths"].(map[string]any)
	comps := doc["components"].(map[string]any)
	for _, name := range names {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag struct {
			Paths      map[string]map[string]any `json:"paths"`
			Components map[string]map[string]any `json:"components"`
		}
		if err := json.Unmarshal(raw, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for p, item := range frag.Paths {
			existing, _ := paths[p].(map[string]any)
			if existing == nil {
				existing = map[string]any{}
				paths[p] = existing
			}
			for method, op := range item {
				if _, dup := existing[method]; dup {
					return nil, fmt.Errorf("%s: %s %s already documented", name, method, p)
				}
				existing[method] = op
			}
		}
		for kind, entries := range frag.Components {
			target, _ := comps[kind].(map[string]any)
			if target == nil {
				target = map[string]any{}
				comps[kind] = target
			}
			for k, v := range entries {
				if _, dup := target[k]; dup {
					return nil, fmt.Errorf("%s: components.%s.%s already defined", name, kind, k)
				}
				target[k] = v
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// OpenAPIDocument returns the merged OpenAPI 3.1 document.
func OpenAPIDocument() []byte { return openapiDoc }

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(openapiDoc)
}
