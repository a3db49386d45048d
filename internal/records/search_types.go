package records

import (
	"slices"
	"time"

	"aktenwerk/internal/search"
)

// Objects the search index holds.
const (
	ObjAkte     = "akte"
	ObjVorgang  = "vorgang"
	ObjDokument = "dokument"
)

// SearchDoc is one row of the full-text index: a piece (chunk) of an Akte,
// Vorgang or Dokument with the columns access control, facets and display
// need. Chunk 0 carries the metadata fields; a long text continues in
// further chunks (see indexChunks).
type SearchDoc struct {
	ObjectID           string
	Chunk              int
	ObjectType         string
	TenantID           string
	AkteID             string
	VorgangID          string // "" for an Akte
	OwnerUnitID        string // of the Akte; "" = the whole tenant
	VorgangRestricted  bool
	DokumentRestricted bool
	AktenplanID        string
	Aktenzeichen       string
	Titel              string
	Typ                string   // Dokumenttyp; "Akte"/"Vorgang" for those
	Status             string   // offen/zda of the Akte, or of the Vorgang for Vorgänge and Dokumente
	Datum              string   // YYYY-MM-DD or ""
	Grantees           []string // narrowing values of the Akte's grants (GranteeValues)
	Terms              string   // search.IndexText of the chunk, with the narrowing terms
}

// SearchPending marks an object whose index rows must be rebuilt.
type SearchPending struct {
	ObjectID   string
	ObjectType string
	TenantID   string
	Subtree    bool // its Vorgänge and Dokumente too
	Gen        int64
}

// SearchQuery is what the store needs for one candidate query.
type SearchQuery struct {
	Viewer Viewer
	// Query is the caller's query with the filters' narrowing terms; nil:
	// every visible object (filters only).
	Query search.Node
	// Access narrows to what the viewer may see (its tenant, units and
	// grantee terms); the engine query is Query AND Access (EngineQuery).
	// AccessBroad is a coarser equivalent for the engine (the whole tenant
	// instead of the units, plus the grantee terms), which a store may use
	// instead where the units cover most of the tenant: fewer, longer
	// posting lists. Either way the SQL conditions stay the exact check.
	Access, AccessBroad search.Node
	// Filters (exact values; "" = any).
	ObjectType  string
	AktenplanID string
	Typ         string
	Jahr        int
	Status      string
	// Limit bounds the candidates, newest index rows first; BeforeSeq > 0
	// continues below that row.
	Limit     int
	BeforeSeq int64
}

// SearchCandidate is a matching index row the viewer may see.
type SearchCandidate struct {
	Seq int64
	SearchDoc
}

// Text recognition states of a Dokument (dokument_texte.status).
const (
	TextAusstehend        = "ausstehend"
	TextLaeuft            = "laeuft"
	TextErkannt           = "erkannt"
	TextFehlgeschlagen    = "fehlgeschlagen"
	TextNichtUnterstuetzt = "nicht_unterstuetzt"
)

// DokumentText is the text recognised in a Dokument's newest version.
type DokumentText struct {
	DokumentID string
	TenantID   string
	Version    int
	Status     string
	Methode    string // pdftotext, ocr, office, mail, text …
	Grund      string // why it failed (German)
	OCR        bool
	Seiten     int
	PDFASHA256 string // searchable PDF/A copy in the blob store, if made
	Text       string
	UpdatedAt  time.Time
}

// EngineQuery is the query sent to the engine: Query AND access (nil
// parts left out; nil when both are nil).
func (q SearchQuery) EngineQuery(access search.Node) search.Node {
	switch {
	case q.Query == nil:
		return access
	case access == nil:
		return q.Query
	}
	if a, ok := q.Query.(*search.And); ok {
		return &search.And{Nodes: append(slices.Clone(a.Nodes), access)}
	}
	return &search.And{Nodes: []search.Node{q.Query, access}}
}
