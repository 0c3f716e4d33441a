//! Per-thread CPU context: the saved kernel stack pointer for switching,
//! the user FS base (TLS), the FPU/SSE register file and the hardware
//! breakpoints a tracer armed (debug_registers.rs).
//!
//! The kernel itself never touches FPU or vector registers (the target is
//! soft-float), so user FP state only changes hands on a context switch.

use super::cpu::{wrmsr, IA32_FS_BASE};
use super::debug_registers::{self, Breakpoints};
use super::trap_entry::TrapFrame;
use core::cell::UnsafeCell;

core::arch::global_asm!(
    r#"
    .section .text.switch_context, "ax", @progbits
    .global switch_context
    /* switch_context(save_rsp: *mut u64 [rdi], next_rsp: u64 [rsi]) */
switch_context:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

    .global thread_first_entry
    /* A new thread's first switch "returns" here with rsp at its TrapFrame. */
thread_first_entry:
    call thread_start_hook
    mov rdi, rsp
    call thread_first_return_hook
    jmp trap_return
"#
);

extern "C" {
    fn switch_context(save_rsp: *mut u64, next_rsp: u64);
    fn thread_first_entry();
}

/// 512-byte FXSAVE area.
#[repr(C, align(16))]
#[derive(Clone)]
pub struct FpuState([u8; 512]);

impl FpuState {
    /// The state a new program starts with: x87 control word 0x37f, all
    /// exceptions masked in MXCSR (0x1f80), everything else zero.
    pub fn initial() -> Self {
        let mut s = [0u8; 512];
        s[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
        s[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
        s[28..32].copy_from_slice(&0xffffu32.to_le_bytes()); // MXCSR mask
        FpuState(s)
    }

    pub fn bytes(&self) -> &[u8; 512] {
        &self.0
    }

    /// Loads FXSAVE bytes from a signal frame. The reserved MXCSR bits must be
    /// clear or FXRSTOR would fault in the kernel, so they are forced off.
    pub fn set_bytes(&mut self, bytes: &[u8; 512]) {
        self.0 = *bytes;
        let mxcsr = u32::from_le_bytes([self.0[24], self.0[25], self.0[26], self.0[27]]) & 0xffff;
        self.0[24..28].copy_from_slice(&mxcsr.to_le_bytes());
    }
}

/// The switch-related state of one thread. Only the CPU that is switching
/// to or away from the thread touches it, with interrupts masked.
pub struct Context {
    saved_rsp: UnsafeCell<u64>,
    fpu: UnsafeCell<FpuState>,
    fs_base: UnsafeCell<u64>,
    breakpoints: UnsafeCell<Breakpoints>,
}

// SAFETY: see the type's comment: accesses are serialised by the scheduler
// (one CPU, interrupts masked), never concurrent.
unsafe impl Sync for Context {}
// SAFETY: the fields are plain data.
unsafe impl Send for Context {}

impl Context {
    /// Context for a thread that starts in user mode with `frame`, which is
    /// stored at the top of its (fresh, unused) kernel stack.
    pub fn new_user(stack_top: u64, frame: &TrapFrame, fpu: FpuState, thread_pointer: u64) -> Self {
        let frame_addr = write_frame(stack_top, frame);
        // Below the TrapFrame: the six callee-saved registers switch_context
        // pops, and the return address it `ret`s to.
        let ret_slot = frame_addr - 8;
        let regs = ret_slot - 6 * 8;
        // SAFETY: the stack is fresh and owned by the new thread, which has
        // not run; the 56 bytes below the frame are unused stack.
        unsafe {
            (ret_slot as *mut u64).write(thread_first_entry as *const () as u64);
            core::ptr::write_bytes(regs as *mut u64, 0, 6);
        }
        // A new thread or process starts without breakpoints (Linux does not
        // copy ptrace's to a child).
        Context {
            saved_rsp: UnsafeCell::new(regs),
            fpu: UnsafeCell::new(fpu),
            fs_base: UnsafeCell::new(thread_pointer),
            breakpoints: UnsafeCell::new(Breakpoints::default()),
        }
    }

    /// Replaces the user frame of a thread that has not run yet (the first
    /// process, whose frame exec fills in after the thread exists).
    pub fn set_initial_frame(&self, stack_top: u64, frame: &TrapFrame) {
        write_frame(stack_top, frame);
    }

    /// Context for the thread already running on this CPU (the boot thread).
    pub fn current() -> Self {
        Context {
            saved_rsp: UnsafeCell::new(0),
            fpu: UnsafeCell::new(FpuState::initial()),
            fs_base: UnsafeCell::new(0),
            breakpoints: UnsafeCell::new(Breakpoints::default()),
        }
    }

    pub fn thread_pointer(&self) -> u64 {
        // SAFETY: see the type's comment.
        unsafe { *self.fs_base.get() }
    }

    /// Sets this thread's FS base; `current` says whether it is running here.
    pub fn set_thread_pointer(&self, value: u64, current: bool) {
        // SAFETY: see the type's comment; called by the thread itself.
        unsafe { *self.fs_base.get() = value };
        if current {
            wrmsr(IA32_FS_BASE, value);
        }
    }

    pub fn breakpoints(&self) -> Breakpoints {
        // SAFETY: see the type's comment.
        unsafe { *self.breakpoints.get() }
    }

    /// Arms this thread's hardware breakpoints (none: disarms them);
    /// `current` says whether it is running here. Called by the thread
    /// itself, as it leaves a ptrace stop or execs.
    pub fn set_breakpoints(&self, b: Breakpoints, current: bool) {
        // SAFETY: see the type's comment; called by the thread itself.
        let old = unsafe { core::mem::replace(&mut *self.breakpoints.get(), b) };
        if current && (old.armed() || b.armed()) {
            debug_registers::load(&b);
        }
    }

    /// Copies of the FPU state (for signal frames and fork). The running
    /// thread's live registers are saved first.
    pub fn fpu_snapshot(&self, current: bool) -> FpuState {
        if current {
            // SAFETY: the area is 16-aligned and 512 bytes, as FXSAVE needs.
            unsafe { core::arch::asm!("fxsave64 [{}]", in(reg) self.fpu.get(), options(nostack)) };
        }
        // SAFETY: see the type's comment.
        unsafe { (*self.fpu.get()).clone() }
    }

    /// Replaces the FPU state; for the running thread the registers are
    /// reloaded at once.
    pub fn set_fpu(&self, state: FpuState, current: bool) {
        // SAFETY: see the type's comment.
        unsafe { *self.fpu.get() = state };
        if current {
            // SAFETY: the state was sanitised (set_bytes/initial) so FXRSTOR
            // does not fault on reserved MXCSR bits.
            unsafe { core::arch::asm!("fxrstor64 [{}]", in(reg) self.fpu.get(), options(nostack)) };
        }
    }
}

impl Context {
    /// Where a thread that is not running left the CPU: the return address
    /// into its caller of `switch` and that frame's base pointer, for a
    /// backtrace (task/dump.rs). Read without the scheduler's exclusion, so
    /// the words are fetched through the fault-proof reader: a thread that
    /// started running meanwhile gives a stale or unreadable answer, never
    /// a fault. None for a thread that has never been switched out.
    pub fn switched_out_at(&self) -> Option<(u64, u64)> {
        // SAFETY: a plain aligned word read of our own field; a concurrent
        // switch may change it, which makes the value stale, not invalid.
        let rsp = unsafe { self.saved_rsp.get().read_volatile() };
        if rsp == 0 {
            return None;
        }
        // switch_context pushed rbp, rbx, r12-r15 below its return address.
        let rbp = super::layout::read_kernel_word(rsp + 5 * 8)?;
        let rip = super::layout::read_kernel_word(rsp + 6 * 8)?;
        Some((rip, rbp))
    }
}

/// The user-mode registers saved at the top of a kernel stack (`stack_top`
/// as `KernelStack::top` gives it), as the entry code stores them for
/// every system call and trap from user mode; None when the memory is not
/// readable. For diagnostics (task/dump.rs): it is a copy, possibly stale.
pub fn user_frame(stack_top: u64) -> Option<TrapFrame> {
    const WORDS: usize = core::mem::size_of::<TrapFrame>() / 8;
    if stack_top == 0 {
        return None;
    }
    let base = stack_top - (WORDS as u64) * 8;
    let mut words = [0u64; WORDS];
    for (i, w) in words.iter_mut().enumerate() {
        *w = super::layout::read_kernel_word(base + 8 * i as u64)?;
    }
    let [r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax, vector, error_code, rip, cs, rflags, rsp, ss] =
        words;
    Some(TrapFrame {
        r15,
        r14,
        r13,
        r12,
        r11,
        r10,
        r9,
        r8,
        rbp,
        rdi,
        rsi,
        rdx,
        rcx,
        rbx,
        rax,
        vector,
        error_code,
        rip,
        cs,
        rflags,
        rsp,
        ss,
    })
}

/// Switches from `prev` to `next`. Interrupts must be masked; the caller has
/// already installed `next`'s address space and kernel stack in per-CPU state.
pub fn switch(prev: &Context, next: &Context) {
    // SAFETY: both contexts belong to threads this CPU is switching between
    // with interrupts masked (no one else reads their fields now); the FXSAVE
    // areas are aligned; `next` was either saved by a previous switch or built
    // by `new_user`. The debug registers are loaded only when either thread
    // has breakpoints, so DR7 is 0 whenever the running thread has none.
    unsafe {
        core::arch::asm!("fxsave64 [{}]", in(reg) prev.fpu.get(), options(nostack));
        core::arch::asm!("fxrstor64 [{}]", in(reg) next.fpu.get(), options(nostack));
        wrmsr(IA32_FS_BASE, *next.fs_base.get());
        let (before, after) = (&*prev.breakpoints.get(), &*next.breakpoints.get());
        if before.armed() || after.armed() {
            debug_registers::load(after);
        }
        switch_context(prev.saved_rsp.get(), *next.saved_rsp.get());
    }
}

/// Stores `frame` at the top of a kernel stack; returns its address.
fn write_frame(stack_top: u64, frame: &TrapFrame) -> u64 {
    let addr = stack_top - core::mem::size_of::<TrapFrame>() as u64;
    assert!(addr.is_multiple_of(16), "TrapFrame must sit 16-byte aligned");
    // SAFETY: the top of a kernel stack that belongs to a thread that is not
    // running; mapped and writable (KernelStack guarantees it).
    unsafe { (addr as *mut TrapFrame).write(frame.clone()) };
    addr
}

#[no_mangle]
extern "C" fn thread_start_hook() {
    crate::sched::finish_switch();
}

/// A new user thread's first return to user mode does what every later
/// one does: signals already pending are delivered first (a traced
/// child's first SIGSTOP, a tracer's interrupt), as on Linux, even when
/// the thread's first act would be a system call that never returns.
#[no_mangle]
extern "C" fn thread_first_return_hook(frame: &mut TrapFrame) {
    if frame.from_user() {
        crate::task::signal::return_to_user(frame);
    }
}

/// A frame that "returns" into kernel mode at `entry`, for the in-kernel
/// tests' kernel threads (ktest/kthread.rs): `Context::new_user` stores it
/// at `stack_top` as for a user thread, and the first switch's
/// `trap_return` sees a kernel code segment, so it skips swapgs and irets
/// to `entry` with interrupts on. The thread runs on the same kernel stack
/// just below the frame, aligned as if `entry` had been called (`entry`
/// never returns; the word at its return-address slot is stale).
#[cfg(feature = "ktest")]
pub fn kernel_entry_frame(entry: extern "C" fn() -> !, stack_top: u64) -> TrapFrame {
    let frame_addr = stack_top - core::mem::size_of::<TrapFrame>() as u64;
    TrapFrame {
        rip: entry as usize as u64,
        rsp: frame_addr - 8,
        cs: u64::from(super::gdt::KERNEL_CODE),
        ss: u64::from(super::gdt::KERNEL_DATA),
        rflags: 0x202, // IF, plus the always-one bit
        ..TrapFrame::default()
    }
}
