package content

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
)

// How related articles are chosen. The store fetches candidates: the
// most recent articles of each tag the article has and the latest of its
// section. Each is scored:
//
//	score = 3 × Σ over shared tags 1/ln(2 + articles with that tag)
//	      + 0.75 if in the same section
//	      + 1 if in the same language
//	      + 2 × Jaccard similarity of title and excerpt words
//	      + 0.5 / (1 + age in days / 30)
//
// so a tag on half the archive adds little and a rare one much, and at
// equal overlap last week's story beats one from five years ago. Ties go
// to the newer article, then the greater id. Pinned articles come first,
// in their order. The section's latest fill the block when too few
// articles share anything.
//
// Comparing text needs titles and excerpts, so it is done for a
// shortlist only: ShortlistRelated keeps the best RelatedShortlist by the
// other signals, the store loads those, and RankRelated orders them.
const (
	RelatedPerTag      = 300 // candidates the store reads per shared tag
	RelatedFromSection = 50  // and from the section
	RelatedShortlist   = 30
	MaxRelatedTags     = 20 // the target's rarest tags that count
	MaxPinned          = 24 // related articles editors may pin
)

// RelatedTarget is the article related ones are sought for.
type RelatedTarget struct {
	Article *Article // ID, Category.ID, Language; Title and Excerpt for RankRelated
	// TagCounts maps each of its tags to how many articles carry it.
	TagCounts map[string]int
	// Pinned are the articles editors pinned, in their order, as loaded
	// (those readers may not see left out).
	Pinned []*Article
	// Language is the language the block shows (the target's, unless
	// the reader asked for another); "" shows every language.
	Language string
}

// shows reports whether a may be in the block: in its language, and not
// a version of the target itself in another language.
func (t RelatedTarget) shows(a *Article) bool {
	if g := t.Article.TranslationGroup; g != "" && a.TranslationGroup == g {
		return false
	}
	return t.Language == "" || a.Language == t.Language
}

// RelatedCandidate is an article that may be related to the target.
type RelatedCandidate struct {
	Article    *Article // ID, Category.ID, Language, PublishedAt; Title and Excerpt once shortlisted
	SharedTags []string // ids of the target's tags it carries
}

// ShortlistRelated returns the RelatedShortlist best candidates by every
// signal but text, best first.
func ShortlistRelated(t RelatedTarget, cands []RelatedCandidate, now time.Time) []RelatedCandidate {
	cands = slices.DeleteFunc(slices.Clone(cands), func(c RelatedCandidate) bool { return !t.shows(c.Article) })
	scored := scoreRelated(t, cands, now, false)
	out := make([]RelatedCandidate, 0, min(len(scored), RelatedShortlist))
	for _, s := range scored[:min(len(scored), RelatedShortlist)] {
		out = append(out, s.RelatedCandidate)
	}
	return out
}

// RankRelated orders what the block shows: the pins first (an editor's
// choice, in any language), then the candidates best first by every
// signal, each article once, never the target itself nor its versions
// in other languages, and only in the block's language. The caller cuts
// the list to the block's size.
func RankRelated(t RelatedTarget, cands []RelatedCandidate, now time.Time) []*Article {
	out := make([]*Article, 0, len(t.Pinned)+len(cands))
	taken := map[string]bool{t.Article.ID: true}
	for _, a := range t.Pinned {
		if g := t.Article.TranslationGroup; !taken[a.ID] && (g == "" || a.TranslationGroup != g) {
			out, taken[a.ID] = append(out, a), true
		}
	}
	for _, s := range scoreRelated(t, cands, now, true) {
		if a := s.Article; !taken[a.ID] && t.shows(a) {
			out, taken[a.ID] = append(out, a), true
		}
	}
	return out
}

type scoredCandidate struct {
	RelatedCandidate
	score float64
}

// scoreRelated scores cands (with text similarity when text is set) and
// sorts them best first.
func scoreRelated(t RelatedTarget, cands []RelatedCandidate, now time.Time, text bool) []scoredCandidate {
	var words map[string]bool
	if text {
		words = textWords(t.Article)
	}
	out := make([]scoredCandidate, len(cands))
	for i, c := range cands {
		a, score := c.Article, 0.0
		for _, tag := range c.SharedTags {
			score += 3 / math.Log(2+float64(t.TagCounts[tag]))
		}
		if a.Category.ID == t.Article.Category.ID {
			score += 0.75
		}
		if a.Language == t.Article.Language {
			score += 1
		}
		if a.PublishedAt != nil {
			score += 0.5 / (1 + now.Sub(*a.PublishedAt).Hours()/24/30)
		}
		if text {
			score += 2 * jaccard(words, textWords(a))
		}
		out[i] = scoredCandidate{c, score}
	}
	slices.SortFunc(out, func(x, y scoredCandidate) int {
		if x.score != y.score {
			if x.score > y.score {
				return -1
			}
			return 1
		}
		if px, py := published(x.Article), published(y.Article); !px.Equal(py) {
			return py.Compare(px)
		}
		return strings.Compare(y.Article.ID, x.Article.ID)
	})
	return out
}

func published(a *Article) time.Time {
	if a.PublishedAt == nil {
		return time.Time{}
	}
	return *a.PublishedAt
}

// stopWords are too common to say two stories are alike.
var stopWords = map[string]bool{
	"the": true, "and": true, "for": true, "with": true, "that": true, "from": true, "this": true, "are": true,
	"was": true, "has": true, "have": true, "its": true, "after": true, "over": true, "into": true, "says": true,
	"في": true, "من": true, "على": true, "الي": true, "عن": true, "مع": true, "هذا": true, "هذه": true, "التي": true,
	"الذي": true, "بعد": true, "قبل": true, "كان": true, "وقال": true, "قال": true, "ان": true,
}

// textWords returns the set of meaningful normalised words of a's title
// and excerpt.
func textWords(a *Article) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.FieldsFunc(NormalizeSearch(a.Title+" "+a.Excerpt), func(r rune) bool {
		return !(r >= '0' && r <= '9') && !unicode.IsLetter(r)
	}) {
		if len([]rune(w)) >= 3 && !stopWords[w] {
			set[w] = true
		}
	}
	return set
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for w := range a {
		if b[w] {
			shared++
		}
	}
	return float64(shared) / float64(len(a)+len(b)-shared)
}
