package records

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"aktenwerk/internal/audit"
)

// Audit entries are written unchained in the transaction of their change and
// linked into the tenant's hash chain right after commit. Chaining inside
// every write transaction would hold the chain head's lock through each
// commit's flush and serialise all writers of a tenant (measured: uploads
// with four clients on PostgreSQL dropped to 27–42 % of the raw baseline).
// The chainer is the only code that locks the head; it links the pending
// entries of a tenant in id order in one transaction.

// chainBatch bounds one chaining transaction.
const chainBatch = 1000

// chainer remembers tenants with fresh entries and wakes the loop.
type chainer struct {
	mu    sync.Mutex
	dirty map[string]bool
	wake  chan struct{}
	once  sync.Once
}

func (c *chainer) init() {
	c.once.Do(func() {
		c.dirty = map[string]bool{}
		c.wake = make(chan struct{}, 1)
	})
}

func (c *chainer) mark(tenantID string) {
	c.init()
	c.mu.Lock()
	c.dirty[tenantID] = true
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *chainer) take() []string {
	c.init()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.dirty))
	for t := range c.dirty {
		out = append(out, t)
	}
	clear(c.dirty)
	return out
}

// ChainAudit links all pending entries of one tenant and returns how many.
func (s *Service) ChainAudit(ctx context.Context, tenantID string) (int, error) {
	total := 0
	for {
		n := 0
		err := s.store.Write(ctx, func(tx Tx) error {
			head, err := tx.LockAuditHead(ctx, tenantID)
			if err != nil {
				return err
			}
			// Read after taking the lock: another chainer's work is visible.
			pending, err := tx.PendingAudit(ctx, tenantID, chainBatch)
			if err != nil || len(pending) == 0 {
				return err
			}
			for _, e := range pending {
				e.Seq, e.PrevHash = head.Seq+1, head.Hash
				e.Hash = audit.Compute(e)
				if err := tx.ChainAuditEntry(ctx, e); err != nil {
					return err
				}
				head.Seq, head.Hash = e.Seq, e.Hash
			}
			n = len(pending)
			return tx.SetAuditHead(ctx, head)
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < chainBatch {
			return total, nil
		}
	}
}

// ChainAllPending links the pending entries of every tenant. CLI commands
// call it before they exit; the server's chainer calls it periodically.
func (s *Service) ChainAllPending(ctx context.Context) (int, error) {
	var ps []PendingAudit
	if err := s.store.Read(ctx, func(tx Tx) (err error) { ps, err = tx.PendingAuditTenants(ctx); return }); err != nil {
		return 0, err
	}
	total := 0
	for _, p := range ps {
		n, err := s.ChainAudit(ctx, p.TenantID)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// RunAuditChainer chains fresh entries shortly after their commit (batching
// whatever arrives within delay) and sweeps all tenants every sweep interval
// for entries of other nodes or of a node that stopped before chaining.
// It returns when ctx ends, after a last chaining pass.
func (s *Service) RunAuditChainer(ctx context.Context, log *slog.Logger, delay, sweep time.Duration) {
	s.chainer.init()
	t := time.NewTicker(sweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// Entries committed just before shutdown are chained now.
			fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if _, err := s.ChainAllPending(fctx); err != nil {
				log.Warn("audit chainer: final pass", "err", err)
			}
			cancel()
			return
		case <-s.chainer.wake:
			time.Sleep(delay) // let concurrent commits land: one chaining transaction for all
			for _, tenant := range s.chainer.take() {
				if _, err := s.ChainAudit(ctx, tenant); err != nil && ctx.Err() == nil {
					log.Warn("audit chainer", "tenant", tenant, "err", err)
				}
			}
		case <-t.C:
			if _, err := s.ChainAllPending(ctx); err != nil && ctx.Err() == nil {
				log.Warn("audit chainer: sweep", "err", err)
			}
		}
	}
}
