//! The native calling convention on x86_64.

/// What `docs/native-abi.md` says of the registers.
pub const CALLING_CONVENTION: &str = "On x86_64, native programs call the kernel with `syscall`: the number \
     in `rax`, arguments in `rdi, rsi, rdx, r10, r8, r9`. On success `rax` holds a value >= 0; on failure \
     `-(error code)`. `rcx` and `r11` are clobbered; every other register is preserved, except that IPC calls \
     that receive return the badge in `rdi`, the message info in `rsi` and the four data words in \
     `rdx, r10, r8, r9` (the message registers).";
