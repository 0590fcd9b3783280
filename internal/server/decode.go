package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/masthead/masthead/internal/content"
)

// maxBodyBytes caps request bodies; the longest article fits with room.
const maxBodyBytes = 1 << 20

// serverOwned are fields a client may see but never set; sending one is
// refused by name so a client learns at once that it was ignored.
var serverOwned = map[string]string{
	"id":              "read-only: set by the server",
	"created_at":      "read-only: set by the server",
	"updated_at":      "read-only: set by the server",
	"modified_at":     "read-only: moves with editorial edits and corrections",
	"corrections":     "read-only: use POST /api/v1/articles/{id}/corrections",
	"published_at":    "read-only: use POST /api/v1/articles/{id}/publish",
	"status":          "read-only: use the publish, unpublish and archive routes",
	"body_html":       "read-only: rendered from body",
	"word_count":      "read-only: counted from body",
	"reading_time":    "read-only: counted from body",
	"direction":       "read-only: derived from language",
	"version":         "read-only: send If-Match instead",
	"created_by":      "read-only: the author of record is the user who created the article",
	"view_count":      "read-only: counted by the server",
	"article_count":   "read-only: counted by the server",
	"password_hash":   "read-only",
	"excerpt_derived": "read-only",
}

// decodeJSON reads a JSON object into dst, a pointer to a request struct.
// It refuses a non-JSON Content-Type (415), a body over 1 MiB (413),
// invalid UTF-8, malformed JSON, unknown and server-owned fields, and
// wrong types (400), naming every bad field at once. With optional set,
// an empty body is fine and leaves dst as it is.
func decodeJSON(c echo.Context, dst any, what string, optional bool) error {
	r := c.Request()
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return content.Errorf(content.ETOOLARGE, "The request body is larger than %d bytes.", maxBodyBytes)
	case err != nil:
		return content.Errorf(content.EINVALID, "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return content.Errorf(content.EINVALID, "The request body is empty; send a JSON object.")
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return content.Errorf(content.EUNSUPPORTEDMEDIA, "Send the body as application/json.")
	}
	if !utf8.Valid(body) {
		return content.Errorf(content.EINVALID, "The request body is not valid UTF-8.")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return content.Errorf(content.EINVALID, "The request body is not a JSON object: %s.", jsonProblem(err))
	}
	var p content.Problems
	known := jsonFields(dst)
	for name := range fields {
		switch {
		case known[name]:
		case serverOwned[name] != "":
			p.Add(name, serverOwned[name])
		default:
			p.Add(name, "unknown field")
		}
	}
	if err := p.Err(what); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return &content.Error{Code: content.EINVALID, Message: what + " is invalid.",
				Fields: map[string]string{te.Field: "must be " + typeName(te.Type)}}
		}
		return content.Errorf(content.EINVALID, "The request body is not valid: %s.", jsonProblem(err))
	}
	return nil
}

// jsonFields returns the JSON names of the struct dst points to,
// with those of embedded structs, as encoding/json writes them.
func jsonFields(dst any) map[string]bool {
	out := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
				walk(f.Type)
			case name != "" && name != "-":
				out[name] = true
			}
		}
	}
	walk(reflect.TypeOf(dst).Elem())
	return out
}

func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Slice:
		return "an array of " + strings.TrimPrefix(typeName(t.Elem()), "a ") + "s"
	case reflect.Struct:
		if t.Name() == "Time" {
			return "an RFC 3339 time"
		}
		return "an object"
	}
	return "of another type"
}

// jsonProblem words a decoding error without Go type names.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return "expected " + typeName(te.Type) + " but found " + te.Value
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
