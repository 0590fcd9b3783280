package store

import (
	"errors"

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
