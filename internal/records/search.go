package records

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"aktenwerk/internal/access"
	"aktenwerk/internal/apperr"
	"aktenwerk/internal/search"
)

// Search finds Akten, Vorgänge and Dokumente by their metadata and text.
//
// The store returns at most SearchWindow index rows that match and that the
// caller may see (access control is part of the SQL), newest first. Only
// those are counted, faceted, ranked (search.Scorer: the same ranking on
// both backends) and paged; beyond the window, pages continue in recency
// order without ranking, and the count is shown as "more than". So no
// query ranks or counts an unbounded set of matches (docs/search.md).

// SearchWindow bounds the candidates of one search.
const SearchWindow = 500

// Facets a search can return.
var SearchFacets = []string{"aktenplan", "typ", "jahr", "status", "objekt"}

// SearchRequest is one search.
type SearchRequest struct {
	Query       string
	Facets      []string // nil: all
	ObjectType  string   // akte, vorgang, dokument
	AktenplanID string
	Typ         string
	Status      string
	Jahr        int
	Cursor      string
	Limit       int // default 20, at most 100
}

// SearchHit is one found object.
type SearchHit struct {
	ObjectType     string  `json:"objekt_typ"`
	ID             string  `json:"id"`
	Aktenzeichen   string  `json:"aktenzeichen"`
	Titel          string  `json:"titel"`
	Typ            string  `json:"typ"`
	Status         string  `json:"status"`
	Datum          *string `json:"datum"`
	AkteID         string  `json:"akte_id"`
	VorgangID      *string `json:"vorgang_id"`
	Mandant        string  `json:"mandant"`
	Ausschnitt     string  `json:"ausschnitt"`
	AusschnittHTML string  `json:"ausschnitt_html"`
	Relevanz       float64 `json:"relevanz"`
}

// FacetValue is one value of a facet with the number of hits.
type FacetValue struct {
	Wert        string `json:"wert"`
	Bezeichnung string `json:"bezeichnung"`
	Anzahl      int    `json:"anzahl"`
}

// DirectHit is the object an exactly typed Aktenzeichen names.
type DirectHit struct {
	ObjectType   string `json:"objekt_typ"`
	ID           string `json:"id"`
	Aktenzeichen string `json:"aktenzeichen"`
}

// SearchResult is one page of a search.
type SearchResult struct {
	Query string      `json:"q"`
	Items []SearchHit `json:"items"`
	// Anzahl counts the hits; when AnzahlGenau is false there are more
	// than Anzahl (the window was full).
	Anzahl      int                     `json:"anzahl"`
	AnzahlGenau bool                    `json:"anzahl_genau"`
	Facetten    map[string][]FacetValue `json:"facetten"`
	Direkt      *DirectHit              `json:"direkt"`
	NextCursor  *string                 `json:"next_cursor"`
}

type scored struct {
	c     SearchCandidate
	score float64
}

// Search runs req for p.
func (s *Service) Search(ctx context.Context, p Principal, req SearchRequest) (SearchResult, error) {
	if err := need(p, access.ReadContent); err != nil {
		return SearchResult{}, err
	}
	res := SearchResult{Query: req.Query, Items: []SearchHit{}, Facetten: map[string][]FacetValue{}}
	var v apperr.Validation
	q := strings.TrimSpace(req.Query)
	if utf8.RuneCountInString(q) > 1000 {
		v.Add("q", "höchstens 1000 Zeichen")
	}
	if req.ObjectType != "" && !slices.Contains([]string{ObjAkte, ObjVorgang, ObjDokument}, req.ObjectType) {
		v.Add("objekt", "akte, vorgang oder dokument")
	}
	for _, f := range req.Facets {
		if !slices.Contains(SearchFacets, f) {
			v.Add("facets", "unbekannte Facette "+strconv.Quote(f)+" (möglich: "+strings.Join(SearchFacets, ", ")+")")
		}
	}
	if req.Limit == 0 {
		req.Limit = 20
	}
	if req.Limit < 1 || req.Limit > 100 {
		v.Add("limit", "ganze Zahl von 1 bis 100")
	}
	offset, beforeSeq, err := ParseSearchCursor(req.Cursor)
	if err != nil {
		v.Add("cursor", "unbekannter Cursor")
	}
	if err := v.Err(); err != nil {
		return res, err
	}
	var node search.Node
	if q != "" {
		if node, err = search.Parse(q); err != nil {
			return res, err
		}
	}
	if node == nil && req.ObjectType == "" && req.AktenplanID == "" && req.Typ == "" && req.Status == "" && req.Jahr == 0 {
		return res, apperr.Invalid("q", "Suchbegriff oder Filter angeben")
	}
	// an Aktenzeichen typed exactly goes straight to the object
	direct := q != "" && !strings.ContainsAny(q, " \t\"*:()") && req.Cursor == "" && need(p, access.ReadMetadata) == nil
	sq := s.candidateQuery(p, node, req)
	scorer := search.NewScorer(node)
	err = s.store.Read(ctx, func(tx Tx) error {
		if direct {
			if typ, id, err := s.lookup(ctx, tx, p, q); err == nil {
				res.Direkt = &DirectHit{ObjectType: typ, ID: id, Aktenzeichen: q}
			} else if e, ok := apperr.As(err); !ok || e.Kind != apperr.KindNotFound {
				return err
			}
		}
		if beforeSeq > 0 {
			return s.searchTail(ctx, tx, sq, beforeSeq, req, scorer, &res)
		}
		cands, err := tx.SearchCandidates(ctx, sq)
		if err != nil {
			return err
		}
		full := len(cands) > SearchWindow
		if full {
			cands = cands[:SearchWindow]
		}
		objs := bestPerObject(cands, scorer)
		res.Anzahl, res.AnzahlGenau = len(objs), !full
		if err := s.facets(ctx, tx, objs, req.Facets, &res); err != nil {
			return err
		}
		slices.SortStableFunc(objs, func(a, b scored) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			if c := cmp.Compare(b.c.Datum, a.c.Datum); c != 0 {
				return c
			}
			return cmp.Compare(b.c.Seq, a.c.Seq)
		})
		if offset > len(objs) {
			offset = len(objs)
		}
		end := min(len(objs), offset+req.Limit)
		if err := s.hits(ctx, tx, objs[offset:end], scorer, &res); err != nil {
			return err
		}
		switch {
		case end < len(objs):
			c := "o" + strconv.Itoa(end)
			res.NextCursor = &c
		case full:
			// continue after the window, newest first
			minSeq := cands[len(cands)-1].Seq
			c := "s" + strconv.FormatInt(minSeq, 10)
			res.NextCursor = &c
		}
		return nil
	})
	return res, err
}

// candidateQuery is the store query of a search: the caller's viewer, the
// filters and the query narrowed to what the caller may see.
func (s *Service) candidateQuery(p Principal, node search.Node, req SearchRequest) SearchQuery {
	sq := SearchQuery{Viewer: s.viewer(p), ObjectType: req.ObjectType, AktenplanID: req.AktenplanID,
		Typ: req.Typ, Status: req.Status, Jahr: req.Jahr, Limit: SearchWindow + 1}
	sq.Query = narrowed(node, req)
	sq.Access, sq.AccessBroad = viewerNarrowing(sq.Viewer), viewerBroadNarrowing(sq.Viewer)
	return sq
}

// CandidateQuery is the store query Search runs for its first window (for
// benchmarks that time the store alone); q is parsed like Search does.
func (s *Service) CandidateQuery(p Principal, req SearchRequest) (SearchQuery, error) {
	var node search.Node
	if q := strings.TrimSpace(req.Query); q != "" {
		var err error
		if node, err = search.Parse(q); err != nil {
			return SearchQuery{}, err
		}
	}
	return s.candidateQuery(p, node, req), nil
}

// narrowed adds to the query the narrowing terms of the filters, so that
// the engine itself skips rows the SQL conditions would throw away (see
// narrowTerms; the caller's access is SearchQuery.Access). The SQL
// conditions stay the exact check.
func narrowed(node search.Node, req SearchRequest) search.Node {
	var nodes []search.Node
	if node != nil {
		nodes = append(nodes, node)
	}
	if req.ObjectType != "" {
		nodes = append(nodes, search.Narrow(search.FieldObjekt, req.ObjectType))
	}
	if ap := tokenValue(req.AktenplanID); ap != "" {
		nodes = append(nodes, search.Narrow(search.FieldAktenplan, ap))
	}
	if n := search.FieldValue(search.FieldTyp, req.Typ); n != nil {
		nodes = append(nodes, n)
	}
	if req.Jahr > 0 {
		if n, err := search.Parse(fmt.Sprintf("datum:%04d", req.Jahr)); err == nil && n != nil {
			nodes = append(nodes, n)
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	return &search.And{Nodes: nodes}
}

// searchTail serves the pages after the window: recency order, no ranking,
// no facets (they describe the window).
func (s *Service) searchTail(ctx context.Context, tx Tx, sq SearchQuery, beforeSeq int64, req SearchRequest, scorer *search.Scorer, res *SearchResult) error {
	sq.BeforeSeq = beforeSeq
	sq.Limit = req.Limit * 4 // chunks of one object may repeat
	cands, err := tx.SearchCandidates(ctx, sq)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var objs []scored
	last := int64(0)
	for _, c := range cands {
		last = c.Seq
		if seen[c.ObjectID] {
			continue
		}
		seen[c.ObjectID] = true
		objs = append(objs, scored{c: c, score: scorer.Score(c.Terms)})
		if len(objs) == req.Limit {
			break
		}
	}
	res.AnzahlGenau = false
	if err := s.hits(ctx, tx, objs, scorer, res); err != nil {
		return err
	}
	if len(cands) == sq.Limit || len(objs) == req.Limit {
		c := "s" + strconv.FormatInt(last, 10)
		res.NextCursor = &c
	}
	return nil
}

// ParseSearchCursor reads a cursor of Search: "o<offset>" inside the
// window, "s<seq>" after it.
func ParseSearchCursor(c string) (offset int, beforeSeq int64, err error) {
	if c == "" {
		return 0, 0, nil
	}
	switch c[0] {
	case 'o':
		offset, err = strconv.Atoi(c[1:])
		if err == nil && (offset < 0 || offset > SearchWindow) {
			err = fmt.Errorf("offset out of range")
		}
	case 's':
		beforeSeq, err = strconv.ParseInt(c[1:], 10, 64)
		if err == nil && beforeSeq <= 0 {
			err = fmt.Errorf("seq out of range")
		}
	default:
		err = fmt.Errorf("unknown cursor")
	}
	return
}

// bestPerObject keeps one entry per object (its best-scoring chunk; the
// candidates come newest first, so the first chunk seen is the newest).
func bestPerObject(cands []SearchCandidate, scorer *search.Scorer) []scored {
	idx := map[string]int{}
	var out []scored
	for _, c := range cands {
		sc := scorer.Score(c.Terms)
		if i, ok := idx[c.ObjectID]; ok {
			if sc > out[i].score {
				out[i].score = sc
			}
			continue
		}
		idx[c.ObjectID] = len(out)
		out = append(out, scored{c: c, score: sc})
	}
	return out
}

// facets counts the window's objects per facet value.
func (s *Service) facets(ctx context.Context, tx Tx, objs []scored, want []string, res *SearchResult) error {
	if want == nil {
		want = SearchFacets
	}
	for _, f := range want {
		counts := map[string]int{}
		for _, o := range objs {
			var k string
			switch f {
			case "aktenplan":
				k = o.c.AktenplanID
			case "typ":
				k = o.c.Typ
			case "jahr":
				if len(o.c.Datum) >= 4 {
					k = o.c.Datum[:4]
				}
			case "status":
				k = o.c.Status
			case "objekt":
				k = o.c.ObjectType
			}
			if k != "" {
				counts[k]++
			}
		}
		var labels map[string]string
		if f == "aktenplan" {
			var err error
			if labels, err = planLabels(ctx, tx, objs); err != nil {
				return err
			}
		}
		vals := make([]FacetValue, 0, len(counts))
		for k, n := range counts {
			fv := FacetValue{Wert: k, Bezeichnung: k, Anzahl: n}
			if l, ok := labels[k]; ok {
				fv.Bezeichnung = l
			}
			vals = append(vals, fv)
		}
		slices.SortFunc(vals, func(a, b FacetValue) int {
			if c := cmp.Compare(b.Anzahl, a.Anzahl); c != 0 {
				return c
			}
			return cmp.Compare(a.Bezeichnung, b.Bezeichnung)
		})
		res.Facetten[f] = vals
	}
	return nil
}

// planLabels are the labels (Kennzeichen Titel) of the Aktenplan
// positions of objs, each read from its object's tenant, one statement per
// tenant.
func planLabels(ctx context.Context, tx Tx, objs []scored) (map[string]string, error) {
	byTenant := map[string][]string{}
	seen := map[string]bool{}
	for _, o := range objs {
		if id := o.c.AktenplanID; id != "" && !seen[id] {
			seen[id] = true
			byTenant[o.c.TenantID] = append(byTenant[o.c.TenantID], id)
		}
	}
	labels := make(map[string]string, len(seen))
	for tenant, ids := range byTenant {
		es, err := tx.AktenplanEntries(ctx, tenant, ids)
		if err != nil {
			return nil, err
		}
		for id, e := range es {
			labels[id] = e.Kennzeichen + " " + e.Titel
		}
	}
	return labels, nil
}

// hits turns candidates into hits with snippets.
func (s *Service) hits(ctx context.Context, tx Tx, objs []scored, scorer *search.Scorer, res *SearchResult) error {
	tenants := map[string]string{}
	src, err := readSnippetSources(ctx, tx, objs)
	if err != nil {
		return err
	}
	for _, o := range objs {
		c := o.c
		h := SearchHit{ObjectType: c.ObjectType, ID: c.ObjectID, Aktenzeichen: c.Aktenzeichen, Titel: c.Titel,
			Typ: c.Typ, Status: c.Status, AkteID: c.AkteID, Relevanz: float64(int(o.score*1000)) / 1000}
		if c.Datum != "" {
			d := c.Datum
			h.Datum = &d
		}
		if c.VorgangID != "" {
			vid := c.VorgangID
			h.VorgangID = &vid
		}
		code, ok := tenants[c.TenantID]
		if !ok {
			t, err := tx.TenantByID(ctx, c.TenantID)
			if err != nil {
				return err
			}
			code, tenants[c.TenantID] = t.Code, t.Code
		}
		h.Mandant = code
		snip, marks := scorer.Snippet(src.of(c), 30)
		h.Ausschnitt, h.AusschnittHTML = snip, search.SnippetHTML(snip, marks)
		res.Items = append(res.Items, h)
	}
	return nil
}

// snippetSources are what the snippets of a page are taken from: the
// recognised texts of its Dokumente, its Akten and Vorgänge, each read in
// one statement.
type snippetSources struct {
	texts     map[string]string
	akten     map[string]Akte
	vorgaenge map[string]Vorgang
}

func readSnippetSources(ctx context.Context, tx Tx, objs []scored) (src snippetSources, err error) {
	ids := map[string][]string{}
	for _, o := range objs {
		ids[o.c.ObjectType] = append(ids[o.c.ObjectType], o.c.ObjectID)
	}
	if src.texts, err = tx.DokumentTextHeads(ctx, ids[ObjDokument], search.MaxSnippetSource); err != nil {
		return src, err
	}
	if src.akten, err = tx.FindAkten(ctx, ids[ObjAkte]); err != nil {
		return src, err
	}
	src.vorgaenge, err = tx.FindVorgaenge(ctx, ids[ObjVorgang])
	return src, err
}

// of is the text a hit's snippet is taken from.
func (src snippetSources) of(c SearchCandidate) string {
	switch c.ObjectType {
	case ObjAkte:
		if a, ok := src.akten[c.ObjectID]; ok {
			return strings.TrimSpace(a.Titel + ". " + a.Beschreibung + " " + metadataText(a.Metadaten))
		}
	case ObjVorgang:
		if v, ok := src.vorgaenge[c.ObjectID]; ok {
			return strings.TrimSpace(v.Betreff + " " + metadataText(v.Metadaten))
		}
	default:
		if text := src.texts[c.ObjectID]; strings.TrimSpace(text) != "" {
			return text
		}
	}
	return c.Titel
}
