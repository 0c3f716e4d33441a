//! Leveled kernel log lines, timestamped with the monotonic clock:
//! `[    0.012345] INFO  mm: 126 MiB usable`.

use core::fmt;
use core::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    Error = 1,
    Warn = 2,
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "error" => Level::Error,
            "warn" => Level::Warn,
            "info" => Level::Info,
            "debug" => Level::Debug,
            "trace" => Level::Trace,
            _ => return None,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Level::Error => "ERROR",
            Level::Warn => "WARN ",
            Level::Info => "INFO ",
            Level::Debug => "DEBUG",
            Level::Trace => "TRACE",
        }
    }
}

static MAX_LEVEL: AtomicU8 = AtomicU8::new(Level::Info as u8);

pub fn set_max_level(level: Level) {
    MAX_LEVEL.store(level as u8, Ordering::Relaxed);
}

pub fn enabled(level: Level) -> bool {
    level as u8 <= MAX_LEVEL.load(Ordering::Relaxed)
}

pub fn write(level: Level, module: &str, args: fmt::Arguments<'_>) {
    write_maybe_unlocked(level, module, args, false);
}

/// As `write`; with `unlocked`, without the console's lock (for a report
/// made while this CPU holds it: sync::lock_order).
pub fn write_maybe_unlocked(level: Level, module: &str, args: fmt::Arguments<'_>, unlocked: bool) {
    if !enabled(level) {
        return;
    }
    let ns = crate::time::now_ns();
    let module = module.strip_prefix("helctic::").unwrap_or(module);
    let emit = if unlocked { crate::console::write_unlocked } else { crate::console::write_fmt };
    emit(format_args!(
        "[{:5}.{:06}] {} {}: {}\n",
        ns / 1_000_000_000,
        (ns % 1_000_000_000) / 1000,
        level.label(),
        module,
        args
    ));
}

#[macro_export]
macro_rules! log {
    ($level:expr, $($arg:tt)*) => { $crate::log::write($level, module_path!(), format_args!($($arg)*)) };
}
#[macro_export]
macro_rules! error { ($($arg:tt)*) => { $crate::log!($crate::log::Level::Error, $($arg)*) }; }
#[macro_export]
macro_rules! warn { ($($arg:tt)*) => { $crate::log!($crate::log::Level::Warn, $($arg)*) }; }
#[macro_export]
macro_rules! info { ($($arg:tt)*) => { $crate::log!($crate::log::Level::Info, $($arg)*) }; }
#[macro_export]
macro_rules! debug { ($($arg:tt)*) => { $crate::log!($crate::log::Level::Debug, $($arg)*) }; }
#[macro_export]
macro_rules! trace { ($($arg:tt)*) => { $crate::log!($crate::log::Level::Trace, $($arg)*) }; }
