//! Starting the application processors (every CPU but the boot CPU).
//!
//! The boot CPU starts them one at a time, as the SDM's MP initialisation
//! protocol has it: INIT, 10 ms, a start-up IPI, 200 us, a second start-up
//! IPI, 200 us (a CPU that started on the first ignores the second). The
//! CPU runs the trampoline (trampoline.rs) into `secondary_entry` on a
//! kernel stack of its own, sets itself up as the boot path set up the boot
//! CPU, and reports online; only then is the next one started, because
//! they share the trampoline.
//!
//! What the boot path sets up, and where a secondary CPU gets the same:
//! CR0, CR4 (FPU/SSE use, global pages) and EFER (long mode, no-execute):
//! the boot CPU's values, loaded by the trampoline; GDT, TSS and IST stacks
//! and the GS base: `percpu::init_secondary` on a heap block; the IDT:
//! shared; EFER.SCE and the syscall MSRs: `syscall_entry::init`; the local
//! APIC and its NMI wiring: `platform::init_secondary`. The PAT and the FPU
//! are left at their reset state on every CPU (the boot path changes
//! neither).

use super::percpu::{self, MAX_CPUS};
use super::{apic, cpu, idt, paging, platform, syscall_entry, trampoline};
use crate::mm::kernel_stack::KernelStack;
use core::sync::atomic::{AtomicBool, Ordering};

/// How long a CPU may take from INIT to reporting online. Generous: under
/// emulation with more virtual CPUs than host cores, a CPU may wait for a
/// host core before it runs at all.
const ANSWER_TIMEOUT_MS: u64 = 2000;

/// Whether the trampoline's low pages are free RAM (entry.rs checks the
/// loader's memory map and what it left there).
static TRAMPOLINE_USABLE: AtomicBool = AtomicBool::new(false);

pub fn set_trampoline_usable(usable: bool) {
    TRAMPOLINE_USABLE.store(usable, Ordering::Relaxed);
}

/// Set by each secondary CPU, by index, once it is set up.
static ONLINE: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// What the start-up found.
#[derive(Debug, Clone, Copy, Default)]
pub struct Started {
    /// CPUs that reported online.
    pub started: u32,
    /// Enabled CPUs in the MADT other than the boot CPU.
    pub expected: u32,
}

/// Busy-waits `us` microseconds on the TSC (calibrated by now).
fn delay_us(us: u64) {
    let ticks = crate::time::tsc_frequency() / 1_000_000 * us;
    let start = cpu::rdtsc();
    while cpu::rdtsc().wrapping_sub(start) < ticks {
        core::hint::spin_loop();
    }
}

/// Waits up to `ms` for CPU `index` to report online.
fn wait_online(index: usize, ms: u64) -> bool {
    let ticks = crate::time::tsc_frequency() / 1000 * ms;
    let start = cpu::rdtsc();
    while cpu::rdtsc().wrapping_sub(start) < ticks {
        if ONLINE[index].load(Ordering::Acquire) {
            return true;
        }
        core::hint::spin_loop();
    }
    ONLINE[index].load(Ordering::Acquire)
}

fn read_cr0() -> u64 {
    let v: u64;
    // SAFETY: reading a control register has no side effects.
    unsafe { core::arch::asm!("mov {}, cr0", out(reg) v, options(nomem, nostack, preserves_flags)) }
    v
}

fn read_cr4() -> u64 {
    let v: u64;
    // SAFETY: reading a control register has no side effects.
    unsafe { core::arch::asm!("mov {}, cr4", out(reg) v, options(nomem, nostack, preserves_flags)) }
    v
}

/// Starts every enabled CPU the MADT lists besides this one (the boot
/// CPU), one at a time; each runs `crate::smp::secondary_main` once set up.
/// A CPU that does not answer is logged and left out.
pub fn start_secondary_cpus() -> Started {
    let Some(madt) = platform::madt() else {
        return Started::default();
    };
    if !TRAMPOLINE_USABLE.load(Ordering::Relaxed) {
        let others = madt.cpus.as_slice().iter().filter(|c| c.enabled && c.apic_id != apic::id()).count();
        return Started { started: 0, expected: others as u32 };
    }
    let me = apic::id();
    let mut result = Started::default();
    let mut next_index = 1u32;
    let mut installed = false;
    for entry in madt.cpus.as_slice() {
        if !entry.enabled || entry.apic_id == me {
            continue;
        }
        result.expected += 1;
        if next_index as usize >= MAX_CPUS {
            crate::warn!("more than {MAX_CPUS} CPUs; APIC id {} not started", entry.apic_id);
            continue;
        }
        if !apic::can_address(entry.apic_id) {
            crate::warn!("APIC id {} cannot be addressed without x2APIC; not started", entry.apic_id);
            continue;
        }
        if !installed {
            trampoline::install(paging::kernel_root(), read_cr0(), read_cr4(), cpu::rdmsr(cpu::IA32_EFER));
            installed = true;
        }
        let index = next_index;
        let stack = match KernelStack::new() {
            Ok(s) => s,
            Err(_) => {
                crate::warn!("no memory for a kernel stack; APIC id {} not started", entry.apic_id);
                break;
            }
        };
        let block = percpu::new_secondary(index, entry.apic_id);
        trampoline::prepare(secondary_entry, stack.top(), block as u64);

        apic::send_init(entry.apic_id);
        delay_us(10_000);
        for _ in 0..2 {
            apic::send_startup(entry.apic_id, trampoline::vector());
            delay_us(200);
        }
        if wait_online(index as usize, ANSWER_TIMEOUT_MS) {
            // Its stack is its idle thread's for good.
            core::mem::forget(stack);
            result.started += 1;
            next_index += 1;
            continue;
        }
        if trampoline::take_back_stack() {
            // It never reached long mode; if it ever does, it finds no
            // stack and halts. The block and stack were never used.
            crate::warn!("CPU with APIC id {} did not answer INIT/start-up; left out", entry.apic_id);
            drop(stack);
            // SAFETY: the block came from new_secondary and nothing else
            // has it (the CPU never took the stack that pointed to it).
            drop(unsafe { alloc::boxed::Box::from_raw(block) });
            continue;
        }
        // It took the stack, so it runs our code, but slowly: wait once more.
        if wait_online(index as usize, ANSWER_TIMEOUT_MS) {
            core::mem::forget(stack);
            result.started += 1;
            next_index += 1;
            continue;
        }
        crate::warn!(
            "smp: CPU with APIC id {} started but did not report online in {} ms; left out, its stack and index kept",
            entry.apic_id,
            2 * ANSWER_TIMEOUT_MS
        );
        core::mem::forget(stack);
        next_index += 1;
    }
    result
}

/// Called by the trampoline on the new CPU's own kernel stack, interrupts
/// masked, on the trampoline's page tables and GDT. `block` is its
/// per-CPU block, from `percpu::new_secondary`.
extern "C" fn secondary_entry(block: u64) -> ! {
    // First: spinlocks count themselves through the GS base.
    // SAFETY: the boot CPU made this block for this CPU alone and handed it
    // over through the stack this CPU took.
    unsafe { percpu::init_secondary(block as *mut percpu::CpuBlock) };
    // The kernel's own tables: the trampoline's identity map is not needed
    // past this point, and the boot CPU may reuse it for the next CPU.
    paging::load_kernel_root();
    idt::load();
    syscall_entry::init();
    platform::init_secondary();
    crate::smp::secondary_main()
}

/// This CPU is set up: the boot CPU may start the next one. Called once,
/// by `crate::smp::secondary_main`.
pub fn report_online() {
    ONLINE[percpu::cpu_index() as usize].store(true, Ordering::Release);
}

/// Whether the CPU with index `cpu` reported online (the boot CPU always).
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests so far
pub fn is_online(cpu: usize) -> bool {
    cpu == 0 || ONLINE.get(cpu).is_some_and(|o| o.load(Ordering::Acquire))
}
