# SystemC/TLM-2.0 wrapper, the lockstep co-simulation API and their tests (issue #5). Included by the
# top-level Makefile after BUILD, CC, CXX, CFLAGS, CXXFLAGS, LIB, CLI, PYTHON and SAN are set.
#   make systemc          build/bookedbg-sc (the SystemC trace runner) and the cosim library
#   make test-systemc     module tests (one process each), parity with bookedbg run, VCD check
#   make test-verilator   SystemVerilog DPI-C testbench against the cosim API (needs verilator)
#   make test-waveforms   docs/waveforms.md and its pictures are what the tour produces now
#   make waveforms        regenerate them;   make bench-systemc   wrapper speed vs the bare model
#   make install-systemc  the module (header, libbookedbg-systemc.a, bookedbg-systemc.pc) and
#                         bookedbg-sc; `make install` runs it when SystemC is (or can be) installed
#   make test-install-systemc   install into a scratch prefix, build a platform with pkg-config alone
# The test-* targets run in `make test`; `make deps` installs libsystemc-dev, verilator and gtkwave.
SC_DIR   := model/systemc
SC_BUILD := $(BUILD)/systemc
SC_BIN   := $(BUILD)/bookedbg-sc
SC_LIB   := $(BUILD)/lib/libbookedbg-systemc.a
# SystemC 2.3.4 (Debian) exports only the C++17 API version: every SystemC unit is -std=c++17
# (in CXXFLAGS). Its headers sit in /usr/include, so their warnings stay out of our -Werror.
SC_CXXFLAGS = $(CXXFLAGS) -I$(SC_DIR) $(shell pkg-config --cflags systemc tlm 2>/dev/null)
SC_LIBS     = $(shell pkg-config --libs systemc tlm 2>/dev/null || echo -lsystemc) -pthread
SC_DEPS_OK  := $(SC_BUILD)/.deps-ok
C_HDRS      := $(CORE_HDRS) $(TRACE_HDRS)

.PHONY: systemc test-systemc test-verilator test-waveforms waveforms bench-systemc \
	deps-systemc install-systemc test-install-systemc
systemc: $(SC_BIN) $(SC_LIB)
deps: deps-systemc
deps-systemc:
	@tools/deps.sh libsystemc-dev pkg-config verilator gtkwave

$(SC_DEPS_OK):
	@tools/deps.sh libsystemc-dev pkg-config
	@mkdir -p $(@D) && touch $@

# ---- the SystemC module and bookedbg-sc -------------------------------------------------------
$(SC_BUILD)/%.o: $(SC_DIR)/%.cpp $(SC_DIR)/bookedbg_sc.h $(C_HDRS) | $(SC_DEPS_OK)
	@mkdir -p $(@D)
	$(CXX) $(SC_CXXFLAGS) -c $< -o $@

# The module's own archive: what a platform links (installed with its header and pc file).
$(SC_LIB): $(SC_BUILD)/bookedbg_sc.o
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

$(SC_BIN): $(SC_BUILD)/tb_run.o $(SC_LIB) $(TRACE_LIB) $(LIB)
	$(CXX) $(SAN) -o $@ $^ $(SC_LIBS)

# Module tests: GoogleTest, one process per test (SystemC 2.3 elaborates once per process).
$(SC_BUILD)/test_module: tests/systemc/test_module.cpp $(SC_LIB) $(LIB) | $(SC_DEPS_OK)
	@tools/deps.sh libgtest-dev
	$(CXX) $(SC_CXXFLAGS) $< $(SC_LIB) $(LIB) -lgtest $(SC_LIBS) $(SAN) -o $@

test-systemc: $(SC_BUILD)/test_module $(SC_BIN) $(CLI)
	@tools/deps.sh gtkwave
	@tests/systemc/run_each.sh $(SC_BUILD)/test_module
	@tests/systemc/parity.sh $(CLI) $(SC_BIN)
	@tests/systemc/bad_input.sh $(SC_BIN)
	@tests/systemc/vcd_check.sh $(SC_BIN) $(SC_BUILD)

# ---- install ---------------------------------------------------------------------------------
install-systemc: $(SC_LIB) $(SC_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/bookedbg
	install -m 644 $(SC_DIR)/bookedbg_sc.h $(DESTDIR)$(PREFIX)/include/bookedbg/
	install -m 644 $(SC_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SC_BIN) $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' $(SC_DIR)/bookedbg-systemc.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/bookedbg-systemc.pc

# Where SystemC is already there, build the module before install's recipe runs: its own
# `make install-systemc` then finds it up to date (no second build racing under make -j).
ifneq ($(shell pkg-config --exists systemc tlm 2>/dev/null && echo yes),)
install: $(SC_LIB) $(SC_BIN)
endif

# The module installs like a package: a platform built with `pkg-config --cflags --libs
# bookedbg-systemc` from a scratch prefix and nothing else (tests/install/sc_platform.cpp) signals
# a debug interrupt. $(SAN): a sanitized library needs its runtime at link time.
SC_INST := $(abspath $(BUILD))/inst-sc
test-install-systemc: all $(SC_LIB) $(SC_BIN)
	rm -rf $(SC_INST)
	$(MAKE) --no-print-directory install PREFIX=$(SC_INST) >/dev/null
	$(CXX) $(SAN) tests/install/sc_platform.cpp \
		$$(PKG_CONFIG_PATH=$(SC_INST)/lib/pkgconfig pkg-config --cflags --libs bookedbg-systemc) \
		-o $(SC_INST)/sc_platform
	SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(SC_INST)/sc_platform

# ---- Verilator: SystemVerilog drives the cosim API over DPI-C --------------------------------
# deps.sh installs verilator when root; otherwise it names the package and the test is skipped.
test-verilator: $(COSIM_LIB) $(LIB)
	@if ! tools/deps.sh verilator; then \
		echo "verilator DPI test: skipped (verilator is not installed; make deps installs it)"; \
	else tests/verilator/run.sh $(BUILD)/verilator "$(CXX)" "$(SAN)" $(abspath $(COSIM_LIB)) \
		$(abspath $(LIB)); fi

# ---- waveform pictures of the tour ---------------------------------------------------------
waveforms: $(SC_BIN)
	$(PYTHON) docs/waveforms/make_waveforms.py $(SC_BIN) docs

test-waveforms: $(SC_BIN)
	$(PYTHON) docs/waveforms/make_waveforms.py $(SC_BIN) docs --check

# ---- speed -------------------------------------------------------------------------------
$(SC_BUILD)/bench_sc: bench/systemc/bench_sc.cpp $(SC_LIB) $(LIB) | $(SC_DEPS_OK)
	$(CXX) $(SC_CXXFLAGS) -O2 $< $(SC_LIB) $(LIB) $(SC_LIBS) $(SAN) -o $@

# Each mode runs in three processes and the median by ratio is printed: on a shared VM one process
# can run 20% slower than the next for its whole life (where its memory lands), which best-of-N
# passes inside one process cannot see.
bench-systemc: $(SC_BUILD)/bench_sc
	@echo "SystemC wrapper speed (64Ki-instruction stream x30 a pass, every comparator armed, best of 15 passes;"
	@echo "ratios against the bare C model, a pass of which runs before each of the mode's passes;"
	@echo "each mode in 3 processes, the median by ratio)"
	@for m in lt lt-qk lt-direct lt-q1 clocked sc-clock sc-clock-signal; do \
		out=$$(for k in 1 2 3; do SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(SC_BUILD)/bench_sc $$m || exit 1; done) \
			|| exit 1; echo "$$out" | sort -k7,7n | sed -n 2p; done

TEST_EXTRA += test-systemc test-install-systemc test-verilator test-waveforms
