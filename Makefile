# Qalam. `make run` opens the app on the sample project; `make test` runs
# every check CI runs. Both install missing system packages first.

# FTS5 full-text search in SQLite needs this build tag.
export GOFLAGS := -tags=sqlite_fts5
GOBIN := $(shell sh scripts/deps.sh $(DEPS_EXTRA))
export PATH := $(GOBIN):$(PATH)
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/qalam-annotate/qalam/cli.Version=$(VERSION)

.PHONY: run build test vet bench clean

run: build
	./bin/qalam

build:
	go build -ldflags '$(LDFLAGS)' -o bin/qalam ./cmd/qalam

test:
	go vet ./...
	go test -race ./...
	go build -ldflags '$(LDFLAGS)' -o bin/qalam ./cmd/qalam

bench:
	go test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
