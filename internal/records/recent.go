package records

import (
	"context"
	"errors"

	"aktenwerk/internal/access"
)

// Recently opened Akten: the start page lists the Akten a user opened
// last. The list is kept per user in the database (not in the browser), at
// most MaxRecentAkten entries, and belongs to the person at the keyboard
// (Principal.ActorID, as saved searches). It is a preference, not a
// record: not audited. Reading it checks every Akte's visibility again, so
// an Akte the user may no longer see (a grant expired, moved to another
// unit) is left out silently.

// MaxRecentAkten bounds the list of one user.
const MaxRecentAkten = 20

// NoteAkteOpened records that p opened Akte akteID (which p must be able
// to see). Principals without a user (system) keep no list.
func (s *Service) NoteAkteOpened(ctx context.Context, p Principal, akteID string) error {
	if err := need(p, access.ReadMetadata); err != nil {
		return err
	}
	owner := p.ActorID()
	if owner == "" || p.System {
		return nil
	}
	at := s.timestamp()
	return s.store.Write(ctx, func(tx Tx) error {
		if _, _, err := s.akteFor(ctx, tx, p, akteID, access.ReadMetadata); err != nil {
			return err
		}
		return tx.NoteRecentAkte(ctx, p.TenantID, owner, akteID, at, MaxRecentAkten)
	})
}

// RecentAkten lists up to limit (at most MaxRecentAkten) of the Akten p
// opened last, newest first, only those p may still see.
func (s *Service) RecentAkten(ctx context.Context, p Principal, limit int) ([]Akte, error) {
	if err := need(p, access.ReadMetadata); err != nil {
		return nil, err
	}
	owner := p.ActorID()
	if owner == "" || p.System {
		return nil, nil
	}
	if limit <= 0 || limit > MaxRecentAkten {
		limit = MaxRecentAkten
	}
	var out []Akte
	err := s.store.Read(ctx, func(tx Tx) error {
		out = out[:0]
		ids, err := tx.RecentAkten(ctx, p.TenantID, owner, MaxRecentAkten)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if len(out) == limit {
				break
			}
			a, err := tx.FindAkte(ctx, id)
			if errors.Is(err, ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			// not akteFor: an Akte that is no longer visible is not a
			// denied access attempt, just not shown
			lvl, err := s.level(ctx, tx, p, a)
			if err != nil {
				return err
			}
			if lvl != access.LevelNone {
				out = append(out, a)
			}
		}
		return nil
	})
	return out, err
}
