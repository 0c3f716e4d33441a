//! Stack walking over frame pointers (the kernel is built with
//! `-C force-frame-pointers=yes`) and symbolization through the `.ksyms`
//! table that `cargo xtask` patches into the image.

use super::layout;

const MAX_FRAMES: usize = 32;

/// Prints ` <symbol+0xoff>` for `addr`, or nothing useful if unknown.
pub fn print_symbol(addr: u64) {
    use crate::console::write_unlocked as out;
    match ksyms::Table::parse(layout::ksyms_blob()).ok().and_then(|t| t.lookup(addr)) {
        Some(f) => out(format_args!("<{}+{:#x}>", f.name, f.offset)),
        None => out(format_args!("<?>")),
    }
}

/// Walks the frame-pointer chain starting at (`rip`, `rbp`).
pub fn print_from(rip: u64, rbp: u64) {
    use crate::console::write_unlocked as out;
    out(format_args!("  #0  {:016x} ", rip));
    print_symbol(rip);
    out(format_args!("\n"));
    let mut fp = rbp;
    for depth in 1..MAX_FRAMES {
        // Each frame is [saved rbp, return address]; both words must be
        // readable kernel memory or the walk stops (the chain may be corrupt).
        if fp == 0 || !fp.is_multiple_of(8) {
            break;
        }
        let (Some(next), Some(ret)) = (layout::read_kernel_word(fp), layout::read_kernel_word(fp + 8)) else {
            out(format_args!("  (frame pointer {:#x} is not readable kernel memory)\n", fp));
            break;
        };
        if ret == 0 {
            break;
        }
        // The return address is just past the call; point into the call
        // instruction so the symbol is right even for tail positions.
        out(format_args!("  #{:<2} {:016x} ", depth, ret));
        print_symbol(ret.wrapping_sub(1));
        out(format_args!("\n"));
        if next <= fp {
            break; // stacks grow down: a caller's frame is always higher
        }
        fp = next;
    }
}

/// Fills `out` with the return addresses of the frames above `rbp`
/// (callers first to last), stopping at the first unreadable frame; zeros
/// are left where the chain ends. For the sampling profiler.
pub fn callers(rbp: u64, out: &mut [u64]) {
    let mut fp = rbp;
    for slot in out.iter_mut() {
        if fp == 0 || !fp.is_multiple_of(8) {
            return;
        }
        let (Some(next), Some(ret)) = (layout::read_kernel_word(fp), layout::read_kernel_word(fp + 8)) else { return };
        if ret == 0 {
            return;
        }
        *slot = ret;
        if next <= fp {
            return;
        }
        fp = next;
    }
}

/// Backtrace of the current call stack (for panics).
pub fn print_current() {
    let rbp: u64;
    let rip: u64;
    // SAFETY: reads the frame pointer and the current instruction address.
    unsafe {
        core::arch::asm!("mov {}, rbp", out(reg) rbp, options(nomem, nostack, preserves_flags));
        core::arch::asm!("lea {}, [rip]", out(reg) rip, options(nomem, nostack, preserves_flags));
    }
    print_from(rip, rbp);
}
