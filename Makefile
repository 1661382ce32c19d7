# Qalam. `make run` opens the app on the sample project; `make test` runs
# every check CI runs; `make dist` builds the packages into dist/ and
# `make dist-check` installs and tries them. The targets that build install
# missing system packages first (scripts/deps.sh); `make clean` does not.

# Build tags: sqlite_fts5 for FTS5 full-text search in SQLite; no_emoji
# leaves out Fyne's colour emoji font (4 MB, parsed again for each text
# style: 19 MB of the app's resident memory). Emoji in the interface are
# drawn from the system's fonts instead, when it has one that holds them;
# the article view and document names draw in the bundled Amiri only.
# scripts/dist.sh builds the packages with the same tags.
TAGS := sqlite_fts5,no_emoji
export GOFLAGS := -tags=$(TAGS)

# The system packages each kind of target needs beyond a C compiler and the
# X11/OpenGL headers, which every building target needs.
DIST_DEPS := gcc-mingw-w64-x86-64 dpkg-dev xz-utils zip
CHECK_DEPS := desktop-file-utils appstream xvfb xdotool imagemagick wine64 unzip
ifneq ($(filter dist dist-check,$(MAKECMDGOALS)),)
DEPS_EXTRA += $(DIST_DEPS)
endif
ifneq ($(filter dist-check,$(MAKECMDGOALS)),)
DEPS_EXTRA += $(CHECK_DEPS)
endif

# Only the targets that build run scripts/deps.sh, which prints the folder
# of a Go toolchain new enough for go.mod (installing one when missing).
BUILDING := run build test bench dist dist-check
ifneq ($(filter $(BUILDING),$(or $(MAKECMDGOALS),run)),)
GO_DIR := $(shell sh scripts/deps.sh $(DEPS_EXTRA))
export PATH := $(GO_DIR):$(PATH)
VERSION := $(shell sh scripts/version.sh)
endif
LDFLAGS := -X github.com/qalam-annotate/qalam/internal/buildinfo.Version=$(VERSION)

.PHONY: run build test bench dist dist-check clean

run: build
	./bin/qalam

build:
	go build -ldflags '$(LDFLAGS)' -o bin/qalam ./cmd/qalam

# staticcheck is pinned here (go run fetches that version once); the
# app's tests run a second time without cgo, on the store in memory.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

test:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) ./...
	go test -race ./...
	CGO_ENABLED=0 go test ./app
	go build -ldflags '$(LDFLAGS)' -o bin/qalam ./cmd/qalam

bench:
	go test -run '^$$' -bench . -benchmem ./...

dist:
	sh scripts/dist.sh

dist-check: dist
	sh scripts/dist-check.sh

clean:
	rm -rf bin dist
