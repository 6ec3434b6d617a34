#ifndef CLIBFUZZER_SHIM_H
#define CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, for a program with its own `main` (compiler-rt's FuzzerInterface.h).
// SwiftPM links every executable with `--defsym main=<module>_main`, so a target that only
// defines `LLVMFuzzerTestOneInput` and leaves `main` to libFuzzer fails to link; ours start
// the driver from `main.swift` instead. The library comes with `-sanitize=fuzzer`.
// - SeeAlso: https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
