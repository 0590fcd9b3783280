# Masthead: the two commands are `make run` and `make test`.
SWAG_VERSION := v1.16.6
SWAG := $(shell go env GOPATH)/bin/swag

.PHONY: run test docs docs-check swag build bench

run:
	go run ./cmd/masthead serve --demo

test:
	go test ./...

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o masthead ./cmd/masthead

$(SWAG):
	go install github.com/swaggo/swag/cmd/swag@$(SWAG_VERSION)

swag: $(SWAG)

# docs regenerates docs/ from the swag annotations and api/ types, then
# converts swag's Swagger 2.0 to the OpenAPI 3 document the server serves.
docs: $(SWAG)
	$(SWAG) init --quiet -g routes.go -d internal/server,api -o docs --outputTypes go,json,yaml --parseInternal
	go run ./cmd/openapigen -dir docs

# docs-check fails when the committed docs/ differ from freshly generated ones.
docs-check: $(SWAG)
	rm -rf .docs-check && mkdir .docs-check
	$(SWAG) init --quiet -g routes.go -d internal/server,api -o .docs-check --outputTypes go,json,yaml --parseInternal
	go run ./cmd/openapigen -dir .docs-check
	for f in docs.go swagger.json swagger.yaml openapi.json openapi.yaml; do \
		diff -u docs/$$f .docs-check/$$f || { echo "docs/ is stale: run make docs and commit"; rm -rf .docs-check; exit 1; }; \
	done
	rm -rf .docs-check
	@echo "docs/ is up to date"

bench:
	go test -run '^$$' -bench . -benchmem ./internal/server/
