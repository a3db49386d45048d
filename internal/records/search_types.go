package records

import (
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
	Query  search.Node // nil: every visible object (filters only)
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
