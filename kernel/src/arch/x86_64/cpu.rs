//! CPU identification, model-specific registers, and stopping the machine.

use super::port;

/// Result of the `cpuid` instruction.
#[derive(Debug, Clone, Copy)]
pub struct CpuidResult {
    pub eax: u32,
    pub ebx: u32,
    pub ecx: u32,
    pub edx: u32,
}

pub fn cpuid(leaf: u32, subleaf: u32) -> CpuidResult {
    let r = core::arch::x86_64::__cpuid_count(leaf, subleaf);
    CpuidResult { eax: r.eax, ebx: r.ebx, ecx: r.ecx, edx: r.edx }
}

/// CPU features the kernel cares about, read once at boot.
#[derive(Debug, Clone, Copy, Default)]
pub struct Features {
    pub x2apic: bool,
    pub hypervisor: bool,
    /// The local APIC timer can fire at an absolute TSC value.
    pub tsc_deadline: bool,
}

pub fn features() -> Features {
    let l1 = cpuid(1, 0);
    Features {
        x2apic: l1.ecx & (1 << 21) != 0,
        hypervisor: l1.ecx & (1 << 31) != 0,
        tsc_deadline: l1.ecx & (1 << 24) != 0,
    }
}

pub const IA32_APIC_BASE: u32 = 0x1b;
pub const IA32_EFER: u32 = 0xc000_0080;
pub const IA32_FS_BASE: u32 = 0xc000_0100;
pub const IA32_GS_BASE: u32 = 0xc000_0101;
pub const IA32_KERNEL_GS_BASE: u32 = 0xc000_0102;

pub fn rdmsr(msr: u32) -> u64 {
    let (lo, hi): (u32, u32);
    // SAFETY: callers pass architectural MSRs that exist on every x86_64 CPU
    // (or that they checked with cpuid); reading has no memory effect.
    unsafe {
        core::arch::asm!("rdmsr", in("ecx") msr, out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags))
    }
    (u64::from(hi) << 32) | u64::from(lo)
}

pub fn wrmsr(msr: u32, value: u64) {
    // SAFETY: callers write MSRs whose meaning they own (APIC base, GS base, ...).
    unsafe {
        core::arch::asm!("wrmsr", in("ecx") msr, in("eax") value as u32, in("edx") (value >> 32) as u32, options(nostack, preserves_flags))
    }
}

/// Reads the time-stamp counter.
#[inline]
pub fn rdtsc() -> u64 {
    // SAFETY: rdtsc only reads a counter.
    unsafe { core::arch::x86_64::_rdtsc() }
}

pub fn read_cr2() -> u64 {
    let v: u64;
    // SAFETY: reading CR2 has no side effects.
    unsafe { core::arch::asm!("mov {}, cr2", out(reg) v, options(nomem, nostack, preserves_flags)) }
    v
}

pub fn read_cr3() -> u64 {
    let v: u64;
    // SAFETY: reading CR3 has no side effects.
    unsafe { core::arch::asm!("mov {}, cr3", out(reg) v, options(nomem, nostack, preserves_flags)) }
    v
}

pub fn enable_interrupts() {
    // SAFETY: the IDT is installed before anyone calls this.
    unsafe { core::arch::asm!("sti", options(nomem, nostack)) }
}

pub fn disable_interrupts() {
    // SAFETY: masking interrupts cannot break memory safety.
    unsafe { core::arch::asm!("cli", options(nomem, nostack)) }
}

pub fn interrupts_enabled() -> bool {
    let flags: u64;
    // SAFETY: reads RFLAGS through the stack, nothing else.
    unsafe { core::arch::asm!("pushfq; pop {}", out(reg) flags, options(nomem, preserves_flags)) }
    flags & (1 << 9) != 0
}

/// Waits for the next interrupt with interrupts enabled.
pub fn wait_for_interrupt() {
    // SAFETY: `sti; hlt` atomically enables interrupts and halts, so a wakeup
    // between the two cannot be lost.
    unsafe { core::arch::asm!("sti; hlt", options(nomem, nostack)) }
}

/// How the machine should report its end to whoever started it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success,
    Failure,
}

/// Stops the machine. Under QEMU with `isa-debug-exit` at port 0xf4 the process
/// exits with status 33 (success) or 35 (failure); elsewhere the CPU halts.
pub fn exit_machine(status: ExitStatus) -> ! {
    disable_interrupts();
    let code: u32 = match status {
        ExitStatus::Success => 0x10,
        ExitStatus::Failure => 0x11,
    };
    port::outl(0xf4, code);
    loop {
        // SAFETY: halting with interrupts masked stops this CPU for good.
        unsafe { core::arch::asm!("hlt", options(nomem, nostack)) }
    }
}

/// A hardware random number (RDRAND), when the CPU offers one.
pub fn hardware_random() -> Option<u64> {
    if cpuid(1, 0).ecx & (1 << 30) == 0 {
        return None;
    }
    for _ in 0..10 {
        let value: u64;
        let ok: u8;
        // SAFETY: RDRAND exists (checked above) and only writes registers.
        unsafe { core::arch::asm!("rdrand {}", "setc {}", out(reg) value, out(reg_byte) ok, options(nomem, nostack)) };
        if ok != 0 {
            return Some(value);
        }
    }
    None
}
