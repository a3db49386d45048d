package postgres

import (
	"context"
	"database/sql"
)

// MigrateTo migrates db up to version only (tests of a migration over
// rows written before it).
func MigrateTo(ctx context.Context, db *sql.DB, version int64) error {
	p, err := migrator(db)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
