# The lockstep co-simulation API: libbookedbg-cosim and bookedbg-cosim.pc (scalar arguments only, for
# DPI-C). Included by the top-level Makefile after model/model.mk.
#   make test-cosim   the C co-simulation API tests
COSIM_DIR  := model/cosim
COSIM_HDRS := $(COSIM_DIR)/cosim.h
COSIM_LIB  := $(BUILD)/lib/libbookedbg-cosim.a

$(BUILD)/obj/cosim/cosim.o: $(COSIM_DIR)/cosim.c $(COSIM_HDRS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(COSIM_LIB): $(BUILD)/obj/cosim/cosim.o
	@mkdir -p $(@D)
	rm -f $@.tmp && ar rcs $@.tmp $^ && mv $@.tmp $@

.PHONY: test-cosim
$(BUILD)/tests/cosim: tests/cosim/test_cosim.c $(COSIM_HDRS) $(COSIM_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< $(COSIM_LIB) $(LIB) $(SAN) -o $@

test-cosim: $(BUILD)/tests/cosim
	$(BUILD)/tests/cosim

TEST_EXTRA += test-cosim
