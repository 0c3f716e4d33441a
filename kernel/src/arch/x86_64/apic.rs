//! The local APIC: x2APIC (MSRs) when the CPU has it, xAPIC (MMIO) otherwise.
//! It provides this CPU's timer and the end-of-interrupt signal.

use super::cpu::{self, rdmsr, wrmsr, IA32_APIC_BASE};
use super::interrupts::{VECTOR_SPURIOUS, VECTOR_TIMER};
use super::mmio::Mmio;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const REG_ID: u32 = 0x20;
const REG_TPR: u32 = 0x80;
const REG_EOI: u32 = 0xb0;
const REG_SVR: u32 = 0xf0;
const REG_ESR: u32 = 0x280;
const REG_ICR_LOW: u32 = 0x300;
const REG_ICR_HIGH: u32 = 0x310;
const REG_LVT_TIMER: u32 = 0x320;
const REG_LVT_LINT0: u32 = 0x350;
const REG_LVT_LINT1: u32 = 0x360;
const REG_LVT_ERROR: u32 = 0x370;
const REG_TIMER_INITIAL: u32 = 0x380;
const REG_TIMER_CURRENT: u32 = 0x390;
const REG_TIMER_DIVIDE: u32 = 0x3e0;

const LVT_MASKED: u32 = 1 << 16;
const LVT_TIMER_TSC_DEADLINE: u32 = 2 << 17;
const IA32_TSC_DEADLINE: u32 = 0x6e0;

static X2APIC: AtomicBool = AtomicBool::new(false);
static XAPIC_BASE: AtomicU64 = AtomicU64::new(0);
/// APIC timer ticks (after the divide-by-16) per millisecond.
static TIMER_TICKS_PER_MS: AtomicU64 = AtomicU64::new(0);
/// The timer fires at a TSC value (exact) rather than after a count of
/// its own ticks (calibrated against the TSC, so a little off).
static TSC_DEADLINE: AtomicBool = AtomicBool::new(false);

fn read(reg: u32) -> u32 {
    if X2APIC.load(Ordering::Relaxed) {
        rdmsr(0x800 + (reg >> 4)) as u32
    } else {
        Mmio::new(XAPIC_BASE.load(Ordering::Relaxed), 0x1000).read32(u64::from(reg))
    }
}

fn write(reg: u32, value: u32) {
    if X2APIC.load(Ordering::Relaxed) {
        wrmsr(0x800 + (reg >> 4), u64::from(value));
    } else {
        Mmio::new(XAPIC_BASE.load(Ordering::Relaxed), 0x1000).write32(u64::from(reg), value);
    }
}

/// Which APIC mode is in use, for the boot log.
pub fn mode_name() -> &'static str {
    if X2APIC.load(Ordering::Relaxed) {
        "x2APIC"
    } else {
        "xAPIC"
    }
}

/// Physical base of the xAPIC register page (to be mapped uncached).
pub fn xapic_base() -> u64 {
    rdmsr(IA32_APIC_BASE) & 0x000f_ffff_ffff_f000
}

/// Enables this CPU's local APIC with every local interrupt masked.
pub fn init(features: &cpu::Features) {
    let mut base = rdmsr(IA32_APIC_BASE);
    base |= 1 << 11; // global enable
    if features.x2apic {
        base |= 1 << 10;
        X2APIC.store(true, Ordering::Relaxed);
    }
    wrmsr(IA32_APIC_BASE, base);
    XAPIC_BASE.store(base & 0x000f_ffff_ffff_f000, Ordering::Relaxed);
    write(REG_TPR, 0);
    write(REG_LVT_TIMER, LVT_MASKED);
    write(REG_LVT_LINT0, LVT_MASKED);
    write(REG_LVT_LINT1, LVT_MASKED);
    write(REG_LVT_ERROR, LVT_MASKED);
    write(REG_ESR, 0);
    write(REG_SVR, 0x100 | u32::from(VECTOR_SPURIOUS));
    end_of_interrupt();
}

/// Wires local interrupt input LINT`lint` (0 or 1) to deliver an NMI, as
/// the firmware's MADT says it is (on a PC, LINT1: the chipset's NMI line,
/// and where QEMU's monitor command `nmi` arrives). NMIs are always edge
/// triggered; only the polarity is the board's.
pub fn route_lint_to_nmi(lint: u8, active_low: bool) {
    const DELIVERY_NMI: u32 = 0b100 << 8;
    const ACTIVE_LOW: u32 = 1 << 13;
    let reg = if lint == 0 { REG_LVT_LINT0 } else { REG_LVT_LINT1 };
    write(reg, DELIVERY_NMI | if active_low { ACTIVE_LOW } else { 0 });
}

pub fn id() -> u32 {
    let raw = read(REG_ID);
    if X2APIC.load(Ordering::Relaxed) {
        raw
    } else {
        raw >> 24
    }
}

pub fn end_of_interrupt() {
    write(REG_EOI, 0);
}

/// Measures the APIC timer against the (already calibrated) TSC.
pub fn calibrate_timer(tsc_hz: u64) -> u64 {
    write(REG_TIMER_DIVIDE, 0x3); // divide by 16
    write(REG_LVT_TIMER, LVT_MASKED);
    write(REG_TIMER_INITIAL, u32::MAX);
    let start = cpu::rdtsc();
    let wait = tsc_hz / 200; // 5 ms
    while cpu::rdtsc() - start < wait {
        core::hint::spin_loop();
    }
    let elapsed = u32::MAX - read(REG_TIMER_CURRENT);
    write(REG_TIMER_INITIAL, 0);
    let per_ms = u64::from(elapsed) / 5;
    TIMER_TICKS_PER_MS.store(per_ms, Ordering::Relaxed);
    per_ms
}

/// Makes the timer a one-shot that `set_deadline` arms: the kernel asks
/// for an interrupt at the next point in time something is due (the next
/// scheduler tick or an earlier wake-up), so sleeps end when they should
/// rather than at the next tick.
pub fn start_oneshot_timer(features: &cpu::Features) {
    TSC_DEADLINE.store(features.tsc_deadline, Ordering::Relaxed);
    write(REG_TIMER_DIVIDE, 0x3);
    if features.tsc_deadline {
        write(REG_LVT_TIMER, u32::from(VECTOR_TIMER) | LVT_TIMER_TSC_DEADLINE);
    } else {
        write(REG_LVT_TIMER, u32::from(VECTOR_TIMER)); // one-shot
    }
}

/// What the timer hardware is set to, for the NMI dump: the TSC deadline
/// and the TSC now, or the count-down's current count; and the LVT entry
/// (masked, vector).
pub fn timer_state() -> (&'static str, u64, u64, u32) {
    if TSC_DEADLINE.load(Ordering::Relaxed) {
        (timer_mode_name(), cpu::rdmsr(IA32_TSC_DEADLINE), cpu::rdtsc(), read(REG_LVT_TIMER))
    } else {
        (timer_mode_name(), u64::from(read(REG_TIMER_CURRENT)), 0, read(REG_LVT_TIMER))
    }
}

/// Which way the timer is armed, for the boot log.
pub fn timer_mode_name() -> &'static str {
    if TSC_DEADLINE.load(Ordering::Relaxed) {
        "TSC-deadline"
    } else {
        "one-shot"
    }
}

/// Arms the timer to interrupt once, `delta_ns` from now (at the latest
/// the largest delay the hardware can count; the handler then re-arms).
/// A count-down timer is aimed a little early (1/256), because its rate is
/// known only to the calibration's precision: the handler finds nothing
/// due and re-arms for the short remainder, so a long sleep does not end
/// late by the calibration error.
pub fn set_timer(delta_ns: u64, tsc_hz: u64) {
    if TSC_DEADLINE.load(Ordering::Relaxed) {
        let ticks = (u128::from(delta_ns) * u128::from(tsc_hz)).div_ceil(1_000_000_000);
        let target = cpu::rdtsc().saturating_add(u64::try_from(ticks).unwrap_or(u64::MAX)).max(1);
        wrmsr(IA32_TSC_DEADLINE, target);
        return;
    }
    let per_ms = TIMER_TICKS_PER_MS.load(Ordering::Relaxed).max(1);
    let aimed = if delta_ns > 1_000_000 { delta_ns - delta_ns / 256 } else { delta_ns };
    let count = (u128::from(aimed) * u128::from(per_ms)).div_ceil(1_000_000);
    write(REG_TIMER_INITIAL, count.clamp(1, u128::from(u32::MAX)) as u32);
}

/// Interrupt-command delivery modes and fields (SDM vol. 3, "Interrupt
/// Command Register").
const ICR_INIT: u32 = 0b101 << 8;
const ICR_STARTUP: u32 = 0b110 << 8;
/// Set while an xAPIC is still sending the last IPI.
const ICR_SEND_PENDING: u32 = 1 << 12;
const ICR_LEVEL_ASSERT: u32 = 1 << 14;
const ICR_LEVEL_TRIGGERED: u32 = 1 << 15;
const ICR_ALL_BUT_SELF: u32 = 0b11 << 18;

/// Waits (a bounded time) for the xAPIC to finish sending the previous
/// IPI: the SDM asks software not to write the ICR while it is busy. An
/// x2APIC has no such bit; its ICR write completes the send.
fn wait_icr_idle() {
    if X2APIC.load(Ordering::Relaxed) {
        return;
    }
    for _ in 0..1_000_000 {
        if read(REG_ICR_LOW) & ICR_SEND_PENDING == 0 {
            return;
        }
        core::hint::spin_loop();
    }
}

/// Writes the interrupt command: `low` (vector, delivery mode, shorthand)
/// to the CPU with APIC id `dest` (ignored with a shorthand). The xAPIC
/// takes it as two writes, which an interrupt handler sending an IPI of its
/// own must not split, so interrupts are masked across them.
fn send(dest: u32, low: u32) {
    let were_enabled = cpu::interrupts_enabled();
    cpu::disable_interrupts();
    if X2APIC.load(Ordering::Relaxed) {
        // One 64-bit MSR, the destination in the high half.
        wrmsr(0x830, (u64::from(dest) << 32) | u64::from(low));
    } else {
        wait_icr_idle();
        write(REG_ICR_HIGH, dest << 24);
        write(REG_ICR_LOW, low);
        wait_icr_idle();
    }
    if were_enabled {
        cpu::enable_interrupts();
    }
}

/// Whether an IPI can name the CPU with APIC id `dest` (an xAPIC's
/// destination field has 8 bits, 0xff being broadcast).
pub fn can_address(dest: u32) -> bool {
    X2APIC.load(Ordering::Relaxed) || dest < 0xff
}

/// A fixed interrupt `vector` to the CPU with APIC id `dest`.
pub fn send_fixed(dest: u32, vector: u8) {
    send(dest, u32::from(vector));
}

/// A fixed interrupt `vector` to every CPU but this one.
pub fn send_fixed_to_others(vector: u8) {
    send(0, u32::from(vector) | ICR_ALL_BUT_SELF);
}

/// INIT to the CPU with APIC id `dest`: it resets and waits for a start-up
/// IPI. Sent level-triggered and asserted, as the SDM's MP initialisation
/// example does; the de-assert the oldest APICs also wanted is neither
/// needed by later ones nor allowed in x2APIC mode.
pub fn send_init(dest: u32) {
    send(dest, ICR_INIT | ICR_LEVEL_ASSERT | ICR_LEVEL_TRIGGERED);
}

/// A start-up IPI: the CPU with APIC id `dest`, waiting after INIT, starts
/// in real mode at physical address `page << 12`.
pub fn send_startup(dest: u32, page: u8) {
    send(dest, ICR_STARTUP | u32::from(page));
}
