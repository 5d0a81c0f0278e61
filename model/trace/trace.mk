# The trace layer: libbookedbg-trace (the trace parser, the runner and coverage samples) and
# bookedbg-trace.pc. Included by the top-level Makefile after model/model.mk.
TRACE_DIR  := model/trace
TRACE_SRC  := $(addprefix $(TRACE_DIR)/,trace.c parse.c run.c cover.c sink.c explorer.c)
TRACE_OBJ  := $(TRACE_SRC:$(TRACE_DIR)/%.c=$(BUILD)/obj/trace/%.o) $(BUILD)/obj/trace/explorer_assets.o
TRACE_HDRS := $(addprefix $(TRACE_DIR)/,trace.h cover.h explorer.h)
TRACE_PRIV := $(TRACE_DIR)/parse.h
TRACE_LIB  := $(BUILD)/lib/libbookedbg-trace.a

$(BUILD)/obj/trace/%.o: $(TRACE_DIR)/%.c $(TRACE_HDRS) $(TRACE_PRIV) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(TRACE_LIB): $(TRACE_OBJ)
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

# The explorer's page (bookedbg run --html) carries its style, its script and the rules reference:
# data files, turned into byte arrays at build time.
# TRACE_GEN: generated sources of the layer (the fuzzer compiles them with TRACE_SRC).
EXPLORER_ASSETS := $(TRACE_DIR)/explorer/page.css $(TRACE_DIR)/explorer/page.js docs/booke-debug.md
TRACE_GEN       := $(BUILD)/gen/explorer_assets.c
$(BUILD)/gen/explorer_assets.c: $(EXPLORER_ASSETS) tools/bin2c.py
	@mkdir -p $(@D)
	$(PYTHON) tools/bin2c.py $@ tr_asset_page_css=$(TRACE_DIR)/explorer/page.css \
		tr_asset_page_js=$(TRACE_DIR)/explorer/page.js tr_asset_reference=docs/booke-debug.md

$(BUILD)/obj/trace/explorer_assets.o: $(BUILD)/gen/explorer_assets.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@
