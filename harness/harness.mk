# Input stage of `bookedbg gate`: patch recovery, function extraction, patch
# series (harness/gatelib) and the upstream kernel files.  Included by the
# top-level Makefile.
#   make upstream      unpack the gate's kernel files (+ Makefile, api.rst) into
#                      $(BUILD)/linux-6.1 and $(BUILD)/linux-6.12 (VERSIONS="..." to choose)
#   make test-harness  run tests/harness (the 6.1 checks skip without upstream)
PYTHON ?= python3
BUILD ?= build
HARNESS_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: upstream test-harness
upstream:
	bash $(HARNESS_DIR)/upstream.sh $(BUILD)

test-harness: $(CLI)
	BOOKEDBG=$(abspath $(CLI)) BOOKEDBG_KERNEL=$(abspath $(BUILD))/linux-6.1 \
		$(PYTHON) -m unittest discover -s $(HARNESS_DIR)/../tests/harness -p 'test_*.py'
