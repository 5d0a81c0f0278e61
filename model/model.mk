# The core: libbookedbg (no I/O), its generated register table, and bookedbg.pc. Included by the
# top-level Makefile after mk/flags.mk, BUILD, CC, CFLAGS and PYTHON are set.
CORE_DIR  := model
CORE_SRC  := $(addprefix $(CORE_DIR)/,dbg_unit.c dbg_deliver.c dbg_complete.c dbg_classify.c dbg_timing.c \
             dbg_filter.c dbg_regfile.c dbg_access.c dbg_match.c dbg_options.c dbg_names.c dbg_explain.c)
CORE_OBJ  := $(CORE_SRC:$(CORE_DIR)/%.c=$(BUILD)/obj/core/%.o) $(BUILD)/obj/core/dbg_regs.o
# Installed (public) headers, and the private ones the core's own files also depend on.
CORE_HDRS := $(addprefix $(CORE_DIR)/,dbg_unit.h dbg_fast.h dbg_options.h dbg_explain.h) $(BUILD)/gen/dbg_regs.h
CORE_PRIV := $(addprefix $(CORE_DIR)/,dbg_core.h dbg_match.h dbg_rules.h)
LIB       := $(BUILD)/lib/libbookedbg.a
GEN_REGS  := $(BUILD)/gen/dbg_regs.h $(BUILD)/gen/dbg_regs.c $(BUILD)/gen/dbg_regs.py

# One run writes all three: a grouped target, so `make -jN` runs it once.
$(GEN_REGS) &: $(CORE_DIR)/dbg_regs.tab $(CORE_DIR)/gen_regs.py
	@mkdir -p $(BUILD)/gen
	$(PYTHON) $(CORE_DIR)/gen_regs.py $(CORE_DIR)/dbg_regs.tab --c-header $(BUILD)/gen/dbg_regs.h \
		--c-source $(BUILD)/gen/dbg_regs.c --python $(BUILD)/gen/dbg_regs.py

$(BUILD)/obj/core/%.o: $(CORE_DIR)/%.c $(CORE_HDRS) $(CORE_PRIV)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/core/dbg_regs.o: $(BUILD)/gen/dbg_regs.c $(BUILD)/gen/dbg_regs.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@
