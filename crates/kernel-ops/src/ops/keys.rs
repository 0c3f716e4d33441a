//! Key retention: one part of the core's surface, [`crate::KernelOps`].

use crate::KResult;

/// Key retention (Linux's keyrings: one store for the machine).
pub trait KeyOps {
    /// add_key, request_key or a keyctl operation, its strings and payload
    /// already copied in, carried out for the calling thread.
    fn keys(&mut self, request: keyrings::Request) -> KResult<keyrings::Reply> {
        let _ = request;
        Err(crate::Error::NotImplemented)
    }
}
