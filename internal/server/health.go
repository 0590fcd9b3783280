package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleHealthz serves GET /healthz: the process is up.
//
//	@Summary	Liveness
//	@Description	200 while the process runs, whatever the database: for liveness checks. Use /readyz to decide whether to send traffic.
//	@Tags		operations
//	@Produce	json
//	@Success	200	{object}	api.Health
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Failure		400	{object}	api.Error	"Bad parameter (every route refuses control characters and unknown parameters)"
//	@Router		/healthz [get]
func (s *Server) handleHealthz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, api.Health{Status: "ok"})
}

// handleReadyz serves GET /readyz: the server takes traffic.
//
//	@Summary		Readiness
//	@Description	200 when the database answers, migrations are applied and the server is not stopping; 503 with the reason otherwise (starting, database unreachable, disk full, shutting down).
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	api.Health
//	@Failure		503	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Failure		400	{object}	api.Error	"Bad parameter (every route refuses control characters and unknown parameters)"
//	@Router			/readyz [get]
func (s *Server) handleReadyz(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	_, reason := s.ready.state(s.clock.Now())
	if reason == "" {
		if err := s.store.Ping(c.Request().Context()); err != nil {
			s.log.Warn("database not ready", "err", err)
			reason = "the database does not answer"
		}
	}
	if reason != "" {
		return &content.Error{Code: content.EUNAVAILABLE, Message: "Not ready: " + reason + ".", RetryAfter: time.Second}
	}
	return c.JSON(http.StatusOK, api.Health{Status: "ok"})
}

// started refuses API requests until the database is reached and
// migrated; health, docs and the OpenAPI document answer all along.
func (s *Server) started(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if starting, _ := s.ready.state(s.clock.Now()); starting != "" {
			switch p := c.Path(); {
			case p == "/healthz", p == "/readyz", p == "/openapi.json", p == "/openapi.yaml", p == "/docs", p == "/docs/*":
			default:
				return &content.Error{Code: content.EUNAVAILABLE, Message: "The service is starting: " + starting + ".", RetryAfter: 2 * time.Second}
			}
		}
		return next(c)
	}
}

// handleIndex serves GET /api/v1: links to the main collections and the
// docs, for a newcomer's first request.
//
//	@Summary		API index
//	@Description	Where things are: the main collections, the docs page and the OpenAPI document.
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	api.Index
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Failure		400	{object}	api.Error	"Bad parameter (every route refuses control characters and unknown parameters)"
//	@Router			/api/v1 [get]
func (s *Server) handleIndex(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	links := map[string]string{}
	for _, name := range []string{"articles", "articles/popular", "search", "home", "categories", "tags", "authors"} {
		links[name] = "/api/v1/" + name
	}
	links["feed"], links["sitemap"] = "/feeds/latest.rss", "/sitemap.xml"
	return c.JSON(http.StatusOK, api.Index{Data: api.IndexData{Name: s.siteAt(c.Request().Context()).Name, Version: "1", Docs: "/docs", OpenAPI: "/openapi.json", Links: links}})
}

// handleRoot sends a visitor of / to the docs page: the API has no page
// of its own, the site does.
func (s *Server) handleRoot(c echo.Context) error {
	return c.Redirect(http.StatusFound, "/docs")
}
