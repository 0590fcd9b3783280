package content

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Role decides what a user may do: writers draft their own articles,
// editors manage and publish all content, admins also manage users.
type Role string

// The roles, weakest first.
const (
	RoleWriter Role = "writer"
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleWriter, RoleEditor, RoleAdmin}

// AtLeast reports whether r carries all the rights of min.
func (r Role) AtLeast(min Role) bool {
	rank := map[Role]int{RoleWriter: 1, RoleEditor: 2, RoleAdmin: 3}
	return rank[r] >= rank[min]
}

// User is an account on the editors' side.
type User struct {
	ID           string
	Email        string // stored lower-cased
	Name         string
	Role         Role
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// MinPasswordLen and MaxPasswordLen bound passwords, in runes.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
	MaxEmailLen    = 254
)

// UserUpdate carries the editable fields of a user; nil means not sent.
type UserUpdate struct {
	Email    *string
	Name     *string
	Role     *Role
	Password *string
	Disabled *bool
}

// NormalizeEmail lower-cases and trims an address, as users are stored.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckPassword reports why a password is too weak, or "": at least 12
// characters, not all of one kind, not the e-mail address.
func CheckPassword(pw, email string) string {
	if msg := CheckText(pw, MaxPasswordLen, false); msg != "" {
		return msg
	}
	n := len([]rune(pw))
	if n < MinPasswordLen {
		return "must be at least 12 characters"
	}
	var kinds [4]bool
	distinct := map[rune]bool{}
	for _, r := range pw {
		distinct[r] = true
		switch {
		case unicode.IsLower(r):
			kinds[0] = true
		case unicode.IsUpper(r):
			kinds[1] = true
		case unicode.IsDigit(r):
			kinds[2] = true
		default:
			kinds[3] = true
		}
	}
	count := 0
	for _, k := range kinds {
		if k {
			count++
		}
	}
	switch {
	case len(distinct) < 6:
		return "is too repetitive"
	case count < 2 && n < 20:
		return "must mix letters, digits or symbols, or be at least 20 characters"
	case email != "" && strings.Contains(strings.ToLower(pw), strings.Split(email, "@")[0]):
		return "must not contain the e-mail address"
	}
	return ""
}

// Check validates the sent fields, reporting every problem; creating
// makes email, name, role and password required.
func (u *UserUpdate) Check(creating bool) error {
	var p Problems
	if u.Email != nil {
		*u.Email = NormalizeEmail(*u.Email)
		if msg := CheckEmail(*u.Email); msg != "" {
			p.Add("email", msg)
		}
	} else if creating {
		p.Add("email", "required")
	}
	if u.Name != nil {
		if strings.TrimSpace(*u.Name) == "" {
			p.Add("name", "required")
		} else if msg := CheckPlain(*u.Name, MaxNameLen, false); msg != "" {
			p.Add("name", msg)
		}
	} else if creating {
		p.Add("name", "required")
	}
	if u.Role != nil {
		if !slices.Contains(Roles, *u.Role) {
			p.Add("role", "must be one of admin, editor, writer")
		}
	} else if creating {
		p.Add("role", "required")
	}
	if u.Password != nil {
		email := ""
		if u.Email != nil {
			email = *u.Email
		}
		if msg := CheckPassword(*u.Password, email); msg != "" {
			p.Add("password", msg)
		}
	} else if creating {
		p.Add("password", "required")
	}
	return p.Err("User")
}

// Session is one login of a user, as the auth middleware checks it.
type Session struct {
	ID        string
	UserID    string
	Role      Role
	Disabled  bool
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// Active reports whether the session may still be used at now.
func (s *Session) Active(now time.Time) bool {
	return !s.Disabled && s.RevokedAt == nil && now.Before(s.ExpiresAt)
}
