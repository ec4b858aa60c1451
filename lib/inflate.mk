# lib/inflate.mk - extra targets for the inflate core, included by the
# top-level Makefile.  The generic rules already build and run
# tests/unit/test_inflate.c and the fuzzer; these add the variants built
# with INFLATE_FORCE_32BIT, which exercise the i386 code paths (32-bit bit
# buffer, 4-byte word copies, slicing-by-8 CRC) on the 64-bit host.
#
# SPDX-License-Identifier: GPL-2.0-or-later

INFLATE_BUILD ?= build
INFLATE_LIB_SRCS = lib/crc32.c lib/inflate.c lib/gzip.c lib/util.c

.PHONY: test-inflate32 fuzz-inflate32

## Unit tests with the i386 code paths, under ASan/UBSan.
test-inflate32:
	@mkdir -p $(INFLATE_BUILD)/host
	clang -g -O1 -DINFLATE_FORCE_32BIT -fsanitize=address,undefined \
		-fno-sanitize-recover=all -Ilib tests/unit/test_inflate.c \
		$(INFLATE_LIB_SRCS) -lz -o $(INFLATE_BUILD)/host/test_inflate32
	$(INFLATE_BUILD)/host/test_inflate32

## libFuzzer target with the i386 code paths (runs 60 s by default).
INFLATE_FUZZ_SECONDS ?= 60
fuzz-inflate32:
	@mkdir -p $(INFLATE_BUILD)/fuzz/corpus-inflate32
	cp -n tests/fuzz/corpus/inflate/* $(INFLATE_BUILD)/fuzz/corpus-inflate32/
	clang -g -O1 -DINFLATE_FORCE_32BIT -fsanitize=fuzzer,address,undefined \
		-Ilib tests/fuzz/fuzz_inflate.c $(INFLATE_LIB_SRCS) -lz \
		-o $(INFLATE_BUILD)/fuzz/fuzz_inflate32
	$(INFLATE_BUILD)/fuzz/fuzz_inflate32 -max_total_time=$(INFLATE_FUZZ_SECONDS) \
		-max_len=8192 $(INFLATE_BUILD)/fuzz/corpus-inflate32
