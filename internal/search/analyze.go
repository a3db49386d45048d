package search

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/unicode/rangetable"
)

// Token is one index or query term produced by Analyze.
type Token struct {
	// Term is the analysed term: lower case, folded, stemmed. It consists of
	// Unicode letters and ASCII digits only, so both engines keep it as one
	// token (see doc.go).
	Term string
	// Pos is the position of the term in the sequence of primary terms (0, 1,
	// 2, …). Stop words leave no gap. Secondary tokens (KindJoin, KindSub)
	// share the Pos of the primary token they derive from.
	Pos int
	// Start and End are byte offsets of the source text in the original
	// input, for highlighting: input[Start:End].
	Start, End int
	// Kind tells primary terms (the running text) from secondary ones.
	Kind Kind
}

// Kind classifies a Token.
type Kind uint8

const (
	// KindWord is a stand-alone word or number. Primary.
	KindWord Kind = iota
	// KindPart is one segment of a connected token such as an Aktenzeichen
	// (TFM-121-2026/0001 → tfm, 121, 2026, 0001) or a hyphenated word.
	// Primary.
	KindPart
	// KindJoin is a connected token written as one term (tfm12120260001,
	// kitagesetz) or, when the token contains a digit, one of its trailing
	// runs of two or more segments (12120260001, 20260001). Secondary.
	KindJoin
	// KindSub is a sub-word of a compound (Ausbildungsplatz → ausbild,
	// platz). Secondary.
	KindSub
)

// Primary reports whether tokens of this kind make up the running text, the
// sequence over which phrases are matched.
func (k Kind) Primary() bool { return k == KindWord || k == KindPart }

func (k Kind) String() string {
	switch k {
	case KindWord:
		return "word"
	case KindPart:
		return "part"
	case KindJoin:
		return "join"
	case KindSub:
		return "sub"
	}
	return "kind?"
}

const (
	// MaxTermBytes is the longest term Analyze emits; longer ones (base64
	// blobs, hashes glued to text) are dropped on both sides. PostgreSQL
	// refuses lexemes above 2047 bytes, so without a bound the engines would
	// disagree.
	MaxTermBytes = 128
	// maxJoinSegments bounds the segments of a connected token that are
	// joined into KindJoin terms.
	maxJoinSegments = 8
	// minCompoundLen is the shortest folded word that is tried for compound
	// splitting.
	minCompoundLen = 6
)

// Analyze turns text into index/query terms with the chain described in
// doc.go. The same function is used for indexing and for every word of a
// query, so both sides always agree. Tokens come in text order; secondary
// tokens follow the primary token(s) they derive from.
func Analyze(text string) []Token {
	return analyze(text, analyzeOpts{})
}

// analyzeOpts are the variants of analyze.
type analyzeOpts struct {
	// keepStop keeps stop words (prefix queries: "die*" must find
	// "Dienst").
	keepStop bool
	// needles, when set, spares the stemming and compound splitting of
	// every stand-alone letters-only word that contains none of them: such
	// a word gets its folded form as term, which matches no needle. Snippet
	// uses it. The stem and the compound parts of a folded word are
	// substrings of it (TestStemsAreSubstrings), so a word whose terms equal
	// or start with a needle contains that needle and is analysed in full;
	// positions stay the same either way.
	needles []string
}

// segment is a maximal run of word characters in the original text.
type segment struct {
	start, end int
}

// analyze is Analyze with options.
func analyze(text string, o analyzeOpts) []Token {
	var (
		pos     int
		segBuf  [maxJoinSegments]segment
		segs    = segBuf[:0]
		wordBuf [maxJoinSegments]word
	)
	// about one token per seven bytes of German text
	toks := make([]Token, 0, len(text)/7+1)
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r, size) {
			i += size
			continue
		}
		// A connected token: word segments joined by connector characters
		// without white space.
		segs = segs[:0]
		for {
			start := i
			for i < len(text) {
				r, size = utf8.DecodeRuneInString(text[i:])
				if !isWordRune(r, size) {
					break
				}
				i += size
			}
			segs = append(segs, segment{start, i})
			// Look past connectors for another segment.
			j := i
			for j < len(text) {
				r, size = utf8.DecodeRuneInString(text[j:])
				if isConnector(r) || (r == ',' && j > start && isASCIIDigit(text[j-1]) && j+1 < len(text) && isASCIIDigit(text[j+1])) {
					j += size
					continue
				}
				break
			}
			if j == i || j >= len(text) {
				break
			}
			r, size = utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r, size) {
				break
			}
			i = j
		}
		toks, pos = emitChunk(toks, pos, text, segs, wordBuf[:0], o)
	}
	return toks
}

// word is one segment after normalisation.
type word struct {
	folded   string // NFKC, case folded, umlauts and diacritics folded, ß→ss
	hasDigit bool
	seg      segment
}

// emitChunk appends the tokens of one connected token (segs) at pos;
// words is scratch space.
func emitChunk(toks []Token, pos int, text string, segs []segment, words []word, o analyzeOpts) ([]Token, int) {
	anyDigit := false
	for _, s := range segs {
		f, hasDigit := fold(text[s.start:s.end])
		if f == "" {
			continue
		}
		anyDigit = anyDigit || hasDigit
		words = append(words, word{folded: f, hasDigit: hasDigit, seg: s})
	}
	if len(words) == 0 {
		return toks, pos
	}
	if len(words) == 1 {
		w := words[0]
		if !w.hasDigit && !o.keepStop && isStopWord(w.folded) {
			return toks, pos
		}
		if o.needles != nil && !w.hasDigit && len(w.folded) <= MaxTermBytes && !containsAny(w.folded, o.needles) {
			// cannot match (see analyzeOpts.needles)
			return append(toks, Token{Term: w.folded, Pos: pos, Start: w.seg.start, End: w.seg.end, Kind: KindWord}), pos + 1
		}
		return emitWord(toks, pos, w, KindWord)
	}
	// Connected token: every segment is a part (never a stop word: "IN" in
	// "IN-12/2026" is a Behördenkürzel, not a preposition).
	partPos := make([]int, len(words))
	for k, w := range words {
		partPos[k] = pos
		toks, pos = emitWord(toks, pos, w, KindPart)
	}
	if len(words) > maxJoinSegments {
		return toks, pos
	}
	end := words[len(words)-1].seg.end
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w.folded)
	}
	full := b.String()
	if !anyDigit {
		full = stem(full)
	}
	if len(full) <= MaxTermBytes {
		toks = append(toks, Token{Term: full, Pos: partPos[0], Start: words[0].seg.start, End: end, Kind: KindJoin})
	}
	if anyDigit {
		for k := 1; k < len(words)-1; k++ {
			b.Reset()
			for _, w := range words[k:] {
				b.WriteString(w.folded)
			}
			t := b.String()
			if len(t) <= MaxTermBytes {
				toks = append(toks, Token{Term: t, Pos: partPos[k], Start: words[k].seg.start, End: end, Kind: KindJoin})
			}
		}
	}
	return toks, pos
}

// emitWord appends the primary token for w at pos and its compound
// sub-words, and returns the next position. An overlong term is dropped
// without taking a position (a part of a connected token that is dropped
// makes every join containing it overlong as well).
func emitWord(toks []Token, pos int, w word, kind Kind) ([]Token, int) {
	term, subs := w.folded, []string(nil)
	if !w.hasDigit {
		term, subs = analyzeLetters(w.folded)
	}
	if len(term) > MaxTermBytes || term == "" {
		return toks, pos
	}
	toks = append(toks, Token{Term: term, Pos: pos, Start: w.seg.start, End: w.seg.end, Kind: kind})
	for _, sub := range subs {
		toks = append(toks, Token{Term: sub, Pos: pos, Start: w.seg.start, End: w.seg.end, Kind: KindSub})
	}
	return toks, pos + 1
}

func containsAny(s string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

// wordCache memoises analyzeLetters: stemming and compound splitting are
// most of the analysis time, and word frequencies follow Zipf's law. The
// cache only remembers a pure function, so it cannot change a result; it
// stops growing at maxCachedWords entries.
var (
	wordCache      sync.Map // folded word → cachedWord
	wordCacheSize  atomic.Int64
	maxCachedWords int64 = 100_000
)

type cachedWord struct {
	term string
	subs []string // shared, read-only
}

// analyzeLetters returns the stem of a folded letters-only word and the
// stems of its compound parts (without the stem itself).
func analyzeLetters(folded string) (string, []string) {
	if c, ok := wordCache.Load(folded); ok {
		cw := c.(cachedWord)
		return cw.term, cw.subs
	}
	term := stem(folded)
	var subs []string
	if len(folded) >= minCompoundLen {
		for _, sub := range splitCompound(folded) {
			if sub != term && sub != "" && len(sub) <= MaxTermBytes {
				subs = append(subs, sub)
			}
		}
	}
	if len(folded) <= maxSplitInput && wordCacheSize.Load() < maxCachedWords {
		// folded may be a part of a whole document (fold returns words
		// that fold to themselves as they are): the cache keeps copies, so
		// that it never holds a text in memory
		term = strings.Clone(term)
		for i := range subs {
			subs[i] = strings.Clone(subs[i])
		}
		if _, loaded := wordCache.LoadOrStore(strings.Clone(folded), cachedWord{term, subs}); !loaded {
			wordCacheSize.Add(1)
		}
	}
	return term, subs
}

// isWordRune reports whether r belongs to a word: letters, numbers and
// combining marks. Exceptions, treated as separators:
//   - the click letters U+01C0–U+01C3, because U+01C2 is the index sentinel
//     (see index.go);
//   - letters that were combining marks in Unicode 6.1, whose tables FTS5's
//     unicode61 tokenizer uses: it splits words there (New Tai Lue vowel
//     signs, two Vedic signs);
//   - characters assigned after Unicode 13.0 (CJK Extension H, Kawi, …):
//     PostgreSQL's parser classifies characters with the C library of its
//     host (glibc 2.36 on Debian 12 knows Unicode 14), and Go's tables grow
//     with each Go release. The cut-off keeps the three in agreement.
func isWordRune(r rune, size int) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	switch {
	case r == utf8.RuneError && size <= 1,
		r >= 0x01C0 && r <= 0x01C3,
		r >= 0x19B0 && r <= 0x19C0, r == 0x19C8, r == 0x19C9,
		r == 0x1CF2, r == 0x1CF3:
		return false
	}
	if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
		return false
	}
	return r < 0x0250 || unicode.Is(unicode13, r) // Latin-1 and Latin Extended are old
}

// unicode13 holds the code points assigned in Unicode 13.0.
var unicode13 = rangetable.Assigned("13.0.0")

func init() {
	if unicode13 == nil {
		panic("search: x/text has no Unicode 13.0.0 table")
	}
}

// isConnector reports characters that join word segments into one connected
// token (Aktenzeichen, dates, hyphenated words, e-mail addresses). A comma
// joins only between digits (1.234,56) and is handled by the caller.
func isConnector(r rune) bool {
	switch r {
	case '-', '/', '.', '_', ':', '@', '\'', '\u2019', '\u2010', '\u2011':
		return true
	}
	return false
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// fold normalises one segment: NFKC, case folding, ß→ss, diacritics and
// umlauts removed (after German digraphs ae/oe/ue were read as umlauts), all
// digits as ASCII, and everything but letters and digits dropped.
func fold(s string) (string, bool) {
	ascii := true
	for k := 0; k < len(s); k++ {
		if s[k] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii && !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	// most words fit the stack buffer, and a word that folds to itself
	// (lower case ASCII) is returned as it is: no allocation for either
	var buf [64]byte
	b := buf[:0]
	if len(s)+4 > len(buf) {
		b = make([]byte, 0, len(s)+4)
	}
	hasDigit, hasLetter := false, false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'A' <= r && r <= 'Z':
				b = append(b, byte(r)+'a'-'A')
				hasLetter = true
			case 'a' <= r && r <= 'z':
				b = append(b, byte(r))
				hasLetter = true
			case '0' <= r && r <= '9':
				b = append(b, byte(r))
				hasDigit = true
			}
		case r == 'ä' || r == 'Ä':
			b = append(b, "\x00a"...) // marker: umlaut, folded below
			hasLetter = true
		case r == 'ö' || r == 'Ö':
			b = append(b, "\x00o"...)
			hasLetter = true
		case r == 'ü' || r == 'Ü':
			b = append(b, "\x00u"...)
			hasLetter = true
		case r == 'ß' || r == 'ẞ':
			b = append(b, "ss"...)
			hasLetter = true
		case unicode.IsDigit(r):
			b = append(b, byte('0'+digitValue(r)))
			hasDigit = true
		case unicode.IsMark(r):
			// dropped: both engines treat combining marks as separators
		case unicode.IsLetter(r):
			b = appendFoldedLetter(b, r)
			hasLetter = true
			// Other numbers (No, Nl) that NFKC leaves alone – Bengali
			// fractions, Tamil ten – are dropped: PostgreSQL's parser does
			// not count them as word characters.
		}
	}
	if !hasDigit && hasLetter {
		b = contractDigraphs(b)
	}
	// Remove umlaut markers: ä, ae → a (see contractDigraphs).
	out := b[:0]
	for k := 0; k < len(b); k++ {
		if b[k] == 0 {
			continue
		}
		out = append(out, b[k])
	}
	if string(out) == s {
		return s, hasDigit
	}
	return string(out), hasDigit
}

// contractDigraphs reads the German transliterations ae, oe, ue as umlauts
// (Mueller → Müller) by turning the 'e' into the umlaut marker. It does not
// when the vowel follows another vowel (Steuer, Bauer, neue) or a 'q'
// (Quelle), the cases where ue is not a transliteration.
func contractDigraphs(b []byte) []byte {
	for k := 0; k+1 < len(b); k++ {
		c := b[k]
		if (c != 'a' && c != 'o' && c != 'u') || b[k+1] != 'e' {
			continue
		}
		if k > 0 {
			p := b[k-1]
			if p == 0 || p == 'q' || !('a' <= p && p <= 'z') || isASCIIVowel(p) {
				continue
			}
		}
		// "ue" → marker + "u": same length, marker removed later.
		b[k], b[k+1] = 0, c
		k++
	}
	return b
}

func isASCIIVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// special letters without a canonical decomposition.
var letterFold = map[rune]string{
	'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'þ': "th", 'Þ': "th", 'ı': "i", 'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t",
	'ς': "σ",
}

// appendFoldedLetter appends r lower-cased and without diacritics.
func appendFoldedLetter(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if f, ok := letterFold[r]; ok {
		return append(b, f...)
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	dec := norm.NFD.Properties(buf[:n]).Decomposition()
	if dec == nil {
		return utf8.AppendRune(b, r)
	}
	for len(dec) > 0 {
		d, size := utf8.DecodeRune(dec)
		dec = dec[size:]
		if unicode.IsMark(d) {
			continue
		}
		d = unicode.ToLower(d)
		if f, ok := letterFold[d]; ok {
			b = append(b, f...)
			continue
		}
		if unicode.IsLetter(d) {
			b = utf8.AppendRune(b, d)
		} else if unicode.IsDigit(d) {
			b = append(b, byte('0'+digitValue(d)))
		}
	}
	return b
}

// digitValue returns the value of a decimal digit of any script. Unicode
// allocates every decimal digit set as a contiguous run starting at zero.
func digitValue(r rune) int {
	z := r
	for z > 0 && unicode.IsDigit(z-1) {
		z--
	}
	return int(r-z) % 10
}

// stem applies Snowball German to a folded, letters-only word, plus one
// rule Snowball lacks: a plural -s after a, o or y is removed (Kitas → kita,
// Autos → auto, Handys → handy) when at least four letters remain.
func stem(w string) string {
	env := snowball.NewEnv(w)
	german.Stem(env)
	s := env.Current()
	if n := len(s); n >= 5 && s[n-1] == 's' {
		switch s[n-2] {
		case 'a', 'o', 'y':
			s = s[:n-1]
		}
	}
	return s
}

// stopWords are dropped from running text and from queries. The list is
// short on purpose: negations (nicht, kein) and anything that occurs in
// Aktenzeichen or numbers stay searchable. Forms are folded (für → fur).
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		der die das den dem des
		ein eine einer eines einem einen
		und oder aber sowie bzw
		als am an auf aus bei bis durch für gegen im in ins mit nach ohne seit
		über um unter von vom vor zu zum zur
		ist sind war waren wird werden wurde wurden sein hat haben hatte
		es er sie wir ihr ich du man sich
		dass daß wie so auch noch da dann wenn ob
		dieser diese dieses diesem diesen`) {
		f, _ := fold(w)
		stopWords[f] = true
	}
}

func isStopWord(folded string) bool { return stopWords[folded] }
