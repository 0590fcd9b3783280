package server_test

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/masthead/masthead/docs"
	"github.com/masthead/masthead/internal/content"
	"github.com/masthead/masthead/internal/store"
	"github.com/masthead/masthead/internal/testdb"
)

// TestBadInputSweep sends every operation of the published document the
// malformed input an attacker's sweep sends: bad path values, bad query
// strings, bad bodies and content types, forged and broken tokens, with
// and without a real token. Every answer must be below 500 and, when an
// error, in the error shape (do checks both on every request, and the
// answer against the document). It logs how many requests it made.
func TestBadInputSweep(t *testing.T) {
	t.Parallel()
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPIJSON)
	if err != nil {
		t.Fatal(err)
	}
	type op struct{ method, path string }
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, op{method, path})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	param := regexp.MustCompile(`\{[^}]+\}`)
	header, payload := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)), base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","role":"admin"}`))
	forged := []string{header + "." + payload + ".", "eyJ.x.y", strings.Repeat("a", 5000), "Bearer", "\u202E"}
	pathValues := []string{"%00", "a%ffb", "..%2F..%2Fetc%2Fpasswd", strings.Repeat("x", 3000), "%E2%80%AE", "01JD6Q7R2ZK3WJ5M8N9P0Q1R2W", "-1", "%27%3B--"}
	queries := []string{"limit=-1", "limit=99999999999999999999", "page=0", "cursor=!!!", "since=yesterday", "lang=%00", "q=" + strings.Repeat("ق", 300),
		"window=1y", "include=everything", "fields=password_hash", "status=deleted", "x=1", "%%%", "category=" + strings.Repeat("a", 3000)}
	bodies := []struct{ body, ctype string }{
		{`{`, "application/json"}, {`[]`, "application/json"}, {`null`, "application/json"}, {`"x"`, "application/json"},
		{`{"title":{"$ne":null}}`, "application/json"}, {`{"a":1,"a":2}`, "application/json"}, {strings.Repeat(`{"a":`, 10000), "application/json"},
		{`{"title":"x"}`, "text/plain"}, {`title=x`, "application/x-www-form-urlencoded"}, {"\xff\xfe\x00", "application/json"},
		{`{"email":"x\r\nBcc: y@example.com","name":"\u0000"}`, "application/json"}, {strings.Repeat("a", 3<<20), "application/json"},
	}
	testdb.Run(t, func(t *testing.T, engine store.Engine) {
		e := newEnv(t, engine)
		editor := e.newsroom()
		admin, _ := e.user(content.RoleAdmin, "admin@example.com")
		requests, failed := 0, 0
		send := func(r req) {
			// do fails the test on a 500 or an error without the shape;
			// here a 503 or 507 would be a failure too.
			if res := e.do(r); res.Status >= 500 {
				failed++
				t.Errorf("%s %.100s: %d", r.method, r.path, res.Status)
			}
			requests++
		}
		for _, o := range ops {
			fill := func(v string) string { return param.ReplaceAllString(o.path, v) }
			for _, v := range pathValues {
				send(req{method: o.method, path: fill(v), token: admin})
				send(req{method: o.method, path: fill(v)})
			}
			for _, q := range queries {
				send(req{method: o.method, path: fill("news") + "?" + q, token: editor})
				send(req{method: o.method, path: fill("news") + "?" + q})
			}
			for _, tok := range forged {
				send(req{method: o.method, path: fill("news"), header: map[string]string{"Authorization": "Bearer " + tok}})
			}
			send(req{method: o.method, path: fill("news"), header: map[string]string{"Authorization": "Basic YWRtaW46YWRtaW4="}})
			if o.method == http.MethodGet {
				continue
			}
			for _, b := range bodies {
				send(req{method: o.method, path: fill("news"), token: admin, body: b.body, contentType: b.ctype})
				send(req{method: o.method, path: fill("news"), body: b.body, contentType: b.ctype})
			}
		}
		t.Logf("%s: %d malformed requests over %d operations, %d answered 5xx", engine, requests, len(ops), failed)
	})
}
