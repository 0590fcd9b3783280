package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
	swaggerfiles "github.com/swaggo/files/v2"

	"github.com/masthead/masthead/docs"
)

// docsPage is our page around Swagger UI; the UI's own files come from
// the swaggo/files module, embedded, so /docs works offline.
//
//go:embed docspage
var docsPage embed.FS

// docsCSP lets the docs page run its own scripts and styles and nothing
// from elsewhere.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"

func (s *Server) handleOpenAPIJSON(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, docs.OpenAPIJSON)
}

func (s *Server) handleOpenAPIYAML(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", docs.OpenAPIYAML)
}

func (s *Server) handleDocs(c echo.Context) error {
	page, err := docsPage.ReadFile("docspage/index.html")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Security-Policy", docsCSP)
	return c.HTMLBlob(http.StatusOK, page)
}

// handleDocsAsset serves /docs/* from our page's folder, then Swagger UI's.
func (s *Server) handleDocsAsset(c echo.Context) error {
	name := path.Clean("/" + c.Param("*"))[1:]
	if name == "" {
		return c.Redirect(http.StatusMovedPermanently, "/docs") // /docs/
	}
	c.Response().Header().Set("Content-Security-Policy", docsCSP)
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
	for _, fsys := range []fs.FS{mustSub(docsPage, "docspage"), swaggerfiles.FS} {
		if _, err := fs.Stat(fsys, name); err == nil && name != "" {
			return echo.StaticFileHandler(name, fsys)(c)
		}
	}
	return echo.ErrNotFound
}

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
