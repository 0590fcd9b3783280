package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/api"
	"github.com/masthead/masthead/internal/auth"
	"github.com/masthead/masthead/internal/content"
)

// handleListUsers serves GET /api/v1/users.
//
//	@Summary	List users
//	@Description	Every editor account, for admins.
//	@Tags		users
//	@Produce	json
//	@Security	BearerAuth
//	@Success	200	{object}	api.UserList
//	@Failure	401	{object}	api.Error
//	@Failure	403	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/users [get]
func (s *Server) handleListUsers(c echo.Context) error {
	if err := noQuery(c); err != nil {
		return err
	}
	users, err := s.store.FindUsers(c.Request().Context())
	if err != nil {
		return err
	}
	data := make([]api.User, len(users))
	for i := range users {
		data[i] = toAPIUser(&users[i])
	}
	return c.JSON(http.StatusOK, api.UserList{Data: data, Meta: listMeta(len(data))})
}

// handleGetUser serves GET /api/v1/users/:id.
//
//	@Summary	Get a user
//	@Description	One editor account, for admins.
//	@Tags		users
//	@Produce	json
//	@Security	BearerAuth
//	@Param		id	path		string	true	"User id"
//	@Success	200	{object}	api.UserResponse
//	@Failure	401	{object}	api.Error
//	@Failure	403	{object}	api.Error
//	@Failure	404	{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router		/api/v1/users/{id} [get]
func (s *Server) handleGetUser(c echo.Context) error {
	u, err := s.store.FindUser(c.Request().Context(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.UserResponse{Data: toAPIUser(u)})
}

// handleCreateUser serves POST /api/v1/users.
//
//	@Summary		Create a user
//	@Description	Admins only. Passwords need at least 12 characters, not all of one kind.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			user	body		api.UserRequest	true	"The user"
//	@Success		201		{object}	api.UserResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		409		{object}	api.Error	"E-mail taken"
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/users [post]
func (s *Server) handleCreateUser(c echo.Context) error {
	var req api.UserRequest
	if err := decodeJSON(c, &req, "User", false); err != nil {
		return err
	}
	u := userUpdate(&req)
	if err := u.Check(true); err != nil {
		return err
	}
	user := &content.User{Email: *u.Email, Name: *u.Name, Role: *u.Role}
	if u.Disabled != nil {
		user.Disabled = *u.Disabled
	}
	var err error
	if user.PasswordHash, err = auth.HashPassword(*u.Password); err != nil {
		return err
	}
	if err := s.store.CreateUser(c.Request().Context(), user); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, api.UserResponse{Data: toAPIUser(user)})
}

// handleUpdateUser serves PATCH /api/v1/users/:id.
//
//	@Summary		Edit a user
//	@Description	Admins only. A new password or disabled=true ends all of the user's logins at once. Admins cannot demote or disable themselves.
//	@Tags			users
//	@Accept			json
//	@Produce		json
//	@Security		BearerAuth
//	@Param			id		path		string			true	"User id"
//	@Param			user	body		api.UserRequest	true	"Fields to change"
//	@Success		200		{object}	api.UserResponse
//	@Failure		400		{object}	api.Error
//	@Failure		401		{object}	api.Error
//	@Failure		403		{object}	api.Error
//	@Failure		404		{object}	api.Error
//	@Failure		409		{object}	api.Error
//	@Failure		default	{object}	api.Error	"Any other error, in the one error shape"
//	@Router			/api/v1/users/{id} [patch]
func (s *Server) handleUpdateUser(c echo.Context) error {
	var req api.UserRequest
	if err := decodeJSON(c, &req, "User", false); err != nil {
		return err
	}
	u := userUpdate(&req)
	if err := u.Check(false); err != nil {
		return err
	}
	id := pathParam(c, "id")
	if id == auth.FromContext(c).UserID && (u.Role != nil && *u.Role != content.RoleAdmin || u.Disabled != nil && *u.Disabled) {
		return content.Errorf(content.ECONFLICT, "Admins cannot demote or disable themselves; ask another admin.")
	}
	hash := ""
	if u.Password != nil {
		var err error
		if hash, err = auth.HashPassword(*u.Password); err != nil {
			return err
		}
	}
	user, err := s.store.UpdateUser(c.Request().Context(), id, u, hash)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.UserResponse{Data: toAPIUser(user)})
}

func userUpdate(r *api.UserRequest) content.UserUpdate {
	u := content.UserUpdate{Email: r.Email, Name: r.Name, Password: r.Password, Disabled: r.Disabled}
	if r.Role != nil {
		role := content.Role(*r.Role)
		u.Role = &role
	}
	return u
}
