# Two commands for a newcomer: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
RUN_FILE ?= output/runs/baseline.h5

.PHONY: run test build bootstrap configure clean test-sanitize test-tsan fuzz

bootstrap:
	@bash tools/bootstrap

configure: bootstrap
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release; fi

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p $(dir $(RUN_FILE))
	@$(BUILD_DIR)/airace run configs/baseline.yaml -o $(RUN_FILE) --force
	@echo "run file: $(RUN_FILE)  (inspect it with: $(BUILD_DIR)/airace inspect $(RUN_FILE))"
	@$(BUILD_DIR)/airace report $(RUN_FILE) -o $(RUN_FILE:.h5=.html) --force > /dev/null
	@echo "report: $(RUN_FILE:.h5=.html)  (open it in a browser)"

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in
# build-asan/ (tools/sanitizers/run-tests; docs/reliability.md).
test-sanitize: bootstrap
	@JOBS=$(JOBS) bash tools/sanitizers/run-tests build-asan

# ThreadSanitizer over the parallel code (determinism at 1/2/8 threads, the
# in-process sweep, the chunk queue) in build-tsan/ (tools/sanitizers/run-tsan).
test-tsan: bootstrap
	@JOBS=$(JOBS) bash tools/sanitizers/run-tsan build-tsan

# Each libFuzzer target for FUZZ_SECONDS (default 60) in build-fuzz/ (clang);
# seeds come from configs/ and the normal build's airace (tools/fuzz/run).
FUZZ_SECONDS ?= 60
fuzz: build
	@JOBS=$(JOBS) FUZZ_SECONDS=$(FUZZ_SECONDS) AIRACE=$(BUILD_DIR)/airace bash tools/fuzz/run

clean:
	rm -rf $(BUILD_DIR)
