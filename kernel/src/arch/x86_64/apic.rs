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
const REG_LVT_TIMER: u32 = 0x320;
const REG_LVT_LINT0: u32 = 0x350;
const REG_LVT_LINT1: u32 = 0x360;
const REG_LVT_ERROR: u32 = 0x370;
const REG_TIMER_INITIAL: u32 = 0x380;
const REG_TIMER_CURRENT: u32 = 0x390;
const REG_TIMER_DIVIDE: u32 = 0x3e0;

const LVT_MASKED: u32 = 1 << 16;
const LVT_TIMER_PERIODIC: u32 = 1 << 17;

static X2APIC: AtomicBool = AtomicBool::new(false);
static XAPIC_BASE: AtomicU64 = AtomicU64::new(0);
/// APIC timer ticks (after the divide-by-16) per millisecond.
static TIMER_TICKS_PER_MS: AtomicU64 = AtomicU64::new(0);

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

/// Starts a periodic timer interrupt at `hz`.
pub fn start_periodic_timer(hz: u64) {
    let per_ms = TIMER_TICKS_PER_MS.load(Ordering::Relaxed).max(1);
    let count = (per_ms * 1000 / hz.max(1)).clamp(1, u64::from(u32::MAX)) as u32;
    write(REG_TIMER_DIVIDE, 0x3);
    write(REG_LVT_TIMER, u32::from(VECTOR_TIMER) | LVT_TIMER_PERIODIC);
    write(REG_TIMER_INITIAL, count);
}
