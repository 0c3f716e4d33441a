//! Helctic's vDSO for Linux processes: the shared object every Linux
//! process finds at `getauxval(AT_SYSINFO_EHDR)`, whose functions answer
//! the clock calls from the vvar page without entering the kernel.
//!
//! This is Linux user-space code, built by `xtask/src/vdso.rs` with the
//! host's rustc for `x86_64-unknown-linux-gnu` and linked by `ld.lld` with
//! `vdso.lds` and `vdso.map` beside this file (see `README.md`). It is in
//! no cargo workspace.
//!
//! Every function follows the Linux vDSO's contract: it returns what the
//! system call would (0 or `-errno`, never setting `errno`), and whatever
//! it cannot answer itself it passes to the real system call. The answers
//! are computed with `crates/vdso-data`, the same arithmetic the kernel's
//! `clock_gettime` uses, so vDSO and system-call readings never disagree
//! about the order of events.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

use vdso_data::{served_clock, split_ns, VvarData};

/// x86-64 Linux system call numbers of the calls served here.
const SYS_GETTIMEOFDAY: u64 = 96;
const SYS_TIME: u64 = 201;
const SYS_CLOCK_GETTIME: u64 = 228;
const SYS_CLOCK_GETRES: u64 = 229;

#[repr(C)]
pub struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

#[repr(C)]
pub struct Timeval {
    tv_sec: i64,
    tv_usec: i64,
}

#[repr(C)]
pub struct Timezone {
    tz_minuteswest: i32,
    tz_dsttime: i32,
}

/// The clock parameters, if the kernel says they may be used (otherwise
/// every call goes to the kernel).
#[inline(always)]
fn clocks() -> Option<VvarData> {
    let data = machine::vvar_snapshot();
    data.clocks_usable().then_some(data)
}

fn timespec(ns: u64) -> Timespec {
    let (sec, nsec) = split_ns(ns);
    Timespec { tv_sec: sec as i64, tv_nsec: nsec as i64 }
}

#[no_mangle]
pub extern "C" fn __vdso_clock_gettime(clock: i32, ts: *mut Timespec) -> i64 {
    if let (Some(which), Some(data), false) = (served_clock(clock), clocks(), ts.is_null()) {
        machine::store(ts, timespec(data.clock_ns(which, machine::rdtsc())));
        return 0;
    }
    machine::syscall(SYS_CLOCK_GETTIME, clock as i64 as u64, ts as u64, 0)
}

#[no_mangle]
pub extern "C" fn __vdso_clock_getres(clock: i32, res: *mut Timespec) -> i64 {
    if let (Some(_), Some(data)) = (served_clock(clock), clocks()) {
        if !res.is_null() {
            machine::store(res, timespec(data.resolution_ns));
        }
        return 0;
    }
    machine::syscall(SYS_CLOCK_GETRES, clock as i64 as u64, res as u64, 0)
}

#[no_mangle]
pub extern "C" fn __vdso_gettimeofday(tv: *mut Timeval, tz: *mut Timezone) -> i64 {
    let Some(data) = clocks() else {
        return machine::syscall(SYS_GETTIMEOFDAY, tv as u64, tz as u64, 0);
    };
    if !tv.is_null() {
        let ns = data.clock_ns(vdso_data::ServedClock::Realtime, machine::rdtsc());
        let (sec, nsec) = split_ns(ns);
        machine::store(tv, Timeval { tv_sec: sec as i64, tv_usec: (nsec / 1000) as i64 });
    }
    if !tz.is_null() {
        // UTC without daylight saving, as the kernel's gettimeofday says.
        machine::store(tz, Timezone { tz_minuteswest: 0, tz_dsttime: 0 });
    }
    0
}

#[no_mangle]
pub extern "C" fn __vdso_time(t: *mut i64) -> i64 {
    let Some(data) = clocks() else {
        return machine::syscall(SYS_TIME, t as u64, 0, 0);
    };
    let (sec, _) = split_ns(data.clock_ns(vdso_data::ServedClock::Realtime, machine::rdtsc()));
    let sec = sec as i64;
    if !t.is_null() {
        machine::store(t, sec);
    }
    sec
}

/// The CPU and NUMA node the caller runs on, from the limit of the
/// segment the kernel gives each CPU for this (`lsl`, as Linux's vDSO does
/// without RDPID). As with the system call, the answer may be stale by the
/// time the caller reads it: the thread may have moved meanwhile.
#[no_mangle]
pub extern "C" fn __vdso_getcpu(cpu: *mut u32, node: *mut u32, _cache: *mut u8) -> i64 {
    let word = machine::cpu_number();
    if !cpu.is_null() {
        machine::store(cpu, word & 0xfff);
    }
    if !node.is_null() {
        machine::store(node, word >> 12);
    }
    0
}

// The unprefixed names Linux's vDSO also exports, as weak aliases.
core::arch::global_asm!(
    ".weak clock_gettime",
    ".type clock_gettime, @function",
    ".set clock_gettime, __vdso_clock_gettime",
    ".weak clock_getres",
    ".type clock_getres, @function",
    ".set clock_getres, __vdso_clock_getres",
    ".weak gettimeofday",
    ".type gettimeofday, @function",
    ".set gettimeofday, __vdso_gettimeofday",
    ".weak time",
    ".type time, @function",
    ".set time, __vdso_time",
    ".weak getcpu",
    ".type getcpu, @function",
    ".set getcpu, __vdso_getcpu",
);

/// The note Linux's vDSO carries: owner "Linux", type 0, the kernel version
/// as `LINUX_VERSION_CODE` (older glibc read the running kernel's version
/// from it). The version is the one `uname` reports, passed in by xtask.
const LINUX_VERSION_CODE: u32 = version_code(env!("HELCTIC_LINUX_RELEASE").as_bytes());

/// `a.b.c...` → `a << 16 | b << 8 | c` (each part clamped to 255, as Linux's
/// KERNEL_VERSION does).
const fn version_code(release: &[u8]) -> u32 {
    let mut parts = [0u32; 3];
    let (mut part, mut i) = (0, 0);
    while i < release.len() && part < 3 {
        let c = release[i];
        if c == b'.' {
            part += 1;
        } else if c.is_ascii_digit() {
            if parts[part] < 256 {
                parts[part] = parts[part] * 10 + (c - b'0') as u32;
            }
        } else {
            break;
        }
        i += 1;
    }
    const fn clamp(v: u32) -> u32 {
        if v > 255 {
            255
        } else {
            v
        }
    }
    clamp(parts[0]) << 16 | clamp(parts[1]) << 8 | clamp(parts[2])
}

core::arch::global_asm!(
    ".pushsection .note.Linux, \"a\", @note",
    ".balign 4",
    ".long 6",          // namesz: "Linux\0"
    ".long 4",          // descsz
    ".long 0",          // type
    ".asciz \"Linux\"",
    ".balign 4",
    ".long {version}",
    ".balign 4",
    ".popsection",
    version = const LINUX_VERSION_CODE,
);

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    machine::trap()
}

/// Everything here that the compiler cannot check: the vvar page, the TSC,
/// stores through the caller's pointers, the system call. Nothing else in
/// the vDSO is unsafe.
mod machine {
    use core::arch::asm;
    use vdso_data::{VvarData, VvarSource};

    /// The vvar page: the page just below the image (vdso.lds).
    struct VvarPage(*const u64);

    impl VvarSource for VvarPage {
        #[inline(always)]
        fn load(&mut self, word: usize) -> u64 {
            // SAFETY: the kernel maps the vvar page readable right below
            // this image in every process it maps the image into
            // (kernel/src/mm/vdso.rs), and `vdso_data::read` asks only for
            // words of `VvarData`, which fits in it. A volatile load reads
            // the kernel's current value every time.
            unsafe { self.0.add(word).read_volatile() }
        }

        #[inline(always)]
        fn relax(&mut self) {
            core::hint::spin_loop();
        }
    }

    /// A consistent snapshot of the vvar page (the seqlock of crates/vdso-data).
    #[inline(always)]
    pub fn vvar_snapshot() -> VvarData {
        let page: *const u64;
        // SAFETY: only computes an address, PC-relatively, from the hidden
        // linker-script symbol; it reads no memory.
        unsafe { asm!("lea {}, [rip + vvar_page]", out(reg) page, options(nomem, nostack, pure, preserves_flags)) };
        vdso_data::read(&mut VvarPage(page))
    }

    /// The TSC, read after every earlier load has completed (as Linux's
    /// `rdtsc_ordered`), so a reading is never older than the vvar
    /// snapshot or a clock value the caller saw before the call.
    #[inline(always)]
    pub fn rdtsc() -> u64 {
        let (lo, hi): (u32, u32);
        // SAFETY: lfence and rdtsc only order and read; the kernel leaves
        // CR4.TSD clear, so rdtsc is allowed in user mode.
        unsafe { asm!("lfence", "rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack, preserves_flags)) };
        u64::from(hi) << 32 | u64::from(lo)
    }

    /// The limit of the CPU-number segment: this CPU's number and node.
    #[inline(always)]
    pub fn cpu_number() -> u32 {
        let word: u32;
        // SAFETY: `lsl` only reads the descriptor table the kernel loaded;
        // the selector names a DPL 3 segment every CPU's table holds
        // (kernel gdt.rs), so it succeeds at any privilege.
        unsafe {
            asm!("lsl {0:e}, {1:e}", out(reg) word, in(reg) vdso_data::CPU_NUMBER_SELECTOR as u32,
                 options(nomem, nostack))
        };
        word
    }

    /// Stores `value` through a pointer the caller handed in.
    #[inline(always)]
    pub fn store<T>(to: *mut T, value: T) {
        // SAFETY: the C contract of every vDSO function is that its pointer
        // arguments are valid (NULL ones are filtered out before this), as
        // for the system call it stands in for; a wild pointer faults in
        // the caller's own process, exactly as the caller's own store
        // would. `write_unaligned` asks nothing of the alignment.
        unsafe { to.write_unaligned(value) }
    }

    /// The real system call, for everything the vDSO does not answer.
    #[inline(never)]
    pub fn syscall(nr: u64, a: u64, b: u64, c: u64) -> i64 {
        let ret: i64;
        // SAFETY: the call the C library would have made itself, with the
        // caller's arguments; the kernel checks them. `syscall` clobbers
        // rcx and r11 and touches no user memory of ours.
        unsafe {
            asm!("syscall", inlateout("rax") nr as i64 => ret, in("rdi") a, in("rsi") b, in("rdx") c,
                 lateout("rcx") _, lateout("r11") _, options(nostack))
        };
        ret
    }

    /// Stops the process with SIGILL: the vDSO has no panics, but core's
    /// panic machinery needs a handler to exist.
    pub fn trap() -> ! {
        // SAFETY: ud2 raises #UD; nothing after it runs.
        unsafe { asm!("ud2", options(noreturn, nomem, nostack)) }
    }
}
