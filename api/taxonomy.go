package api

import "time"

// Category is a section of the site.
type Category struct {
	ID          string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2S" validate:"required"`
	Slug        string `json:"slug" example:"news" validate:"required"`
	Name        string `json:"name" example:"News" validate:"required"`
	Description string `json:"description" example:"The day's reporting." validate:"required"`
	// Names is the name in each language it has one in; name is the one
	// in the language asked for (lang), else the fallback.
	Names        map[string]string `json:"names,omitempty" example:"ar:أخبار,en:News"`
	Descriptions map[string]string `json:"descriptions,omitempty" example:"ar:تقارير اليوم,en:The day's reporting."`
	Parent       string            `json:"parent,omitempty" example:""`
	Position     int               `json:"position" example:"1" validate:"required"`
	ArticleCount int               `json:"article_count" example:"42" validate:"required"`
	CreatedAt    time.Time         `json:"created_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	UpdatedAt    time.Time         `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// CategoryList lists sections in their configured order, each parent
// followed by its children.
type CategoryList struct {
	Data []Category `json:"data" validate:"required"`
	Meta ListMeta   `json:"meta" validate:"required"`
}

// CategoryResponse wraps one section.
type CategoryResponse struct {
	Data Category `json:"data" validate:"required"`
}

// CategoryRequest creates or edits a section; name is required on create,
// the slug is made from it when absent. parent names a top-level section
// by id or slug ("" makes this one top-level).
type CategoryRequest struct {
	Slug        *string `json:"slug,omitempty" example:"news"`
	Name        *string `json:"name,omitempty" example:"News"`
	Description *string `json:"description,omitempty" example:"The day's reporting."`
	// Names and Descriptions, by language tag, replace the stored ones
	// when sent. Without name, name becomes the entry in the site's
	// default language (MASTHEAD_DEFAULT_LANGUAGE).
	Names        map[string]string `json:"names,omitempty" example:"ar:أخبار,en:News"`
	Descriptions map[string]string `json:"descriptions,omitempty" example:"ar:تقارير اليوم,en:The day's reporting."`
	Parent       *string           `json:"parent,omitempty" example:""`
	Position     *int              `json:"position,omitempty" example:"1"`
}

// Tag labels articles across sections.
type Tag struct {
	ID   string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2T" validate:"required"`
	Slug string `json:"slug" example:"syria" validate:"required"`
	Name string `json:"name" example:"Syria" validate:"required"`
	// Names is the name in each language it has one in; name is the one
	// in the language asked for (lang), else the fallback.
	Names     map[string]string `json:"names,omitempty" example:"ar:سوريا,en:Syria"`
	CreatedAt time.Time         `json:"created_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	UpdatedAt time.Time         `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// TagList lists tags by name.
type TagList struct {
	Data []Tag    `json:"data" validate:"required"`
	Meta ListMeta `json:"meta" validate:"required"`
}

// TagResponse wraps one tag.
type TagResponse struct {
	Data Tag `json:"data" validate:"required"`
}

// TagRequest creates or edits a tag; name is required on create.
type TagRequest struct {
	Slug *string `json:"slug,omitempty" example:"syria"`
	Name *string `json:"name,omitempty" example:"Syria"`
	// Names, by language tag, replace the stored ones when sent.
	Names map[string]string `json:"names,omitempty" example:"ar:سوريا,en:Syria"`
}

// Author is a byline. Readers never see the linked account's e-mail.
type Author struct {
	ID   string `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2V" validate:"required"`
	Slug string `json:"slug" example:"levant-desk" validate:"required"`
	Name string `json:"name" example:"Levant Desk" validate:"required"`
	Bio  string `json:"bio" example:"Our correspondents in Beirut and Damascus." validate:"required"`
	// Names is the name in each language it has one in; name is the one
	// in the language asked for (lang), else the fallback.
	Names     map[string]string `json:"names,omitempty" example:"ar:مكتب المشرق,en:Levant Desk"`
	Bios      map[string]string `json:"bios,omitempty" example:"ar:مراسلونا في بيروت ودمشق,en:Our correspondents in Beirut and Damascus."`
	AvatarURL string            `json:"avatar_url" example:"" validate:"required"`
	// Avatar is the photo with its sizes; avatar_url is its square crop
	// when it is a media item.
	Avatar    *Image    `json:"avatar,omitempty"`
	CreatedAt time.Time `json:"created_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	UpdatedAt time.Time `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// AuthorList lists authors by name.
type AuthorList struct {
	Data []Author `json:"data" validate:"required"`
	Meta ListMeta `json:"meta" validate:"required"`
}

// AuthorResponse wraps one author.
type AuthorResponse struct {
	Data Author `json:"data" validate:"required"`
}

// AuthorRequest creates or edits an author; name is required on create.
// user_id links the author to an account ("" unlinks), so a writer's
// drafts get their byline by default.
type AuthorRequest struct {
	Slug *string `json:"slug,omitempty" example:"levant-desk"`
	Name *string `json:"name,omitempty" example:"Levant Desk"`
	Bio  *string `json:"bio,omitempty" example:"Our correspondents in Beirut and Damascus."`
	// Names and Bios, by language tag, replace the stored ones when sent.
	Names     map[string]string `json:"names,omitempty" example:"ar:مكتب المشرق,en:Levant Desk"`
	Bios      map[string]string `json:"bios,omitempty" example:"ar:مراسلونا في بيروت ودمشق,en:Our correspondents in Beirut and Damascus."`
	AvatarURL *string           `json:"avatar_url,omitempty" example:"https://cdn.example.com/levant.png"`
	// AvatarMediaID is a photo from the media library ("" removes it).
	AvatarMediaID *string `json:"avatar_media_id,omitempty" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2M"`
	UserID        *string `json:"user_id,omitempty" example:""`
}
