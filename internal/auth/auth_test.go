package auth

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"aktenwerk/internal/apperr"
)

func TestPasswordHashPHC(t *testing.T) {
	p := Params{Memory: 64, Time: 2, Threads: 1}
	h, err := HashPassword("Korrekt-Pferd-Batterie", p)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(h, "$")
	// "", "argon2id", "v=19", "m=64,t=2,p=1", salt, hash
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=64,t=2,p=1" ||
		len(parts[4]) != 22 || len(parts[5]) != 43 || strings.HasSuffix(h, "=") {
		t.Fatalf("PHC string %q", h)
	}
	h2, _ := HashPassword("Korrekt-Pferd-Batterie", p)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt?")
	}
	if ok, rehash := VerifyPassword("Korrekt-Pferd-Batterie", h, p); !ok || rehash {
		t.Fatalf("verify: ok=%v rehash=%v", ok, rehash)
	}
	if ok, _ := VerifyPassword("Korrekt-Pferd-Batteri", h, p); ok {
		t.Fatal("wrong password accepted")
	}
	// other parameters: still verifies, asks for a new hash
	if ok, rehash := VerifyPassword("Korrekt-Pferd-Batterie", h, Params{Memory: 128, Time: 2, Threads: 1}); !ok || !rehash {
		t.Fatalf("changed params: ok=%v rehash=%v", ok, rehash)
	}
	// a wrong password never asks for a rehash
	if _, rehash := VerifyPassword("falsch-falsch-falsch", h, Params{Memory: 128, Time: 2, Threads: 1}); rehash {
		t.Fatal("rehash after a wrong password")
	}
	// the same password in decomposed Unicode (ü as u + combining diaeresis)
	hu, _ := HashPassword("Grüße aus Erfurt!", p)
	if ok, _ := VerifyPassword("Gru\u0308ße aus Erfurt!", hu, p); !ok {
		t.Fatal("NFD form of the same password refused")
	}
}

func TestPasswordHashInterop(t *testing.T) {
	// Made by libargon2, the reference C implementation (Debian libargon2-1,
	// argon2id_hash_encoded, t=2, m=256 KiB, p=1), for "Grüße aus Erfurt!"
	// in UTF-8 NFC with salt "somesaltsomesalt".
	const ref = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$AlbO1FQxmEOxAlX18L5wQw3vOkwkKX0m872dwUqqRJI"
	want := Params{Memory: 256, Time: 2, Threads: 1}
	if ok, rehash := VerifyPassword("Grüße aus Erfurt!", ref, want); !ok || rehash {
		t.Fatalf("reference hash: ok=%v rehash=%v", ok, rehash)
	}
	if ok, _ := VerifyPassword("Grüsse aus Erfurt!", ref, want); ok {
		t.Fatal("reference hash matches another password")
	}
}

func TestParsePHCRefusesBadInput(t *testing.T) {
	for _, bad := range []string{
		"",
		"$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=1$!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAA",
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA",
	} {
		if _, _, _, err := parsePHC(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
		if ok, _ := VerifyPassword("x", bad, TestParams); ok {
			t.Errorf("verified against %q", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	for _, c := range []struct {
		pw, login string
		ok        bool
	}{
		{"zwölf Zeiche", "anna", true}, // 12 characters, 13 bytes
		{"elf Zeichen", "anna", false},
		{"äöüäöüäöüäö", "anna", false}, // 11 characters, 22 bytes
		{strings.Repeat("a", 1024), "anna", true},
		{strings.Repeat("a", 1025), "anna", false},
		{"anna.schmidt", "anna.schmidt", false},
		{"ANNA.SCHMIDT", "anna.schmidt", false},
		{"mit\x00Nullbyte!", "anna", false},
		{"\xff\xfe ungültig kodiert", "anna", false},
	} {
		err := CheckPasswordPolicy("neu", c.pw, c.login)
		if (err == nil) != c.ok {
			t.Errorf("%q (login %q): %v", c.pw, c.login, err)
		}
		if err != nil {
			if e, _ := apperr.As(err); e == nil || e.Kind != apperr.KindInvalid || e.Fields[0].Field != "neu" {
				t.Errorf("%q: error %v does not name the field", c.pw, err)
			}
			if strings.Contains(err.Error(), c.pw) {
				t.Errorf("error repeats the password: %v", err)
			}
		}
	}
	g := GeneratePassword()
	if len(g) != 24 || CheckPasswordPolicy("p", g, "anna") != nil || g == GeneratePassword() {
		t.Fatalf("generated %q", g)
	}
}

func TestTOTPSteps(t *testing.T) {
	e, err := newEnrolment("Aktenwerk", "anna@TFM")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(e.URL)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") != e.Secret || u.Query().Get("issuer") != "Aktenwerk" {
		t.Fatalf("url %q", e.URL)
	}
	img, err := png.Decode(bytes.NewReader(e.QRPNG))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("QR code: %v", err)
	}
	if !strings.HasPrefix(e.QRDataURI(), "data:image/png;base64,iVBOR") {
		t.Fatalf("data URI %q", e.QRDataURI()[:40])
	}
	now := time.Date(2026, 3, 15, 9, 30, 10, 0, time.UTC)
	cur := totpStep(now)
	for _, c := range []struct {
		at   time.Time
		step int64
		ok   bool
	}{
		{now, cur, true},
		{now.Add(-30 * time.Second), cur - 1, true}, // phone a step behind
		{now.Add(30 * time.Second), cur + 1, true},  // phone a step ahead
		{now.Add(-60 * time.Second), 0, false},
		{now.Add(90 * time.Second), 0, false},
	} {
		code, err := totp.GenerateCode(e.Secret, c.at)
		if err != nil {
			t.Fatal(err)
		}
		step, ok := matchTOTP(e.Secret, code, now)
		if ok != c.ok || ok && step != c.step {
			t.Errorf("code of %v: step %d ok %v, want %d %v", c.at, step, ok, c.step, c.ok)
		}
		if ok {
			if _, ok := matchTOTP(e.Secret, code[:3]+" "+code[3:], now); !ok {
				t.Error("code with a space refused")
			}
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "12a456", "١٢٣٤٥٦"} {
		if _, ok := matchTOTP(e.Secret, bad, now); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := newRecoveryCodes(RecoveryCodes)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || !looksLikeRecoveryCode(c) || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	c := codes[0]
	h := hashRecoveryCode("user-1", c)
	if hashRecoveryCode("user-1", strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != h {
		t.Fatal("normalisation")
	}
	if hashRecoveryCode("user-2", c) == h {
		t.Fatal("the hash does not depend on the user")
	}
	if looksLikeRecoveryCode("123456") {
		t.Fatal("a TOTP code looks like a recovery code")
	}
}

func TestThrottledMessage(t *testing.T) {
	now := time.Date(2026, 3, 15, 11, 50, 10, 0, time.UTC) // 12:50:10 in Berlin (CET)
	e := &ThrottledError{Scope: ScopeAccount, Now: now, Until: now.Add(14*time.Minute + 20*time.Second)}
	if got := e.Error(); got != "Zu viele Fehlversuche. Anmeldung für dieses Konto bis 13:05 Uhr gesperrt." {
		t.Fatalf("message %q", got)
	}
	if e.RetryAfter() != 860 {
		t.Fatalf("retry after %d", e.RetryAfter())
	}
	e = &ThrottledError{Scope: ScopeAddress, Now: now, Until: now.Add(15 * time.Minute)}
	if got := e.Error(); got != "Zu viele Fehlversuche von dieser Adresse. Anmeldung bis 13:06 Uhr gesperrt." {
		t.Fatalf("message %q", got)
	}
	// summer time, and a lock that ends after midnight
	late := time.Date(2026, 7, 1, 21, 55, 0, 0, time.UTC) // 23:55 CEST
	e = &ThrottledError{Scope: ScopeAccount, Now: late, Until: late.Add(15 * time.Minute)}
	if got := e.UntilText(); got != "02.07.2026, 00:10 Uhr" {
		t.Fatalf("until %q", got)
	}
}

func TestSessionID(t *testing.T) {
	secret, id := newSecret()
	got, ok := SessionID(secret)
	if !ok || got != id || len(id) != 64 || strings.Contains(id, secret) {
		t.Fatalf("secret %q id %q got %q", secret, id, got)
	}
	for _, bad := range []string{"", "x", secret[:42], secret + "A", strings.Repeat("!", 43), secret[:42] + "="} {
		if _, ok := SessionID(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "adresse:192.0.2.1",
		"::ffff:192.0.2.1":     "adresse:192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "adresse:2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "adresse:2001:db8:1:2::/64",
		"kein-ip":              "adresse:kein-ip",
		"fe80::1%eth0":         "adresse:fe80::/64",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// A session secret has exactly one spelling: a cookie whose last character
// differs only in the unused low bits must not open the same session.
func TestSessionIDCanonical(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	id, ok := SessionID(secret)
	if !ok || id == "" {
		t.Fatal("a well-formed secret is refused")
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, secret[len(secret)-1])
	alias := secret[:len(secret)-1] + string(alphabet[last|1]) // differs in an unused bit only
	if alias == secret {
		alias = secret[:len(secret)-1] + string(alphabet[last&^1])
	}
	if b, err := base64.RawURLEncoding.DecodeString(alias); err != nil || !bytes.Equal(b, raw) {
		t.Fatalf("test premise: %q should decode leniently to the same bytes", alias)
	}
	if _, ok := SessionID(alias); ok {
		t.Fatalf("non-canonical spelling %q of the secret is accepted", alias)
	}
}
