package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
)

// statusClientClosed is what the log records for a request whose client
// went away before the answer (nginx's 499); nothing is sent.
const statusClientClosed = 499

// statusOf maps error codes to HTTP statuses.
var statusOf = map[string]int{
	content.EINVALID:            http.StatusBadRequest,
	content.EUNAUTHORIZED:       http.StatusUnauthorized,
	content.EFORBIDDEN:          http.StatusForbidden,
	content.ENOTFOUND:           http.StatusNotFound,
	content.ECONFLICT:           http.StatusConflict,
	content.EPRECONDITIONFAILED: http.StatusPreconditionFailed,
	content.ETOOLARGE:           http.StatusRequestEntityTooLarge,
	content.EUNSUPPORTEDMEDIA:   http.StatusUnsupportedMediaType,
	content.EMETHODNOTALLOWED:   http.StatusMethodNotAllowed,
	content.ERATELIMITED:        http.StatusTooManyRequests,
	content.EHEADERSTOOLARGE:    http.StatusRequestHeaderFieldsTooLarge,
	content.EUNAVAILABLE:        http.StatusServiceUnavailable,
	content.ECURSOREXPIRED:      http.StatusGone,
	content.ESTORAGEFULL:        http.StatusInsufficientStorage,
	content.EINTERNAL:           http.StatusInternalServerError,
}

// codeOf maps the statuses echo raises itself (unknown route, wrong
// method, …) back to error codes.
var codeOf = map[int]string{
	http.StatusBadRequest:            content.EINVALID,
	http.StatusUnauthorized:          content.EUNAUTHORIZED,
	http.StatusForbidden:             content.EFORBIDDEN,
	http.StatusNotFound:              content.ENOTFOUND,
	http.StatusMethodNotAllowed:      content.EMETHODNOTALLOWED,
	http.StatusRequestEntityTooLarge: content.ETOOLARGE,
	http.StatusUnsupportedMediaType:  content.EUNSUPPORTEDMEDIA,
	http.StatusTooManyRequests:       content.ERATELIMITED,
	http.StatusServiceUnavailable:    content.EUNAVAILABLE,
}

// handleError is echo's HTTPErrorHandler: every error, ours or echo's,
// leaves in the one JSON shape. Errors without a code are logged and
// answered with a generic message.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var moved *content.Moved
	if errors.As(err, &moved) {
		// The new slug percent-encoded, as a header must be ASCII, and the
		// query kept, so include= and the rest survive the redirect.
		loc := "/api/v1/articles/slug/" + url.PathEscape(moved.Slug)
		if q := c.Request().URL.RawQuery; q != "" {
			loc += "?" + q
		}
		c.Response().Header().Set(echo.HeaderLocation, loc)
		s.writeError(c, http.StatusMovedPermanently, &content.Error{Code: content.EMOVED, Message: "The article moved to " + moved.Slug + "."})
		return
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code, ok := codeOf[he.Code]
		if !ok {
			code = content.EINTERNAL
		}
		msg := http.StatusText(he.Code) + "."
		switch he.Code {
		case http.StatusNotFound:
			msg = "No such route: " + c.Request().Method + " " + c.Request().URL.Path + "."
		case http.StatusMethodNotAllowed:
			msg = "This route does not accept " + c.Request().Method + "."
		}
		if he.Code >= 500 {
			s.log.ErrorContext(c.Request().Context(), "echo error", "err", err, "request_id", requestID(c))
			msg = "An internal error occurred."
		}
		s.writeError(c, he.Code, &content.Error{Code: code, Message: msg})
		return
	}
	ctx := c.Request().Context()
	if ctx.Err() == context.Canceled {
		// The client disconnected: no one reads an answer, and nothing
		// went wrong here. The request is logged with nginx's 499.
		c.Response().Status = statusClientClosed
		return
	}
	var ce *content.Error
	switch {
	case errors.As(err, &ce):
	case ctx.Err() == context.DeadlineExceeded:
		// Whatever the driver made of it (SQLite says "interrupted").
		ce = store.Fault(context.DeadlineExceeded)
		s.log.WarnContext(ctx, "request deadline passed", "err", err, "request_id", requestID(c), "path", c.Request().URL.Path)
	case faultOf(err, &ce):
		if ce.Code == content.ESTORAGEFULL {
			s.ready.diskFull(s.clock.Now())
		}
		s.log.WarnContext(ctx, "request failed", "err", err, "request_id", requestID(c),
			"method", c.Request().Method, "path", c.Request().URL.Path)
	default:
		s.log.ErrorContext(ctx, "request failed", "err", err, "request_id", requestID(c),
			"method", c.Request().Method, "path", c.Request().URL.Path)
		ce = &content.Error{Code: content.EINTERNAL, Message: "An internal error occurred."}
	}
	status, ok := statusOf[ce.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="masthead"`)
	}
	if ce.RetryAfter > 0 {
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(int(ce.RetryAfter.Seconds())+1))
	}
	s.writeError(c, status, ce)
}

func (s *Server) writeError(c echo.Context, status int, e *content.Error) {
	body := api.Error{Error: api.ErrorBody{Code: e.Code, Message: e.Message, Fields: e.Fields, RequestID: requestID(c)}}
	var err error
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, body)
	}
	if err != nil {
		s.log.Warn("write error response", "err", err, slog.String("request_id", requestID(c)))
	}
}

// faultOf reports whether err is a fault of the database (store.Fault),
// setting *ce to the answer it gets.
func faultOf(err error, ce **content.Error) bool {
	*ce = store.Fault(err)
	return *ce != nil
}
