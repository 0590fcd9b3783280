package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// postgresConstraint recognises PostgreSQL's constraint violations by
// SQLSTATE: 23505 unique_violation, 23503 foreign_key_violation.
func postgresConstraint(err error) constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return noConstraint
	}
	switch pe.Code {
	case "23505":
		return uniqueViolation
	case "23503":
		return foreignKeyViolation
	}
	return noConstraint
}

// postgresRetryable reports a transaction that lost to another and may
// run again: 40P01 deadlock_detected, 40001 serialization_failure.
func postgresRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// postgresUnavailable reports a server that cannot take the statement
// now: class 08 (connection exceptions), 57P01–57P03 (shutting down,
// crashed, starting up), 53300 (too many connections), or a connection
// that failed or closed under the driver.
func postgresUnavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || pe.Code == "53300"
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "failed to connect")
}
