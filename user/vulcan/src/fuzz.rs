//! The native ABI fuzzer (role 6), in its own task so that whatever it
//! provokes cannot take the suite down.
//!
//! 20000 calls with random numbers (mostly the 37 calls, some up to 63,
//! some huge) and arguments drawn from interesting values: 0, small slots,
//! NO_CAP, u64::MAX, pointers into its own stack and heap, kernel and
//! non-canonical addresses, random words. Every result must be success or
//! a defined error, NoSuchCall exactly for numbers that name no call.
//!
//! It holds the boot directory with READ only (slot 3), so file calls reach
//! real files while nothing can be written or spawned.
//!
//! The fuzzer keeps itself alive, and nothing else: it never calls
//! task_exit or thread_exit (12, 14); maps and unmaps only inside its
//! window (0x7000_0000_0000..0x7000_1000_0000); gives the kernel only
//! buffers it may scribble on (its scratch heap buffer, its window, or
//! addresses that cannot be written) for calls that write; never kills a
//! Task capability (its only ones name itself); keeps timeouts short and
//! IPC non-blocking; starts threads only at a stub that exits at once. It
//! allocates its scratch buffer before the first call and never touches the
//! heap again (a fuzzed call may delete its address-space capability).

use crate::addr;
use crate::check;
use crate::misc;
use crate::roles::{self, Spawn};
use alloc::vec;
use rt::abi::{CapType, Error, Syscall, MAX_IO, NO_CAP, PAGE_SIZE, USER_END, USER_MIN};
use rt::println;
use rt::sys;

const CALLS: u32 = 20_000;
const WINDOW: u64 = 0x7000_0000_0000;
const WINDOW_END: u64 = 0x7000_1000_0000;
const SCRATCH: u64 = 64 * 1024;
/// The fuzzer's memory limit: what it may allocate (and DMA may pin).
const MEMORY_PAGES: u64 = 2048;
/// Threads it may start (each costs the kernel a stack until reaped).
const MAX_THREADS: u32 = 32;
const TIMEOUT_NS: u64 = 120_000_000_000;

/// Run by the suite: the fuzzer must exit 0, and the kernel still answer.
pub fn run_check() {
    // The boot directory with READ only (slot 3): file_open and file_read
    // see real files and random paths, but nothing can be written or run.
    let grants = [(3, rt::abi::Rights::READ)];
    let spawn = Spawn { grants: &grants, memory_limit_pages: MEMORY_PAGES, ..Spawn::new(b"v-fuzz", roles::FUZZ) };
    let Some(t) = check::ok("fuzz.spawn", spawn.start()) else { return };
    match roles::finish(t, TIMEOUT_NS) {
        Ok(s) => check::that(
            "fuzz.exits_0",
            s.kind == rt::abi::TaskStatusKind::Exited && s.code == 0,
            format_args!("fuzzer ended {s:?} (exit 2: a result outside the ABI; see its log)"),
        ),
        Err(e) => check::fail("fuzz.exits_0", format_args!("task_wait: {e:?}")),
    };
    misc::still_alive("after_fuzz");
}

// The only code a fuzzed thread_create may start: thread_exit(0).
core::arch::global_asm!(
    ".pushsection .text.vulcan_fuzz_thread, \"ax\", @progbits",
    ".globl vulcan_fuzz_thread",
    ".type vulcan_fuzz_thread, @function",
    "vulcan_fuzz_thread:",
    "    mov eax, {exit}",
    "    xor edi, edi",
    "    syscall",
    "    ud2",
    ".size vulcan_fuzz_thread, . - vulcan_fuzz_thread",
    ".popsection",
    exit = const Syscall::ThreadExit.nr(),
);

extern "C" {
    fn vulcan_fuzz_thread();
}

/// xorshift64*, seeded from the kernel's `random`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Fuzzer {
    rng: Rng,
    scratch: u64,
    stack: u64,
    threads: u32,
}

impl Fuzzer {
    fn number(&mut self) -> u64 {
        loop {
            let nr = match self.rng.below(100) {
                0..=79 => self.rng.below(rt::abi::SYSCALLS.len() as u64),
                80..=94 => self.rng.below(64),
                _ => [(rt::abi::SYSCALLS.len() as u64), 50, 1000, 1 << 32, u64::MAX, self.rng.next()]
                    [self.rng.below(6) as usize],
            };
            if nr != Syscall::TaskExit.nr() && nr != Syscall::ThreadExit.nr() {
                return nr;
            }
        }
    }

    fn value(&mut self) -> u64 {
        let r = &mut self.rng;
        match r.below(20) {
            0 => 0,
            1 => 1,
            2 => 2,
            3..=6 => r.below(17),
            7 => NO_CAP,
            8 => u64::MAX,
            9 => r.next(),
            10 => r.below(4096),
            11 => self.stack + r.below(256),
            12 => self.scratch + r.below(SCRATCH),
            13 => addr::KERNEL,
            14 => [addr::KERNEL_IMAGE, addr::NON_CANONICAL, addr::UNMAPPED, addr::READ_ONLY, 0xffff_ffff_ffff_f000]
                [r.below(5) as usize],
            15 => [1 << 32, 1 << 63, u64::from(u32::MAX), 4096][r.below(4) as usize],
            16 => [MAX_IO, MAX_IO + 1, 65536, 65537][r.below(4) as usize],
            17 => WINDOW + r.below((WINDOW_END - WINDOW) / PAGE_SIZE) * PAGE_SIZE,
            18 => r.below(0x80),
            // Message-info-like words: label, flags, sometimes reserved
            // bits, a slot.
            _ => {
                let reserved = if r.below(4) == 0 { r.below(64) << 34 } else { 0 };
                (r.next() & 0xffff_ffff) | (r.below(4) << 32) | reserved | (r.below(20) << 40)
            }
        }
    }

    /// Whether the kernel may write `len` bytes at `p` without harming
    /// us: our scratch buffer or window, or somewhere it cannot write.
    fn harmless_target(&self, p: u64, len: u64) -> bool {
        let end = p.saturating_add(len);
        !(USER_MIN..USER_END).contains(&p)
            || (p >= addr::READ_ONLY && end <= addr::READ_ONLY + PAGE_SIZE)
            || (p >= addr::UNMAPPED && end <= addr::UNMAPPED + (1 << 32))
            || (p >= self.scratch && end <= self.scratch + SCRATCH)
            || (p >= WINDOW && end <= WINDOW_END)
    }

    /// A writable target: `p` if harmless, else somewhere in scratch.
    fn target(&mut self, p: &mut u64, len: u64) {
        if !self.harmless_target(*p, len) {
            let room = SCRATCH.saturating_sub(len.min(SCRATCH));
            *p = self.scratch + self.rng.below(room + 1);
        }
    }

    fn timeout(&mut self) -> u64 {
        if self.rng.below(16) == 0 {
            self.rng.below(2000)
        } else {
            0
        }
    }

    /// A buffer argument `a[p]` of `a[len]` bytes the kernel writes: kept
    /// if harmless or refused anyway (too long), else moved into scratch.
    fn buffer(&mut self, a: &mut [u64; 6], p: usize, len: usize) {
        if a[len] > MAX_IO || self.harmless_target(a[p], a[len]) {
            return;
        }
        let n = a[len].min(SCRATCH);
        a[len] = n;
        a[p] = self.scratch + self.rng.below(SCRATCH - n + 1);
    }

    /// Keeps an address argument (and page count) of mem_map/mem_unmap in
    /// the window, unless the kernel must refuse it anyway (unaligned, not
    /// a user address, zero or absurd page counts).
    fn window(&mut self, vaddr: &mut u64, pages: &mut u64) {
        let refused = !vaddr.is_multiple_of(PAGE_SIZE) || *vaddr < USER_MIN || *vaddr >= USER_END;
        if !refused && !(WINDOW..WINDOW_END).contains(vaddr) {
            *vaddr = WINDOW + (*vaddr % (WINDOW_END - WINDOW)) / PAGE_SIZE * PAGE_SIZE;
        }
        if (WINDOW..WINDOW_END).contains(vaddr) && *pages != 0 && *pages <= (USER_END - USER_MIN) / PAGE_SIZE {
            let base = *vaddr / PAGE_SIZE * PAGE_SIZE;
            *pages = (*pages).min((WINDOW_END - base) / PAGE_SIZE).max(1);
        } else if !refused && *pages != 0 && *pages <= (USER_END - USER_MIN) / PAGE_SIZE {
            *pages = 1;
        }
    }

    /// Whether `slot` holds a capability of type `ty`.
    fn is(slot: u64, ty: CapType) -> bool {
        sys::cap_info(slot).is_ok_and(|i| i.cap_type == ty)
    }

    /// Makes the arguments of call `nr` safe for us (see the module doc).
    fn sanitize(&mut self, nr: u64, a: &mut [u64; 6]) {
        let Some(call) = Syscall::from_nr(nr) else { return };
        match call {
            // Reading our memory is harmless, printing it is noise: a user
            // buffer gets length 0 or an oversized one.
            Syscall::DebugWrite if a[0] < USER_END => {
                a[1] = if self.rng.below(2) == 0 { 0 } else { MAX_IO + 1 + self.rng.below(100) };
            }
            Syscall::CapInfo => self.target(&mut a[1], 32),
            Syscall::MemMap => {
                let (mut v, mut p) = (a[2], a[4]);
                self.window(&mut v, &mut p);
                (a[2], a[4]) = (v, p);
            }
            Syscall::MemUnmap => {
                let (mut v, mut p) = (a[1], a[2]);
                self.window(&mut v, &mut p);
                (a[1], a[2]) = (v, p);
            }
            Syscall::TaskKill if Self::is(a[0], CapType::Task) => a[0] = NO_CAP,
            Syscall::TaskWait | Syscall::ThreadWait => {
                a[1] = self.timeout();
                self.target(&mut a[2], 24);
            }
            Syscall::ThreadCreate => {
                let stub = vulcan_fuzz_thread as *const () as u64;
                let user = (USER_MIN..USER_END).contains(&a[0]);
                if self.threads >= MAX_THREADS {
                    a[0] = 0;
                } else if user || self.rng.below(4) == 0 {
                    a[0] = stub;
                }
            }
            Syscall::IpcCall | Syscall::IpcSend => a[1] |= rt::abi::MsgInfo::NONBLOCK,
            Syscall::IpcRecv | Syscall::NotifyWait => a[1] = self.timeout(),
            // It waits without a timeout: only its refusals are fuzzed.
            Syscall::IpcReplyRecv if Self::is(a[0], CapType::Endpoint) => a[0] = NO_CAP,
            Syscall::Sleep => a[0] = self.timeout(),
            Syscall::Random => self.buffer(a, 0, 1),
            Syscall::FileOpen if self.rng.below(2) == 0 => {
                // Beneath the directory it holds, with a plausible length.
                a[0] = 3;
                a[2] = 1 + self.rng.below(32);
                a[3] = rt::abi::Rights::READ.bits().into();
            }
            Syscall::FileRead => self.buffer(a, 1, 2),
            _ => {}
        }
    }
}

/// Role 6.
pub fn fuzzer() -> i32 {
    let mut seed = [0u8; 8];
    let _ = sys::random(&mut seed);
    let seed = u64::from_le_bytes(seed) | 1;
    let mut scratch = vec![0u8; SCRATCH as usize];
    let stack_bytes = [0x55u8; 512];
    let mut f = Fuzzer {
        rng: Rng(seed),
        scratch: scratch.as_mut_ptr() as u64,
        stack: core::hint::black_box(stack_bytes.as_ptr()) as u64,
        threads: 0,
    };
    println!("fuzz: {CALLS} calls, seed {seed:#x}");
    let mut ok = 0u32;
    let mut errors = [0u32; 17];
    let mut weird = 0u32;
    let mut ambiguous = 0u32;
    for i in 0..CALLS {
        let nr = f.number();
        let mut a: [u64; 6] = core::array::from_fn(|_| f.value());
        f.sanitize(nr, &mut a);
        // SAFETY: `sanitize` made every argument harmless to this task (see
        // the module doc); `ipc` declares every register the kernel may
        // change as an output, so receiving calls are fine too.
        let regs = unsafe { rt::raw::ipc(nr, a[0], a[1], a[2], a[3], a[4], a[5]) };
        let result = rt::abi::decode_result(regs.rax);
        let known = nr < (rt::abi::SYSCALLS.len() as u64);
        // notify_wait returns the word's bits in rax, so bits that look
        // like an error code cannot be told from one (the suite's
        // ntfn.*_intact checks cover it): counted, not judged.
        if nr == Syscall::NotifyWait.nr()
            && result.is_err()
            && rt::abi::Error::from_code((regs.rax as i64).unsigned_abs()).is_none()
        {
            ambiguous += 1;
            continue;
        }
        let odd = match result {
            Ok(_) => !known,
            Err(e) => {
                let signed = regs.rax as i64;
                let defined = Error::from_code((-signed) as u64) == Some(e);
                if let Some(c) = errors.get_mut(e.code() as usize) {
                    *c += 1;
                }
                !defined || (known == (e == Error::NoSuchCall))
            }
        };
        if result.is_ok() {
            ok += 1;
            if nr == Syscall::ThreadCreate.nr() {
                f.threads += 1;
            }
        }
        if odd {
            weird += 1;
            if weird <= 5 {
                println!("fuzz: call {i}: nr {nr:#x} args {:x?} returned {:#x}", a, regs.rax);
            }
        }
    }
    drop(scratch);
    println!("fuzz: done: ok {ok}, odd {weird}, ambiguous notify_wait {ambiguous}, errors by code {:?}", &errors[1..]);
    if weird == 0 {
        0
    } else {
        2
    }
}
