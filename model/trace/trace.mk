# The trace layer: libbookedbg-trace (the trace parser, the runner and coverage samples) and
# bookedbg-trace.pc. Included by the top-level Makefile after model/model.mk.
TRACE_DIR  := model/trace
TRACE_SRC  := $(addprefix $(TRACE_DIR)/,trace.c parse.c run.c cover.c sink.c)
TRACE_OBJ  := $(TRACE_SRC:$(TRACE_DIR)/%.c=$(BUILD)/obj/trace/%.o)
TRACE_HDRS := $(addprefix $(TRACE_DIR)/,trace.h cover.h)
TRACE_PRIV := $(TRACE_DIR)/parse.h
TRACE_LIB  := $(BUILD)/lib/libbookedbg-trace.a

$(BUILD)/obj/trace/%.o: $(TRACE_DIR)/%.c $(TRACE_HDRS) $(TRACE_PRIV) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(TRACE_LIB): $(TRACE_OBJ)
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@
