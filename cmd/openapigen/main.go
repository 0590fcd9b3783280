// Command openapigen converts swag's Swagger 2.0 output in docs/ to the
// OpenAPI 3 document Masthead publishes (docs/openapi.json and .yaml).
// make docs runs it after swag init; CI runs both and fails on a diff.
//
//	go run ./cmd/openapigen [-dir docs]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func main() {
	dir := flag.String("dir", "docs", "folder holding swagger.json; the output goes there too")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "openapigen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "swagger.json"))
	if err != nil {
		return err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		return fmt.Errorf("parse swagger.json: %w", err)
	}
	v3, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return fmt.Errorf("convert: %w", err)
	}
	v3.Servers = openapi3.Servers{{URL: "/", Description: "This server"}}
	if err := v3.Validate(openapi3.NewLoader().Context); err != nil {
		return fmt.Errorf("the converted document is not valid OpenAPI 3: %w", err)
	}
	js, err := json.MarshalIndent(v3, "", "  ")
	if err != nil {
		return err
	}
	// YAML from the JSON form, so both files say exactly the same.
	var generic any
	if err := yaml.Unmarshal(js, &generic); err != nil {
		return err
	}
	ym, err := yaml.Marshal(generic)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "openapi.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "openapi.yaml"), ym, 0o644)
}
