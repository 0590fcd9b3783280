package content

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Menu is a named navigation menu (header, footer, mobile, …): an
// ordered tree of items two levels deep, each with a label per language
// and a target on the site.
type Menu struct {
	Name      string
	Items     []MenuItem
	Version   int
	UpdatedAt time.Time
}

// MenuItem is one entry of a menu; Children only on the first level.
type MenuItem struct {
	Labels   Texts      `json:"labels"`
	Target   MenuTarget `json:"target"`
	Children []MenuItem `json:"children,omitempty"`
}

// MenuTarget is what an item points at: a section, tag, author or
// static page by slug, an article by id, a path on the site, or an
// outside URL.
type MenuTarget struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

// Menu target kinds.
const (
	TargetSection = "section"
	TargetTag     = "tag"
	TargetAuthor  = "author"
	TargetArticle = "article"
	TargetPage    = "page"
	TargetPath    = "path"
	TargetURL     = "url"
)

// TargetKinds are every kind of target, in the order documented.
var TargetKinds = []string{TargetSection, TargetTag, TargetAuthor, TargetArticle, TargetPage, TargetPath, TargetURL}

// Limits of menus.
const (
	MaxMenuItems    = 200 // in all, both levels
	MaxMenuLabelLen = 100
	MaxMenuDepth    = 2
)

var menuName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// CheckMenuName reports what is wrong with a menu's name, or "".
func CheckMenuName(name string) string {
	if !menuName.MatchString(name) {
		return "must be 1 to 40 lower-case letters, digits and hyphens, such as header or footer"
	}
	return ""
}

// CheckMenu validates a menu's items, making language tags canonical and
// slugs normal, and reports every problem under items[i] or
// items[i].children[j]. A tree given by value cannot hold a cycle; it
// may be two levels deep.
func CheckMenu(items []MenuItem) error {
	var p Problems
	count := 0
	var walk func(items []MenuItem, at string, depth int)
	walk = func(items []MenuItem, at string, depth int) {
		for i := range items {
			it := &items[i]
			field := fmt.Sprintf("%s[%d]", at, i)
			count++
			if len(it.Labels) == 0 {
				p.Add(field+".labels", "required: a label in at least one language")
			}
			it.Labels.check(&p, field+".labels", MaxMenuLabelLen, false, false)
			it.Target.check(&p, field)
			if len(it.Children) > 0 {
				if depth >= MaxMenuDepth {
					p.Add(field+".children", fmt.Sprintf("menus are at most %d levels deep", MaxMenuDepth))
					continue
				}
				walk(it.Children, field+".children", depth+1)
			}
		}
	}
	walk(items, "items", 1)
	if count > MaxMenuItems {
		p.Add("items", fmt.Sprintf("at most %d items in all", MaxMenuItems))
	}
	return p.Err("Menu")
}

func (t *MenuTarget) check(p *Problems, field string) {
	t.Ref = strings.TrimSpace(t.Ref)
	switch t.Kind {
	case TargetSection, TargetTag, TargetAuthor, TargetPage:
		t.Ref = NormalizeSlug(t.Ref)
		if msg := CheckSlug(t.Ref); msg != "" {
			p.Add(field+".ref", msg)
		}
	case TargetArticle:
		if !mediaID.MatchString(t.Ref) { // an article id is a ULID too
			p.Add(field+".ref", "must be an article id")
		}
	case TargetPath:
		if !strings.HasPrefix(t.Ref, "/") || strings.HasPrefix(t.Ref, "//") || CheckText(t.Ref, 300, false) != "" || strings.ContainsAny(t.Ref, " \"<>\\") {
			p.Add(field+".ref", "must be a path on the site starting with /")
		}
	case TargetURL:
		if msg := CheckURL(t.Ref, MaxURLLen); msg != "" {
			p.Add(field+".ref", msg)
		}
	default:
		p.Add(field+".kind", "must be one of "+strings.Join(TargetKinds, ", "))
	}
}

// Refs lists the menu's targets that name content, by kind, for the
// store to check or resolve in one statement each.
func Refs(items []MenuItem) map[string][]string {
	out := map[string][]string{}
	var walk func([]MenuItem)
	walk = func(items []MenuItem) {
		for _, it := range items {
			switch it.Target.Kind {
			case TargetSection, TargetTag, TargetAuthor, TargetArticle, TargetPage:
				out[it.Target.Kind] = append(out[it.Target.Kind], it.Target.Ref)
			}
			walk(it.Children)
		}
	}
	walk(items)
	return out
}

// MenuLink is an item as readers get it: its label in their language and
// the address it leads to.
type MenuLink struct {
	Label    string
	Labels   Texts
	Target   MenuTarget
	URL      string
	Children []MenuLink
}

// Links is the menu as readers of lang see it: labels in lang (else the
// site's default language, else any), targets made into addresses by
// url, and items whose target is gone (deleted, unpublished: url gives
// "") left out with their children.
func (m *Menu) Links(lang, fallback string, url func(MenuTarget) string) []MenuLink {
	var walk func([]MenuItem) []MenuLink
	walk = func(items []MenuItem) []MenuLink {
		out := []MenuLink{}
		for _, it := range items {
			u := url(it.Target)
			if u == "" {
				continue
			}
			label := it.Labels.In(lang, it.Labels.In(fallback, ""))
			if label == "" && len(it.Labels) > 0 {
				label = it.Labels[it.Labels.Languages()[0]]
			}
			out = append(out, MenuLink{Label: label, Labels: it.Labels, Target: it.Target, URL: u, Children: walk(it.Children)})
		}
		return out
	}
	return walk(m.Items)
}
