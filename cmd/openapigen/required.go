package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A response field is always present exactly when its Go field has no
// omitempty: encoding/json writes it whatever its value. So the required
// list of every response schema is read from the api package's source,
// not kept by hand in validate tags, and cannot drift from what the
// server sends. A pointer written without omitempty may be null, and
// says so.

// goField is one JSON field of a struct in package api.
type goField struct {
	name      string
	omitempty bool
	pointer   bool
	time      bool // a time.Time, written in RFC 3339
}

// apiStructs parses the api package in dir: each struct's JSON fields,
// embedded structs flattened as encoding/json does.
func apiStructs(dir string) (map[string][]goField, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	specs := map[string]*ast.StructType{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					specs[ts.Name.Name] = st
				}
			}
			return true
		})
	}
	out := map[string][]goField{}
	var fields func(name string) []goField
	fields = func(name string) []goField {
		if fs, ok := out[name]; ok {
			return fs
		}
		var fs []goField
		for _, f := range specs[name].Fields.List {
			tag := ""
			if f.Tag != nil {
				s, _ := strconv.Unquote(f.Tag.Value)
				tag = reflect.StructTag(s).Get("json")
			}
			jsonName, opts, _ := strings.Cut(tag, ",")
			if len(f.Names) == 0 && jsonName == "" { // embedded: inlined
				if id, ok := f.Type.(*ast.Ident); ok && specs[id.Name] != nil {
					fs = append(fs, fields(id.Name)...)
				}
				continue
			}
			if jsonName == "-" || len(f.Names) == 0 || !f.Names[0].IsExported() {
				continue
			}
			if jsonName == "" {
				jsonName = f.Names[0].Name
			}
			typ := f.Type
			star, ptr := typ.(*ast.StarExpr)
			if ptr {
				typ = star.X
			}
			sel, _ := typ.(*ast.SelectorExpr)
			isTime := sel != nil && sel.Sel.Name == "Time" && fmt.Sprint(sel.X) == "time"
			fs = append(fs, goField{name: jsonName, omitempty: strings.Contains(","+opts+",", ",omitempty,"), pointer: ptr, time: isTime})
		}
		out[name] = fs
		return fs
	}
	for name := range specs {
		fields(name)
	}
	return out, nil
}

// markRequired sets the required list of every schema a response uses
// from the Go source in apiDir, and marks nullable the pointers without
// omitempty. Request schemas keep what their validate tags say: there
// required means "the client must send it", a different fact. A schema
// used by both sides must say the same on both, or the generator fails.
func markRequired(doc *openapi3.T, apiDir string) error {
	structs, err := apiStructs(apiDir)
	if err != nil {
		return fmt.Errorf("read %s: %w", apiDir, err)
	}
	responses, requests := map[string]bool{}, map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					for _, mt := range resp.Value.Content {
						reach(doc, mt.Schema, responses)
					}
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					reach(doc, mt.Schema, requests)
				}
			}
		}
	}
	// Times are RFC 3339, on both sides.
	for name, ref := range doc.Components.Schemas {
		for _, f := range structs[strings.TrimPrefix(name, "api.")] {
			if p := ref.Value.Properties[f.name]; f.time && p != nil && p.Value != nil {
				p.Value.Format = "date-time"
			}
		}
	}
	for name := range responses {
		fs, ok := structs[strings.TrimPrefix(name, "api.")]
		if !ok {
			return fmt.Errorf("response schema %s is not a struct of package api", name)
		}
		s := doc.Components.Schemas[name].Value
		var required []string
		for _, f := range fs {
			if !f.omitempty {
				required = append(required, f.name)
				if f.pointer && s.Properties[f.name] != nil && s.Properties[f.name].Value != nil {
					s.Properties[f.name].Value.Nullable = true
				}
			}
		}
		sort.Strings(required)
		if requests[name] && strings.Join(required, ",") != strings.Join(sorted(s.Required), ",") {
			return fmt.Errorf("schema %s is both sent and received, and what a client must send (%v) is not what is always answered (%v): give each side its own type", name, s.Required, required)
		}
		s.Required = required
	}
	return nil
}

// reach adds every component schema ref leads to, through properties,
// items and compositions.
func reach(doc *openapi3.T, ref *openapi3.SchemaRef, seen map[string]bool) {
	if ref == nil {
		return
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		if seen[name] {
			return
		}
		seen[name] = true
	}
	s := ref.Value
	if s == nil {
		return
	}
	for _, p := range s.Properties {
		reach(doc, p, seen)
	}
	reach(doc, s.Items, seen)
	if s.AdditionalProperties.Schema != nil {
		reach(doc, s.AdditionalProperties.Schema, seen)
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, r := range list {
			reach(doc, r, seen)
		}
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
