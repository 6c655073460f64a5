# PSACaster — the two commands README names:
#   make demo    install what is needed and run the main job on the embedded default
#   make check   install what is needed and pass all tests (what .ci/run calls)
SWIFT ?= swift
.PHONY: setup build release test check demo fuzz bench vm-test clean

setup:
	scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

test: build
	scripts/check.sh unit

check: setup
	scripts/check.sh all

demo: setup
	scripts/demo.sh

fuzz: setup
	scripts/check.sh fuzz

clean:
	rm -rf .build Fuzz/build vm/work
