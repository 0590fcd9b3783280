package store

import (
	"errors"

	"github.com/glebarez/go-sqlite"
)

// SQLite's result codes (the low byte) and extended result codes for
// constraint failures (https://www.sqlite.org/rescode.html).
const (
	sqliteBusy                 = 5    // SQLITE_BUSY
	sqliteLocked               = 6    // SQLITE_LOCKED
	sqliteIOErr                = 10   // SQLITE_IOERR
	sqliteFullCode             = 13   // SQLITE_FULL
	sqliteConstraintForeignKey = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	sqliteConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	// SQLITE_CONSTRAINT_TRIGGER: what a foreign key's ON DELETE RESTRICT
	// reports, as our schema has no triggers of its own.
	sqliteConstraintTrigger = 1811
	sqliteConstraintUnique  = 2067 // SQLITE_CONSTRAINT_UNIQUE
)

// sqliteRetryable reports a transaction that found the database busy
// past the busy timeout (SQLITE_BUSY and its extended codes) and may run
// again.
func sqliteRetryable(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code&0xff == sqliteBusy
}

// sqliteCode is the extended result code of a SQLite error in err's
// chain.
func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return 0, false
	}
	return se.Code(), true
}

// sqliteConstraint recognises SQLite's constraint violations by their
// extended result code.
func sqliteConstraint(err error) constraint {
	code, _ := sqliteCode(err)
	switch code {
	case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
		return uniqueViolation
	case sqliteConstraintForeignKey, sqliteConstraintTrigger:
		return foreignKeyViolation
	}
	return noConstraint
}

// sqliteFull reports a write that found the disk, or the database's
// page limit, full (SQLITE_FULL).
func sqliteFull(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code&0xff == sqliteFullCode
}

// sqliteUnavailable reports a database busy past the busy timeout,
// locked, or failing to read or write its file.
func sqliteUnavailable(err error) bool {
	code, ok := sqliteCode(err)
	if !ok {
		return false
	}
	switch code & 0xff {
	case sqliteBusy, sqliteLocked, sqliteIOErr:
		return true
	}
	return false
}
