package audit

import (
	"encoding/json"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var out []Entry
	prev := ""
	for i := 1; i <= n; i++ {
		e := Entry{ID: string(rune('a' + i)), TenantID: "t1", Seq: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "anna",
			Action: "akte.create", ObjectType: "akte", ObjectID: "a", Changes: json.RawMessage(`{"titel":"x"}`), PrevHash: prev}
		e.Hash = Compute(e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry, h Head) *Break {
	v := NewVerifier("t1")
	for _, e := range es {
		if b := v.Add(e); b != nil {
			return b
		}
	}
	return v.Finish(h)
}

func TestVerifier(t *testing.T) {
	es := chain(5)
	head := Head{TenantID: "t1", Seq: 5, Hash: es[4].Hash}
	if b := verify(es, head); b != nil {
		t.Fatal(b)
	}
	// every field is covered by the hash
	alter := []func(*Entry){
		func(e *Entry) { e.Actor = "mallory" },
		func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		func(e *Entry) { e.Action = "akte.delete" },
		func(e *Entry) { e.ObjectID = "b" },
		func(e *Entry) { e.Changes = json.RawMessage(`{"titel":"y"}`) },
		func(e *Entry) { e.OnBehalfOf = "bernd" },
		func(e *Entry) { e.ActorID = "u2" },
		func(e *Entry) { e.ID = "zz" },
	}
	for i, fn := range alter {
		c := append([]Entry(nil), es...)
		fn(&c[2])
		if b := verify(c, head); b == nil || b.Seq != 3 {
			t.Fatalf("alteration %d not found at 3: %v", i, b)
		}
	}
	// removed in the middle
	if b := verify(append(append([]Entry(nil), es[:2]...), es[3:]...), head); b == nil || b.Seq != 3 {
		t.Fatalf("removal: %v", b)
	}
	// reordered
	c := append([]Entry(nil), es...)
	c[1], c[2] = c[2], c[1]
	if b := verify(c, head); b == nil || b.Seq != 2 {
		t.Fatalf("reorder: %v", b)
	}
	// tail removed: only the head tells
	if b := verify(es[:4], head); b == nil || b.Seq != 5 {
		t.Fatalf("tail: %v", b)
	}
	// fields cannot bleed into each other
	a := Entry{TenantID: "t", Actor: "ab", Action: "c"}
	b := Entry{TenantID: "t", Actor: "a", Action: "bc"}
	if Compute(a) == Compute(b) {
		t.Fatal("ambiguous serialisation")
	}
}
