package oidc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// flowState is what the state cookie carries from Start to Callback.
type flowState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	ReturnTo string `json:"r"`
	Expires  int64  `json:"e"` // unix seconds
}

const (
	stateTTL        = 10 * time.Minute
	cookiePrefix    = "aw_oidc_"
	maxCookieLength = 4096
)

var (
	errSealCorrupt = errors.New("sealed state cookie is malformed or was not sealed with this key")
	errSealExpired = errors.New("sealed state cookie has expired")
)

// sealer encrypts and authenticates flow state with AES-256-GCM.
type sealer struct {
	aead cipher.AEAD
}

// newSealer derives the AES key from keyMaterial (StateKey or, when that is
// empty, the client secret) with HKDF-SHA256. Issuer and client id are part
// of the HKDF info, so two relying parties never accept each other's cookies.
func newSealer(keyMaterial []byte, issuer, clientID string) (*sealer, error) {
	key, err := hkdf.Key(sha256.New, keyMaterial, []byte("aktenwerk/oidc/state-cookie"),
		"v1\x00"+issuer+"\x00"+clientID, 32)
	if err != nil {
		return nil, fmt.Errorf("derive state key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// seal encrypts st; the cookie name is authenticated as additional data, so
// a sealed value is only accepted under the name it was issued for.
func (s *sealer) seal(name string, st flowState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

// open decrypts and checks a sealed value issued under name.
func (s *sealer) open(name, value string, now time.Time) (flowState, error) {
	var st flowState
	if len(value) > maxCookieLength {
		return st, errSealCorrupt
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize()+s.aead.Overhead() {
		return st, errSealCorrupt
	}
	ns := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:ns], raw[ns:], []byte(name))
	if err != nil {
		return st, errSealCorrupt
	}
	if err := json.Unmarshal(plain, &st); err != nil || st.State == "" || st.Nonce == "" || st.Verifier == "" {
		return flowState{}, errSealCorrupt
	}
	if now.Unix() >= st.Expires {
		return flowState{}, errSealExpired
	}
	return st, nil
}

// cookieName is the name of the state cookie for one login attempt. Each
// attempt has its own cookie, so parallel logins in several browser tabs do
// not overwrite each other.
func cookieName(secure bool, state string) string {
	sum := sha256.Sum256([]byte(state))
	return cookieNamePrefix(secure) + hex.EncodeToString(sum[:8])
}

func cookieNamePrefix(secure bool) string {
	if secure {
		return "__Secure-" + cookiePrefix
	}
	return cookiePrefix
}

// randomToken returns 32 random bytes, base64url encoded.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("oidc: crypto/rand failed: " + err.Error()) // cannot happen on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
