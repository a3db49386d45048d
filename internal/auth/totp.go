package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"math/big"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP follows RFC 6238 with the parameters every authenticator app
// understands: SHA-1, 6 digits, 30 seconds.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// RecoveryCodes is how many recovery codes an enrolment hands out.
	RecoveryCodes = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what a user needs to set up an authenticator app.
type Enrolment struct {
	Secret string // base32
	URL    string // otpauth://totp/…
	QRPNG  []byte // the URL as a QR code (PNG)
}

// QRDataURI returns the QR code as a data: URI for an <img>.
func (e Enrolment) QRDataURI() string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG)
}

func newEnrolment(issuer, account string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// totpStep is the RFC 6238 time step of t.
func totpStep(t time.Time) int64 { return t.Unix() / totpPeriod }

// matchTOTP returns the time step whose code equals code, looking at the
// step of now and one on either side (clock skew of phone and server). All
// three are computed and compared in constant time. ok is false for a
// malformed code or no match.
func matchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "") // "123 456" as some apps show it
	if len(code) != totpDigits.Length() || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := totpStep(now)
	for _, s := range []int64{cur - 1, cur, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// recoveryAlphabet: lower case letters and digits without 0/o, 1/l/i.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// newRecoveryCodes returns n codes of 16 characters (about 79 bits each),
// shown as xxxx-xxxx-xxxx-xxxx. Enough entropy that the stored SHA-256
// cannot be reversed by trying.
func newRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := range 16 {
			if j > 0 && j%4 == 0 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[randIndex(len(recoveryAlphabet))])
		}
		out[i] = b.String()
	}
	return out
}

// normalizeRecoveryCode accepts a code with or without dashes or spaces,
// in any case.
func normalizeRecoveryCode(c string) string {
	c = strings.ToLower(c)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, c)
}

// hashRecoveryCode is the stored form of a recovery code. The user id is
// part of the input, so that one precomputed table does not fit all users.
func hashRecoveryCode(userID, code string) string {
	sum := sha256.Sum256([]byte("aktenwerk-wiederherstellung:" + userID + ":" + normalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// looksLikeRecoveryCode tells a recovery code from a TOTP code.
func looksLikeRecoveryCode(c string) bool { return len(normalizeRecoveryCode(c)) == 16 }

// randIndex returns a uniform random number in [0, n).
func randIndex(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("auth: no randomness: " + err.Error()) // crypto/rand does not fail on supported systems
	}
	return int(v.Int64())
}
