//! How the kernel core implements `KeyOps` (key retention).

use super::*;

impl KeyOps for CoreOps<'_> {
    fn keys(&mut self, request: kernel_ops::keyrings::Request) -> KResult<kernel_ops::keyrings::Reply> {
        crate::keys::execute(self.process, self.thread, request)
    }
}
