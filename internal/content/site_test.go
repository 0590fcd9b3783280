package content

import (
	"strings"
	"testing"
	"time"
)

func TestCheckMenu(t *testing.T) {
	link := func(kind, ref string, children ...MenuItem) MenuItem {
		return MenuItem{Labels: Texts{"en": "x"}, Target: MenuTarget{Kind: kind, Ref: ref}, Children: children}
	}
	for _, c := range []struct {
		name  string
		items []MenuItem
		field string // "" for valid
	}{
		{"two levels", []MenuItem{link("section", " news ", link("tag", "syria")), link("path", "/about"), link("url", "https://x.example")}, ""},
		{"three levels", []MenuItem{link("section", "news", link("section", "news", link("section", "news")))}, "items[0].children[0].children"},
		{"no label", []MenuItem{{Target: MenuTarget{Kind: "path", Ref: "/a"}}}, "items[0].labels"},
		{"unknown kind", []MenuItem{link("video", "about")}, "items[0].kind"},
		{"article not an id", []MenuItem{link("article", "port-blast")}, "items[0].ref"},
		{"protocol-relative", []MenuItem{link("path", "//evil.example")}, "items[0].ref"},
		{"javascript", []MenuItem{link("url", "javascript:alert(1)")}, "items[0].ref"},
	} {
		err := CheckMenu(c.items)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if c.items[0].Target.Ref != "news" {
				t.Errorf("%s: slug not normalised: %q", c.name, c.items[0].Target.Ref)
			}
			continue
		}
		if e, ok := err.(*Error); !ok || e.Fields[c.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", c.name, err, c.field)
		}
	}
}

func TestMenuLinks(t *testing.T) {
	m := &Menu{Items: []MenuItem{
		{Labels: Texts{"ar": "أخبار", "en": "News"}, Target: MenuTarget{Kind: "section", Ref: "news"},
			Children: []MenuItem{{Labels: Texts{"en": "Gone"}, Target: MenuTarget{Kind: "tag", Ref: "gone"}}}},
		{Labels: Texts{"fr": "Seulement"}, Target: MenuTarget{Kind: "path", Ref: "/fr"}},
		{Labels: Texts{"en": "Unpublished"}, Target: MenuTarget{Kind: "article", Ref: "01J"}},
	}}
	url := func(t MenuTarget) string {
		if t.Ref == "gone" || t.Kind == "article" {
			return ""
		}
		return "https://x.example/" + t.Ref
	}
	got := m.Links("ar", "en", url)
	if len(got) != 2 || got[0].Label != "أخبار" || len(got[0].Children) != 0 || got[1].Label != "Seulement" {
		t.Errorf("links %+v", got)
	}
}

func TestShows(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	creative := func(lang string, start, end *time.Time, active bool) Creative {
		return Creative{Kind: "unit", Unit: "/1/a", Language: lang, Start: start, End: end, Active: active, Weight: 1}
	}
	ps := []Placement{
		{Name: "top", Active: true, Pages: []string{"home", "article"}, Creatives: []Creative{creative("", nil, nil, true), creative("", &future, nil, true), creative("", nil, &past, true), creative("", nil, nil, false)}},
		{Name: "in", Active: true, Pages: []string{"article"}, Sections: []string{"news"}, ExcludeFormats: []string{"opinion"}, Creatives: []Creative{creative("ar", nil, nil, true)}},
		{Name: "off", Active: false, Pages: []string{"home"}, Creatives: []Creative{creative("", nil, nil, true)}},
	}
	for _, c := range []struct {
		page AdPage
		want string
	}{
		{AdPage{Kind: "home"}, "top:1"},
		{AdPage{Kind: "article", Section: "news", Format: "news", Language: "ar"}, "top:1,in:1"},
		{AdPage{Kind: "article", Section: "news", Format: "news", Language: "en"}, "top:1"},
		{AdPage{Kind: "article", Section: "news", Format: "opinion", Language: "ar"}, "top:1"},
		{AdPage{Kind: "article", Section: "report", Language: "ar"}, "top:1"},
		{AdPage{Kind: "section", Section: "news"}, ""},
	} {
		var got []string
		for _, p := range Shows(ps, c.page, now) {
			got = append(got, p.Name+":"+string(rune('0'+len(p.Creatives))))
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%+v: %v, want %s", c.page, got, c.want)
		}
	}
	if b := ps[0].Boundaries(); len(b) != 2 {
		t.Errorf("boundaries %v", b)
	}
}

func TestCheckPlacement(t *testing.T) {
	editor, admin := Actor{UserID: "e", Role: RoleEditor}, Actor{UserID: "a", Role: RoleAdmin}
	base := func() Placement {
		return Placement{Sizes: []AdSize{{Width: 728, Height: 90}}, Pages: []string{"home"}}
	}
	html := base()
	html.Creatives = []Creative{{Kind: "html", HTML: "<div></div>"}}
	if err := CheckPlacement(&html, editor); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("raw HTML from an editor: %v", err)
	}
	if err := CheckPlacement(&html, admin); err != nil || html.Creatives[0].Weight != 1 {
		t.Errorf("raw HTML from an admin: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*Placement)
		field string
	}{
		{"0x0", func(p *Placement) { p.Sizes = []AdSize{{}} }, "sizes[0]"},
		{"99999x1", func(p *Placement) { p.Sizes = []AdSize{{Width: 99999, Height: 1}} }, "sizes[0]"},
		{"no page", func(p *Placement) { p.Pages = nil }, "pages"},
		{"unknown format", func(p *Placement) { p.ExcludeFormats = []string{"obituary"} }, "exclude_formats"},
		{"paragraph off the story", func(p *Placement) { p.Paragraph = 3 }, "paragraph"},
		{"javascript click", func(p *Placement) {
			p.Creatives = []Creative{{Kind: "image", Image: Picture{URL: "https://x.example/a.png"}, ClickURL: "javascript:x", Alt: "a"}}
		}, "creatives[0].click_url"},
		{"backwards schedule", func(p *Placement) {
			a, b := time.Now(), time.Now().Add(-time.Hour)
			p.Creatives = []Creative{{Kind: "unit", Unit: "/1/a", Start: &a, End: &b}}
		}, "creatives[0].end"},
		{"weight", func(p *Placement) { p.Creatives = []Creative{{Kind: "unit", Unit: "/1/a", Weight: 101}} }, "creatives[0].weight"},
	} {
		p := base()
		c.edit(&p)
		if e, ok := CheckPlacement(&p, admin).(*Error); !ok || e.Fields[c.field] == "" {
			t.Errorf("%s: want a problem with %s", c.name, c.field)
		}
	}
}
