package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/content"
)

// handleHome serves GET /api/v1/home.
//
//	@Summary		Front page
//	@Description	The front page in one response: articles breaking now, featured articles, the latest of each top-level section (sub-sections included) in the sections' order, and the popular block. Sizes are set with query parameters; 0 leaves a block empty.
//	@Tags			discovery
//	@Produce		json
//	@Param			breaking		query		integer	false	"Breaking articles, 0 to 20"	default(5)	minimum(0)	maximum(20)
//	@Param			featured		query		integer	false	"Featured articles, 0 to 20"	default(5)	minimum(0)	maximum(20)
//	@Param			per_section		query		integer	false	"Articles per section, 1 to 20"	default(4)	minimum(1)	maximum(20)
//	@Param			popular			query		integer	false	"Popular articles, 0 to 20"	default(10)	minimum(0)	maximum(20)
//	@Param			popular_window	query		string	false	"Popular window"	Enums(1h, 24h, 7d, 30d, all, trending)	default(24h)
//	@Param			lang			query		string	false	"Only articles in this language; menus and site texts in it"	maxlength(35)
//	@Param			include			query		string	false	"Blocks to embed: menus, site, ads (comma-separated)"	example(menus,site,ads)
//	@Param			fields			query		string	false	"Sparse answer: comma-separated summary fields of every article (the schema's required list then does not apply)"	example(id,slug,title,cover)	maxlength(400)
//	@Success		200				{object}	api.HomeResponse
//	@Failure		400				{object}	api.Error
//	@Failure		default			{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/home [get]
func (s *Server) handleHome(c echo.Context) error {
	hq, err := homeQueryOf(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	yes := true
	home := api.Home{Breaking: []api.ArticleSummary{}, Featured: []api.ArticleSummary{}, Sections: []api.HomeSection{}, Popular: []api.ArticleSummary{}}
	for _, block := range []struct {
		n   int
		f   content.ArticleFilter
		out *[]api.ArticleSummary
	}{
		{hq.Breaking, content.ArticleFilter{Breaking: &yes}, &home.Breaking},
		{hq.Featured, content.ArticleFilter{Featured: &yes}, &home.Featured},
	} {
		if block.n == 0 {
			continue
		}
		block.f.Limit, block.f.Sort, block.f.Language = block.n, content.SortNewest, hq.Language
		page, err := s.store.FindArticles(ctx, block.f)
		if err != nil {
			return err
		}
		*block.out = s.toAPISummaries(page.Articles)
	}
	cats, err := s.store.FindCategories(ctx, false)
	if err != nil {
		return err
	}
	covers := map[string][]string{}
	var top []content.Category
	for _, cat := range cats {
		if cat.ParentID == "" {
			top = append(top, cat)
			covers[cat.ID] = append(covers[cat.ID], cat.ID)
		} else {
			covers[cat.ParentID] = append(covers[cat.ParentID], cat.ID)
		}
	}
	latest, err := s.store.FindLatestBySection(ctx, covers, hq.PerSection, hq.Language)
	if err != nil {
		return err
	}
	for _, cat := range top {
		home.Sections = append(home.Sections, api.HomeSection{
			Category: api.CategoryRef{ID: cat.ID, Slug: cat.Slug, Name: cat.Names.In(hq.Language, cat.Name)},
			Articles: s.toAPISummaries(latest[cat.ID]),
		})
	}
	if hq.Popular > 0 {
		list, err := s.store.FindPopular(ctx, content.PopularFilter{Window: hq.Window, Language: hq.Language, Limit: hq.Popular})
		if err != nil {
			return err
		}
		home.Popular = s.toAPISummaries(list)
	}
	around, err := s.chromeOf(ctx, hq.Menus, hq.Site, hq.Ads, hq.Language, content.AdPage{Kind: "home", Language: hq.Language})
	if err != nil {
		return err
	}
	home.Menus, home.Site, home.Ads = around.Menus, around.Site, around.Ads
	if hq.Fields != nil {
		sections := make([]map[string]any, len(home.Sections))
		for i, sec := range home.Sections {
			sections[i] = map[string]any{"category": sec.Category, "articles": sparseList(sec.Articles, hq.Fields)}
		}
		data := map[string]any{
			"breaking": sparseList(home.Breaking, hq.Fields),
			"featured": sparseList(home.Featured, hq.Fields),
			"sections": sections,
			"popular":  sparseList(home.Popular, hq.Fields),
		}
		if home.Menus != nil {
			data["menus"] = home.Menus
		}
		if home.Site != nil {
			data["site"] = home.Site
		}
		if home.Ads != nil {
			data["ads"] = home.Ads
		}
		return c.JSON(http.StatusOK, map[string]any{"data": data})
	}
	return c.JSON(http.StatusOK, api.HomeResponse{Data: home})
}

// homeQuery is the query of GET /api/v1/home: how many articles each
// block shows, in which language.
type homeQuery struct {
	Breaking, Featured, PerSection, Popular int
	Language                                string
	Window                                  content.Window
	Fields                                  []string // nil: all
	Menus, Site, Ads                        bool     // include=menus,site,ads
}

func homeQueryOf(c echo.Context) (homeQuery, error) {
	q := newQueryParser(c)
	hq := homeQuery{
		Breaking:   q.intIn("breaking", 5, 0, 20),
		Featured:   q.intIn("featured", 5, 0, 20),
		PerSection: q.intIn("per_section", 4, 1, 20),
		Popular:    q.intIn("popular", 10, 0, 20),
		Language:   q.language("lang"),
		Window:     choice(q, "popular_window", content.Windows, content.Window24h),
		Fields:     q.fields(summaryFields),
	}
	if v := q.get("include"); v != "" {
		for _, part := range strings.Split(v, ",") {
			switch part {
			case "menus":
				hq.Menus = true
			case "site":
				hq.Site = true
			case "ads":
				hq.Ads = true
			default:
				q.p.Add("include", "must be a comma-separated list of menus, site, ads")
			}
		}
	}
	return hq, q.err()
}
