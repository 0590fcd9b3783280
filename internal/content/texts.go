package content

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Texts is one text in several languages, keyed by canonical language
// tag: a section's name in Arabic and in English. The plain field beside
// it (Name, Description, Bio) is what a reader whose language has no
// entry gets.
type Texts map[string]string

// In returns the text in lang, else in lang's base language ("en" for
// "en-GB"), else fallback.
func (t Texts) In(lang, fallback string) string {
	if v, ok := t[lang]; ok {
		return v
	}
	if base, _, found := strings.Cut(lang, "-"); found {
		if v, ok := t[base]; ok {
			return v
		}
	}
	return fallback
}

// Languages returns t's languages in order.
func (t Texts) Languages() []string {
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	return langs
}

// Default is the entry a plain field takes when only texts were sent:
// the one in lang (the site's default language); when creating, else the
// first by language tag. An edit without lang's entry keeps the field.
func (t Texts) Default(lang string, creating bool) (string, bool) {
	if v, ok := t[lang]; ok {
		return v, true
	}
	if langs := t.Languages(); creating && len(langs) > 0 {
		return t[langs[0]], true
	}
	return "", false
}

// check validates t as field (names, descriptions, bios): every key a
// language tag, made canonical; every value trimmed plain text of at most
// max runes, non-empty unless optional. It reports under field.lang.
func (t *Texts) check(p *Problems, field string, max int, multiline, optional bool) {
	if *t == nil {
		return
	}
	if len(*t) > MaxLanguages {
		p.Add(field, fmt.Sprintf("at most %d languages", MaxLanguages))
		return
	}
	out := make(Texts, len(*t))
	for lang, v := range *t {
		canonical, _, err := ParseLanguage(lang)
		if err != nil {
			p.Add(field, fmt.Sprintf("%q is not a BCP 47 language tag", lang))
			continue
		}
		if _, dup := out[canonical]; dup {
			p.Add(field, fmt.Sprintf("%q is given twice", canonical))
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" && !optional {
			p.Add(field+"."+canonical, "required")
			continue
		}
		if msg := CheckPlain(v, max, multiline); msg != "" {
			p.Add(field+"."+canonical, msg)
			continue
		}
		out[canonical] = v
	}
	*t = out
}

// MaxLanguages bounds the languages one name may be given in.
const MaxLanguages = 20

// Scan reads texts stored as a JSON object.
func (t *Texts) Scan(src any) error {
	*t = nil
	if err := scanJSON("texts", src, t); err != nil {
		return err
	}
	if len(*t) == 0 {
		*t = nil
	}
	return nil
}

// scanJSON decodes a JSON column (text or bytes) into v, which the
// caller has reset; NULL and empty values leave it so.
func scanJSON(what string, src, v any) error {
	var b []byte
	switch s := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(s)
	case []byte:
		b = s
	default:
		return fmt.Errorf("%s: cannot scan %T", what, src)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

// Value stores texts as a JSON object.
func (t Texts) Value() (driver.Value, error) {
	if len(t) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(t))
	return string(b), err
}

// In returns c as readers of lang see it: name and description in lang
// where it has them.
func (c Category) In(lang string) Category {
	c.Name, c.Description = c.Names.In(lang, c.Name), c.Descriptions.In(lang, c.Description)
	return c
}

// In returns t as readers of lang see it.
func (t Tag) In(lang string) Tag {
	t.Name = t.Names.In(lang, t.Name)
	return t
}

// In returns a as readers of lang see it: name and bio in lang where it
// has them.
func (a Author) In(lang string) Author {
	a.Name, a.Bio = a.Names.In(lang, a.Name), a.Bios.In(lang, a.Bio)
	return a
}

// Localize names the article's section, tags and authors in the
// article's own language where they have a name in it: an Arabic story
// gets an Arabic byline and section.
func (a *Article) Localize() {
	a.Category = a.Category.In(a.Language)
	for i := range a.Tags {
		a.Tags[i] = a.Tags[i].In(a.Language)
	}
	for i := range a.Authors {
		a.Authors[i] = a.Authors[i].In(a.Language)
	}
}
