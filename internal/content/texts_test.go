package content

import (
	"reflect"
	"testing"
)

func TestTextsIn(t *testing.T) {
	names := Texts{"ar": "أخبار", "en": "News", "en-GB": "News (UK)"}
	for _, c := range []struct{ lang, want string }{
		{"ar", "أخبار"}, {"en", "News"}, {"en-GB", "News (UK)"}, {"en-US", "News"}, {"fr", "fallback"}, {"", "fallback"},
	} {
		if got := names.In(c.lang, "fallback"); got != c.want {
			t.Errorf("In(%q) = %q, want %q", c.lang, got, c.want)
		}
	}
	if got := Texts(nil).In("ar", "fallback"); got != "fallback" {
		t.Errorf("nil texts: %q", got)
	}
}

func TestTermNames(t *testing.T) {
	ptr := func(t Texts) *Texts { return &t }
	str := func(s string) *string { return &s }
	for _, c := range []struct {
		name     string
		term     Term
		creating bool
		wantName string // "" for unchanged (nil)
		wantErr  string // field of the first problem
		names    Texts
	}{
		{"default language", Term{Names: ptr(Texts{"ar": "أخبار", "en": "News"}), DefaultLanguage: "en"}, true, "News", "", Texts{"ar": "أخبار", "en": "News"}},
		{"first by tag without a default", Term{Names: ptr(Texts{"en": "News", "ar": "أخبار"})}, true, "أخبار", "", nil},
		{"tags made canonical, values trimmed", Term{Names: ptr(Texts{"EN-gb": " News "}), DefaultLanguage: "en-GB"}, true, "News", "", Texts{"en-GB": "News"}},
		{"name wins over names", Term{Name: str("Local"), Names: ptr(Texts{"en": "News"}), DefaultLanguage: "en"}, true, "Local", "", nil},
		{"update without the default keeps the name", Term{Names: ptr(Texts{"ar": "أخبار"}), DefaultLanguage: "en"}, false, "", "", nil},
		{"empty names on create", Term{Names: ptr(Texts{})}, true, "", "name", nil},
		{"unknown tag", Term{Names: ptr(Texts{"not a tag": "x"})}, true, "", "names", nil},
		{"empty value", Term{Name: str("News"), Names: ptr(Texts{"ar": ""})}, true, "", "names.ar", nil},
		{"markup", Term{Name: str("News"), Names: ptr(Texts{"en": "<i>x</i>"})}, true, "", "names.en", nil},
		{"twice", Term{Name: str("News"), Names: ptr(Texts{"en": "a", "EN": "b"})}, true, "", "names", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p Problems
			c.term.check(&p, c.creating)
			err := p.Err("Tag")
			if c.wantErr != "" {
				e, ok := err.(*Error)
				if !ok || e.Fields[c.wantErr] == "" {
					t.Fatalf("err %v, want a problem with %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if c.term.Name != nil {
				got = *c.term.Name
			}
			if got != c.wantName {
				t.Errorf("name %q, want %q", got, c.wantName)
			}
			if c.names != nil && !reflect.DeepEqual(*c.term.Names, c.names) {
				t.Errorf("names %v, want %v", *c.term.Names, c.names)
			}
		})
	}
}

func TestLocalize(t *testing.T) {
	a := &Article{Language: "ar",
		Category: Category{Name: "News", Names: Texts{"ar": "أخبار"}},
		Tags:     []Tag{{Name: "Syria", Names: Texts{"ar": "سوريا"}}, {Name: "Economy"}},
		Authors:  []Author{{Name: "Levant Desk", Bio: "Beirut", Names: Texts{"ar": "مكتب المشرق"}, Bios: Texts{"en": "Beirut"}}},
	}
	a.Localize()
	if a.Category.Name != "أخبار" || a.Tags[0].Name != "سوريا" || a.Tags[1].Name != "Economy" || a.Authors[0].Name != "مكتب المشرق" || a.Authors[0].Bio != "Beirut" {
		t.Errorf("localized %+v", a)
	}
}

func TestTextsStored(t *testing.T) {
	for _, src := range []any{nil, "", "{}", []byte(`{"ar":"أخبار"}`)} {
		var got Texts
		if err := got.Scan(src); err != nil {
			t.Fatalf("Scan(%v): %v", src, err)
		}
		v, _ := got.Value()
		var back Texts
		if err := back.Scan(v); err != nil || !reflect.DeepEqual(back, got) {
			t.Errorf("%v: stored %v, read back %v (%v)", src, v, back, err)
		}
	}
	var bad Texts
	if err := bad.Scan(42); err == nil {
		t.Error("an int scanned as texts")
	}
}
