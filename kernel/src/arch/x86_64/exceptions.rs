//! CPU exceptions: naming them, decoding their error codes, and the fatal
//! report (registers, CR2, symbolized backtrace) when the kernel itself faults.

use super::trap_entry::TrapFrame;
use super::{backtrace, cpu};
use crate::mm::Access;
use crate::task::fault::{FaultKind, UserFault};
use kernel_ops::FaultReason;

pub const DEBUG: u8 = 1;
pub const NMI: u8 = 2;
pub const BREAKPOINT: u8 = 3;
pub const OVERFLOW: u8 = 4;
pub const DOUBLE_FAULT: u8 = 8;
pub const PAGE_FAULT: u8 = 14;
pub const MACHINE_CHECK: u8 = 18;

pub fn name(vector: u8) -> &'static str {
    match vector {
        0 => "#DE divide error",
        1 => "#DB debug",
        2 => "NMI",
        3 => "#BP breakpoint",
        4 => "#OF overflow",
        5 => "#BR bound range exceeded",
        6 => "#UD invalid opcode",
        7 => "#NM device not available",
        8 => "#DF double fault",
        9 => "coprocessor segment overrun",
        10 => "#TS invalid TSS",
        11 => "#NP segment not present",
        12 => "#SS stack-segment fault",
        13 => "#GP general protection",
        14 => "#PF page fault",
        16 => "#MF x87 floating-point",
        17 => "#AC alignment check",
        18 => "#MC machine check",
        19 => "#XM SIMD floating-point",
        20 => "#VE virtualization",
        21 => "#CP control protection",
        28 => "#HV hypervisor injection",
        29 => "#VC VMM communication",
        30 => "#SX security",
        _ => "reserved exception",
    }
}

/// Page-fault error code bits, decoded for humans.
pub struct PageFaultCode(pub u64);

impl core::fmt::Display for PageFaultCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let c = self.0;
        write!(
            f,
            "{} {} in {} mode{}{}",
            if c & 1 != 0 { "protection violation" } else { "not-present page" },
            if c & 2 != 0 {
                "on write"
            } else if c & 16 != 0 {
                "on instruction fetch"
            } else {
                "on read"
            },
            if c & 4 != 0 { "user" } else { "kernel" },
            if c & 8 != 0 { ", reserved bit set" } else { "" },
            if c & 32 != 0 { ", protection key" } else { "" },
        )
    }
}

/// Handles a CPU exception. Exceptions the kernel can survive (a breakpoint)
/// return; anything else raised by kernel code is fatal.
pub fn handle(frame: &mut TrapFrame) {
    let vector = frame.vector as u8;
    if vector == DEBUG && !frame.from_user() {
        // A user watchpoint met by the kernel's own access, or delivered
        // late on a kernel entry (debug_registers.rs): not the tracee's,
        // and GS may still be the user's here, so nothing per-CPU is
        // touched. A trap: returning goes on after the instruction.
        super::debug_registers::take_status();
        return;
    }
    if vector == NMI {
        // The entry code swaps GS only for interrupts from user mode, so in
        // the instructions between `syscall` and its `swapgs` (and back)
        // GS is still the user's: only the MSR says which it is.
        let per_cpu_ready = cpu::rdmsr(cpu::IA32_GS_BASE) >= super::layout::DIRECT_MAP_BASE;
        if !crate::profile::on_sample(frame.rip, frame.rbp, frame.from_user(), per_cpu_ready) {
            // Nobody's sample: the operator asking what the machine is doing.
            crate::task::dump::on_operator_nmi(frame.rip, frame.rbp, frame.from_user(), per_cpu_ready);
        }
        return;
    }
    if frame.from_user() && vector != DOUBLE_FAULT && vector != MACHINE_CHECK {
        let fault = user_fault(frame, vector);
        crate::task::fault::user_exception(frame, fault);
        return;
    }
    if vector == PAGE_FAULT && super::user_copy::fixup(frame) {
        return; // the copy returns short; its caller takes the slow path
    }
    if vector == BREAKPOINT {
        crate::debug!("breakpoint at {:#x}", frame.rip);
        BREAKPOINTS_SEEN.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        return;
    }
    fatal(frame)
}

/// The core's description of an exception raised by user code.
fn user_fault(frame: &mut TrapFrame, vector: u8) -> UserFault {
    let pc = frame.rip;
    let other = |reason, address| FaultKind::Other { reason, address };
    let kind = match vector {
        PAGE_FAULT => {
            let code = frame.error_code;
            let access = if code & 16 != 0 {
                Access::Execute
            } else if code & 2 != 0 {
                Access::Write
            } else {
                Access::Read
            };
            FaultKind::Page { address: cpu::read_cr2(), access }
        }
        0 => other(FaultReason::IntegerDivide, pc),
        16 | 19 => other(FaultReason::FloatingPoint, pc),
        6 => other(FaultReason::IllegalInstruction, pc),
        BREAKPOINT => other(FaultReason::Breakpoint, pc),
        DEBUG => other(debug_reason(frame), pc),
        17 => other(FaultReason::BusObjectError, pc),
        // #GP from user mode (privileged instruction, non-canonical address):
        // Linux reports SIGSEGV with address 0.
        _ => other(FaultReason::Protection, 0),
    };
    UserFault { kind, trap_number: vector }
}

/// Why a #DB from user mode was raised, from DR6 (kept for the thread's
/// tracer, who reads it as the debug status register).
fn debug_reason(frame: &mut TrapFrame) -> FaultReason {
    use super::debug_registers::{take_status, DR6_SINGLE_STEP};
    let t = crate::sched::current();
    let status = take_status();
    let breakpoints = t.context().breakpoints();
    let hits = breakpoints.enabled_hits(status);
    // Under single-stepping, an emulator that keeps no DR6 still set TF.
    let stepping = status & DR6_SINGLE_STEP != 0 || (hits == 0 && frame.single_stepping());
    crate::task::ptrace::record_debug_status(&t, hits | if stepping { DR6_SINGLE_STEP } else { 0 });
    if breakpoints.instruction_hit(hits) {
        // An instruction breakpoint is a fault: resume (RF) past it once.
        frame.resume_past_breakpoint();
    }
    if stepping {
        FaultReason::SingleStep
    } else if hits != 0 {
        FaultReason::HardwareBreakpoint
    } else {
        FaultReason::Breakpoint // int1 (icebp)
    }
}

/// Counts handled breakpoints (the in-kernel tests check it).
pub static BREAKPOINTS_SEEN: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

fn fatal(frame: &TrapFrame) -> ! {
    use crate::console::write_unlocked as out;
    let vector = frame.vector as u8;
    out(format_args!("\n!!! KERNEL EXCEPTION {} ({}) error code {:#x}\n", vector, name(vector), frame.error_code));
    if vector == PAGE_FAULT {
        out(format_args!("    page fault: {}\n", PageFaultCode(frame.error_code)));
    }
    dump_registers(frame);
    out(format_args!("backtrace:\n"));
    backtrace::print_from(frame.rip, frame.rbp);
    cpu::exit_machine(cpu::ExitStatus::Failure)
}

pub fn dump_registers(f: &TrapFrame) {
    use crate::console::write_unlocked as out;
    out(format_args!("    RIP={:016x} ", f.rip));
    backtrace::print_symbol(f.rip);
    out(format_args!("\n"));
    out(format_args!(
        "    CS={:04x} SS={:04x} RFLAGS={:016x} CPU={}\n",
        f.cs,
        f.ss,
        f.rflags,
        super::percpu::cpu_index()
    ));
    out(format_args!("    RAX={:016x} RBX={:016x} RCX={:016x} RDX={:016x}\n", f.rax, f.rbx, f.rcx, f.rdx));
    out(format_args!("    RSI={:016x} RDI={:016x} RBP={:016x} RSP={:016x}\n", f.rsi, f.rdi, f.rbp, f.rsp));
    out(format_args!("    R8 ={:016x} R9 ={:016x} R10={:016x} R11={:016x}\n", f.r8, f.r9, f.r10, f.r11));
    out(format_args!("    R12={:016x} R13={:016x} R14={:016x} R15={:016x}\n", f.r12, f.r13, f.r14, f.r15));
    out(format_args!("    CR2={:016x} CR3={:016x}\n", cpu::read_cr2(), cpu::read_cr3()));
}
