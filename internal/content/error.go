// Package content holds Masthead's domain: articles, sections, tags,
// authors and users, their invariants and the error codes every layer
// speaks. It imports nothing else of ours.
package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Error codes are API: clients branch on them. Add, never rename.
const (
	EINVALID            = "invalid"
	EUNAUTHORIZED       = "unauthorized"
	EFORBIDDEN          = "forbidden"
	ENOTFOUND           = "not_found"
	ECONFLICT           = "conflict"
	EPRECONDITIONFAILED = "precondition_failed"
	ETOOLARGE           = "too_large"
	EUNSUPPORTEDMEDIA   = "unsupported_media_type"
	EMETHODNOTALLOWED   = "method_not_allowed"
	ERATELIMITED        = "rate_limited"
	EHEADERSTOOLARGE    = "headers_too_large"
	EUNAVAILABLE        = "unavailable"
	ECURSOREXPIRED      = "cursor_expired"
	ESTORAGEFULL        = "storage_full"
	EINTERNAL           = "internal"
	// EMOVED answers an article's old slug, with its Location.
	EMOVED = "moved_permanently"
)

// Codes are all the codes, for the published document's enum.
var Codes = []string{
	EINVALID, EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT, EPRECONDITIONFAILED, ETOOLARGE,
	EUNSUPPORTEDMEDIA, EMETHODNOTALLOWED, ERATELIMITED, EHEADERSTOOLARGE, EUNAVAILABLE,
	ECURSOREXPIRED, ESTORAGEFULL, EINTERNAL, EMOVED,
}

// Error is an error a client may see: a code, a human message and, for
// invalid input, one problem per field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter, for ERATELIMITED, says when to try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain,
// EINTERNAL for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the client-safe message of err: the message of an
// *Error, a generic one for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// Problems collects field problems so a request reports all of them at
// once. The zero value is ready to use.
type Problems map[string]string

// Add records msg for field unless the field already has a problem.
func (p *Problems) Add(field, msg string) {
	if *p == nil {
		*p = Problems{}
	}
	if _, ok := (*p)[field]; !ok {
		(*p)[field] = msg
	}
}

// Err returns nil when there are no problems, else an EINVALID *Error
// saying that what is invalid.
func (p Problems) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: what + " is invalid.", Fields: p}
}
