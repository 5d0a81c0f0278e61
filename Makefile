# bookedbg: `make` builds build/bookedbg and the model library; `make test` runs every test;
# `make demo` walks the tour; `make check` runs the suites under ASan+UBSan and a short fuzzing run.
PYTHON  ?= python3
CC      ?= gcc
CXX     ?= g++
BUILD   ?= build
PREFIX  ?= /usr/local
OPT     ?= -O2
SAN     ?=
include mk/flags.mk
CFLAGS_BASE   := $(C_STD) -g $(OPT) $(C_WARN) $(C_DEFS)
CXXFLAGS_BASE := $(CXX_STD) -g $(OPT) $(C_WARN)
# Our own code sees every layer's headers; an installed prefix has them in one include/bookedbg.
INCLUDES := -I$(BUILD)/gen -Imodel -Imodel/trace -Imodel/cosim
CFLAGS   := $(CFLAGS_BASE) $(SAN) $(INCLUDES)
CXXFLAGS := $(CXXFLAGS_BASE) $(SAN) $(INCLUDES)
LDFLAGS  := $(SAN)
CLI      := $(BUILD)/bookedbg
TEST_EXTRA :=        # suites the included fragments add
.DEFAULT_GOAL := all
# The layers, bottom up: core, trace, cosim, SystemC; then the gate's input stage and the vectors.
include model/model.mk
include model/trace/trace.mk
include model/cosim/cosim.mk
include conform/conform.mk
HEADERS  := $(CORE_HDRS) $(TRACE_HDRS) $(COSIM_HDRS)
LIBS     := $(TRACE_LIB) $(COSIM_LIB) $(LIB)
-include model/systemc/systemc.mk
include tests/explorer/explorer.mk
-include harness/harness.mk
-include vectors/vectors.mk
include fuzz/fuzz.mk

.PHONY: all deps test check demo install bench clean test-unit test-api test-parallel test-traces test-regtab test-docs docs tour test-install test-gate versions FORCE
all: $(CLI) $(LIBS)

$(BUILD)/obj/cli_main.o: cli/main.c $(HEADERS) $(CONFORM_DIR)/cmd.h
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -I$(CONFORM_DIR) -DBOOKEDBG_SRCDIR='"$(CURDIR)"' -c $< -o $@

$(CLI): $(BUILD)/obj/cli_main.o $(CONFORM_LIB) $(TRACE_LIB) $(LIB) $(BUILD)/san-flags
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/cli_main.o $(CONFORM_LIB) $(TRACE_LIB) $(LIB)

# The gate compiles harnesses against this build's library: it needs the same sanitizer flags.
$(BUILD)/san-flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SAN)' | cmp -s - $@ || echo '$(SAN)' > $@
FORCE:

deps:
	@tools/deps.sh g++ libgtest-dev python3

# ---- tests ---------------------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/*.cpp)
$(BUILD)/tests/unit: $(UNIT_SRC) tests/unit/helpers.h $(TRACE_LIB) $(LIB)
	@tools/deps.sh g++ libgtest-dev
	@mkdir -p $(BUILD)/tests
	$(CXX) $(CXXFLAGS) -Itests/unit $(UNIT_SRC) $(TRACE_LIB) $(LIB) -lgtest -lgtest_main -pthread $(LDFLAGS) -o $@

test-unit: $(BUILD)/tests/unit
	$(BUILD)/tests/unit --gtest_brief=1

# Every public entry point with out-of-range arguments (clean under `make check`'s sanitizers).
$(BUILD)/tests/bad_args: tests/api/test_bad_args.c $(COSIM_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(COSIM_LIB) $(LIB) $(LDFLAGS) -o $@

test-api: $(BUILD)/tests/bad_args
	$(BUILD)/tests/bad_args

# A fresh copy builds with make -j4 (every multi-output rule grouped).
test-parallel:
	tests/make/parallel_build.sh 4

test-traces: $(CLI)
	tests/run_traces.sh $(CLI)

test-regtab:
	$(PYTHON) -m unittest discover -s tests/regtab -t . -q
	@if [ -d $(BUILD)/linux-6.1 ] || [ -f /usr/src/linux-source-6.1.tar.xz ]; then \
		$(MAKE) --no-print-directory upstream >/dev/null && \
		$(PYTHON) harness/extract.py --kernel $(BUILD)/linux-6.1 --out $(BUILD)/regtab-61 >/dev/null && \
		$(PYTHON) model/gen_regs.py model/dbg_regs.tab --check-kernel $(BUILD)/regtab-61/manifest.json; \
	else echo "register table: reg_booke.h cross-check skipped (no linux-source-6.1; make upstream)"; fi

test-docs: $(CLI)
	$(PYTHON) docs/tour/make_tour.py $(CLI) --check
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) -m unittest tests.docs.test_citations

docs: tour
# docs/tour.md and the explorer page of each scenario (docs/tour/NN-name.html)
tour: $(CLI)
	$(PYTHON) docs/tour/make_tour.py $(CLI) docs/tour.md

# The model installs like any package: install into a scratch prefix, link a testbench via pkg-config.
test-install: all
	@tools/deps.sh pkg-config
	rm -rf $(BUILD)/inst
	$(MAKE) --no-print-directory install PREFIX=$(abspath $(BUILD))/inst >/dev/null
	$(CC) $(SAN) tests/install/testbench.c $$(PKG_CONFIG_PATH=$(BUILD)/inst/lib/pkgconfig pkg-config --cflags --libs bookedbg) \
		-o $(BUILD)/inst/testbench && $(BUILD)/inst/testbench
	# the same testbench calling the library's dbg_exec symbol instead of the inline fast path
	$(CC) $(SAN) -DBOOKEDBG_NO_INLINE_EXEC tests/install/testbench.c $$(PKG_CONFIG_PATH=$(BUILD)/inst/lib/pkgconfig \
		pkg-config --cflags --libs bookedbg) -o $(BUILD)/inst/testbench-symbol && $(BUILD)/inst/testbench-symbol
	$(CC) $(SAN) tests/install/layers.c $$(PKG_CONFIG_PATH=$(BUILD)/inst/lib/pkgconfig pkg-config --cflags --libs bookedbg-trace bookedbg-cosim) \
		-o $(BUILD)/inst/layers && $(BUILD)/inst/layers
	cd $(BUILD)/inst && ./bin/bookedbg gate --config hv --budget 40 --patch $(abspath kernel-patch/v3-userspace-debug-stub.mbox) \
		> gate.out; test $$? -eq 1 && grep -q '^verdict: divergent' gate.out

# The gate on the v3 mail and the 6.1 tree, mutants of every checked 6.1 function, bad input.
test-gate: all upstream
	BOOKEDBG=$(abspath $(CLI)) BOOKEDBG_KERNEL=$(abspath $(BUILD))/linux-6.1 \
		$(PYTHON) -m unittest tests.gate.test_gate tests.gate.test_regression

# docs/versions.md: the gate on the v3 mail and every unpacked Debian kernel, from real runs.
versions: all upstream
	$(PYTHON) docs/versions/make_versions.py $(abspath $(CLI)) docs/versions.md

test: all test-unit test-api test-parallel test-traces test-regtab test-harness test-docs test-install test-gate $(TEST_EXTRA)
	@echo "tests: all suites passed"

# The suites under ASan+UBSan, then a short run of each fuzzer (fuzz/fuzz.mk).
check:
	$(MAKE) BUILD=build/san OPT=-O1 SAN="$(SAN_CHECK)" test
	$(MAKE) --no-print-directory fuzz-check

demo: all
	@echo '$$ bookedbg run --explain docs/tour/07-delayed-event.trace'
	@$(CLI) run --explain docs/tour/07-delayed-event.trace
	@echo
	@echo '$$ bookedbg gate --patch kernel-patch/v3-userspace-debug-stub.mbox'
	@$(CLI) gate --patch kernel-patch/v3-userspace-debug-stub.mbox || test $$? -eq 1

# ---- install -------------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/bookedbg \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/bookedbg
	install -m 644 $(LIBS) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(HEADERS) $(DESTDIR)$(PREFIX)/include/bookedbg/
	for pc in model/bookedbg.pc.in model/trace/bookedbg-trace.pc.in model/cosim/bookedbg-cosim.pc.in; do \
		sed -e 's|@PREFIX@|$(PREFIX)|' $$pc > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$(basename $$pc .in) || exit 1; done
	# the SystemC module and bookedbg-sc (model/systemc/systemc.mk), where SystemC is or can be installed
	if tools/deps.sh libsystemc-dev pkg-config; then $(MAKE) --no-print-directory install-systemc; \
	else echo "install: the SystemC module skipped (needs libsystemc-dev)"; fi
	# the gate and the vector tools, run by `bookedbg gate/cover/replay`
	install -d $(DESTDIR)$(PREFIX)/share/bookedbg/harness/shim $(DESTDIR)$(PREFIX)/share/bookedbg/vectors \
		$(DESTDIR)$(PREFIX)/share/bookedbg/gen
	install -d $(DESTDIR)$(PREFIX)/share/bookedbg/harness/gatelib
	install -m 644 harness/*.py harness/*.c harness/*.h $(DESTDIR)$(PREFIX)/share/bookedbg/harness/
	install -m 644 harness/gatelib/*.py $(DESTDIR)$(PREFIX)/share/bookedbg/harness/gatelib/
	install -m 644 harness/shim/* $(DESTDIR)$(PREFIX)/share/bookedbg/harness/shim/
	install -m 644 vectors/*.py vectors/FORMAT.md $(DESTDIR)$(PREFIX)/share/bookedbg/vectors/
	install -m 644 $(BUILD)/gen/dbg_regs.py $(BUILD)/gen/dbg_regs.h $(BUILD)/san-flags \
		$(DESTDIR)$(PREFIX)/share/bookedbg/gen/
	install -d $(DESTDIR)$(PREFIX)/share/bookedbg/mk && install -m 644 mk/flags.mk $(DESTDIR)$(PREFIX)/share/bookedbg/mk/
	# the conformance programs' runtime, read by `bookedbg compile`
	install -d $(DESTDIR)$(PREFIX)/share/bookedbg/conform/rt
	install -m 644 conform/rt/* $(DESTDIR)$(PREFIX)/share/bookedbg/conform/rt/

clean:
	rm -rf $(BUILD)


# ---- bench ---------------------------------------------------------------------------------
$(BUILD)/bench_model: bench/bench_model.c bench/plain_step.c bench/plain_step.h $(TRACE_LIB) $(LIB)
	$(CC) $(CFLAGS) -O2 bench/bench_model.c bench/plain_step.c $(TRACE_LIB) $(LIB) -o $@

bench: $(BUILD)/bench_model
	$(BUILD)/bench_model
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) bench/bench_gate.py
