package content_test

import (
	"strings"
	"testing"
	"time"

	"github.com/masthead/masthead/internal/content"
)

func TestTranslationSet(t *testing.T) {
	ar := &content.Article{ID: "AR", Language: "ar"}
	grouped := &content.Article{ID: "AR2", Language: "ar", TranslationGroup: "G"}
	members := map[string]*content.Article{
		"EN":  {ID: "EN", Language: "en"},
		"EN2": {ID: "EN2", Language: "en"},
		"FR":  {ID: "FR", Language: "fr", TranslationGroup: "G"},
		"DE":  {ID: "DE", Language: "de", TranslationGroup: "H"},
		"AR3": {ID: "AR3", Language: "ar"},
	}
	tests := []struct {
		name      string
		self      *content.Article
		ids       []string
		wantGroup string
		wantCode  string
	}{
		{"a new group", ar, []string{"EN"}, "", ""},
		{"joins the group a version has", ar, []string{"EN", "FR"}, "G", ""},
		{"keeps its own group", grouped, []string{"FR", "EN"}, "G", ""},
		{"unlink", grouped, nil, "G", ""},
		{"itself", ar, []string{"AR"}, "", content.EINVALID},
		{"unknown", ar, []string{"XX"}, "", content.EINVALID},
		{"two in english", ar, []string{"EN", "EN2"}, "", content.EINVALID},
		{"another in its own language", ar, []string{"AR3"}, "", content.EINVALID},
		{"two groups", ar, []string{"FR", "DE"}, "", content.ECONFLICT},
		{"a version of another story", grouped, []string{"DE"}, "", content.ECONFLICT},
	}
	for _, tt := range tests {
		group, err := content.TranslationSet(tt.self, tt.ids, members)
		if got := content.ErrorCode(err); got != tt.wantCode || (err == nil && group != tt.wantGroup) {
			t.Errorf("%s: group %q, %v; want %q, %q", tt.name, group, err, tt.wantGroup, tt.wantCode)
		}
	}
	target := &content.Article{Language: "ar"}
	for lang, want := range map[string]string{"en": "", "ar": content.ECONFLICT, "fr": content.ECONFLICT} {
		if got := content.ErrorCode(content.TranslationOf(lang, target, []string{"fr"})); got != want {
			t.Errorf("translation_of in %s: %q, want %q", lang, got, want)
		}
	}
}

func TestRelatedLanguage(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	at := now.Add(-time.Hour)
	art := func(id, lang, group string) *content.Article {
		return &content.Article{ID: id, Language: lang, TranslationGroup: group, PublishedAt: &at, Category: content.Category{ID: "news"}}
	}
	target := content.RelatedTarget{Article: art("AR", "ar", "G"), TagCounts: map[string]int{}, Language: "ar",
		Pinned: []*content.Article{art("EN-PIN", "en", ""), art("EN-VERSION", "en", "G")}}
	cands := []content.RelatedCandidate{{Article: art("AR2", "ar", "")}, {Article: art("EN2", "en", "")}, {Article: art("FR-VERSION", "fr", "G")}}
	ids := func(list []*content.Article) string {
		var out []string
		for _, a := range list {
			out = append(out, a.ID)
		}
		return strings.Join(out, ",")
	}
	if got := ids(content.RankRelated(target, content.ShortlistRelated(target, cands, now), now)); got != "EN-PIN,AR2" {
		t.Errorf("the Arabic block: %s, want the pin, then Arabic stories, never a version of the story", got)
	}
	target.Language = "en"
	if got := ids(content.RankRelated(target, content.ShortlistRelated(target, cands, now), now)); got != "EN-PIN,EN2" {
		t.Errorf("lang=en: %s", got)
	}
	target.Language = ""
	if got := ids(content.RankRelated(target, content.ShortlistRelated(target, cands, now), now)); got != "EN-PIN,AR2,EN2" {
		t.Errorf("every language: %s", got)
	}
}
