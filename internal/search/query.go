package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"aktenwerk/internal/apperr"
)

// The query language (German UI, so the operators exist in both languages):
//
//	Kita Hort              both words (AND is the default)
//	Kita OR Hort           either (also ODER)
//	Kita AND Hort          explicit AND (also UND)
//	NOT Hort, -Hort        without (also NICHT)
//	(Kita OR Hort) Jena    grouping
//	"Fachkräfteinitiative Kita"   phrase; „…“ and »…« work too
//	Kita*                  prefix
//	az:TFM-121*  titel:Kita  betreff:…  absender:Müller  typ:Bescheid
//	titel:(Kita OR Hort)   a field applies to a group
//	datum:2026  datum:2026-03  datum:2026-03-15  datum:15.03.2026
//	datum:2026-01..2026-06  datum:2025..  datum:..2024-06-30
//
// Operators must be written in capitals; "oder" in lower case is a word
// (and a stop word). Every word, phrase and prefix goes through Analyze, so
// the AST holds index terms.

// Node is a node of the query AST.
type Node interface {
	// String returns a compact debug form, e.g. (AND kita (OR hort krippe)).
	String() string
	node()
}

// And matches documents that match every node.
type And struct{ Nodes []Node }

// Or matches documents that match at least one node.
type Or struct{ Nodes []Node }

// Not matches documents that do not match Node.
type Not struct{ Node Node }

// Term matches one analysed term.
type Term struct {
	Term string
	Raw  string // the word as typed
}

// Phrase matches analysed terms at consecutive positions. With Prefix, the
// last term is a prefix.
type Phrase struct {
	Terms  []string
	Prefix bool
	Raw    string
}

// Prefix matches every term that starts with Prefix.
type Prefix struct {
	Prefix string
	Raw    string
}

// Field restricts Node to one field (az, titel, absender, typ).
type Field struct {
	Name string
	Node Node
}

// DateRange matches documents whose date lies within From..To, both
// inclusive calendar days (midnight UTC).
type DateRange struct {
	From, To time.Time
	Raw      string
}

func (*And) node()       {}
func (*Or) node()        {}
func (*Not) node()       {}
func (*Term) node()      {}
func (*Phrase) node()    {}
func (*Prefix) node()    {}
func (*Field) node()     {}
func (*DateRange) node() {}

func (n *And) String() string { return listString("AND", n.Nodes) }
func (n *Or) String() string  { return listString("OR", n.Nodes) }
func (n *Not) String() string { return "(NOT " + nodeString(n.Node) + ")" }
func (n *Term) String() string {
	return n.Term
}
func (n *Phrase) String() string {
	s := `"` + strings.Join(n.Terms, " ") + `"`
	if n.Prefix {
		s += "*"
	}
	return s
}
func (n *Prefix) String() string { return n.Prefix + "*" }
func (n *Field) String() string  { return n.Name + ":" + nodeString(n.Node) }
func (n *DateRange) String() string {
	return "datum:" + n.From.Format(time.DateOnly) + ".." + n.To.Format(time.DateOnly)
}

func nodeString(n Node) string {
	if n == nil {
		return "<nil>"
	}
	return n.String()
}

func listString(op string, nodes []Node) string {
	var b strings.Builder
	b.WriteString("(" + op)
	for _, n := range nodes {
		b.WriteString(" " + nodeString(n))
	}
	b.WriteString(")")
	return b.String()
}

// SyntaxError reports a query that cannot be parsed. Msg is German and
// meant for the user; Offset (bytes) and Column (characters, from 1) point
// at the problem. It unwraps to an apperr KindInvalid error, so the web
// layer answers 400 with the message.
type SyntaxError struct {
	Query  string
	Offset int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("Suchanfrage, Zeichen %d: %s", e.Column, e.Msg)
}

// Unwrap lets apperr.KindOf classify the error as invalid input.
func (e *SyntaxError) Unwrap() error {
	return &apperr.Error{
		Kind:    apperr.KindInvalid,
		Message: "Ungültige Suchanfrage",
		Fields:  []apperr.FieldError{{Field: "q", Message: e.Error()}},
	}
}

const (
	// MaxQueryBytes bounds the query length.
	MaxQueryBytes = 4096
	// maxDepth bounds nesting of parentheses and negations.
	maxDepth = 20
)

// knownFields maps accepted field names (lower case) to canonical names.
var knownFields = map[string]string{
	"az":           FieldAz,
	"aktenzeichen": FieldAz,
	"titel":        FieldTitel,
	"betreff":      FieldTitel,
	"absender":     FieldAbsender,
	"typ":          FieldTyp,
	"datum":        FieldDatum,
}

const fieldList = "az, titel (oder betreff), absender, typ, datum"

// Parse parses a query into an AST whose terms are analysed. It never
// panics; bad input yields a *SyntaxError with a German message.
func Parse(query string) (Node, error) {
	p := &parser{q: query}
	if len(query) > MaxQueryBytes {
		return nil, p.errAt(MaxQueryBytes, fmt.Sprintf("Die Suchanfrage ist zu lang (höchstens %d Zeichen).", MaxQueryBytes))
	}
	if err := p.lex(); err != nil {
		return nil, err
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		// parseOr stops only at EOF or ')'.
		return nil, p.errAt(t.off, "Schließende Klammer »)« ohne passende öffnende Klammer.")
	}
	if n == nil {
		return nil, p.errAt(0, "Die Suchanfrage enthält keine suchbaren Wörter (nur Füllwörter wie »der« oder »und« oder Satzzeichen).")
	}
	return n, nil
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tLParen
	tRParen
	tOr
	tAnd
	tNot
	tMinus
	tField
)

type qtok struct {
	kind     tokKind
	text     string // word, phrase content or field name as typed
	off, end int
	prefix   bool // word ended in *
}

type parser struct {
	q       string
	toks    []qtok
	i       int
	depth   int
	inField bool
}

func (p *parser) errAt(off int, msg string) *SyntaxError {
	if off < 0 {
		off = 0
	}
	if off > len(p.q) {
		off = len(p.q)
	}
	for off > 0 && off < len(p.q) && !utf8.RuneStart(p.q[off]) {
		off--
	}
	return &SyntaxError{Query: p.q, Offset: off, Column: utf8.RuneCountInString(p.q[:off]) + 1, Msg: msg}
}

func isQuote(r rune) bool {
	switch r {
	case '"', '„', '“', '”', '«', '»':
		return true
	}
	return false
}

func (p *parser) lex() error {
	q := p.q
	i := 0
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			p.toks = append(p.toks, qtok{kind: tLParen, off: i, end: i + 1})
			i++
		case r == ')':
			p.toks = append(p.toks, qtok{kind: tRParen, off: i, end: i + 1})
			i++
		case isQuote(r):
			j := i + size
			closed := -1
			for j < len(q) {
				r2, s2 := utf8.DecodeRuneInString(q[j:])
				if isQuote(r2) {
					closed = j
					j += s2
					break
				}
				j += s2
			}
			if closed < 0 {
				return p.errAt(i, "Das Anführungszeichen wird nicht geschlossen: eine Phrase braucht ein Anführungszeichen am Anfang und am Ende.")
			}
			p.toks = append(p.toks, qtok{kind: tPhrase, text: q[i+size : closed], off: i, end: j})
			// A '*' right after a phrase has no meaning of its own; skip it.
			for j < len(q) && q[j] == '*' {
				j++
			}
			i = j
		case (r == '-' || r == '+') && i+1 < len(q) && p.startsOperand(i+1):
			if r == '-' {
				p.toks = append(p.toks, qtok{kind: tMinus, off: i, end: i + 1})
			}
			i++
		default:
			j := i
			for j < len(q) {
				r2, s2 := utf8.DecodeRuneInString(q[j:])
				if unicode.IsSpace(r2) || r2 == '(' || r2 == ')' || isQuote(r2) {
					break
				}
				j += s2
			}
			w := q[i:j]
			switch w {
			case "OR", "ODER":
				p.toks = append(p.toks, qtok{kind: tOr, text: w, off: i, end: j})
				i = j
				continue
			case "AND", "UND":
				p.toks = append(p.toks, qtok{kind: tAnd, text: w, off: i, end: j})
				i = j
				continue
			case "NOT", "NICHT":
				p.toks = append(p.toks, qtok{kind: tNot, text: w, off: i, end: j})
				i = j
				continue
			}
			if c := strings.IndexByte(w, ':'); c > 0 && isFieldName(w[:c]) && !strings.HasPrefix(w[c+1:], "//") {
				p.toks = append(p.toks, qtok{kind: tField, text: w[:c], off: i, end: i + c + 1})
				i += c + 1
				continue
			}
			t := qtok{kind: tWord, off: i, end: j}
			for len(w) > 0 && w[len(w)-1] == '*' {
				w = w[:len(w)-1]
				t.prefix = true
			}
			if k := strings.IndexByte(w, '*'); k >= 0 {
				return p.errAt(i+k, "Das Sternchen * ist nur am Ende eines Wortes erlaubt, z. B. Kita*.")
			}
			if w == "" {
				return p.errAt(i, "Ein Sternchen allein ist kein Suchbegriff; schreiben Sie es hinter einen Wortanfang, z. B. Kita*.")
			}
			t.text = w
			p.toks = append(p.toks, t)
			i = j
		}
	}
	p.toks = append(p.toks, qtok{kind: tEOF, off: len(q), end: len(q)})
	return nil
}

// startsOperand reports whether a '-' or '+' at i-1 is an operator: it must
// be followed directly by a word, phrase or group.
func (p *parser) startsOperand(i int) bool {
	r, _ := utf8.DecodeRuneInString(p.q[i:])
	return !unicode.IsSpace(r) && r != ')' && r != '-' && r != '+'
}

func isFieldName(s string) bool {
	for k := 0; k < len(s); k++ {
		c := s[k]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

func (p *parser) peek() qtok { return p.toks[p.i] }
func (p *parser) next()      { p.i++ }

func endsOperand(k tokKind) bool {
	return k == tEOF || k == tRParen || k == tOr || k == tAnd
}

func (p *parser) parseOr() (Node, error) {
	if t := p.peek(); t.kind == tOr {
		return nil, p.errAt(t.off, fmt.Sprintf("»%s« steht am Anfang: vor und nach %s muss ein Suchbegriff stehen.", t.text, t.text))
	}
	n, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	nodes := []Node{n}
	for p.peek().kind == tOr {
		op := p.peek()
		p.next()
		if endsOperand(p.peek().kind) {
			return nil, p.errAt(op.off, fmt.Sprintf("Nach »%s« fehlt ein Suchbegriff: vor und nach %s muss ein Suchbegriff stehen.", op.text, op.text))
		}
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
	}
	return mkOr(nodes), nil
}

func (p *parser) parseAnd() (Node, error) {
	var nodes []Node
	items := 0
	for {
		t := p.peek()
		switch t.kind {
		case tEOF, tRParen, tOr:
			return mkAnd(nodes), nil
		case tAnd:
			if items == 0 {
				return nil, p.errAt(t.off, fmt.Sprintf("»%s« steht am Anfang: vor und nach %s muss ein Suchbegriff stehen.", t.text, t.text))
			}
			p.next()
			if endsOperand(p.peek().kind) {
				return nil, p.errAt(t.off, fmt.Sprintf("Nach »%s« fehlt ein Suchbegriff.", t.text))
			}
			continue
		}
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, n)
		items++
	}
}

func (p *parser) parseUnary() (Node, error) {
	t := p.peek()
	if t.kind != tNot && t.kind != tMinus {
		return p.parsePrimary()
	}
	p.next()
	if endsOperand(p.peek().kind) {
		name := "-"
		if t.kind == tNot {
			name = t.text
		}
		return nil, p.errAt(t.off, fmt.Sprintf("Nach »%s« fehlt der Suchbegriff, der ausgeschlossen werden soll.", name))
	}
	if err := p.enter(t.off); err != nil {
		return nil, err
	}
	n, err := p.parseUnary()
	p.depth--
	if err != nil {
		return nil, err
	}
	return mkNot(n), nil
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(off, fmt.Sprintf("Die Suchanfrage ist zu tief verschachtelt (höchstens %d Ebenen aus Klammern und NOT).", maxDepth))
	}
	return nil
}

func (p *parser) parsePrimary() (Node, error) {
	t := p.peek()
	switch t.kind {
	case tLParen:
		if err := p.enter(t.off); err != nil {
			return nil, err
		}
		p.next()
		if p.peek().kind == tRParen {
			return nil, p.errAt(t.off, "Leere Klammern: zwischen »(« und »)« muss ein Suchbegriff stehen.")
		}
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, p.errAt(t.off, "Die Klammer »(« wird nicht geschlossen: es fehlt »)«.")
		}
		p.next()
		p.depth--
		return n, nil
	case tPhrase:
		p.next()
		return phraseNode(t.text), nil
	case tWord:
		p.next()
		return p.wordNode(t)
	case tField:
		return p.parseField()
	}
	// parseAnd and parseUnary never call us at EOF, ')', OR or AND.
	return nil, p.errAt(t.off, "Unerwartetes Zeichen.")
}

func (p *parser) parseField() (Node, error) {
	t := p.peek()
	name, ok := knownFields[strings.ToLower(t.text)]
	if !ok {
		return nil, p.errAt(t.off, fmt.Sprintf("Unbekanntes Feld »%s«. Bekannte Felder: %s. Um nach »%s:…« als Text zu suchen, setzen Sie den Ausdruck in Anführungszeichen.", t.text, fieldList, t.text))
	}
	if p.inField {
		return nil, p.errAt(t.off, "Felder lassen sich nicht verschachteln: innerhalb von »feld:(…)« ist kein weiteres Feld erlaubt.")
	}
	p.next()
	v := p.peek()
	if name == FieldDatum {
		if v.kind != tWord || v.prefix {
			return nil, p.errAt(t.off, "Nach »datum:« muss ein Datum oder Zeitraum folgen, z. B. datum:2026, datum:2026-03-15, datum:15.03.2026 oder datum:2026-01..2026-06.")
		}
		p.next()
		return p.dateNode(v)
	}
	if endsOperand(v.kind) {
		return nil, p.errAt(t.off, fmt.Sprintf("Nach »%s:« fehlt der Suchbegriff, z. B. %s:Kita.", t.text, t.text))
	}
	p.inField = true
	n, err := p.parseUnary()
	p.inField = false
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, nil
	}
	return &Field{Name: name, Node: n}, nil
}

// wordNode analyses one unquoted word.
func (p *parser) wordNode(t qtok) (Node, error) {
	toks := analyze(t.text, analyzeOpts{keepStop: t.prefix})
	var prim []Token
	for _, k := range toks {
		if k.Kind.Primary() {
			prim = append(prim, k)
		}
	}
	if len(prim) == 0 {
		return nil, nil
	}
	term := ""
	if len(prim) == 1 {
		term = prim[0].Term
	} else {
		// One connected token (Aktenzeichen, date, hyphenated word):
		// its join term.
		for _, k := range toks {
			if k.Kind == KindJoin && k.Start == prim[0].Start && k.End == prim[len(prim)-1].End {
				term = k.Term
				break
			}
		}
	}
	if term == "" {
		terms := make([]string, len(prim))
		for k, x := range prim {
			terms[k] = x.Term
		}
		return &Phrase{Terms: terms, Prefix: t.prefix, Raw: t.text}, nil
	}
	if t.prefix {
		if utf8.RuneCountInString(term) < 2 {
			return nil, p.errAt(t.off, "Vor dem Sternchen * werden mindestens zwei Buchstaben oder Ziffern gebraucht.")
		}
		return &Prefix{Prefix: term, Raw: t.text}, nil
	}
	return &Term{Term: term, Raw: t.text}, nil
}

// FieldValue matches the rows whose field name holds value as written,
// for narrowing by an exact filter (typ: the filter itself stays exact
// SQL): a value that is one connected token (E-Mail) by its join term
// (email), one posting list, where a phrase would make the engine check
// word positions on every row; otherwise its words as a phrase. nil when
// value has no words.
func FieldValue(name, value string) Node {
	var prim []Token
	toks := Analyze(value)
	for _, k := range toks {
		if k.Kind.Primary() {
			prim = append(prim, k)
		}
	}
	var n Node
	switch {
	case len(prim) == 0:
		return nil
	case len(prim) == 1:
		n = &Term{Term: prim[0].Term, Raw: value}
	default:
		for _, k := range toks {
			if k.Kind == KindJoin && k.Start == prim[0].Start && k.End == prim[len(prim)-1].End {
				n = &Term{Term: k.Term, Raw: value}
				break
			}
		}
		if n == nil {
			n = phraseNode(value)
		}
	}
	return &Field{Name: name, Node: n}
}

// phraseNode analyses the text of a phrase.
func phraseNode(text string) Node {
	var terms []string
	for _, k := range Analyze(text) {
		if k.Kind.Primary() {
			terms = append(terms, k.Term)
		}
	}
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return &Term{Term: terms[0], Raw: text}
	}
	return &Phrase{Terms: terms, Raw: text}
}

// dateNode parses the value of datum:.
func (p *parser) dateNode(v qtok) (Node, error) {
	s := v.text
	var from, to time.Time
	if a, b, isRange := strings.Cut(s, ".."); isRange {
		if a == "" && b == "" {
			return nil, p.errAt(v.off, "Ein Zeitraum braucht mindestens ein Ende, z. B. datum:2026-01..2026-06 oder datum:2025..")
		}
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
		to = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		if a != "" {
			lo, _, err := parseDate(a)
			if err != "" {
				return nil, p.errAt(v.off, err)
			}
			from = lo
		}
		if b != "" {
			_, hi, err := parseDate(b)
			if err != "" {
				return nil, p.errAt(v.off+len(a)+2, err)
			}
			to = hi
		}
		if from.After(to) {
			return nil, p.errAt(v.off, fmt.Sprintf("Der Zeitraum »%s« endet vor seinem Beginn.", s))
		}
	} else {
		lo, hi, err := parseDate(s)
		if err != "" {
			return nil, p.errAt(v.off, err)
		}
		from, to = lo, hi
	}
	return &DateRange{From: from, To: to, Raw: s}, nil
}

// parseDate parses a year, month or day in ISO (2026, 2026-03, 2026-03-15)
// or German (03.2026, 15.03.2026) notation and returns its first and last
// day. The error is a German message, empty on success.
func parseDate(s string) (lo, hi time.Time, errMsg string) {
	bad := fmt.Sprintf("»%s« ist kein Datum. Möglich sind 2026, 2026-03, 2026-03-15, 03.2026 und 15.03.2026.", s)
	var y, m, d int
	var parts []string
	german := strings.Contains(s, ".")
	if german {
		parts = strings.Split(s, ".")
		// reverse to year, month, day
		for l, r := 0, len(parts)-1; l < r; l, r = l+1, r-1 {
			parts[l], parts[r] = parts[r], parts[l]
		}
	} else {
		parts = strings.Split(s, "-")
	}
	if len(parts) == 0 || len(parts) > 3 {
		return lo, hi, bad
	}
	nums := make([]int, len(parts))
	for k, part := range parts {
		maxLen := 2
		if k == 0 {
			maxLen = 4
		}
		if part == "" || len(part) > maxLen {
			return lo, hi, bad
		}
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 || strings.ContainsAny(part, "+-") {
			return lo, hi, bad
		}
		nums[k] = n
	}
	if len(parts[0]) != 4 {
		return lo, hi, fmt.Sprintf("Im Datum »%s« muss das Jahr vierstellig sein.", s)
	}
	y = nums[0]
	if y < 1 {
		return lo, hi, fmt.Sprintf("Das Jahr in »%s« muss zwischen 0001 und 9999 liegen.", s)
	}
	switch len(nums) {
	case 1:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), ""
	case 2, 3:
		m = nums[1]
		if m < 1 || m > 12 {
			return lo, hi, fmt.Sprintf("Im Datum »%s« muss der Monat zwischen 1 und 12 liegen.", s)
		}
		if len(nums) == 2 {
			return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC), ""
		}
	}
	d = nums[2]
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > last {
		return lo, hi, fmt.Sprintf("Den Tag %d gibt es im Monat %02d/%04d nicht.", d, m, y)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t, ""
}

// mkAnd flattens nested ANDs and drops empty operands (stop words).
func mkAnd(nodes []Node) Node {
	var out []Node
	for _, n := range nodes {
		switch x := n.(type) {
		case nil:
		case *And:
			out = append(out, x.Nodes...)
		default:
			out = append(out, n)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return &And{Nodes: out}
}

// mkOr flattens nested ORs and drops empty operands.
func mkOr(nodes []Node) Node {
	var out []Node
	for _, n := range nodes {
		switch x := n.(type) {
		case nil:
		case *Or:
			out = append(out, x.Nodes...)
		default:
			out = append(out, n)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return &Or{Nodes: out}
}

func mkNot(n Node) Node {
	switch x := n.(type) {
	case nil:
		return nil
	case *Not:
		return x.Node
	}
	return &Not{Node: n}
}
