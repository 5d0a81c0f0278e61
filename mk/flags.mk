# Compiler flags, defined once. The Makefile includes this file; the gate (harness/gatelib/build.py)
# reads the same lines, so the harness it compiles sees the flags the library was built with.
# Keep to plain `NAME := value` lines (values may use $(NAME) of lines above).

# The C standard and warnings of our own C code (model, trace layer, cosim, CLI, harness world).
C_STD        := -std=c11
C_WARN       := -Wall -Wextra -Werror
C_DEFS       := -D_POSIX_C_SOURCE=200809L
# Our C++ (the SystemC module and its tests): SystemC 2.3.4 exports only the C++17 API version.
CXX_STD      := -std=c++17
# The kernel side of a gate harness: GNU C as the kernel is written; not our code, so no -Werror.
KERNEL_CFLAGS := -std=gnu11 -g -O1 -w
# Our side of a gate harness is built quickly (many harnesses per run).
GATE_OPT     := -O1
# The sanitizers of `make check`.
SAN_CHECK    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
