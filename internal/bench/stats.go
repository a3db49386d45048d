package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// rng is a seeded, reproducible random source.
type rng struct {
	*rand.Rand
	cc *rand.ChaCha8
}

func newRNG(seed uint64) *rng {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	cc := rand.NewChaCha8(s)
	return &rng{Rand: rand.New(cc), cc: cc}
}

// bytes fills b with random bytes.
func (r *rng) bytes(b []byte) { r.cc.Read(b) }

// Latency summarises one series of timed requests.
type Latency struct {
	Name    string
	Caller  string // who sent the requests (Akten series), "" otherwise
	Samples int
	P50     time.Duration
	P95     time.Duration
	P99     time.Duration
	Mean    time.Duration
	Max     time.Duration
}

// summarize computes nearest-rank percentiles of ds.
func summarize(name string, ds []time.Duration) Latency {
	l := Latency{Name: name, Samples: len(ds)}
	if len(ds) == 0 {
		return l
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	pct := func(p float64) time.Duration {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	l.P50, l.P95, l.P99, l.Mean, l.Max = pct(0.50), pct(0.95), pct(0.99), sum/time.Duration(len(s)), s[len(s)-1]
	return l
}

// get performs one GET with the tenant's token and reads the whole body;
// the returned duration covers request and complete response.
func (st *stack) get(ctx context.Context, token, path string) (int, []byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.base+path, nil)
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	start := time.Now()
	resp, err := st.client.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	return resp.StatusCode, body, d, err
}

// post sends a prepared body.
func (st *stack) post(ctx context.Context, token, path, contentType string, body []byte) (int, []byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, st.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", contentType)
	start := time.Now()
	resp, err := st.client.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, out, time.Since(start), err
}

// listPage is the shape of every paginated list of the API.
type listPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func decodePage(body []byte) (listPage, error) {
	var p listPage
	if err := json.Unmarshal(body, &p); err != nil {
		return p, fmt.Errorf("list response: %w", err)
	}
	return p, nil
}

// series measures samples sequential GETs after warmup unmeasured ones.
// path chooses the request; check validates each response (outside the
// timed window).
func (st *stack) series(ctx context.Context, name, token string, warmup, samples int, path func() string, check func(status int, body []byte) error) (Latency, error) {
	ds := make([]time.Duration, 0, samples)
	for i := 0; i < warmup+samples; i++ {
		p := path()
		status, body, d, err := st.get(ctx, token, p)
		if err != nil {
			return Latency{}, fmt.Errorf("%s: GET %s: %w", name, p, err)
		}
		if err := check(status, body); err != nil {
			return Latency{}, fmt.Errorf("%s: GET %s: %w", name, p, err)
		}
		if i >= warmup {
			ds = append(ds, d)
			if st.control != nil {
				// A size-independent request right after each sample: it
				// shows how much of a change is the machine, not the data.
				status, body, d, err := st.get(ctx, token, controlPath)
				if err != nil || status != http.StatusOK {
					return Latency{}, fmt.Errorf("control GET %s: %d %.200s %v", controlPath, status, body, err)
				}
				*st.control = append(*st.control, d)
			}
		}
	}
	return summarize(name, ds), nil
}

// controlPath is the control request: authentication only, no data read.
const controlPath = "/api/v1/ich"

// wantStatus checks a response status.
func wantStatus(want int) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != want {
			return fmt.Errorf("status %d, want %d: %.300s", status, want, body)
		}
		return nil
	}
}

// wantItems checks a 200 list response with exactly n items.
func wantItems(n int) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK {
			return fmt.Errorf("status %d: %.300s", status, body)
		}
		p, err := decodePage(body)
		if err != nil {
			return err
		}
		if len(p.Items) != n {
			return fmt.Errorf("%d items, want %d", len(p.Items), n)
		}
		return nil
	}
}
