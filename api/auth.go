package api

import "time"

// LoginRequest logs an editor in.
type LoginRequest struct {
	Email    string `json:"email" example:"editor@example.com" validate:"required"`
	Password string `json:"password" example:"correct horse battery staple" validate:"required"`
}

// RefreshRequest trades a refresh token for new tokens. Each refresh token
// works once; presenting a spent one ends the whole login.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token" example:"mh_rt_9hV2yQ…" validate:"required"`
}

// Tokens are what a login or refresh returns. Send the access token as
// "Authorization: Bearer …"; it lasts expires_in seconds.
type Tokens struct {
	AccessToken  string `json:"access_token" example:"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…" validate:"required"`
	TokenType    string `json:"token_type" example:"Bearer" validate:"required"`
	ExpiresIn    int    `json:"expires_in" example:"900" validate:"required"`
	RefreshToken string `json:"refresh_token" example:"mh_rt_9hV2yQ…" validate:"required"`
}

// TokensResponse wraps Tokens.
type TokensResponse struct {
	Data Tokens `json:"data" validate:"required"`
}

// User is an editors'-side account; only admins and the user see it.
type User struct {
	ID        string    `json:"id" example:"01JD6Q7R2ZK3WJ5M8N9P0Q1R2X" validate:"required"`
	Email     string    `json:"email" example:"editor@example.com" validate:"required"`
	Name      string    `json:"name" example:"Rania Haddad" validate:"required"`
	Role      string    `json:"role" example:"editor" enums:"admin,editor,writer" validate:"required"`
	Disabled  bool      `json:"disabled" example:"false" validate:"required"`
	CreatedAt time.Time `json:"created_at" example:"2026-11-26T09:00:00Z" validate:"required"`
	UpdatedAt time.Time `json:"updated_at" example:"2026-11-26T09:00:00Z" validate:"required"`
}

// UserResponse wraps one user.
type UserResponse struct {
	Data User `json:"data" validate:"required"`
}

// UserList lists users by e-mail.
type UserList struct {
	Data []User   `json:"data" validate:"required"`
	Meta ListMeta `json:"meta" validate:"required"`
}

// UserRequest creates a user (all fields but disabled required) or edits
// one (send what changes). A new password or disabled=true ends all of
// the user's sessions.
type UserRequest struct {
	Email    *string `json:"email,omitempty" example:"writer@example.com"`
	Name     *string `json:"name,omitempty" example:"Omar Khalil"`
	Role     *string `json:"role,omitempty" example:"writer" enums:"admin,editor,writer"`
	Password *string `json:"password,omitempty" example:"a long passphrase 2026"`
	Disabled *bool   `json:"disabled,omitempty" example:"false"`
}

// PasswordRequest changes the caller's own password; it ends every other
// session, and this one too: log in again.
type PasswordRequest struct {
	CurrentPassword string `json:"current_password" example:"old passphrase 2025" validate:"required"`
	NewPassword     string `json:"new_password" example:"a new long passphrase 2026" validate:"required"`
}
