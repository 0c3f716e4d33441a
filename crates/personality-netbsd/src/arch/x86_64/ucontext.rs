//! NetBSD's amd64 `ucontext_t` (sys/sys/ucontext.h,
//! sys/arch/amd64/include/mcontext.h; 784 bytes) and the registers it
//! holds: what getcontext and a signal frame record, and what
//! setcontext and _lwp_create start from (machdep.c `cpu_getmcontext`,
//! `cpu_setmcontext`, `cpu_mcontext_validate`).
//!
//! ```text
//!   0  uc_flags          4  pad
//!   8  uc_link
//!  16  uc_sigmask        (4 × u32)
//!  32  uc_stack          ss_sp, ss_size, ss_flags (+pad)
//!  56  uc_mcontext.__gregs[26]   (_REG_RDI .. _REG_SS, 8 bytes each)
//! 264  uc_mcontext._mc_tlsbase
//! 272  uc_mcontext.__fpregs     (512-byte FXSAVE image)
//! ```

use kernel_ops::{Error, FpuImage, KResult, UserContext, USER_FLAGS, USER_SPACE_END};

pub const UCONTEXT_BYTES: usize = 784;

pub const UC_SIGMASK: u32 = 0x01;
pub const UC_STACK: u32 = 0x02;
pub const UC_CPU: u32 = 0x04;
pub const UC_FPU: u32 = 0x08;
pub const UC_SETSTACK: u32 = 0x1_0000;
pub const UC_CLRSTACK: u32 = 0x2_0000;
pub const UC_TLSBASE: u32 = 0x8_0000;

const UC_FLAGS: usize = 0;
const UC_LINK: usize = 8;
const UC_SIGMASK_AT: usize = 16;
const UC_STACK_AT: usize = 32;
const GREGS: usize = 56;
const TLSBASE: usize = 264;
const FPREGS: usize = 272;

/// `__gregs` indices (sys/arch/amd64/include/frame_regs.h order).
const REG_RDI: usize = 0;
const REG_RSI: usize = 1;
const REG_RDX: usize = 2;
const REG_RCX: usize = 3;
const REG_R8: usize = 4;
const REG_R9: usize = 5;
const REG_R10: usize = 6;
const REG_R11: usize = 7;
const REG_R12: usize = 8;
const REG_R13: usize = 9;
const REG_R14: usize = 10;
const REG_R15: usize = 11;
const REG_RBP: usize = 12;
const REG_RBX: usize = 13;
const REG_RAX: usize = 14;
const REG_GS: usize = 15;
const REG_FS: usize = 16;
const REG_ES: usize = 17;
const REG_DS: usize = 18;
const REG_TRAPNO: usize = 19;
const REG_ERR: usize = 20;
const REG_RIP: usize = 21;
const REG_CS: usize = 22;
const REG_RFLAGS: usize = 23;
const REG_RSP: usize = 24;
const REG_SS: usize = 25;

fn put(b: &mut [u8], at: usize, bytes: &[u8]) {
    b[at..at + bytes.len()].copy_from_slice(bytes);
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

fn greg(uc: &[u8], i: usize) -> u64 {
    u64_at(uc, GREGS + 8 * i)
}

fn set_greg(uc: &mut [u8], i: usize, v: u64) {
    put(uc, GREGS + 8 * i, &v.to_le_bytes());
}

/// What a recorded context holds besides the registers.
pub struct Recorded<'a> {
    /// _UC_* flags besides the ones the registers add (_UC_CPU,
    /// _UC_TLSBASE, _UC_FPU).
    pub flags: u32,
    pub mask: [u32; 4],
    /// uc_stack: base, size, flags.
    pub stack: (u64, u64, u32),
    pub tls_base: u64,
    pub fpu: &'a FpuImage,
}

/// The ucontext NetBSD records for `r` (getucontext, sendsig_siginfo).
pub fn record(r: &UserContext, s: &Recorded<'_>) -> [u8; UCONTEXT_BYTES] {
    let mut uc = [0u8; UCONTEXT_BYTES];
    put(&mut uc, UC_FLAGS, &(s.flags | UC_CPU | UC_TLSBASE | UC_FPU).to_le_bytes());
    put(&mut uc, UC_LINK, &0u64.to_le_bytes());
    for (i, w) in s.mask.iter().enumerate() {
        put(&mut uc, UC_SIGMASK_AT + 4 * i, &w.to_le_bytes());
    }
    put(&mut uc, UC_STACK_AT, &s.stack.0.to_le_bytes());
    put(&mut uc, UC_STACK_AT + 8, &s.stack.1.to_le_bytes());
    put(&mut uc, UC_STACK_AT + 16, &s.stack.2.to_le_bytes());
    let regs = [
        (REG_RDI, r.rdi),
        (REG_RSI, r.rsi),
        (REG_RDX, r.rdx),
        (REG_RCX, r.rcx),
        (REG_R8, r.r8),
        (REG_R9, r.r9),
        (REG_R10, r.r10),
        (REG_R11, r.r11),
        (REG_R12, r.r12),
        (REG_R13, r.r13),
        (REG_R14, r.r14),
        (REG_R15, r.r15),
        (REG_RBP, r.rbp),
        (REG_RBX, r.rbx),
        (REG_RAX, r.rax),
        (REG_RIP, r.rip),
        (REG_CS, r.cs),
        (REG_RFLAGS, r.rflags),
        (REG_RSP, r.rsp),
        (REG_SS, r.ss),
        // cpu_getmcontext: GS and FS 0, ES and DS the user data selector.
        (REG_GS, 0),
        (REG_FS, 0),
        (REG_ES, r.ss),
        (REG_DS, r.ss),
    ];
    for (i, v) in regs {
        set_greg(&mut uc, i, v);
    }
    let exception = r.vector < 32;
    set_greg(&mut uc, REG_TRAPNO, if exception { r.vector } else { 0 });
    set_greg(&mut uc, REG_ERR, if exception { r.error_code } else { 0 });
    put(&mut uc, TLSBASE, &s.tls_base.to_le_bytes());
    put(&mut uc, FPREGS, s.fpu);
    uc
}

/// What setcontext or _lwp_create takes from a ucontext.
#[derive(Debug)]
pub struct Context {
    pub flags: u32,
    pub mask: [u32; 4],
    pub tls_base: u64,
    pub fpu: FpuImage,
    regs: [u64; 26],
}

pub fn read(uc: &[u8; UCONTEXT_BYTES]) -> Context {
    let mut mask = [0u32; 4];
    for (i, w) in mask.iter_mut().enumerate() {
        *w = u32_at(uc, UC_SIGMASK_AT + 4 * i);
    }
    let mut regs = [0u64; 26];
    for (i, v) in regs.iter_mut().enumerate() {
        *v = greg(uc, i);
    }
    let mut fpu = [0u8; 512];
    fpu.copy_from_slice(&uc[FPREGS..FPREGS + 512]);
    Context { flags: u32_at(uc, UC_FLAGS), mask, tls_base: u64_at(uc, TLSBASE), fpu, regs }
}

/// A selector a program may load: 0 (for ES, FS, GS) or one of user
/// privilege (the low two bits 3).
fn user_selector(v: u64, may_be_null: bool) -> bool {
    (v == 0 && may_be_null) || (v <= 0xffff && v & 3 == 3)
}

/// cpu_mcontext_validate: EINVAL for flags a program may not change
/// (interrupts, IOPL and the like), a selector not of user privilege, or
/// a program counter outside user space.
pub fn validate(c: &Context, current_rflags: u64) -> KResult<()> {
    let r = &c.regs;
    if (r[REG_RFLAGS] ^ current_rflags) & !USER_FLAGS & !(1 << 16) != 0 {
        return Err(Error::InvalidArgument);
    }
    let selectors_ok = user_selector(r[REG_CS], false)
        && user_selector(r[REG_SS], false)
        && user_selector(r[REG_DS], false)
        && [REG_ES, REG_FS, REG_GS].iter().all(|&i| user_selector(r[i], true));
    if !selectors_ok || r[REG_RIP] >= USER_SPACE_END {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// The flags register of `r` (what validate compares against).
pub fn flags_of(r: &UserContext) -> u64 {
    r.rflags
}

/// Loads the registers of `c` into `r` as cpu_setmcontext does: every
/// general register, rip and rsp; of rflags only the bits a program may
/// change; the selectors stay the kernel's.
pub fn load(r: &mut UserContext, c: &Context) {
    let g = &c.regs;
    r.rdi = g[REG_RDI];
    r.rsi = g[REG_RSI];
    r.rdx = g[REG_RDX];
    r.rcx = g[REG_RCX];
    r.r8 = g[REG_R8];
    r.r9 = g[REG_R9];
    r.r10 = g[REG_R10];
    r.r11 = g[REG_R11];
    r.r12 = g[REG_R12];
    r.r13 = g[REG_R13];
    r.r14 = g[REG_R14];
    r.r15 = g[REG_R15];
    r.rbp = g[REG_RBP];
    r.rbx = g[REG_RBX];
    r.rax = g[REG_RAX];
    r.rip = g[REG_RIP];
    r.rsp = g[REG_RSP];
    r.rflags = (r.rflags & !USER_FLAGS) | (g[REG_RFLAGS] & USER_FLAGS);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs() -> UserContext {
        let mut r = UserContext::new_program(0x40_1000, 0x7fff_0000);
        r.rax = 1;
        r.rbx = 2;
        r.r8 = 8;
        r.r12 = 12;
        r.r15 = 15;
        r.rdi = 0xd1;
        r.rflags = 0x246;
        r
    }

    #[test]
    fn the_layout_is_netbsds() {
        let fpu = [7u8; 512];
        let s = Recorded {
            flags: UC_SIGMASK,
            mask: [1 << 29, 0, 0, 0],
            stack: (0x1000, 0x8000, 4),
            tls_base: 0x5000,
            fpu: &fpu,
        };
        let uc = record(&regs(), &s);
        // Offsets as Go's defs_netbsd_amd64.go and mcontext.h have them.
        assert_eq!(u64_at(&uc, 56), 0xd1, "_REG_RDI at 56");
        assert_eq!(u64_at(&uc, 88), 8, "_REG_R8 at 88");
        assert_eq!(u64_at(&uc, 120), 12, "_REG_R12 at 120");
        assert_eq!(u64_at(&uc, 144), 15, "_REG_R15 at 144");
        assert_eq!(u64_at(&uc, 160), 2, "_REG_RBX at 160");
        assert_eq!(u64_at(&uc, 168), 1, "_REG_RAX at 168");
        assert_eq!(u64_at(&uc, 224), 0x40_1000, "_REG_RIP at 224");
        assert_eq!(u64_at(&uc, 240), 0x246, "_REG_RFLAGS at 240");
        assert_eq!(u64_at(&uc, 248), 0x7fff_0000, "_REG_RSP at 248");
        assert_eq!(u64_at(&uc, 264), 0x5000, "_mc_tlsbase at 264");
        assert_eq!(uc[272], 7, "__fpregs at 272");
        assert_eq!(u32_at(&uc, 0), UC_SIGMASK | UC_CPU | UC_TLSBASE | UC_FPU);
        assert_eq!(u32_at(&uc, 16), 1 << 29);
        assert_eq!(u64_at(&uc, 40), 0x8000);
    }

    #[test]
    fn a_recorded_context_loads_back() {
        let fpu = [0u8; 512];
        let s = Recorded { flags: 0, mask: [0; 4], stack: (0, 0, 0), tls_base: 0, fpu: &fpu };
        let mut uc = record(&regs(), &s);
        put(&mut uc, 224, &0x40_2000u64.to_le_bytes());
        let c = read(&uc);
        assert!(validate(&c, 0x246).is_ok());
        let mut r = UserContext::new_program(0, 0);
        r.rflags = 0x202;
        load(&mut r, &c);
        assert_eq!((r.rip, r.rsp, r.rax, r.r15, r.rflags), (0x40_2000, 0x7fff_0000, 1, 15, 0x246));
    }

    #[test]
    fn what_netbsd_refuses() {
        let fpu = [0u8; 512];
        let s = Recorded { flags: 0, mask: [0; 4], stack: (0, 0, 0), tls_base: 0, fpu: &fpu };
        let good = record(&regs(), &s);
        let mut iopl = good;
        put(&mut iopl, 240, &(0x246u64 | 3 << 12).to_le_bytes());
        assert!(validate(&read(&iopl), 0x246).is_err());
        let mut kernel_rip = good;
        put(&mut kernel_rip, 224, &0xffff_8000_0000_0000u64.to_le_bytes());
        assert!(validate(&read(&kernel_rip), 0x246).is_err());
        let mut kernel_cs = good;
        put(&mut kernel_cs, 232, &8u64.to_le_bytes());
        assert!(validate(&read(&kernel_cs), 0x246).is_err());
    }
}
