//! Per-CPU state, reached through the GS base.
//!
//! Every CPU owns one `PerCpu`: its GDT, TSS, emergency stacks and the fields
//! the syscall entry path needs at fixed offsets. The boot CPU's lives in
//! static storage so exceptions work before the heap exists; later CPUs get
//! theirs from the heap when SMP arrives.

use super::gdt::{Gdt, TaskStateSegment, IST_STACK_SIZE};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};

pub const MAX_CPUS: usize = 64;

#[repr(C, align(16))]
struct IstStack([u8; IST_STACK_SIZE]);

/// The part of per-CPU state with a fixed layout: assembly reads these through
/// `gs:OFFSET`, so fields are only ever appended.
#[repr(C)]
pub struct PerCpu {
    /// Points at itself, so Rust can find the structure from `gs:0`.
    self_ptr: *const PerCpu,
    /// Kernel stack top for the current thread (syscall entry switches to it).
    pub kernel_stack_top: u64,
    /// Scratch slot for the user stack pointer during syscall entry.
    pub user_rsp_scratch: u64,
    pub cpu_index: u32,
    pub apic_id: u32,
    gdt: Gdt,
    tss: TaskStateSegment,
    /// Spinlocks this CPU holds (sync::spinlock counts them; sync::may_sleep
    /// checks them). Changed only by this CPU with interrupts masked.
    spinlocks_held: u32,
    /// The thread running on this CPU, as the scheduler set it (opaque
    /// here): read in one instruction, it always names the reader.
    current_thread: *const (),
}

struct BootCpu {
    percpu: UnsafeCell<PerCpu>,
    ist: UnsafeCell<[IstStack; 4]>,
}

// SAFETY: the boot CPU's block is initialised once, by the boot CPU, before any
// other CPU or interrupt can observe it (guarded by BOOT_CPU_TAKEN); afterwards
// it is only reached through that CPU's GS base.
unsafe impl Sync for BootCpu {}

static BOOT_CPU: BootCpu = BootCpu {
    percpu: UnsafeCell::new(PerCpu {
        self_ptr: core::ptr::null(),
        kernel_stack_top: 0,
        user_rsp_scratch: 0,
        cpu_index: 0,
        apic_id: 0,
        gdt: Gdt::new(),
        tss: TaskStateSegment::new(),
        spinlocks_held: 0,
        current_thread: core::ptr::null(),
    }),
    ist: UnsafeCell::new([
        IstStack([0; IST_STACK_SIZE]),
        IstStack([0; IST_STACK_SIZE]),
        IstStack([0; IST_STACK_SIZE]),
        IstStack([0; IST_STACK_SIZE]),
    ]),
};
static BOOT_CPU_TAKEN: AtomicBool = AtomicBool::new(false);
/// Set once the boot CPU's GS base points at its block: before that, the
/// per-CPU block cannot be reached (the spinlocks taken in early boot are
/// counted in EARLY_SPINLOCKS_HELD). SMP: a secondary CPU must set its GS
/// base before it takes any spinlock.
static GS_READY: AtomicBool = AtomicBool::new(false);

/// Sets up the boot CPU: GDT, TSS with IST stacks, GS base.
pub fn init_boot_cpu() {
    assert!(!BOOT_CPU_TAKEN.swap(true, Ordering::AcqRel), "boot CPU initialised twice");
    // SAFETY: guarded by BOOT_CPU_TAKEN, this is the only mutable access ever
    // made to the boot CPU block, and it happens before interrupts are on.
    let (percpu, ist) = unsafe { (&mut *BOOT_CPU.percpu.get(), &mut *BOOT_CPU.ist.get()) };
    // The TSS is packed: build the array, then store it whole (no references
    // to its unaligned fields).
    let mut tops = [0u64; 7];
    for (top, stack) in tops.iter_mut().zip(ist.iter_mut()) {
        *top = stack.0.as_mut_ptr_range().end as u64;
    }
    percpu.tss.ist = tops;
    percpu.self_ptr = percpu as *const PerCpu;
    let percpu: &'static mut PerCpu = percpu;
    // SAFETY: the TSS and GDT live in static storage; we hand out shared
    // references only after the last write above.
    let tss: &'static TaskStateSegment = unsafe { &*(&percpu.tss as *const TaskStateSegment) };
    percpu.gdt.set_tss(tss);
    // SAFETY: as above: no more writes to the GDT after this point.
    let gdt: &'static Gdt = unsafe { &*(&percpu.gdt as *const Gdt) };
    super::gdt::load(gdt);
    super::cpu::wrmsr(super::cpu::IA32_GS_BASE, percpu as *const PerCpu as u64);
    super::cpu::wrmsr(super::cpu::IA32_KERNEL_GS_BASE, 0);
    GS_READY.store(true, Ordering::Release);
}

/// Before per-CPU state exists (early boot, one CPU, interrupts off),
/// spinlocks are counted here.
static EARLY_SPINLOCKS_HELD: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// Adds `delta` to this CPU's count of held spinlocks: one instruction on
/// the per-CPU block, as the count changes on every lock and unlock.
#[inline]
pub fn add_spinlocks_held(delta: i32) {
    if !GS_READY.load(Ordering::Relaxed) {
        EARLY_SPINLOCKS_HELD.fetch_add(delta as u32, Ordering::Relaxed);
        return;
    }
    // SAFETY: GS base points at this CPU's PerCpu (GS_READY), whose
    // `spinlocks_held` is at a fixed offset in a repr(C) struct; only this
    // CPU writes it, with interrupts masked by the caller (a spinlock).
    unsafe {
        core::arch::asm!("add dword ptr gs:[{off}], {d:e}", d = in(reg) delta, off = const core::mem::offset_of!(PerCpu, spinlocks_held), options(nostack))
    }
}

/// What `set_current_thread` last stored on this CPU (null before the
/// scheduler starts). One `gs`-relative load: a thread that reads it is the
/// one running on the CPU it reads from, even if it moves CPUs around it.
#[inline]
pub fn current_thread() -> *const () {
    if !GS_READY.load(Ordering::Relaxed) {
        return core::ptr::null();
    }
    let v: *const ();
    // SAFETY: GS base points at this CPU's PerCpu (GS_READY); the field is
    // at a fixed offset in a repr(C) struct. A read.
    unsafe {
        core::arch::asm!("mov {}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, current_thread), options(nostack, readonly, preserves_flags))
    }
    v
}

/// Records the thread now running on this CPU (the scheduler, at a switch).
pub fn set_current_thread(thread: *const ()) {
    assert!(GS_READY.load(Ordering::Relaxed), "per-CPU block not set up");
    // SAFETY: as in current_thread; only this CPU writes its own block.
    unsafe {
        core::arch::asm!("mov gs:[{off}], {}", in(reg) thread, off = const core::mem::offset_of!(PerCpu, current_thread), options(nostack, preserves_flags))
    }
}

/// This CPU's count of held spinlocks.
pub fn spinlocks_held() -> u32 {
    if !GS_READY.load(Ordering::Relaxed) {
        return EARLY_SPINLOCKS_HELD.load(Ordering::Relaxed);
    }
    let v: u32;
    // SAFETY: as in add_spinlocks_held; a read.
    unsafe {
        core::arch::asm!("mov {:e}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, spinlocks_held), options(nostack, readonly, preserves_flags))
    }
    v
}

/// This CPU's index (0 for the boot CPU).
pub fn cpu_index() -> u32 {
    let v: u32;
    // SAFETY: GS base points at this CPU's PerCpu once init_boot_cpu ran;
    // `cpu_index` is at a fixed offset in a repr(C) struct.
    unsafe {
        core::arch::asm!("mov {:e}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, cpu_index), options(nostack, readonly, preserves_flags))
    }
    v
}

/// How many CPUs run kernel code: the boot CPU only until SMP brings up
/// the others (what /sys/devices/system/cpu/online, sched_getaffinity and
/// /proc/cpuinfo report).
pub fn online_cpus() -> u32 {
    u32::from(BOOT_CPU_TAKEN.load(Ordering::Acquire))
}

/// Sets the stack the CPU switches to when an interrupt arrives from user mode.
pub fn set_kernel_stack(top: u64) {
    // SAFETY: only this CPU touches its own PerCpu, with interrupts masked by
    // the caller (the scheduler), so no one else observes the write half-done.
    unsafe {
        let p = current_mut();
        p.kernel_stack_top = top;
        p.tss.rsp0 = top;
    }
}

/// # Safety
/// The caller must not hold another reference to this CPU's PerCpu.
unsafe fn current_mut() -> &'static mut PerCpu {
    let p: *mut PerCpu;
    // SAFETY: gs:0 holds self_ptr (see init_boot_cpu).
    unsafe { core::arch::asm!("mov {}, gs:[0]", out(reg) p, options(nostack, readonly, preserves_flags)) };
    // SAFETY: the caller promises exclusivity.
    unsafe { &mut *p }
}
