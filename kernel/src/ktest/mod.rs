//! The in-kernel test suite, compiled in with `--features ktest`.
//!
//! Each test prints one machine-readable line, `KTEST <name> ok` or
//! `KTEST <name> FAIL <where>: <why>`, and the run ends with
//! `KTEST-SUMMARY passed=N failed=M` and an isa-debug-exit status that the
//! `cargo xtask test` harness checks. `ktest.fault=page|panic|hang|sleep-under-spinlock|lock-order|mutex-order` on the
//! command line instead makes the kernel fail on purpose, to prove that the
//! harness notices.

mod cap;
mod cow;
mod ipc;
mod kthread;
mod mm;
mod netlink;
mod personality;
mod poll_table;
mod sched;
mod signal;
mod smp;
mod sync;
mod time;
mod timers;
mod vdso;

use crate::arch;
use crate::boot::BootInfo;
use alloc::string::String;

pub type TestResult = Result<(), String>;

/// Fails the current test with the location and a message unless `cond`.
#[macro_export]
macro_rules! check {
    ($cond:expr) => { $crate::check!($cond, "{}", stringify!($cond)) };
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            return Err(alloc::format!("at {}:{}: {}", file!(), line!(), format_args!($($arg)*)));
        }
    };
}

/// Every in-kernel test, by name.
const TESTS: &[(&str, fn() -> TestResult)] = &[
    ("mm::frames_distinct_and_returned", mm::frames_distinct_and_returned),
    ("mm::frames_zeroed", mm::frames_zeroed),
    ("mm::bad_free_is_refused", mm::bad_free_is_refused),
    ("mm::heap_boxes_and_vecs", mm::heap_boxes_and_vecs),
    ("mm::heap_alignment", mm::heap_alignment),
    ("mm::heap_grows", mm::heap_grows),
    ("mm::heap_exhaustion_is_an_error", mm::heap_exhaustion_is_an_error),
    ("mm::heap_grows_in_fragmented_memory", mm::heap_grows_in_fragmented_memory),
    ("sync::spinlock_and_once", sync::spinlock_and_once),
    ("sync::lock_order_bookkeeping", sync::lock_order_bookkeeping),
    ("sync::sleeping_lock_order_follows_the_thread", sync::sleeping_lock_order_follows_the_thread),
    ("time::monotonic_clock", time::monotonic_clock),
    ("time::timer_interrupts_arrive", time::timer_interrupts_arrive),
    ("timers::many_sleepers_wake_on_time", timers::many_sleepers_wake_on_time),
    ("timers::tracked_objects_expire_on_time", timers::tracked_objects_expire_on_time),
    ("vdso::maps_image_and_current_vvar", vdso::maps_image_and_current_vvar),
    ("cap::lookups_check_type_then_rights", cap::lookups_check_type_then_rights),
    ("cap::revoke_reaches_every_descendant", cap::revoke_reaches_every_descendant),
    ("cap::derive_narrows_ranges_and_badges", cap::derive_narrows_ranges_and_badges),
    ("cow::fork_copies_private_page_on_first_write", cow::fork_copies_private_page_on_first_write),
    ("cow::fork_keeps_shared_mapping_shared", cow::fork_keeps_shared_mapping_shared),
    ("sched::yield_rotates_round_robin", sched::yield_rotates_round_robin),
    ("sched::wait_queue_wake_all_rechecks", sched::wait_queue_wake_all_rechecks),
    ("sched::sleep_until_honours_deadline", sched::sleep_until_honours_deadline),
    ("sched::wait_deadline_times_out", sched::wait_deadline_times_out),
    ("sched::dead_threads_are_freed", sched::dead_threads_are_freed),
    ("poll_table::wakes_only_the_waiters_of_the_queue", poll_table::wakes_only_the_waiters_of_the_queue),
    ("poll_table::wake_before_sleep_is_kept", poll_table::wake_before_sleep_is_kept),
    ("poll_table::exclusive_hooks_wake_one", poll_table::exclusive_hooks_wake_one),
    ("netlink::model_from_server_records", netlink::model_from_server_records),
    ("ipc::call_reply_moves_words_and_cap", ipc::call_reply_moves_words_and_cap),
    ("ipc::queued_sends_delivered_in_order", ipc::queued_sends_delivered_in_order),
    ("ipc::dropped_reply_gives_peer_gone", ipc::dropped_reply_gives_peer_gone),
    ("ipc::reply_right_outlived_by_its_call_answers_nothing", ipc::reply_right_outlived_by_its_call_answers_nothing),
    ("ipc::reply_after_caller_gave_up_is_refused", ipc::reply_after_caller_gave_up_is_refused),
    ("ipc::notification_bits_accumulate_and_clear", ipc::notification_bits_accumulate_and_clear),
    ("signal::standard_merge_realtime_queue", signal::standard_merge_realtime_queue),
    ("signal::blocked_signal_waits_for_unblock", signal::blocked_signal_waits_for_unblock),
    ("signal::ignored_signals_discarded_unless_blocked", signal::ignored_signals_discarded_unless_blocked),
    ("signal::process_signals_and_job_control_cancel", signal::process_signals_and_job_control_cancel),
    ("signal::signal_interrupts_interruptible_wait", signal::signal_interrupts_interruptible_wait),
    ("arch::breakpoint_returns", arch::ktests::breakpoint_returns),
    ("arch::map_translate_unmap", arch::ktests::map_translate_unmap),
    ("arch::kernel_image_protections", arch::ktests::kernel_image_protections),
    ("arch::symbols_resolve", arch::ktests::symbols_resolve),
    ("arch::percpu_and_interrupts", arch::ktests::percpu_and_interrupts),
    ("arch::pci_config_selection_is_per_task", arch::ktests::pci_config_selection_is_per_task),
    ("smp::every_cpu_answers_pings", smp::every_cpu_answers_pings),
    ("personality::table_numbers_and_brands", personality::table_numbers_and_brands),
];

/// What a passing test wants said beside its verdict (say, that it had
/// nothing to check on this machine): `KTEST <name> ok (<note>)`.
static NOTE: crate::sync::SpinLock<Option<String>> = crate::sync::SpinLock::new(None);

pub fn note(text: &str) {
    *NOTE.lock() = Some(String::from(text));
}

/// Runs the suite and stops the machine with its verdict (it never
/// returns; the unit return type keeps kmain's later code well-formed for
/// the compiler in test builds).
pub fn run(boot: &BootInfo) {
    match boot.cmdline().get("ktest.fault") {
        Some("page") => arch::ktests::deliberate_page_fault(),
        Some("panic") => deliberate_panic(),
        Some("hang") => {
            println!("ktest: deliberately hanging");
            loop {
                arch::cpu::wait_for_interrupt();
            }
        }
        Some("sleep-under-spinlock") => {
            // The kernel catches this itself (sync::may_sleep logs BUG:)
            // and carries on; the harness must still call the boot failed.
            static HELD: crate::sync::SpinLock<()> = crate::sync::SpinLock::new(());
            static SLEEPING: crate::sync::Mutex<()> = crate::sync::Mutex::new(());
            let spin = HELD.lock();
            drop(SLEEPING.lock());
            drop(spin);
            println!("ktest: took a sleeping lock under a spinlock");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Success);
        }
        Some("lock-order") => {
            // Two ranked locks in the wrong order: sync::lock_order logs
            // `BUG: lock order: Pipe then FdTable` and carries on; the
            // harness must call the boot failed and see both classes named.
            static FD_TABLE: crate::sync::SpinLock<()> = crate::sync::SpinLock::ranked(crate::sync::Rank::FdTable, ());
            static PIPE: crate::sync::SpinLock<()> = crate::sync::SpinLock::ranked(crate::sync::Rank::Pipe, ());
            for _ in 0..2 {
                // The second round is not reported again (once per pair).
                let pipe = PIPE.lock();
                drop(FD_TABLE.lock());
                drop(pipe);
            }
            println!("ktest: took FdTable under Pipe");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Success);
        }
        Some("mutex-order") => {
            // Two ranked sleeping locks in the wrong order (the file-system
            // table, then a file system's lock): checked against the
            // thread's own mask, logged as `BUG: lock order: FsTable then
            // FileSystem` once; the harness must call the boot failed.
            static FS_TABLE: crate::sync::Mutex<()> = crate::sync::Mutex::ranked(crate::sync::Rank::FsTable, ());
            static FILE_SYSTEM: crate::sync::Mutex<()> = crate::sync::Mutex::ranked(crate::sync::Rank::FileSystem, ());
            for _ in 0..2 {
                let table = FS_TABLE.lock();
                drop(FILE_SYSTEM.lock());
                drop(table);
            }
            println!("ktest: took FileSystem under FsTable");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Success);
        }
        Some(other) => {
            println!("ktest: unknown ktest.fault={other}");
            arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
        }
        None => {}
    }
    let filter = boot.cmdline().get("ktest.filter");
    let (mut passed, mut failed) = (0usize, 0usize);
    for (name, test) in TESTS {
        if filter.is_some_and(|f| !name.contains(f)) {
            continue;
        }
        *NOTE.lock() = None;
        let result = test();
        let note = NOTE.lock().take();
        match result {
            Ok(()) => {
                passed += 1;
                match note {
                    Some(n) => println!("KTEST {name} ok ({n})"),
                    None => println!("KTEST {name} ok"),
                }
            }
            Err(why) => {
                failed += 1;
                println!("KTEST {name} FAIL {why}");
            }
        }
    }
    println!("KTEST-SUMMARY passed={passed} failed={failed}");
    arch::cpu::exit_machine(if failed == 0 { arch::cpu::ExitStatus::Success } else { arch::cpu::ExitStatus::Failure })
}

#[inline(never)]
fn deliberate_panic() -> ! {
    panic!("deliberate panic requested by ktest.fault=panic");
}
