# The two commands a newcomer needs: `make demo` and `make test`.
# Both install missing Debian packages (scripts/install-deps), then build.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps configure build test test-all demo bench format tidy clean

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Every test except those labelled slow or bench (CI has 90 minutes on 2 cores).
test: build
	@cd $(BUILD) && ctest -LE 'slow|bench' --output-on-failure -j $(JOBS)

# Everything, including slow tests.
test-all: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)

bench: build
	@scripts/bench $(BUILD)

format:
	@clang-format-16 -i $$(git ls-files '*.cpp' '*.hpp')

tidy: build
	@run-clang-tidy-16 -p $(BUILD) -quiet $$(git ls-files 'src/*.cpp' 'app/*.cpp')

clean:
	@rm -rf $(BUILD)
