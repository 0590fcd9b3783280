package content_test

import (
	"strings"
	"testing"

	"github.com/masthead/masthead/internal/content"
)

func TestMediaRules(t *testing.T) {
	mine := &content.Media{CreatedBy: writer.UserID}
	theirs := &content.Media{CreatedBy: "someone"}
	used := []content.MediaUse{{Kind: "article cover", ID: "A1", Title: "Port"}}
	tests := []struct {
		name  string
		who   content.Actor
		m     *content.Media
		uses  []content.MediaUse
		force bool
		want  string // error code, "" for allowed
	}{
		{"a writer deletes their unused upload", writer, mine, nil, false, ""},
		{"a writer may not delete another's", writer, theirs, nil, false, content.EFORBIDDEN},
		{"an editor deletes any unused item", editor, theirs, nil, false, ""},
		{"in use: a conflict", editor, theirs, used, false, content.ECONFLICT},
		{"in use, a writer forcing: forbidden", writer, mine, used, true, content.EFORBIDDEN},
		{"in use, an editor forcing", editor, theirs, used, true, ""},
		{"in use, an admin forcing", admin, mine, used, true, ""},
	}
	for _, tt := range tests {
		if got := content.ErrorCode(content.CanDeleteMedia(tt.who, tt.m, tt.uses, tt.force)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if content.CanEditMedia(writer, theirs) == nil || content.CanEditMedia(writer, mine) != nil || content.CanEditMedia(editor, theirs) != nil {
		t.Error("edit rules")
	}
}

func TestMediaUpdate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name  string
		u     content.MediaUpdate
		field string // the field a problem is reported on, "" for valid
	}{
		{"texts in two languages", content.MediaUpdate{Caption: content.Texts{"ar": "مرفأ بيروت", "EN": "Beirut port"}}, ""},
		{"focal point", content.MediaUpdate{FocalX: f(0), FocalY: f(1)}, ""},
		{"focal out of range", content.MediaUpdate{FocalX: f(2), FocalY: f(0.5)}, "focal.x"},
		{"focal half given", content.MediaUpdate{FocalX: f(0.5)}, "focal"},
		{"not a language", content.MediaUpdate{Alt: content.Texts{"!!": "x"}}, "alt"},
		{"html in alt", content.MediaUpdate{Alt: content.Texts{"en": "<img src=x>"}}, "alt.en"},
		{"credit too long", content.MediaUpdate{Credit: content.Texts{"en": string(make([]byte, 201))}}, "credit.en"},
	}
	for _, tt := range tests {
		err := tt.u.Validate()
		var fields map[string]string
		if ce, ok := err.(*content.Error); ok {
			fields = ce.Fields
		}
		if (tt.field == "") != (err == nil) || (tt.field != "" && fields[tt.field] == "") {
			t.Errorf("%s: %v (%v), want a problem on %q", tt.name, err, fields, tt.field)
		}
	}
	u := content.MediaUpdate{Caption: content.Texts{"EN": " Beirut port ", "ar": "مرفأ"}}
	if err := u.Validate(); err != nil || u.Caption["en"] != "Beirut port" {
		t.Fatalf("canonical: %v %v", err, u.Caption)
	}
	m := &content.Media{Caption: content.Texts{"ar": "قديم", "fr": "vieux"}}
	u = content.MediaUpdate{Caption: content.Texts{"ar": "مرفأ", "fr": ""}}
	u.Apply(m)
	if len(m.Caption) != 1 || m.Caption["ar"] != "مرفأ" {
		t.Errorf("apply: %v", m.Caption)
	}
	if got := (content.Texts{"en": "Port", "ar": "مرفأ"}).Pick("fr", "en"); got != "Port" {
		t.Errorf("pick falls back to the default language: %q", got)
	}
	if got := (content.Texts{"en": "Port", "ar": "مرفأ"}).Pick("fr", "de"); got != "مرفأ" {
		t.Errorf("pick falls back to the first language: %q", got)
	}
}

func TestMediaInBody(t *testing.T) {
	id := "01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"
	h := content.RenderBody("markdown", "![Cranes](media:"+id+") and ![twice](media:"+id+")\n\n[a link](media:../../etc/passwd) ![bad](media:lower)")
	if got := content.MediaRefs(h); len(got) != 1 || got[0] != id {
		t.Errorf("refs %v in %s", got, h)
	}
	if strings.Contains(h, "etc/passwd") || strings.Contains(h, "media:lower") {
		t.Errorf("a media: URL that is no id was kept: %s", h)
	}
	if got := content.MediaRefs(content.RenderBody("html", `<p><img alt="x" src="media:`+id+`" onerror="alert(1)"></p>`)); len(got) != 1 {
		t.Errorf("html body refs %v", got)
	}
}
