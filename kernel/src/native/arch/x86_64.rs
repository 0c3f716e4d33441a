//! Native calls on x86_64: the number in rax, up to six arguments in rdi,
//! rsi, rdx, r10, r8 and r9 (as Linux's, so one `syscall` stub serves), the
//! result back in rax. A received message comes back in the argument
//! registers: badge in rdi, info in rsi, words in rdx, r10, r8, r9.

use kernel_ops::UserContext;

/// The call's number and arguments.
pub fn call(f: &UserContext) -> (u64, [u64; 6]) {
    (f.rax, [f.rdi, f.rsi, f.rdx, f.r10, f.r8, f.r9])
}

pub fn set_result(f: &mut UserContext, value: u64) {
    f.rax = value;
}

/// The words of a message being sent (arguments 3 to 6).
pub fn message_words(f: &UserContext) -> [u64; 4] {
    [f.rdx, f.r10, f.r8, f.r9]
}

/// Hands a received message to the program.
pub fn set_message(f: &mut UserContext, badge: u64, info: u64, words: [u64; 4]) {
    f.rdi = badge;
    f.rsi = info;
    [f.rdx, f.r10, f.r8, f.r9] = words;
}

/// The one argument a new native program or thread starts with.
pub fn set_start_argument(f: &mut UserContext, arg: u64) {
    f.rdi = arg;
}
