package sqlite_test

import (
	"testing"

	"aktenwerk/internal/store/storetest"
)

func TestConformance(t *testing.T) { storetest.Run(t, storetest.OpenSQLite) }
