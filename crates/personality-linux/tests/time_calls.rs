//! Time calls against the fake core: clock ids (including the negative CPU
//! clock ids), timespec/timeval/time_t in Linux's layout, sleeps with what
//! is left written back, the settable range of the wall clock, POSIX
//! timers' sigevent and itimerspec, and adjtimex's struct timex
//! (crates/personality-linux/src/sys/time.rs, sys/adjtime.rs).

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Clock, Credentials, Signal, TimerNotify};

const NANOSLEEP: u64 = 35;
const GETTIMEOFDAY: u64 = 96;
const ADJTIMEX: u64 = 159;
const SETTIMEOFDAY: u64 = 164;
const TIME: u64 = 201;
const TIMER_CREATE: u64 = 222;
const TIMER_SETTIME: u64 = 223;
const TIMER_GETTIME: u64 = 224;
const TIMER_GETOVERRUN: u64 = 225;
const TIMER_DELETE: u64 = 226;
const CLOCK_SETTIME: u64 = 227;
const CLOCK_GETTIME: u64 = 228;
const CLOCK_GETRES: u64 = 229;
const CLOCK_NANOSLEEP: u64 = 230;
const CLOCK_ADJTIME: u64 = 305;

const EPERM: i64 = 1;
const EINTR: i64 = 4;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const EOPNOTSUPP: i64 = 95;

/// What every fake clock reads: 1700000000.123456789.
const NOW: u64 = 1_700_000_000_123_456_789;
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x100;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn i64_at(k: &FakeCore, addr: u64) -> i64 {
    i64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

fn i32_at(k: &FakeCore, addr: u64) -> i32 {
    i32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

fn pair(k: &FakeCore, addr: u64) -> (i64, i64) {
    (i64_at(k, addr), i64_at(k, addr + 8))
}

fn put_pair(k: &mut FakeCore, addr: u64, sec: i64, frac: i64) {
    k.put(addr, &sec.to_le_bytes());
    k.put(addr + 8, &frac.to_le_bytes());
}

#[test]
fn clock_gettime_writes_a_timespec_for_every_clock_id() {
    let mut k = FakeCore::new();
    for id in [0, 1, 4, 5, 6, 7, 8, 9, 11] {
        k.put(A, &[0xee; 16]);
        assert_eq!(k.syscall(CLOCK_GETTIME, [id, A, 0, 0, 0, 0]), 0, "clock {id}");
        assert_eq!(pair(&k, A), (1_700_000_000, 123_456_789));
    }
    // CPU clocks: 2 (process) and 3 (thread), and ~pid << 3 | kind.
    assert_eq!(k.syscall(CLOCK_GETTIME, [2, A, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, A), (1_700_000_000, 123_456_789), "the fake reads its CPU time off the clock");
    let process_sched = ((!7i32) << 3 | 2) as i64 as u64;
    let thread_sched = ((!7i32) << 3 | 4 | 2) as i64 as u64;
    assert_eq!(k.syscall(CLOCK_GETTIME, [process_sched, A, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, A), (5, 123));
    assert_eq!(k.syscall(CLOCK_GETTIME, [thread_sched, B, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, B), (5, 123));
    let no_such = ((!55i32) << 3 | 2) as i64 as u64;
    assert_eq!(errno(k.syscall(CLOCK_GETTIME, [no_such, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CLOCK_GETTIME, [((!7i32) << 3 | 3) as i64 as u64, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CLOCK_GETTIME, [12, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CLOCK_GETTIME, [0, 8, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn clock_getres_per_clock_and_null_is_fine() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(CLOCK_GETRES, [1, A, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, A), (0, 1));
    assert_eq!(k.syscall(CLOCK_GETRES, [2, A, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, A), (0, 10_000_000), "a CPU clock");
    assert_eq!(k.syscall(CLOCK_GETRES, [0, 0, 0, 0, 0, 0]), 0, "NULL: only checks the clock");
    assert_eq!(errno(k.syscall(CLOCK_GETRES, [10, 0, 0, 0, 0, 0])), EINVAL, "clock 10 does not exist");
    assert_eq!(errno(k.syscall(CLOCK_GETRES, [((!55i32) << 3) as i64 as u64, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CLOCK_GETRES, [0, 8, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn clock_settime_only_the_wall_clock_within_linuxs_range() {
    let mut k = FakeCore::new();
    put_pair(&mut k, A, 1_800_000_000, 5);
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [0, A, 0, 0, 0, 0])), EPERM, "unprivileged (the core says)");
    k.creds = Credentials::user(0, 0);
    assert_eq!(k.syscall(CLOCK_SETTIME, [0, A, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.realtime_set, vec![1_800_000_000_000_000_005]);
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [1, A, 0, 0, 0, 0])), EINVAL, "the monotonic clock");
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [2, A, 0, 0, 0, 0])), EINVAL, "a CPU clock");
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [99, A, 0, 0, 0, 0])), EINVAL);
    put_pair(&mut k, A, 1, 1_000_000_000);
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [0, A, 0, 0, 0, 0])), EINVAL, "tv_nsec a whole second");
    put_pair(&mut k, A, -1, 0);
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [0, A, 0, 0, 0, 0])), EINVAL, "before 1970");
    put_pair(&mut k, A, 9_223_372_036 - 946_080_000, 0);
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [0, A, 0, 0, 0, 0])), EINVAL, "TIME_SETTOD_SEC_MAX");
    assert_eq!(errno(k.syscall(CLOCK_SETTIME, [0, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.proc_state.realtime_set.len(), 1);
}

#[test]
fn gettimeofday_time_and_settimeofday_speak_timeval_and_time_t() {
    let mut k = FakeCore::new();
    k.put(A, &[0xee; 16]);
    k.put(B, &[0xee; 8]);
    assert_eq!(k.syscall(GETTIMEOFDAY, [A, B, 0, 0, 0, 0]), 0);
    assert_eq!(pair(&k, A), (1_700_000_000, 123_456), "microseconds");
    assert_eq!(k.get(B, 8), &[0; 8], "struct timezone: UTC");
    assert_eq!(k.syscall(GETTIMEOFDAY, [0, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(GETTIMEOFDAY, [8, 0, 0, 0, 0, 0])), EFAULT);

    assert_eq!(k.syscall(TIME, [0, 0, 0, 0, 0, 0]), 1_700_000_000);
    assert_eq!(k.syscall(TIME, [B, 0, 0, 0, 0, 0]), 1_700_000_000);
    assert_eq!(i64_at(&k, B), 1_700_000_000);
    assert_eq!(errno(k.syscall(TIME, [8, 0, 0, 0, 0, 0])), EFAULT);

    put_pair(&mut k, A, 1_800_000_000, 250_000);
    assert_eq!(errno(k.syscall(SETTIMEOFDAY, [A, 0, 0, 0, 0, 0])), EPERM);
    k.creds = Credentials::user(0, 0);
    assert_eq!(k.syscall(SETTIMEOFDAY, [A, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.realtime_set, vec![1_800_000_000_250_000_000]);
    assert_eq!(k.syscall(SETTIMEOFDAY, [0, 0, 0, 0, 0, 0]), 0, "nothing to set");
    put_pair(&mut k, A, 5, 1_000_000);
    assert_eq!(errno(k.syscall(SETTIMEOFDAY, [A, 0, 0, 0, 0, 0])), EINVAL, "tv_usec a whole second");
    put_pair(&mut k, A, -5, 0);
    assert_eq!(errno(k.syscall(SETTIMEOFDAY, [A, 0, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETTIMEOFDAY, [8, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.proc_state.realtime_set.len(), 1);
}

#[test]
fn nanosleep_sleeps_on_the_monotonic_clock_and_writes_what_is_left() {
    let mut k = FakeCore::new();
    put_pair(&mut k, A, 1, 500);
    assert_eq!(k.syscall(NANOSLEEP, [A, B, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.sleeps, vec![(Clock::Monotonic, NOW + 1_000_000_500)]);
    // Interrupted 0.4 s in: EINTR and 0.600000500 s left.
    k.proc_state.interrupt_sleep_after = Some(400_000_000);
    assert_eq!(errno(k.syscall(NANOSLEEP, [A, B, 0, 0, 0, 0])), EINTR);
    assert_eq!(pair(&k, B), (0, 600_000_500));
    put_pair(&mut k, A, 0, 1_000_000_000);
    assert_eq!(errno(k.syscall(NANOSLEEP, [A, B, 0, 0, 0, 0])), EINVAL);
    put_pair(&mut k, A, -1, 0);
    assert_eq!(errno(k.syscall(NANOSLEEP, [A, B, 0, 0, 0, 0])), EINVAL);
    put_pair(&mut k, A, 0, -1);
    assert_eq!(errno(k.syscall(NANOSLEEP, [A, B, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(NANOSLEEP, [8, B, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.proc_state.sleeps.len(), 2);
}

#[test]
fn clock_nanosleep_absolute_and_relative() {
    const TIMER_ABSTIME: u64 = 1;
    let mut k = FakeCore::new();
    put_pair(&mut k, A, 1_800_000_000, 7);
    assert_eq!(k.syscall(CLOCK_NANOSLEEP, [0, TIMER_ABSTIME, A, 0, 0, 0]), 0);
    assert_eq!(k.syscall(CLOCK_NANOSLEEP, [7, TIMER_ABSTIME, A, 0, 0, 0]), 0, "BOOTTIME");
    put_pair(&mut k, A, 2, 0);
    assert_eq!(k.syscall(CLOCK_NANOSLEEP, [1, 0, A, B, 0, 0]), 0);
    assert_eq!(
        k.proc_state.sleeps,
        vec![
            (Clock::Realtime, 1_800_000_000_000_000_007),
            (Clock::Boottime, 1_800_000_000_000_000_007),
            (Clock::Monotonic, NOW + 2_000_000_000)
        ]
    );
    // Interrupted: a relative sleep writes what is left, an absolute one not.
    k.proc_state.interrupt_sleep_after = Some(500_000_000);
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [1, 0, A, B, 0, 0])), EINTR);
    assert_eq!(pair(&k, B), (1, 500_000_000));
    k.put(B, &[0xee; 16]);
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [0, TIMER_ABSTIME, A, B, 0, 0])), EINTR);
    assert_eq!(k.get(B, 16), &[0xee; 16]);
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [3, 0, A, B, 0, 0])), EINVAL, "the thread's CPU clock");
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [12, 0, A, B, 0, 0])), EINVAL);
    put_pair(&mut k, A, 0, 2_000_000_000);
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [1, 0, A, B, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(CLOCK_NANOSLEEP, [1, 0, 8, B, 0, 0])), EFAULT);
}

/// A struct sigevent: value, signo, notify, tid.
fn sigevent(k: &mut FakeCore, at: u64, value: u64, signo: i32, notify: i32, tid: i32) {
    k.put(at, &[0; 64]);
    k.put(at, &value.to_le_bytes());
    k.put(at + 8, &signo.to_le_bytes());
    k.put(at + 12, &notify.to_le_bytes());
    k.put(at + 16, &tid.to_le_bytes());
}

#[test]
fn timer_create_decodes_the_clock_and_sigevent() {
    let mut k = FakeCore::new();
    let ev = MEM_BASE + 0x200;
    let id = MEM_BASE + 0x300;
    sigevent(&mut k, ev, 0xdead_beef, 10, 0, 0); // SIGUSR1, SIGEV_SIGNAL
    assert_eq!(k.syscall(TIMER_CREATE, [1, ev, id, 0, 0, 0]), 0);
    assert_eq!(i32_at(&k, id), 1);
    sigevent(&mut k, ev, 5, 0, 1, 0); // SIGEV_NONE
    assert_eq!(k.syscall(TIMER_CREATE, [0, ev, id, 0, 0, 0]), 0);
    assert_eq!(i32_at(&k, id), 2);
    sigevent(&mut k, ev, 6, 34, 4, 7); // SIGEV_THREAD_ID, thread 7
    assert_eq!(k.syscall(TIMER_CREATE, [2, ev, id, 0, 0, 0]), 0);
    // No sigevent: SIGALRM with the timer's id as its value.
    assert_eq!(k.syscall(TIMER_CREATE, [3, 0, id, 0, 0, 0]), 0);
    assert_eq!(i32_at(&k, id), 4);
    let t: Vec<_> = k.proc_state.timers.iter().map(|t| t.unwrap()).collect();
    assert_eq!(t[0], (Clock::Monotonic, TimerNotify { signal: Some(Signal::USR1), value: 0xdead_beef, thread: None }));
    assert_eq!(t[1], (Clock::Realtime, TimerNotify { signal: None, value: 5, thread: None }));
    assert_eq!(
        t[2],
        (Clock::ProcessCpu, TimerNotify { signal: Some(Signal::new(34).unwrap()), value: 6, thread: Some(7) })
    );
    assert_eq!(t[3], (Clock::ThreadCpu, TimerNotify { signal: Some(Signal::ALRM), value: 4, thread: None }));
}

#[test]
fn timer_create_errors() {
    let mut k = FakeCore::new();
    let ev = MEM_BASE + 0x200;
    let id = MEM_BASE + 0x300;
    sigevent(&mut k, ev, 0, 10, 7, 0);
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, ev, id, 0, 0, 0])), EINVAL, "notify 7");
    sigevent(&mut k, ev, 0, 0, 0, 0);
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, ev, id, 0, 0, 0])), EINVAL, "signal 0");
    sigevent(&mut k, ev, 0, 65, 0, 0);
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, ev, id, 0, 0, 0])), EINVAL, "signal 65");
    sigevent(&mut k, ev, 0, 10, 4, 0);
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, ev, id, 0, 0, 0])), EINVAL, "thread id 0");
    sigevent(&mut k, ev, 0, 10, 0, 0);
    assert_eq!(errno(k.syscall(TIMER_CREATE, [12, ev, id, 0, 0, 0])), EINVAL, "clock 12");
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, 8, id, 0, 0, 0])), EFAULT, "sigevent unreadable");
    assert!(k.proc_state.timers.is_empty());
    // The id cannot be written: EFAULT, and the timer is gone again.
    assert_eq!(errno(k.syscall(TIMER_CREATE, [1, ev, 8, 0, 0, 0])), EFAULT);
    assert!(k.proc_state.timers.iter().all(Option::is_none));
}

#[test]
fn timer_settime_gettime_getoverrun_and_delete() {
    const TIMER_ABSTIME: u64 = 1;
    let mut k = FakeCore::new();
    let id = MEM_BASE + 0x300;
    assert_eq!(k.syscall(TIMER_CREATE, [1, 0, id, 0, 0, 0]), 0);
    // itimerspec: it_interval, then it_value.
    put_pair(&mut k, A, 0, 250_000_000);
    put_pair(&mut k, A + 16, 3, 5);
    assert_eq!(k.syscall(TIMER_SETTIME, [1, 0, A, B, 0, 0]), 0);
    assert_eq!(k.get(B, 32), &[0; 32], "it was disarmed");
    put_pair(&mut k, A + 16, 1_800_000_000, 0);
    assert_eq!(k.syscall(TIMER_SETTIME, [1, TIMER_ABSTIME, A, B, 0, 0]), 0);
    assert_eq!(
        k.proc_state.timer_sets,
        vec![(1, 3_000_000_005, 250_000_000, false), (1, 1_800_000_000_000_000_000, 250_000_000, true)]
    );
    assert_eq!((pair(&k, B), pair(&k, B + 16)), ((0, 250_000_000), (3, 5)), "the old setting");
    k.put(B, &[0xee; 32]);
    assert_eq!(k.syscall(TIMER_GETTIME, [1, B, 0, 0, 0, 0]), 0);
    assert_eq!((pair(&k, B), pair(&k, B + 16)), ((0, 250_000_000), (1_800_000_000, 0)));
    assert_eq!(k.syscall(TIMER_GETOVERRUN, [1, 0, 0, 0, 0, 0]), 3);
    // Errors: no new value, a bad timespec, an unknown timer.
    assert_eq!(errno(k.syscall(TIMER_SETTIME, [1, 0, 0, B, 0, 0])), EINVAL);
    put_pair(&mut k, A, 0, 1_000_000_000);
    assert_eq!(errno(k.syscall(TIMER_SETTIME, [1, 0, A, B, 0, 0])), EINVAL);
    put_pair(&mut k, A, 0, 0);
    put_pair(&mut k, A + 16, -1, 0);
    assert_eq!(errno(k.syscall(TIMER_SETTIME, [1, 0, A, B, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(TIMER_SETTIME, [1, 0, 8, B, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(TIMER_GETTIME, [1, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(TIMER_GETTIME, [9, B, 0, 0, 0, 0])), EINVAL);
    assert_eq!(k.proc_state.timer_sets.len(), 2);
    assert_eq!(k.syscall(TIMER_DELETE, [1, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(TIMER_DELETE, [1, 0, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(TIMER_GETOVERRUN, [1, 0, 0, 0, 0, 0])), EINVAL);
}

/// struct timex offsets (x86_64): modes 0, offset 8, freq 16, maxerror 24,
/// esterror 32, status 40, constant 48, time 72, tick 88, tai 160.
const TX: u64 = MEM_BASE + 0x400;

#[test]
fn adjtimex_reads_the_discipline_into_struct_timex() {
    let mut k = FakeCore::new();
    k.put(TX, &[0; 208]);
    assert_eq!(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0]), 5, "TIME_ERROR: unsynchronised");
    assert_eq!(i32_at(&k, TX + 40), 0x40, "status STA_UNSYNC");
    assert_eq!(i64_at(&k, TX + 24), 16_000_000, "maxerror");
    assert_eq!(i64_at(&k, TX + 48), 2, "constant");
    assert_eq!(pair(&k, TX + 72), (1_700_000_000, 123_456), "time in microseconds");
    assert_eq!(i64_at(&k, TX + 88), 10_000, "tick");
    assert_eq!(i64_at(&k, TX + 64), 500 << 16, "tolerance");
    // Changing anything needs CAP_SYS_TIME.
    k.put(TX, &0x2u32.to_le_bytes());
    assert_eq!(errno(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0])), EPERM);
    assert_eq!(errno(k.syscall(ADJTIMEX, [8, 0, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn adjtimex_and_clock_adjtime_set_status_frequency_tick_and_step() {
    let mut k = FakeCore::new();
    k.creds = Credentials::user(0, 0);
    k.put(TX, &[0; 208]);
    // ADJ_STATUS | ADJ_FREQUENCY: STA_PLL, 10 ppm.
    k.put(TX, &(0x10u32 | 0x2).to_le_bytes());
    k.put(TX + 40, &1i32.to_le_bytes());
    k.put(TX + 16, &(10i64 << 16).to_le_bytes());
    assert_eq!(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0]), 0, "TIME_OK now");
    assert_eq!((k.proc_state.discipline.status, k.proc_state.discipline.frequency), (1, 10 << 16));
    assert_eq!(i64_at(&k, TX + 16), 10 << 16);
    // ADJ_TICK beyond 10% of 10000 us is EINVAL.
    k.put(TX, &0x4000u32.to_le_bytes());
    k.put(TX + 88, &12_000i64.to_le_bytes());
    assert_eq!(errno(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0])), EINVAL);
    k.put(TX + 88, &10_500i64.to_le_bytes());
    assert_eq!(k.syscall(CLOCK_ADJTIME, [0, TX, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.discipline.tick_us, 10_500);
    // ADJ_SETOFFSET: a step of 10 s and 5 us.
    k.put(TX, &0x100u32.to_le_bytes());
    put_pair(&mut k, TX + 72, 10, 5);
    assert_eq!(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.realtime_set, vec![NOW + 10_000_005_000]);
    put_pair(&mut k, TX + 72, 10, 1_000_000);
    assert_eq!(errno(k.syscall(ADJTIMEX, [TX, 0, 0, 0, 0, 0])), EINVAL, "usec a whole second");
    // clock_adjtime: only CLOCK_REALTIME adjusts.
    k.put(TX, &0u32.to_le_bytes());
    assert_eq!(errno(k.syscall(CLOCK_ADJTIME, [1, TX, 0, 0, 0, 0])), EOPNOTSUPP);
    assert_eq!(errno(k.syscall(CLOCK_ADJTIME, [16, TX, 0, 0, 0, 0])), EINVAL);
}
