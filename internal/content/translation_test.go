package content_test

import (
	"testing"

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
