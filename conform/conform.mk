# Conformance programs (docs/conformance.md): `bookedbg compile` / `check-log` (libbookedbg-conform,
# linked into the CLI), the runtime the programs are built from (conform/rt/), and
#   make conformance        every directed trace, tour scenario and tests/conformance trace on QEMU,
#                           both cores; writes docs/conformance.md
#   make test-conformance   the generator's unit tests and one end-to-end QEMU run
# Included by the top-level Makefile after model/trace/trace.mk.
CONFORM_DIR  := conform
CONFORM_SRC  := $(addprefix $(CONFORM_DIR)/,plan.c emit.c build.c checklog.c compare.c cmd.c)
CONFORM_OBJ  := $(CONFORM_SRC:$(CONFORM_DIR)/%.c=$(BUILD)/obj/conform/%.o)
CONFORM_HDRS := $(addprefix $(CONFORM_DIR)/,conform.h cmd.h rt/layout.h)
CONFORM_LIB  := $(BUILD)/lib/libbookedbg-conform.a
CONFORM_DEPS := qemu-system-ppc gcc-powerpc-linux-gnu
TEST_EXTRA   += test-conformance

.PHONY: conformance test-conformance

$(BUILD)/obj/conform/%.o: $(CONFORM_DIR)/%.c $(CONFORM_HDRS) $(TRACE_HDRS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(CONFORM_DIR) -DBOOKEDBG_CONFORM_SRCDIR='"$(CURDIR)"' -c $< -o $@

$(CONFORM_LIB): $(CONFORM_OBJ)
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

conformance: $(CLI)
	@tools/deps.sh $(CONFORM_DEPS)
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) vectors/conformance.py --out $(BUILD)/conformance \
		--report docs/conformance.md tests/traces/indep/*.trace docs/tour/*.trace tests/conformance/*.trace

test-conformance: $(CLI)
	@tools/deps.sh $(CONFORM_DEPS)
	BOOKEDBG=$(abspath $(CLI)) BUILD=$(BUILD) $(PYTHON) -m unittest tests.conformance.test_conformance -q
