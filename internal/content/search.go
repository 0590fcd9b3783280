package content

import (
	"html"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Search limits.
const (
	MaxQueryLen    = 200 // runes
	MaxSearchLimit = 50
	MaxSearchPage  = 100
	// MaxSearchTotal is how far a search counts its matches.
	MaxSearchTotal = 10_000
	// SearchRankWindow is how many of the newest matches PostgreSQL ranks
	// by relevance; older matches of a very common query are reached by
	// narrowing it (words, until=, section).
	SearchRankWindow = 1_000
	// SnippetStart and SnippetEnd bracket matches in snippets from the
	// databases; they are control characters, which stored text cannot
	// contain, so Highlight can escape everything else and then mark them.
	SnippetStart = "\x01"
	SnippetEnd   = "\x02"
)

// arabicFold unifies the letters Arabic writers use interchangeably.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', // alef forms
	'ة': 'ه', // taa marbuta
	'ى': 'ي', // alef maksura as final yaa
}

// NormalizeSearch folds text for search, the same on the index side and
// the query side: NFKC, lower case, Arabic diacritics (tashkeel) and
// tatweel dropped, alef forms, taa marbuta and final yaa unified. A reader
// who types without diacritics finds text written with them. Folding
// twice changes nothing: the result is composed again after lowering
// case, which can make a letter and a mark composable ("Y̊" becomes "ẙ").
func NormalizeSearch(s string) string {
	s = norm.NFKC.String(strings.ToValidUTF8(s, " "))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x0610 && r <= 0x061A, r >= 0x06D6 && r <= 0x06ED, r == 0x0640:
			continue // harakat, shadda, sukun, dagger alef, Quranic marks, tatweel
		}
		if f, ok := arabicFold[r]; ok {
			r = f
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFKC.String(b.String())
}

// SearchQuery is a parsed search: what the reader typed, normalised, and
// the filters.
type SearchQuery struct {
	Text     string // normalised; web search syntax: "phrases", OR, -word
	Language string
	Category string
	Tag      string
	Since    *time.Time
	Until    *time.Time
	Limit    int
	Page     int
}

// SearchTerm is one part of a query: a word or a phrase, maybe negated,
// maybe joined to the one before it by OR.
type SearchTerm struct {
	Words  []string // one for a word, several for a phrase
	Not    bool
	OrPrev bool
}

// ParseSearch splits web-search syntax into terms: "quoted phrases", OR
// between terms, -word or -"phrase" to exclude. Anything else that is not
// a letter or digit separates words. It never fails; a query of only
// operators gives no terms.
func ParseSearch(q string) []SearchTerm {
	var terms []SearchTerm
	orNext := false
	rs := []rune(q)
	for i := 0; i < len(rs); {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			break
		}
		not := false
		if rs[i] == '-' {
			not = true
			i++
		}
		var chunk string
		if i < len(rs) && rs[i] == '"' {
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			chunk = string(rs[i+1 : min(j, len(rs))])
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			chunk = string(rs[i:j])
			i = j
			if chunk == "OR" || chunk == "or" {
				if len(terms) > 0 {
					orNext = true
				}
				continue
			}
		}
		words := strings.FieldsFunc(chunk, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
		if len(words) == 0 {
			continue
		}
		terms = append(terms, SearchTerm{Words: words, Not: not, OrPrev: orNext && !not})
		orNext = false
	}
	return terms
}

// Highlight turns a database snippet into safe HTML: everything escaped,
// matches wrapped in <mark>.
func Highlight(snippet string) string {
	s := html.EscapeString(snippet)
	s = strings.ReplaceAll(s, SnippetStart, "<mark>")
	return strings.ReplaceAll(s, SnippetEnd, "</mark>")
}

// snippetWord is a word of a snippet or of a text: where it is, and for a
// snippet's, whether it is a match.
type snippetWord struct {
	start, end int
	marked     bool
}

// words splits s into words (letters, digits and combining marks, as the
// databases' tokenisers do), noting those between SnippetStart and
// SnippetEnd.
func words(s string) []snippetWord {
	var out []snippetWord
	marked, start := false, -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, snippetWord{start, i, marked})
			start = -1
		}
		switch string(r) {
		case SnippetStart:
			marked = true
		case SnippetEnd:
			marked = false
		}
	}
	if start >= 0 {
		out = append(out, snippetWord{start, len(s), marked})
	}
	return out
}

// OriginalSnippet rewrites a snippet the database cut from normalised
// text (NormalizeSearch) in the words of the text it came from, one of
// texts: with its hamza, alef maqsura, diacritics and case, the matches
// still marked. Matching stays normalised; readers see what was written.
// A snippet found in none of texts is returned as it is.
func OriginalSnippet(snippet string, texts ...string) string {
	sw := words(snippet)
	if len(sw) == 0 {
		return snippet
	}
	want := make([]string, len(sw))
	for i, w := range sw {
		want[i] = snippet[w.start:w.end]
	}
	for _, text := range texts {
		tw := words(text)
		norms := make([]string, len(tw))
		for i, w := range tw {
			norms[i] = NormalizeSearch(text[w.start:w.end])
		}
		for i := 0; i+len(want) <= len(tw); i++ {
			if !slices.Equal(norms[i:i+len(want)], want) {
				continue
			}
			var b strings.Builder
			if strings.HasPrefix(snippet, "…") {
				b.WriteString("…")
			}
			for k, w := range tw[i : i+len(want)] {
				if k > 0 {
					b.WriteString(collapseSpace(text[tw[i+k-1].end:w.start]))
				}
				if sw[k].marked {
					b.WriteString(SnippetStart + text[w.start:w.end] + SnippetEnd)
				} else {
					b.WriteString(text[w.start:w.end])
				}
			}
			if strings.HasSuffix(snippet, "…") {
				b.WriteString("…")
			}
			return b.String()
		}
	}
	return snippet
}

// collapseSpace writes each run of white space in s as one space (a
// snippet is one line) and drops the snippets' mark characters, which
// only the database's marks may bring.
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if string(r) == SnippetStart || string(r) == SnippetEnd {
			continue
		}
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// RelativeScore puts a search hit's score on the scale both engines
// share: its relevance as a share of the best match of the same query,
// from 0 to 1 (the best is 1), rounded to 4 places. The engines' own
// scores (PostgreSQL's ts_rank, SQLite's bm25) are on unrelated scales;
// a share of the best means the same on both, so a client can keep hits
// scoring 0.5 or more.
func RelativeScore(score, best float64) float64 {
	if best <= 0 || score <= 0 {
		return 0
	}
	return math.Round(min(score/best, 1)*10000) / 10000
}
