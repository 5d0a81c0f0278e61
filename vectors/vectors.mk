# Vector tools (vectors/, tests/vectors/, bench/vectors/): included by the top-level Makefile.
# make test-vectors | coverage | prove | campaign [SEEDS="1 2" COUNT=1000 JOBS=2 SHARDS=4] | bench-vectors
# the flags of mk/flags.mk, optimized: prove explores many states
VEC_CFLAGS := $(C_STD) -O2 $(C_WARN) $(C_DEFS) $(SAN) -Imodel -I$(BUILD)/gen
SEEDS  ?= 1 2
COUNT  ?= 1000
SHARDS ?= 4
JOBS   ?= 2
CAMPAIGN_DIR ?= $(BUILD)/campaign
TEST_EXTRA += test-vectors

.PHONY: test-vectors coverage prove campaign bench-vectors

$(BUILD)/vectors/prove: vectors/c/prove.c $(LIB) $(HEADERS)
	@mkdir -p $(BUILD)/vectors
	$(CC) $(VEC_CFLAGS) $< $(LIB) $(SAN) -o $@

prove: $(BUILD)/vectors/prove
	$(BUILD)/vectors/prove

campaign: $(CLI)
	@tools/deps.sh parallel
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) vectors/campaign.py --seeds "$(SEEDS)" --count $(COUNT) \
		--shards $(SHARDS) --jobs $(JOBS) --dir $(CAMPAIGN_DIR)

coverage: $(CLI)
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) vectors/campaign.py --seeds "$(SEEDS)" --count $(COUNT) \
		--shards $(SHARDS) --jobs $(JOBS) --dir $(CAMPAIGN_DIR) --no-parallel --coverage-only

test-vectors: $(CLI) $(BUILD)/vectors/prove
	$(BUILD)/vectors/prove | tail -n 1
	$(CLI) run --quiet vectors/regress/*.trace
	BOOKEDBG=$(abspath $(CLI)) BUILD=$(BUILD) $(PYTHON) -m unittest discover -s tests/vectors -t . -q

bench-vectors: $(CLI)
	BOOKEDBG=$(abspath $(CLI)) $(PYTHON) bench/vectors/bench.py
