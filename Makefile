# Two commands for a newcomer: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
RUN_FILE ?= output/runs/baseline.h5

.PHONY: run test build bootstrap configure clean

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

clean:
	rm -rf $(BUILD_DIR)
