//! Per-CPU state, reached through the GS base.
//!
//! Every CPU owns one `PerCpu`: its GDT, TSS, emergency stacks and the fields
//! the syscall entry path needs at fixed offsets. The boot CPU's lives in
//! static storage so exceptions work before the heap exists; the other CPUs
//! get theirs from the heap, made by the boot CPU before it starts them
//! (smp.rs).

use super::gdt::{Gdt, TaskStateSegment, IST_STACK_SIZE};
use alloc::boxed::Box;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};

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
    /// The lock classes (`sync::lock_order::Rank`, one bit each) of the
    /// ranked spinlocks this CPU holds, for the lock-order check. Changed
    /// only by this CPU, each change one instruction (an NMI in between
    /// restores what it changed before it returns).
    lock_ranks_held: u64,
}

impl PerCpu {
    const fn new(cpu_index: u32, apic_id: u32) -> Self {
        PerCpu {
            self_ptr: core::ptr::null(),
            kernel_stack_top: 0,
            user_rsp_scratch: 0,
            cpu_index,
            apic_id,
            gdt: Gdt::new(),
            tss: TaskStateSegment::new(),
            spinlocks_held: 0,
            current_thread: core::ptr::null(),
            lock_ranks_held: 0,
        }
    }
}

/// Everything one CPU owns: its `PerCpu` and the emergency stacks its TSS
/// names.
pub struct CpuBlock {
    percpu: PerCpu,
    ist: [IstStack; 4],
}

impl CpuBlock {
    const fn new(cpu_index: u32, apic_id: u32) -> Self {
        CpuBlock {
            percpu: PerCpu::new(cpu_index, apic_id),
            ist: [
                IstStack([0; IST_STACK_SIZE]),
                IstStack([0; IST_STACK_SIZE]),
                IstStack([0; IST_STACK_SIZE]),
                IstStack([0; IST_STACK_SIZE]),
            ],
        }
    }
}

struct BootCpu(UnsafeCell<CpuBlock>);

// SAFETY: the boot CPU's block is initialised once, by the boot CPU, before any
// other CPU or interrupt can observe it (guarded by BOOT_CPU_TAKEN); afterwards
// it is only reached through that CPU's GS base.
unsafe impl Sync for BootCpu {}

static BOOT_CPU: BootCpu = BootCpu(UnsafeCell::new(CpuBlock::new(0, 0)));
static BOOT_CPU_TAKEN: AtomicBool = AtomicBool::new(false);

/// Every started CPU's `PerCpu` by index (null: none), for IPIs and for
/// the tests that check each CPU has its own.
static CPUS: [AtomicPtr<PerCpu>; MAX_CPUS] = [const { AtomicPtr::new(core::ptr::null_mut()) }; MAX_CPUS];
/// CPUs besides the boot CPU that run threads (all, unless `smp=park`).
static SECONDARY_SCHEDULING: AtomicU32 = AtomicU32::new(0);

/// Sets up the boot CPU: GDT, TSS with IST stacks, GS base. The first
/// thing the kernel does (`pvh_entry`), so that every per-CPU access after
/// it, a spinlock's count included, is one `gs`-relative instruction with
/// no "is it set up yet" test; a secondary CPU likewise installs its block
/// before anything else (`init_secondary`).
pub fn init_boot_cpu() {
    assert!(!BOOT_CPU_TAKEN.swap(true, Ordering::AcqRel), "boot CPU initialised twice");
    // SAFETY: guarded by BOOT_CPU_TAKEN, this is the only mutable access ever
    // made to the boot CPU block, and it happens before interrupts are on.
    let block = unsafe { &mut *BOOT_CPU.0.get() };
    install(block);
}

/// A block for another CPU, on the heap and never freed (a CPU is not
/// taken offline). The boot CPU makes it; the CPU itself installs it.
pub fn new_secondary(cpu_index: u32, apic_id: u32) -> *mut CpuBlock {
    assert!((cpu_index as usize) < MAX_CPUS && cpu_index != 0);
    // Built in place: the IST stacks make the block 64 KiB, too big to
    // pass through the stack first.
    let mut block: Box<core::mem::MaybeUninit<CpuBlock>> = Box::new_zeroed();
    // SAFETY: zero bytes are a valid value for every field (null pointers,
    // zero counts, zeroed stacks); the `PerCpu` is then written whole, so
    // its GDT and TSS are the real ones.
    unsafe {
        let p = block.as_mut_ptr();
        core::ptr::addr_of_mut!((*p).percpu).write(PerCpu::new(cpu_index, apic_id));
        Box::into_raw(block.assume_init())
    }
}

/// Sets up a CPU other than the boot CPU on the block the boot CPU made
/// for it: GDT, TSS with IST stacks, GS base. First thing on that CPU:
/// no spinlock may be taken before (they count themselves through GS).
///
/// # Safety
/// `block` comes from `new_secondary`, and this is its only use.
pub unsafe fn init_secondary(block: *mut CpuBlock) {
    // SAFETY: the caller hands over the block, which nothing else uses.
    install(unsafe { &mut *block });
}

/// Loads `block`'s GDT and TSS on this CPU and points GS at its `PerCpu`.
fn install(block: &'static mut CpuBlock) {
    let CpuBlock { percpu, ist } = block;
    // The TSS is packed: build the array, then store it whole (no references
    // to its unaligned fields).
    let mut tops = [0u64; 7];
    for (top, stack) in tops.iter_mut().zip(ist.iter_mut()) {
        *top = stack.0.as_mut_ptr_range().end as u64;
    }
    percpu.tss.ist = tops;
    percpu.self_ptr = percpu as *const PerCpu;
    let percpu: &'static mut PerCpu = percpu;
    // SAFETY: the TSS and GDT live as long as the kernel (static storage,
    // or a heap block never freed); we hand out shared references only
    // after the last write above.
    let tss: &'static TaskStateSegment = unsafe { &*(&percpu.tss as *const TaskStateSegment) };
    percpu.gdt.set_tss(tss);
    percpu.gdt.set_cpu_number(percpu.cpu_index);
    // SAFETY: as above: no more writes to the GDT after this point.
    let gdt: &'static Gdt = unsafe { &*(&percpu.gdt as *const Gdt) };
    super::gdt::load(gdt);
    super::cpu::wrmsr(super::cpu::IA32_GS_BASE, percpu as *const PerCpu as u64);
    super::cpu::wrmsr(super::cpu::IA32_KERNEL_GS_BASE, 0);
    CPUS[percpu.cpu_index as usize].store(percpu as *const PerCpu as *mut PerCpu, Ordering::Release);
}

/// Adds `delta` to this CPU's count of held spinlocks: one instruction on
/// the per-CPU block, as the count changes on every lock and unlock.
#[inline]
pub fn add_spinlocks_held(delta: i32) {
    // SAFETY: GS base points at this CPU's PerCpu (init_boot_cpu, init_secondary), whose
    // `spinlocks_held` is at a fixed offset in a repr(C) struct; only this
    // CPU writes it, with interrupts masked by the caller (a spinlock).
    unsafe {
        core::arch::asm!("add dword ptr gs:[{off}], {d:e}", d = in(reg) delta, off = const core::mem::offset_of!(PerCpu, spinlocks_held), options(nostack))
    }
}

/// The lock classes this CPU holds (one bit per `sync::lock_order::Rank`).
#[inline]
#[cfg_attr(not(feature = "lock-order"), allow(dead_code))] // the lock-order check
pub fn lock_ranks_held() -> u64 {
    let v: u64;
    // SAFETY: GS base points at this CPU's PerCpu (init_boot_cpu, init_secondary); the field is
    // at a fixed offset in a repr(C) struct. A read.
    unsafe {
        core::arch::asm!("mov {}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, lock_ranks_held), options(nostack, readonly, preserves_flags))
    }
    v
}

/// Adds `bits` to this CPU's held lock classes: one `or` on the per-CPU
/// block, so an NMI cannot split it.
#[inline]
#[cfg_attr(not(feature = "lock-order"), allow(dead_code))] // the lock-order check
pub fn add_lock_ranks(bits: u64) {
    // SAFETY: as in lock_ranks_held; only this CPU writes its own block.
    unsafe {
        core::arch::asm!("or qword ptr gs:[{off}], {b}", b = in(reg) bits, off = const core::mem::offset_of!(PerCpu, lock_ranks_held), options(nostack))
    }
}

/// Takes `bits` out of this CPU's held lock classes (one `and`).
#[inline]
#[cfg_attr(not(feature = "lock-order"), allow(dead_code))] // the lock-order check
pub fn remove_lock_ranks(bits: u64) {
    // SAFETY: as in add_lock_ranks.
    unsafe {
        core::arch::asm!("and qword ptr gs:[{off}], {b}", b = in(reg) !bits, off = const core::mem::offset_of!(PerCpu, lock_ranks_held), options(nostack))
    }
}

/// What `set_current_thread` last stored on this CPU (null before the
/// scheduler starts). One `gs`-relative load: a thread that reads it is the
/// one running on the CPU it reads from, even if it moves CPUs around it.
#[inline]
pub fn current_thread() -> *const () {
    let v: *const ();
    // SAFETY: GS base points at this CPU's PerCpu (init_boot_cpu, init_secondary); the field is
    // at a fixed offset in a repr(C) struct. A read.
    unsafe {
        core::arch::asm!("mov {}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, current_thread), options(nostack, readonly, preserves_flags))
    }
    v
}

/// Records the thread now running on this CPU (the scheduler, at a switch).
pub fn set_current_thread(thread: *const ()) {
    // SAFETY: as in current_thread; only this CPU writes its own block.
    unsafe {
        core::arch::asm!("mov gs:[{off}], {}", in(reg) thread, off = const core::mem::offset_of!(PerCpu, current_thread), options(nostack, preserves_flags))
    }
}

/// This CPU's count of held spinlocks.
pub fn spinlocks_held() -> u32 {
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

/// How many CPUs run threads (what /sys/devices/system/cpu/online,
/// sched_getaffinity and /proc/cpuinfo report): the boot CPU, and the
/// others unless `smp=park`. Parked CPUs run kernel code but no
/// thread, so a program told about them would plan for CPUs it never gets.
pub fn online_cpus() -> u32 {
    u32::from(BOOT_CPU_TAKEN.load(Ordering::Acquire)) + SECONDARY_SCHEDULING.load(Ordering::Acquire)
}

/// This CPU (not the boot CPU) now runs threads.
pub fn count_scheduling_cpu() {
    assert!(cpu_index() != 0);
    SECONDARY_SCHEDULING.fetch_add(1, Ordering::AcqRel);
}

/// The APIC id of the CPU with index `cpu`, if that CPU installed its block.
pub fn apic_id_of(cpu: usize) -> Option<u32> {
    let p = CPUS.get(cpu)?.load(Ordering::Acquire);
    // SAFETY: a non-null entry points at a `PerCpu` that lives forever (the
    // boot CPU's static, or a leaked heap block); `apic_id` is written
    // before the pointer is published and never after.
    (!p.is_null()).then(|| unsafe { (*p).apic_id })
}

/// Where CPU `cpu`'s `PerCpu` is, by the registry (for the tests: every CPU
/// must have its own).
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
pub fn block_of(cpu: usize) -> Option<usize> {
    let p = CPUS.get(cpu)?.load(Ordering::Acquire);
    (!p.is_null()).then_some(p as usize)
}

/// Where this CPU's `PerCpu` is, by its GS base.
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
pub fn own_block() -> usize {
    let p: usize;
    // SAFETY: gs:0 holds self_ptr (see install); a read.
    unsafe { core::arch::asm!("mov {}, gs:[0]", out(reg) p, options(nostack, readonly, preserves_flags)) };
    p
}

/// The APIC id this CPU's block records.
pub fn apic_id() -> u32 {
    let v: u32;
    // SAFETY: as in cpu_index.
    unsafe {
        core::arch::asm!("mov {:e}, gs:[{off}]", out(reg) v, off = const core::mem::offset_of!(PerCpu, apic_id), options(nostack, readonly, preserves_flags))
    }
    v
}

/// Records the boot CPU's APIC id, known once its local APIC is enabled
/// (its block is static, made before).
pub fn set_boot_apic_id(id: u32) {
    assert!(cpu_index() == 0);
    // SAFETY: only this CPU touches its own PerCpu, and the APIC id field is
    // read by other CPUs only through the registry after this (boot, before
    // any other CPU is started).
    unsafe { current_mut().apic_id = id };
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
