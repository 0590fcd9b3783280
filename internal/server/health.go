package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleHealthz serves GET /healthz: the process is up.
//
//	@Summary	Liveness
//	@Tags		operations
//	@Produce	json
//	@Success	200	{object}	api.Health
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/healthz [get]
func (s *Server) handleHealthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, api.Health{Status: "ok"})
}

// handleReadyz serves GET /readyz: the database answers.
//
//	@Summary	Readiness
//	@Tags		operations
//	@Produce	json
//	@Success	200	{object}	api.Health
//	@Failure	503	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/readyz [get]
func (s *Server) handleReadyz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Warn("database not ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, api.Error{Error: api.ErrorBody{
			Code: content.EINTERNAL, Message: "The database does not answer.", RequestID: requestID(c)}})
	}
	return c.JSON(http.StatusOK, api.Health{Status: "ok"})
}
