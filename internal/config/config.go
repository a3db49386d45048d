// Package config reads the storage and server options shared by every
// subcommand: flags override environment (AKTENWERK_*), which overrides
// defaults.
package config

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"aktenwerk/internal/blob"
	"aktenwerk/internal/records"
	"aktenwerk/internal/store/postgres"
	"aktenwerk/internal/store/sqldb"
	"aktenwerk/internal/store/sqlite"
)

// Storage are the options that select where data lives.
type Storage struct {
	DataDir     string
	DatabaseURL string
	MaxUploadMB int64
}

// Register adds the storage flags to fs, with defaults from the environment.
func (s *Storage) Register(fs *flag.FlagSet) {
	fs.StringVar(&s.DataDir, "data", envOr("AKTENWERK_DATA", "./aktenwerk-data"),
		"Datenverzeichnis: SQLite-Datenbank und Inhalte (env AKTENWERK_DATA)")
	fs.StringVar(&s.DatabaseURL, "database-url", os.Getenv("AKTENWERK_DATABASE_URL"),
		"postgres://… für PostgreSQL statt SQLite im Datenverzeichnis (env AKTENWERK_DATABASE_URL)")
	def := records.DefaultMaxUpload >> 20
	if v, err := strconv.ParseInt(os.Getenv("AKTENWERK_MAX_UPLOAD_MB"), 10, 64); err == nil && v > 0 {
		def = v
	}
	fs.Int64Var(&s.MaxUploadMB, "max-upload-mb", def, "größte angenommene Datei in MiB (env AKTENWERK_MAX_UPLOAD_MB)")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Backend names the selected database backend.
func (s *Storage) Backend() string {
	if s.DatabaseURL != "" {
		return "postgres"
	}
	return "sqlite"
}

// Open creates the data directory if needed, opens (and migrates) the
// database and the blob store, and returns the records service.
func (s *Storage) Open(ctx context.Context) (*records.Service, func() error, error) {
	if err := os.MkdirAll(s.DataDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("data directory %s: %w", s.DataDir, err)
	}
	var db *sqldb.DB
	var err error
	switch {
	case s.DatabaseURL == "":
		db, err = sqlite.Open(ctx, filepath.Join(s.DataDir, "aktenwerk.db"))
	case strings.HasPrefix(s.DatabaseURL, "postgres://") || strings.HasPrefix(s.DatabaseURL, "postgresql://"):
		db, err = postgres.Open(ctx, s.DatabaseURL)
	default:
		return nil, nil, fmt.Errorf("database URL must start with postgres:// (or leave it empty for SQLite)")
	}
	if err != nil {
		return nil, nil, err
	}
	bs, err := blob.NewLocal(filepath.Join(s.DataDir, "blobs"))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if s.MaxUploadMB <= 0 {
		s.MaxUploadMB = records.DefaultMaxUpload >> 20
	}
	svc := records.NewService(db, bs, records.Options{MaxUpload: s.MaxUploadMB << 20})
	closeFn := func() error {
		// Link what this process wrote into the audit chains before it
		// goes (a server's chainer would otherwise do it later).
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, cerr := svc.ChainAllPending(cctx)
		return errors.Join(cerr, db.Close())
	}
	return svc, closeFn, nil
}
