package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"aktenwerk/internal/apperr"
)

// Params are the argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
}

// DefaultParams are the production parameters, chosen for a 2-core server:
// 64 MiB and 3 passes (the memory of RFC 9106's second recommendation,
// above OWASP's minimum of 19 MiB × 2) take about 110 ms on one core of the
// reference machine. One lane: a login occupies one core, so two logins run
// side by side on two cores instead of both waiting for the same two; the
// memory-time product, not the lane count, is what costs an attacker. At
// most Options.HashConcurrency hashes (default: the number of CPUs) run at
// once, which bounds the memory to 64 MiB per core.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 1}

// TestParams are cheap parameters for tests (never for production).
var TestParams = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// MinPasswordChars is the shortest accepted password (characters).
	MinPasswordChars = 12
	// MaxPasswordBytes bounds the work an attacker can make us do per guess.
	MaxPasswordBytes = 1024
)

// phc prefix and the one version of argon2 we write.
const phcPrefix = "$argon2id$v=19$"

// normalize makes the same password typed on different systems (precomposed
// or combining umlauts) the same bytes.
func normalize(pw string) []byte { return []byte(norm.NFC.String(pw)) }

// HashPassword returns the PHC string of pw under p:
// $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(pw string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey(normalize(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", phcPrefix, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash reports a stored hash we cannot read.
var errBadHash = errors.New("auth: unreadable password hash")

// parsePHC reads a PHC string written by HashPassword (and by other argon2id
// implementations with sane parameters).
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	rest, ok := strings.CutPrefix(s, phcPrefix)
	if !ok {
		return p, nil, nil, errBadHash
	}
	parts := strings.Split(rest, "$")
	if len(parts) != 3 {
		return p, nil, nil, errBadHash
	}
	seen := 0
	for _, kv := range strings.Split(parts[0], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return p, nil, nil, errBadHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, errBadHash
		}
		switch k {
		case "m":
			p.Memory, seen = uint32(n), seen|1
		case "t":
			p.Time, seen = uint32(n), seen|2
		case "p":
			if n > 255 {
				return p, nil, nil, errBadHash
			}
			p.Threads, seen = uint8(n), seen|4
		default:
			return p, nil, nil, errBadHash
		}
	}
	// Bounds: a corrupted or planted row must not make us allocate
	// gigabytes or spin for minutes.
	if seen != 7 || p.Time < 1 || p.Time > 64 || p.Threads < 1 || p.Threads > 64 ||
		p.Memory < 8*uint32(p.Threads) || p.Memory > 4*1024*1024 {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[1]); err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[2]); err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// VerifyPassword reports whether pw matches the PHC string, comparing in
// constant time, and whether the hash was made with parameters other than
// want (it should then be replaced). An unreadable hash never matches.
func VerifyPassword(pw, phc string, want Params) (ok, rehash bool) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, false
	}
	got := argon2.IDKey(normalize(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, ok && (p != want || len(salt) != saltLen || len(key) != keyLen)
}

// CheckPasswordPolicy checks a new password: at least 12 characters, at
// most 1024 bytes, valid UTF-8 without control characters, not the login.
func CheckPasswordPolicy(field, pw, login string) error {
	switch {
	case !utf8.ValidString(pw):
		return apperr.Invalid(field, "ungültige Zeichenkodierung (UTF-8 erwartet)")
	case len(pw) > MaxPasswordBytes:
		return apperr.Invalid(field, fmt.Sprintf("höchstens %d Bytes", MaxPasswordBytes))
	case utf8.RuneCountInString(norm.NFC.String(pw)) < MinPasswordChars:
		return apperr.Invalid(field, fmt.Sprintf("mindestens %d Zeichen", MinPasswordChars))
	case strings.ContainsFunc(pw, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return apperr.Invalid(field, "enthält Steuerzeichen")
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(login)):
		return apperr.Invalid(field, "darf nicht der Anmeldename sein")
	}
	return nil
}

// passwordAlphabet leaves out characters that are easily confused (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random password of 20 characters (about 116
// bits), grouped in fours for reading aloud or typing.
func GeneratePassword() string {
	var b strings.Builder
	for i := range 20 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[randIndex(len(passwordAlphabet))])
	}
	return b.String()
}

// hasher bounds the number of concurrent argon2 computations, so that a
// burst of sign-ins cannot exhaust memory (64 MiB each by default).
type hasher struct {
	params Params
	slots  chan struct{}
	// dummy is the hash of a random password under params, checked for
	// unknown users; made on first use, not at start.
	dummy func() string
}

func newHasher(p Params, concurrency int) *hasher {
	if concurrency <= 0 {
		concurrency = max(1, runtime.GOMAXPROCS(0))
	}
	return &hasher{params: p, slots: make(chan struct{}, concurrency), dummy: sync.OnceValue(func() string {
		h, err := HashPassword(GeneratePassword(), p)
		if err != nil {
			panic("auth: no randomness: " + err.Error())
		}
		return h
	})}
}

func (h *hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *hasher) release() { <-h.slots }

// verify checks pw against phc; an empty phc (no user, no password) is
// checked against a dummy hash, so that it costs the same time.
func (h *hasher) verify(ctx context.Context, pw, phc string) (ok, rehash bool, err error) {
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	if phc == "" {
		VerifyPassword(pw, h.dummy(), h.params)
		return false, false, nil
	}
	ok, rehash = VerifyPassword(pw, phc, h.params)
	return ok, rehash, nil
}

func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return HashPassword(pw, h.params)
}
