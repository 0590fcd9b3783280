# Masthead: the two commands are `make run` and `make test`.
SHELL := /bin/bash
SWAG_VERSION := v1.16.6
# swag is installed into GOPATH/bin whatever GOBIN says, so the path
# below holds with or without GOBIN set.
SWAG_BIN := $(shell go env GOPATH)/bin
SWAG := $(SWAG_BIN)/swag
# versitygw, the Versity S3 gateway, is the S3-compatible server the media
# storage tests start on loopback.
VERSITYGW_VERSION := v1.8.0
VERSITYGW := $(SWAG_BIN)/versitygw

.PHONY: run test fuzz docs docs-check swag build bench

run:
	go run ./cmd/masthead serve --demo

# -race, and -count=1 so a cached result never stands in for a run
# against PostgreSQL. The S3 storage tests must run, not skip.
test: $(VERSITYGW)
	MASTHEAD_TEST_REQUIRE_S3=1 go test -race -count=1 ./...

# fuzz runs every fuzz target for FUZZTIME each (see .ci/fuzz); go test
# runs the kept corpus in testdata/fuzz as tests anyway.
FUZZTIME ?= 20s
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz

build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o masthead ./cmd/masthead

$(SWAG):
	GOBIN=$(SWAG_BIN) go install github.com/swaggo/swag/cmd/swag@$(SWAG_VERSION)

swag: $(SWAG)

$(VERSITYGW):
	GOBIN=$(SWAG_BIN) go install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

# docs regenerates docs/ from the swag annotations and api/ types, then
# converts swag's Swagger 2.0 to the OpenAPI 3 document the server serves.
docs: $(SWAG)
	$(SWAG) init --quiet -g routes.go -d internal/server,api -o docs --outputTypes json,yaml --parseInternal
	go run ./cmd/openapigen -dir docs

# docs-check fails when the committed docs/ differ from freshly generated ones.
docs-check: $(SWAG)
	@tmp=$$(mktemp -d) && \
	$(SWAG) init --quiet -g routes.go -d internal/server,api -o $$tmp/docs --outputTypes json,yaml --parseInternal && \
	go run ./cmd/openapigen -dir $$tmp/docs && \
	if diff -ru -x examples docs $$tmp/docs; then echo "docs/ is up to date"; rm -rf $$tmp; \
	else echo "docs/ is stale: run make docs and commit"; rm -rf $$tmp; exit 1; fi

bench:
	go test -run '^$$' -bench . -benchmem ./internal/server/
