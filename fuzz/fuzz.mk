# libFuzzer harnesses: the public core and cosim API (fuzz_api) and the trace layer (fuzz_trace).
# They compile the model sources themselves with clang and libFuzzer+ASan+UBSan, not the gcc-built
# archives. Included by the top-level Makefile after the layers' fragments.
#   make fuzz         each harness for FUZZ_SECONDS (default 60 s)
#   make fuzz-check   each for FUZZ_CHECK_SECONDS (default 10 s); `make check` runs it last
# A crash, a sanitizer report, a failed check of a harness or a hang (FUZZ_TIMEOUT s on one input)
# fails the target and leaves the input in build/fuzz/ (NAME-crash-*, NAME-timeout-*, ...); replay
# it with build/fuzz/fuzz_NAME FILE. New inputs collect in build/fuzz/corpus-NAME; the seeds in
# fuzz/corpus/NAME are only read.
FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 10
FUZZ_TIMEOUT       ?= 10
FUZZ_OUT    := $(BUILD)/fuzz
FUZZ_SAN    := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(C_STD) -g -O1 $(C_WARN) $(C_DEFS) $(FUZZ_SAN) -I$(BUILD)/gen -Imodel -Imodel/trace \
               -Imodel/cosim -Ifuzz
FUZZ_MODEL  := $(CORE_SRC) $(BUILD)/gen/dbg_regs.c
FUZZ_HDRS   := $(wildcard fuzz/*.h) $(CORE_HDRS) $(CORE_PRIV) $(TRACE_HDRS) $(TRACE_PRIV) $(COSIM_HDRS)
FUZZ_DICT_trace := -dict=fuzz/trace.dict

.PHONY: fuzz fuzz-check fuzz-deps fuzz-api fuzz-trace
fuzz: fuzz-api fuzz-trace
fuzz-check:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)

fuzz-deps:
	@tools/deps.sh clang libclang-rt-14-dev

$(FUZZ_OUT)/fuzz_api: fuzz/fuzz_api.c fuzz/fuzz_cosim.c $(COSIM_DIR)/cosim.c $(FUZZ_MODEL)
$(FUZZ_OUT)/fuzz_trace: fuzz/fuzz_trace.c $(TRACE_SRC) $(TRACE_GEN) $(FUZZ_MODEL)
$(FUZZ_OUT)/fuzz_api $(FUZZ_OUT)/fuzz_trace: $(FUZZ_HDRS) | fuzz-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

# Keep the log; on failure show what failed and the input's name, else one summary line.
fuzz-api fuzz-trace: fuzz-%: $(FUZZ_OUT)/fuzz_%
	@mkdir -p $(FUZZ_OUT)/corpus-$*
	@echo "fuzz $*: $(FUZZ_SECONDS) s (log: $(FUZZ_OUT)/$*.log)"
	@$(FUZZ_OUT)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_OUT)/$*- $(FUZZ_DICT_$*) $(FUZZ_OUT)/corpus-$* fuzz/corpus/$* \
		> $(FUZZ_OUT)/$*.log 2>&1 || { grep -m 3 -E 'check failed|runtime error|ERROR: |unit written' \
		$(FUZZ_OUT)/$*.log; \
		echo "fuzz $*: FAILED; the input is in $(FUZZ_OUT)/ ($*-crash-*, $*-timeout-*, ...)"; exit 1; }
	@sed -n 's/^stat::number_of_executed_units: */fuzz $*: ok, executions: /p' $(FUZZ_OUT)/$*.log
