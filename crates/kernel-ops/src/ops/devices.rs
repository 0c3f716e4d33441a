//! Terminal and block-device control: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Error, Fd, KResult, TermiosWhen, TtyReply, TtyRequest};

/// Control requests to devices: terminals (termios and the tty ioctls)
/// and block devices.
pub trait DeviceOps {
    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios>;
    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()>;
    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply>;
    /// A block-device or loop-control request on `fd`; `NotATerminal`
    /// (ENOTTY) when `fd` is neither.
    fn block_request(&mut self, fd: Fd, request: crate::BlockRequest) -> KResult<crate::BlockReply> {
        let _ = (fd, request);
        Err(Error::NotATerminal)
    }
}
