# bookedbg: `make` builds build/bookedbg and the model library; `make test` runs every test;
# `make demo` walks the tour; `make check` runs the suites under ASan+UBSan.
PYTHON  ?= python3
CC      ?= gcc
CXX     ?= g++
BUILD   ?= build
PREFIX  ?= /usr/local
OPT     ?= -O2
CFLAGS_BASE := -std=c11 -g $(OPT) -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
CXXFLAGS_BASE := -std=c++17 -g $(OPT) -Wall -Wextra -Werror
SAN     ?=
CFLAGS  := $(CFLAGS_BASE) $(SAN) -I$(BUILD)/gen -Imodel
CXXFLAGS := $(CXXFLAGS_BASE) $(SAN) -I$(BUILD)/gen -Imodel
LDFLAGS := $(SAN)

MODEL_SRC := model/dbg_unit.c model/dbg_match.c model/dbg_options.c model/dbg_names.c \
             model/dbg_rules.c model/trace.c model/run.c model/cover.c \
             model/cosim.c
MODEL_OBJ := $(MODEL_SRC:model/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/dbg_regs.o
LIB       := $(BUILD)/lib/libbookedbg.a
CLI       := $(BUILD)/bookedbg
TEST_EXTRA :=        # suites the included fragments add
.DEFAULT_GOAL := all
-include harness/harness.mk
-include vectors/vectors.mk
-include model/systemc/systemc.mk
HEADERS   := model/dbg_unit.h model/dbg_options.h model/dbg_match.h model/trace.h model/cover.h \
             model/cosim.h $(BUILD)/gen/dbg_regs.h

.PHONY: all deps test check demo install bench clean test-unit test-traces test-regtab test-docs docs test-install test-gate versions FORCE
all: $(CLI) $(LIB)

$(BUILD)/gen/dbg_regs.h $(BUILD)/gen/dbg_regs.c $(BUILD)/gen/dbg_regs.py: model/dbg_regs.tab model/gen_regs.py
	@mkdir -p $(BUILD)/gen
	$(PYTHON) model/gen_regs.py model/dbg_regs.tab --c-header $(BUILD)/gen/dbg_regs.h \
		--c-source $(BUILD)/gen/dbg_regs.c --python $(BUILD)/gen/dbg_regs.py

$(BUILD)/obj/%.o: model/%.c $(HEADERS) model/dbg_rules.h
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/dbg_regs.o: $(BUILD)/gen/dbg_regs.c $(BUILD)/gen/dbg_regs.h
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(MODEL_OBJ)
	@mkdir -p $(BUILD)/lib
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

$(BUILD)/obj/cli_main.o: cli/main.c $(HEADERS)
	@mkdir -p $(BUILD)/obj
	$(CC) $(CFLAGS) -DBOOKEDBG_SRCDIR='"$(CURDIR)"' -c $< -o $@

$(CLI): $(BUILD)/obj/cli_main.o $(LIB) $(BUILD)/san-flags
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/cli_main.o $(LIB)

# The gate compiles harnesses against this build's library: it needs the same sanitizer flags.
$(BUILD)/san-flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(SAN)' | cmp -s - $@ || echo '$(SAN)' > $@
FORCE:

deps:
	@tools/deps.sh g++ libgtest-dev python3

# ---- tests ---------------------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/*.cpp)
$(BUILD)/tests/unit: $(UNIT_SRC) tests/unit/helpers.h $(LIB)
	@tools/deps.sh g++ libgtest-dev
	@mkdir -p $(BUILD)/tests
	$(CXX) $(CXXFLAGS) -Itests/unit $(UNIT_SRC) $(LIB) -lgtest -lgtest_main -pthread $(LDFLAGS) -o $@

test-unit: $(BUILD)/tests/unit
	$(BUILD)/tests/unit --gtest_brief=1

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

docs: $(CLI)
	$(PYTHON) docs/tour/make_tour.py $(CLI) docs/tour.md

# The model installs like any package: install into a scratch prefix, link a testbench via pkg-config.
test-install: all
	@tools/deps.sh pkg-config
	rm -rf $(BUILD)/inst
	$(MAKE) --no-print-directory install PREFIX=$(abspath $(BUILD))/inst >/dev/null
	$(CC) $(SAN) tests/install/testbench.c $$(PKG_CONFIG_PATH=$(BUILD)/inst/lib/pkgconfig pkg-config --cflags --libs bookedbg) \
		-o $(BUILD)/inst/testbench && $(BUILD)/inst/testbench
	cd $(BUILD)/inst && ./bin/bookedbg gate --config hv --budget 40 --patch $(abspath kernel-patch/v3-userspace-debug-stub.mbox) \
		> gate.out; test $$? -eq 1 && grep -q '^verdict: divergent' gate.out

# The gate on the v3 mail and the 6.1 tree, mutants of every checked 6.1 function, bad input.
test-gate: all upstream
	BOOKEDBG=$(abspath $(CLI)) BOOKEDBG_KERNEL=$(abspath $(BUILD))/linux-6.1 \
		$(PYTHON) -m unittest tests.gate.test_gate tests.gate.test_regression

# docs/versions.md: the gate on the v3 mail and every unpacked Debian kernel, from real runs.
versions: all upstream
	$(PYTHON) docs/versions/make_versions.py $(abspath $(CLI)) docs/versions.md

test: all test-unit test-traces test-regtab test-harness test-docs test-install test-gate $(TEST_EXTRA)
	@echo "tests: all suites passed"

check:
	$(MAKE) BUILD=build/san OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

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
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libbookedbg.a
	install -m 644 $(HEADERS) $(DESTDIR)$(PREFIX)/include/bookedbg/
	if [ -x $(BUILD)/bookedbg-sc ]; then install -m 755 $(BUILD)/bookedbg-sc $(DESTDIR)$(PREFIX)/bin/; fi
	sed -e 's|@PREFIX@|$(PREFIX)|' tools/bookedbg.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/bookedbg.pc
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

clean:
	rm -rf $(BUILD)


# ---- bench ---------------------------------------------------------------------------------
$(BUILD)/bench_model: bench/bench_model.c $(LIB)
	$(CC) $(CFLAGS) -O2 $< $(LIB) -o $@

bench: $(BUILD)/bench_model
	$(BUILD)/bench_model
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) bench/bench_gate.py
