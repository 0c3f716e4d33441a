//! How the fake core implements `DeviceOps` (terminal and block-device
//! control).

use super::*;

impl DeviceOps for FakeCore {
    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios> {
        unimplemented!("fake core: termios")
    }
    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()> {
        unimplemented!("fake core: set_termios")
    }
    fn block_request(&mut self, fd: Fd, request: kernel_ops::BlockRequest) -> KResult<kernel_ops::BlockReply> {
        self.block_calls.push((fd, request));
        self.block_answer
    }
    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply> {
        unimplemented!("fake core: tty_request")
    }
}
