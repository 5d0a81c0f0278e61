# The trace explorer (bookedbg run --html, model/trace/explorer.c) in a real browser: headless
# Chromium through Selenium, Debian's packages (installed here when root, else named). Included by
# the top-level Makefile after model/systemc/systemc.mk.
#   make test-explorer         the browser tests (in `make test`), and bookedbg-sc's pages where
#                              SystemC is installed
#   make explorer-screenshot   docs/explorer.png, the README's picture, taken by the same test
EXPLORER_DEPS   := chromium chromium-driver python3-selenium
# Debian's python3-selenium is the system interpreter's module.
EXPLORER_PYTHON ?= /usr/bin/python3
ifneq ($(shell pkg-config --exists systemc tlm 2>/dev/null && echo yes),)
EXPLORER_SC := $(SC_BIN)
endif
EXPLORER_ENV = BOOKEDBG=$(abspath $(CLI)) $(if $(EXPLORER_SC),BOOKEDBG_SC=$(abspath $(EXPLORER_SC)))

.PHONY: test-explorer deps-explorer explorer-screenshot
deps: deps-explorer
deps-explorer:
	@tools/deps.sh $(EXPLORER_DEPS)

test-explorer: $(CLI) $(EXPLORER_SC)
	@tools/deps.sh $(EXPLORER_DEPS)
	$(EXPLORER_ENV) $(EXPLORER_PYTHON) -m unittest tests.explorer.test_explorer

explorer-screenshot: $(CLI)
	@tools/deps.sh $(EXPLORER_DEPS)
	EXPLORER_SCREENSHOT=docs/explorer.png $(EXPLORER_ENV) $(EXPLORER_PYTHON) -m unittest \
		tests.explorer.test_explorer.Browser.test_screenshot_at_a_fixed_size_is_not_blank

TEST_EXTRA += test-explorer
