//! How the fake core implements `TransferOps` (moving data between
//! descriptors inside the kernel).

use super::*;

impl TransferOps for FakeCore {
    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize> {
        self.moves.push(MoveCall::Copy { input, in_offset, output, out_offset, count });
        self.move_answer
    }
    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize> {
        self.moves.push(MoveCall::Splice { input, in_offset, output, out_offset, count, flags });
        self.move_answer
    }
    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)> {
        self.ipc_state.transfers.push((output, input, offset, count));
        let n = self.move_answer?;
        Ok((n, offset.map(|o| o + n as u64)))
    }
    fn tee(&mut self, input: Fd, output: Fd, count: usize, flags: SpliceFlags) -> KResult<usize> {
        self.ipc_state.tees.push((input, output, count, flags));
        self.move_answer
    }
    fn vmsplice(&mut self, fd: Fd, buffers: &[(u64, usize)], flags: SpliceFlags) -> KResult<usize> {
        self.ipc_state.vmsplices.push((fd, buffers.to_vec(), flags));
        Ok(buffers.iter().map(|b| b.1).sum())
    }
}
