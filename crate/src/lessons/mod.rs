//! The chapters' arithmetic: small worked examples the notebook's chapter widgets call, each built
//! on the core's own kernels so the numbers a chapter shows are the ones training uses. The page
//! only draws them.

pub mod basics;
pub mod batches;
pub mod convpool;
pub mod regression;
pub mod normdrop;
pub mod init;
pub mod tiny;
pub mod kfold;
pub mod optimizers;
