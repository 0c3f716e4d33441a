//! System-call handlers, grouped by subject. Each takes the raw argument
//! registers, translates them, calls the core and encodes the result.

pub mod block;
pub mod dir;
pub mod epoll;
pub mod eventfd;
pub mod file;
pub mod futex;
pub mod ids;
pub mod info;
pub mod inotify;
pub mod io;
pub mod locks;
pub mod memory;
pub mod membarrier;
pub mod memfd;
pub mod pidfd;
pub mod mount;
pub mod poll;
pub mod prctl;
pub mod priority;
pub mod process;
pub mod signal;
pub mod signalfd;
pub mod splice;
pub mod stat;
pub mod time;
pub mod timerfd;
pub mod tty;
pub mod xattr;
