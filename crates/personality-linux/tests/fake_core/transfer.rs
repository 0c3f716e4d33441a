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
        unimplemented!("fake core: transfer")
    }
    fn tee(&mut self, _: Fd, _: Fd, _: usize, _: SpliceFlags) -> KResult<usize> {
        unimplemented!("fake core: tee")
    }
    fn vmsplice(&mut self, _: Fd, _: &[(u64, usize)], _: SpliceFlags) -> KResult<usize> {
        unimplemented!("fake core: vmsplice")
    }
}
