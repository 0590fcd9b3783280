package content

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen is the longest slug in runes.
const MaxSlugLen = 160

// CheckText reports what is wrong with a free-text value: invalid UTF-8,
// a NUL or other control character (tabs and newlines allowed when
// multiline), or more than max runes. It returns "" when s is fine.
func CheckText(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	for _, r := range s {
		if r == 0 {
			return "must not contain NUL"
		}
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return "must not contain control characters"
		}
	}
	if utf8.RuneCountInString(s) > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

// CheckPlain is CheckText for plain-text fields (titles, names,
// captions): markup there is a mistake or an attack, so anything shaped
// like an HTML tag is refused; a lone "<" as in "x < y" is fine. So are
// the hidden characters of Hidden.
func CheckPlain(s string, max int, multiline bool) string {
	if msg := CheckText(s, max, multiline); msg != "" {
		return msg
	}
	if i := strings.IndexFunc(s, Hidden); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return fmt.Sprintf("must not contain invisible or bidi control characters (U+%04X)", r)
	}
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		if c := s[i+1]; c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return "must be plain text, without HTML tags"
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return ""
}

// Hidden reports the characters no plain-text field may hold and the
// body loses (StripHidden): bidi embeddings, overrides and isolates
// (U+202A–202E, U+2066–2069), which make a headline read differently from
// what was stored; zero-width spaces and invisible operators (U+200B,
// U+2060–2064); deprecated format characters (U+206A–206F); the byte
// order mark (U+FEFF); interlinear annotation (U+FFF9–FFFB); and
// noncharacters. The marks that mixed Arabic and English text needs stay:
// LRM and RLM (U+200E, U+200F), the Arabic letter mark (U+061C), ZWNJ and
// ZWJ (U+200C, U+200D, Persian words and emoji), and the soft hyphen.
func Hidden(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r == 0x200B, r >= 0x2060 && r <= 0x2064, r >= 0x206A && r <= 0x206F,
		r == 0xFEFF, r >= 0xFFF9 && r <= 0xFFFB,
		r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE:
		return true
	}
	return false
}

// StripHidden removes the characters of Hidden from s.
func StripHidden(s string) string {
	if strings.IndexFunc(s, Hidden) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Hidden(r) {
			return -1
		}
		return r
	}, s)
}

// isInvisible reports format (Cf) characters such as bidi overrides,
// zero-width joiners and the BOM: they make two slugs look alike.
func isInvisible(r rune) bool { return unicode.Is(unicode.Cf, r) }

// NormalizeSlug returns s in NFC, as slugs are stored and compared.
func NormalizeSlug(s string) string { return norm.NFC.String(s) }

// CheckSlug reports what is wrong with an NFC-normalised slug, or "".
// A slug is lower-case letters (any script), digits and single hyphens,
// with no hyphen at either end.
func CheckSlug(s string) string {
	if msg := CheckText(s, MaxSlugLen, false); msg != "" {
		return msg
	}
	if s == "" {
		return "required"
	}
	prevHyphen := true
	for _, r := range s {
		switch {
		case isInvisible(r):
			return "must not contain invisible or bidi control characters"
		case r == '-':
			if prevHyphen {
				return "must not start with a hyphen or contain two in a row"
			}
			prevHyphen = true
			continue
		case unicode.IsDigit(r), unicode.IsLetter(r) && !unicode.IsUpper(r), unicode.Is(unicode.Mn, r):
		default:
			return "may contain only lower-case letters, digits and hyphens"
		}
		prevHyphen = false
	}
	if prevHyphen {
		return "must not end with a hyphen"
	}
	return ""
}

// Slugify makes a slug from a title in any script: lower-cased letters
// and digits joined by hyphens, combining marks (Arabic diacritics,
// accents) and tatweel dropped. It returns "" when the title has no
// letters or digits. NFKC folds presentation forms and full-width letters.
func Slugify(title string) string {
	var b strings.Builder
	hyphen := false
	n := 0
	// Invalid bytes separate words: left in, they would keep the
	// normalisation from reaching the letters after them.
	for _, r := range norm.NFKC.String(strings.ToValidUTF8(title, " ")) {
		if n >= MaxSlugLen-1 {
			break
		}
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ', isInvisible(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
			n++
		default:
			hyphen = true
		}
	}
	return norm.NFC.String(strings.Trim(b.String(), "-"))
}

// rtlScripts are the base languages written right to left.
var rtlLanguages = map[string]bool{
	"ar": true, "fa": true, "he": true, "ur": true, "ps": true, "sd": true,
	"ug": true, "yi": true, "dv": true, "ckb": true,
}

// ParseLanguage canonicalises a BCP 47 tag ("EN-gb" gives "en-GB") and
// returns it with its writing direction, "rtl" or "ltr".
func ParseLanguage(tag string) (canonical, direction string, err error) {
	t, err := language.Parse(tag)
	if err != nil || tag == "" {
		return "", "", fmt.Errorf("not a BCP 47 language tag")
	}
	base, _ := t.Base()
	script, conf := t.Script()
	direction = "ltr"
	if rtlLanguages[base.String()] {
		direction = "rtl"
	}
	if conf == language.Exact {
		switch script.String() {
		case "Arab", "Hebr", "Thaa", "Syrc", "Nkoo":
			direction = "rtl"
		case "Latn", "Cyrl":
			direction = "ltr"
		}
	}
	return t.String(), direction, nil
}

// CheckURL reports what is wrong with an absolute http(s) URL, or "".
func CheckURL(s string, max int) string {
	if msg := CheckText(s, max, false); msg != "" {
		return msg
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "must be an absolute http or https URL"
	}
	return ""
}
