//! The typed model the generators read: parse (`ast`, `*_attrs`, gathered
//! per derive in `model`), then check (`check::check`), then generate
//! (`crate::expand`).

pub(crate) mod argument_attrs;
pub(crate) mod ast;
pub(crate) mod attr;
pub(crate) mod case;
pub(crate) mod check;
pub(crate) mod constraint_attrs;
mod ctxt;
pub(crate) mod endpoint_attrs;
pub(crate) mod enum_attrs;
pub(crate) mod model;
pub(crate) mod rate_limit_attrs;
pub(crate) mod resource_attrs;
pub(crate) mod symbol;

pub(crate) use ctxt::Ctxt;
