package web_test

import (
	"context"
	"errors"
	"strings"
	"time"

	"aktenwerk/internal/jobs"
)

// The job administration routes against the document: a tenant's dead
// letter is listed for its administrators only, retried and discarded.
func init() {
	contractSections = append(contractSections, func(c *contract) {
		t := c.t
		ctx := context.Background()
		anna, bernd, carla := c.e.anna, c.e.bernd, c.e.carla
		r := c.e.jobs.NewRunner(jobs.RunnerOptions{PollInterval: 10 * time.Millisecond})
		if err := r.Handle("vertrag.test", func(context.Context, *jobs.Job) error {
			return jobs.Permanent(errors.New("Werkzeug fehlt"))
		}, jobs.KindOptions{}); err != nil {
			t.Fatal(err)
		}
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { r.Run(rctx); close(done) }()
		defer func() { stop(); <-done }()
		tenantOf := func(tok string) string {
			p, err := c.e.svc.Authenticate(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			return p.TenantID
		}
		tfm := tenantOf(anna)
		id, err := c.e.jobs.Enqueue(ctx, "vertrag.test", map[string]string{"dokument": "d1"}, jobs.Tenant(tfm))
		if err != nil {
			t.Fatal(err)
		}
		other, err := c.e.jobs.Enqueue(ctx, "vertrag.test", nil, jobs.Tenant(tenantOf(carla)))
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			j1, err1 := c.e.jobs.Get(ctx, id)
			j2, err2 := c.e.jobs.Get(ctx, other)
			if err1 == nil && err2 == nil && j1.State == jobs.Dead && j2.State == jobs.Dead {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the contract jobs never failed")
			}
		}
		const base = "/api/v1/auftraege"
		l := c.json(reqValid, 200, "GET", base+"?art=vertrag.test&limit=10", anna, "")
		dead := l["gescheitert"].([]any)
		if len(dead) != 1 || str(dead[0].(map[string]any), "id") != id || !strings.Contains(str(dead[0].(map[string]any), "letzter_fehler"), "Werkzeug fehlt") {
			t.Fatalf("dead letters of TFM: %v", l)
		}
		c.ids["auftraege"] = id
		c.json(reqValid, 403, "GET", base, bernd, "")
		c.json(reqValid, 403, "GET", base, carla, "") // carla is Registratur, not admin
		c.json(reqInvalid, 400, "GET", base+"?limit=0", anna, "")
		c.do(exchange{status: 404, method: "POST", path: base + "/" + other + "/wiederholung", token: anna}) // another tenant's job
		c.do(exchange{status: 204, method: "POST", path: base + "/" + id + "/wiederholung", token: anna})
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if j, err := c.e.jobs.Get(ctx, id); err == nil && j.State == jobs.Dead {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the retried job never ran")
			}
		}
		c.do(exchange{status: 204, method: "DELETE", path: base + "/" + id, token: anna})
		c.do(exchange{status: 404, method: "DELETE", path: base + "/" + id, token: anna})
		queued, _ := c.e.jobs.Enqueue(ctx, "ohne.handler", nil, jobs.Tenant(tfm))
		c.do(exchange{status: 409, method: "DELETE", path: base + "/" + queued, token: anna})
		c.do(exchange{status: 409, method: "POST", path: base + "/" + queued + "/wiederholung", token: anna})
		c.ids["auftraege"] = queued
	})
}
