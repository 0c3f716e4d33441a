//! Interrupts one CPU sends another (IPIs), and the "ping" every CPU
//! answers by counting, which proves a CPU is alive and takes interrupts.

use super::apic;
use super::interrupts::{VECTOR_CLOCK_REARM, VECTOR_PING, VECTOR_RESCHEDULE};
use super::percpu::{self, MAX_CPUS};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Why an IPI could not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpiError {
    /// No started CPU has this index.
    NoSuchCpu,
    /// The CPU's APIC id does not fit the interrupt controller's
    /// destination field.
    Unaddressable,
}

/// Sends interrupt `vector` to the CPU with index `cpu`.
pub fn send_ipi(cpu: usize, vector: u8) -> Result<(), IpiError> {
    let dest = percpu::apic_id_of(cpu).ok_or(IpiError::NoSuchCpu)?;
    if !apic::can_address(dest) {
        return Err(IpiError::Unaddressable);
    }
    apic::send_fixed(dest, vector);
    Ok(())
}

/// Sends interrupt `vector` to every CPU but this one.
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
pub fn send_ipi_to_others(vector: u8) {
    apic::send_fixed_to_others(vector);
}

/// Tells CPU `cpu` that a thread was queued for it: it reschedules at its
/// next chance (its idle loop's halt ends). A CPU that cannot be reached
/// finds the thread at its next tick.
pub fn send_reschedule(cpu: usize) {
    let _ = send_ipi(cpu, VECTOR_RESCHEDULE);
}

/// Asks CPU `cpu` to arm its timer for what its armed-for value now says
/// (another CPU lowered it).
pub fn send_clock_rearm(cpu: usize) {
    let _ = send_ipi(cpu, VECTOR_CLOCK_REARM);
}

/// Pings each CPU has answered, by index.
static PINGS: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];
/// What the last ping found on each CPU: the APIC id its hardware reports,
/// the one its per-CPU block records, and where that block is.
static SEEN_APIC_ID: [AtomicU32; MAX_CPUS] = [const { AtomicU32::new(u32::MAX) }; MAX_CPUS];
static SEEN_BLOCK_APIC_ID: [AtomicU32; MAX_CPUS] = [const { AtomicU32::new(u32::MAX) }; MAX_CPUS];
static SEEN_BLOCK: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];

/// Sends a ping to CPU `cpu`.
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
pub fn ping(cpu: usize) -> Result<(), IpiError> {
    send_ipi(cpu, VECTOR_PING)
}

/// Pings every CPU but this one.
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
pub fn send_ping_to_others() {
    send_ipi_to_others(VECTOR_PING);
}

/// The ping's handler: counts it under this CPU's index (found through its
/// own per-CPU block) and records what this CPU is.
pub fn on_ping() {
    let me = percpu::cpu_index() as usize;
    if let Some(slot) = PINGS.get(me) {
        SEEN_APIC_ID[me].store(apic::id(), Ordering::Relaxed);
        SEEN_BLOCK_APIC_ID[me].store(percpu::apic_id(), Ordering::Relaxed);
        SEEN_BLOCK[me].store(percpu::own_block() as u64, Ordering::Relaxed);
        slot.fetch_add(1, Ordering::Release);
    }
    apic::end_of_interrupt();
}

/// What CPU `cpu` reported at its last ping.
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PingAnswer {
    pub count: u64,
    /// The APIC id its interrupt controller reports.
    pub apic_id: u32,
    /// The APIC id its per-CPU block records.
    pub block_apic_id: u32,
    /// Where its per-CPU block is (its GS base).
    pub block: u64,
}

#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
pub fn ping_answer(cpu: usize) -> PingAnswer {
    PingAnswer {
        count: PINGS[cpu].load(Ordering::Acquire),
        apic_id: SEEN_APIC_ID[cpu].load(Ordering::Relaxed),
        block_apic_id: SEEN_BLOCK_APIC_ID[cpu].load(Ordering::Relaxed),
        block: SEEN_BLOCK[cpu].load(Ordering::Relaxed),
    }
}
