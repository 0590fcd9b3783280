package content

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A story told in several languages is one translation group: one
// version per language, each an article of its own (its own slug,
// status, byline). Linking is an editor's act; readers see the versions
// they may read (CanRead).

// Translation is another version of an article, as its page links it:
// enough of the version to link it and to tell who may see it (CanRead).
type Translation struct {
	ID, Slug, Title, Language string
	Category                  string // slug, for the version's URL
	Status                    Status
	PublishedAt               *time.Time
	CreatedBy                 string
	CreatedAt                 time.Time
}

// Version is t as an article, for CanRead and the site's URL patterns.
func (t Translation) Version() *Article {
	return &Article{ID: t.ID, Slug: t.Slug, Title: t.Title, Language: t.Language, Category: Category{Slug: t.Category},
		Status: t.Status, PublishedAt: t.PublishedAt, CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt}
}

// MaxTranslations bounds a group: one version per language of a
// newsroom, with room.
const MaxTranslations = 20

// TranslationSet checks the group an editor asks for: self and the
// versions ids name (loaded as members; a missing one is unknown). It
// returns the group id the set takes: one the set's articles already
// share, or "" for a new one. Each problem is a clear error: a link to
// itself, an unknown article, two versions of one language (400), a
// version that belongs to another group (409: unlink it there first).
func TranslationSet(self *Article, ids []string, members map[string]*Article) (string, error) {
	var p Problems
	if len(ids) > MaxTranslations {
		p.Add("ids", fmt.Sprintf("at most %d versions", MaxTranslations))
		return "", p.Err("Translations")
	}
	langs := map[string]string{self.Language: self.ID}
	group := self.TranslationGroup
	var elsewhere []string
	for _, id := range ids {
		m := members[id]
		switch {
		case id == self.ID:
			p.Add("ids", "an article cannot be its own translation")
			continue
		case m == nil:
			p.Add("ids", fmt.Sprintf("unknown article %q", id))
			continue
		}
		if other, ok := langs[m.Language]; ok && other != id {
			p.Add("ids", fmt.Sprintf("two versions in %s: %s and %s; a group holds one version per language", m.Language, other, id))
			continue
		}
		langs[m.Language] = id
		switch {
		case m.TranslationGroup == "" || m.TranslationGroup == group:
		case group == "":
			group = m.TranslationGroup
		default:
			elsewhere = append(elsewhere, id)
		}
	}
	if err := p.Err("Translations"); err != nil {
		return "", err
	}
	if len(elsewhere) > 0 {
		slices.Sort(elsewhere)
		return "", Errorf(ECONFLICT, "Already linked to other translations: %s. Unlink them there first (PUT their translations with no ids).", strings.Join(elsewhere, ", "))
	}
	return group, nil
}

// TranslationOf checks that a new article in lang may join the group of
// target, whose group already has versions in the languages taken.
func TranslationOf(lang string, target *Article, taken []string) error {
	if target.Language == lang || slices.Contains(taken, lang) {
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf("The story already has a version in %s.", lang),
			Fields: map[string]string{"translation_of": "has a version in " + lang + " already"}}
	}
	return nil
}
