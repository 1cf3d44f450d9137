//! The chapters' arithmetic: small functions the notebook's chapter widgets call, each built on
//! the core's own kernels so the numbers a chapter shows are the ones training uses.

pub mod basics;
