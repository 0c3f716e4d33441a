//! A sampling profiler for finding where the kernel spends its time:
//! `profile=HZ` on the command line makes the architecture raise a
//! non-maskable interrupt HZ times a second (on x86_64 the 8254 PIT, routed
//! through the I/O APIC as an NMI), and each one records who was running
//! (the thread's name) and, when it came from the kernel, the call stack over
//! frame pointers; from user mode, the user's program counter (xtask names
//! it from the native program's symbols). Being non-maskable, the samples also land inside
//! spinlock-held regions (which mask ordinary interrupts: a timer-driven
//! profiler would pile their time onto the lock's release). Identical
//! samples are counted in one table; when the machine powers off the table
//! is printed as `PROFILE` lines with symbol names, which
//! `cargo xtask bench --profile` turns into a report. Without the
//! parameter none of this exists.
//!
//! Under `-icount` a sample falls every fixed number of guest instructions,
//! so the counts are proportional to instructions executed.

use crate::sync::SpinLock;
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

/// Kernel frames kept per sample (the interrupted one and its callers).
const DEPTH: usize = 10;
/// Distinct samples the table holds; more are counted as dropped.
const SLOTS: usize = 16384;
/// The fastest sampling rate accepted (QEMU cannot keep up beyond it).
const MAX_HZ: u64 = 100_000;

/// Samples per second; 0 when not profiling.
static RATE: AtomicU64 = AtomicU64::new(0);
static DROPPED: AtomicU64 = AtomicU64::new(0);
static TABLE: SpinLock<Option<Box<Table>>> = SpinLock::new(None);

#[derive(Clone, Copy, PartialEq, Eq)]
struct Key {
    name: [u8; 16],
    /// Innermost first; for a sample taken in user mode, the user's
    /// program counter alone.
    frames: [u64; DEPTH],
    user: bool,
}

struct Table {
    keys: Vec<Key>,
    counts: Vec<u32>,
    samples: u64,
}

impl Table {
    fn add(&mut self, key: &Key) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in key
            .frames
            .iter()
            .copied()
            .chain(key.name.chunks(8).map(|c| c.iter().fold(0u64, |a, &b| a << 8 | u64::from(b))))
        {
            h = (h ^ w).wrapping_mul(0x0100_0000_01b3);
        }
        let mut i = (h as usize) % SLOTS;
        for _ in 0..SLOTS {
            if self.counts[i] == 0 {
                self.keys[i] = *key;
                self.counts[i] = 1;
                return true;
            }
            if self.keys[i] == *key {
                self.counts[i] = self.counts[i].saturating_add(1);
                return true;
            }
            i = (i + 1) % SLOTS;
        }
        false
    }
}

/// Reads `profile=HZ` (if given) and prepares the table; before the timer
/// starts, after the heap exists.
pub fn init(param: Option<&str>) {
    let Some(text) = param else { return };
    let Ok(hz) = text.parse::<u64>() else {
        crate::warn!("profile={text}: not a rate in Hz; not profiling");
        return;
    };
    let hz = hz.clamp(1, MAX_HZ);
    *TABLE.lock() = Some(Box::new(Table {
        keys: alloc::vec![Key { name: [0; 16], frames: [0; DEPTH], user: false }; SLOTS],
        counts: alloc::vec![0; SLOTS],
        samples: 0,
    }));
    RATE.store(hz, Ordering::Relaxed);
    crate::info!("profile: sampling at {hz} Hz, {DEPTH} frames deep; the table is printed at power-off");
}

/// The sampling rate the architecture should set up, if profiling.
pub fn sampling_hz() -> Option<u64> {
    Some(RATE.load(Ordering::Relaxed)).filter(|&hz| hz != 0)
}

/// A sampling NMI arrived, interrupting `pc` (frame pointer `frame_pointer`).
/// `per_cpu_ready` is false when it came in the few instructions of an entry
/// or exit path where the per-CPU register still holds the user's value:
/// nothing that reaches per-CPU state (spinlocks do) may run then, so the
/// sample is only counted as lost. Returns false when not profiling (the
/// NMI then means something else).
pub fn on_sample(pc: u64, frame_pointer: u64, from_user: bool, per_cpu_ready: bool) -> bool {
    if RATE.load(Ordering::Relaxed) == 0 {
        return false;
    }
    if per_cpu_ready {
        record(pc, frame_pointer, from_user);
    } else {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
    true
}

fn record(pc: u64, frame_pointer: u64, from_user: bool) {
    let mut key = Key { name: [0; 16], frames: [0; DEPTH], user: from_user };
    if let Some(t) = crate::sched::try_current() {
        if let Some(name) = t.name.try_lock() {
            key.name = *name;
        }
    }
    key.frames[0] = pc;
    if !from_user {
        crate::arch::backtrace::callers(frame_pointer, &mut key.frames[1..]);
    }
    // Busy when the NMI interrupted this CPU's own use of the table (or
    // another CPU holds it): the sample is dropped, never waited for.
    let Some(mut table) = TABLE.try_lock() else {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let Some(table) = table.as_mut() else { return };
    table.samples += 1;
    if !table.add(&key) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// Prints the table, one line per distinct sample:
/// `PROFILE <count> <thread> user <pc in hex>` or
/// `PROFILE <count> <thread> kernel <innermost>;<caller>;...`.
pub fn dump() {
    // Taken out so that no sample adds to it while it prints.
    let Some(table) = TABLE.lock().take() else { return };
    let symbols = ksyms::Table::parse(crate::arch::layout::ksyms_blob()).ok();
    for (key, &count) in table.keys.iter().zip(&table.counts) {
        if count == 0 {
            continue;
        }
        let len = key.name.iter().position(|&b| b == 0).unwrap_or(16);
        let name = core::str::from_utf8(&key.name[..len]).unwrap_or("?");
        let name = if name.is_empty() { "-" } else { name };
        if key.user {
            crate::println!("PROFILE {count} {name} user {:#x}", key.frames[0]);
            continue;
        }
        let mut line = alloc::format!("PROFILE {count} {name} kernel ");
        for (i, &pc) in key.frames.iter().take_while(|&&pc| pc != 0).enumerate() {
            if i > 0 {
                line.push(';');
            }
            // Return addresses point after the call.
            let at = if i == 0 { pc } else { pc - 1 };
            match symbols.as_ref().and_then(|s| s.lookup(at)) {
                Some(f) => line.push_str(f.name),
                None => line.push_str(&alloc::format!("{pc:#x}")),
            }
        }
        crate::println!("{line}");
    }
    crate::println!(
        "PROFILE-END samples={} dropped={} hz={}",
        table.samples,
        DROPPED.load(Ordering::Relaxed),
        RATE.load(Ordering::Relaxed)
    );
}
