pub mod convpool;
